#pragma once

// The generator chooser's entries for a project (ui/util/generatorchooser.h shows them; ui knows
// nothing of models, so the app turns app::generatorChoices() into plain entries here).

#include "app/common/generatorchoice.h"
#include "core/scenario/scenario.h"
#include "ui/util/generatorchooser.h"

#include <vector>

namespace netspatial::app {

//! Every generator of `scenario`, for `role`: those that cannot serve it (a reference without
//! observed traffic; a reference for forecasts) are disabled, with the reason as their tooltip.
std::vector<ui::GeneratorChooserEntry> generatorChooserEntries(const core::Scenario& scenario, GeneratorRole role);

}  // namespace netspatial::app
