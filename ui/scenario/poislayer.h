#pragma once

#include "core/scenario/scenario.h"
#include "ui/scenario/scenariolayer.h"

#include <QImage>

#include <array>

namespace netspatial::ui {

//! Points of interest as small dots coloured by category, each category shown or hidden on its
//! own (the legend entries are checkable). Dots are stamped from one pre-drawn sprite per category,
//! which keeps thousands of POIs cheap to repaint.
class PoisLayer : public ScenarioLayer {
 public:
  PoisLayer(const std::vector<core::Poi>& pois, const core::Crs& crs, QString file = {});

  Kind kind() const override { return Kind::Vector; }
  QString description() const override;
  //! One checkable entry per category present, in taxonomy order.
  std::vector<LegendEntry> legend() const override;
  bool setLegendEntryChecked(int index, bool checked) override;
  void paint(QPainter& painter, const MapView& view) const override;

  void setCategoryVisible(core::PoiCategory category, bool visible);
  bool isCategoryVisible(core::PoiCategory category) const { return m_visible[std::size_t(category)]; }
  int count(core::PoiCategory category) const { return m_counts[std::size_t(category)]; }

  static QColor colorFor(core::PoiCategory category);
  static constexpr double kDotRadius = 3.0;  // logical pixels; 60 % of it beyond 8 m per pixel

 private:
  std::vector<core::PoiCategory> presentCategories() const;

  // Per category, the positions: painting loops over categories, not over mixed points.
  std::array<std::vector<core::PointXY>, core::kPoiCategoryCount> m_points;
  std::array<int, core::kPoiCategoryCount> m_counts{};
  std::array<bool, core::kPoiCategoryCount> m_visible{};
};

}  // namespace netspatial::ui
