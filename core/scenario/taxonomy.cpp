#include "core/scenario/taxonomy.h"

namespace netspatial::core {

namespace {

struct Names {
  const char* name;
  const char* label;
};

constexpr std::array<Names, kZoneClassCount> kZones{{
    {"cbd", "CBD / offices"},
    {"commercial", "Commercial"},
    {"residential_high", "Residential (high density)"},
    {"residential_low", "Residential (low density)"},
    {"university", "University"},
    {"industrial", "Industrial"},
    {"transport_hub", "Transport hub"},
    {"park", "Park"},
    {"water", "Water"},
    {"mixed", "Mixed use"},
}};

constexpr std::array<Names, kPoiCategoryCount> kPois{{
    {"food", "Food"},
    {"shopping", "Shopping"},
    {"office", "Office"},
    {"residential", "Residential"},
    {"education", "Education"},
    {"medical", "Medical"},
    {"transport", "Transport"},
    {"entertainment", "Entertainment"},
    {"hotel", "Hotel"},
    {"sports_leisure", "Sports & leisure"},
    {"finance", "Finance"},
    {"public_service", "Public service"},
    {"industrial", "Industrial"},
    {"other", "Other"},
}};

template <typename Enum, std::size_t N>
std::optional<Enum> fromName(const std::array<Names, N>& table, const QString& name) {
  for (std::size_t i = 0; i < N; ++i)
    if (name.compare(QLatin1String(table[i].name), Qt::CaseInsensitive) == 0) return Enum(i);
  return std::nullopt;
}

}  // namespace

QString zoneClassName(ZoneClass c) { return QLatin1String(kZones[std::size_t(c)].name); }
QString zoneClassLabel(ZoneClass c) { return QLatin1String(kZones[std::size_t(c)].label); }
QString poiCategoryName(PoiCategory c) { return QLatin1String(kPois[std::size_t(c)].name); }
QString poiCategoryLabel(PoiCategory c) { return QLatin1String(kPois[std::size_t(c)].label); }
QString stationTypeName(StationType t) { return t == StationType::Macro ? QStringLiteral("macro") : QStringLiteral("micro"); }

std::optional<ZoneClass> zoneClassFromName(const QString& name) { return fromName<ZoneClass>(kZones, name); }
std::optional<PoiCategory> poiCategoryFromName(const QString& name) { return fromName<PoiCategory>(kPois, name); }
std::optional<StationType> stationTypeFromName(const QString& name) {
  if (name.compare(QStringLiteral("macro"), Qt::CaseInsensitive) == 0) return StationType::Macro;
  if (name.compare(QStringLiteral("micro"), Qt::CaseInsensitive) == 0) return StationType::Micro;
  return std::nullopt;
}

}  // namespace netspatial::core
