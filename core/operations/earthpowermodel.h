#pragma once

// The EARTH base-station power model (Auer et al., "How much energy is needed to run a wireless
// network?", IEEE Wireless Communications 18(5), 2011, Table 2): input power grows linearly with the
// radiated power, P_in = N_TRX (P0 + Δp P_max ρ) for a load ρ in (0, 1], and drops to N_TRX P_sleep
// when the station sleeps. DESIGN.md §9.

#include "core/scenario/taxonomy.h"

#include <QString>

namespace netspatial::core {

struct EarthPowerModel {
  int transceivers = 6;             //!< N_TRX
  double maxTransmitPowerW = 20.0;  //!< P_max per transceiver
  double staticPowerW = 130.0;      //!< P0 per transceiver (load-independent share)
  double loadSlope = 4.7;           //!< Δp
  double sleepPowerW = 75.0;        //!< P_sleep per transceiver

  //! Input power at utilisation ρ (clamped to [0, 1]); an awake station with no load draws N P0.
  double awakeW(double utilisation) const;
  double sleepW() const { return transceivers * sleepPowerW; }
  double fullLoadW() const { return awakeW(1.0); }
  //! What each unit of utilisation costs: N Δp P_max.
  double wattsPerUtilisation() const { return transceivers * loadSlope * maxTransmitPowerW; }
  //! Empty when every parameter is usable, else what is wrong ("P_sleep must be ≥ 0").
  QString validate() const;

  static EarthPowerModel macro();  //!< 6 TRX, 20 W, 130 W, 4.7, 75 W
  static EarthPowerModel micro();  //!< 2 TRX, 6.3 W, 56 W, 2.6, 39 W
  static EarthPowerModel forType(StationType type);
  //! The citation shown beside the parameters.
  static QString source();
};

}  // namespace netspatial::core
