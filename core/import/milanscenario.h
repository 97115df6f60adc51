#pragma once

// A whole scenario from the Telecom Italia Big Data Challenge, Milan (Barlacchi et al., Sci. Data
// 2015, ODbL 1.0), with OpenCellID LTE stations (CC BY-SA 4.0) and Milan's public geodata: the one
// real city the studio can open without simulating anything.

#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace netspatial::core {

//! What importMilanScenario builds, with what a user should know about it.
struct MilanScenarioImport {
  Scenario scenario;
  //! Notes for the user, one per line: absent optional files, stations merged from repeated rows,
  //! how many traffic series are truncated. Never needed to use the scenario.
  QStringList report;
  //! importMilanMatrix's report verbatim: one line per truncated traffic row.
  QStringList truncatedSeries;
  //! Cells whose series has a value for every hour.
  std::vector<int> completeCells;
};

//! Builds a scenario in WGS 84 / UTM zone 32N (EPSG:32632) from a folder holding:
//!   milano-grid.geojson            required: the 10,000 cells (property `cellId`), WGS 84
//!   traffic_matrixTS.csv           required: hourly activity, one row per cell (see milanimport.h)
//!   traffic_ID_labels.csv          required: the cellId of each matrix row
//!   opencellid_lte_mapped.csv      optional: bs_id,type,range,created,lng,lat,cellId,distance
//!   public_transport_stations.csv  optional: metro/train stations, lat, lng, loc (the name)
//!   nil_districts.geojson          optional: the 88 NIL districts (`NIL` name, `ID_NIL` id)
//! The scenario holds:
//!   traffic_sites     one per cell with a matrix row: id "cell-<cellId>", name "Grid cell <cellId>",
//!                     footprint the cell polygon, position its centroid; trafficObserved holds their
//!                     series under the same ids (NaN for the hours a truncated row lacks), starting
//!                     at 2013-11-01 00:00 Europe/Rome = 2013-10-31T23:00Z.
//!   candidates        all grid cells (id = cellId, feasible): the dataset's own planning grid.
//!   base_stations     one per OpenCellID bs_id (its first row's position; the file repeats a station
//!                     for every cell it covers): id "ocid-<bs_id>", name "OpenCellID <bs_id>". Type
//!                     Macro when the advertised range is at least 1000 m, else Micro — OpenCellID
//!                     gives no station class, and its range is the only size hint it has. Capacity 0:
//!                     unknown (the data say nothing about it).
//!   pois              the transit stations, category Transport, id the 1-based row, name from `loc`.
//!   zones             the NIL districts, class Mixed: the dataset gives no land use for them.
//!   aoi               the outline (convex hull) of the grid.
//!   runs              one record, kind "import", model "milan", with the SHA-256 of every source file.
//! A missing required file is an Error; a missing optional one leaves its layer empty and a line in
//! `report`. Any malformed file is an Error naming the file and, where it applies, row and field.
//! Progress per step through `feedback`; cancelling returns ErrorCode::Cancelled.
Result<MilanScenarioImport> importMilanScenario(const QString& dataDir, Feedback* feedback = nullptr);

}  // namespace netspatial::core
