#pragma once

// The options `netspatial sleep` and `netspatial balance` share: the project, which stations, the
// horizon, and the network parameters (neighbour distance, capacities).

#include "core/operations/operationssettings.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>

namespace netspatial::app::cli {

struct OperationsOptions {
  QCommandLineOption project{QStringLiteral("project"), QStringLiteral("The project (.gpkg) with observed traffic; it is not changed."),
                             QStringLiteral("file")};
  QCommandLineOption stations{QStringLiteral("stations"),
                              QStringLiteral("Comma-separated station (or traffic site) ids. Default: all with observed traffic."),
                              QStringLiteral("ids")};
  QCommandLineOption zone{QStringLiteral("zone"), QStringLiteral("Only the stations inside this zone id."), QStringLiteral("id")};
  QCommandLineOption horizon{QStringLiteral("horizon"),
                             QStringLiteral("Weeks forecast and evaluated at the end of the observed series (1–4)."),
                             QStringLiteral("weeks"), QStringLiteral("4")};
  QCommandLineOption distance{QStringLiteral("neighbour-distance"),
                              QStringLiteral("Metres within which a station may take another's load."), QStringLiteral("m"),
                              QStringLiteral("500")};
  QCommandLineOption capacityFactor{QStringLiteral("capacity-factor"),
                                    QStringLiteral("Capacity of a station without one = its history peak × this."), QStringLiteral("x"),
                                    QStringLiteral("1.25")};
  void addTo(QCommandLineParser& parser) const { parser.addOptions({project, stations, zone, horizon, distance, capacityFactor}); }
  //! Fills `settings`; an error text for the user, or nothing.
  std::optional<QString> read(const QCommandLineParser& parser, core::OperationsSettings& settings, QStringList& ids) const {
    if (!parser.isSet(project)) return QStringLiteral("--project FILE.gpkg is required");
    bool ok = false;
    settings.horizonWeeks = parser.value(horizon).toInt(&ok);
    if (!ok || settings.horizonWeeks < 1 || settings.horizonWeeks > 4) return QStringLiteral("--horizon must be 1 to 4 weeks");
    const double d = parser.value(distance).toDouble(&ok);
    if (!ok || d < 0.0) return QStringLiteral("--neighbour-distance must be ≥ 0 metres");
    settings.sleep.sleep.neighbourDistance = d;
    settings.balance.neighbourDistance = d;
    settings.capacityFromPeakFactor = parser.value(capacityFactor).toDouble(&ok);
    if (!ok || !(settings.capacityFromPeakFactor > 0.0)) return QStringLiteral("--capacity-factor must be > 0");
    ids = parser.value(stations).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString& id : ids) id = id.trimmed();
    if (parser.isSet(zone)) {
      settings.scope = core::StationScope::Zone;
      settings.zoneId = parser.value(zone).toLongLong(&ok);
      if (!ok) return QStringLiteral("--zone must be a zone id (an integer)");
      if (!ids.isEmpty()) return QStringLiteral("give --stations or --zone, not both");
    }
    return std::nullopt;
  }
};

}  // namespace netspatial::app::cli
