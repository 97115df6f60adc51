#pragma once

// ADAPTIVE's urban knowledge graph (paper 000 §4.1; spec §5.2–5.4), built from the sites a
// generator sees: base stations with positions and the POIs of their contexts (internal to
// models/). One graph holds several cities (groups) side by side; categories and brands are the
// only entities they share, which is what lets a target city's graph be embedded in the source's
// space by fold-in.

#include "netspatial/models/generator.h"

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace netspatial::models::adaptive {

enum class EntityType { Station, Poi, Region, BusinessArea, Category, Brand };
inline constexpr int kEntityTypes = 6;

//! The relations of spec §5.3 (paper's schema plus the POI links); each has a reverse, numbered
//! kRelations + r, added when the triples are used.
enum class Relation {
  StationLocatedAtRegion,
  StationBelongsToBusinessArea,
  StationServesPoi,
  StationBordersStation,
  PoiBelongsToBusinessArea,
  BusinessAreaServesRegion,
  PoiHasCategory,
  PoiHasBrand,
  PoiLocatedAtRegion,
};
inline constexpr int kRelations = 9;
const char* relationName(int relation);  //!< "serves", "borders_reverse", …

struct Triple {
  int subject = 0;
  int relation = 0;
  int object = 0;
  bool operator==(const Triple& o) const { return subject == o.subject && relation == o.relation && object == o.object; }
};

//! One base station: where it is, in which city, and what its context lists around it.
struct GraphSite {
  double x = 0.0, y = 0.0;  //!< metres, the group's CRS
  int group = 0;
  const ModelContext* context = nullptr;  //!< its POIs (distance, bearing) are placed from (x, y)
};

struct KnowledgeGraphOptions {
  double regionSize = 1000.0;      //!< metres: regions are square cells (spec §5.4)
  double businessAreaEps = 150.0;  //!< DBSCAN over commercial POIs
  int businessAreaMinPoints = 8;
  double stationAreaRadius = 150.0;  //!< a station belongs to a business area with a member POI this close
  int neighbours = 14;               //!< M: the "borders" relation and the GCN's graph
  int minBrandPois = 2;              //!< a brand is an entity only when this many POIs share it
};

//! The entities (keys name them uniquely: shared ones by category or brand, the rest by group),
//! the triples (without reverses) and per station its entity, POI category counts and kNN edges.
struct KnowledgeGraph {
  std::vector<EntityType> entityTypes;
  std::vector<std::string> entityKeys;
  std::unordered_map<std::string, int> entityIndex;
  std::vector<Triple> triples;
  std::vector<int> stationEntity;                                   //!< per site, in input order
  std::vector<std::array<float, kPoiCategories>> stationPoiCounts;  //!< POIs per category in each context
  std::vector<bool> stationPoisKnown;
  //! Directed kNN edges (site i → its M nearest sites of the same group) with their distances.
  std::vector<int> edgeFrom, edgeTo;
  std::vector<double> edgeDistance;
  int pois = 0, regions = 0, businessAreas = 0, brands = 0;

  int entityCount() const { return int(entityTypes.size()); }
  //! The entity of `key`, created with `type` when new.
  int entity(const std::string& key, EntityType type);
};

//! Builds the graph of `sites`. POIs are placed at site + distance·(sin bearing, cos bearing) and
//! de-duplicated on (group, category, name, position rounded to a metre): the app's contexts carry
//! no POI ids, and a POI listed by several stations is one entity. Each POI is served by the
//! nearest station whose context lists it (contexts list POIs within 500 m). Deterministic.
KnowledgeGraph buildKnowledgeGraph(const std::vector<GraphSite>& sites, const KnowledgeGraphOptions& options = {});

//! The entity key of a shared category entity ("category:3").
std::string categoryKey(int category);
//! A POI name reduced to its brand: lower case, digits, punctuation and branch words removed
//! ("Esselunga 12 - Via Roma" → "esselunga via roma" → …); empty when nothing is left.
std::string brandOf(const std::string& name);

}  // namespace netspatial::models::adaptive
