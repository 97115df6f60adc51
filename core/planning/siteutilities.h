#pragma once

// Planning utilities of a site from its generated traffic (DESIGN.md §8, NetSpatial Eq. 6).
// Each utility is computed per sample and summarised over the samples; the per-sample values are
// kept so the ranking can say how likely a site is to stay in the top K.

#include "core/geo/geometry.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace netspatial::core {

enum class Utility {
  Lsi,                //!< 1 / (σ + 1e-6), σ in normalised units (Eq. 6)
  MeanDemand,         //!< mean hourly traffic
  PeakP95,            //!< 95th percentile of the hourly traffic
  StabilityWeighted,  //!< mean / σ: demand per unit of volatility
  Composite,          //!< weighted percentile ranks of the four above
};
inline constexpr int kUtilityCount = 5;

QString utilityName(Utility u);   //!< "lsi", "mean", "p95", "mean_over_sigma", "composite"
QString utilityLabel(Utility u);  //!< for people, with units where they have one
std::optional<Utility> utilityFromName(const QString& name);
QStringList utilityNames();

//! Weights of the composite utility (each applied to a percentile rank in [0, 1]).
struct CompositeWeights {
  double lsi = 0.0;
  double mean = 0.4;
  double p95 = 0.2;
  double stability = 0.4;
};

//! One site's generated traffic and where it is. Values in the physical traffic unit.
struct SiteSamples {
  QString siteId;
  PointXY position;                         //!< scenario CRS
  std::vector<std::vector<float>> samples;  //!< sample → hourly values (672 for NetSpatial)
};

//! Per-sample values of the four basic utilities.
struct SampleUtilities {
  double sigma = 0.0;  //!< temporal σ, normalised units
  double mean = 0.0;   //!< physical unit
  double p95 = 0.0;    //!< physical unit
  double lsi() const { return 1.0 / (sigma + 1e-6); }
  double stability() const { return sigma > 0.0 ? mean / sigma : 0.0; }  //!< normalised σ, so physical × 1/normalised
};

struct SiteUtilities {
  QString siteId;
  PointXY position;
  double sigma = 0.0;      //!< σ averaged over the samples (normalised units)
  double lsi = 0.0;        //!< 1 / (σ + 1e-6) with that averaged σ: Eq. 6 as DESIGN.md §8 reads it
  double mean = 0.0;       //!< physical unit, over all samples and hours
  double p95 = 0.0;        //!< physical unit, mean over samples of each sample's p95
  double stability = 0.0;  //!< mean / σ (physical ÷ normalised)
  std::vector<SampleUtilities> perSample;
};

//! Utilities of every site. `normalisationScale` converts physical values to the normalised units
//! of Eq. 6 (the generator's training maximum): σ_normalised = σ_physical / scale. Fails on a site
//! without samples, on samples of different lengths, or on non-finite values (naming the site).
Result<std::vector<SiteUtilities>> computeSiteUtilities(const std::vector<SiteSamples>& sites, double normalisationScale);

//! The value of one basic utility (not Composite) from summaries or from one sample.
double utilityValue(const SiteUtilities& s, Utility u);
double utilityValue(const SampleUtilities& s, Utility u);

}  // namespace netspatial::core
