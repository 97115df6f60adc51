// Fuzzes importMilanRecords: the original 10-minute records of the Telecom Italia Milan dataset
// (tab-separated cellId, epoch ms, country code, smsin, smsout, callin, callout, internet).
//
// The channel read is the input's size modulo 5: every column is reached, and a finding replays
// with the same channel from the saved input alone.

#include "core/traffic/milanimport.h"
#include "core/traffic/trafficlimits.h"
#include "fuzz/fuzzsupport.h"

#include <cmath>

using namespace netspatial;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::initialise();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const QString path = fuzz::writeScratchFile(QStringLiteral("sms-call-internet-mi.txt"), fuzz::bytes(data, size));
  const auto channel = core::MilanChannel(size % 5);
  auto result = core::importMilanRecords(path, channel);
  if (!result) return fuzz::note(result.error().toString()), 0;
  // Every cell on one axis; sums of values within the 1e15 bound may exceed it (six intervals
  // and several country codes an hour), but never reach infinity or go negative.
  std::size_t length = 0;
  for (const auto& [cell, series] : *result) {
    if (length == 0) length = series.values.size();
    if (series.values.size() != length)
      fuzz::violated("milanrecords", QStringLiteral("cell %1 has %2 hours, another %3").arg(cell).arg(series.values.size()).arg(length));
    if (!series.start.isValid()) fuzz::violated("milanrecords", QStringLiteral("cell %1 has no start").arg(cell));
    for (float v : series.values)
      if (!std::isnan(v) && (v < 0.0f || std::isinf(v)))
        fuzz::violated("milanrecords", QStringLiteral("cell %1 holds %2").arg(cell).arg(double(v)));
  }
  return 0;
}
