#include "core/sim/citysimulator.h"

#include <QCryptographicHash>

#include <cstring>

namespace netspatial::core {

namespace {

// Feeds raw little-endian-in-practice bytes of plain values; hashes are compared on one machine
// type, and the values themselves are deterministic.
template <typename T>
void add(QCryptographicHash& h, const T& v) {
  h.addData(QByteArrayView(reinterpret_cast<const char*>(&v), qsizetype(sizeof(T))));
}
void add(QCryptographicHash& h, const QString& s) {
  const QByteArray b = s.toUtf8();
  add(h, qint64(b.size()));
  h.addData(b);
}
void add(QCryptographicHash& h, const Geometry& g) {
  add(h, int(g.type));
  for (const auto& part : g.parts)
    for (const auto& ring : part) {
      add(h, qint64(ring.size()));
      for (const PointXY& p : ring) {
        add(h, p.x);
        add(h, p.y);
      }
    }
}
QString hex(QCryptographicHash& h) { return QString::fromLatin1(h.result().toHex()); }

}  // namespace

QVariantMap scenarioDataHashes(const Scenario& s) {
  QVariantMap out;
  {
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const Zone& z : s.zones) {
      add(h, z.id);
      add(h, int(z.zoneClass));
      add(h, z.name);
      add(h, z.polygon);
    }
    out.insert(QStringLiteral("zones"), hex(h));
  }
  {
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const BaseStation& b : s.stations) {
      add(h, b.id);
      add(h, b.name);
      add(h, int(b.type));
      add(h, b.capacity);
      add(h, b.position.x);
      add(h, b.position.y);
    }
    out.insert(QStringLiteral("stations"), hex(h));
  }
  {
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const Poi& p : s.pois) {
      add(h, p.id);
      add(h, int(p.category));
      add(h, p.name);
      add(h, p.position.x);
      add(h, p.position.y);
    }
    out.insert(QStringLiteral("pois"), hex(h));
  }
  {
    QCryptographicHash h(QCryptographicHash::Sha256);
    const ImageRaster& img = s.imagery.grid;
    add(h, img.width);
    add(h, img.height);
    for (double v : img.geoTransform) add(h, v);
    h.addData(QByteArrayView(reinterpret_cast<const char*>(img.rgb.data()), qsizetype(img.rgb.size())));
    out.insert(QStringLiteral("imagery"), hex(h));
  }
  {
    QCryptographicHash h(QCryptographicHash::Sha256);
    const ValueRaster& pop = s.population.grid;
    add(h, pop.width);
    add(h, pop.height);
    for (double v : pop.geoTransform) add(h, v);
    h.addData(QByteArrayView(reinterpret_cast<const char*>(pop.values.data()), qsizetype(pop.values.size() * sizeof(float))));
    out.insert(QStringLiteral("population"), hex(h));
  }
  {
    QCryptographicHash h(QCryptographicHash::Sha256);
    add(h, s.trafficObserved.start.toMSecsSinceEpoch());
    for (const auto& [id, values] : s.trafficObserved.valuesBySite) {
      add(h, id);
      h.addData(QByteArrayView(reinterpret_cast<const char*>(values.data()), qsizetype(values.size() * sizeof(float))));
    }
    out.insert(QStringLiteral("traffic_observed"), hex(h));
  }
  return out;
}

}  // namespace netspatial::core
