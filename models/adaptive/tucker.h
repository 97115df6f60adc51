#pragma once

// TuckER knowledge-graph embeddings (Balažević et al. 2019), as ADAPTIVE's code uses them (spec
// §5.3 step 1), with 1 + n sampled negatives instead of 1-N scoring (the scaling deviation of the
// spec) and a fold-in that embeds a new city's entities with everything shared frozen.

#include "knowledgegraph.h"

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace netspatial::models::adaptive {

struct TuckerConfig {
  int dim = 32;  //!< d_e = d_r
  float inputDropout = 0.3f, hiddenDropout1 = 0.4f, hiddenDropout2 = 0.5f;
  float labelSmoothing = 0.1f;
  int negatives = 64;  //!< per positive, drawn among the entities of the object's type
  int batchSize = 128;
  double learningRate = 2e-3;
  int epochs = 40;
};

struct TuckerImpl : torch::nn::Module {
  TuckerImpl(int entities, int relations, int dim);
  //! The (subject, relation) query after the core tensor: [B, d].
  torch::Tensor query(const torch::Tensor& subjects, const torch::Tensor& relations);
  //! Logits of candidate objects: [B, C] for candidates [B, C]; every entity when `candidates` is
  //! undefined ([B, entities]).
  torch::Tensor score(const torch::Tensor& subjects, const torch::Tensor& relations, const torch::Tensor& candidates = {});

  torch::nn::Embedding entities{nullptr}, relations{nullptr};
  torch::Tensor core;  //!< W, [d_r, d_e, d_e]
  torch::nn::BatchNorm1d bn0{nullptr}, bn1{nullptr};
  torch::nn::Dropout inputDropout{nullptr}, hiddenDropout1{nullptr}, hiddenDropout2{nullptr};
};
TORCH_MODULE(Tucker);

//! Triples with every reverse added (relation r + kRelations), as the code's `reverse=True`.
std::vector<Triple> withReverses(const std::vector<Triple>& triples);

struct TuckerReport {
  int triples = 0;  //!< with reverses
  int epochs = 0;
  double loss = 0.0;  //!< mean BCE of the last epoch
};

//! Trains `model` on `triples` (reverses included by the caller). `trainableRows`, when given,
//! marks the entity rows that may change (fold-in): then only those rows move, with BatchNorm
//! statistics, the core tensor and the relations frozen and no dropout. `progress` sees the
//! fraction done and returns false to cancel (the report then has epochs < config.epochs).
TuckerReport trainTucker(Tucker& model, const std::vector<Triple>& triples, const std::vector<EntityType>& entityTypes,
                         const TuckerConfig& config, std::uint64_t seed, const std::vector<bool>& trainableRows = {},
                         const std::function<bool(double)>& progress = {});

//! Fold-in of one new entity (a site outside an adapted city): only its embedding moves, from
//! `initial`, over its links (relation, object) as the subject, for `steps` full-batch Adam steps
//! with negatives of each object's type from a generator seeded by `seed`. The model stays frozen
//! (eval mode), so the result depends on this entity's links alone. Returns [d].
torch::Tensor foldInEntity(Tucker& model, const torch::Tensor& initial, const std::vector<std::pair<int, int>>& links,
                           const std::vector<EntityType>& entityTypes, const TuckerConfig& config, int steps, std::uint64_t seed);

struct LinkPredictionReport {
  double mrr = 0.0;
  double hitsAt10 = 0.0;
  int triples = 0;
  int candidates = 0;  //!< entities in the model
};

//! Filtered, type-constrained ranking of each test triple's object among the entities of its type
//! (every object known true for the same subject and relation in `known` is removed from the
//! ranking but the tested one).
LinkPredictionReport linkPrediction(Tucker& model, const std::vector<Triple>& test, const std::vector<Triple>& known,
                                    const std::vector<EntityType>& entityTypes);

}  // namespace netspatial::models::adaptive
