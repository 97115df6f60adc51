#pragma once

#include "core/scenario/scenario.h"
#include "ui/scenario/imagepyramid.h"
#include "ui/scenario/scenariolayer.h"

#include <memory>

namespace netspatial::ui {

//! The population raster (people per cell) as a semi-transparent heat map: empty cells are
//! transparent, then yellow → orange → red → dark purple up to the 99th percentile (so that one
//! dense block does not wash out the rest of the city). Rendered off the GUI thread like imagery.
class PopulationLayer : public ScenarioLayer {
 public:
  PopulationLayer(const core::ValueRaster& raster, const core::Crs& crs, QString file = {});

  Kind kind() const override { return Kind::Raster; }
  QString description() const override;
  ImageRenderFunction imageRenderer() const override;
  //! Four ramp swatches labelled in people per cell ("≥ 450 people/cell" at the top).
  std::vector<LegendEntry> legend() const override;

  //! People per cell at the top of the ramp.
  double rampMaximum() const { return m_maximum; }
  //! Colour of the ramp at `t` in [0, 1] (alpha included).
  static QColor rampColor(double t);

 private:
  std::shared_ptr<const ImagePyramid> m_pyramid;
  QSize m_size;
  double m_cellMetres = 0.0;
  double m_maximum = 0.0;
  double m_total = 0.0;
};

}  // namespace netspatial::ui
