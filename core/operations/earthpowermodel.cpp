#include "core/operations/earthpowermodel.h"

#include <algorithm>
#include <cmath>

namespace netspatial::core {

double EarthPowerModel::awakeW(double utilisation) const {
  const double rho = std::clamp(utilisation, 0.0, 1.0);
  return transceivers * (staticPowerW + loadSlope * maxTransmitPowerW * rho);
}

QString EarthPowerModel::validate() const {
  if (transceivers < 1) return QStringLiteral("N_TRX must be at least 1");
  if (!(maxTransmitPowerW > 0.0) || !std::isfinite(maxTransmitPowerW)) return QStringLiteral("P_max must be > 0 W");
  if (!(staticPowerW >= 0.0) || !std::isfinite(staticPowerW)) return QStringLiteral("P0 must be ≥ 0 W");
  if (!(loadSlope >= 0.0) || !std::isfinite(loadSlope)) return QStringLiteral("Δp must be ≥ 0");
  if (!(sleepPowerW >= 0.0) || !std::isfinite(sleepPowerW)) return QStringLiteral("P_sleep must be ≥ 0 W");
  if (sleepPowerW > staticPowerW) return QStringLiteral("P_sleep (%1 W) must not exceed P0 (%2 W)").arg(sleepPowerW).arg(staticPowerW);
  return {};
}

EarthPowerModel EarthPowerModel::macro() { return {6, 20.0, 130.0, 4.7, 75.0}; }
EarthPowerModel EarthPowerModel::micro() { return {2, 6.3, 56.0, 2.6, 39.0}; }

EarthPowerModel EarthPowerModel::forType(StationType type) { return type == StationType::Micro ? micro() : macro(); }

QString EarthPowerModel::source() {
  return QStringLiteral(
      "EARTH power model: G. Auer et al., \"How much energy is needed to run a wireless network?\", "
      "IEEE Wireless Communications 18(5), 2011, Table 2");
}

}  // namespace netspatial::core
