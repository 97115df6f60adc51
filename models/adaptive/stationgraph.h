#pragma once

// ADAPTIVE's base-station representation (paper 000 §4.2–4.3; spec §5.3 steps 2–3): the kNN
// station graph with Eq. 1 weights, the two-layer GCN over TuckER's station embeddings, the POI
// distribution head and its KL loss, and the pattern-matching loss that aligns a target city with
// the source's traffic clusters (Eq. 7–8) (internal to models/).

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace netspatial::models::adaptive {

//! Â = D^-1/2 (A + I) D^-1/2 as a list of weighted edges (self loops included).
struct StationGraph {
  torch::Tensor from, to;  //!< int64 [E]
  torch::Tensor weight;    //!< float [E]
  std::int64_t nodes = 0;
};

//! From the directed kNN edges: A(i,j) = (1/d_ij) / max(1/d) (Eq. 1), symmetrised by the larger of
//! the two directions; `weighted` false gives every edge weight 1 (the published code).
StationGraph normalisedGraph(std::int64_t nodes, const std::vector<int>& from, const std::vector<int>& to,
                             const std::vector<double>& distance, bool weighted);
//! Â x.
torch::Tensor propagate(const StationGraph& graph, const torch::Tensor& x);

struct StationGcnImpl : torch::nn::Module {
  StationGcnImpl(int inputDim, int hidden, int output, int categories);
  //! Z = [H1 ‖ H2], H1 = sigmoid(Â E W1), H2 = ReLU(Â dropout(H1) W2) (Eq. 2–3 with the code's
  //! activations; the dropout is only on the path into layer 2, as the code has it).
  torch::Tensor embed(const StationGraph& graph, const torch::Tensor& stations);
  //! log P̂D: log softmax(Linear(LN(Linear(Z)))) (the POI head).
  torch::Tensor poiLogProbabilities(const torch::Tensor& z);

  torch::nn::Linear layer1{nullptr}, layer2{nullptr}, head1{nullptr}, head2{nullptr};
  torch::nn::LayerNorm headNorm{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(StationGcn);

//! PD (Eq. 4 as the code computes it): counts ÷ the city's count of each category, rows
//! normalised to 1; `mask` is 1 for stations with at least one POI. counts [N, K].
torch::Tensor poiDistribution(const torch::Tensor& counts, torch::Tensor* mask);
//! mean over masked rows of KL(PD ‖ P̂D) (the code's nn.KLDivLoss direction).
torch::Tensor poiKl(const torch::Tensor& target, const torch::Tensor& logPredicted, const torch::Tensor& mask);
//! Eq. 7–8: M_i = softmax_j(cos(z_i, c_j))[argmax], L = −Σ (1 − M_i) log M_i. Also returns mean M.
torch::Tensor patternLoss(const torch::Tensor& z, const torch::Tensor& centres, double* meanMatch = nullptr);
//! The published code's variant: k = the label of the most cosine-similar source station,
//! p = mean exp(cos(z, c_k)) / mean_j exp(cos(z, c_j)), L = −Σ log p.
torch::Tensor codePatternLoss(const torch::Tensor& z, const torch::Tensor& centres, const torch::Tensor& sourceZ,
                              const torch::Tensor& sourceLabels);

struct GcnTrainingOptions {
  double learningRate = 1e-3;
  int maxEpochs = 1000;
  int patience = 250;        //!< stop after this many epochs without a better loss
  int plateauPatience = 10;  //!< ReduceLROnPlateau: halve the rate after this many
  //! Alignment (target city): the centres of the source clusters; undefined = L_POI only.
  torch::Tensor centres;
  //! The code's nearest-source-station loss instead of Eq. 7–8 (needs the two below).
  bool codeLoss = false;
  torch::Tensor sourceZ, sourceLabels;
  //! The published weighting B = 1/|L| without a stop-gradient: the loss is then constant (±1 per
  //! term) and nothing trains (spec §5.9 #15). Kept to show it, never the default.
  bool weightsAsPublished = false;
};

struct GcnReport {
  int epochs = 0;
  double bestLoss = 0.0;
  double kl = 0.0;         //!< L_POI at the kept epoch
  double pattern = 0.0;    //!< L_pat at the kept epoch (0 without centres)
  double meanMatch = 0.0;  //!< mean M_i at the kept epoch
};

//! Full-batch training; keeps the weights of the best-loss epoch (as the code keeps its best
//! embeddings). `progress` returns false to cancel.
GcnReport trainGcn(StationGcn& gcn, const StationGraph& graph, const torch::Tensor& stations, const torch::Tensor& target,
                   const torch::Tensor& mask, const GcnTrainingOptions& options, std::uint64_t seed,
                   const std::function<bool(double)>& progress = {});

}  // namespace netspatial::models::adaptive
