#pragma once

// What the site inspector shows about one site, as plain data, and how it is built for a site with
// generated traffic (issue 18: one summary, built in one place, shown by one presenter — the
// studio's inspector). A study station's summary is built by app/common/operations from its study.

#include "core/geo/geometry.h"
#include "core/planning/calibration.h"
#include "core/planning/ranking.h"
#include "core/scenario/scenario.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QTimeZone>

#include <optional>
#include <vector>

namespace netspatial::core {

struct SiteSummary {
  QString siteId;  //!< "C412", "S0012"
  QString title;   //!< "C412 — candidate", "S0012 — macro station"
  QString unit;    //!< the scenario's traffic unit, which `observed` is in, e.g. "MB/h"
  //! The unit `samples` are in when it is not `unit` (a generator trained in another unit, issue 19
  //! item 4); empty: `unit`.
  QString generatedUnit;
  //! Who made `samples`: "NetSpatial (embedded), seed 1"; empty when not known.
  QString generatedBy;
  //! The generator against this scenario; the inspector warns when it is not Matches.
  std::optional<Calibration> calibration;
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

  //! The unit of `samples` (generatedUnit, else unit).
  QString samplesUnit() const { return generatedUnit.isEmpty() ? unit : generatedUnit; }
  //! Sets calibration, generatedBy ("<generator>, seed <seed>") and generatedUnit (when it is not `unit`).
  void setCalibration(const Calibration& c, std::optional<quint64> seed);
};

//! mae, rmse, corr, crps and peak_hour_acc of `samples` against `observed` (DESIGN.md §7); empty
//! when either is missing or they cannot be compared.
QList<QPair<QString, double>> observedVersusGenerated(const std::vector<float>& observed, const std::vector<std::vector<float>>& samples);

//! A site of `scenario` with generated `samples` (a candidate, a station or any map point; `kind`
//! names it when it is not a station): its utilities (with the normalisation scale of the
//! scenario's latest generation), its rank in `ranking` when ranked, weekday peak and
//! weekday/weekend ratio, zone, POI mix and residents; for a station, its observed series on the
//! generated calendar and the metrics against it. `calibration` (with the generation's `seed`)
//! says who generated the samples, in which unit, and whether that is calibrated to the scenario.
SiteSummary summarizeGeneratedSite(const Scenario& scenario, const QString& siteId, PointXY position,
                                   const std::vector<std::vector<float>>& samples, const QString& kind, const Ranking* ranking,
                                   const Calibration* calibration = nullptr, std::optional<quint64> seed = std::nullopt);

}  // namespace netspatial::core
