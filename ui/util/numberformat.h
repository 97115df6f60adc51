#pragma once

// How tables and labels print values and sort ids, the same way in every view.

#include <QLocale>
#include <QRegularExpression>
#include <QString>
#include <QVariant>

#include <algorithm>
#include <cmath>

namespace netspatial::ui {

//! A value with a precision that suits its size (three or four significant digits), in the
//! user's locale; "—" when undefined.
inline QString formatSignificant(double v) {
  if (!std::isfinite(v)) return QStringLiteral("—");
  const double a = std::abs(v);
  const QLocale locale;
  if (a >= 100.0) return locale.toString(v, 'f', 0);
  if (a >= 10.0) return locale.toString(v, 'f', 1);
  if (a >= 0.01 || a == 0.0) return locale.toString(v, 'f', 2);
  return locale.toString(v, 'g', 2);
}

//! A duration for people: "12 s", "7 min", "1.5 h" (never "0 s").
inline QString formatDuration(double seconds) {
  if (seconds < 90.0) return QStringLiteral("%1 s").arg(std::max(1, int(std::lround(seconds))));
  if (seconds < 5400.0) return QStringLiteral("%1 min").arg(int(std::lround(seconds / 60.0)));
  return QStringLiteral("%1 h").arg(seconds / 3600.0, 0, 'f', 1);
}

//! A number for a model's sort role: undefined values become an empty variant (sorted together).
inline QVariant sortNumber(double v) { return std::isfinite(v) ? QVariant(v) : QVariant(); }

//! "S9" before "S10", as an engineer reads ids: the digits of a "prefix + number" id are
//! zero-padded for sorting; any other id sorts as itself.
inline QString naturalSortKey(const QString& id) {
  static const QRegularExpression re(QStringLiteral("^(\\D*)(\\d{1,18})$"));
  const QRegularExpressionMatch m = re.match(id);
  if (!m.hasMatch()) return id;
  return m.captured(1) + m.captured(2).rightJustified(18, QLatin1Char('0'));
}

}  // namespace netspatial::ui
