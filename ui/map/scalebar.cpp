#include "ui/map/scalebar.h"

#include <QFontMetricsF>

#include <cmath>
#include <numbers>

namespace netspatial::ui {

double ScaleBar::niceLength(double maxLength) {
  if (!(maxLength > 0.0) || !std::isfinite(maxLength)) return 0.0;
  const double exponent = std::floor(std::log10(maxLength));
  const double magnitude = std::pow(10.0, exponent);
  // Guards against log10 rounding (e.g. 1000 → 2.9999…): the steps are checked against the input.
  for (double m : {10.0, 5.0, 2.0, 1.0, 0.5}) {
    const double candidate = m * magnitude;
    if (candidate <= maxLength * (1.0 + 1e-12)) return candidate;
  }
  return 0.2 * magnitude;
}

QString ScaleBar::formatLength(double metres) {
  auto trimmed = [](double v) {
    // Nice lengths are whole numbers in their unit; keep one decimal for anything else.
    const double rounded = std::round(v);
    return std::abs(v - rounded) < 1e-9 * std::max(1.0, std::abs(v)) ? QString::number(rounded, 'f', 0) : QString::number(v, 'f', 1);
  };
  if (metres >= 1000.0) return QStringLiteral("%1 km").arg(trimmed(metres / 1000.0));
  if (metres >= 1.0) return QStringLiteral("%1 m").arg(trimmed(metres));
  if (metres >= 0.01) return QStringLiteral("%1 cm").arg(trimmed(metres * 100.0));
  return QStringLiteral("%1 mm").arg(trimmed(metres * 1000.0));
}

ScaleBar::Layout ScaleBar::layout(double groundMetresPerPixel, double maxWidthPixels) {
  Layout l;
  if (!(groundMetresPerPixel > 0.0) || !(maxWidthPixels > 0.0)) return l;
  l.lengthMetres = niceLength(groundMetresPerPixel * maxWidthPixels);
  l.widthPixels = l.lengthMetres / groundMetresPerPixel;
  l.label = formatLength(l.lengthMetres);
  return l;
}

double ScaleBar::groundDistance(core::PointXY a, core::PointXY b) {
  // WGS 84. Over the few hundred pixels of a scale bar the radii of curvature at the mean latitude
  // give the ellipsoidal distance to well under 0.1 %.
  constexpr double kA = 6378137.0;
  constexpr double kE2 = 0.00669437999014;
  constexpr double kDeg = std::numbers::pi / 180.0;
  const double phi = (a.y + b.y) / 2.0 * kDeg;
  const double s = std::sin(phi);
  const double w = std::sqrt(1.0 - kE2 * s * s);
  const double meridional = kA * (1.0 - kE2) / (w * w * w);
  const double primeVertical = kA / w;
  double dLon = b.x - a.x;
  dLon = std::remainder(dLon, 360.0);
  const double dx = primeVertical * std::cos(phi) * dLon * kDeg;
  const double dy = meridional * (b.y - a.y) * kDeg;
  return std::hypot(dx, dy);
}

std::optional<double> ScaleBar::groundMetresPerPixel(const MapView& view, const core::CoordinateTransform& toLonLat, QPointF at) {
  if (!view.isValid()) return std::nullopt;
  // A short horizontal segment: long enough to be far above PROJ's round-off, short enough that
  // the local approximation in groundDistance() is exact for practical purposes.
  constexpr double kHalfSpan = 5.0;
  auto a = toLonLat.transform(view.toMap(at - QPointF(kHalfSpan, 0.0)));
  auto b = toLonLat.transform(view.toMap(at + QPointF(kHalfSpan, 0.0)));
  if (!a || !b) return std::nullopt;
  const double metres = groundDistance(*a, *b);
  if (!(metres > 0.0) || !std::isfinite(metres)) return std::nullopt;
  return metres / (2.0 * kHalfSpan);
}

void ScaleBar::paint(QPainter& painter, QPointF bottomLeft, const Layout& layout) {
  if (!layout.isValid()) return;
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, true);
  const QFontMetricsF fm(painter.font());
  constexpr double kPad = 6.0;
  constexpr double kBarHeight = 6.0;
  const double textWidth = fm.horizontalAdvance(layout.label);
  const double plateWidth = std::max(layout.widthPixels, textWidth) + 2 * kPad;
  const double plateHeight = fm.height() + kBarHeight + 3 * kPad;
  const QRectF plate(bottomLeft.x(), bottomLeft.y() - plateHeight, plateWidth, plateHeight);
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(255, 255, 255, 200));
  painter.drawRoundedRect(plate, 4, 4);

  // Two halves in alternating colours, as on printed maps, so that half the length reads too.
  const QRectF bar(plate.left() + kPad, plate.bottom() - kPad - kBarHeight, layout.widthPixels, kBarHeight);
  const QRectF left(bar.left(), bar.top(), bar.width() / 2.0, bar.height());
  const QRectF right(bar.left() + bar.width() / 2.0, bar.top(), bar.width() / 2.0, bar.height());
  painter.setBrush(QColor(30, 30, 30));
  painter.drawRect(left);
  painter.setBrush(Qt::white);
  painter.drawRect(right);
  painter.setPen(QPen(QColor(30, 30, 30), 1.0));
  painter.setBrush(Qt::NoBrush);
  painter.drawRect(bar);

  painter.setPen(QColor(20, 20, 20));
  const QRectF textRect(plate.left() + kPad, plate.top() + kPad, plateWidth - 2 * kPad, fm.height());
  painter.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, layout.label);
  painter.restore();
}

}  // namespace netspatial::ui
