#pragma once

// NETSPATIAL_COMPARE_NEAR(actual, expected, tolerance): |actual − expected| < tolerance, and on
// failure a message with both values, their difference and the tolerance (QVERIFY of an abs()
// says only that it failed).

#include <QString>
#include <QTest>

#include <cmath>

namespace netspatial::tests {

inline QString nearMessage(const char* actualText, const char* expectedText, double actual, double expected, double tolerance) {
  return QStringLiteral("%1 = %2, %3 = %4: they differ by %5, not less than %6")
      .arg(QString::fromLatin1(actualText), QString::number(actual, 'g', 17), QString::fromLatin1(expectedText),
           QString::number(expected, 'g', 17), QString::number(std::abs(actual - expected), 'g', 6), QString::number(tolerance, 'g', 6));
}

}  // namespace netspatial::tests

#define NETSPATIAL_COMPARE_NEAR(actual, expected, tolerance)                                                                             \
  do {                                                                                                                                   \
    const double netspatialActual_ = double(actual), netspatialExpected_ = double(expected), netspatialTolerance_ = double(tolerance);   \
    QVERIFY2(                                                                                                                            \
        std::abs(netspatialActual_ - netspatialExpected_) <= netspatialTolerance_,                                                       \
        qPrintable(::netspatial::tests::nearMessage(#actual, #expected, netspatialActual_, netspatialExpected_, netspatialTolerance_))); \
  } while (false)
