// core::Shared<T> (core/util/shared.h): copy-on-write values, so that a Scenario copy shares its
// heavy parts and a writer never changes what a reader of an earlier copy sees.

#include "core/scenario/scenario.h"
#include "core/util/shared.h"

#include <QTest>
#include <QThread>

#include <map>
#include <vector>

using netspatial::core::Shared;

class TestShared : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void copiesShareUntilOneWrites() {
    Shared<std::vector<int>> a = std::vector<int>{1, 2, 3};
    Shared<std::vector<int>> b = a;
    QVERIFY(b.isSharedWith(a));
    // Reading, even through a non-const object's const view, never copies.
    const auto& cb = b;
    int sum = 0;
    for (int x : cb) sum += x;
    QCOMPARE(sum, 6);
    QVERIFY(b.isSharedWith(a));
    b.push_back(4);
    QVERIFY(!b.isSharedWith(a));
    QCOMPARE(a.size(), std::size_t(3));
    QCOMPARE(b.size(), std::size_t(4));
    // A value held alone is written in place.
    const void* before = b.identity();
    b[0] = 10;
    QCOMPARE(b.identity(), before);
    QCOMPARE(a[0], 1);
  }

  void findBeforeEraseDetachesFirst() {
    Shared<std::map<QString, int>> a = std::map<QString, int>{{QStringLiteral("x"), 1}, {QStringLiteral("y"), 2}};
    Shared<std::map<QString, int>> b = a;
    // The non-const find detaches, so its iterator belongs to the map erase() works on.
    b.erase(b.find(QStringLiteral("x")));
    QCOMPARE(b.size(), std::size_t(1));
    QCOMPARE(a.size(), std::size_t(2));
    QCOMPARE(a.at(QStringLiteral("x")), 1);
  }

  void scenarioCopiesAreCheapAndIndependent() {
    netspatial::core::Scenario s;
    netspatial::core::Zone z;
    z.id = 7;
    s.zones = std::vector<netspatial::core::Zone>(1000, z);
    s.imagery.grid.rgb = std::vector<std::uint8_t>(3 * 100 * 100, 0);
    const netspatial::core::Scenario copy = s;
    QVERIFY(copy.zones.isSharedWith(s.zones));
    QVERIFY(copy.imagery.grid.rgb.isSharedWith(s.imagery.grid.rgb));
    s.zones.mut()[0].id = 8;
    QCOMPARE(copy.zones[0].id, qint64(7));
    QVERIFY(copy.imagery.grid.rgb.isSharedWith(s.imagery.grid.rgb));  // untouched parts stay shared
  }

  void aReaderOnAnotherThreadSeesItsVersion() {
    // The studio's rule: workers hold a version and only read; the GUI thread writes its own copy.
    Shared<std::vector<int>> published = std::vector<int>(100000, 1);
    const Shared<std::vector<int>> snapshot = published;
    long long readerSum = 0;
    QThread* reader = QThread::create([&snapshot, &readerSum] {
      for (int round = 0; round < 20; ++round)
        for (int x : snapshot) readerSum += x;
    });
    reader->start();
    for (int round = 0; round < 20; ++round) published.mut()[std::size_t(round)] = 2;  // detaches once, then writes its own
    reader->wait();
    delete reader;
    QCOMPARE(readerSum, 20LL * 100000);
    QCOMPARE(published[0], 2);
    QCOMPARE(snapshot[0], 1);
  }
};

QTEST_GUILESS_MAIN(TestShared)
#include "tst_shared.moc"
