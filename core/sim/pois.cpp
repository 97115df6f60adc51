#include "core/sim/pois.h"

#include "core/sim/rng.h"

#include <QStringList>

#include <array>
#include <cmath>

namespace netspatial::core::sim {

namespace {

using CategoryWeights = std::array<double, kPoiCategoryCount>;

// Category mix per zone class, in the order of PoiCategory: food, shopping, office, residential,
// education, medical, transport, entertainment, hotel, sports_leisure, finance, public_service,
// industrial, other.
const CategoryWeights& categoryMix(ZoneClass c) {
  static const CategoryWeights kCbd{3, 2, 10, 0.3, 0.2, 0.5, 0.5, 1, 1.5, 0.3, 4, 1, 0, 0.5};
  static const CategoryWeights kCommercial{6, 7, 1.5, 0.5, 0.3, 1, 0.5, 4, 1, 1, 1, 0.5, 0, 1};
  static const CategoryWeights kResHigh{2, 2, 0.3, 6, 1, 1, 0.3, 0.5, 0.1, 0.8, 0.3, 0.8, 0, 0.8};
  static const CategoryWeights kResLow{0.5, 0.5, 0.1, 8, 0.6, 0.4, 0.1, 0.1, 0, 0.6, 0.1, 0.4, 0, 0.5};
  static const CategoryWeights kUniversity{2, 0.5, 0.5, 1.5, 10, 0.5, 0.3, 0.5, 0.2, 1.5, 0.2, 0.5, 0, 0.5};
  static const CategoryWeights kIndustrial{0.5, 0.2, 1, 0, 0, 0.1, 0.5, 0, 0, 0, 0, 0.2, 10, 1};
  static const CategoryWeights kHub{3, 2, 0.5, 0, 0, 0.2, 10, 0.5, 1.5, 0, 0.3, 0.3, 0, 0.5};
  static const CategoryWeights kPark{1, 0, 0, 0, 0, 0, 0, 1.5, 0, 4, 0, 0.3, 0, 1};
  static const CategoryWeights kWater{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static const CategoryWeights kMixed{3, 3, 2, 4, 0.5, 0.8, 0.3, 1.5, 0.4, 0.6, 0.6, 0.6, 0, 0.6};
  switch (c) {
    case ZoneClass::Cbd:
      return kCbd;
    case ZoneClass::Commercial:
      return kCommercial;
    case ZoneClass::ResidentialHigh:
      return kResHigh;
    case ZoneClass::ResidentialLow:
      return kResLow;
    case ZoneClass::University:
      return kUniversity;
    case ZoneClass::Industrial:
      return kIndustrial;
    case ZoneClass::TransportHub:
      return kHub;
    case ZoneClass::Park:
      return kPark;
    case ZoneClass::Water:
      return kWater;
    case ZoneClass::Mixed:
      return kMixed;
  }
  return kMixed;
}

const QStringList& nounsFor(PoiCategory c) {
  static const QStringList kFood{"Bistro", "Café", "Pizzeria", "Trattoria", "Diner", "Bakery", "Noodle Bar", "Grill"};
  static const QStringList kShopping{"Market", "Boutique", "Bookshop", "Supermarket", "Pharmacy", "Hardware", "Mall"};
  static const QStringList kOffice{"Tower", "Business Centre", "House", "Offices", "Plaza", "Court"};
  static const QStringList kResidential{"Apartments", "Residences", "Court", "Gardens", "Mews", "Terrace"};
  static const QStringList kEducation{"Primary School", "High School", "Faculty of Science", "Library", "Academy", "Institute"};
  static const QStringList kMedical{"Clinic", "Medical Centre", "Hospital", "Dental Practice", "Health Centre"};
  static const QStringList kTransport{"Station", "Bus Terminal", "Metro", "Tram Stop", "Car Park", "Interchange"};
  static const QStringList kEntertainment{"Cinema", "Theatre", "Arena", "Club", "Concert Hall", "Pub", "Gallery"};
  static const QStringList kHotel{"Hotel", "Inn", "Suites", "Hostel", "Lodge"};
  static const QStringList kSports{"Gym", "Sports Ground", "Pool", "Tennis Club", "Playground", "Stadium"};
  static const QStringList kFinance{"Bank", "Savings Bank", "Insurance", "Exchange", "Capital"};
  static const QStringList kPublic{"Town Hall", "Post Office", "Police Station", "Registry", "Fire Station", "Job Centre"};
  static const QStringList kIndustrial{"Works", "Logistics", "Foundry", "Depot", "Plant", "Warehouse"};
  static const QStringList kOther{"Church", "Community Hall", "Garage", "Laundry", "Studio"};
  switch (c) {
    case PoiCategory::Food:
      return kFood;
    case PoiCategory::Shopping:
      return kShopping;
    case PoiCategory::Office:
      return kOffice;
    case PoiCategory::Residential:
      return kResidential;
    case PoiCategory::Education:
      return kEducation;
    case PoiCategory::Medical:
      return kMedical;
    case PoiCategory::Transport:
      return kTransport;
    case PoiCategory::Entertainment:
      return kEntertainment;
    case PoiCategory::Hotel:
      return kHotel;
    case PoiCategory::SportsLeisure:
      return kSports;
    case PoiCategory::Finance:
      return kFinance;
    case PoiCategory::PublicService:
      return kPublic;
    case PoiCategory::Industrial:
      return kIndustrial;
    case PoiCategory::Other:
      return kOther;
  }
  return kOther;
}

const QStringList& placeWords() {
  static const QStringList kWords{"Central", "Riverside", "Oak",   "Maple",  "Harbour", "Station",  "Hill",  "Market", "Bridge",  "King's",
                                  "Garden",  "North",     "South", "East",   "West",    "Victoria", "Elm",   "Lake",   "Castle",  "Meadow",
                                  "Orchard", "Mill",      "Cedar", "Linden", "Park",    "Union",    "Crown", "Willow", "Granite", "Silver"};
  return kWords;
}

}  // namespace

double poiRatePerHectare(ZoneClass c) {
  switch (c) {
    case ZoneClass::Cbd:
      return 6.0;
    case ZoneClass::Commercial:
      return 8.0;
    case ZoneClass::ResidentialHigh:
      return 2.0;
    case ZoneClass::ResidentialLow:
      return 0.6;
    case ZoneClass::University:
      return 1.5;
    case ZoneClass::Industrial:
      return 0.8;
    case ZoneClass::TransportHub:
      return 6.0;
    case ZoneClass::Park:
      return 0.4;
    case ZoneClass::Water:
      return 0.0;
    case ZoneClass::Mixed:
      return 4.0;
  }
  return 0.0;
}

double poiActivityWeight(PoiCategory c) {
  switch (c) {
    case PoiCategory::Office:
      return 3.0;
    case PoiCategory::Finance:
      return 2.0;
    case PoiCategory::Transport:
      return 4.0;
    case PoiCategory::Entertainment:
      return 2.5;
    case PoiCategory::Shopping:
      return 1.5;
    case PoiCategory::Food:
      return 1.2;
    case PoiCategory::Education:
      return 2.5;
    case PoiCategory::Hotel:
      return 1.5;
    case PoiCategory::Medical:
      return 1.5;
    case PoiCategory::Industrial:
      return 1.0;
    case PoiCategory::Residential:
      return 0.5;
    default:
      return 0.8;
  }
}

std::vector<Poi> generatePois(const CityLayout& layout, const SimParams& params, std::uint64_t seed, DemandGrid& grid) {
  std::vector<Poi> pois;
  const auto& parcels = layout.parcels();
  const Extent& e = layout.extent();
  for (std::size_t k = 0; k < parcels.size(); ++k) {
    const Parcel& pc = parcels[k];
    if (!pc.alive) continue;
    Rng rng(seed, 401, k);
    const double expected = poiRatePerHectare(pc.zoneClass) * pc.density * pc.area() / 10000.0;
    const int n = rng.poisson(expected);
    const auto& mix = categoryMix(pc.zoneClass);
    for (int i = 0; i < n; ++i) {
      const PointXY p = layout.toWorld(rng.uniform(pc.u0, pc.u1), rng.uniform(pc.v0, pc.v1));
      if (!e.contains(p) || layout.inWater(p)) continue;  // POIs stay inside the city, on land
      Poi poi;
      poi.category = PoiCategory(rng.weightedIndex(mix));
      const QStringList& nouns = nounsFor(poi.category);
      const QStringList& words = placeWords();
      poi.name = words[rng.uniformInt(int(words.size()))] + QLatin1Char(' ') + nouns[rng.uniformInt(int(nouns.size()))];
      poi.position = p;
      pois.push_back(poi);
      int c, r;
      if (grid.cellOf(p, c, r)) grid.poiActivity[grid.index(c, r)] += float(poiActivityWeight(poi.category));
    }
  }
  for (std::size_t i = 0; i < pois.size(); ++i) pois[i].id = qint64(i) + 1;
  (void)params;
  return pois;
}

}  // namespace netspatial::core::sim
