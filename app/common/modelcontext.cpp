#include "app/common/modelcontext.h"

namespace netspatial::app {

// The models' integer codes follow core's enum order; these asserts catch a taxonomy change that
// would silently shift every category.
static_assert(models::kPoiCategories == core::kPoiCategoryCount);
static_assert(models::kZoneClasses == core::kZoneClassCount);

models::ModelContext toModelContext(const core::SiteContext& c) {
  models::ModelContext m;
  m.image = c.imagePatch;
  m.imagePixels = c.patchPixels;
  m.poisKnown = c.poisKnown;
  m.pois.reserve(c.pois.size());
  for (const core::NearbyPoi& p : c.pois) m.pois.push_back({int(p.category), p.name.toStdString(), float(p.distance), float(p.bearing)});
  if (c.population) m.population = float(*c.population);
  m.zoneClass = c.zoneClass ? int(*c.zoneClass) : -1;
  m.zoneKey = c.zoneKey.toStdString();
  m.stationsNearby = c.stationsNearby;
  m.stationType = c.stationType ? int(*c.stationType) : -1;
  if (!c.crs.isEmpty()) m.position = models::ModelPosition{c.position.x, c.position.y, c.crs.toStdString()};
  return m;
}

std::vector<models::ModelContext> toModelContexts(const std::vector<core::SiteContext>& contexts) {
  std::vector<models::ModelContext> out;
  out.reserve(contexts.size());
  for (const auto& c : contexts) out.push_back(toModelContext(c));
  return out;
}

}  // namespace netspatial::app
