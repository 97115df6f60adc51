#pragma once

// The files a scenario can be built from (issue 19), one per modality plus the area of interest:
// the rows of the New scenario wizard's Files page and the groups of its Fields page.

#include <QString>

#include <array>

namespace netspatial::ui {

enum class ImportSource { Stations, TrafficSites, Traffic, Pois, Zones, Imagery, Population, Aoi };

inline constexpr std::array<ImportSource, 8> kImportSources = {ImportSource::Stations,   ImportSource::TrafficSites, ImportSource::Traffic,
                                                               ImportSource::Pois,       ImportSource::Zones,        ImportSource::Imagery,
                                                               ImportSource::Population, ImportSource::Aoi};

//! "Base stations", "Imagery", …
QString importSourceTitle(ImportSource source);
//! What the modality is for, one sentence for the Files page.
QString importSourcePurpose(ImportSource source);
//! The file dialog's filter for the source.
QString importSourceFilter(ImportSource source);
//! A stable key ("stations", "traffic_sites", …) for object names and settings.
QString importSourceKey(ImportSource source);

}  // namespace netspatial::ui
