#include "core/planning/planningexport.h"

#include "core/geo/coordinatetransform.h"
#include "core/planning/candidategrid.h"
#include "core/geo/vectorwriter.h"
#include "core/util/csvwriter.h"

#include <QLocale>

#include <cmath>

namespace netspatial::core {

namespace {

QString num(double v, int precision = 9) { return std::isfinite(v) ? QLocale::c().toString(v, 'g', precision) : QString(); }

}  // namespace

Status writeRankingCsv(const Ranking& ranking, const Crs& crs, const QString& path, const QHash<QString, QString>& rationales) {
  auto transform = CoordinateTransform::create(crs, Crs::wgs84());
  if (!transform) return Error(transform.error().code(), transform.error().message(), {path});
  auto writer = CsvWriter::open(path);
  if (!writer) return writer.error();
  (*writer)->writeRow({"rank", "site_id", "lon", "lat", "x", "y", "lsi", "sigma", "mean", "p95", "mean_over_sigma", "p_topk", "utility",
                       "value", "selected", "note", "rationale"});
  for (const RankedSite& s : ranking.sites) {
    auto ll = transform->transform(s.position);
    if (!ll) return Error(ll.error().code(), QStringLiteral("site %1: %2").arg(s.siteId, ll.error().message()), {path});
    const SiteUtilities& u = s.utilities;
    (*writer)->writeRow({s.rank > 0 ? QString::number(s.rank) : QString(), s.siteId, num(ll->x, 10), num(ll->y, 10), num(s.position.x, 12),
                         num(s.position.y, 12), num(u.lsi), num(u.sigma), num(u.mean), num(u.p95), num(u.stability), num(s.pTopK, 4),
                         utilityName(ranking.options.utility), num(s.value), s.selected ? QStringLiteral("true") : QStringLiteral("false"),
                         s.excludedBecause, rationales.value(s.siteId)});
  }
  return (*writer)->commit();
}

Status writeSeriesCsv(const GeneratedTraffic& traffic, const QString& path, SeriesUnits units, double scale, const QStringList& siteIds) {
  if (units == SeriesUnits::Normalised && !(scale > 0.0))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("normalised output needs the generator's normalisation scale"), {path});
  QStringList ids = siteIds;
  if (ids.isEmpty())
    for (const auto& [id, samples] : traffic.samplesBySite) ids << id;
  for (const QString& id : ids)
    if (!traffic.samplesBySite.count(id))
      return Error(ErrorCode::InvalidArgument, QStringLiteral("no generated traffic for site %1").arg(id), {path});
  auto writer = CsvWriter::open(path);
  if (!writer) return writer.error();
  (*writer)->writeRow({"site_id", "sample", "t", "value"});
  const double divisor = units == SeriesUnits::Normalised ? scale : 1.0;
  std::vector<QString> times;
  for (const QString& id : ids) {
    const auto& samples = traffic.samplesBySite.at(id);
    for (std::size_t k = 0; k < samples.size(); ++k) {
      const auto& x = samples[k];
      while (times.size() < x.size()) times.push_back(traffic.start.addSecs(qint64(times.size()) * 3600).toString(Qt::ISODate));
      for (std::size_t t = 0; t < x.size(); ++t) (*writer)->writeRow({id, QString::number(k), times[t], num(double(x[t]) / divisor, 7)});
    }
  }
  return (*writer)->commit();
}

Status writeRankedSites(const Scenario& scenario, const Ranking& ranking, const QString& path) {
  VectorLayerData layer;
  layer.name = QStringLiteral("ranked_sites");
  layer.crs = scenario.metadata.crs;
  using T = VectorField::Type;
  layer.fields = {{"rank", T::Integer}, {"site_id", T::String}, {"utility", T::String}, {"value", T::Real}, {"selected", T::Integer},
                  {"lsi", T::Real},     {"sigma", T::Real},     {"mean", T::Real},      {"p95", T::Real},   {"mean_over_sigma", T::Real},
                  {"p_topk", T::Real},  {"note", T::String}};
  bool allCells = true;
  for (const RankedSite& s : ranking.sites) allCells = allCells && findCandidate(scenario, s.siteId);
  for (const RankedSite& s : ranking.sites) {
    VectorFeature f;
    // One geometry type per layer: cells when every site is a candidate, else points.
    const Candidate* c = allCells ? findCandidate(scenario, s.siteId) : nullptr;
    f.geometry = c ? c->cell : Geometry::point(s.position);
    const SiteUtilities& u = s.utilities;
    auto real = [](double v) { return std::isfinite(v) ? QVariant(v) : QVariant(); };
    f.values = {s.rank > 0 ? QVariant(s.rank) : QVariant(),
                s.siteId,
                utilityName(ranking.options.utility),
                real(s.value),
                s.selected ? 1 : 0,
                real(u.lsi),
                real(u.sigma),
                real(u.mean),
                real(u.p95),
                real(u.stability),
                s.pTopK,
                s.excludedBecause};
    layer.features.push_back(std::move(f));
  }
  return writeVectorFile(layer, path);
}

}  // namespace netspatial::core
