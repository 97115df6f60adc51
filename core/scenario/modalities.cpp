#include "core/scenario/modalities.h"

#include <cmath>
#include <map>

namespace netspatial::core {

namespace {

QString count(std::size_t n, const char* one, const char* many) {
  return QStringLiteral("%1 %2").arg(n).arg(QString::fromLatin1(n == 1 ? one : many));
}

QString metres(double v) { return QString::number(v, 'f', v < 10.0 ? 2 : 1); }

template <typename Grid>
QString rasterText(const ScenarioRaster<Grid>& r, const char* pixel) {
  if (!r.externalPath.isEmpty()) return QStringLiteral("external raster %1").arg(r.externalPath);
  const auto& gt = r.grid.geoTransform;
  return QStringLiteral("%1 × %2 %3, %4 m")
      .arg(r.grid.width)
      .arg(r.grid.height)
      .arg(QString::fromLatin1(pixel))
      .arg(metres(std::hypot(gt[1], gt[4])));
}

}  // namespace

QStringList modalityNames() {
  return {QStringLiteral("stations"), QStringLiteral("traffic_sites"), QStringLiteral("traffic"),   QStringLiteral("pois"),
          QStringLiteral("zones"),    QStringLiteral("imagery"),       QStringLiteral("population")};
}

QString modalityLabel(const QString& name) {
  static const std::map<QString, QString> labels{
      {QStringLiteral("stations"), QStringLiteral("base stations")},   {QStringLiteral("traffic_sites"), QStringLiteral("traffic sites")},
      {QStringLiteral("traffic"), QStringLiteral("observed traffic")}, {QStringLiteral("pois"), QStringLiteral("points of interest")},
      {QStringLiteral("zones"), QStringLiteral("land-use zones")},     {QStringLiteral("imagery"), QStringLiteral("imagery")},
      {QStringLiteral("population"), QStringLiteral("population")}};
  auto it = labels.find(name);
  return it == labels.end() ? name : it->second;
}

std::vector<Modality> describeModalities(const Scenario& s) {
  std::vector<Modality> out;
  for (const QString& name : modalityNames()) {
    Modality m;
    m.name = name;
    if (name == QLatin1String("stations")) {
      m.present = !s.stations.empty();
      std::size_t micro = 0;
      for (const BaseStation& b : s.stations) micro += b.type == StationType::Micro;
      m.description = QStringLiteral("%1 (%2 macro, %3 micro)")
                          .arg(count(s.stations.size(), "station", "stations"))
                          .arg(s.stations.size() - micro)
                          .arg(micro);
    } else if (name == QLatin1String("traffic_sites")) {
      m.present = !s.trafficSites.empty();
      m.description = count(s.trafficSites.size(), "site", "sites");
    } else if (name == QLatin1String("traffic")) {
      m.present = !s.trafficObserved.isEmpty() && s.trafficObserved.hours() > 0;
      m.description = QStringLiteral("%1 h for %2, unit %3")
                          .arg(s.trafficObserved.hours())
                          .arg(count(s.trafficObserved.valuesBySite->size(), "site", "sites"), s.metadata.trafficUnit);
    } else if (name == QLatin1String("pois")) {
      m.present = !s.pois.empty();
      m.description = count(s.pois.size(), "POI", "POIs");
    } else if (name == QLatin1String("zones")) {
      m.present = !s.zones.empty();
      m.description = count(s.zones.size(), "zone", "zones");
    } else if (name == QLatin1String("imagery")) {
      m.present = s.imagery.isSet();
      m.description = rasterText(s.imagery, "px");
    } else if (name == QLatin1String("population")) {
      m.present = s.population.isSet();
      double total = 0.0;
      if (!s.population.grid.isEmpty())
        for (float v : s.population.grid.values) total += std::isfinite(v) ? double(v) : 0.0;
      m.description = rasterText(s.population, "cells");
      if (!s.population.grid.isEmpty()) m.description += QStringLiteral(", %1 people").arg(std::llround(total));
    }
    m.lacking = !m.present;
    if (name == QLatin1String("traffic_sites") && !m.present && !s.trafficObserved.isEmpty()) {
      m.lacking = false;
      m.description = QStringLiteral("none: the observed traffic is per station");
    } else if (!m.present) {
      m.description = QStringLiteral("missing");
    }
    m.source = s.metadata.extra.value(QStringLiteral("modality.") + name).toString();
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace netspatial::core
