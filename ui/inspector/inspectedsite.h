#pragma once

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QTimeZone>

#include <vector>

namespace netspatial::ui {

//! Everything the site inspector shows about one site, as plain data: the ui library never sees
//! the generators (DESIGN.md §1), so whoever ran them fills this in.
struct InspectedSite {
  QString siteId;  //!< "C412", "S0012"
  QString title;   //!< "C412 — candidate", "S0012 — macro station"
  QString unit;    //!< traffic unit, e.g. "MB/h"
  //! UTC instant of hour 0, which is a Monday 00:00 in `timeZone`: the profiles use the hour index
  //! for the hour of the week, as core/traffic/decomposition does (DESIGN.md §6).
  QDateTime start;
  QTimeZone timeZone;  //!< local time of the axes; UTC when invalid
  //! Generated traffic in physical units, sample → hour (672 h); may be empty. NaN = no value.
  std::vector<std::vector<float>> samples;
  //! Observed traffic on the same hours as the samples (NaN = missing); may be empty.
  std::vector<float> observed;
  QList<QPair<QString, QString>> facts;   //!< label → value: LSI, σ, mean, p95, zone, POI mix, peak hour…
  QList<QPair<QString, double>> metrics;  //!< observed vs generated: mae, rmse, … (when both exist)
};

}  // namespace netspatial::ui
