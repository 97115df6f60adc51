// The generator interface and the two reference generators (zone template, nearest context), plus
// the SHA-256 used for their fingerprints.

#include "models/baselines/nearestcontext.h"
#include "models/baselines/zonetemplate.h"
#include "netspatial/models/contextfeatures.h"
#include "netspatial/models/generator.h"
#include "netspatial/models/netspatialconfigkeys.h"
#include "netspatial/models/sha256.h"

#include <QTest>

#include <cmath>
#include <numbers>
#include <set>
#include <string>

using namespace netspatial::models;

namespace {

// A weekday/weekend shape with a peak at `peakHour`, mean ≈ 1.
std::vector<float> shapedSeries(int peakHour, double volume, double weekendFactor = 0.6) {
  std::vector<float> x(kSequenceHours);
  for (int t = 0; t < kSequenceHours; ++t) {
    const int day = t / 24, hour = t % 24;
    const double daily = 1.0 + 0.8 * std::cos(2.0 * std::numbers::pi * (hour - peakHour) / 24.0);
    x[std::size_t(t)] = float(volume * daily * (day % 7 < 5 ? 1.0 : weekendFactor));
  }
  return x;
}

ModelContext contextWith(int offices, int homes, int zoneClass, const std::string& zoneKey = {}) {
  ModelContext c;
  c.poisKnown = true;
  for (int i = 0; i < offices; ++i) c.pois.push_back({2, "office", 100.0f + float(i), 0.0f});
  for (int i = 0; i < homes; ++i) c.pois.push_back({3, "home", 200.0f + float(i), 1.0f});
  c.zoneClass = zoneClass;
  c.zoneKey = zoneKey;
  c.population = float(100 * homes);
  return c;
}

}  // namespace

class TestGenerators : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void sha256KnownVectors_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("digest");
    // FIPS 180-4 examples and the empty string.
    QTest::newRow("empty") << QByteArray() << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QTest::newRow("abc") << QByteArray("abc") << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("two blocks") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    QTest::newRow("million a") << QByteArray(1000000, 'a') << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  }
  void sha256KnownVectors() {
    QFETCH(QByteArray, input);
    QFETCH(QString, digest);
    QCOMPARE(QString::fromStdString(sha256Hex(input.constData(), std::size_t(input.size()))), digest);
    // Fed in odd-sized pieces, the digest is the same.
    Sha256 h;
    for (qsizetype i = 0; i < input.size(); i += 37) h.add(input.constData() + i, std::size_t(std::min<qsizetype>(37, input.size() - i)));
    QCOMPARE(QString::fromStdString(h.hexDigest()), digest);
  }

  void featuresMarkMissingModalities() {
    const auto& names = contextFeatureNames();
    ModelContext empty;
    const auto f = contextFeatures(empty);
    QCOMPARE(f.size(), names.size());
    const auto at = [&](const std::string& n) { return f[std::size_t(std::find(names.begin(), names.end(), n) - names.begin())]; };
    QCOMPARE(at("poi_missing"), 1.0);
    QCOMPARE(at("population_missing"), 1.0);
    QCOMPARE(at("zone_missing"), 1.0);
    QCOMPARE(at("image_missing"), 1.0);
    // A known "no POIs" is not the same as unknown POIs.
    ModelContext none;
    none.poisKnown = true;
    none.population = 0.0f;
    const auto g = contextFeatures(none);
    QVERIFY(g != f);
    const auto c = contextFeatures(contextWith(3, 0, 1));
    QCOMPARE(c[2], std::log1p(3.0));  // poi_log_count_office
    QCOMPARE(c[std::size_t(std::find(names.begin(), names.end(), "zone_class_1") - names.begin())], 1.0);
  }

  void imageFeaturesSeeVegetation() {
    ModelContext green, grey;
    for (ModelContext* c : {&green, &grey}) {
      c->imagePixels = 8;
      c->image.assign(3 * 64, 120);
    }
    for (int i = 0; i < 64; ++i) green.image[std::size_t(64 + i)] = 200;  // G plane
    const auto& names = contextFeatureNames();
    const std::size_t veg = std::size_t(std::find(names.begin(), names.end(), "image_vegetation") - names.begin());
    QCOMPARE(contextFeatures(green)[veg], 1.0);
    QCOMPARE(contextFeatures(grey)[veg], 0.0);
    QCOMPARE(contextFeatures(grey).back(), 0.0);  // image present
  }

  void registryOffersReferences() {
    const auto ids = generatorIds();
    QVERIFY(std::find(ids.begin(), ids.end(), "zone_template") != ids.end());
    QVERIFY(std::find(ids.begin(), ids.end(), "nearest_context") != ids.end());
    for (const auto& id : ids) {
      auto g = createGenerator(id);
      QVERIFY(g);
      QCOMPARE(g->id(), id);
      QVERIFY(!g->isFitted());
      QVERIFY(!g->generate({ModelContext{}}, 1, 1).ok());  // unfitted → error, not a crash
    }
    QVERIFY(!createGenerator("no_such_model"));
  }

  void fitRejectsBadSeries() {
    for (const auto& id : generatorIds()) {
      auto g = createGenerator(id);
      TrainingSite shortSite{contextWith(1, 1, 0), std::vector<float>(100, 1.0f)};
      QVERIFY(!g->fit({shortSite, shortSite}, {}, 1).ok());
      TrainingSite gap{contextWith(1, 1, 0), shapedSeries(12, 1.0)};
      gap.series[5] = std::nanf("");
      QVERIFY(!g->fit({gap, gap}, {}, 1).ok());
    }
  }

  // Volume is an exact function of the office count: the regression must recover it for an unseen
  // count, and the template must carry the shape of the site's own zone.
  void zoneTemplateLearnsVolumeAndZoneShape() {
    std::vector<TrainingSite> train;
    for (int i = 0; i < 24; ++i) {
      const int offices = i % 8;
      const bool business = i % 2 == 0;
      // Linear in the log1p(count) feature, so a linear model can recover it.
      const double volume = 0.05 * std::pow(1.0 + offices, 0.8);
      train.push_back({contextWith(offices, 2, business ? 0 : 2, business ? "c/1" : "c/2"), shapedSeries(business ? 11 : 20, volume)});
    }
    ZoneTemplateGenerator g;
    QVERIFY(g.fit(train, {2.0, "MB/h"}, 7).ok());
    QCOMPARE(g.normalisation().scale, 2.0);
    QVERIFY(g.ridgeLambda() > 0.0);
    for (int offices : {1, 5}) {
      const double expected = 0.05 * std::pow(1.0 + offices, 0.8);
      const double got = g.predictVolume(contextWith(offices, 2, 0, "c/1"));
      QVERIFY2(std::abs(got - expected) / expected < 0.15,
               qPrintable(QStringLiteral("offices %1: %2 vs %3").arg(offices).arg(got).arg(expected)));
    }
    auto batch = g.generate({contextWith(3, 2, 0, "c/1"), contextWith(3, 2, 2, "c/2")}, 4, 99);
    QVERIFY(batch.ok());
    QCOMPARE(batch->sites, 2);
    QCOMPARE(batch->samples, 4);
    QCOMPARE(batch->values.size(), std::size_t(2 * 4 * kSequenceHours));
    for (float v : batch->values) QVERIFY(v >= 0.0f && std::isfinite(v));
    // Peak hour of the first weekday follows the zone's template: 11 h vs 20 h.
    const auto peakOfDay0 = [&](int site) {
      int best = 0;
      for (int h = 0; h < 24; ++h)
        if (batch->at(site, 0, h) > batch->at(site, 0, best)) best = h;
      return best;
    };
    QCOMPARE(peakOfDay0(0), 11);
    QCOMPARE(peakOfDay0(1), 20);
  }

  void sameSeedSameOutput() {
    std::vector<TrainingSite> train;
    for (int i = 0; i < 10; ++i) {
      auto x = shapedSeries(9 + i, 0.1 + 0.01 * i);
      for (int t = i; t < kSequenceHours; t += 5 + i) x[std::size_t(t)] *= 1.3f;  // distinct residuals per site
      train.push_back({contextWith(i, 10 - i, i % 3), x});
    }
    // The references fit in milliseconds; NetSpatial's fit is a full training run and its
    // determinism has its own test on a tiny configuration (tst_netspatial).
    for (const std::string id : {"zone_template", "nearest_context"}) {
      auto a = createGenerator(id);
      auto b = createGenerator(id);
      QVERIFY(a->fit(train, {}, 1).ok());
      QVERIFY(b->fit(train, {}, 1).ok());
      QCOMPARE(a->weightsSha256(), b->weightsSha256());
      QCOMPARE(a->weightsSha256().size(), std::size_t(64));
      const std::vector<ModelContext> ctx{contextWith(4, 4, 1), contextWith(0, 9, 2)};
      auto x = a->generate(ctx, 3, 5);
      auto y = b->generate(ctx, 3, 5);
      QVERIFY(x.ok() && y.ok());
      QVERIFY(x->values == y->values);
      // A site's samples do not depend on the other sites of the batch.
      auto alone = a->generate({ctx[1]}, 3, 5);
      QVERIFY(std::equal(alone->values.begin(), alone->values.end(), x->values.begin() + 3 * kSequenceHours));
    }
    // The zone template is stochastic: another seed gives other samples.
    auto g = createGenerator("zone_template");
    QVERIFY(g->fit(train, {}, 1).ok());
    QVERIFY(g->generate({contextWith(4, 4, 1)}, 8, 5)->values != g->generate({contextWith(4, 4, 1)}, 8, 6)->values);
  }

  void referencesReportProgressAndCancel() {
    std::vector<TrainingSite> train;
    for (int i = 0; i < 10; ++i) train.push_back({contextWith(i, 10 - i, i % 3), shapedSeries(9 + i, 0.1 + 0.01 * i)});
    std::vector<ModelContext> many;
    for (int i = 0; i < 300; ++i) many.push_back(contextWith(i % 7, i % 5, i % 3));
    for (const std::string id : {"zone_template", "nearest_context"}) {
      auto g = createGenerator(id);
      // A fit asked to stop before it starts leaves the generator unfitted.
      const ModelStatus refused = g->fit(train, {}, 1, [](double, const char*) { return false; });
      QVERIFY(!refused.ok());
      QCOMPARE(refused.error().code, ModelErrorCode::Cancelled);
      QVERIFY(!g->isFitted());
      QVERIFY(g->fit(train, {}, 1).ok());
      // Progress is monotone and ends at 1; reporting does not change the output.
      std::vector<double> seen;
      auto watched = g->generate(many, 2, 5, Device::Cpu, [&](double f, const char*) {
        seen.push_back(f);
        return true;
      });
      QVERIFY(watched.ok());
      QVERIFY(seen.size() >= 3);  // 300 sites: checked every 64, then the end
      QVERIFY(std::is_sorted(seen.begin(), seen.end()));
      QCOMPARE(seen.back(), 1.0);
      auto plain = g->generate(many, 2, 5);
      QVERIFY(plain.ok() && plain->values == watched->values);
      // A cancel stops the call at its next check: no report after the one that said stop.
      int reports = 0;
      auto stopped = g->generate(many, 2, 5, Device::Cpu, [&](double, const char*) { return ++reports < 2; });
      QVERIFY(!stopped.ok());
      QCOMPARE(stopped.error().code, ModelErrorCode::Cancelled);
      QCOMPARE(reports, 2);
      // Unfitted is its own code.
      auto fresh = createGenerator(id);
      auto unfitted = fresh->generate({ModelContext{}}, 1, 1);
      QVERIFY(!unfitted.ok());
      QCOMPARE(unfitted.error().code, ModelErrorCode::NotFitted);
    }
    QCOMPARE(std::string(modelErrorCodeName(ModelErrorCode::NotFitted)), std::string("not_fitted"));
  }

  void netSpatialConfigKeysCoverEveryFieldOnce() {
    // The one table the checkpoints and the recipes share: one key per field of NetSpatialConfig.
    const auto& keys = netSpatialConfigKeys();
    QCOMPARE(keys.size(), std::size_t(44));
    std::set<std::string> names;
    std::set<std::size_t> offsets;
    NetSpatialConfig probe;
    const auto* base = reinterpret_cast<const unsigned char*>(&probe);
    for (const auto& k : keys) {
      QVERIFY2(names.insert(k.key).second, k.key);
      const void* field = std::visit([&](auto member) -> const void* { return &(probe.*member); }, k.member);
      QVERIFY2(offsets.insert(std::size_t(static_cast<const unsigned char*>(field) - base)).second, k.key);
      // A key older checkpoints lack must default to what trains the older model: the default.
      if (k.olderCheckpoints) {
        const std::string older = k.olderCheckpoints;
        const bool matches = std::visit(
            [&](auto member) {
              using T = std::remove_cvref_t<decltype(probe.*member)>;
              if constexpr (std::is_same_v<T, bool>)
                return older == (probe.*member ? "true" : "false");
              else
                return std::stod(older) == double(probe.*member);
            },
            k.member);
        QVERIFY2(matches, k.key);
      }
    }
  }

  void nearestContextCopiesTheClosestSite() {
    std::vector<TrainingSite> train;
    for (int i = 0; i < 6; ++i) train.push_back({contextWith(i * 3, 1, 0), shapedSeries(8 + i, 0.1 * (i + 1))});
    NearestContextGenerator g;
    QVERIFY(g.fit(train, {}, 1).ok());
    auto batch = g.generate({contextWith(9, 1, 0)}, 2, 1);  // identical to training site 3
    QVERIFY(batch.ok());
    for (int t = 0; t < kSequenceHours; ++t) QCOMPARE(batch->at(0, 0, t), train[3].series[std::size_t(t)]);
    const auto near = g.neighbours(contextWith(9, 1, 0), 3);
    QCOMPARE(near.front(), std::size_t(3));
    QVERIFY(near[1] == 2 || near[1] == 4);
    // More samples than training sites: cycles instead of failing.
    QVERIFY(g.generate({contextWith(0, 1, 0)}, 9, 1).ok());
  }
};

QTEST_GUILESS_MAIN(TestGenerators)
#include "tst_generators.moc"
