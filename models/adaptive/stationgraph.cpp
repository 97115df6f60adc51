#include "stationgraph.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace netspatial::models::adaptive {

StationGraph normalisedGraph(std::int64_t nodes, const std::vector<int>& from, const std::vector<int>& to,
                             const std::vector<double>& distance, bool weighted) {
  // A(i,j) = (1/d)/max(1/d); a zero distance (two stations on one mast) counts as the closest.
  double maxInverse = 0.0;
  for (double d : distance) maxInverse = std::max(maxInverse, 1.0 / std::max(d, 1.0));
  std::map<std::pair<int, int>, double> a;
  for (std::size_t k = 0; k < from.size(); ++k) {
    if (from[k] == to[k]) continue;
    const double w = weighted ? (1.0 / std::max(distance[k], 1.0)) / maxInverse : 1.0;
    for (auto key : {std::pair{from[k], to[k]}, std::pair{to[k], from[k]}}) {
      auto [it, inserted] = a.emplace(key, w);
      if (!inserted) it->second = std::max(it->second, w);
    }
  }
  std::vector<double> degree(std::size_t(nodes), 1.0);  // the self loop
  for (const auto& [key, w] : a) degree[std::size_t(key.first)] += w;
  std::vector<std::int64_t> f, t;
  std::vector<float> w;
  for (std::int64_t i = 0; i < nodes; ++i) {
    f.push_back(i);
    t.push_back(i);
    w.push_back(float(1.0 / degree[std::size_t(i)]));
  }
  for (const auto& [key, value] : a) {
    f.push_back(key.first);
    t.push_back(key.second);
    w.push_back(float(value / std::sqrt(degree[std::size_t(key.first)] * degree[std::size_t(key.second)])));
  }
  return {torch::tensor(f), torch::tensor(t), torch::tensor(w), nodes};
}

torch::Tensor propagate(const StationGraph& graph, const torch::Tensor& x) {
  // out[to] += w · x[from]; Â is symmetric, so the direction only fixes the summation order.
  const auto messages = x.index_select(0, graph.from) * graph.weight.unsqueeze(1);
  return torch::zeros({graph.nodes, x.size(1)}, x.options()).index_add(0, graph.to, messages);
}

StationGcnImpl::StationGcnImpl(int inputDim, int hidden, int output, int categories) {
  layer1 = register_module("layer1", torch::nn::Linear(inputDim, hidden));
  layer2 = register_module("layer2", torch::nn::Linear(hidden, output));
  head1 = register_module("head1", torch::nn::Linear(hidden + output, 128));
  headNorm = register_module("head_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({128})));
  head2 = register_module("head2", torch::nn::Linear(128, categories));
  dropout = register_module("dropout", torch::nn::Dropout(0.5));
}

torch::Tensor StationGcnImpl::embed(const StationGraph& graph, const torch::Tensor& stations) {
  const auto h1 = torch::sigmoid(layer1(propagate(graph, stations)));
  const auto h2 = torch::relu(layer2(propagate(graph, dropout(h1))));
  return torch::cat({h1, h2}, 1);
}

torch::Tensor StationGcnImpl::poiLogProbabilities(const torch::Tensor& z) { return torch::log_softmax(head2(headNorm(head1(z))), 1); }

torch::Tensor poiDistribution(const torch::Tensor& counts, torch::Tensor* mask) {
  const auto cityCounts = counts.sum(0, true).clamp_min(1.0);
  const auto relative = counts / cityCounts;
  const auto rowSum = relative.sum(1, true);
  if (mask) *mask = (counts.sum(1) > 0).to(torch::kFloat32);
  return relative / rowSum.clamp_min(std::numeric_limits<float>::min());
}

torch::Tensor poiKl(const torch::Tensor& target, const torch::Tensor& logPredicted, const torch::Tensor& mask) {
  // 0 · log 0 = 0: categories absent from a station add nothing.
  const auto logTarget = torch::where(target > 0, target.clamp_min(1e-30).log(), torch::zeros_like(target));
  const auto perSite = (target * (logTarget - logPredicted)).sum(1);
  return (perSite * mask).sum() / mask.sum().clamp_min(1.0);
}

torch::Tensor patternLoss(const torch::Tensor& z, const torch::Tensor& centres, double* meanMatch) {
  const auto cosine = torch::mm(torch::nn::functional::normalize(z, torch::nn::functional::NormalizeFuncOptions().dim(1)),
                                torch::nn::functional::normalize(centres, torch::nn::functional::NormalizeFuncOptions().dim(1)).t());
  const auto m = torch::softmax(cosine, 1).amax(1);  // the most similar centre's share (Eq. 7)
  if (meanMatch) *meanMatch = m.mean().item<double>();
  return -((1.0 - m) * m.log()).sum();
}

torch::Tensor codePatternLoss(const torch::Tensor& z, const torch::Tensor& centres, const torch::Tensor& sourceZ,
                              const torch::Tensor& sourceLabels) {
  namespace F = torch::nn::functional;
  const auto zn = F::normalize(z, F::NormalizeFuncOptions().dim(1));
  const auto nearest = torch::mm(zn, F::normalize(sourceZ, F::NormalizeFuncOptions().dim(1)).t()).argmax(1);
  const auto k = sourceLabels.index_select(0, nearest);
  const auto e = torch::mm(zn, F::normalize(centres, F::NormalizeFuncOptions().dim(1)).t()).exp();
  const auto p = e.gather(1, k.unsqueeze(1)).squeeze(1) / e.mean(1);
  return -p.log().sum();
}

GcnReport trainGcn(StationGcn& gcn, const StationGraph& graph, const torch::Tensor& stations, const torch::Tensor& target,
                   const torch::Tensor& mask, const GcnTrainingOptions& options, std::uint64_t seed,
                   const std::function<bool(double)>& progress) {
  torch::manual_seed(seed);  // dropout masks
  GcnReport report;
  const bool align = options.centres.defined();
  double lr = options.learningRate;
  torch::optim::Adam optimiser(gcn->parameters(), torch::optim::AdamOptions(lr));
  double best = std::numeric_limits<double>::infinity(), plateauBest = best;
  int sinceBest = 0, sincePlateau = 0;
  std::vector<torch::Tensor> bestState;
  auto snapshot = [&] {
    bestState.clear();
    for (const auto& p : gcn->parameters()) bestState.push_back(p.detach().clone());
  };
  snapshot();  // the initial weights, kept when no epoch runs
  for (int epoch = 0; epoch < options.maxEpochs; ++epoch) {
    gcn->train();
    const auto z = gcn->embed(graph, stations);
    const auto kl = poiKl(target, gcn->poiLogProbabilities(z), mask);
    torch::Tensor loss = kl;
    double match = 0.0;
    torch::Tensor pat;
    if (align) {
      pat = options.codeLoss ? codePatternLoss(z, options.centres, options.sourceZ, options.sourceLabels)
                             : patternLoss(z, options.centres, &match);
      // Each term divided by its own size (the code's B = 1/|L|). Without the stop-gradient the
      // quotient is ±1 whatever the weights are, and its gradient is 0.
      if (options.weightsAsPublished)
        loss = kl / kl.abs() + pat / pat.abs();
      else
        loss = kl / kl.detach().abs().clamp_min(1e-12) + pat / pat.detach().abs().clamp_min(1e-12);
    }
    // The early-stopping criterion is the sum of the raw terms: the weighted loss is 2 at every epoch.
    const double value = kl.item<double>() + (align ? pat.item<double>() : 0.0);
    report.epochs = epoch + 1;
    // The kept weights are those this loss was measured with, taken before the step.
    if (value < best) {
      best = value;
      sinceBest = 0;
      report.bestLoss = value;
      report.kl = kl.item<double>();
      report.pattern = align ? pat.item<double>() : 0.0;
      report.meanMatch = match;
      snapshot();
    } else if (++sinceBest >= options.patience) {
      break;
    }
    optimiser.zero_grad();
    loss.backward();
    optimiser.step();
    if (value < plateauBest) {
      plateauBest = value;
      sincePlateau = 0;
    } else if (++sincePlateau > options.plateauPatience) {
      lr *= 0.5;
      for (auto& group : optimiser.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
      sincePlateau = 0;
    }
    if (progress && !progress(double(epoch + 1) / double(options.maxEpochs))) break;
  }
  torch::NoGradGuard noGrad;
  auto params = gcn->parameters();
  for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(bestState[i]);
  gcn->eval();
  return report;
}

}  // namespace netspatial::models::adaptive
