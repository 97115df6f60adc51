#pragma once

#include "core/geo/geometry.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QImage>
#include <QSize>

#include <vector>

namespace netspatial::ui {

//! An image georeferenced on a north-up grid, kept at full resolution and at 2×, 4×, … downsampled
//! copies (built once), so that a zoomed-out view reads a small level instead of scaling millions
//! of pixels. Immutable after construction and therefore safe to render from several threads.
class ImagePyramid {
 public:
  ImagePyramid() = default;
  //! `image` covers `extent` (map units). Levels stop once the longer side is ≤ `smallestSide`.
  ImagePyramid(QImage image, const core::Extent& extent, int smallestSide = 256);

  bool isEmpty() const { return m_levels.empty(); }
  const core::Extent& extent() const { return m_extent; }
  int levelCount() const { return int(m_levels.size()); }
  const QImage& level(int index) const { return m_levels[std::size_t(index)]; }
  //! Map units per pixel of level 0 (the larger of x and y).
  double baseResolution() const { return m_baseResolution; }
  //! The coarsest level whose pixels are still no larger than `resolution` map units.
  int levelFor(double resolution) const;

  //! Draws `extent` into an image of `pixels` (transparent outside the pyramid). Smooth filtering
  //! when zoomed out or when `smoothWhenMagnified` (heat maps); nearest when magnified otherwise,
  //! so imagery pixels stay crisp.
  core::Result<QImage> render(const core::Extent& extent, QSize pixels, double resolution, bool smoothWhenMagnified,
                              core::Feedback* feedback = nullptr) const;

 private:
  std::vector<QImage> m_levels;
  core::Extent m_extent;
  double m_baseResolution = 0.0;
};

}  // namespace netspatial::ui
