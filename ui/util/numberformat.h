#pragma once

// How tables and labels print values and sort ids, the same way in every view.

#include <QLocale>
#include <QRegularExpression>
#include <QString>
#include <QVariant>

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
