#include "core/scenario/scenariovalidation.h"

#include <cmath>
#include <set>

namespace netspatial::core::detail {

Status validateForSave(const Scenario& s, const QString& target) {
  if (!s.metadata.crs.isValid())
    return Error(ErrorCode::UnknownCrs, QStringLiteral("the scenario has no CRS"), {target, {}, QStringLiteral("metadata.crs")});
  std::set<QString> ids;
  qint64 row = 0;
  for (const BaseStation& st : s.stations) {
    ++row;
    if (st.id.isEmpty())
      return Error(ErrorCode::InvalidValue, QStringLiteral("layer base_stations: empty station id"), {target, row, QStringLiteral("id")});
    if (!ids.insert(st.id).second)
      return Error(ErrorCode::InvalidValue, QStringLiteral("layer base_stations: duplicate station id '%1'").arg(st.id),
                   {target, row, QStringLiteral("id")});
  }
  // Stations and traffic sites share one id space: traffic rows name a site by id alone.
  row = 0;
  for (const TrafficSite& t : s.trafficSites) {
    ++row;
    if (t.id.isEmpty())
      return Error(ErrorCode::InvalidValue, QStringLiteral("layer traffic_sites: empty traffic site id"),
                   {target, row, QStringLiteral("id")});
    if (!ids.insert(t.id).second)
      return Error(
          ErrorCode::InvalidValue,
          QStringLiteral("layer traffic_sites: duplicate id '%1' (already used by a base station or another traffic site)").arg(t.id),
          {target, row, QStringLiteral("id")});
    if (!std::isfinite(t.position.x) || !std::isfinite(t.position.y))
      return Error(ErrorCode::InvalidValue, QStringLiteral("layer traffic_sites: '%1' has no finite position").arg(t.id),
                   {target, row, QStringLiteral("x")});
  }
  for (const auto& [site, values] : s.trafficObserved.valuesBySite) {
    if (!ids.count(site))
      return Error(ErrorCode::InvalidValue,
                   QStringLiteral("table traffic_observed: unknown site id '%1' (neither a base station nor a traffic site)").arg(site),
                   {target, {}, QStringLiteral("site_id")});
    for (float v : values)
      if (v < 0.0f || std::isinf(v))
        return Error(ErrorCode::InvalidValue,
                     QStringLiteral("table traffic_observed: site '%1' has a negative or infinite value").arg(site),
                     {target, {}, QStringLiteral("value")});
  }
  // Generator choices and runs name a project model by id: one id, one model.
  std::set<QString> modelIds;
  row = 0;
  for (const ProjectModel& m : s.projectModels) {
    ++row;
    if (m.id.isEmpty() || !modelIds.insert(m.id).second)
      return Error(ErrorCode::InvalidValue, QStringLiteral("table project_models: empty or duplicate model id '%1'").arg(m.id),
                   {target, row, QStringLiteral("id")});
    if (m.weights.empty())
      return Error(ErrorCode::InvalidValue, QStringLiteral("table project_models: model '%1' has no weights").arg(m.name),
                   {target, row, QStringLiteral("weights")});
  }
  return {};
}

}  // namespace netspatial::core::detail
