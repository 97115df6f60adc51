#pragma once

#include "core/geo/rasterdataset.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QImage>
#include <QSize>

#include <memory>
#include <mutex>
#include <vector>

namespace netspatial::ui {

//! Linear contrast stretch of one band: `low` maps to 0, `high` to 255.
struct BandStretch {
  double low = 0.0;
  double high = 255.0;
  friend bool operator==(const BandStretch&, const BandStretch&) = default;
};

//! Turns a GDAL raster into display images, from any thread. It owns the dataset and serialises
//! reads with a mutex (GDAL handles must not be used by two threads at once), so that the canvas can
//! render on a worker thread while the GUI thread keeps painting the previous image.
class RasterRenderer {
 public:
  //! Opens `path`, picks the display bands (3,2,1 for ≥ 3 bands, else band 1 as grey) and computes
  //! the 2–98 % stretch once from a coarse read of the whole raster.
  static core::Result<std::shared_ptr<RasterRenderer>> open(const QString& path);

  const core::RasterInfo& info() const { return m_dataset.info(); }
  const std::vector<int>& bands() const { return m_bands; }
  const std::vector<BandStretch>& stretch() const { return m_stretch; }

  //! Reads `extent` of `crs` at `pixels` (device pixels) and converts it with the stretch.
  //! Thread-safe; invalid pixels come out transparent.
  core::Result<QImage> render(const core::Crs& crs, const core::Extent& extent, QSize pixels, core::Resampling resampling,
                              core::Feedback* feedback = nullptr) const;

  //! Per-band percentiles of the valid values (nearest rank). A band with no valid value, or a
  //! constant one, gets a stretch that still maps its value somewhere sensible instead of dividing by 0.
  static std::vector<BandStretch> computeStretch(const core::RasterWindow& window, double lowPercent = 2.0, double highPercent = 98.0);
  //! RGB for three bands, grey for one; transparent where any band is NaN.
  static QImage toImage(const core::RasterWindow& window, const std::vector<BandStretch>& stretch);

 private:
  explicit RasterRenderer(core::RasterDataset dataset) : m_dataset(std::move(dataset)) {}

  mutable std::mutex m_mutex;
  core::RasterDataset m_dataset;
  std::vector<int> m_bands;
  std::vector<BandStretch> m_stretch;
};

}  // namespace netspatial::ui
