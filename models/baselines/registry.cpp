// The generators this build offers. References first: every neural model is judged against them.

#include "nearestcontext.h"
#include "zonetemplate.h"
#include "netspatial/models/adaptive.h"
#include "netspatial/models/netspatial.h"

namespace netspatial::models {

std::vector<std::string> generatorIds() { return {"zone_template", "nearest_context", "netspatial", "adaptive"}; }

std::unique_ptr<Generator> createGenerator(const std::string& id) {
  if (id == "zone_template") return std::make_unique<ZoneTemplateGenerator>();
  if (id == "nearest_context") return std::make_unique<NearestContextGenerator>();
  // Untrained: fit() trains with the default configuration; the app loads the embedded weights.
  if (id == "netspatial") return std::make_unique<NetSpatialGenerator>();
  if (id == "adaptive") return std::make_unique<AdaptiveGenerator>();
  return nullptr;
}

}  // namespace netspatial::models
