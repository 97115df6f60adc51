#pragma once

#include "core/scenario/scenario.h"
#include "ui/scenario/imagepyramid.h"
#include "ui/scenario/scenariolayer.h"

#include <memory>

namespace netspatial::ui {

//! The scenario's RGB imagery (pseudo-satellite). Converted once into an ImagePyramid; the canvas
//! renders the visible part at screen resolution on a worker thread from the level that matches
//! the zoom, so a whole 12 km city costs as little to show as a street.
class ImageryLayer : public ScenarioLayer {
 public:
  ImageryLayer(const core::ImageRaster& raster, const core::Crs& crs, QString file = {});

  Kind kind() const override { return Kind::Raster; }
  QString description() const override;
  ImageRenderFunction imageRenderer() const override;
  const ImagePyramid& pyramid() const { return *m_pyramid; }

  //! Band-major RGB → QImage (RGB32).
  static QImage toImage(const core::ImageRaster& raster);

 private:
  std::shared_ptr<const ImagePyramid> m_pyramid;
  QSize m_size;
};

}  // namespace netspatial::ui
