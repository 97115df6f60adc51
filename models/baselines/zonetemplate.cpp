#include "zonetemplate.h"

#include "seriesprofile.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace netspatial::models {

namespace {

// Volumes are modelled in log space (traffic volume is roughly log-normal across sites); ε keeps
// idle sites finite.
constexpr double kLogEpsilon = 1e-4;

struct RidgeFit {
  std::vector<double> beta;
  double lambda = 0.0;
  double looMse = std::numeric_limits<double>::infinity();
};

// Ridge regression on standardised features, the penalty chosen by exact leave-one-out error
// (hat-matrix shortcut) over a log grid.
RidgeFit fitRidge(const std::vector<std::vector<double>>& rows, const std::vector<double>& yCentred) {
  const auto n = static_cast<std::int64_t>(rows.size());
  const auto d = static_cast<std::int64_t>(rows.front().size());
  auto opts = torch::TensorOptions().dtype(torch::kFloat64);
  torch::Tensor X = torch::empty({n, d}, opts);
  auto xa = X.accessor<double, 2>();
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < d; ++j) xa[i][j] = rows[std::size_t(i)][std::size_t(j)];
  torch::Tensor y = torch::from_blob(const_cast<double*>(yCentred.data()), {n, 1}, opts).clone();
  const torch::Tensor xtx = X.t().mm(X);
  const torch::Tensor eye = torch::eye(d, opts);
  RidgeFit best;
  for (double lambda : {0.01, 0.1, 1.0, 10.0, 100.0, 1000.0}) {
    const torch::Tensor w = torch::linalg_solve(xtx + lambda * eye, X.t());  // d × n
    const torch::Tensor beta = w.mm(y);
    const torch::Tensor hat = (X * w.t()).sum(1, true);
    const torch::Tensor loo = (y - X.mm(beta)) / (1.0 - hat).clamp_min(1e-6);
    const double mse = loo.pow(2).mean().item<double>();
    if (mse < best.looMse) {
      best.looMse = mse;
      best.lambda = lambda;
      best.beta.assign(beta.data_ptr<double>(), beta.data_ptr<double>() + d);
    }
  }
  return best;
}

}  // namespace

ModelStatus ZoneTemplateGenerator::fit(const std::vector<TrainingSite>& sites, const Normalisation& normalisation, std::uint64_t seed,
                                       const ProgressFn& progress) {
  if (!detail::report(progress, 0.0)) return detail::cancelledError(id() + " fitting");
  (void)seed;  // fitting is deterministic
  if (sites.size() < 2)
    return ModelError{ModelErrorCode::InvalidArgument,
                      "zone_template needs at least 2 training sites, got " + std::to_string(sites.size())};
  std::vector<FittedSite> fitted;
  std::vector<std::vector<double>> features;
  std::vector<double> logVolume;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const auto& x = sites[i].series;
    if (x.size() != std::size_t(kSequenceHours))
      return ModelError{ModelErrorCode::InvalidArgument,
                        "training site " + std::to_string(i) + " has " + std::to_string(x.size()) + " hours, expected 672"};
    for (float v : x)
      if (!std::isfinite(v))
        return ModelError{ModelErrorCode::InvalidArgument, "training site " + std::to_string(i) + " has a missing or non-finite hour"};
    const double mean = detail::seriesMean(x);
    const std::vector<double> weekly = detail::weeklyMean(x);
    FittedSite f;
    const double divisor = mean > 1e-12 ? mean : 1.0;
    f.shape.resize(weekly.size());
    for (std::size_t h = 0; h < weekly.size(); ++h) f.shape[h] = weekly[h] / divisor;
    f.relResidual.resize(x.size());
    for (std::size_t t = 0; t < x.size(); ++t) f.relResidual[t] = float((x[t] - weekly[t % detail::kWeekHours]) / divisor);
    fitted.push_back(std::move(f));
    features.push_back(contextFeatures(sites[i].context));
    logVolume.push_back(std::log(std::max(0.0, mean) + kLogEpsilon));
  }

  FeatureStandardiser standardiser;
  standardiser.fit(features);
  for (auto& row : features) row = standardiser.apply(row);
  double intercept = 0.0;
  for (double v : logVolume) intercept += v;
  intercept /= double(logVolume.size());
  std::vector<double> centred(logVolume.size());
  for (std::size_t i = 0; i < logVolume.size(); ++i) centred[i] = logVolume[i] - intercept;
  RidgeFit ridge;
  try {
    ridge = fitRidge(features, centred);
  } catch (const std::exception& e) {  // c10::Error stops here: no exception crosses the models API
    return ModelError{ModelErrorCode::Internal, std::string("zone_template: volume regression failed: ") + e.what()};
  }
  // Duan's smearing: E[exp(ε)] over the in-sample residuals, so exp(prediction) is not biased low.
  double smearing = 0.0;
  for (std::size_t i = 0; i < features.size(); ++i) {
    double pred = intercept;
    for (std::size_t j = 0; j < ridge.beta.size(); ++j) pred += ridge.beta[j] * features[i][j];
    smearing += std::exp(logVolume[i] - pred);
  }
  smearing /= double(features.size());

  m_sites = std::move(fitted);
  m_byZoneKey.clear();
  m_byZoneClass.clear();
  m_all.clear();
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const ModelContext& c = sites[i].context;
    if (!c.zoneKey.empty()) m_byZoneKey[c.zoneKey].push_back(i);
    if (c.zoneClass >= 0) m_byZoneClass[c.zoneClass].push_back(i);
    m_all.push_back(i);
  }
  m_standardiser = standardiser;
  m_beta = ridge.beta;
  m_intercept = intercept;
  m_smearing = smearing;
  m_lambda = ridge.lambda;
  m_normalisation = normalisation;

  Sha256 h;
  h.add(id());
  for (const FittedSite& f : m_sites) {
    detail::hashDoubles(h, f.shape);
    detail::hashFloats(h, f.relResidual);
  }
  detail::hashDoubles(h, m_beta);
  detail::hashDoubles(h, m_standardiser.mean());
  detail::hashDoubles(h, m_standardiser.scale());
  h.addValue(m_intercept);
  h.addValue(m_smearing);
  for (const auto& [key, members] : m_byZoneKey) {
    h.add(key);
    h.addValue(std::uint64_t(members.size()));
  }
  for (const auto& [cls, members] : m_byZoneClass) {
    h.addValue(cls);
    h.addValue(std::uint64_t(members.size()));
  }
  m_sha256 = h.hexDigest();
  (void)detail::report(progress, 1.0);
  return Unit{};
}

const std::vector<std::size_t>& ZoneTemplateGenerator::groupFor(const ModelContext& c) const {
  if (!c.zoneKey.empty()) {
    const auto it = m_byZoneKey.find(c.zoneKey);
    if (it != m_byZoneKey.end() && int(it->second.size()) >= kMinSitesPerGroup) return it->second;
  }
  if (c.zoneClass >= 0) {
    const auto it = m_byZoneClass.find(c.zoneClass);
    if (it != m_byZoneClass.end() && int(it->second.size()) >= kMinSitesPerGroup) return it->second;
  }
  return m_all;
}

double ZoneTemplateGenerator::predictVolume(const ModelContext& context) const {
  const std::vector<double> f = m_standardiser.apply(contextFeatures(context));
  double pred = m_intercept;
  for (std::size_t j = 0; j < m_beta.size() && j < f.size(); ++j) pred += m_beta[j] * f[j];
  return std::max(0.0, std::exp(pred) * m_smearing - kLogEpsilon);
}

ModelResult<GeneratedBatch> ZoneTemplateGenerator::generate(const std::vector<ModelContext>& contexts, int samples, std::uint64_t seed,
                                                            Device device, const ProgressFn& progress) const {
  (void)device;  // arithmetic only: the same on every device
  if (auto bad = detail::checkGenerateRequest(id(), isFitted(), samples)) return *bad;
  GeneratedBatch batch = GeneratedBatch::zeros(contexts.size(), samples);
  for (std::size_t s = 0; s < contexts.size(); ++s) {
    // A chunk of sites costs well under a millisecond: check there, not per site.
    if (s % detail::kSitesPerCheck == 0 && !detail::report(progress, double(s) / double(contexts.size())))
      return detail::cancelledError(id() + " generation");
    const std::vector<std::size_t>& group = groupFor(contexts[s]);
    std::vector<double> shape(detail::kWeekHours, 0.0);
    for (std::size_t i : group)
      for (int h = 0; h < detail::kWeekHours; ++h) shape[std::size_t(h)] += m_sites[i].shape[std::size_t(h)];
    for (double& v : shape) v /= double(group.size());
    const double volume = predictVolume(contexts[s]);
    std::mt19937_64 rng = detail::siteRng(seed, contexts[s]);
    std::uniform_int_distribution<std::size_t> pick(0, group.size() - 1);
    for (int k = 0; k < samples; ++k) {
      const FittedSite& donor = m_sites[group[pick(rng)]];
      float* out = batch.series(s, k);
      for (int t = 0; t < kSequenceHours; ++t)
        out[t] = float(std::max(0.0, volume * (shape[std::size_t(t % detail::kWeekHours)] + donor.relResidual[std::size_t(t)])));
    }
  }
  (void)detail::report(progress, 1.0);  // done: a cancel now has nothing left to stop
  return batch;
}

}  // namespace netspatial::models
