// ADAPTIVE's clustering (models/adaptive/clustering.h): k-means++ recovers well-separated blobs,
// deterministically for a seed, with k clamped and duplicates handled; DBSCAN on a hand case (two
// clusters, border points, noise), its numbering, the eps boundary, and the grid index against a
// brute-force neighbour search.

#include "models/adaptive/clustering.h"

#include <QTest>

#include <random>
#include <set>

using namespace netspatial::models::adaptive;

namespace {

// Brute-force DBSCAN with the same expansion order (core points by index, breadth first,
// neighbours by index) and the same numbering by first point: the grid must not change a label.
std::vector<int> bruteDbscan(const std::vector<double>& xs, const std::vector<double>& ys, double eps, int minPoints) {
  const std::size_t n = xs.size();
  std::vector<std::vector<std::size_t>> near(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if ((xs[i] - xs[j]) * (xs[i] - xs[j]) + (ys[i] - ys[j]) * (ys[i] - ys[j]) <= eps * eps) near[i].push_back(j);
  std::vector<int> labels(n, -1);
  int clusters = 0;
  for (std::size_t s = 0; s < n; ++s) {
    if (int(near[s].size()) < minPoints || labels[s] >= 0) continue;
    std::vector<std::size_t> queue{s};
    labels[s] = clusters;
    for (std::size_t q = 0; q < queue.size(); ++q)
      for (std::size_t j : near[queue[q]])
        if (labels[j] < 0) {
          labels[j] = clusters;
          if (int(near[j].size()) >= minPoints) queue.push_back(j);
        }
    ++clusters;
  }
  std::vector<int> renumber(std::size_t(clusters), -1);
  int next = 0;
  for (int& l : labels)
    if (l >= 0) {
      if (renumber[std::size_t(l)] < 0) renumber[std::size_t(l)] = next++;
      l = renumber[std::size_t(l)];
    }
  return labels;
}

}  // namespace

class TestAdaptiveClustering : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void kMeansRecoversBlobs() {
    std::mt19937_64 rng(4);
    std::normal_distribution<float> jitter(0.0f, 0.5f);
    const float centres[3][2] = {{0.0f, 0.0f}, {10.0f, 0.0f}, {0.0f, 10.0f}};
    torch::Tensor points = torch::empty({90, 2});
    std::vector<int> truth;
    for (int i = 0; i < 90; ++i) {
      const int blob = (i * 7) % 3;  // interleaved, so no blob owns a block of indices
      truth.push_back(blob);
      points[i][0] = centres[blob][0] + jitter(rng);
      points[i][1] = centres[blob][1] + jitter(rng);
    }
    const KMeansResult r = kMeans(points, 3, 5, 17);
    QCOMPARE(r.centres.sizes().vec(), (std::vector<std::int64_t>{3, 2}));
    QCOMPARE(r.labels.size(), std::size_t(90));
    // One label per blob, three different labels.
    std::vector<int> labelOfBlob(3, -1);
    for (int i = 0; i < 90; ++i) {
      if (labelOfBlob[std::size_t(truth[std::size_t(i)])] < 0) labelOfBlob[std::size_t(truth[std::size_t(i)])] = r.labels[std::size_t(i)];
      QCOMPARE(r.labels[std::size_t(i)], labelOfBlob[std::size_t(truth[std::size_t(i)])]);
    }
    QCOMPARE(std::set<int>(labelOfBlob.begin(), labelOfBlob.end()).size(), std::size_t(3));
    for (int blob = 0; blob < 3; ++blob) {
      const auto c = r.centres[labelOfBlob[std::size_t(blob)]];
      QVERIFY(std::abs(c[0].item<float>() - centres[blob][0]) < 0.4f && std::abs(c[1].item<float>() - centres[blob][1]) < 0.4f);
    }
    // The inertia is the sum of squared distances to the assigned centres.
    double inertia = 0.0;
    for (int i = 0; i < 90; ++i) inertia += (points[i] - r.centres[r.labels[std::size_t(i)]]).pow(2).sum().item<double>();
    QVERIFY(std::abs(inertia - r.inertia) < 1e-4 * inertia);
    // Deterministic for a seed.
    const KMeansResult again = kMeans(points, 3, 5, 17);
    QCOMPARE(again.labels, r.labels);
    QVERIFY(torch::equal(again.centres, r.centres));
    QCOMPARE(again.inertia, r.inertia);
  }

  // More restarts can only keep or lower the inertia (the best run is kept).
  void restartsKeepTheBest() {
    torch::manual_seed(1);
    const auto points = torch::randn({200, 5});
    const double one = kMeans(points, 8, 1, 3).inertia, many = kMeans(points, 8, 10, 3).inertia;
    QVERIFY(many <= one);
  }

  void kMeansClampsAndHandlesDuplicates() {
    const auto four = torch::tensor({0.0f, 1.0f, 5.0f, 9.0f}).reshape({4, 1});
    const KMeansResult r = kMeans(four, 10, 3, 1);
    QCOMPARE(r.centres.size(0), std::int64_t(4));
    QCOMPARE(r.inertia, 0.0);
    QCOMPARE(std::set<int>(r.labels.begin(), r.labels.end()).size(), std::size_t(4));
    // All points identical: no crash, zero inertia, valid labels.
    const KMeansResult same = kMeans(torch::ones({6, 3}), 3, 2, 1);
    QCOMPARE(same.inertia, 0.0);
    for (int l : same.labels) QVERIFY(l >= 0 && l < 3);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kMeans(torch::zeros({0, 2}), 2, 1, 1));
  }

  // eps = 1, minPoints = 3. Index 0 is noise; cluster "B" (first point at index 1) is numbered
  // before cluster "A" (first point at index 5). Points 9 and 10 are border points: within eps of
  // one core point only, so in the cluster but not core.
  void dbscanHandCase() {
    const std::vector<double> xs = {5.0, 10.0, 10.0, 10.5, 10.5, 0.0, 0.5, 1.0, 1.5, 2.4, 11.4, 20.0};
    const std::vector<double> ys = {5.0, 10.0, 10.5, 10.0, 10.5, 0.0, 0.0, 0.0, 0.0, 0.0, 10.5, 0.0};
    const std::vector<int> labels = dbscan(xs, ys, 1.0, 3);
    QCOMPARE(labels, (std::vector<int>{-1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, -1}));
    // With minPoints 5 no point of A is core (A is noise), and only (10.5, 10.5) is core in B: the
    // other three B points and 11.4 join it as border points.
    QCOMPARE(dbscan(xs, ys, 1.0, 5), (std::vector<int>{-1, 0, 0, 0, 0, -1, -1, -1, -1, -1, 0, -1}));
  }

  void dbscanEdges() {
    // A neighbour exactly eps away counts.
    QCOMPARE(dbscan({0.0, 1.0}, {0.0, 0.0}, 1.0, 2), (std::vector<int>{0, 0}));
    QCOMPARE(dbscan({0.0, 1.0}, {0.0, 0.0}, 0.999, 2), (std::vector<int>{-1, -1}));
    QVERIFY(dbscan({}, {}, 1.0, 2).empty());
    // A point without coordinates is noise, and does not break its neighbours.
    QCOMPARE(dbscan({0.0, std::nan(""), 0.5}, {0.0, 0.0, 0.0}, 1.0, 2), (std::vector<int>{0, -1, 0}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dbscan({0.0}, {0.0}, 0.0, 1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dbscan({0.0}, {}, 1.0, 1));
  }

  // Random points across cell boundaries and negative coordinates: the grid finds every neighbour.
  void dbscanGridMatchesBruteForce() {
    std::mt19937_64 rng(9);
    std::uniform_real_distribution<double> u(-30.0, 30.0);
    std::vector<double> xs, ys;
    for (int i = 0; i < 400; ++i) {
      xs.push_back(u(rng));
      ys.push_back(u(rng));
    }
    for (double eps : {1.5, 3.0, 7.0})
      for (int minPoints : {2, 4, 8}) QCOMPARE(dbscan(xs, ys, eps, minPoints), bruteDbscan(xs, ys, eps, minPoints));
  }
};

QTEST_GUILESS_MAIN(TestAdaptiveClustering)
#include "tst_adaptiveclustering.moc"
