#include "core/traffic/longcsvimport.h"
#include "tests/testdata.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cmath>
#include <limits>
#include <vector>

using namespace netspatial::core;
using netspatial::tests::writeFile;

Q_DECLARE_METATYPE(netspatial::core::ErrorCode)

namespace {

QDateTime utc(int y, int mo, int d, int h, int mi = 0) { return QDateTime(QDate(y, mo, d), QTime(h, mi), QTimeZone::utc()); }

QString describe(const Error& e) { return e.toString(); }

}  // namespace

class TestLongCsvImport : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void roundTripWithGaps() {
    QTemporaryDir dir;
    // BOM, CRLF, a blank line, columns in another order, an extra column, quoted fields, a site
    // with a gap and one that starts late: the axis runs from the earliest to the latest hour.
    const QByteArray csv =
        "\xEF\xBB\xBF"
        "note,Value,site_id,timestamp\r\n"
        "x,1.5,S1,2024-01-15T00:00:00Z\r\n"
        "\"a, b\",2,S1,2024-01-15T01:00:00Z\r\n"
        "\r\n"
        ",4.25,S1,2024-01-15T03:00Z\r\n"
        "\"say \"\"hi\"\"\",10,\"S2\",2024-01-15T02:00:00Z\r\n"
        ",11,S2,2024-01-15T03:00:00Z\r\n"
        ",,S2,2024-01-15T01:00:00Z\r\n";  // an empty value: an explicitly missing hour
    const QString path = writeFile(dir, QStringLiteral("t.csv"), csv);
    Feedback feedback;
    auto r = importLongCsvTraffic(path, {}, &feedback);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(describe(r.error())));
    QCOMPARE(r->rowsRead, std::size_t(6));
    QVERIFY(r->skippedRows.isEmpty());
    QCOMPARE(r->timeZone, QStringLiteral("UTC"));
    QCOMPARE(r->traffic.start, utc(2024, 1, 15, 0));
    QCOMPARE(r->traffic.start.offsetFromUtc(), 0);
    QCOMPARE(int(r->traffic.valuesBySite.size()), 2);
    const auto& s1 = r->traffic.valuesBySite.at(QStringLiteral("S1"));
    const auto& s2 = r->traffic.valuesBySite.at(QStringLiteral("S2"));
    QCOMPARE(s1.size(), std::size_t(4));
    QCOMPARE(s2.size(), std::size_t(4));
    QCOMPARE(s1[0], 1.5f);
    QCOMPARE(s1[1], 2.0f);
    QVERIFY(std::isnan(s1[2]));  // no row: a gap, not a zero
    QCOMPARE(s1[3], 4.25f);
    QVERIFY(std::isnan(s2[0]));
    QVERIFY(std::isnan(s2[1]));  // empty value
    QCOMPARE(s2[2], 10.0f);
    QCOMPARE(s2[3], 11.0f);
    QCOMPARE(feedback.progress(), 1.0);
  }

  void timesAfter2262() {
    // Found by fuzz_longcsv (issue 20): the (site, time) hash multiplied the time in milliseconds
    // as a signed 64-bit number, which overflows (undefined behaviour) for any time after 2262 — a
    // mistyped year is enough. Such rows import, and a duplicate among them is still found.
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("t.csv"), "site_id,timestamp,value\nA,2824-03-31T01:00Z,1\nA,2824-03-31T02:00Z,2\n");
    auto r = importLongCsvTraffic(path);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(describe(r.error())));
    QCOMPARE(r->traffic.start, utc(2824, 3, 31, 1));
    QCOMPARE(r->traffic.valuesBySite.at(QStringLiteral("A")).size(), std::size_t(2));
    const QString twice = writeFile(dir, QStringLiteral("d.csv"),
                                    "site_id,timestamp,value\nA,2824-03-31T01:00Z,1\nB,2824-03-31T01:00Z,2\nA,2824-03-31T01:00Z,3\n");
    auto d = importLongCsvTraffic(twice);
    QVERIFY(!d.ok());
    QCOMPARE(d.error().code(), ErrorCode::InvalidValue);
    QCOMPARE(d.error().context().row.value(), 4);
  }

  void zoneNotations_data() {
    QTest::addColumn<QByteArray>("stamp0");
    QTest::addColumn<QByteArray>("stamp1");
    QTest::addColumn<QString>("timeZone");
    QTest::addColumn<QDateTime>("expectedStart");
    // 2024-01-15 10:00 in Rome is 09:00 UTC (CET, +01:00); 2024-07-15 10:00 is 08:00 UTC (CEST).
    QTest::newRow("Z") << QByteArray("2024-01-15T09:00:00Z") << QByteArray("2024-01-15T10:00:00Z") << QString() << utc(2024, 1, 15, 9);
    QTest::newRow("+01:00") << QByteArray("2024-01-15T10:00:00+01:00") << QByteArray("2024-01-15T11:00:00+01:00") << QString()
                            << utc(2024, 1, 15, 9);
    QTest::newRow("+0100, space") << QByteArray("2024-01-15 10:00:00+0100") << QByteArray("2024-01-15 11:00+0100") << QString()
                                  << utc(2024, 1, 15, 9);
    QTest::newRow("naive Rome") << QByteArray("2024-01-15T10:00:00") << QByteArray("2024-01-15T11:00") << QStringLiteral("Europe/Rome")
                                << utc(2024, 1, 15, 9);
    QTest::newRow("naive Rome, space") << QByteArray("2024-01-15 10:00") << QByteArray("2024-01-15 11:00:00")
                                       << QStringLiteral("Europe/Rome") << utc(2024, 1, 15, 9);
    QTest::newRow("offset wins over zone") << QByteArray("2024-01-15T09:00:00Z") << QByteArray("2024-01-15T11:00:00+01:00")
                                           << QStringLiteral("America/New_York") << utc(2024, 1, 15, 9);
    QTest::newRow("summer Z") << QByteArray("2024-07-15T08:00Z") << QByteArray("2024-07-15T09:00Z") << QString() << utc(2024, 7, 15, 8);
    QTest::newRow("summer +02:00") << QByteArray("2024-07-15T10:00+02:00") << QByteArray("2024-07-15T11:00+02:00") << QString()
                                   << utc(2024, 7, 15, 8);
    QTest::newRow("summer naive Rome") << QByteArray("2024-07-15T10:00") << QByteArray("2024-07-15T11:00") << QStringLiteral("Europe/Rome")
                                       << utc(2024, 7, 15, 8);
    QTest::newRow("negative offset") << QByteArray("2024-07-15T04:00-04:00") << QByteArray("2024-07-15T05:00-04:00") << QString()
                                     << utc(2024, 7, 15, 8);
    QTest::newRow("naive New York") << QByteArray("2024-07-15T04:00") << QByteArray("2024-07-15T05:00")
                                    << QStringLiteral("America/New_York") << utc(2024, 7, 15, 8);
    // Across the spring-forward night: 01:00 CET and 03:00 CEST are consecutive UTC hours.
    QTest::newRow("across DST, naive") << QByteArray("2024-03-31T01:00") << QByteArray("2024-03-31T03:00") << QStringLiteral("Europe/Rome")
                                       << utc(2024, 3, 31, 0);
  }

  void zoneNotations() {
    QFETCH(QByteArray, stamp0);
    QFETCH(QByteArray, stamp1);
    QFETCH(QString, timeZone);
    QFETCH(QDateTime, expectedStart);
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("t.csv"), "site_id,timestamp,value\nA," + stamp0 + ",5\nA," + stamp1 + ",7\n");
    LongCsvOptions options;
    options.timeZone = timeZone;
    auto r = importLongCsvTraffic(path, options);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(describe(r.error())));
    QCOMPARE(r->traffic.start, expectedStart);
    QCOMPARE(r->timeZone, timeZone.isEmpty() ? QStringLiteral("UTC") : timeZone);
    // Two consecutive UTC hours, whatever the notation.
    const auto& v = r->traffic.valuesBySite.at(QStringLiteral("A"));
    QCOMPARE(v.size(), std::size_t(2));
    QCOMPARE(v[0], 5.0f);
    QCOMPARE(v[1], 7.0f);
  }

  void dstLocalTimes_data() {
    QTest::addColumn<QByteArray>("stamp");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("gap 02:00") << QByteArray("2024-03-31T02:00") << QStringLiteral("does not exist");
    QTest::newRow("gap 02:30") << QByteArray("2024-03-31 02:30:00") << QStringLiteral("does not exist");
    QTest::newRow("ambiguous 02:00") << QByteArray("2024-10-27T02:00") << QStringLiteral("occurs twice");
    QTest::newRow("ambiguous 02:00:00") << QByteArray("2024-10-27 02:00:00") << QStringLiteral("occurs twice");
  }

  void dstLocalTimes() {
    QFETCH(QByteArray, stamp);
    QFETCH(QString, messagePart);
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("t.csv"), "site_id,timestamp,value\nA,2024-01-01T00:00,1\n\nA," + stamp + ",2\n");
    LongCsvOptions options;
    options.timeZone = QStringLiteral("Europe/Rome");
    auto r = importLongCsvTraffic(path, options);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code(), ErrorCode::InvalidValue);
    QCOMPARE(r.error().context().row.value(), 4);  // line 4: rows are lines of the file, blank ones included
    QCOMPARE(r.error().context().field, QStringLiteral("timestamp"));
    QCOMPARE(r.error().context().file, path);
    QVERIFY2(r.error().message().contains(messagePart), qPrintable(r.error().message()));

    // The same local times with their offset are fine: both 02:00s of the fall-back night.
    const QString explicitPath = writeFile(dir, QStringLiteral("e.csv"),
                                           "site_id,timestamp,value\nA,2024-10-27T02:00+02:00,1\nA,2024-10-27T02:00+01:00,2\n"
                                           "A,2024-10-27T01:00,0.5\nA,2024-10-27T03:00,3\n");
    auto e = importLongCsvTraffic(explicitPath, options);
    QVERIFY2(e.ok(), e.ok() ? "" : qPrintable(describe(e.error())));
    QCOMPARE(e->traffic.start, utc(2024, 10, 26, 23));
    QCOMPARE(e->traffic.valuesBySite.at(QStringLiteral("A")), (std::vector<float>{0.5f, 1.0f, 2.0f, 3.0f}));
  }

  void badInput_data() {
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("timeZone");
    QTest::addColumn<QStringList>("knownSites");  // empty: no restriction
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<int>("row");  // -1: no row
    QTest::addColumn<QString>("field");
    const QByteArray head = "site_id,timestamp,value\n";
    const QByteArray good = "A,2024-01-01T00:00Z,1\n";
    QTest::newRow("non-numeric") << head + good + "A,2024-01-01T01:00Z,n/a\n"
                                 << QString() << QStringList() << ErrorCode::ParseError << 3 << "value";
    QTest::newRow("decimal comma") << head + good + "A,2024-01-01T01:00Z,\"1,5\"\n"
                                   << QString() << QStringList() << ErrorCode::ParseError << 3 << "value";
    QTest::newRow("negative") << head + good + "A,2024-01-01T01:00Z,-0.5\n"
                              << QString() << QStringList() << ErrorCode::InvalidValue << 3 << "value";
    QTest::newRow("NaN") << head + "A,2024-01-01T01:00Z,NaN\n" << QString() << QStringList() << ErrorCode::InvalidValue << 2 << "value";
    QTest::newRow("inf") << head + good + "A,2024-01-01T02:00Z,inf\n"
                         << QString() << QStringList() << ErrorCode::InvalidValue << 3 << "value";
    QTest::newRow("1e300 (+Inf as float)") << head + good + "A,2024-01-01T02:00Z,1e300\n"
                                           << QString() << QStringList() << ErrorCode::InvalidValue << 3 << "value";
    QTest::newRow("1e39 (above float)") << head + good + "A,2024-01-01T02:00Z,1e39\n"
                                        << QString() << QStringList() << ErrorCode::InvalidValue << 3 << "value";
    QTest::newRow("1e16") << head + good + "A,2024-01-01T02:00Z,1e16\n"
                          << QString() << QStringList() << ErrorCode::InvalidValue << 3 << "value";
    QTest::newRow("duplicate") << head + good + "B,2024-01-01T00:00Z,1\nA,2024-01-01T00:00Z,2\n"
                               << QString() << QStringList() << ErrorCode::InvalidValue << 4 << "timestamp";
    QTest::newRow("duplicate in another notation") << head + good + "A,2024-01-01T01:00+01:00,2\n"
                                                   << QString() << QStringList() << ErrorCode::InvalidValue << 3 << "timestamp";
    QTest::newRow("unknown site") << head + good + "Z9,2024-01-01T00:00Z,1\n"
                                  << QString() << QStringList{QStringLiteral("A"), QStringLiteral("B")} << ErrorCode::InvalidValue << 3
                                  << "site_id";
    QTest::newRow("no zone") << head + good + "A,2024-01-01T01:00,1\n"
                             << QString() << QStringList() << ErrorCode::MissingField << 3 << "timestamp";
    QTest::newRow("unparsable timestamp") << head + "A,01/01/2024 10:00,1\n"
                                          << QString() << QStringList() << ErrorCode::ParseError << 2 << "timestamp";
    QTest::newRow("invalid date") << head + "A,2024-02-30T10:00Z,1\n"
                                  << QString() << QStringList() << ErrorCode::ParseError << 2 << "timestamp";
    QTest::newRow("date only") << head + "A,2024-02-03,1\n" << QString() << QStringList() << ErrorCode::ParseError << 2 << "timestamp";
    QTest::newRow("not on the hour") << head + good + "A,2024-01-01T01:10Z,1\n"
                                     << QString() << QStringList() << ErrorCode::InvalidValue << 3 << "timestamp";
    QTest::newRow("half-hour offset") << head + "A,2024-01-01T10:00+05:30,1\n"
                                      << QString() << QStringList() << ErrorCode::InvalidValue << 2 << "timestamp";
    QTest::newRow("empty site") << head + good + ",2024-01-01T01:00Z,1\n"
                                << QString() << QStringList() << ErrorCode::MissingField << 3 << "site_id";
    QTest::newRow("short row") << head + good + "A,2024-01-01T01:00Z\n"
                               << QString() << QStringList() << ErrorCode::MissingField << 3 << "value";
    QTest::newRow("empty file") << QByteArray() << QString() << QStringList() << ErrorCode::CorruptData << -1 << "";
    QTest::newRow("blank file") << QByteArray("\n  \n\r\n") << QString() << QStringList() << ErrorCode::CorruptData << -1 << "";
    QTest::newRow("header only") << head + "\n" << QString() << QStringList() << ErrorCode::CorruptData << -1 << "";
    QTest::newRow("missing column") << QByteArray("site_id,time,value\nA,2024-01-01T00:00Z,1\n") << QString() << QStringList()
                                    << ErrorCode::MissingField << 1 << "timestamp";
    QTest::newRow("missing column after blank") << QByteArray("\nsite_id,timestamp\nA,2024-01-01T00:00Z\n") << QString() << QStringList()
                                                << ErrorCode::MissingField << 2 << "value";
    QTest::newRow("semicolons") << QByteArray("site_id;timestamp;value\nA;2024-01-01T00:00Z;1\n") << QString() << QStringList()
                                << ErrorCode::MissingField << 1 << "site_id";
    QTest::newRow("unterminated quote") << head + good + "\"A,2024-01-01T01:00Z,1\n"
                                        << QString() << QStringList() << ErrorCode::ParseError << 3 << "";
    QTest::newRow("unknown time zone") << head + good << QStringLiteral("Mars/Olympus") << QStringList() << ErrorCode::InvalidArgument << -1
                                       << "";
  }

  void badInput() {
    QFETCH(QByteArray, csv);
    QFETCH(QString, timeZone);
    QFETCH(QStringList, knownSites);
    QFETCH(ErrorCode, code);
    QFETCH(int, row);
    QFETCH(QString, field);
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("bad.csv"), csv);
    LongCsvOptions options;
    options.timeZone = timeZone;
    if (!knownSites.isEmpty()) options.knownSites = std::set<QString>(knownSites.begin(), knownSites.end());
    auto r = importLongCsvTraffic(path, options);
    QVERIFY2(!r.ok(), "the import should fail");
    const Error& e = r.error();
    QVERIFY2(e.code() == code, qPrintable(QStringLiteral("%1: %2").arg(errorCodeName(e.code()), describe(e))));
    QCOMPARE(e.context().file, path);
    if (row < 0) {
      QVERIFY2(!e.context().row.has_value(), qPrintable(describe(e)));
    } else {
      QVERIFY2(e.context().row.has_value(), qPrintable(describe(e)));
      QCOMPARE(*e.context().row, qint64(row));
    }
    QCOMPARE(e.context().field, field);
    QVERIFY(!e.message().isEmpty());
  }

  void errorMessagesNameTheProblem() {
    QTemporaryDir dir;
    LongCsvOptions options;
    options.knownSites = std::set<QString>{QStringLiteral("A")};
    auto r = importLongCsvTraffic(writeFile(dir, QStringLiteral("u.csv"), "site_id,timestamp,value\nX7,2024-01-01T00:00Z,1\n"), options);
    QCOMPARE(r.error().message(), QStringLiteral("unknown site id 'X7'"));
    auto d = importLongCsvTraffic(
        writeFile(dir, QStringLiteral("d.csv"), "site_id,timestamp,value\nA,2024-01-01T00:00Z,1\nA,2024-01-01T00:00Z,1\n"));
    QVERIFY2(d.error().message().contains(QStringLiteral("row 2")), qPrintable(d.error().message()));  // where the first one is
    auto m = importLongCsvTraffic(writeFile(dir, QStringLiteral("m.csv"), "site,timestamp,value\n"));
    QVERIFY2(m.error().message().contains(QStringLiteral("'site_id'")), qPrintable(m.error().message()));
    QVERIFY(!importLongCsvTraffic(dir.filePath(QStringLiteral("absent.csv"))).ok());
    QCOMPARE(importLongCsvTraffic(dir.filePath(QStringLiteral("absent.csv"))).error().code(), ErrorCode::FileNotFound);
  }

  void skipBadRowsReportsEachRow() {
    QTemporaryDir dir;
    const QByteArray csv =
        "site_id,timestamp,value\n"
        "A,2024-01-01T00:00Z,1\n"    // 2 ok
        "A,2024-01-01T01:00Z,abc\n"  // 3 not a number
        "A,2024-01-01T02:00Z,3\n"    // 4 ok
        "Q,2024-01-01T02:00Z,3\n"    // 5 unknown site
        "A,2024-01-01T02:00Z,9\n"    // 6 duplicate of row 4: the first one is kept
        "B,2024-01-01T03:00Z,-1\n"   // 7 negative
        "B,2024-01-01T03:00,1\n"     // 8 no zone
        "\n"
        "B,2024-01-01T04:00Z,4\n";  // 10 ok
    LongCsvOptions options;
    options.skipBadRows = true;
    options.knownSites = std::set<QString>{QStringLiteral("A"), QStringLiteral("B")};
    auto r = importLongCsvTraffic(writeFile(dir, QStringLiteral("s.csv"), csv), options);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(describe(r.error())));
    QCOMPARE(r->rowsRead, std::size_t(8));  // the blank line is not a row
    const QStringList expected{
        QStringLiteral("row 3, field 'value': "),     QStringLiteral("row 5, field 'site_id': "),
        QStringLiteral("row 6, field 'timestamp': "), QStringLiteral("row 7, field 'value': "),
        QStringLiteral("row 8, field 'timestamp': "),
    };
    QCOMPARE(r->skippedRows.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) QVERIFY2(r->skippedRows[i].startsWith(expected[i]), qPrintable(r->skippedRows[i]));
    QVERIFY(r->skippedRows[0].contains(QStringLiteral("abc")));
    QVERIFY(r->skippedRows[1].contains(QStringLiteral("unknown site id 'Q'")));
    QCOMPARE(r->traffic.start, utc(2024, 1, 1, 0));
    const auto& a = r->traffic.valuesBySite.at(QStringLiteral("A"));
    const auto& b = r->traffic.valuesBySite.at(QStringLiteral("B"));
    QCOMPARE(a.size(), std::size_t(5));
    QCOMPARE(a[0], 1.0f);
    QVERIFY(std::isnan(a[1]));  // the skipped row's hour is missing, not zero
    QCOMPARE(a[2], 3.0f);       // the first of the duplicates
    QVERIFY(std::isnan(b[3]));
    QCOMPARE(b[4], 4.0f);
    QVERIFY(!r->traffic.valuesBySite.contains(QStringLiteral("Q")));

    // Everything bad: still an error, saying why.
    auto all = importLongCsvTraffic(writeFile(dir, QStringLiteral("all.csv"), "site_id,timestamp,value\nA,x,1\nA,y,1\n"), options);
    QCOMPARE(all.error().code(), ErrorCode::CorruptData);
    QVERIFY2(all.error().message().contains(QStringLiteral("row 2")), qPrintable(all.error().message()));
    // File-level problems are not skippable.
    QCOMPARE(importLongCsvTraffic(writeFile(dir, QStringLiteral("h.csv"), "site_id,value\nA,1\n"), options).error().code(),
             ErrorCode::MissingField);
  }

  void subHourly_data() {
    QTest::addColumn<int>("mode");  // -1: none
    QTest::addColumn<int>("minSamples");
    QTest::addColumn<std::vector<float>>("expected");  // NaN = missing
    const float nan = std::numeric_limits<float>::quiet_NaN();
    QTest::newRow("sum") << int(Aggregation::Sum) << 1 << std::vector<float>{6.0f, nan, 10.0f};
    QTest::newRow("mean") << int(Aggregation::Mean) << 1 << std::vector<float>{2.0f, nan, 5.0f};
    QTest::newRow("sum, at least 3 samples") << int(Aggregation::Sum) << 3 << std::vector<float>{6.0f, nan, nan};
  }

  void subHourly() {
    QFETCH(int, mode);
    QFETCH(int, minSamples);
    QFETCH(std::vector<float>, expected);
    QTemporaryDir dir;
    // Hour 10:00 (Rome, = 09:00 UTC): 1 + 2 + 3 over three 10-minute records; 11:00 none;
    // 12:00: 4 + 6, with one explicitly missing record that does not count as a sample.
    const QByteArray csv =
        "site_id,timestamp,value\n"
        "A,2024-01-15T10:00,1\n"
        "A,2024-01-15T10:20:00,2\n"
        "A,2024-01-15T09:50:00Z,3\n"
        "A,2024-01-15T12:10,4\n"
        "A,2024-01-15T12:30,\n"
        "A,2024-01-15 12:59:59.500,6\n";
    LongCsvOptions options;
    options.timeZone = QStringLiteral("Europe/Rome");
    options.subHourly = Aggregation(mode);
    options.minSamplesPerHour = minSamples;
    auto r = importLongCsvTraffic(writeFile(dir, QStringLiteral("m.csv"), csv), options);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(describe(r.error())));
    QCOMPARE(r->traffic.start, utc(2024, 1, 15, 9));
    const auto& v = r->traffic.valuesBySite.at(QStringLiteral("A"));
    QCOMPARE(v.size(), expected.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (std::isnan(expected[i]))
        QVERIFY2(std::isnan(v[i]), qPrintable(QStringLiteral("hour %1: %2").arg(i).arg(v[i])));
      else
        QCOMPARE(v[i], expected[i]);
    }
    // Sub-hourly duplicates are exact instants only.
    auto dup = importLongCsvTraffic(writeFile(dir, QStringLiteral("d.csv"), csv + "A,2024-01-15T09:20Z,7\n"), options);
    QCOMPARE(dup.error().code(), ErrorCode::InvalidValue);
    QCOMPARE(*dup.error().context().row, qint64(8));
  }

  void cancel() {
    QTemporaryDir dir;
    QByteArray csv = "site_id,timestamp,value\n";
    for (int h = 0; h < 40000; ++h)
      csv += "A," + QDateTime(QDate(2020, 1, 1), QTime(0, 0), QTimeZone::utc()).addSecs(qint64(h) * 3600).toString(Qt::ISODate).toLatin1() +
             ",1\n";
    Feedback feedback;
    feedback.cancel();
    auto r = importLongCsvTraffic(writeFile(dir, QStringLiteral("c.csv"), csv), {}, &feedback);
    QCOMPARE(r.error().code(), ErrorCode::Cancelled);
  }

  void speed() {
    // 500k rows: 100 sites × 5000 hours (June to December 2023, over the fall-back night).
    QTemporaryDir dir;
    QByteArray csv = "site_id,timestamp,value\n";
    csv.reserve(500000 * 40);
    std::vector<QByteArray> stamps;
    for (int h = 0; h < 5000; ++h) {
      // Consecutive UTC hours written as Europe/Rome wall-clock time with its offset.
      const QDateTime t = QDateTime(QDate(2023, 6, 5), QTime(0, 0), QTimeZone("Europe/Rome")).addSecs(qint64(h) * 3600);
      stamps.push_back(t.toOffsetFromUtc(t.offsetFromUtc()).toString(Qt::ISODate).toLatin1());
    }
    for (int s = 0; s < 100; ++s)
      for (int h = 0; h < 5000; ++h)
        csv += "S" + QByteArray::number(s) + ',' + stamps[std::size_t(h)] + ',' + QByteArray::number(h % 97) + ".5\n";
    const QString path = writeFile(dir, QStringLiteral("big.csv"), csv);
    QElapsedTimer timer;
    timer.start();
    auto r = importLongCsvTraffic(path);
    const qint64 ms = timer.elapsed();
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(describe(r.error())));
    QCOMPARE(r->rowsRead, std::size_t(500000));
    QCOMPARE(int(r->traffic.valuesBySite.size()), 100);
    QCOMPARE(r->traffic.hours(), std::size_t(5000));
    QCOMPARE(r->traffic.valuesBySite.at(QStringLiteral("S42"))[98], 1.5f);
    qInfo("500k rows with offsets: %lld ms", ms);

    // The same rows as naive local times in Europe/Rome: the slow path (zone resolution).
    QByteArray naive = "site_id,timestamp,value\n";
    naive.reserve(csv.size());
    for (int s = 0; s < 100; ++s)
      for (int h = 0; h < 5000; ++h)
        naive += "S" + QByteArray::number(s) + ',' + stamps[std::size_t(h)].left(19) + ',' + QByteArray::number(h % 97) + ".5\n";
    const QString naivePath = writeFile(dir, QStringLiteral("naive.csv"), naive);
    LongCsvOptions options;
    options.timeZone = QStringLiteral("Europe/Rome");
    options.skipBadRows = true;  // the fall-back hour occurs twice in local time: reported, skipped
    timer.restart();
    auto n = importLongCsvTraffic(naivePath, options);
    const qint64 naiveMs = timer.elapsed();
    QVERIFY2(n.ok(), n.ok() ? "" : qPrintable(describe(n.error())));
    QCOMPARE(n->traffic.start, r->traffic.start);
    qInfo("500k rows, naive Europe/Rome: %lld ms (%lld skipped)", naiveMs, qint64(n->skippedRows.size()));
    // The fold night: both 02:00 (local) rows of each site are ambiguous, so skipped.
    QCOMPARE(n->skippedRows.size(), 200);
    QVERIFY(ms < 20000);
    QVERIFY(naiveMs < 20000);
  }
};

QTEST_GUILESS_MAIN(TestLongCsvImport)
#include "tst_longcsvimport.moc"
