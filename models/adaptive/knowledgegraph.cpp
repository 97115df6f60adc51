#include "knowledgegraph.h"

#include "clustering.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

namespace netspatial::models::adaptive {

namespace {

// Commercial categories of the app's taxonomy (DESIGN.md §3): food, shopping, office,
// entertainment, hotel, finance — the POIs whose clusters are business areas (spec §5.4).
constexpr std::array<bool, kPoiCategories> kCommercial{true, true, true,  false, false, false, false,
                                                       true, true, false, true,  false, false, false};

struct PlacedPoi {
  int group = 0;
  int category = 0;
  std::string name;
  double x = 0.0, y = 0.0;
  int servingSite = -1;
  double servingDistance = 0.0;
  int entity = -1;
};

std::string regionKey(int group, double x, double y, double size) {
  // On the metre grid of the POIs' identity: a POI placed at y = −0.000004 by one station and at
  // 0 by another is one POI in one region.
  x = double(std::llround(x));
  y = double(std::llround(y));
  return "region:" + std::to_string(group) + ":" + std::to_string(std::int64_t(std::floor(x / size))) + ":" +
         std::to_string(std::int64_t(std::floor(y / size)));
}

// Positions are rounded to a metre for the identity of a POI: two stations place the same POI from
// their own (distance, bearing), which agree to centimetres, not bits.
std::string poiKey(int group, int category, const std::string& name, double x, double y) {
  return "poi:" + std::to_string(group) + ":" + std::to_string(category) + ":" + name + ":" + std::to_string(std::llround(x)) + ":" +
         std::to_string(std::llround(y));
}

}  // namespace

const char* relationName(int relation) {
  static const char* names[kRelations] = {"located_at",  "belongs_to",   "serves",    "borders",       "poi_belongs_to",
                                          "area_serves", "has_category", "has_brand", "poi_located_at"};
  if (relation >= 0 && relation < kRelations) return names[relation];
  if (relation >= kRelations && relation < 2 * kRelations) {
    static std::vector<std::string> reversed = [] {
      std::vector<std::string> r;
      for (const char* n : names) r.push_back(std::string(n) + "_reverse");
      return r;
    }();
    return reversed[std::size_t(relation - kRelations)].c_str();
  }
  return "unknown";
}

int KnowledgeGraph::entity(const std::string& key, EntityType type) {
  auto [it, inserted] = entityIndex.emplace(key, int(entityTypes.size()));
  if (inserted) {
    entityTypes.push_back(type);
    entityKeys.push_back(key);
  }
  return it->second;
}

std::string categoryKey(int category) { return "category:" + std::to_string(category); }

std::string brandOf(const std::string& name) {
  // A branch suffix follows a separator ("Esselunga - Via Roma", "Bar Sport, Brera"): keep what
  // precedes it. Digits are branch numbers, not brand.
  std::string head = name;
  for (const char* sep : {" - ", ",", "(", " / "}) {
    const auto at = head.find(sep);
    if (at != std::string::npos) head.resize(at);
  }
  std::string out;
  bool space = false;
  for (unsigned char c : head) {
    if (std::isalpha(c) || c >= 0x80) {
      if (space && !out.empty()) out += ' ';
      out += char(std::tolower(c));
      space = false;
    } else {
      space = true;
    }
  }
  return out;
}

KnowledgeGraph buildKnowledgeGraph(const std::vector<GraphSite>& sites, const KnowledgeGraphOptions& options) {
  KnowledgeGraph g;
  const int n = int(sites.size());
  for (int c = 0; c < kPoiCategories; ++c) g.entity(categoryKey(c), EntityType::Category);

  // Stations, their regions and their POI counts.
  g.stationEntity.resize(std::size_t(n));
  g.stationPoiCounts.assign(std::size_t(n), {});
  g.stationPoisKnown.assign(std::size_t(n), false);
  std::set<std::string> regionKeys;
  for (int i = 0; i < n; ++i) {
    const GraphSite& s = sites[std::size_t(i)];
    g.stationEntity[std::size_t(i)] = g.entity("station:" + std::to_string(s.group) + ":" + std::to_string(i), EntityType::Station);
    const std::string region = regionKey(s.group, s.x, s.y, options.regionSize);
    regionKeys.insert(region);
    g.triples.push_back({g.stationEntity[std::size_t(i)], int(Relation::StationLocatedAtRegion), g.entity(region, EntityType::Region)});
    if (s.context) {
      g.stationPoisKnown[std::size_t(i)] = s.context->poisKnown;
      for (const ModelPoi& p : s.context->pois)
        if (p.category >= 0 && p.category < kPoiCategories) g.stationPoiCounts[std::size_t(i)][std::size_t(p.category)] += 1.0f;
    }
  }

  // POIs, de-duplicated across the stations that list them; each is served by the nearest one.
  std::vector<PlacedPoi> pois;
  std::map<std::string, int> poiIndex;
  for (int i = 0; i < n; ++i) {
    const GraphSite& s = sites[std::size_t(i)];
    if (!s.context) continue;
    for (const ModelPoi& p : s.context->pois) {
      if (p.category < 0 || p.category >= kPoiCategories || !std::isfinite(p.distance) || !std::isfinite(p.bearing)) continue;
      const double x = s.x + double(p.distance) * std::sin(double(p.bearing));
      const double y = s.y + double(p.distance) * std::cos(double(p.bearing));
      const std::string key = poiKey(s.group, p.category, p.name, x, y);
      auto [it, inserted] = poiIndex.emplace(key, int(pois.size()));
      if (inserted) pois.push_back({s.group, p.category, p.name, x, y, i, double(p.distance), -1});
      PlacedPoi& placed = pois[std::size_t(it->second)];
      if (double(p.distance) < placed.servingDistance) {
        placed.servingSite = i;
        placed.servingDistance = double(p.distance);
      }
    }
  }
  std::map<std::string, int> brandCounts;
  for (const PlacedPoi& p : pois) {
    const std::string b = brandOf(p.name);
    if (!b.empty()) ++brandCounts[b];
  }
  for (auto& [key, index] : poiIndex) {
    PlacedPoi& p = pois[std::size_t(index)];
    p.entity = g.entity(key, EntityType::Poi);
  }
  // Triples in POI order (the map's key order), so the graph does not depend on the stations' order
  // of listing beyond which station serves.
  for (const auto& [key, index] : poiIndex) {
    const PlacedPoi& p = pois[std::size_t(index)];
    g.triples.push_back({g.stationEntity[std::size_t(p.servingSite)], int(Relation::StationServesPoi), p.entity});
    g.triples.push_back({p.entity, int(Relation::PoiHasCategory), g.entity(categoryKey(p.category), EntityType::Category)});
    const std::string region = regionKey(p.group, p.x, p.y, options.regionSize);
    regionKeys.insert(region);
    g.triples.push_back({p.entity, int(Relation::PoiLocatedAtRegion), g.entity(region, EntityType::Region)});
    const std::string b = brandOf(p.name);
    if (!b.empty() && brandCounts[b] >= options.minBrandPois) {
      const bool isNew = !g.entityIndex.count("brand:" + b);
      g.triples.push_back({p.entity, int(Relation::PoiHasBrand), g.entity("brand:" + b, EntityType::Brand)});
      g.brands += isNew ? 1 : 0;
    }
  }
  g.pois = int(pois.size());
  g.regions = int(regionKeys.size());

  // Business areas: DBSCAN of each city's commercial POIs.
  std::map<int, std::vector<int>> commercialByGroup;
  for (const auto& [key, index] : poiIndex)
    if (kCommercial[std::size_t(pois[std::size_t(index)].category)]) commercialByGroup[pois[std::size_t(index)].group].push_back(index);
  for (const auto& [group, members] : commercialByGroup) {
    std::vector<double> xs, ys;
    for (int m : members) {
      xs.push_back(pois[std::size_t(m)].x);
      ys.push_back(pois[std::size_t(m)].y);
    }
    const std::vector<int> labels = dbscan(xs, ys, options.businessAreaEps, options.businessAreaMinPoints);
    const int areas = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
    std::vector<int> areaEntity(static_cast<std::size_t>(areas));
    std::vector<std::set<std::string>> areaRegions(static_cast<std::size_t>(areas));
    for (int a = 0; a < areas; ++a)
      areaEntity[std::size_t(a)] = g.entity("area:" + std::to_string(group) + ":" + std::to_string(a), EntityType::BusinessArea);
    g.businessAreas += areas;
    for (std::size_t k = 0; k < members.size(); ++k) {
      if (labels[k] < 0) continue;
      const PlacedPoi& p = pois[std::size_t(members[k])];
      g.triples.push_back({p.entity, int(Relation::PoiBelongsToBusinessArea), areaEntity[std::size_t(labels[k])]});
      areaRegions[std::size_t(labels[k])].insert(regionKey(p.group, p.x, p.y, options.regionSize));
    }
    for (int a = 0; a < areas; ++a)
      for (const std::string& r : areaRegions[std::size_t(a)])
        g.triples.push_back({areaEntity[std::size_t(a)], int(Relation::BusinessAreaServesRegion), g.entityIndex.at(r)});
    // A station belongs to every area with a member POI within stationAreaRadius of it.
    for (int i = 0; i < n; ++i) {
      const GraphSite& s = sites[std::size_t(i)];
      if (s.group != group) continue;
      std::set<int> near;
      for (std::size_t k = 0; k < members.size(); ++k) {
        if (labels[k] < 0) continue;
        const double dx = xs[k] - s.x, dy = ys[k] - s.y;
        if (dx * dx + dy * dy <= options.stationAreaRadius * options.stationAreaRadius) near.insert(labels[k]);
      }
      for (int a : near)
        g.triples.push_back({g.stationEntity[std::size_t(i)], int(Relation::StationBelongsToBusinessArea), areaEntity[std::size_t(a)]});
    }
  }

  // The M nearest stations of the same city: the "borders" relation and the GCN's graph (Eq. 1).
  std::map<int, std::vector<int>> byGroup;
  for (int i = 0; i < n; ++i) byGroup[sites[std::size_t(i)].group].push_back(i);
  for (const auto& [group, members] : byGroup) {
    for (int i : members) {
      std::vector<std::pair<double, int>> d;
      d.reserve(members.size());
      for (int j : members)
        if (j != i)
          d.push_back(
              {std::hypot(sites[std::size_t(j)].x - sites[std::size_t(i)].x, sites[std::size_t(j)].y - sites[std::size_t(i)].y), j});
      const std::size_t m = std::min<std::size_t>(std::size_t(std::max(0, options.neighbours)), d.size());
      std::partial_sort(d.begin(), d.begin() + std::ptrdiff_t(m), d.end());
      for (std::size_t k = 0; k < m; ++k) {
        g.edgeFrom.push_back(i);
        g.edgeTo.push_back(d[k].second);
        g.edgeDistance.push_back(d[k].first);
        g.triples.push_back(
            {g.stationEntity[std::size_t(i)], int(Relation::StationBordersStation), g.stationEntity[std::size_t(d[k].second)]});
      }
    }
  }
  return g;
}

}  // namespace netspatial::models::adaptive
