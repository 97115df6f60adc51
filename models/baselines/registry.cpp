// The generators this build offers. References first: every neural model is judged against them.

#include "nearestcontext.h"
#include "zonetemplate.h"

namespace netspatial::models {

std::vector<std::string> generatorIds() { return {"zone_template", "nearest_context"}; }

std::unique_ptr<Generator> createGenerator(const std::string& id) {
  if (id == "zone_template") return std::make_unique<ZoneTemplateGenerator>();
  if (id == "nearest_context") return std::make_unique<NearestContextGenerator>();
  return nullptr;
}

}  // namespace netspatial::models
