#pragma once

// How the paper-mode and balancing views print loads and shares, so that a number reads the same in
// a label, an axis and a table.

#include "ui/util/numberformat.h"

#include <QLocale>
#include <QString>

#include <cmath>

namespace netspatial::ui {

struct LoadFormat {
  //! A fraction as a percentage: 0.1234 → "12.3 %"; "—" when undefined.
  static QString percent(double fraction, int decimals = 1) {
    if (!std::isfinite(fraction)) return QStringLiteral("—");
    // −0.0 would print as "-0.0 %", which reads as a (tiny) loss.
    double v = 100.0 * fraction;
    if (v == 0.0) v = 0.0;
    return QLocale().toString(v, 'f', decimals) + QStringLiteral(" %");
  }

  //! A load or volume with a precision that suits its size (three or four significant digits).
  static QString number(double v) { return formatSignificant(v); }

  //! The unit of a load summed over hours: a rate per hour loses its "/h" ("MB/h" → "MB"); any
  //! other unit gains "·h" ("utilisation" → "utilisation·h"). Empty stays empty.
  static QString volumeUnit(const QString& unit) {
    if (unit.isEmpty()) return {};
    if (unit.endsWith(QStringLiteral("/h"))) return unit.chopped(2);
    return unit + QStringLiteral("·h");
  }

  //! A unit for an axis title or a column header: never blank.
  static QString shownUnit(const QString& unit) { return unit.isEmpty() ? QStringLiteral("unit not given") : unit; }
};

}  // namespace netspatial::ui
