#pragma once

#include "ui/map/maplayer.h"
#include "ui/map/rasterrenderer.h"

#include <memory>

namespace netspatial::ui {

//! A GDAL raster drawn as an RGB (bands 3,2,1) or grey (band 1) image with a fixed 2–98 % stretch.
//! Pixels are warped on read into the map CRS, so imagery in any CRS lines up with the vectors.
class RasterLayer : public MapLayer {
 public:
  static core::Result<std::unique_ptr<RasterLayer>> open(const QString& path);

  Kind kind() const override { return Kind::Raster; }
  const core::RasterInfo& info() const { return m_renderer->info(); }
  const std::vector<int>& bands() const { return m_renderer->bands(); }
  const std::vector<BandStretch>& stretch() const { return m_renderer->stretch(); }

  const core::Crs& sourceCrs() const override { return info().crs; }
  core::Extent sourceExtent() const override { return info().extent; }
  QString description() const override;
  core::Status setMapCrs(const core::Crs& mapCrs) override;

  //! Approximate size of a source pixel in map units; below it the canvas switches to nearest
  //! resampling so that zoomed-in pixels stay crisp instead of smeared.
  double nativeResolution() const { return m_nativeResolution; }

  //! The thread-safe renderer, for asynchronous jobs that may outlive a removed layer.
  std::shared_ptr<const RasterRenderer> renderer() const { return m_renderer; }
  //! Renders `extent` of the map CRS at `pixels` device pixels, synchronously.
  core::Result<QImage> render(const core::Extent& extent, QSize pixels, double resolution, core::Feedback* feedback = nullptr) const;
  ImageRenderFunction imageRenderer() const override;
  //! The resampling the canvas should use at `resolution` map units per device pixel.
  core::Resampling resamplingFor(double resolution) const;

 private:
  RasterLayer(QString name, QString file, std::shared_ptr<RasterRenderer> renderer)
      : MapLayer(std::move(name), std::move(file)), m_renderer(std::move(renderer)) {}

  std::shared_ptr<RasterRenderer> m_renderer;
  double m_nativeResolution = 0.0;
};

}  // namespace netspatial::ui
