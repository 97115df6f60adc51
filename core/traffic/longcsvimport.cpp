#include "core/traffic/longcsvimport.h"

#include "core/traffic/trafficlimits.h"

#include <QDate>
#include <QFile>
#include <QTimeZone>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace netspatial::core {

namespace {

constexpr qint64 kMsPerHour = 3'600'000;
// Beyond this many cells (sites × hours, 4 bytes each) the span is almost surely a typo in a
// year, and allocating it would take the machine down rather than report the row.
constexpr qint64 kMaxCells = 400'000'000;
// The file is read into memory (a mapping would die of SIGBUS if another program truncated the
// file while it is read); beyond this it is refused.
constexpr qint64 kMaxFileBytes = qint64(4) << 30;

bool isBlank(char c) { return c == ' ' || c == '\t'; }

QByteArrayView trimmed(QByteArrayView v) {
  qsizetype b = 0, e = v.size();
  while (b < e && isBlank(v[b])) ++b;
  while (e > b && isBlank(v[e - 1])) --e;
  return v.sliced(b, e - b);
}

//! A field as a message shows it: at most `maxChars` characters, control characters visible
//! (a NUL byte as \0, others as \xHH) so that what the user sees is what the file holds.
QString text(QByteArrayView v, qsizetype maxChars = 40) {
  const QString s = QString::fromUtf8(v.first(std::min<qsizetype>(v.size(), 4 * maxChars)));
  QString out;
  for (QChar c : s) {
    if (out.size() >= maxChars) return out + QStringLiteral("…");
    if (c.unicode() == 0)
      out += QStringLiteral("\\0");
    else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
      out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
    else
      out += c;
  }
  return out;
}

//! RFC 4180 record reader over bytes in memory. Fields are views into the input, or into its own
//! storage when a quoted field had to be unescaped; they stay valid until the next call.
class CsvReader {
 public:
  enum class Next { Record, End, UnterminatedQuote };

  CsvReader(const char* begin, const char* end) : m_p(begin), m_end(end), m_begin(begin) {}

  Next next() {
    m_fields.clear();
    m_used = 0;
    m_blank = true;
    m_recordLine = m_line;
    if (m_p >= m_end) return Next::End;
    for (;;) {
      while (m_p < m_end && isBlank(*m_p)) ++m_p;
      if (m_p < m_end && *m_p == '"') {
        m_blank = false;
        if (!readQuoted()) return Next::UnterminatedQuote;
      } else {
        const char* start = m_p;
        while (m_p < m_end && *m_p != ',' && *m_p != '\n' && *m_p != '\r') ++m_p;
        const QByteArrayView f = trimmed(QByteArrayView(start, m_p - start));
        if (!f.isEmpty()) m_blank = false;
        m_fields.push_back(f);
      }
      if (m_p < m_end && *m_p == ',') {
        m_blank = false;
        ++m_p;
        continue;
      }
      endLine();
      return Next::Record;
    }
  }

  const std::vector<QByteArrayView>& fields() const { return m_fields; }
  //! A line with nothing but white space: not a record.
  bool isBlankLine() const { return m_blank; }
  //! 1-based line on which the record starts.
  qint64 line() const { return m_recordLine; }
  qint64 position() const { return m_p - m_begin; }

 private:
  void endLine() {
    if (m_p < m_end && *m_p == '\r') ++m_p;
    if (m_p < m_end && *m_p == '\n') ++m_p;
    ++m_line;
  }

  bool readQuoted() {
    ++m_p;  // the opening quote
    const char* start = m_p;
    std::string* unescaped = nullptr;
    for (;;) {
      const char* q = m_p;
      while (q < m_end && *q != '"') {
        if (*q == '\n' || (*q == '\r' && (q + 1 >= m_end || q[1] != '\n'))) ++m_line;
        ++q;
      }
      if (q >= m_end) return false;
      if (q + 1 < m_end && q[1] == '"') {  // "" is a literal quote: the field needs its own copy
        if (!unescaped) {
          unescaped = &buffer();
          unescaped->assign(start, q + 1);
        } else {
          unescaped->append(m_p, q + 1);
        }
        m_p = q + 2;
        continue;
      }
      if (unescaped) unescaped->append(m_p, q);
      const char* stop = q;
      m_p = q + 1;
      // Tolerate text between the closing quote and the separator (not RFC 4180, but common):
      // it is kept as part of the field rather than silently dropped.
      const char* tail = m_p;
      while (m_p < m_end && *m_p != ',' && *m_p != '\n' && *m_p != '\r') ++m_p;
      const QByteArrayView extra = trimmed(QByteArrayView(tail, m_p - tail));
      if (!extra.isEmpty()) {
        if (!unescaped) {
          unescaped = &buffer();
          unescaped->assign(start, stop);
        }
        unescaped->append(extra.data(), std::size_t(extra.size()));
      }
      m_fields.push_back(unescaped ? QByteArrayView(unescaped->data(), qsizetype(unescaped->size())) : QByteArrayView(start, stop - start));
      return true;
    }
  }

  std::string& buffer() {
    // A deque never moves its elements, so views into earlier buffers of this record stay valid.
    if (m_used == m_buffers.size()) m_buffers.emplace_back();
    return m_buffers[m_used++];
  }

  const char* m_p;
  const char* m_end;
  const char* m_begin;
  qint64 m_line = 1;
  qint64 m_recordLine = 1;
  bool m_blank = true;
  std::vector<QByteArrayView> m_fields;
  std::deque<std::string> m_buffers;
  std::size_t m_used = 0;
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d) {
  y -= m <= 2;
  const qint64 era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + qint64(doe) - 719468;
}

qint64 floorDiv(qint64 a, qint64 b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct ParsedTime {
  qint64 localMs = 0;  //!< the wall-clock fields as if they were UTC
  bool hasOffset = false;
  int offsetSecs = 0;
};

//! Fixed-field ISO 8601 parse; QDateTime::fromString per row is several times slower and accepts
//! less than people export (a space instead of 'T', "+0100").
bool parseTimestamp(QByteArrayView s, ParsedTime& out) {
  qsizetype i = 0;
  const qsizetype n = s.size();
  const auto digits = [&](int count, int& value) {
    if (i + count > n) return false;
    value = 0;
    for (int k = 0; k < count; ++k) {
      const char c = s[i + k];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    i += count;
    return true;
  };
  const auto expect = [&](char c) {
    if (i < n && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0;
  if (!digits(4, year) || !expect('-') || !digits(2, month) || !expect('-') || !digits(2, day)) return false;
  if (!(expect('T') || expect('t') || expect(' '))) return false;
  if (!digits(2, hour) || !expect(':') || !digits(2, minute)) return false;
  if (expect(':')) {
    if (!digits(2, second)) return false;
    if (expect('.') || expect(',')) {
      int scale = 100, count = 0;
      while (i < n && s[i] >= '0' && s[i] <= '9') {
        ms += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
        ++count;
      }
      if (count == 0) return false;
    }
  }
  if (!QDate::isValid(year, month, day) || hour > 23 || minute > 59 || second > 59) return false;
  if (i < n && s[i] == ' ') ++i;  // "2024-01-01 10:00 +01:00"
  out.hasOffset = false;
  out.offsetSecs = 0;
  if (i < n) {
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
      out.hasOffset = true;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i] == '-' ? -1 : 1;
      ++i;
      int oh = 0, om = 0;
      if (!digits(2, oh)) return false;
      if (i < n) {
        expect(':');
        if (!digits(2, om)) return false;
      }
      if (oh > 18 || om > 59) return false;
      out.hasOffset = true;
      out.offsetSecs = sign * (oh * 3600 + om * 60);
    }
  }
  if (i != n) return false;
  out.localMs = (daysFromCivil(year, unsigned(month), unsigned(day)) * 86400 + hour * 3600 + minute * 60 + second) * 1000 + ms;
  return true;
}

//! How a wall-clock time maps to UTC in one zone.
struct LocalResolution {
  enum Kind { Unique, Gap, Ambiguous } kind = Unique;
  qint64 utcMs = 0;
};

LocalResolution resolveLocal(const QTimeZone& zone, qint64 localMs) {
  // Whatever offset applies must be one in force near this wall time; the offsets a day either
  // side (and at the time itself) cover any single transition. A candidate is real when the zone
  // agrees that instant has that offset: none = the clocks skipped it, two = it happened twice.
  // (Qt 6.4 has no API that reports gaps and folds; QDateTime silently picks one.)
  const qint64 localSecs = floorDiv(localMs, 1000);
  int offsets[3];
  const qint64 probes[3] = {localSecs - 86400, localSecs, localSecs + 86400};
  for (int k = 0; k < 3; ++k) offsets[k] = zone.offsetFromUtc(QDateTime::fromSecsSinceEpoch(probes[k], QTimeZone::utc()));
  std::vector<qint64> instants;
  for (int o : offsets) {
    const qint64 u = localSecs - o;
    if (zone.offsetFromUtc(QDateTime::fromSecsSinceEpoch(u, QTimeZone::utc())) != o) continue;
    if (std::find(instants.begin(), instants.end(), u) == instants.end()) instants.push_back(u);
  }
  LocalResolution r;
  if (instants.empty()) {
    r.kind = LocalResolution::Gap;
  } else if (instants.size() > 1) {
    r.kind = LocalResolution::Ambiguous;
  } else {
    r.utcMs = localMs - (localSecs - instants.front()) * 1000;
  }
  return r;
}

struct Observation {
  int site;
  qint64 utcMs;
  double value;  //!< NaN: the row says the hour is missing (empty value)
};

struct SiteTimeKey {
  int site;
  qint64 utcMs;
  bool operator==(const SiteTimeKey&) const = default;
};

struct SiteTimeHash {
  // Unsigned: the product wraps by definition (a time after 2262 overflows a signed one, which is
  // undefined behaviour).
  std::size_t operator()(const SiteTimeKey& k) const noexcept {
    return std::hash<std::uint64_t>()(std::uint64_t(k.utcMs) * 1000003u + std::uint64_t(std::uint32_t(k.site)));
  }
};

//! A problem with one row: an Error, or a line of the skip report.
struct RowProblem {
  ErrorCode code;
  QString message;
  QString field;
};

}  // namespace

Result<LongCsvTraffic> importLongCsvTraffic(const QString& path, const LongCsvOptions& options, Feedback* feedback) {
  QTimeZone zone;
  if (!options.timeZone.isEmpty()) {
    zone = QTimeZone(options.timeZone.toUtf8());
    if (!zone.isValid()) return Error(ErrorCode::InvalidArgument, QStringLiteral("unknown time zone '%1'").arg(options.timeZone), {path});
  }
  if (options.subHourly && options.minSamplesPerHour < 1)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("minSamplesPerHour must be ≥ 1"), {path});

  QFile file(path);
  if (!file.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {path});
  if (!file.open(QIODevice::ReadOnly)) return Error(ErrorCode::Io, file.errorString(), {path});
  if (file.size() > kMaxFileBytes)
    return Error(ErrorCode::OutOfExtent,
                 QStringLiteral("the file has %1 bytes, more than the %2 GiB this import reads; split it by site or period")
                     .arg(file.size())
                     .arg(kMaxFileBytes >> 30),
                 {path});
  // Read, not memory-mapped: a mapped file that another program truncates kills the process
  // with SIGBUS. What was read is what is parsed, even if the file changes meanwhile.
  const QByteArray owned = file.readAll();
  if (file.error() != QFileDevice::NoError)
    return Error(ErrorCode::Io, QStringLiteral("could not read the file: %1").arg(file.errorString()), {path});
  const qint64 size = owned.size();
  const char* begin = size > 0 ? owned.constData() : nullptr;
  const char* end = begin ? begin + size : nullptr;
  if (begin && size >= 3 && uchar(begin[0]) == 0xEF && uchar(begin[1]) == 0xBB && uchar(begin[2]) == 0xBF) begin += 3;

  CsvReader reader(begin, end);
  const auto unterminated = [&]() {
    return Error(ErrorCode::ParseError, QStringLiteral("a quoted field is never closed (missing '\"')"), {path, reader.line(), {}});
  };

  // Header: the first non-blank line.
  CsvReader::Next next;
  while ((next = reader.next()) == CsvReader::Next::Record && reader.isBlankLine()) {
  }
  if (next == CsvReader::Next::UnterminatedQuote) return unterminated();
  if (next == CsvReader::Next::End)
    return Error(ErrorCode::CorruptData, QStringLiteral("the file is empty (no header, no data rows)"), {path});
  const qint64 headerLine = reader.line();
  const QString columnNames[3] = {QStringLiteral("site_id"), QStringLiteral("timestamp"), QStringLiteral("value")};
  qsizetype column[3] = {-1, -1, -1};
  QStringList found;
  for (qsizetype c = 0; c < qsizetype(reader.fields().size()); ++c) {
    const QString name = QString::fromUtf8(reader.fields()[std::size_t(c)].data(), reader.fields()[std::size_t(c)].size()).trimmed();
    found << name;
    for (int k = 0; k < 3; ++k) {
      if (name.compare(columnNames[k], Qt::CaseInsensitive) != 0) continue;
      if (column[k] >= 0)
        return Error(ErrorCode::CorruptData, QStringLiteral("the header names column '%1' twice").arg(columnNames[k]),
                     {path, headerLine, columnNames[k]});
      column[k] = c;
    }
  }
  for (int k = 0; k < 3; ++k)
    if (column[k] < 0)
      return Error(ErrorCode::MissingField,
                   QStringLiteral("the header has no column '%1' (it has: %2; needed: site_id, timestamp, value)")
                       .arg(columnNames[k], found.join(QStringLiteral(", "))),
                   {path, headerLine, columnNames[k]});
  const qsizetype neededFields = std::max({column[0], column[1], column[2]}) + 1;
  const qsizetype headerFields = qsizetype(reader.fields().size());

  LongCsvTraffic out;
  out.timeZone = options.timeZone.isEmpty() ? QStringLiteral("UTC") : options.timeZone;

  std::vector<Observation> observations;
  observations.reserve(std::size_t(size / 24 + 16));
  std::unordered_map<SiteTimeKey, qint64, SiteTimeHash> firstLineOf;  // (site, instant) → row that has it
  firstLineOf.reserve(std::size_t(size / 24 + 16));
  std::unordered_map<std::string, int> siteIndex;
  std::vector<QString> siteIds;
  std::vector<char> siteKnown;
  std::string key;
  int lastSite = -1;
  std::string lastSiteKey;
  std::unordered_map<qint64, LocalResolution> localCache;
  qint64 lastLocalMs = std::numeric_limits<qint64>::min();
  LocalResolution lastLocal;
  qint64 minMs = std::numeric_limits<qint64>::max(), maxMs = std::numeric_limits<qint64>::min();
  qint64 minLine = 0, maxLine = 0;

  const auto problemAt = [&](const RowProblem& p, qint64 line) { return Error(p.code, p.message, {path, line, p.field}); };

  // Parses one data row into `observations`; returns the first problem with it, if any.
  const auto readRow = [&](const std::vector<QByteArrayView>& fields, qint64 line) -> std::optional<RowProblem> {
    if (qsizetype(fields.size()) < neededFields) {
      for (int k = 0; k < 3; ++k)
        if (column[k] >= qsizetype(fields.size()))
          return RowProblem{ErrorCode::MissingField,
                            QStringLiteral("the row has %1 fields; the header has %2").arg(fields.size()).arg(neededFields),
                            columnNames[k]};
    }
    // More fields than the header names is not noise to ignore: "S1,2025-…,4,5" is most often a
    // decimal comma, and reading it as 4 would be silently wrong.
    if (qsizetype(fields.size()) > headerFields &&
        std::any_of(fields.begin() + headerFields, fields.end(), [](QByteArrayView f) { return !trimmed(f).isEmpty(); }))
      return RowProblem{ErrorCode::ParseError,
                        QStringLiteral("the row has %1 fields; the header has %2 (a decimal comma? quote such values)")
                            .arg(fields.size())
                            .arg(headerFields),
                        QString()};
    // Site: rows usually come grouped by site, so the previous one is tried before the map.
    const QByteArrayView siteText = fields[std::size_t(column[0])];
    if (siteText.isEmpty()) return RowProblem{ErrorCode::MissingField, QStringLiteral("no site id"), columnNames[0]};
    int site = -1;
    if (lastSite >= 0 && QByteArrayView(lastSiteKey.data(), qsizetype(lastSiteKey.size())) == siteText) {
      site = lastSite;
    } else {
      key.assign(siteText.data(), std::size_t(siteText.size()));
      auto it = siteIndex.find(key);
      if (it == siteIndex.end()) {
        const QString id = QString::fromUtf8(siteText.data(), siteText.size());
        it = siteIndex.emplace(key, int(siteIds.size())).first;
        siteIds.push_back(id);
        siteKnown.push_back(!options.knownSites || options.knownSites->count(id) > 0);
      }
      site = it->second;
      lastSite = site;
      lastSiteKey = key;
    }
    if (!siteKnown[std::size_t(site)])
      return RowProblem{ErrorCode::InvalidValue, QStringLiteral("unknown site id '%1'").arg(text(siteText)), columnNames[0]};

    // Time.
    const QByteArrayView timeText = fields[std::size_t(column[1])];
    if (timeText.isEmpty()) return RowProblem{ErrorCode::MissingField, QStringLiteral("no timestamp"), columnNames[1]};
    ParsedTime t;
    if (!parseTimestamp(timeText, t))
      return RowProblem{
          ErrorCode::ParseError,
          QStringLiteral("not a timestamp: '%1' (expected yyyy-MM-ddTHH:mm[:ss] with Z or ±HH:MM, or local time with a time zone given)")
              .arg(text(timeText)),
          columnNames[1]};
    qint64 utcMs = 0;
    if (t.hasOffset) {
      utcMs = t.localMs - qint64(t.offsetSecs) * 1000;
    } else {
      if (!zone.isValid())
        return RowProblem{ErrorCode::MissingField,
                          QStringLiteral("timestamp '%1' has no zone or UTC offset, and no time zone was given").arg(text(timeText)),
                          columnNames[1]};
      if (t.localMs != lastLocalMs) {
        auto it = localCache.find(t.localMs);
        if (it == localCache.end()) it = localCache.emplace(t.localMs, resolveLocal(zone, t.localMs)).first;
        lastLocalMs = t.localMs;
        lastLocal = it->second;
      }
      if (lastLocal.kind == LocalResolution::Gap)
        return RowProblem{ErrorCode::InvalidValue,
                          QStringLiteral("local time '%1' does not exist in %2 (the clocks jump forward then); give it with a UTC offset")
                              .arg(text(timeText), options.timeZone),
                          columnNames[1]};
      if (lastLocal.kind == LocalResolution::Ambiguous)
        return RowProblem{ErrorCode::InvalidValue,
                          QStringLiteral("local time '%1' occurs twice in %2 (the clocks go back then); give it with a UTC offset")
                              .arg(text(timeText), options.timeZone),
                          columnNames[1]};
      utcMs = lastLocal.utcMs;
    }
    if (!options.subHourly && utcMs % kMsPerHour != 0)
      return RowProblem{
          ErrorCode::InvalidValue,
          QStringLiteral("timestamp '%1' (%2 UTC) is not on the hour; enable sub-hourly aggregation to sum or average it into hours")
              .arg(text(timeText), QDateTime::fromMSecsSinceEpoch(utcMs, QTimeZone::utc()).toString(QStringLiteral("HH:mm:ss"))),
          columnNames[1]};

    // Value. An empty value is a row that says "this hour is missing": NaN, like the scenario
    // store's own NULL values — the row still occupies its (site, time).
    const QByteArrayView valueText = fields[std::size_t(column[2])];
    double value = std::numeric_limits<double>::quiet_NaN();
    if (!valueText.isEmpty()) {
      const char* first = valueText.data();
      const char* last = first + valueText.size();
      if (first < last && *first == '+') ++first;
      const auto [ptr, ec] = std::from_chars(first, last, value);
      if (ec == std::errc::result_out_of_range)
        return RowProblem{ErrorCode::InvalidValue, QStringLiteral("value '%1' is out of range").arg(text(valueText)), columnNames[2]};
      if (ec != std::errc() || ptr != last || first == last)
        return RowProblem{ErrorCode::ParseError, QStringLiteral("not a number: '%1'").arg(text(valueText)), columnNames[2]};
      if (!std::isfinite(value))
        return RowProblem{ErrorCode::InvalidValue,
                          QStringLiteral("not a finite number: '%1' (leave the row out for a missing hour)").arg(text(valueText)),
                          columnNames[2]};
      if (value < 0.0)
        return RowProblem{ErrorCode::InvalidValue, QStringLiteral("negative traffic %1").arg(text(valueText)), columnNames[2]};
      if (value > kMaxTrafficValue)
        return RowProblem{ErrorCode::InvalidValue,
                          QStringLiteral("value %1 is implausibly large (the limit is 1e15 in any unit)").arg(text(valueText)),
                          columnNames[2]};
    }

    const auto [it, inserted] = firstLineOf.emplace(SiteTimeKey{site, utcMs}, line);
    if (!inserted)
      return RowProblem{ErrorCode::InvalidValue,
                        QStringLiteral("duplicate: site '%1' already has a value at %2 (row %3)")
                            .arg(text(siteText), QDateTime::fromMSecsSinceEpoch(utcMs, QTimeZone::utc()).toString(Qt::ISODateWithMs))
                            .arg(it->second),
                        columnNames[1]};
    observations.push_back({site, utcMs, value});
    if (utcMs < minMs) {
      minMs = utcMs;
      minLine = line;
    }
    if (utcMs > maxMs) {
      maxMs = utcMs;
      maxLine = line;
    }
    return std::nullopt;
  };

  // Data rows.
  const double totalBytes = double(std::max<qint64>(1, qint64(end - begin)));
  for (;;) {
    next = reader.next();
    if (next == CsvReader::Next::End) break;
    if (next == CsvReader::Next::UnterminatedQuote) return unterminated();
    if (reader.isBlankLine()) continue;
    ++out.rowsRead;
    if (feedback && out.rowsRead % 16384 == 0) {
      if (feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("import cancelled"), {path});
      feedback->setProgress(0.9 * double(reader.position()) / totalBytes, QStringLiteral("reading rows"));
    }
    if (auto problem = readRow(reader.fields(), reader.line())) {
      if (!options.skipBadRows) return problemAt(*problem, reader.line());
      out.skippedRows << Error(problem->code, problem->message, {QString(), reader.line(), problem->field}).toString();
    }
  }
  if (out.rowsRead == 0) return Error(ErrorCode::CorruptData, QStringLiteral("no data rows after the header"), {path});
  if (observations.empty())
    return Error(
        ErrorCode::CorruptData,
        QStringLiteral("no usable rows: all %1 data rows were skipped (first: %2)").arg(out.rowsRead).arg(out.skippedRows.value(0)),
        {path});

  // One hourly UTC axis for every site, from the earliest to the latest hour.
  const qint64 firstHourMs = floorDiv(minMs, kMsPerHour) * kMsPerHour;
  const qint64 lastHourMs = floorDiv(maxMs, kMsPerHour) * kMsPerHour;
  const qint64 hours = (lastHourMs - firstHourMs) / kMsPerHour + 1;
  std::vector<char> siteUsed(siteIds.size(), 0);
  for (const Observation& o : observations) siteUsed[std::size_t(o.site)] = 1;
  const qint64 sitesUsed = std::count(siteUsed.begin(), siteUsed.end(), 1);
  if (hours > qint64(kMaxSeriesHours) || hours > kMaxCells / std::max<qint64>(1, sitesUsed))
    return Error(ErrorCode::OutOfExtent,
                 QStringLiteral("the timestamps span %1 hours (%2 at row %3 to %4 at row %5) for %6 sites — more than a project holds "
                                "(%7 hours, 20 years, and %8 site-hours); is a year mistyped?")
                     .arg(hours)
                     .arg(QDateTime::fromMSecsSinceEpoch(minMs, QTimeZone::utc()).toString(Qt::ISODate))
                     .arg(minLine)
                     .arg(QDateTime::fromMSecsSinceEpoch(maxMs, QTimeZone::utc()).toString(Qt::ISODate))
                     .arg(maxLine)
                     .arg(sitesUsed)
                     .arg(kMaxSeriesHours)
                     .arg(kMaxCells),
                 {path, maxLine, columnNames[1]});
  if (feedback) {
    if (feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("import cancelled"), {path});
    feedback->setProgress(0.9, QStringLiteral("building hourly series"));
  }

  out.traffic.start = QDateTime::fromMSecsSinceEpoch(firstHourMs, QTimeZone::utc());
  const float nan = std::numeric_limits<float>::quiet_NaN();
  if (!options.subHourly) {
    std::vector<std::vector<float>*> series(siteIds.size(), nullptr);
    for (std::size_t s = 0; s < siteIds.size(); ++s)
      if (siteUsed[s]) {
        auto& v = out.traffic.valuesBySite[siteIds[s]];
        v.assign(std::size_t(hours), nan);
        series[s] = &v;
      }
    for (const Observation& o : observations)
      (*series[std::size_t(o.site)])[std::size_t((o.utcMs - firstHourMs) / kMsPerHour)] = float(o.value);
  } else {
    // The same rules as aggregateToHourly, by using it: what counts as a sample, a missing hour.
    std::vector<std::vector<TimedValue>> samples(siteIds.size());
    for (const Observation& o : observations)
      samples[std::size_t(o.site)].push_back({QDateTime::fromMSecsSinceEpoch(o.utcMs, QTimeZone::utc()), o.value});
    for (std::size_t s = 0; s < siteIds.size(); ++s) {
      if (!siteUsed[s]) continue;
      auto hourly =
          aggregateToHourly(samples[s], out.traffic.start, std::size_t(hours), *options.subHourly, options.minSamplesPerHour, out.timeZone);
      if (!hourly) return hourly.error().withFile(path);
      out.traffic.valuesBySite[siteIds[s]] = std::move(hourly->values);
    }
  }
  if (feedback) feedback->setProgress(1.0, QStringLiteral("done"));
  return out;
}

}  // namespace netspatial::core
