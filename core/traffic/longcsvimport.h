#pragma once

// Importer for observed traffic in "long" CSV form: one row per (site, time, value), the shape most
// operators and open datasets export. Every site lands on one common hourly UTC axis; hours without
// a row are NaN (explicit gaps, never zeros).

#include "core/scenario/scenario.h"
#include "core/traffic/hourlyseries.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <optional>
#include <set>

namespace netspatial::core {

struct LongCsvOptions {
  //! IANA id. Timestamps without 'Z' or a ±HH:MM offset are local times in this zone, and it is
  //! recorded as the series' local zone. Empty: such timestamps are errors.
  QString timeZone;
  //! When set, a site id outside it is an error ("unknown site id 'X'").
  std::optional<std::set<QString>> knownSites;
  //! When true, bad rows are skipped and each one is listed in LongCsvTraffic::skippedRows instead
  //! of failing the import. Problems with the file itself (header, encoding of quotes, no usable
  //! rows) still fail.
  bool skipBadRows = false;
  //! Unset: a timestamp that is not on a UTC hour is an error. Sum/Mean: observations are
  //! aggregated into the UTC hour [HH:00, HH+1:00) that contains them, with the rules of
  //! aggregateToHourly (an hour with fewer than `minSamplesPerHour` observations is NaN).
  std::optional<Aggregation> subHourly;
  int minSamplesPerHour = 1;  //!< only used with `subHourly`
};

struct LongCsvTraffic {
  HourlyTraffic traffic;     //!< start = earliest hour (UTC); every site has the same length
  QString timeZone;          //!< options.timeZone, or "UTC" when none was given
  QStringList skippedRows;   //!< one line per skipped row: "row 7, field 'value': not a number: 'n/a'"
  std::size_t rowsRead = 0;  //!< data rows read (blank lines not counted), skipped ones included
};

//! Reads a comma-separated file whose header names the columns `site_id`, `timestamp` and `value`
//! (any order, case-insensitive; other columns are ignored). RFC 4180 quoting, UTF-8 with an
//! optional BOM; blank lines are ignored.
//!
//! Timestamps: `yyyy-MM-ddTHH:mm[:ss[.fff]]` (or a space instead of 'T') followed by 'Z', ±HH:MM,
//! ±HHMM or ±HH; or the same without a zone, read in `options.timeZone`. A local time that does not
//! exist (spring-forward gap) or occurs twice (fall-back) is an error: the row cannot be placed on
//! the UTC axis without guessing.
//!
//! Errors carry the file, the row and the field (the column name). Rows are numbered as the lines
//! of the file, 1-based, the header being row 1 — what an editor or a spreadsheet shows; a quoted
//! field spanning lines is numbered by the line it starts on. Codes:
//!  - MissingField: a required column absent from the header (row 1), a row with too few fields or
//!    an empty site_id/timestamp/value, a timestamp without zone when no time zone was given;
//!  - ParseError: a value that is not a number, an unparsable timestamp, an unterminated quote;
//!  - InvalidValue: a negative, NaN or infinite value; a timestamp not on the hour (without
//!    `subHourly`), in a DST gap or ambiguous; a duplicate (site, time); an unknown site id;
//!  - CorruptData: no data rows (no row, file-level), or every row skipped;
//!  - InvalidArgument: an unknown `options.timeZone`; FileNotFound, Io, Cancelled.
Result<LongCsvTraffic> importLongCsvTraffic(const QString& path, const LongCsvOptions& options = {}, Feedback* feedback = nullptr);

}  // namespace netspatial::core
