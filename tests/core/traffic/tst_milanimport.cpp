#include "core/traffic/milanimport.h"
#include "tests/testdata.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cmath>

using namespace netspatial::core;

class TestMilanImport : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void matrixKeepsCompleteAndReportsTruncated() {
    NETSPATIAL_SHARED_FILE(matrix, "milan/traffic_matrixTS.csv");
    NETSPATIAL_SHARED_FILE(labels, "milan/traffic_ID_labels.csv");
    Feedback feedback;
    auto m = importMilanMatrix(matrix, labels, &feedback);
    QVERIFY2(m.ok(), m.ok() ? "" : qPrintable(m.error().toString()));
    QCOMPARE(m->hours, std::size_t(1488));
    QCOMPARE(int(m->seriesByCell.size()), 281);
    QCOMPARE(int(m->completeCells.size()), 211);
    QCOMPARE(m->report.size(), 70);
    QCOMPARE(feedback.progress(), 1.0);
    // Row 1 is cell 1 and starts 13, 11, 8 (the file's first values); labels are float text.
    const HourlySeries& first = m->seriesByCell.at(1);
    QCOMPARE(first.values[0], 13.0f);
    QCOMPARE(first.values[2], 8.0f);
    // 2013-11-01 00:00 in Milan is 2013-10-31 23:00 UTC.
    QCOMPARE(first.start, QDateTime(QDate(2013, 10, 31), QTime(23, 0), QTimeZone::utc()));
    // Truncated rows keep their data and are NaN, not 0, beyond it.
    int truncatedSeen = 0;
    for (const auto& [cell, s] : m->seriesByCell) {
      QCOMPARE(s.values.size(), std::size_t(1488));
      if (std::find(m->completeCells.begin(), m->completeCells.end(), cell) == m->completeCells.end()) {
        ++truncatedSeen;
        QVERIFY(std::isnan(s.values.back()));
        QVERIFY(!std::isnan(s.values.front()));
      }
    }
    QCOMPARE(truncatedSeen, 70);
    // Integer activity 0–84.
    float maxValue = 0;
    for (int cell : m->completeCells)
      for (float v : m->seriesByCell.at(cell).values) maxValue = std::max(maxValue, v);
    QCOMPARE(maxValue, 84.0f);
  }

  void matrixBadInput() {
    QTemporaryDir dir;
    const QString labels = netspatial::tests::writeFile(dir, QStringLiteral("labels.csv"), "1.0e+00\n2.0e+00\n");
    const QString bad = netspatial::tests::writeFile(dir, QStringLiteral("m.csv"), "1,2,3\n4,x5,6\n");
    auto m = importMilanMatrix(bad, labels);
    QCOMPARE(m.error().code(), ErrorCode::ParseError);
    QCOMPARE(m.error().context().row.value(), 2);
    QCOMPARE(m.error().context().field, QStringLiteral("hour 2"));
    const QString negative = netspatial::tests::writeFile(dir, QStringLiteral("n.csv"), "1,2,3\n4,5,-6\n");
    QCOMPARE(importMilanMatrix(negative, labels).error().context().field, QStringLiteral("hour 3"));
    // 1e300 is a finite double but +Inf as the float a series stores: refused at its cell.
    const QString huge = netspatial::tests::writeFile(dir, QStringLiteral("h.csv"), "1,2,3\n4,1e300,6\n");
    const auto hugeError = importMilanMatrix(huge, labels).error();
    QCOMPARE(hugeError.code(), ErrorCode::InvalidValue);
    QCOMPARE(hugeError.context().row.value(), 2);
    QCOMPARE(hugeError.context().field, QStringLiteral("hour 2"));
    QVERIFY2(hugeError.message().contains(QStringLiteral("implausibly large")), qPrintable(hugeError.toString()));
    const QString extraRow = netspatial::tests::writeFile(dir, QStringLiteral("e.csv"), "1,2,3\n4,5,6\n7,8,9\n");
    QCOMPARE(importMilanMatrix(extraRow, labels).error().code(), ErrorCode::CorruptData);
    const QString dupLabels = netspatial::tests::writeFile(dir, QStringLiteral("d.csv"), "3.0e+00\n3.0e+00\n");
    QCOMPARE(importMilanMatrix(netspatial::tests::writeFile(dir, QStringLiteral("ok.csv"), "1\n2\n"), dupLabels).error().code(),
             ErrorCode::InvalidValue);
    QCOMPARE(importMilanMatrix(netspatial::tests::writeFile(dir, QStringLiteral("empty.csv"), ""), labels).error().code(),
             ErrorCode::CorruptData);
  }

  void originalRecordsToHours() {
    NETSPATIAL_SHARED_FILE(path, "milan/raw_10min_sample_cell1.txt");
    auto cells = importMilanRecords(path);
    QVERIFY2(cells.ok(), cells.ok() ? "" : qPrintable(cells.error().toString()));
    QCOMPARE(int(cells->size()), 1);
    const HourlySeries& s = cells->at(1);
    // 71 ten-minute stamps from 23:00 UTC to 10:40 UTC the next day: 12 hours.
    QCOMPARE(s.values.size(), std::size_t(12));
    QCOMPARE(s.start, QDateTime(QDate(2013, 10, 31), QTime(23, 0), QTimeZone::utc()));
    // Independent reference: awk sums the internet column over the first hour's records.
    QProcess awk;
    awk.start(QStringLiteral("awk"),
              {QStringLiteral("-F\t"), QStringLiteral("$2 < 1383264000000 {s+=$8} END {printf \"%.10f\", s}"), path});
    QVERIFY(awk.waitForFinished(10000));
    const double expected = awk.readAllStandardOutput().toDouble();
    QVERIFY(expected > 1.0);
    QVERIFY2(std::abs(s.values[0] - expected) < 1e-4 * expected, qPrintable(QStringLiteral("%1 vs %2").arg(s.values[0]).arg(expected)));
    // Calls in: absent fields count as zero activity, not as errors.
    auto calls = importMilanRecords(path, MilanChannel::CallIn);
    QVERIFY(calls.ok());
    QVERIFY(calls->at(1).values[0] >= 0.0f);
  }

  void recordsBadInput() {
    QTemporaryDir dir;
    const QString bad =
        netspatial::tests::writeFile(dir, QStringLiteral("r.txt"), "1\t1383260400000\t39\t0.1\t\t\t\t2.0\n1\tyesterday\t39\t0.1\n");
    auto r = importMilanRecords(bad);
    QCOMPARE(r.error().code(), ErrorCode::ParseError);
    QCOMPARE(r.error().context().row.value(), 2);
    QCOMPARE(r.error().context().field, QStringLiteral("time"));
    const QString negative = netspatial::tests::writeFile(dir, QStringLiteral("n.txt"), "1\t1383260400000\t39\t0.1\t\t\t\t-2.0\n");
    QCOMPARE(importMilanRecords(negative).error().context().field, QStringLiteral("internet"));
    // Found by fuzz_milanrecords (issue 20): one time in microseconds made an axis of 383 million
    // hours, 6 GB, before anything was said. Refused, naming the rows of both ends.
    const QString micro = netspatial::tests::writeFile(dir, QStringLiteral("u.txt"),
                                                       "1\t1383260400000\t39\t0.1\t\t\t\t2.0\n10000\t1383260400000000\t39\t\t\t\t\t2.5\n");
    auto u = importMilanRecords(micro);
    QVERIFY(!u.ok());
    QCOMPARE(u.error().code(), ErrorCode::OutOfExtent);
    QVERIFY2(u.error().message().contains(QStringLiteral("at row 1")) && u.error().message().contains(QStringLiteral("at row 2")),
             qPrintable(u.error().toString()));
    const QString before1970 = netspatial::tests::writeFile(dir, QStringLiteral("b.txt"), "1\t1383260400000\t39\n1\t-3600000\t39\t0.1\n");
    auto b = importMilanRecords(before1970);
    QVERIFY(!b.ok());
    QCOMPARE(b.error().code(), ErrorCode::InvalidValue);
    QCOMPARE(b.error().context().row.value(), 2);
    QCOMPARE(b.error().context().field, QStringLiteral("time"));
  }

  void recordsOfSeveralCellsShareOneAxis() {
    // Records in any order: each cell's hours are the sums of its records, on one axis from the
    // first record's hour; an hour without a record is missing (NaN), one with empty fields is 0.
    QTemporaryDir dir;
    const QString path = netspatial::tests::writeFile(dir, QStringLiteral("r.txt"),
                                                      "2\t1383268200000\t39\t\t\t\t\t1.5\n"  // 01:10
                                                      "1\t1383264000000\t39\t\t\t\t\t1\n"    // 00:00
                                                      "1\t1383267000000\t0\t\t\t\t\t2\n"     // 00:50
                                                      "2\t1383268800000\t39\t\t\t\t\t0.5\n"  // 01:20
                                                      "1\t1383271200000\t0\n");              // 02:00, no activity
    auto cells = importMilanRecords(path);
    QVERIFY2(cells.ok(), cells.ok() ? "" : qPrintable(cells.error().toString()));
    QCOMPARE(int(cells->size()), 2);
    const HourlySeries& one = cells->at(1);
    const HourlySeries& two = cells->at(2);
    QCOMPARE(one.start, QDateTime(QDate(2013, 11, 1), QTime(0, 0), QTimeZone::utc()));
    QCOMPARE(two.start, one.start);
    QCOMPARE(one.values.size(), std::size_t(3));
    QCOMPARE(two.values.size(), std::size_t(3));
    QCOMPARE(one.values[0], 3.0f);
    QVERIFY(std::isnan(one.values[1]));
    QCOMPARE(one.values[2], 0.0f);
    QVERIFY(std::isnan(two.values[0]));
    QCOMPARE(two.values[1], 2.0f);
    QVERIFY(std::isnan(two.values[2]));
  }
};

QTEST_GUILESS_MAIN(TestMilanImport)
#include "tst_milanimport.moc"
