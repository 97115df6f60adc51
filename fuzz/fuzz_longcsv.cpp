// Fuzzes importLongCsvTraffic: observed traffic as a long CSV (site_id, timestamp, value).
//
// The options come from the input's size (bits of size % 32), so that every mode of the parser is
// reached and a saved finding replays with the same options: skip bad rows; a local time zone
// (Europe/Rome, with its DST gaps and folds); sub-hourly aggregation (sum or mean, at least one or
// two samples an hour); a list of known sites.

#include "core/traffic/longcsvimport.h"
#include "core/traffic/trafficlimits.h"
#include "fuzz/fuzzsupport.h"

#include <cmath>

using namespace netspatial;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::initialise();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const QString path = fuzz::writeScratchFile(QStringLiteral("traffic.csv"), fuzz::bytes(data, size));
  const unsigned mode = unsigned(size % 32);
  core::LongCsvOptions options;
  options.skipBadRows = mode & 1;
  if (mode & 2) options.timeZone = QStringLiteral("Europe/Rome");
  if (mode & 4) {
    options.subHourly = (mode & 8) ? core::Aggregation::Sum : core::Aggregation::Mean;
    options.minSamplesPerHour = (mode & 16) ? 2 : 1;
  } else if (mode & 8) {
    options.knownSites = std::set<QString>{QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("101")};
  }
  auto result = core::importLongCsvTraffic(path, options);
  if (!result) return fuzz::note(result.error().toString()), 0;

  // What the header promises: one common hourly UTC axis, NaN for gaps, values in [0, 1e15]
  // (sums of sub-hourly values may exceed the bound, never reach infinity).
  const core::HourlyTraffic& t = result->traffic;
  if (!t.start.isValid() || t.start.toMSecsSinceEpoch() % 3'600'000 != 0)
    fuzz::violated("longcsv", QStringLiteral("the axis does not start on a UTC hour: %1").arg(t.start.toString(Qt::ISODateWithMs)));
  if (t.valuesBySite.empty()) fuzz::violated("longcsv", QStringLiteral("a successful import with no site"));
  const std::size_t hours = t.valuesBySite.begin()->second.size();
  if (hours == 0) fuzz::violated("longcsv", QStringLiteral("a site with no hour"));
  for (const auto& [site, values] : t.valuesBySite) {
    if (site.isEmpty()) fuzz::violated("longcsv", QStringLiteral("an empty site id"));
    if (options.knownSites && !options.knownSites->count(site))
      fuzz::violated("longcsv", QStringLiteral("unknown site '%1' accepted").arg(site));
    if (values.size() != hours)
      fuzz::violated("longcsv", QStringLiteral("site '%1' has %2 hours, another %3").arg(site).arg(values.size()).arg(hours));
    for (float v : values) {
      if (std::isnan(v)) continue;
      if (v < 0.0f || std::isinf(v) || (!options.subHourly && double(v) > core::kMaxTrafficValue * 1.0000001))
        fuzz::violated("longcsv", QStringLiteral("site '%1' holds %2").arg(site).arg(double(v)));
    }
  }
  if (qsizetype(result->rowsRead) < result->skippedRows.size()) fuzz::violated("longcsv", QStringLiteral("more rows skipped than read"));
  if (!options.skipBadRows && !result->skippedRows.isEmpty()) fuzz::violated("longcsv", QStringLiteral("rows skipped without skipBadRows"));
  return 0;
}
