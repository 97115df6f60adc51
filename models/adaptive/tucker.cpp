#include "tucker.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <map>
#include <numeric>
#include <random>
#include <set>

namespace netspatial::models::adaptive {

TuckerImpl::TuckerImpl(int entityCount, int relationCount, int dim) {
  // Sparse gradients: a batch touches a few thousand of up to ~10⁵ entities, and a dense gradient
  // plus a dense Adam step over the whole table made each step cost the table's size.
  entities = register_module("entities", torch::nn::Embedding(torch::nn::EmbeddingOptions(entityCount, dim).sparse(true)));
  relations = register_module("relations", torch::nn::Embedding(relationCount, dim));
  torch::nn::init::xavier_normal_(entities->weight);
  torch::nn::init::xavier_normal_(relations->weight);
  core = register_parameter("core", torch::empty({dim, dim, dim}).uniform_(-1.0, 1.0));
  bn0 = register_module("bn0", torch::nn::BatchNorm1d(dim));
  bn1 = register_module("bn1", torch::nn::BatchNorm1d(dim));
  inputDropout = register_module("input_dropout", torch::nn::Dropout(0.3));
  hiddenDropout1 = register_module("hidden_dropout1", torch::nn::Dropout(0.4));
  hiddenDropout2 = register_module("hidden_dropout2", torch::nn::Dropout(0.5));
}

torch::Tensor TuckerImpl::query(const torch::Tensor& s, const torch::Tensor& r) {
  const auto d = entities->weight.size(1);
  auto x = inputDropout(bn0(entities(s)));
  auto w = torch::mm(relations(r), core.view({d, d * d})).view({-1, d, d});
  w = hiddenDropout1(w);
  x = torch::bmm(x.unsqueeze(1), w).squeeze(1);
  return hiddenDropout2(bn1(x));
}

torch::Tensor TuckerImpl::score(const torch::Tensor& s, const torch::Tensor& r, const torch::Tensor& candidates) {
  const auto x = query(s, r);
  if (!candidates.defined()) return torch::mm(x, entities->weight.t());
  return torch::bmm(entities(candidates), x.unsqueeze(2)).squeeze(2);
}

std::vector<Triple> withReverses(const std::vector<Triple>& triples) {
  std::vector<Triple> out = triples;
  out.reserve(triples.size() * 2);
  for (const Triple& t : triples) out.push_back({t.object, t.relation + kRelations, t.subject});
  return out;
}

TuckerReport trainTucker(Tucker& model, const std::vector<Triple>& triples, const std::vector<EntityType>& entityTypes,
                         const TuckerConfig& config, std::uint64_t seed, const std::vector<bool>& trainableRows,
                         const std::function<bool(double)>& progress) {
  TuckerReport report;
  report.triples = int(triples.size());
  if (triples.empty()) return report;
  const bool foldIn = !trainableRows.empty();
  // Negatives of the object's type: a station is ranked against stations, a POI against POIs.
  std::vector<std::vector<std::int64_t>> byType(kEntityTypes);
  for (std::size_t e = 0; e < entityTypes.size(); ++e) byType[std::size_t(entityTypes[e])].push_back(std::int64_t(e));
  std::vector<std::int64_t> flat, offset(kEntityTypes), count(kEntityTypes);
  for (int t = 0; t < kEntityTypes; ++t) {
    offset[std::size_t(t)] = std::int64_t(flat.size());
    count[std::size_t(t)] = std::int64_t(byType[std::size_t(t)].size());
    flat.insert(flat.end(), byType[std::size_t(t)].begin(), byType[std::size_t(t)].end());
  }
  const auto flatT = torch::tensor(flat, torch::kInt64);

  // The entity table moves by a lazy Adam (as PyTorch's SparseAdam): only the rows a batch
  // touches, with the global step's bias correction. Everything else by a dense Adam, except in a
  // fold-in, where only the trainable rows move and nothing else does.
  auto& table = model->entities->weight;
  std::vector<torch::Tensor> dense;
  torch::Tensor trainableMask;
  if (foldIn) {
    model->eval();
    for (auto& p : model->parameters()) p.set_requires_grad(false);
    std::vector<std::uint8_t> mask(trainableRows.begin(), trainableRows.end());
    trainableMask = torch::tensor(std::vector<std::int64_t>(mask.begin(), mask.end())).to(torch::kBool);
  } else {
    model->train();
    for (auto& p : model->parameters())
      if (!p.is_same(table)) dense.push_back(p);
  }
  table.set_requires_grad(true);
  std::optional<torch::optim::Adam> denseOptimiser;
  if (!dense.empty()) denseOptimiser.emplace(dense, torch::optim::AdamOptions(config.learningRate));
  auto moment1 = torch::zeros_like(table), moment2 = torch::zeros_like(table);
  const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  std::int64_t stepCount = 0;
  auto sparseStep = [&] {
    ++stepCount;
    auto grad = table.grad();
    if (!grad.defined()) return;
    grad = grad.coalesce();
    auto rows = grad.indices()[0];
    auto values = grad.values();
    if (foldIn) {
      const auto keep = trainableMask.index_select(0, rows);
      rows = rows.masked_select(keep);
      values = values.index_select(0, keep.nonzero().view({-1}));
    }
    torch::NoGradGuard noGrad;
    const auto m1 = moment1.index_select(0, rows).mul_(beta1).add_(values, 1.0 - beta1);
    const auto m2 = moment2.index_select(0, rows).mul_(beta2).addcmul_(values, values, 1.0 - beta2);
    moment1.index_copy_(0, rows, m1);
    moment2.index_copy_(0, rows, m2);
    const double c1 = 1.0 - std::pow(beta1, double(stepCount)), c2 = 1.0 - std::pow(beta2, double(stepCount));
    const auto update = (m1 / c1) / ((m2 / c2).sqrt() + epsilon) * config.learningRate;
    table.index_add_(0, rows, -update);
    table.mutable_grad().reset();
  };
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  std::mt19937_64 rng(seed);
  std::vector<std::size_t> order(triples.size());
  std::iota(order.begin(), order.end(), 0);
  const int negatives = std::max(1, config.negatives);
  const int bs = std::max(1, config.batchSize);
  const std::size_t batches = (triples.size() + std::size_t(bs) - 1) / std::size_t(bs);
  for (int epoch = 0; epoch < config.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    double lossSum = 0.0;
    for (std::size_t b = 0; b < batches; ++b) {
      const std::size_t begin = b * std::size_t(bs), end = std::min(triples.size(), begin + std::size_t(bs));
      const auto n = std::int64_t(end - begin);
      const auto rows = static_cast<std::size_t>(n);
      std::vector<std::int64_t> s(rows), r(rows), o(rows), off(rows), cnt(rows);
      for (std::int64_t i = 0; i < n; ++i) {
        const Triple& t = triples[order[begin + std::size_t(i)]];
        s[std::size_t(i)] = t.subject;
        r[std::size_t(i)] = t.relation;
        o[std::size_t(i)] = t.object;
        const auto type = std::size_t(entityTypes[std::size_t(t.object)]);
        off[std::size_t(i)] = offset[type];
        cnt[std::size_t(i)] = count[type];
      }
      const auto u = torch::rand({n, negatives}, gen);
      const auto pick =
          torch::tensor(off).unsqueeze(1) +
          (u * torch::tensor(cnt, torch::kFloat32).unsqueeze(1)).floor().to(torch::kInt64).clamp_max(torch::tensor(cnt).unsqueeze(1) - 1);
      const auto negs = flatT.index_select(0, pick.flatten()).view({n, negatives});
      const auto objects = torch::tensor(o).unsqueeze(1);
      const auto candidates = torch::cat({objects, negs}, 1);
      // A negative that is the true object is a positive: with few entities of a type (14
      // categories, 64 draws) it would otherwise be pushed down several times per positive.
      auto labels = candidates.eq(objects).to(torch::kFloat32);
      labels = (1.0f - config.labelSmoothing) * labels + 1.0f / float(negatives + 1);
      const auto logits = model->score(torch::tensor(s), torch::tensor(r), candidates);
      const auto loss = torch::binary_cross_entropy_with_logits(logits, labels);
      if (denseOptimiser) denseOptimiser->zero_grad();
      loss.backward();
      sparseStep();
      if (denseOptimiser) denseOptimiser->step();
      lossSum += loss.item<double>();
    }
    report.epochs = epoch + 1;
    report.loss = lossSum / double(batches);
    if (progress && !progress(double(epoch + 1) / double(config.epochs))) break;
  }
  if (foldIn)
    for (auto& p : model->parameters()) p.set_requires_grad(true);
  model->eval();
  return report;
}

torch::Tensor foldInEntity(Tucker& model, const torch::Tensor& initial, const std::vector<std::pair<int, int>>& links,
                           const std::vector<EntityType>& entityTypes, const TuckerConfig& config, int steps, std::uint64_t seed) {
  auto e = initial.detach().clone().view({1, -1});
  if (links.empty() || steps <= 0) return e.view({-1});
  std::vector<std::vector<std::int64_t>> byType(kEntityTypes);
  for (std::size_t i = 0; i < entityTypes.size(); ++i) byType[std::size_t(entityTypes[i])].push_back(std::int64_t(i));
  const auto t = std::int64_t(links.size());
  const int negatives = std::max(1, config.negatives);
  std::vector<std::int64_t> r, o;
  for (const auto& [relation, object] : links) {
    r.push_back(relation);
    o.push_back(object);
  }
  const auto relations = torch::tensor(r), objects = torch::tensor(o).unsqueeze(1);
  if (model->is_training()) model->eval();  // a frozen, shared model is already: generation's workers only read it
  const auto table = model->entities->weight.detach();
  const auto d = table.size(1);
  torch::Tensor wr;
  {
    torch::NoGradGuard noGrad;
    wr = torch::mm(model->relations->weight.index_select(0, relations), model->core.view({d, d * d})).view({t, d, d});
  }
  e.set_requires_grad(true);
  torch::optim::Adam optimiser({e}, torch::optim::AdamOptions(config.learningRate));
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  for (int step = 0; step < steps; ++step) {
    std::vector<std::int64_t> negs;
    negs.reserve(std::size_t(t) * std::size_t(negatives));
    const auto u = torch::rand({t, negatives}, gen);
    const auto ua = u.accessor<float, 2>();
    for (std::int64_t i = 0; i < t; ++i) {
      const auto& pool = byType[std::size_t(entityTypes[std::size_t(o[std::size_t(i)])])];
      for (int k = 0; k < negatives; ++k)
        negs.push_back(pool[std::min(pool.size() - 1, std::size_t(double(ua[i][k]) * double(pool.size())))]);
    }
    const auto candidates = torch::cat({objects, torch::tensor(negs).view({t, negatives})}, 1);
    auto labels = candidates.eq(objects).to(torch::kFloat32);
    labels = (1.0f - config.labelSmoothing) * labels + 1.0f / float(negatives + 1);
    auto x = model->bn0(e).expand({t, d});
    x = model->bn1(torch::bmm(x.unsqueeze(1), wr).squeeze(1));
    const auto logits = torch::bmm(table.index_select(0, candidates.flatten()).view({t, negatives + 1, d}), x.unsqueeze(2)).squeeze(2);
    const auto loss = torch::binary_cross_entropy_with_logits(logits, labels);
    optimiser.zero_grad();
    loss.backward();
    optimiser.step();
  }
  return e.detach().view({-1});
}

LinkPredictionReport linkPrediction(Tucker& model, const std::vector<Triple>& test, const std::vector<Triple>& known,
                                    const std::vector<EntityType>& entityTypes) {
  LinkPredictionReport report;
  report.triples = int(test.size());
  report.candidates = int(model->entities->weight.size(0));
  if (test.empty()) return report;
  std::map<std::pair<int, int>, std::vector<std::int64_t>> trueObjects;
  for (const Triple& t : known) trueObjects[{t.subject, t.relation}].push_back(t.object);
  for (const Triple& t : test) trueObjects[{t.subject, t.relation}].push_back(t.object);
  torch::NoGradGuard noGrad;
  model->eval();
  const std::size_t batch = 256;
  double rr = 0.0, hits = 0.0;
  for (std::size_t begin = 0; begin < test.size(); begin += batch) {
    const std::size_t end = std::min(test.size(), begin + batch);
    std::vector<std::int64_t> s, r;
    for (std::size_t i = begin; i < end; ++i) {
      s.push_back(test[i].subject);
      r.push_back(test[i].relation);
    }
    auto scores = model->score(torch::tensor(s), torch::tensor(r)).contiguous();
    auto acc = scores.accessor<float, 2>();
    for (std::size_t i = begin; i < end; ++i) {
      const Triple& t = test[i];
      const auto row = std::int64_t(i - begin);
      const float target = acc[row][t.object];
      for (std::int64_t other : trueObjects[{t.subject, t.relation}])
        if (other != t.object) acc[row][other] = -std::numeric_limits<float>::infinity();
      // Ranked among the entities of the object's type: training draws its negatives there too, and
      // an entity of another type is never a candidate answer (a category is not a POI).
      std::int64_t above = 0;
      const EntityType type = entityTypes[std::size_t(t.object)];
      for (std::int64_t e = 0; e < scores.size(1); ++e) above += (acc[row][e] > target && entityTypes[std::size_t(e)] == type) ? 1 : 0;
      rr += 1.0 / double(above + 1);
      hits += above < 10 ? 1.0 : 0.0;
    }
  }
  report.mrr = rr / double(test.size());
  report.hitsAt10 = hits / double(test.size());
  return report;
}

}  // namespace netspatial::models::adaptive
