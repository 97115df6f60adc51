// NetSpatial's engine on a tiny two-district "city" built here: training smoke (the loss falls),
// checkpoint round trip, determinism, missing modalities, cancellation, corrupt and mismatched
// weights, operations mode and the linear probe.

#include "models/netspatial/checkpoint.h"
#include "netspatial/models/contextfeatures.h"
#include "netspatial/models/netspatial.h"
#include "netspatial/models/runtimeinfo.h"
#include "netspatial/models/sha256.h"

#include <QTest>

#include <cmath>
#include <numbers>
#include <random>

using namespace netspatial::models;

namespace {

constexpr int kWeeks = 5;

// Offices peak at 11 h on weekdays; homes at 20 h, busier at weekends. AR(1) noise on top.
std::vector<float> districtSeries(bool office, double volume, std::mt19937_64& rng) {
  std::normal_distribution<double> noise(0.0, 0.05);
  std::vector<float> x(std::size_t(kWeeks * 168));
  double e = 0.0;
  for (std::size_t t = 0; t < x.size(); ++t) {
    const int day = int(t / 24) % 7, hour = int(t % 24);
    const double peak = office ? 11.0 : 20.0;
    const double shape = 1.0 + 0.8 * std::cos(2.0 * std::numbers::pi * (hour - peak) / 24.0);
    const double week = office ? (day < 5 ? 1.0 : 0.3) : (day < 5 ? 0.9 : 1.2);
    e = 0.7 * e + noise(rng);
    x[t] = float(std::max(0.0, volume * shape * week * std::exp(e)));
  }
  return x;
}

ModelContext districtContext(bool office, std::mt19937_64& rng, bool withImage = true, bool withPois = true) {
  ModelContext c;
  if (withImage) {
    c.imagePixels = 64;
    c.image.resize(3 * 64 * 64);
    std::uniform_int_distribution<int> jitter(-20, 20);
    // Offices: grey roofs with bright stripes; homes: red roofs on green.
    for (int band = 0; band < 3; ++band)
      for (int i = 0; i < 64 * 64; ++i) {
        const int row = i / 64;
        int base = office ? (row % 8 < 2 ? 220 : 120) : (band == 0 ? 170 : band == 1 ? 110 : 60);
        c.image[std::size_t(band * 64 * 64 + i)] = std::uint8_t(std::clamp(base + jitter(rng), 0, 255));
      }
  }
  c.poisKnown = withPois;
  if (withPois) {
    std::uniform_real_distribution<float> d(20.0f, 480.0f), b(0.0f, 6.28f);
    for (int i = 0; i < 12; ++i)
      c.pois.push_back(office ? ModelPoi{2, "Studio Legale " + std::to_string(i), d(rng), b(rng)}
                              : ModelPoi{3, "Residenza " + std::to_string(i), d(rng), b(rng)});
  }
  c.population = office ? 800.0f : 6000.0f;
  c.zoneClass = office ? 0 : 2;
  return c;
}

NetSpatialConfig tinyConfig() {
  NetSpatialConfig c;
  c.embedDim = 16;
  c.conditionDim = 32;
  c.hidden1 = c.hidden2 = c.hidden3 = 64;
  c.maxPois = 16;
  c.imageSteps = 20;
  c.poiSteps = 20;
  c.fusionSteps = 20;
  c.generatorSteps = 600;
  c.batchSize = 32;
  c.windowsPerSite = 2;
  c.seed = 7;
  return c;
}

std::vector<NetSpatialTrainingSite> tinyCity(int perDistrict, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<NetSpatialTrainingSite> sites;
  for (int i = 0; i < 2 * perDistrict; ++i) {
    const bool office = i % 2 == 0;
    NetSpatialTrainingSite s;
    s.context = districtContext(office, rng);
    s.series = districtSeries(office, office ? 0.5 : 0.3, rng);
    s.hasPosition = true;
    s.x = (office ? 0.0 : 5000.0) + 100.0 * i;
    s.y = 0.0;
    sites.push_back(std::move(s));
  }
  return sites;
}

// One tiny trained model shared by the tests (training it is the smoke test).
struct Trained {
  std::unique_ptr<NetSpatialGenerator> model;
  std::vector<double> generatorLosses;
  std::vector<std::string> stageEnds;
};

Trained& trained() {
  static Trained t = [] {
    Trained r;
    r.model = std::make_unique<NetSpatialGenerator>(tinyConfig());
    auto status = r.model->train(tinyCity(12, 3), {2.0, "MB"}, [&r](const TrainingProgress& p) {
      if (p.stage == "generator" && p.steps > 1) r.generatorLosses.push_back(p.loss);
      if (p.step == p.steps && p.steps == 1) r.stageEnds.push_back(p.stage);
      return true;
    });
    if (!status) qFatal("tiny training failed: %s", status.error().message.c_str());
    return r;
  }();
  return t;
}

std::vector<ModelContext> probeContexts(std::uint64_t seed, int n = 4) {
  std::mt19937_64 rng(seed);
  std::vector<ModelContext> out;
  for (int i = 0; i < n; ++i) out.push_back(districtContext(i % 2 == 0, rng));
  return out;
}

double weekdayPeakHour(const GeneratedBatch& b, int site) {
  std::vector<double> profile(24, 0.0);
  for (int k = 0; k < b.samples; ++k)
    for (int t = 0; t < b.hours; ++t)
      if ((t / 24) % 7 < 5) profile[std::size_t(t % 24)] += b.at(site, k, t);
  return double(std::max_element(profile.begin(), profile.end()) - profile.begin());
}

// Offices peak near 11 h, homes near 20 h: the generated weekday profiles of sites 0 (office) and
// 1 (home) of probeContexts must show it.
bool districtPeaksShow(const GeneratedBatch& b, QString* message) {
  *message = QStringLiteral("generated weekday peaks %1 h, %2 h").arg(weekdayPeakHour(b, 0)).arg(weekdayPeakHour(b, 1));
  return std::abs(weekdayPeakHour(b, 0) - 11.0) <= 2.0 && std::abs(weekdayPeakHour(b, 1) - 20.0) <= 2.0;
}

// Two neighbourhoods on one street of the same urban context: the east one is three times busier
// and has a local event (day 10, 12–18 h) the west one has not. Only the sites' positions tell
// them apart.
std::vector<NetSpatialTrainingSite> streetOfTwoNeighbourhoods(const std::string& crs) {
  std::mt19937_64 rng(11);
  std::vector<NetSpatialTrainingSite> sites;
  for (int i = 0; i < 24; ++i) {
    const bool east = i >= 12;
    NetSpatialTrainingSite s;
    std::mt19937_64 same(4);  // one context for all: it cannot tell the neighbourhoods apart
    s.context = districtContext(true, same);
    s.series = districtSeries(true, east ? 0.6 : 0.2, rng);
    if (east)
      for (int h = 12; h <= 18; ++h) s.series[std::size_t(10 * 24 + h)] *= 2.5f;
    const double x = east ? 1300.0 + 100.0 * (i - 12) : 100.0 * i;
    s.context.position = ModelPosition{x, 0.0, crs};
    s.hasPosition = true;
    s.x = x;
    sites.push_back(std::move(s));
  }
  return sites;
}

double meanOver(const GeneratedBatch& b, int site, int from, int to) {
  double sum = 0.0;
  for (int k = 0; k < b.samples; ++k)
    for (int t = from; t < to; ++t) sum += b.at(site, k, t);
  return sum / double(b.samples * (to - from));
}

}  // namespace

class TestNetSpatial : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void trainingLossFalls() {
    Trained& t = trained();
    QVERIFY(t.model->isFitted());
    QVERIFY2(t.generatorLosses.size() > 20, "the generator stage reported progress");
    // Smoothed loss of the last steps against the first report.
    const double first = t.generatorLosses.front(), lastLoss = t.generatorLosses.back();
    QVERIFY2(lastLoss < 0.6 * first, qPrintable(QStringLiteral("loss %1 → %2").arg(first).arg(lastLoss)));
    QCOMPARE(t.stageEnds, (std::vector<std::string>{"image", "poi", "fusion", "generator"}));
    QVERIFY(!t.model->trainingSummary().empty());
  }

  void learnsWhatTheDistrictsDiffer() {
    auto batch = trained().model->generate(probeContexts(99), GenerateOptions{8, 5});
    QVERIFY2(batch.ok(), batch ? "" : batch.error().message.c_str());
    QString generated;
    QVERIFY2(districtPeaksShow(*batch, &generated), qPrintable(generated));
    auto peaks = trained().model->peakHours(probeContexts(99));
    QVERIFY(peaks.ok());
    QVERIFY(std::abs((*peaks)[0] - 11) <= 2 && std::abs((*peaks)[1] - 20) <= 2);
  }

  void checkpointRoundTripGivesIdenticalOutput() {
    auto bytes = trained().model->save();
    QVERIFY(bytes.ok());
    auto loaded = NetSpatialGenerator::load(*bytes, EngineOptions{DevicePreference::Cpu, 0, true});
    QVERIFY2(loaded.ok(), loaded ? "" : loaded.error().message.c_str());
    QVERIFY((*loaded)->isFitted());
    QCOMPARE((*loaded)->weightsSha256(), trained().model->weightsSha256());
    QCOMPARE((*loaded)->normalisation().scale, 2.0);
    QCOMPARE((*loaded)->normalisation().unit, std::string("MB"));
    QCOMPARE((*loaded)->config().hidden3, 64);
    const auto contexts = probeContexts(5);
    auto a = trained().model->generate(contexts, GenerateOptions{4, 11});
    auto b = (*loaded)->generate(contexts, GenerateOptions{4, 11});
    QVERIFY(a.ok() && b.ok());
    QVERIFY(a->values == b->values);
  }

  void sameSeedSameBitsOtherSeedOtherSamples() {
    const auto contexts = probeContexts(6);
    auto a = trained().model->generate(contexts, GenerateOptions{3, 42});
    auto b = trained().model->generate(contexts, GenerateOptions{3, 42});
    auto c = trained().model->generate(contexts, GenerateOptions{3, 43});
    QVERIFY(a.ok() && b.ok() && c.ok());
    QVERIFY(a->values == b->values);
    QVERIFY(a->values != c->values);
    // Samples of one site differ from each other (a distribution, not a copy).
    QVERIFY(!std::equal(a->series(0, 0), a->series(0, 0) + a->hours, a->series(0, 1)));
    // A site's samples follow from (seed, context), not from its batch neighbours.
    auto alone = trained().model->generate({contexts[2]}, GenerateOptions{3, 42});
    QVERIFY(alone.ok());
    for (int t = 0; t < alone->hours; t += 37) QVERIFY(std::abs(alone->at(0, 1, t) - a->at(2, 1, t)) <= 1e-4f * (1.0f + a->at(2, 1, t)));
  }

  void workerCountNeverChangesTheOutput() {
    // Issue 21: chunks of sites go to as many workers as LibTorch has threads; 150 sites are three
    // chunks, so two workers split them unevenly. Same seed → the same bytes with 1, 2 or 3.
    const auto contexts = probeContexts(7, 150);
    const int before = setIntraOpThreads(0);
    std::vector<std::vector<float>> outputs;
    for (int threads : {1, 2, 3}) {
      QCOMPARE(setIntraOpThreads(threads), threads);
      auto batch = trained().model->generate(contexts, GenerateOptions{2, 42});
      QVERIFY2(batch.ok(), batch.ok() ? "" : batch.error().message.c_str());
      outputs.push_back(std::move(batch->values));
    }
    setIntraOpThreads(before);
    QVERIFY(outputs[0] == outputs[1]);
    QVERIFY(outputs[0] == outputs[2]);
    // Not all zeros, and every chunk written (the last site's series too).
    QVERIFY(*std::max_element(outputs[0].end() - 2 * kSequenceHours, outputs[0].end()) > 0.0f);
  }

  void missingModalitiesStillGiveValidOutput_data() {
    QTest::addColumn<bool>("image");
    QTest::addColumn<bool>("pois");
    QTest::newRow("no POIs") << true << false;
    QTest::newRow("no imagery") << false << true;
    QTest::newRow("neither") << false << false;
  }
  void missingModalitiesStillGiveValidOutput() {
    QFETCH(bool, image);
    QFETCH(bool, pois);
    std::mt19937_64 rng(8);
    ModelContext c = districtContext(true, rng, image, pois);
    c.population.reset();
    auto batch = trained().model->generate({c}, GenerateOptions{4, 1});
    QVERIFY2(batch.ok(), batch ? "" : batch.error().message.c_str());
    QCOMPARE(batch->values.size(), std::size_t(4 * kSequenceHours));
    double sum = 0.0;
    for (float v : batch->values) {
      QVERIFY(std::isfinite(v));
      QVERIFY(v >= 0.0f);
      sum += v;
    }
    QVERIFY(sum > 0.0);
    auto embedding = trained().model->embed({c});
    QVERIFY(embedding.ok());
    for (float v : *embedding) QVERIFY(std::isfinite(v));
  }

  void cancelStopsBetweenEulerSteps() {
    // Refused at the first report: nothing is integrated.
    int calls = 0;
    GenerateOptions o{2, 1, [&](double, const char*) { return ++calls < 1; }};
    auto r = trained().model->generate(probeContexts(1), o);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ModelErrorCode::Cancelled);
    QVERIFY(r.error().message.find("cancelled") != std::string::npos);
    QCOMPARE(calls, 1);
    // Mid-request: the call stops at the report that said stop — not one more Euler step runs.
    std::vector<ModelContext> many = probeContexts(2, 400);
    int reports = 0;
    GenerateOptions slow{8, 1, [&](double, const char*) { return ++reports < 5; }, 64, 64, 64};
    auto late = trained().model->generate(many, slow);
    QVERIFY(!late.ok());
    QCOMPARE(late.error().code, ModelErrorCode::Cancelled);
    QCOMPARE(reports, 5);
    // Through the generic interface, and for a forecast, the same.
    const Generator& generic = *trained().model;
    int genericReports = 0;
    auto viaGeneric = generic.generate(many, 2, 1, Device::Cpu, [&](double, const char*) { return ++genericReports < 3; });
    QVERIFY(!viaGeneric.ok());
    QCOMPARE(viaGeneric.error().code, ModelErrorCode::Cancelled);
    QCOMPARE(genericReports, 3);
  }

  void progressRisesToOneAndChangesNothing() {
    const std::vector<ModelContext> contexts = probeContexts(3, 70);  // every Euler step of every level reports
    std::vector<double> seen;
    GenerateOptions watched{3, 42, [&](double f, const char*) {
                              seen.push_back(f);
                              return true;
                            }};
    auto a = trained().model->generate(contexts, watched);
    auto b = trained().model->generate(contexts, GenerateOptions{3, 42});
    QVERIFY(a.ok() && b.ok());
    QVERIFY(a->values == b->values);  // same seed → same bits, watched or not
    QVERIFY(seen.size() > 3);
    QVERIFY(std::is_sorted(seen.begin(), seen.end()));
    QCOMPARE(seen.front(), 0.0);
    QCOMPARE(seen.back(), 1.0);
  }

  void trainingCancelIsReported() {
    NetSpatialGenerator g(tinyConfig());
    int calls = 0;
    auto status = g.train(tinyCity(4, 9), {1.0, "MB"}, [&](const TrainingProgress&) { return ++calls < 3; });
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, ModelErrorCode::Cancelled);
    QVERIFY(status.error().message.find("cancelled") != std::string::npos);
    QVERIFY(!g.isFitted());
  }

  void corruptWeightsGiveClearErrors_data() {
    QTest::addColumn<int>("kind");
    QTest::newRow("empty") << 0;
    QTest::newRow("truncated") << 1;
    QTest::newRow("flipped byte") << 2;
    QTest::newRow("bad magic") << 3;
  }
  void corruptWeightsGiveClearErrors() {
    QFETCH(int, kind);
    auto bytes = *trained().model->save();
    std::string expected;
    switch (kind) {
      case 0:
        bytes.clear();
        expected = "not a NetSpatial checkpoint";
        break;
      case 1:
        bytes.resize(bytes.size() / 2);
        expected = "truncated";
        break;
      case 2:
        bytes[bytes.size() / 2] ^= 0x40;
        expected = "corrupt";
        break;
      default:
        bytes[0] = 'X';
        expected = "not a NetSpatial checkpoint";
        break;
    }
    auto r = NetSpatialGenerator::load(bytes);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find(expected) != std::string::npos, r.error().message.c_str());
  }

  void emptyTensorsRoundTrip() {
    // Found by the fuzz preset's UBSan (issue 20): every model without observed neighbours stores a
    // memory of 0 rows, and reading that empty tensor passed its null data pointer to memcpy.
    using namespace netspatial::models::netspatialnet;
    CheckpointData data;
    data.meta["model"] = "test";
    data.tensors.emplace_back("memory_xy", torch::zeros({0, 2}));
    data.tensors.emplace_back("scale", torch::full({1}, 2.5f));
    auto read = readCheckpoint(writeCheckpoint(data));
    QVERIFY2(read.ok(), read ? "" : read.error().message.c_str());
    QCOMPARE(read->tensors.size(), std::size_t(2));
    QVERIFY(read->tensors[0].second.sizes() == torch::IntArrayRef({0, 2}));
    QCOMPARE(read->tensors[1].second.item<float>(), 2.5f);
  }

  void shapesThatOverflowAreRefused() {
    // Found by fuzz_checkpoint (issue 20): eight dimensions of 2^28 multiply past 64 bits (undefined
    // behaviour; the wrapped element count passed the size check). Refused, naming the tensor.
    std::vector<std::uint8_t> payload;
    const auto put = [&](auto v) {
      const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
      payload.insert(payload.end(), p, p + sizeof v);
    };
    put(std::uint32_t(0));  // no metadata
    put(std::uint32_t(1));  // one tensor: "x", rank 8, no data
    put(std::uint32_t(1));
    payload.push_back('x');
    put(std::uint32_t(8));
    for (int d = 0; d < 8; ++d) put(std::int64_t(1) << 28);
    std::vector<std::uint8_t> file{'N', 'S', 'P', 'M', 'O', 'D', 'E', 'L'};
    const std::uint32_t version = 1;
    const std::uint64_t size = payload.size();
    file.insert(file.end(), reinterpret_cast<const std::uint8_t*>(&version), reinterpret_cast<const std::uint8_t*>(&version) + 4);
    file.insert(file.end(), reinterpret_cast<const std::uint8_t*>(&size), reinterpret_cast<const std::uint8_t*>(&size) + 8);
    file.insert(file.end(), payload.begin(), payload.end());
    const std::string digest = sha256Hex(payload.data(), payload.size());
    file.insert(file.end(), digest.begin(), digest.end());
    auto read = netspatial::models::netspatialnet::readCheckpoint(file);
    QVERIFY(!read.ok());
    QVERIFY2(read.error().message.find("'x' runs past the end") != std::string::npos, read.error().message.c_str());
  }

  void configBelowTheRecipeMinimumIsRefused() {
    // Found while fuzzing checkpoints (issue 20): the reader took any number, so steps1 = -5 or
    // max_pois = 0 loaded (the flow skipped, or a network that cannot generate). The key table's
    // minimums, which recipes already obey, hold for checkpoints too.
    for (const auto& [key, value] :
         {std::pair{"config.steps1", "-5"}, std::pair{"config.max_pois", "0"}, std::pair{"config.temperature", "0"}}) {
      auto data = netspatial::models::netspatialnet::readCheckpoint(*trained().model->save());
      QVERIFY(data.ok());
      data->meta[key] = value;
      auto r = NetSpatialGenerator::load(netspatial::models::netspatialnet::writeCheckpoint(*data));
      QVERIFY2(!r.ok(), key);
      QVERIFY2(r.error().message.find(std::string(key).substr(7)) != std::string::npos, r.error().message.c_str());
    }
  }

  void laterConfigKeysAreOptionalInCheckpoints() {
    // The recipe's variants (prior mean, soft peak labels, weight averaging) are off in this model:
    // its checkpoint does not name them, so it is byte-identical to one written before they existed.
    auto data = netspatial::models::netspatialnet::readCheckpoint(*trained().model->save());
    QVERIFY(data.ok());
    for (const char* key : {"config.use_prior_mean", "config.lambda_prior", "config.peak_label_softness", "config.ema_decay",
                            "config.use_template", "config.template_shape_ridge", "config.template_noise", "config.peak_from_template"})
      QVERIFY2(!data->meta.count(key), key);
    QVERIFY(data->meta.count("config.lambda_corr"));
    // Naming a variant that the tensors do not have is a clear error, not a silent mix.
    data->meta["config.use_prior_mean"] = "true";
    auto r = NetSpatialGenerator::load(netspatial::models::netspatialnet::writeCheckpoint(*data));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("prior1") != std::string::npos, r.error().message.c_str());
    data->meta.erase("config.use_prior_mean");
    data->meta["config.use_template"] = "true";
    auto t = NetSpatialGenerator::load(netspatial::models::netspatialnet::writeCheckpoint(*data));
    QVERIFY(!t.ok());
    // The template widens level 1's context, so the first tensor that disagrees is named.
    QVERIFY2(t.error().message.find("level1.in_context") != std::string::npos, t.error().message.c_str());
  }

  void trainingVariantsTrainAndRoundTrip() {
    NetSpatialConfig c = tinyConfig();
    c.usePriorMean = true;
    c.peakLabelSoftness = 0.03f;
    c.emaDecay = 0.99;
    c.useTemplate = true;
    c.templateShapeRidge = true;
    c.templateNoise = 0.4f;
    c.peakFromTemplate = true;
    NetSpatialGenerator g(c);
    auto status = g.train(tinyCity(12, 3), {2.0, "MB"}, {});
    QVERIFY2(status.ok(), status ? "" : status.error().message.c_str());
    QVERIFY(g.trainingSummary().find("moving average") != std::string::npos);
    QVERIFY(g.trainingSummary().find("template: log-volume ridge") != std::string::npos);
    QVERIFY(g.trainingSummary().find("shape ridge rmse") != std::string::npos);
    auto batch = g.generate(probeContexts(99), GenerateOptions{8, 5});
    QVERIFY2(batch.ok(), batch ? "" : batch.error().message.c_str());
    for (float v : batch->values) QVERIFY(std::isfinite(v) && v >= 0.0f);
    QString peaks;
    QVERIFY2(districtPeaksShow(*batch, &peaks), qPrintable(peaks));
    // h* now comes from the template's weekday shape: the office district peaks late morning,
    // the residential one in the evening.
    auto hours = g.peakHours(probeContexts(99));
    QVERIFY(hours.ok());
    QVERIFY2(std::abs((*hours)[0] - 11) <= 2 && std::abs((*hours)[1] - 20) <= 2,
             qPrintable(QStringLiteral("template peaks %1 h, %2 h").arg((*hours)[0]).arg((*hours)[1])));
    // The template needs no zone or station type: without them it uses the ridges fitted without them.
    auto unknown = probeContexts(99);
    for (auto& context : unknown) {
      context.zoneClass = -1;
      context.zoneKey.clear();
      context.stationType = -1;
    }
    auto bare = g.generate(unknown, GenerateOptions{4, 5});
    QVERIFY2(bare.ok(), bare ? "" : bare.error().message.c_str());
    for (float v : bare->values) QVERIFY(std::isfinite(v) && v >= 0.0f);

    auto bytes = g.save();
    QVERIFY(bytes.ok());
    auto data = netspatial::models::netspatialnet::readCheckpoint(*bytes);
    QVERIFY(data.ok());
    QCOMPARE(data->meta.at("config.use_prior_mean"), std::string("true"));
    QVERIFY(data->meta.count("config.ema_decay"));
    QCOMPARE(data->meta.at("config.use_template"), std::string("true"));
    QCOMPARE(data->meta.at("config.template_shape_ridge"), std::string("true"));
    QVERIFY(data->meta.count("config.template_noise"));
    QCOMPARE(data->meta.at("config.peak_from_template"), std::string("true"));
    auto loaded = NetSpatialGenerator::load(*bytes, EngineOptions{DevicePreference::Cpu, 0, false});
    QVERIFY2(loaded.ok(), loaded ? "" : loaded.error().message.c_str());
    QVERIFY((*loaded)->config().usePriorMean);
    QCOMPARE((*loaded)->config().peakLabelSoftness, 0.03f);
    QCOMPARE((*loaded)->config().emaDecay, 0.99);
    QVERIFY((*loaded)->config().useTemplate);
    QVERIFY((*loaded)->config().templateShapeRidge);
    QCOMPARE((*loaded)->config().templateNoise, 0.4f);
    QVERIFY((*loaded)->config().peakFromTemplate);
    auto again = (*loaded)->generate(probeContexts(99), GenerateOptions{8, 5});
    QVERIFY(again.ok());
    QVERIFY(again->values == batch->values);
  }

  // The memory of observed sites: a site between remembered ones gets their volume and their local
  // event; a site without a position, or in another CRS, is generated from its context alone.
  void observedNeighboursFollowTheRememberedSites() {
    NetSpatialConfig c = tinyConfig();
    c.useTemplate = true;
    c.observedNeighbours = 4;
    c.neighbourRadius = 600.0f;
    c.neighbourBlock = 250.0f;
    NetSpatialGenerator g(c);
    auto status = g.train(streetOfTwoNeighbourhoods("EPSG:32632"), {2.0, "MB"}, {});
    QVERIFY2(status.ok(), status ? "" : status.error().message.c_str());
    QVERIFY2(g.trainingSummary().find("memory: 24 sites (EPSG:32632)") != std::string::npos, g.trainingSummary().c_str());

    std::vector<ModelContext> probes;
    for (double x : {1850.0, 550.0, 1850.0, 1850.0}) {
      std::mt19937_64 same(4);
      probes.push_back(districtContext(true, same));
      probes.back().position = ModelPosition{x, 0.0, "EPSG:32632"};
    }
    probes[2].position.reset();
    probes[3].position->crs = "EPSG:32633";
    auto batch = g.generate(probes, GenerateOptions{8, 3});
    QVERIFY2(batch.ok(), batch ? "" : batch.error().message.c_str());
    const double east = meanOver(*batch, 0, 0, 672), west = meanOver(*batch, 1, 0, 672);
    // Identical contexts: without the memory both would be generated alike.
    QVERIFY2(east > 1.5 * west, qPrintable(QStringLiteral("east %1, west %2 (observed 3:1)").arg(east).arg(west)));
    // Day 10's event against the same hours a week earlier.
    const double eastEvent = meanOver(*batch, 0, 10 * 24 + 12, 10 * 24 + 19) / meanOver(*batch, 0, 3 * 24 + 12, 3 * 24 + 19);
    const double westEvent = meanOver(*batch, 1, 10 * 24 + 12, 10 * 24 + 19) / meanOver(*batch, 1, 3 * 24 + 12, 3 * 24 + 19);
    QVERIFY2(eastEvent > 1.6 && westEvent < 1.3, qPrintable(QStringLiteral("event ratio east %1, west %2").arg(eastEvent).arg(westEvent)));
    // No position and another CRS are the same situation: no neighbour, the same draws.
    for (int k = 0; k < 8; ++k)
      for (int t = 0; t < 672; ++t) QCOMPARE(batch->at(3, k, t), batch->at(2, k, t));

    auto bytes = g.save();
    QVERIFY(bytes.ok());
    auto data = netspatial::models::netspatialnet::readCheckpoint(*bytes);
    QVERIFY(data.ok());
    QCOMPARE(data->meta.at("memory_crs"), std::string("EPSG:32632"));
    QCOMPARE(data->meta.at("config.observed_neighbours"), std::string("4"));
    auto loaded = NetSpatialGenerator::load(*bytes, EngineOptions{DevicePreference::Cpu, 0, false});
    QVERIFY2(loaded.ok(), loaded ? "" : loaded.error().message.c_str());
    auto again = (*loaded)->generate(probes, GenerateOptions{8, 3});
    QVERIFY(again.ok());
    QVERIFY(again->values == batch->values);

    // A memory of one place: training sites from two CRSs are refused, not mixed.
    auto mixed = streetOfTwoNeighbourhoods("EPSG:32632");
    mixed.back().context.position->crs = "EPSG:3857";
    NetSpatialGenerator h(c);
    auto refused = h.train(mixed, {2.0, "MB"}, {});
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ModelErrorCode::InvalidArgument);
    QVERIFY2(QString::fromStdString(refused.error().message).contains(QStringLiteral("one scenario")), refused.error().message.c_str());
  }

  // An ablation row claims its model never saw a modality. Level 1's template reads the
  // hand-crafted features directly, so its volume ridges must carry no weight on that modality's
  // columns (and the rest must still count).
  void ablatedModalitiesNeverReachTheTemplate_data() {
    QTest::addColumn<bool>("withoutPois");
    QTest::newRow("POIs off") << true;
    QTest::newRow("image off") << false;
  }
  void ablatedModalitiesNeverReachTheTemplate() {
    QFETCH(bool, withoutPois);
    NetSpatialConfig c = tinyConfig();
    c.generatorSteps = 20;
    c.useTemplate = true;
    c.templateShapeRidge = true;
    (withoutPois ? c.usePois : c.useImage) = false;
    NetSpatialGenerator g(c);
    auto status = g.train(tinyCity(12, 3), {2.0, "MB"}, {});
    QVERIFY2(status.ok(), status ? "" : status.error().message.c_str());
    auto data = netspatial::models::netspatialnet::readCheckpoint(*g.save());
    QVERIFY(data.ok());
    const auto& names = netspatial::models::contextFeatureNames();
    for (const char* ridge : {"template_volume.weight", "template_shape.weight"}) {
      torch::Tensor weight;
      for (const auto& [name, tensor] : data->tensors)
        if (name == ridge) weight = tensor;
      QVERIFY2(weight.defined(), ridge);
      QCOMPARE(weight.size(1), std::int64_t(names.size()));
      double hidden = 0.0, shown = 0.0;
      for (std::size_t j = 0; j < names.size(); ++j) {
        const double w = weight.select(1, std::int64_t(j)).abs().sum().item<double>();
        (names[j].rfind(withoutPois ? "poi_" : "image_", 0) == 0 ? hidden : shown) += w;
      }
      QCOMPARE(hidden, 0.0);
      QVERIFY(shown > 0.0);
    }
  }

  void mismatchedShapesAreRefused() {
    // A valid container whose configuration no longer matches its tensors.
    auto data = netspatial::models::netspatialnet::readCheckpoint(*trained().model->save());
    QVERIFY(data.ok());
    data->meta["config.hidden3"] = "128";
    auto r = NetSpatialGenerator::load(netspatial::models::netspatialnet::writeCheckpoint(*data));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("shape") != std::string::npos, r.error().message.c_str());
    data->meta["model"] = "opendiff";
    auto other = NetSpatialGenerator::load(netspatial::models::netspatialnet::writeCheckpoint(*data));
    QVERIFY(!other.ok());
    QVERIFY(other.error().message.find("opendiff") != std::string::npos);
  }

  void untrainedModelRefusesToGenerate() {
    NetSpatialGenerator g(tinyConfig());
    auto r = g.generate(probeContexts(1), GenerateOptions{});
    QVERIFY(!r.ok());
  }

  void forecastKeepsTheObservedWeeklyPattern() {
    std::mt19937_64 rng(21);
    std::vector<float> history = districtSeries(true, 0.5, rng);
    history.resize(2 * 168);
    auto r = trained().model->forecast({probeContexts(3)[0]}, {history}, GenerateOptions{8, 3});
    QVERIFY2(r.ok(), r ? "" : r.error().message.c_str());
    // The mean weekly profile of the forecast follows the history's (Eq. 2–3 from observation).
    double err = 0.0, scale = 0.0;
    for (int h = 0; h < 168; ++h) {
      double observed = (history[std::size_t(h)] + history[std::size_t(h + 168)]) / 2.0, generated = 0.0;
      for (int k = 0; k < r->samples; ++k)
        for (int w = 0; w < 4; ++w) generated += r->at(0, k, w * 168 + h) / (4.0 * r->samples);
      err += std::abs(generated - observed);
      scale += observed;
    }
    QVERIFY2(err / scale < 0.2, qPrintable(QString::number(err / scale)));
    auto bad = trained().model->forecast({probeContexts(3)[0]}, {std::vector<float>(100, 1.0f)}, GenerateOptions{});
    QVERIFY(!bad.ok());
  }

  void linearProbeSeparatesDistricts() {
    auto train = probeContexts(31, 20), test = probeContexts(32, 10);
    auto a = trained().model->embed(train), b = trained().model->embed(test);
    QVERIFY(a.ok() && b.ok());
    std::vector<int> ya, yb;
    for (const auto& c : train) ya.push_back(c.zoneClass);
    for (const auto& c : test) yb.push_back(c.zoneClass);
    auto probe = linearProbe(*a, ya, *b, yb, trained().model->config().embedDim);
    QVERIFY(probe.ok());
    QCOMPARE(probe->testSites, 10);
    QVERIFY(probe->accuracy >= 0.9);
    QCOMPARE(probe->majorityShare, 0.5);
  }
};

QTEST_GUILESS_MAIN(TestNetSpatial)
#include "tst_netspatial.moc"
