// core/util/csvwriter: RFC 4180 fields, and no spreadsheet formula smuggled in through a text cell
// (issue 20: ids and names from imported files starting with =, +, -, @ were written as they were).

#include "core/util/csvwriter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using netspatial::core::CsvWriter;

class TestCsvWriter : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void escapesFields_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("written");
    QTest::newRow("plain") << QStringLiteral("S0001") << QStringLiteral("S0001");
    QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
    QTest::newRow("quote") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \"\"hi\"\"\"");
    QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
    QTest::newRow("formula =") << QStringLiteral("=1+2") << QStringLiteral("'=1+2");
    QTest::newRow("formula = with comma") << QStringLiteral("=HYPERLINK(\"http://x\",\"y\")")
                                          << QStringLiteral("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    QTest::newRow("formula +") << QStringLiteral("+cmd|' /C calc'!A0") << QStringLiteral("'+cmd|' /C calc'!A0");
    QTest::newRow("formula -") << QStringLiteral("-2+3+cmd") << QStringLiteral("'-2+3+cmd");
    QTest::newRow("formula @") << QStringLiteral("@SUM(A1)") << QStringLiteral("'@SUM(A1)");
    QTest::newRow("tab first") << QStringLiteral("\t=1") << QStringLiteral("'\t=1");
    QTest::newRow("CR first") << QStringLiteral("\r=1") << QStringLiteral("\"'\r=1\"");
    QTest::newRow("negative number") << QStringLiteral("-3.5") << QStringLiteral("-3.5");
    QTest::newRow("signed number") << QStringLiteral("+2") << QStringLiteral("+2");
    QTest::newRow("exponent") << QStringLiteral("-1e-3") << QStringLiteral("-1e-3");
    QTest::newRow("inner sign") << QStringLiteral("cell-100") << QStringLiteral("cell-100");
    QTest::newRow("empty") << QString() << QString();
  }
  void escapesFields() {
    QFETCH(QString, field);
    QFETCH(QString, written);
    QCOMPARE(CsvWriter::escape(field), written);
  }

  void writesRowsWithCrLf() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.csv"));
    auto w = CsvWriter::open(path);
    QVERIFY(w.ok());
    (*w)->writeRow({QStringLiteral("site_id"), QStringLiteral("value")});
    (*w)->writeRow({QStringLiteral("@evil"), QStringLiteral("-4")});
    QVERIFY((*w)->commit().ok());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("site_id,value\r\n'@evil,-4\r\n"));
  }
};

QTEST_GUILESS_MAIN(TestCsvWriter)
#include "tst_csvwriter.moc"
