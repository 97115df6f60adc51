#include "ui/scenario/scenariolayer.h"

namespace netspatial::ui {

ScenarioLayer::ScenarioLayer(QString name, QString file, core::Crs crs, core::Extent extent)
    : MapLayer(std::move(name), std::move(file)), m_crs(std::move(crs)), m_extent(extent) {}

core::Status ScenarioLayer::setMapCrs(const core::Crs& mapCrs) {
  if (!m_crs.isValid()) return core::Error(core::ErrorCode::UnknownCrs, QStringLiteral("the scenario has no CRS"), {file()});
  if (!(mapCrs == m_crs))
    return core::Error(core::ErrorCode::InvalidArgument,
                       QStringLiteral("scenario layers are drawn in the scenario CRS (%1), not in %2").arg(m_crs.label(), mapCrs.label()),
                       {file()});
  m_mapCrs = mapCrs;
  m_mapExtent = m_extent;
  return {};
}

}  // namespace netspatial::ui
