#pragma once

// The planning PDF report (issue 6 part 6, DESIGN.md §3 exports, §8): one A4 portrait document a
// planning engineer can send on — the map with the utility heat map, the top-K table, one section
// per ranked site with its rationale and weekly plot, and the run's provenance so the numbers can be
// traced to a model, its weights and a seed.
//
// The input is plain data (already-rendered images, already-formatted rationales) so the report
// depends on nothing but Qt Gui: the caller renders the map and plots the way the screen shows them.

#include "core/util/result.h"

#include <QDateTime>
#include <QImage>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <vector>

namespace netspatial::ui {

//! One ranked site. Non-finite numbers print as "—" (a site whose σ could not be computed still
//! belongs in the table, and a blank cell would read as zero).
struct ReportSite {
  int rank = 0;  //!< 1-based, as in the ranking table
  QString siteId;
  double lon = 0.0;  //!< WGS 84 degrees
  double lat = 0.0;
  double value = 0.0;  //!< the value of the utility ranked by (PlanningReportData::utilityName)
  double lsi = 0.0;    //!< 1/σ, NetSpatial Eq. 6 (no unit)
  double sigma = 0.0;  //!< temporal σ in normalised units, averaged over samples
  double mean = 0.0;   //!< mean demand, in PlanningReportData::unit
  double p95 = 0.0;    //!< 95th-percentile hour, in PlanningReportData::unit
  double pTopK = 0.0;  //!< probability in [0, 1] of being in the top K across samples
  QString rationale;   //!< one paragraph built from the site's features
  QImage weeklyPlot;   //!< the site's weekly plot, already rendered; may be null
};

struct PlanningReportData {
  QString title;  //!< "Candidate sites — Synthetic city #1"
  QString projectFile;
  QDateTime generatedAt;                      //!< invalid: the time of writing is used
  QImage map;                                 //!< the map view with the heat map, already rendered; may be null
  QString mapCaption;                         //!< "Utility: LSI; top 10 outlined; 100 m cells; EPSG:32632"
  QString unit;                               //!< the traffic unit, "MB/h"
  QString utilityName;                        //!< the utility ranked by, as a column name: "LSI", "Mean", "Mean/σ"
  QString utilityUnit;                        //!< its unit ("" for LSI and the composite, "MB/h" for mean demand)
  std::vector<ReportSite> sites;              //!< the top K, in rank order
  QList<QPair<QString, QString>> provenance;  //!< model id, weights SHA-256, seed, samples, device, …
  QStringList notes;                          //!< caveats the reader must see: "LSI alone favours quiet sites; …"
};

//! Writes `data` as an A4 portrait PDF at `path`, atomically (a failure leaves no file and keeps
//! any previous one). Missing parts (no map, no sites, a site without a plot, no provenance) are
//! said so in the report rather than refused. Errors are core::ErrorCode::Io or InvalidArgument
//! with the file named.
core::Status writePlanningReport(const PlanningReportData& data, const QString& path);

}  // namespace netspatial::ui
