#pragma once

// Everything an operations study is run with (DESIGN.md §9), as one value: what the operations
// panel edits, the CLI parses and the project stores.

#include "core/operations/earthpowermodel.h"
#include "core/operations/loadbalancer.h"
#include "core/operations/papermode.h"
#include "core/operations/sleepstudy.h"

#include <QString>

namespace netspatial::core {

enum class StationScope { All, Selection, Zone };

struct OperationsSettings {
  StationScope scope = StationScope::All;
  qint64 zoneId = -1;    //!< StationScope::Zone
  int horizonWeeks = 4;  //!< forecast and evaluated period, 1–4 weeks (the generator's 672 h at most)
  int forecastSamples = 8;
  quint64 seed = 1;
  EarthPowerModel macro = EarthPowerModel::macro();
  EarthPowerModel micro = EarthPowerModel::micro();
  //! Where a station has no capacity (an imported network), capacity = its observed peak over the
  //! history weeks × this factor.
  double capacityFromPeakFactor = 1.25;
  SleepStudyOptions sleep;
  PaperModeOptions paper;
  BalanceOptions balance;
};

}  // namespace netspatial::core
