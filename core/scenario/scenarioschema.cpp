#include "core/scenario/scenarioschema.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <bit>
#include <cstdint>
#include <cstring>

namespace netspatial::core::scenarioschema {

const QStringList& reservedKeys() {
  static const QStringList keys{QStringLiteral("name"),
                                QStringLiteral("crs"),
                                QStringLiteral("time_zone"),
                                QStringLiteral("traffic_unit"),
                                QStringLiteral("series_start"),
                                QStringLiteral("preset"),
                                QStringLiteral("seed"),
                                QStringLiteral("schema_version"),
                                QStringLiteral("imagery.external"),
                                QStringLiteral("population.external"),
                                QStringLiteral("traffic_observed.start")};
  return keys;
}

QString isoUtc(const QDateTime& t) {
  if (!t.isValid()) return {};
  const QDateTime utc = t.toUTC();
  // Milliseconds only when present, so hourly series keep the plain "2025-03-02T23:00:00Z" form.
  return utc.toString(utc.time().msec() != 0 ? Qt::ISODateWithMs : Qt::ISODate);
}

std::optional<QDateTime> parseIsoUtc(const QString& s) {
  const QString t = s.trimmed();
  if (t.isEmpty()) return std::nullopt;
  QDateTime d = QDateTime::fromString(t, Qt::ISODateWithMs);
  if (!d.isValid()) d = QDateTime::fromString(t, Qt::ISODate);
  if (!d.isValid()) return std::nullopt;
  // A time without zone designator is taken as UTC, the file's convention.
  if (d.timeSpec() == Qt::LocalTime) d.setTimeZone(QTimeZone::utc());
  return d.toUTC();
}

void encodeSeries(const std::vector<float>& values, std::vector<unsigned char>& out) {
  out.resize(values.size() * 4);
  if constexpr (std::endian::native == std::endian::little) {
    if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  } else {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const auto bits = std::bit_cast<std::uint32_t>(values[i]);
      for (int b = 0; b < 4; ++b) out[i * 4 + std::size_t(b)] = static_cast<unsigned char>(bits >> (8 * b));
    }
  }
}

void decodeSeries(const unsigned char* bytes, std::vector<float>& values) {
  if constexpr (std::endian::native == std::endian::little) {
    if (!values.empty()) std::memcpy(values.data(), bytes, values.size() * 4);
  } else {
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::uint32_t bits = 0;
      for (int b = 0; b < 4; ++b) bits |= std::uint32_t(bytes[i * 4 + std::size_t(b)]) << (8 * b);
      values[i] = std::bit_cast<float>(bits);
    }
  }
}

QString jsonText(const QVariantMap& map) {
  return QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(map)).toJson(QJsonDocument::Compact));
}

QVariantMap parseJsonMap(const QString& text, bool* ok) {
  if (text.trimmed().isEmpty()) {
    *ok = true;
    return {};
  }
  QJsonParseError err;
  const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
  *ok = err.error == QJsonParseError::NoError && doc.isObject();
  return *ok ? doc.object().toVariantMap() : QVariantMap();
}

}  // namespace netspatial::core::scenarioschema
