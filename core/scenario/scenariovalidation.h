#pragma once

// What saveScenario refuses before it writes anything: no CRS, empty or duplicate ids (stations and
// traffic sites share one id space), observed traffic on an unknown site, negative or infinite
// observed values. Internal to core/scenario.

#include "core/scenario/scenario.h"
#include "core/util/result.h"

namespace netspatial::core::detail {

//! Errors name `target` (the file that would have been written), the layer, row and field.
Status validateForSave(const Scenario& scenario, const QString& target);

}  // namespace netspatial::core::detail
