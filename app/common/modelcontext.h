#pragma once

// The one place where core's site contexts become model inputs (DESIGN.md §1: app wires them).

#include "core/context/sitecontext.h"
#include "netspatial/models/generator.h"

#include <vector>

namespace netspatial::app {

models::ModelContext toModelContext(const core::SiteContext& context);
std::vector<models::ModelContext> toModelContexts(const std::vector<core::SiteContext>& contexts);

}  // namespace netspatial::app
