// ADAPTIVE at generation time: adapt to a city, condition the GAN on each site's representation,
// draw four independent weeks per 672-h sample (spec §0.2) and scale them by the volume head.

#include "adaptivegenerator_p.h"

#include "clustering.h"
#include "../runtime/workerthreads.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <optional>
#include <thread>

namespace netspatial::models {

using namespace adaptive;

namespace {

constexpr int kWeeksPerSample = kSequenceHours / kWeekHours;
constexpr std::size_t kSitesPerPass = 32;  //!< 32 × samples × 4 weeks per forward pass

std::optional<ModelError> checkPositions(const std::vector<ModelContext>& contexts) {
  for (std::size_t i = 0; i < contexts.size(); ++i) {
    const auto& p = contexts[i].position;
    if (!p || !std::isfinite(p->x) || !std::isfinite(p->y))
      return ModelError{ModelErrorCode::InvalidArgument, "ADAPTIVE needs each site's position: site " + std::to_string(i) + " has none"};
  }
  return std::nullopt;
}

//! The majority of a site's nearest traffic centroids over its 4 mean-1 weeks (strict: ≥ 3 of 4),
//! −1 without one.
int trafficCluster(const std::vector<float>& series, const torch::Tensor& centroids) {
  if (series.size() < std::size_t(kSequenceHours)) return -1;
  auto weeks = torch::tensor(std::vector<float>(series.begin(), series.begin() + kSequenceHours)).view({kWeeksPerSample, kWeekHours});
  weeks = weeks / weeks.mean(1, true).clamp_min(1e-12);
  const auto nearest = torch::cdist(weeks, centroids).argmin(1);
  std::map<std::int64_t, int> votes;
  for (int w = 0; w < kWeeksPerSample; ++w) ++votes[nearest[w].item<std::int64_t>()];
  for (const auto& [label, count] : votes)
    if (count * 2 > kWeeksPerSample) return int(label);
  return -1;
}

}  // namespace

ModelStatus AdaptiveGenerator::adapt(const std::vector<ModelContext>& stations, const ProgressFn& progress) const {
  if (!m_impl->fitted) return ModelError{ModelErrorCode::NotFitted, "ADAPTIVE has not been trained or loaded"};
  if (auto e = checkPositions(stations)) return *e;
  try {
    // ADAPTIVE's operations are small: a second intra-op thread costs more than it saves (one
    // TuckER epoch over the six training cities plus its link probe: 117 s on two threads, 40 s on
    // one, measured with another process on the second core), whatever the process-wide setting.
    const ScopedSerialOps serial;
    auto city = m_impl->adaptCity(stations, m_impl->config, progress);
    if (!city) return city.error();
    std::lock_guard lock(m_impl->adaptationMutex);
    if (!m_impl->adapted || m_impl->adapted->key != (*city)->key) m_impl->adapted = std::move(*city);
  } catch (const std::exception& e) {
    return ModelError{ModelErrorCode::Internal, std::string("ADAPTIVE adaptation failed: ") + e.what()};
  }
  return Unit{};
}

ModelResult<GeneratedBatch> AdaptiveGenerator::generate(const std::vector<ModelContext>& contexts, int samples, std::uint64_t seed,
                                                        Device /*device: ADAPTIVE is one small forward pass per week; it runs on the CPU*/,
                                                        const ProgressFn& progress) const {
  const Impl& m = *m_impl;
  if (!m.fitted) return ModelError{ModelErrorCode::NotFitted, "ADAPTIVE has not been trained or loaded"};
  if (samples < 1) return ModelError{ModelErrorCode::InvalidArgument, "samples must be at least 1"};
  if (contexts.empty()) return GeneratedBatch::zeros(0, samples);
  if (auto e = checkPositions(contexts)) return *e;
  try {
    // The process's intra-op thread count, read before the guard below makes it 1 on this thread.
    const int workers = std::max(1, at::get_num_threads());
    const ScopedSerialOps serial;  // as in adapt()
    std::shared_ptr<const AdaptedCity> city;
    {
      std::lock_guard lock(m.adaptationMutex);
      city = m.adapted;
    }
    double adaptShare = 0.0;
    if (!city || city->crs != contexts.front().position->crs) {
      // No city prepared: the batch is the city (transductive, as the method is).
      adaptShare = 0.8;
      auto adapted =
          m.adaptCity(contexts, m.config, [&](double f, const char* step) { return !progress || progress(adaptShare * f, step); });
      if (!adapted) return adapted.error();
      city = *adapted;
      std::lock_guard lock(m.adaptationMutex);
      m.adapted = city;
    }
    for (std::size_t i = 0; i < contexts.size(); ++i)
      if (contexts[i].position->crs != city->crs)
        return ModelError{ModelErrorCode::InvalidArgument, "ADAPTIVE is adapted to a city in " + city->crs + "; site " + std::to_string(i) +
                                                               " is in " + contexts[i].position->crs};
    GeneratedBatch batch = GeneratedBatch::zeros(contexts.size(), samples);
    const int draws = samples * kWeeksPerSample;
    const auto noiseDim = std::int64_t(m.config.gcnHidden + m.config.gcnOutput);
    // One chunk of sites: its conditions, its volume, its weeks, written to its rows of the batch.
    const auto generateChunk = [&](std::size_t begin, std::size_t end) {
      torch::NoGradGuard noGrad;  // thread-local: every worker sets its own
      const auto n = std::int64_t(end - begin);
      // Representations: an adapted station's own, or the site as an extra node.
      std::vector<std::int64_t> stationRow(std::size_t(n), -1);
      std::vector<const ModelContext*> extra;
      std::vector<std::int64_t> extraAt;
      for (std::int64_t i = 0; i < n; ++i) {
        const auto& p = *contexts[begin + std::size_t(i)].position;
        auto it = city->stationAt.find({std::llround(p.x * 10.0), std::llround(p.y * 10.0)});
        if (it != city->stationAt.end()) {
          stationRow[std::size_t(i)] = it->second;
        } else {
          extra.push_back(&contexts[begin + std::size_t(i)]);
          extraAt.push_back(i);
        }
      }
      auto rep = torch::zeros({n, city->representation.size(1)});
      for (std::int64_t i = 0; i < n; ++i)
        if (stationRow[std::size_t(i)] >= 0) rep[i].copy_(city->representation[stationRow[std::size_t(i)]]);
      if (!extra.empty()) {
        const auto extraRep = m.candidateRepresentation(*city, extra);
        rep.index_copy_(0, torch::tensor(extraAt), extraRep);
      }
      const auto condition = rep / city->cityScale;
      std::vector<const ModelContext*> chunk;
      for (std::size_t i = begin; i < end; ++i) chunk.push_back(&contexts[i]);
      auto volume = m.volume;  // a holder copy: the module is shared, its forward is not const
      const auto logVolume = volume->forward(m.volumeInput(condition, chunk)).view({n});
      // Each site's noise from (seed, its position): alone or in a batch, the same weeks.
      std::vector<torch::Tensor> noise;
      for (std::int64_t i = 0; i < n; ++i) {
        auto gen = at::make_generator<at::CPUGeneratorImpl>(adaptiveSiteSeed(seed, contexts[begin + std::size_t(i)]));
        noise.push_back(torch::empty({draws, noiseDim}).exponential_(1.0, gen));
      }
      auto gan = m.gan;
      // The generator ends in LayerNorm + GELU (the code), so its week is a shape on no fixed scale;
      // each week is brought to mean 1, the scale of the training shapes, before the volume head
      // gives its level ([D], model card).
      auto weeks = gan->forward(torch::cat(noise, 0), condition.repeat_interleave(draws, 0)).week.clamp_min(0.0);
      weeks = weeks / weeks.mean(1, true).clamp_min(1e-6);
      const auto series = (weeks.view({n, draws, kWeekHours}) * logVolume.exp().view({n, 1, 1})).contiguous();
      // [n, samples·4, 168] is [n, samples, 672]: four consecutive weeks make one sample.
      std::memcpy(batch.series(begin, 0), series.data_ptr<float>(), std::size_t(series.numel()) * sizeof(float));
    };
    // Fixed chunks handed out one at a time to single-threaded workers (as NetSpatial's
    // generation): a chunk's output depends only on its sites, so any worker count gives the same
    // bytes. Progress is reported, and cancel honoured, from the calling thread.
    const std::size_t chunks = (contexts.size() + kSitesPerPass - 1) / kSitesPerPass;
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<bool> stop{false};
    const auto caller = std::this_thread::get_id();
    const auto work = [&](int) {
      for (std::size_t i = next++; i < chunks && !stop.load(); i = next++) {
        generateChunk(i * kSitesPerPass, std::min(contexts.size(), (i + 1) * kSitesPerPass));
        const double fraction = double(++done) / double(chunks);
        if (std::this_thread::get_id() == caller && progress &&
            !progress(adaptShare + (1.0 - adaptShare) * fraction, "ADAPTIVE: generating"))
          stop = true;
      }
    };
    runOnWorkers(int(std::min<std::size_t>(std::size_t(workers), chunks)), work);
    if (stop.load()) return ModelError{ModelErrorCode::Cancelled, "ADAPTIVE generation cancelled"};
    return batch;
  } catch (const std::exception& e) {
    return ModelError{ModelErrorCode::Internal, std::string("ADAPTIVE generation failed: ") + e.what()};
  }
}

ModelResult<AdaptiveProbeReport> AdaptiveGenerator::probe(const std::vector<ModelContext>& sites,
                                                          const std::vector<std::vector<float>>& series, const ProgressFn& progress) const {
  const Impl& m = *m_impl;
  if (!m.fitted) return ModelError{ModelErrorCode::NotFitted, "ADAPTIVE has not been trained or loaded"};
  if (sites.size() != series.size()) return ModelError{ModelErrorCode::InvalidArgument, "one series per site is needed"};
  if (auto e = checkPositions(sites)) return *e;
  try {
    const ScopedSerialOps serial;  // as in adapt()
    AdaptiveProbeReport report;
    std::vector<int> truth(sites.size());
    std::vector<int> shares(std::size_t(m.centres.size(0)), 0);
    for (std::size_t i = 0; i < sites.size(); ++i) {
      truth[i] = trafficCluster(series[i], m.trafficCentroids);
      if (truth[i] >= 0) ++shares[std::size_t(truth[i])];
    }
    struct Variant {
      const char* name;
      AdaptiveConfig config;
    };
    std::vector<Variant> variants{{"full", m.config}, {"poi_only", m.config}, {"as_published", m.config}, {"from_source", m.config}};
    variants[0].config.alignTarget = true;
    variants[1].config.alignTarget = false;
    variants[2].config.targetAsPublished = true;
    variants[3].config.targetFromSource = true;
    torch::Tensor mask, pd;
    for (std::size_t v = 0; v < variants.size(); ++v) {
      auto city = m.adaptCity(sites, variants[v].config, [&](double f, const char* step) {
        return !progress || progress((double(v) + f) / double(variants.size()), step);
      });
      if (!city) return city.error();
      torch::NoGradGuard noGrad;
      auto gcn = (*city)->gcn;
      const auto z = gcn->embed((*city)->stationGraph, (*city)->stationEmbeddings);
      const auto nearest = torch::mm(torch::nn::functional::normalize(z, torch::nn::functional::NormalizeFuncOptions().dim(1)),
                                     torch::nn::functional::normalize(m.centres, torch::nn::functional::NormalizeFuncOptions().dim(1)).t())
                               .argmax(1);
      std::vector<float> counts;
      for (const auto& row : (*city)->graph.stationPoiCounts) counts.insert(counts.end(), row.begin(), row.end());
      pd = poiDistribution(torch::tensor(counts).view({std::int64_t(sites.size()), kPoiCategories}), &mask);
      AdaptiveAlignmentRow row;
      row.variant = variants[v].name;
      int right = 0, scored = 0;
      for (std::size_t i = 0; i < sites.size(); ++i) {
        if (truth[i] < 0 || mask[std::int64_t(i)].item<float>() == 0.0f) continue;
        ++scored;
        right += nearest[std::int64_t(i)].item<std::int64_t>() == truth[i] ? 1 : 0;
      }
      double match = 0.0;
      (void)patternLoss(z, m.centres, &match);
      row.accuracy = scored ? double(right) / double(scored) : 0.0;
      row.meanMatch = match;
      row.poiKl = poiKl(pd, gcn->poiLogProbabilities(z), mask).item<double>();
      report.sites = scored;
      report.alignment.push_back(row);
    }
    torch::NoGradGuard noGrad;
    // POI features alone: the nearest cluster centre in PD space.
    {
      const auto nearest =
          torch::mm(torch::nn::functional::normalize(pd, torch::nn::functional::NormalizeFuncOptions().dim(1)),
                    torch::nn::functional::normalize(m.poiCentres, torch::nn::functional::NormalizeFuncOptions().dim(1)).t())
              .argmax(1);
      int right = 0, scored = 0;
      for (std::size_t i = 0; i < sites.size(); ++i) {
        if (truth[i] < 0 || mask[std::int64_t(i)].item<float>() == 0.0f) continue;
        ++scored;
        right += nearest[std::int64_t(i)].item<std::int64_t>() == truth[i] ? 1 : 0;
      }
      report.alignment.push_back({"poi_features", scored ? double(right) / double(scored) : 0.0, 0.0, 0.0});
    }
    {
      // Chance: always answering the most frequent true cluster (an upper bound of guessing).
      const int total = std::accumulate(shares.begin(), shares.end(), 0);
      const int top = shares.empty() ? 0 : *std::max_element(shares.begin(), shares.end());
      report.alignment.push_back({"majority", total ? double(top) / double(total) : 0.0, 0.0, 0.0});
    }
    // KL of the city's mean POI distribution, the baseline of the POI head.
    const auto meanPd = ((pd * mask.unsqueeze(1)).sum(0, true) / mask.sum().clamp_min(1.0)).clamp_min(1e-12);
    report.cityMeanKl = poiKl(pd, meanPd.log().expand_as(pd), mask).item<double>();
    return report;
  } catch (const std::exception& e) {
    return ModelError{ModelErrorCode::Internal, std::string("ADAPTIVE probe failed: ") + e.what()};
  }
}

}  // namespace netspatial::models
