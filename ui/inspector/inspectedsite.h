#pragma once

// What the site inspector shows: core's site summary (core/planning/sitesummary), plain data that
// whoever ran the generators fills in — the ui library never sees them (DESIGN.md §1).

#include "core/planning/sitesummary.h"

namespace netspatial::ui {

using InspectedSite = core::SiteSummary;

}  // namespace netspatial::ui
