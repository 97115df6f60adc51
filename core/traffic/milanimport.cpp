#include "core/traffic/milanimport.h"

#include "core/traffic/trafficlimits.h"

#include <QFile>
#include <QSet>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <limits>

namespace netspatial::core {

namespace {

constexpr const char* kMilanTimeZone = "Europe/Rome";
// A matrix row of 20 years of hours is under 2 MB of text; a longer line is a broken file, and
// reading it whole could take all the memory there is.
constexpr qint64 kMaxLineBytes = qint64(16) << 20;
constexpr qint64 kMsPerHour = 3'600'000;
// As importLongCsvTraffic: beyond this many cells × hours (4 bytes each) the span is almost surely
// a wrong unit or a typo, and allocating it would take the machine down rather than report the row.
constexpr qint64 kMaxCells = 400'000'000;

Result<QList<QByteArray>> readLines(const QString& path) {
  QFile f(path);
  if (!f.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {path});
  if (!f.open(QIODevice::ReadOnly)) return Error(ErrorCode::Io, f.errorString(), {path});
  QList<QByteArray> lines;
  while (!f.atEnd()) {
    QByteArray line = f.readLine(kMaxLineBytes + 1);
    if (!line.endsWith('\n') && !f.atEnd())
      return Error(ErrorCode::OutOfExtent, QStringLiteral("the line is longer than %1 MiB").arg(kMaxLineBytes >> 20),
                   {path, qint64(lines.size() + 1), {}});
    while (line.endsWith('\n') || line.endsWith('\r')) line.chop(1);
    // A spreadsheet's UTF-8 byte-order mark is not part of the first value.
    if (lines.isEmpty() && line.startsWith("\xEF\xBB\xBF")) line.remove(0, 3);
    lines << line;
  }
  if (f.error() != QFileDevice::NoError) return Error(ErrorCode::Io, f.errorString(), {path});
  while (!lines.isEmpty() && lines.back().trimmed().isEmpty()) lines.removeLast();
  if (lines.isEmpty()) return Error(ErrorCode::CorruptData, QStringLiteral("the file is empty"), {path});
  return lines;
}

//! An epoch time for messages; one beyond QDateTime's range as the number it is.
QString isoUtc(qint64 ms) {
  const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
  return t.isValid() ? t.toString(Qt::ISODate) : QStringLiteral("epoch %1 ms").arg(ms);
}

}  // namespace

Result<MilanMatrix> importMilanMatrix(const QString& matrixPath, const QString& labelsPath, Feedback* feedback) {
  auto labelLines = readLines(labelsPath);
  if (!labelLines) return labelLines.error();
  auto rows = readLines(matrixPath);
  if (!rows) return rows.error();
  if (labelLines->size() != rows->size())
    return Error(
        ErrorCode::CorruptData,
        QStringLiteral("%1 has %2 labels but %3 has %4 rows").arg(labelsPath).arg(labelLines->size()).arg(matrixPath).arg(rows->size()),
        {labelsPath});

  MilanMatrix out;
  std::vector<int> cells;
  QSet<int> seen;
  for (qsizetype i = 0; i < labelLines->size(); ++i) {
    bool ok = false;
    const double v = labelLines->at(i).trimmed().toDouble(&ok);
    if (!ok || v != std::floor(v) || v < 1 || v > 1e9)
      return Error(ErrorCode::ParseError, QStringLiteral("not a cell id: '%1'").arg(QString::fromUtf8(labelLines->at(i).left(40))),
                   {labelsPath, qint64(i + 1), QStringLiteral("cellId")});
    const int cell = int(v);
    if (seen.contains(cell))
      return Error(ErrorCode::InvalidValue, QStringLiteral("cell %1 appears twice").arg(cell),
                   {labelsPath, qint64(i + 1), QStringLiteral("cellId")});
    seen.insert(cell);
    cells.push_back(cell);
    out.rowByCell[cell] = qint64(i + 1);
  }

  // Hours are counted on the local clock's axis starting 2013-11-01 00:00 Europe/Rome.
  const QDateTime start = QDateTime(QDate(2013, 11, 1), QTime(0, 0), QTimeZone(kMilanTimeZone)).toUTC();
  std::vector<std::vector<float>> values(cells.size());
  for (qsizetype r = 0; r < rows->size(); ++r) {
    if (feedback) {
      if (feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("import cancelled"), {matrixPath});
      feedback->setProgress(double(r) / double(rows->size()), QStringLiteral("reading rows"));
    }
    const QList<QByteArray> fields = rows->at(r).split(',');
    if (std::size_t(fields.size()) > kMaxSeriesHours + 1)
      return Error(
          ErrorCode::OutOfExtent,
          QStringLiteral("the row has %1 values, more hours than a project holds (%2, 20 years)").arg(fields.size()).arg(kMaxSeriesHours),
          {matrixPath, qint64(r + 1), QStringLiteral("hour %1").arg(kMaxSeriesHours + 1)});
    auto& v = values[std::size_t(r)];
    v.reserve(std::size_t(fields.size()));
    for (qsizetype c = 0; c < fields.size(); ++c) {
      const QByteArray field = fields[c].trimmed();
      if (field.isEmpty() && c == fields.size() - 1) break;  // a trailing comma
      bool ok = false;
      const double x = field.toDouble(&ok);
      if (!ok || !std::isfinite(x))
        return Error(ErrorCode::ParseError, QStringLiteral("not a number: '%1'").arg(QString::fromUtf8(field.left(40))),
                     {matrixPath, qint64(r + 1), QStringLiteral("hour %1").arg(c + 1)});
      if (x < 0.0)
        return Error(ErrorCode::InvalidValue, QStringLiteral("negative traffic %1").arg(x),
                     {matrixPath, qint64(r + 1), QStringLiteral("hour %1").arg(c + 1)});
      if (x > kMaxTrafficValue)
        return Error(ErrorCode::InvalidValue, QStringLiteral("traffic %1 is implausibly large (the limit is 1e15)").arg(x),
                     {matrixPath, qint64(r + 1), QStringLiteral("hour %1").arg(c + 1)});
      v.push_back(float(x));
    }
    out.hours = std::max(out.hours, v.size());
  }
  for (std::size_t i = 0; i < cells.size(); ++i) {
    HourlySeries s;
    s.start = start;
    s.timeZone = QString::fromLatin1(kMilanTimeZone);
    s.unit = QStringLiteral("activity (dataset units)");
    s.values = values[i];
    if (s.values.size() == out.hours) {
      out.completeCells.push_back(cells[i]);
    } else {
      out.report << QStringLiteral("cell %1 (row %2): %3 of %4 hours; the rest is missing")
                        .arg(cells[i])
                        .arg(i + 1)
                        .arg(s.values.size())
                        .arg(out.hours);
      s.values.resize(out.hours, std::numeric_limits<float>::quiet_NaN());
    }
    out.seriesByCell.emplace(cells[i], std::move(s));
  }
  if (feedback) feedback->setProgress(1.0, QStringLiteral("done"));
  return out;
}

Result<std::map<int, HourlySeries>> importMilanRecords(const QString& path, MilanChannel channel) {
  auto lines = readLines(path);
  if (!lines) return lines.error();
  const int column = 3 + int(channel);  // 0 cellId, 1 time, 2 country, 3 smsin … 7 internet
  struct Record {
    int cell;
    qint64 ms;
    double value;
  };
  std::vector<Record> records;
  records.reserve(std::size_t(lines->size()));
  qint64 firstMs = std::numeric_limits<qint64>::max(), lastMs = -1;
  qint64 firstRow = 0, lastRow = 0;
  QSet<int> cells;
  for (qsizetype i = 0; i < lines->size(); ++i) {
    const QList<QByteArray> f = lines->at(i).split('\t');
    const qint64 row = i + 1;
    if (f.size() < 3)
      return Error(ErrorCode::MissingField, QStringLiteral("fewer than 3 fields"), {path, row, QStringLiteral("countrycode")});
    bool ok = false;
    const int cell = f[0].trimmed().toInt(&ok);
    if (!ok || cell < 1)
      return Error(ErrorCode::ParseError, QStringLiteral("not a cell id: '%1'").arg(QString::fromUtf8(f[0].left(20))),
                   {path, row, QStringLiteral("cellId")});
    const qint64 ms = f[1].trimmed().toLongLong(&ok);
    if (!ok)
      return Error(ErrorCode::ParseError, QStringLiteral("not an epoch time in ms: '%1'").arg(QString::fromUtf8(f[1].left(20))),
                   {path, row, QStringLiteral("time")});
    // The dataset is from 2013; a time before 1970 is a broken file (and would put the axis's first
    // hour after the record, by C++'s rounding of a negative remainder).
    if (ms < 0)
      return Error(ErrorCode::InvalidValue, QStringLiteral("epoch time %1 ms is before 1970").arg(ms), {path, row, QStringLiteral("time")});
    double value = 0.0;  // empty or absent: no activity on this channel
    if (column < f.size() && !f[column].trimmed().isEmpty()) {
      value = f[column].trimmed().toDouble(&ok);
      static const char* names[] = {"smsin", "smsout", "callin", "callout", "internet"};
      if (!ok || !std::isfinite(value) || value < 0.0 || value > kMaxTrafficValue)
        return Error(ErrorCode::InvalidValue,
                     QStringLiteral("not a non-negative number up to 1e15: '%1'").arg(QString::fromUtf8(f[column].left(20))),
                     {path, row, QString::fromLatin1(names[int(channel)])});
    }
    records.push_back({cell, ms, value});
    cells.insert(cell);
    if (ms < firstMs) {
      firstMs = ms;
      firstRow = row;
    }
    if (ms > lastMs) {
      lastMs = ms;
      lastRow = row;
    }
  }
  const qint64 originMs = firstMs - firstMs % kMsPerHour;  // the first record's hour (UTC)
  // Found by fuzz_milanrecords (issue 20): one time in microseconds (three more digits) made an
  // axis of 383 million hours, 6 GB for one cell, before anything was reported.
  const qint64 hours = (lastMs - originMs) / kMsPerHour + 1;
  if (hours > kMaxCells / qint64(cells.size()) || hours > qint64(kMaxSeriesHours))
    return Error(ErrorCode::OutOfExtent,
                 QStringLiteral("the records span %1 hours (%2 at row %3 to %4 at row %5) for %6 cells — more than a series holds "
                                "(20 years); is a time not in milliseconds?")
                     .arg(hours)
                     .arg(isoUtc(firstMs))
                     .arg(firstRow)
                     .arg(isoUtc(lastMs))
                     .arg(lastRow)
                     .arg(cells.size()),
                 {path, lastRow, QStringLiteral("time")});
  // Each hour is the sum over a run of one cell's records in time order, written straight into
  // the series: no buffer per cell and hour besides the series themselves (one of 16 bytes per
  // hour used to come first).
  std::stable_sort(records.begin(), records.end(),
                   [](const Record& a, const Record& b) { return a.cell != b.cell ? a.cell < b.cell : a.ms < b.ms; });
  std::map<int, HourlySeries> out;
  for (std::size_t i = 0; i < records.size();) {
    const int cell = records[i].cell;
    HourlySeries s;
    s.start = QDateTime::fromMSecsSinceEpoch(originMs, QTimeZone::utc());
    s.timeZone = QString::fromLatin1(kMilanTimeZone);
    s.unit = QStringLiteral("activity (dataset units)");
    s.values.assign(std::size_t(hours), std::numeric_limits<float>::quiet_NaN());
    while (i < records.size() && records[i].cell == cell) {
      const qint64 h = (records[i].ms - originMs) / kMsPerHour;
      double sum = 0.0;
      for (; i < records.size() && records[i].cell == cell && (records[i].ms - originMs) / kMsPerHour == h; ++i) sum += records[i].value;
      s.values[std::size_t(h)] = float(sum);
    }
    out.emplace(cell, std::move(s));
  }
  return out;
}

}  // namespace netspatial::core
