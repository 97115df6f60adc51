// ADAPTIVE (paper 000): the knowledge graph of a hand-made city (exact triples), TuckER's score
// against the explicit mode products, the GCN layer against a hand computation, the POI KL and the
// alignment loss (Eq. 7–8), its gradient with and without the published code's undetached weights,
// and the whole generator: training, shapes, determinism, save/load, a site alone or in a batch.

#include "models/adaptive/knowledgegraph.h"
#include "models/adaptive/stationgraph.h"
#include "models/adaptive/tucker.h"
#include "models/netspatial/checkpoint.h"
#include "netspatial/models/adaptive.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <set>

using namespace netspatial::models;
using namespace netspatial::models::adaptive;

namespace {

ModelPoi poiAt(double sx, double sy, double px, double py, int category, const std::string& name) {
  const double dx = px - sx, dy = py - sy;
  double bearing = std::atan2(dx, dy);
  if (bearing < 0) bearing += 2.0 * std::numbers::pi;
  return {category, name, float(std::hypot(dx, dy)), float(bearing)};
}

bool hasTriple(const KnowledgeGraph& g, const std::string& s, Relation r, const std::string& o) {
  const int si = g.entityIndex.at(s), oi = g.entityIndex.at(o);
  return std::find(g.triples.begin(), g.triples.end(), Triple{si, int(r), oi}) != g.triples.end();
}

// A small synthetic world: `cities` cities of `perCity` stations on a jittered grid, POIs of a
// category that depends on the quarter, and traffic whose daily shape follows the POI mix.
struct World {
  std::vector<NetSpatialTrainingSite> sites;
};

World makeWorld(int cities, int perCity, std::uint64_t seed) {
  World w;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> jitter(-80.0, 80.0);
  for (int c = 0; c < cities; ++c) {
    const int side = int(std::ceil(std::sqrt(double(perCity))));
    // POIs of the city: offices in the east half, homes in the west half, shops along the middle.
    std::vector<std::tuple<double, double, int, std::string>> pois;
    for (int k = 0; k < side * side * 3; ++k) {
      const double x = std::uniform_real_distribution<double>(0.0, side * 400.0)(rng);
      const double y = std::uniform_real_distribution<double>(0.0, side * 400.0)(rng);
      const int category = x > side * 200.0 ? 2 : (std::abs(x - side * 200.0) < 150.0 ? 1 : 3);
      pois.emplace_back(x, y, category, category == 1 ? "Corner Shop" : (category == 2 ? "Tower " + std::to_string(k) : "Home"));
    }
    for (int i = 0; i < perCity; ++i) {
      NetSpatialTrainingSite s;
      s.hasPosition = true;
      s.group = c;
      s.x = (i % side) * 400.0 + 200.0 + jitter(rng);
      s.y = (i / side) * 400.0 + 200.0 + jitter(rng);
      s.context.poisKnown = true;
      s.context.position = ModelPosition{s.x, s.y, "EPSG:" + std::to_string(32600 + c)};
      double office = 0.0, home = 0.0;
      for (const auto& [px, py, category, name] : pois) {
        if (std::hypot(px - s.x, py - s.y) > 500.0) continue;
        s.context.pois.push_back(poiAt(s.x, s.y, px, py, category, name));
        office += category == 2 ? 1.0 : 0.0;
        home += category == 3 ? 1.0 : 0.0;
      }
      const double officeShare = office / std::max(1.0, office + home);
      const double level = 0.2 + 0.3 * officeShare;
      for (int h = 0; h < 672; ++h) {
        const int hour = h % 24, day = (h / 24) % 7;
        const double work = (day < 5 && hour >= 9 && hour < 18) ? 1.0 : 0.2;
        const double evening = (hour >= 18 && hour < 23) ? 1.0 : 0.3;
        const double v =
            level * (officeShare * work + (1.0 - officeShare) * evening) * (1.0 + 0.05 * std::normal_distribution<double>(0.0, 1.0)(rng));
        s.series.push_back(float(std::max(0.0, v)));
      }
      w.sites.push_back(std::move(s));
    }
  }
  return w;
}

AdaptiveConfig smokeConfig() {
  AdaptiveConfig c;
  c.tuckerEpochs = 3;
  c.foldInEpochs = 2;
  c.candidateFoldInSteps = 5;
  c.gcnMaxEpochs = 30;
  c.gcnPatience = 10;
  c.clusters = 2;
  c.patterns = 4;
  c.ganEpochs = 1;
  c.ganBatch = 32;
  c.volumeSteps = 50;
  c.neighbours = 4;
  c.businessAreaMinPoints = 3;
  c.seed = 7;
  return c;
}

// Equal up to the last bits a BLAS kernel may change with the batch's row count (as NetSpatial's test).
bool closeTo(const float* a, const float* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (std::abs(a[i] - b[i]) > 1e-4f * (1.0f + std::abs(b[i]))) return false;
  return true;
}

std::vector<ModelContext> contextsOf(const std::vector<NetSpatialTrainingSite>& sites) {
  std::vector<ModelContext> out;
  for (const auto& s : sites) out.push_back(s.context);
  return out;
}

}  // namespace

class TestAdaptive : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  void knowledgeGraphOfAHandMadeCity() {
    // Two stations 300 m apart; a shop listed by both (one entity, served by the nearer), a brand
    // shared by two shops, a lone office.
    ModelContext a, b;
    a.poisKnown = b.poisKnown = true;
    a.pois = {poiAt(0, 0, 100, 0, 1, "Esselunga - Via Roma"), poiAt(0, 0, 0, 120, 1, "Esselunga 12"), poiAt(0, 0, 50, 50, 2, "Office")};
    b.pois = {poiAt(300, 0, 100, 0, 1, "Esselunga - Via Roma")};
    std::vector<GraphSite> sites{{0.0, 0.0, 0, &a}, {300.0, 0.0, 0, &b}};
    KnowledgeGraphOptions options;
    options.neighbours = 1;
    options.businessAreaMinPoints = 100;  // no business area: tested in their own case
    const KnowledgeGraph g = buildKnowledgeGraph(sites, options);
    QCOMPARE(g.pois, 3);
    QCOMPARE(g.brands, 1);
    QCOMPARE(g.regions, 1);
    QCOMPARE(brandOf("Esselunga - Via Roma"), std::string("esselunga"));
    QCOMPARE(brandOf("Esselunga 12"), std::string("esselunga"));
    const std::string shop = "poi:0:1:Esselunga - Via Roma:100:0";
    QVERIFY(hasTriple(g, "station:0:0", Relation::StationServesPoi, shop));  // 100 m from a, 200 m from b
    QVERIFY(!hasTriple(g, "station:0:1", Relation::StationServesPoi, shop));
    QVERIFY(hasTriple(g, shop, Relation::PoiHasCategory, categoryKey(1)));
    QVERIFY(hasTriple(g, shop, Relation::PoiHasBrand, "brand:esselunga"));
    QVERIFY(hasTriple(g, "poi:0:1:Esselunga 12:0:120", Relation::PoiHasBrand, "brand:esselunga"));
    QVERIFY(hasTriple(g, "station:0:0", Relation::StationLocatedAtRegion, "region:0:0:0"));
    QVERIFY(hasTriple(g, "station:0:0", Relation::StationBordersStation, "station:0:1"));
    QVERIFY(hasTriple(g, "station:0:1", Relation::StationBordersStation, "station:0:0"));
    QVERIFY(hasTriple(g, shop, Relation::PoiLocatedAtRegion, "region:0:0:0"));
    // 2 located_at + 3 × (serves, category, region) + 2 brands + 2 borders = 15, nothing else.
    QCOMPARE(int(g.triples.size()), 15);
    QCOMPARE(g.stationPoiCounts[0][1], 2.0f);
    QCOMPARE(g.stationPoiCounts[1][1], 1.0f);
    QCOMPARE(g.edgeFrom.size(), std::size_t(2));
    QCOMPARE(g.edgeDistance[0], 300.0);
  }

  void businessAreasAreClustersOfCommercialPois() {
    ModelContext a;
    a.poisKnown = true;
    for (int k = 0; k < 8; ++k) a.pois.push_back(poiAt(0, 0, 20.0 * k, 0, 0, "Food " + std::to_string(k)));  // one dense street
    a.pois.push_back(poiAt(0, 0, 0, 400, 0, "Lonely Bar"));
    a.pois.push_back(poiAt(0, 0, 10, 10, 3, "House"));  // residential: never in an area
    std::vector<GraphSite> sites{{0.0, 0.0, 0, &a}};
    const KnowledgeGraph g = buildKnowledgeGraph(sites, {});
    QCOMPARE(g.businessAreas, 1);
    QVERIFY(hasTriple(g, "poi:0:0:Food 0:0:0", Relation::PoiBelongsToBusinessArea, "area:0:0"));
    QVERIFY(g.entityIndex.count("poi:0:0:Lonely Bar:0:400"));
    QVERIFY(!hasTriple(g, "poi:0:0:Lonely Bar:0:400", Relation::PoiBelongsToBusinessArea, "area:0:0"));
    QVERIFY(hasTriple(g, "station:0:0", Relation::StationBelongsToBusinessArea, "area:0:0"));
    QVERIFY(hasTriple(g, "area:0:0", Relation::BusinessAreaServesRegion, "region:0:0:0"));
  }

  void tuckerScoreIsTheModeProduct() {
    torch::manual_seed(3);
    Tucker t(5, 2, 4);
    t->eval();  // BatchNorm at its initial statistics (identity), no dropout
    torch::NoGradGuard noGrad;
    const auto s = torch::tensor({std::int64_t(1)}), r = torch::tensor({std::int64_t(1)});
    const auto logits = t->score(s, r);
    const auto e = t->entities->weight, rel = t->relations->weight, w = t->core;
    const double bnScale = 1.0 / std::sqrt(1.0 + 1e-5);
    for (int o = 0; o < 5; ++o) {
      // W ×1 w_r ×2 e_s ×3 e_o, BatchNorm's eval scale applied after each of the two normalisations.
      double expected = 0.0;
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
          for (int k = 0; k < 4; ++k)
            expected +=
                w[i][j][k].item<double>() * rel[1][i].item<double>() * e[1][j].item<double>() * bnScale * bnScale * e[o][k].item<double>();
      QVERIFY2(std::abs(logits[0][o].item<double>() - expected) < 1e-4,
               qPrintable(QString("%1 vs %2").arg(logits[0][o].item<double>()).arg(expected)));
    }
  }

  void tuckerLearnsHeldOutLinks() {
    const World w = makeWorld(1, 36, 5);
    std::vector<GraphSite> sites;
    for (const auto& s : w.sites) sites.push_back({s.x, s.y, s.group, &s.context});
    KnowledgeGraphOptions options;
    options.neighbours = 4;
    const KnowledgeGraph g = buildKnowledgeGraph(sites, options);
    std::vector<Triple> train, test;
    int categoryLinks = 0;
    for (const Triple& t : g.triples) (t.relation == int(Relation::PoiHasCategory) && categoryLinks++ % 5 == 0 ? test : train).push_back(t);
    QVERIFY(test.size() >= 10);
    torch::manual_seed(1);
    Tucker trained(g.entityCount(), 2 * kRelations, 16);
    Tucker untrained(g.entityCount(), 2 * kRelations, 16);
    TuckerConfig c;
    c.dim = 16;
    c.epochs = 40;
    c.learningRate = 5e-3;
    const auto report = trainTucker(trained, withReverses(train), g.entityTypes, c, 2);
    QCOMPARE(report.epochs, 40);
    const auto known = withReverses(g.triples);
    const auto a = linkPrediction(trained, test, known, g.entityTypes), b = linkPrediction(untrained, test, known, g.entityTypes);
    // has_category has 14 possible answers among all entities: a trained model ranks them first.
    QVERIFY2(a.mrr > 2.0 * b.mrr && a.hitsAt10 > b.hitsAt10, qPrintable(QString("MRR %1 vs random %2").arg(a.mrr).arg(b.mrr)));
  }

  void foldInMovesOnlyTheNewRows() {
    torch::manual_seed(4);
    Tucker t(6, 2 * kRelations, 8);
    const auto before = t->entities->weight.detach().clone();
    const auto core = t->core.detach().clone();
    std::vector<EntityType> types(6, EntityType::Station);
    std::vector<Triple> triples{{0, 3, 1}, {4, 3, 5}, {5, 3, 2}};
    std::vector<bool> trainable{false, false, false, false, true, true};
    TuckerConfig c;
    c.dim = 8;
    c.epochs = 5;
    c.negatives = 3;
    (void)trainTucker(t, withReverses(triples), types, c, 1, trainable);
    const auto after = t->entities->weight.detach();
    QVERIFY(torch::equal(after.narrow(0, 0, 4), before.narrow(0, 0, 4)));
    QVERIFY(!torch::equal(after.narrow(0, 4, 2), before.narrow(0, 4, 2)));
    QVERIFY(torch::equal(t->core.detach(), core));
  }

  void gcnLayerMatchesAHandComputation() {
    // A path 0 – 1 – 2 with distances 100 and 200: A01 = 1, A12 = 0.5 (Eq. 1), deg = 2, 2.5, 1.5.
    const auto g = normalisedGraph(3, {0, 1, 1, 2}, {1, 0, 2, 1}, {100.0, 100.0, 200.0, 200.0}, true);
    const auto x = torch::tensor({1.0f, 2.0f, 4.0f}).unsqueeze(1);
    const auto y = propagate(g, x);
    const double d0 = 2.0, d1 = 2.5, d2 = 1.5;
    const double e0 = 1.0 / d0 + 2.0 * 1.0 / std::sqrt(d0 * d1);
    const double e1 = 1.0 / std::sqrt(d0 * d1) + 2.0 / d1 + 4.0 * 0.5 / std::sqrt(d1 * d2);
    const double e2 = 2.0 * 0.5 / std::sqrt(d1 * d2) + 4.0 / d2;
    QVERIFY(std::abs(y[0][0].item<double>() - e0) < 1e-6);
    QVERIFY(std::abs(y[1][0].item<double>() - e1) < 1e-6);
    QVERIFY(std::abs(y[2][0].item<double>() - e2) < 1e-6);
    // Unweighted (the code): every edge 1.
    const auto u = propagate(normalisedGraph(3, {0, 1}, {1, 2}, {100.0, 200.0}, false), x);
    QVERIFY(std::abs(u[0][0].item<double>() - (1.0 / 2.0 + 2.0 / std::sqrt(2.0 * 3.0))) < 1e-6);
    // The GCN: Z = [sigmoid(Â E W1 + b1) ‖ ReLU(Â H1 W2 + b2)], 160 = 128 + 32 wide.
    torch::manual_seed(2);
    StationGcn gcn(1, 128, 32, 14);
    gcn->eval();
    torch::NoGradGuard noGrad;
    const auto z = gcn->embed(g, x);
    QCOMPARE(z.size(1), std::int64_t(160));
    const auto h1 = torch::sigmoid(gcn->layer1(y));
    QVERIFY(torch::allclose(z.narrow(1, 0, 128), h1));
    QVERIFY(torch::allclose(z.narrow(1, 128, 32), torch::relu(gcn->layer2(propagate(g, h1)))));
  }

  void poiKlIsTargetRelativeToPrediction() {
    const auto counts = torch::tensor({2.0f, 0.0f, 1.0f, 1.0f, 0.0f, 0.0f}).view({3, 2});
    torch::Tensor mask;
    const auto pd = poiDistribution(counts, &mask);
    // Category totals 3 and 1: row 0 = (2/3, 0) → (1, 0); row 1 = (1/3, 1) → (0.25, 0.75).
    QVERIFY(std::abs(pd[1][0].item<double>() - 0.25) < 1e-6);
    QCOMPARE(mask[2].item<float>(), 0.0f);
    const auto predicted = torch::tensor({0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}).view({3, 2}).log();
    const double expected = (std::log(2.0) + (0.25 * std::log(0.5) + 0.75 * std::log(1.5))) / 2.0;
    QVERIFY(std::abs(poiKl(pd, predicted, mask).item<double>() - expected) < 1e-6);
  }

  void patternLossOnAHandExample() {
    // z along the first centre: cos = (1, 0); M = e/(e + 1); L = −(1 − M) log M.
    const auto z = torch::tensor({2.0f, 0.0f}).view({1, 2});
    const auto centres = torch::tensor({1.0f, 0.0f, 0.0f, 1.0f}).view({2, 2});
    double match = 0.0;
    const double loss = patternLoss(z, centres, &match).item<double>();
    const double m = std::exp(1.0) / (std::exp(1.0) + 1.0);
    QVERIFY(std::abs(match - m) < 1e-6);
    QVERIFY(std::abs(loss + (1.0 - m) * std::log(m)) < 1e-6);
  }

  void alignmentGradientIsZeroOnlyAsPublished() {
    const World w = makeWorld(1, 16, 9);
    std::vector<GraphSite> sites;
    for (const auto& s : w.sites) sites.push_back({s.x, s.y, s.group, &s.context});
    KnowledgeGraphOptions options;
    options.neighbours = 4;
    const KnowledgeGraph g = buildKnowledgeGraph(sites, options);
    const auto graph = normalisedGraph(16, g.edgeFrom, g.edgeTo, g.edgeDistance, true);
    torch::manual_seed(5);
    const auto e = torch::randn({16, 8});
    std::vector<float> counts;
    for (const auto& row : g.stationPoiCounts) counts.insert(counts.end(), row.begin(), row.end());
    torch::Tensor mask;
    const auto pd = poiDistribution(torch::tensor(counts).view({16, kPoiCategories}), &mask);
    const auto centres = torch::randn({3, 48}).abs();
    auto gradientNorm = [&](bool asPublished) {
      torch::manual_seed(6);
      StationGcn gcn(8, 32, 16, kPoiCategories);
      gcn->eval();
      const auto z = gcn->embed(graph, e);
      const auto kl = poiKl(pd, gcn->poiLogProbabilities(z), mask);
      const auto pat = patternLoss(z, centres);
      const auto loss = asPublished ? kl / kl.abs() + pat / pat.abs() : kl / kl.detach().abs() + pat / pat.detach().abs();
      loss.backward();
      double norm = 0.0;
      for (const auto& p : gcn->parameters()) norm += p.grad().pow(2).sum().item<double>();
      return std::sqrt(norm);
    };
    QVERIFY(gradientNorm(false) > 1e-4);
    QCOMPARE(gradientNorm(true), 0.0);
  }

  void generatorTrainsAdaptsAndGeneratesReproducibly() {
    const World source = makeWorld(2, 25, 11);
    const World target = makeWorld(1, 16, 12);
    AdaptiveGenerator g(smokeConfig());
    QVERIFY(!g.isFitted());
    const auto trained = g.train(source.sites, {1.0, "MB"});
    QVERIFY2(trained.ok(), trained.ok() ? "" : trained.error().message.c_str());
    QVERIFY(g.isFitted());
    QCOMPARE(g.weightsSha256().size(), std::size_t(64));
    QVERIFY(g.trainingSummary().find("TuckER") != std::string::npos);
    const auto contexts = contextsOf(target.sites);
    QVERIFY(g.adapt(contexts).ok());
    QCOMPARE(g.adaptationKey().size(), std::size_t(64));
    auto a = g.generate(contexts, 2, 5);
    QVERIFY2(a.ok(), a.ok() ? "" : a.error().message.c_str());
    QCOMPARE(a->sites, 16);
    QCOMPARE(a->samples, 2);
    QCOMPARE(a->hours, 672);
    for (float v : a->values) QVERIFY(std::isfinite(v) && v >= 0.0f);
    auto again = g.generate(contexts, 2, 5);
    QVERIFY(again->values == a->values);
    auto other = g.generate(contexts, 2, 6);
    QVERIFY(other->values != a->values);
    // Four independent weeks per sample: week 1 and week 2 of one sample differ.
    QVERIFY(!std::equal(a->values.begin(), a->values.begin() + 168, a->values.begin() + 168));

    // A candidate outside the adapted stations: the same weeks alone as in a batch.
    ModelContext candidate = contexts[3];
    candidate.position->x += 150.0;
    auto alone = g.generate({candidate}, 2, 5);
    auto inBatch = g.generate({contexts[0], candidate, contexts[5]}, 2, 5);
    QVERIFY2(alone.ok(), alone.ok() ? "" : alone.error().message.c_str());
    QVERIFY(closeTo(alone->values.data(), inBatch->values.data() + 2 * 672, alone->values.size()));
    // Chunks of 32 sites on as many workers as intra-op threads: 70 sites (the city and 54
    // candidates) give the same bytes on one worker and on two.
    {
      std::vector<ModelContext> many = contexts;
      for (int i = 0; i < 54; ++i) {
        ModelContext c = contexts[std::size_t(i) % contexts.size()];
        c.position->x += 120.0 + 7.0 * i;
        many.push_back(c);
      }
      torch::set_num_threads(1);
      auto one = g.generate(many, 2, 5);
      torch::set_num_threads(2);
      auto two = g.generate(many, 2, 5);
      torch::set_num_threads(1);
      QVERIFY(one.ok() && two.ok());
      QVERIFY(one->values == two->values);
    }
    // An adapted station alone gets its own weeks from the city's run.
    auto station = g.generate({contexts[5]}, 2, 5);
    QVERIFY(closeTo(station->values.data(), a->values.data() + 5 * 2 * 672, station->values.size()));

    // Save and load: the same bytes, the same weeks.
    auto bytes = g.save();
    QVERIFY(bytes.ok());
    auto loaded = AdaptiveGenerator::load(*bytes);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QCOMPARE((*loaded)->weightsSha256(), g.weightsSha256());
    auto fromLoaded = (*loaded)->generate(contexts, 2, 5);
    QVERIFY(fromLoaded.ok());
    QVERIFY(fromLoaded->values == a->values);
    // A checkpoint from before gan_data_init and volume_input loads with what it was trained with:
    // the code's init and the volume head on the condition (whose width then checks the tensors).
    {
      auto old = netspatialnet::readCheckpoint(*bytes);
      QVERIFY(old.ok());
      QCOMPARE(old->meta.at("config.volume_input"), std::string("2"));
      old->meta.erase("config.gan_data_init");
      old->meta.erase("config.volume_input");
      auto oldLoaded = AdaptiveGenerator::load(netspatialnet::writeCheckpoint(*old));
      QVERIFY(!oldLoaded.ok());  // its volume head reads the context features, not the 160-d condition
      QVERIFY2(oldLoaded.error().message.find("volume") != std::string::npos, oldLoaded.error().message.c_str());
    }

    // Training again with the same seed gives the same weights.
    AdaptiveGenerator twin(smokeConfig());
    QVERIFY(twin.train(source.sites, {1.0, "MB"}).ok());
    QCOMPARE(twin.weightsSha256(), g.weightsSha256());

    // The probe runs every alignment variant.
    std::vector<std::vector<float>> series;
    for (const auto& s : target.sites) series.push_back(s.series);
    auto probe = g.probe(contexts, series);
    QVERIFY2(probe.ok(), probe.ok() ? "" : probe.error().message.c_str());
    QCOMPARE(int(probe->alignment.size()), 6);
    QVERIFY(probe->sites > 0);
  }

  void badInputIsAnErrorNotACrash() {
    AdaptiveGenerator g(smokeConfig());
    ModelContext noPosition;
    auto notFitted = g.generate({noPosition}, 1, 1);
    QVERIFY(!notFitted.ok());
    QCOMPARE(notFitted.error().code, ModelErrorCode::NotFitted);
    World w = makeWorld(1, 9, 3);
    w.sites[2].hasPosition = false;
    auto missing = g.train(w.sites, {1.0, "MB"});
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ModelErrorCode::InvalidArgument);
    std::vector<std::uint8_t> junk(100, 7);
    QVERIFY(!AdaptiveGenerator::load(junk).ok());
  }
};

QTEST_GUILESS_MAIN(TestAdaptive)
#include "tst_adaptive.moc"
