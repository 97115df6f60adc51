#include "core/util/result.h"

#include <QTest>

using namespace netspatial::core;

class TestResult : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void valueAndError() {
    Result<int> ok = 42;
    QVERIFY(ok.ok());
    QCOMPARE(*ok, 42);
    Result<int> bad =
        Error(ErrorCode::ParseError, QStringLiteral("not a number: 'x'"), {QStringLiteral("a.csv"), 3, QStringLiteral("lon")});
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code(), ErrorCode::ParseError);
    QCOMPARE(bad.valueOr(7), 7);
    QCOMPARE(bad.error().toString(), QStringLiteral("a.csv, row 3, field 'lon': not a number: 'x'"));
  }

  void contextIsAddedNotOverwritten() {
    const Error e = Error(ErrorCode::InvalidValue, QStringLiteral("negative")).withRow(5).withFile(QStringLiteral("t.csv"));
    QCOMPARE(e.context().file, QStringLiteral("t.csv"));
    QCOMPARE(*e.context().row, 5);
    const Error again = e.withFile(QStringLiteral("other.csv")).withRow(9);
    QCOMPARE(again.context().file, QStringLiteral("t.csv"));
    QCOMPARE(*again.context().row, 5);
    QCOMPARE(Error(ErrorCode::Io, QStringLiteral("disk full")).toString(), QStringLiteral("disk full"));
  }

  void statusVoid() {
    Status fine;
    QVERIFY(fine.ok());
    Status failed = Error(ErrorCode::Cancelled, QStringLiteral("stopped"));
    QVERIFY(!failed);
    QCOMPARE(failed.error().code(), ErrorCode::Cancelled);
  }
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"
