#pragma once

// What a generator sees at a location (DESIGN.md §5): an RGB patch of 512 m × 512 m resampled to
// 64 × 64, the POIs within 500 m, the population within 500 m, the functional zone, and the density
// of existing base stations. Missing modalities are explicit (empty / nullopt), never zeros that
// pretend to be data.

#include "core/geo/geometry.h"
#include "core/scenario/scenario.h"
#include "core/scenario/taxonomy.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace netspatial::core {

struct ContextOptions {
  double patchGroundSize = 512.0;  //!< metres, square, centred on the site
  int patchPixels = 64;
  double poiRadius = 500.0;         //!< metres
  double populationRadius = 500.0;  //!< metres
  double stationRadius = 500.0;     //!< metres
};

struct NearbyPoi {
  PoiCategory category = PoiCategory::Other;
  QString name;
  double distance = 0.0;  //!< metres
  double bearing = 0.0;   //!< radians clockwise from grid north, [0, 2π)
};

struct SiteContext {
  QString siteId;
  PointXY position;  //!< scenario CRS
  //! The scenario's CRS ("EPSG:32632"): a position means something only together with it.
  QString crs;
  //! RGB patch, band-major (R plane, G plane, B plane), patchPixels² bytes each, north-up; empty
  //! when the scenario has no imagery or the patch lies outside it.
  std::vector<std::uint8_t> imagePatch;
  int patchPixels = 0;
  std::vector<NearbyPoi> pois;       //!< may be empty (a real "no POIs"), sorted by distance
  bool poisKnown = false;            //!< false when the scenario has no POI layer at all
  std::optional<double> population;  //!< people within the radius; nullopt without a population raster
  std::optional<ZoneClass> zoneClass;
  //! Identifies the zone polygon the site lies in ("<scenario name>/<zone id>"); empty outside all zones.
  QString zoneKey;
  int stationsNearby = 0;  //!< other base stations within stationRadius
  //! What is (or would be) built there: a station's own type, the planned type of a candidate;
  //! nullopt where unknown (a traffic grid cell). Coverage, and so volume, depends on it.
  std::optional<StationType> stationType;
};

//! The position of a station or traffic site, nullopt when the id is neither.
std::optional<PointXY> sitePosition(const Scenario& scenario, const QString& siteId);

//! Contexts of the given sites (stations or traffic sites). Fails on an unknown id; cancellable.
Result<std::vector<SiteContext>> extractContexts(const Scenario& scenario, const std::vector<QString>& siteIds,
                                                 const ContextOptions& options = {}, Feedback* feedback = nullptr);

//! A site by id and position (a candidate, or any point of the map).
struct SitePoint {
  QString siteId;
  PointXY position;
  std::optional<StationType> stationType;  //!< the type planned there, if decided
};

//! Contexts at arbitrary points (candidate sites), in the given order; cancellable.
Result<std::vector<SiteContext>> extractContextsAt(const Scenario& scenario, const std::vector<SitePoint>& sites,
                                                   const ContextOptions& options = {}, Feedback* feedback = nullptr);

//! The context at an arbitrary point (a candidate site), `siteId` as given.
Result<SiteContext> extractContext(const Scenario& scenario, const QString& siteId, PointXY position, const ContextOptions& options = {});

//! Even–odd point-in-polygon for Polygon/MultiPolygon geometries (holes respected).
bool polygonContains(const Geometry& polygon, PointXY p);

}  // namespace netspatial::core
