#pragma once

// Which modalities a scenario has (issue 19): base stations, traffic sites, observed traffic,
// POIs, zones, imagery, population. A real city rarely has all of them; what is missing is said,
// never filled with zeros. `netspatial info`, the import summary and the studio's layers panel
// use this one description.

#include "core/scenario/scenario.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace netspatial::core {

struct Modality {
  QString name;  //!< "stations", "traffic_sites", "traffic", "pois", "zones", "imagery", "population"
  bool present = false;
  //! Absent and wanted: said as missing. Traffic sites are not wanted where the observed traffic
  //! is per station (the simulated cities): nothing is lacking there.
  bool lacking = false;
  QString description;  //!< "212 stations (180 macro, 32 micro)", "349 × 352 px, 28.5 m/px", or "missing"
  QString source;       //!< recorded by the import ("towers.csv"); empty for simulated or older scenarios
};

//! The modality names, in the order every listing uses.
QStringList modalityNames();

//! Its name for people: "base stations", "traffic sites", "observed traffic", "points of interest",
//! "land-use zones", "imagery", "population" (lower case, to sit inside a sentence).
QString modalityLabel(const QString& name);

//! The scenario's modalities, in modalityNames() order: what each holds (with the resolution of
//! rasters), and the source the import recorded for it (metadata `modality.<name>`).
std::vector<Modality> describeModalities(const Scenario& scenario);

}  // namespace netspatial::core
