#include "ui/map/rasterrenderer.h"

#include "ui/util/logging.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

namespace netspatial::ui {

namespace {

// The statistics read is small enough to be quick on any raster with overviews, and large enough
// that the 2 % tails are made of hundreds of pixels.
constexpr int kStatisticsMaxSide = 1024;

}  // namespace

core::Result<std::shared_ptr<RasterRenderer>> RasterRenderer::open(const QString& path) {
  auto dataset = core::RasterDataset::open(path);
  if (!dataset) return dataset.error();
  if (!dataset->info().crs.isValid())
    return core::Error(core::ErrorCode::UnknownCrs,
                       QStringLiteral("the raster has no coordinate reference system, so it cannot be placed on the map"), {path});

  std::shared_ptr<RasterRenderer> renderer(new RasterRenderer(std::move(dataset).value()));
  const core::RasterInfo& info = renderer->info();  // the moved-to dataset's, not the moved-from one's
  renderer->m_bands = info.bandCount() >= 3 ? std::vector<int>{3, 2, 1} : std::vector<int>{1};

  // A coarse read of the whole raster in its own CRS: the stretch must not change while the
  // user pans, so it is computed once from everything rather than from what is on screen.
  const double longest = std::max(info.width, info.height);
  const double scale = std::min(1.0, kStatisticsMaxSide / longest);
  core::RasterWindowSpec spec;
  spec.crs = info.crs;
  spec.extent = info.extent;
  spec.width = std::max(1, int(std::lround(info.width * scale)));
  spec.height = std::max(1, int(std::lround(info.height * scale)));
  spec.bands = renderer->m_bands;
  // Nearest keeps the value distribution honest; averaging would shrink the tails we measure.
  spec.resampling = core::Resampling::Nearest;
  auto window = renderer->m_dataset.readWindow(spec);
  if (!window) return window.error().withFile(path);
  if (window->validFraction() <= 0.0)
    return core::Error(core::ErrorCode::CorruptData, QStringLiteral("the raster has no valid pixels"), {path});
  renderer->m_stretch = computeStretch(*window);
  return renderer;
}

core::Result<QImage> RasterRenderer::render(const core::Crs& crs, const core::Extent& extent, QSize pixels, core::Resampling resampling,
                                            core::Feedback* feedback) const {
  core::RasterWindowSpec spec;
  spec.crs = crs;
  spec.extent = extent;
  spec.width = pixels.width();
  spec.height = pixels.height();
  spec.bands = m_bands;
  spec.resampling = resampling;
  std::unique_lock lock(m_mutex);
  // A newer request may have cancelled this one while it waited for the lock.
  if (feedback && feedback->isCancelled())
    return core::Error(core::ErrorCode::Cancelled, QStringLiteral("render cancelled"), {info().file});
  QElapsedTimer timer;
  timer.start();
  auto window = m_dataset.readWindow(spec, feedback);
  lock.unlock();
  if (!window) return window.error();
  QImage image = toImage(*window, m_stretch);
  qCDebug(lcMap) << "rendered" << info().file << pixels << "in" << timer.elapsed() << "ms";
  return image;
}

std::vector<BandStretch> RasterRenderer::computeStretch(const core::RasterWindow& window, double lowPercent, double highPercent) {
  std::vector<BandStretch> result;
  const std::size_t perBand = std::size_t(window.width) * std::size_t(window.height);
  std::vector<float> values;
  values.reserve(perBand);
  for (int b = 0; b < window.bandCount(); ++b) {
    values.clear();
    const float* data = window.data.data() + std::size_t(b) * perBand;
    for (std::size_t i = 0; i < perBand; ++i)
      if (!std::isnan(data[i])) values.push_back(data[i]);
    BandStretch s;
    if (values.empty()) {
      s = {0.0, 1.0};
    } else {
      auto rank = [&](double percent) {
        const double clamped = std::clamp(percent, 0.0, 100.0);
        const auto k = std::size_t(std::lround(clamped / 100.0 * double(values.size() - 1)));
        std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(k), values.end());
        return double(values[k]);
      };
      s.low = rank(lowPercent);
      s.high = rank(highPercent);
      if (!(s.high > s.low)) {
        // Constant (or nearly) band: centre its value in the grey range instead of dividing by 0.
        s.low -= 0.5;
        s.high = s.low + 1.0;
      }
    }
    result.push_back(s);
  }
  return result;
}

QImage RasterRenderer::toImage(const core::RasterWindow& window, const std::vector<BandStretch>& stretch) {
  QImage image(window.width, window.height, QImage::Format_ARGB32_Premultiplied);
  if (image.isNull()) return image;
  const int bands = window.bandCount();
  const std::size_t perBand = std::size_t(window.width) * std::size_t(window.height);
  const bool rgb = bands >= 3;
  auto scaled = [&](int band, float v) {
    const BandStretch& s = band < int(stretch.size()) ? stretch[std::size_t(band)] : BandStretch{};
    const double t = (double(v) - s.low) / (s.high - s.low);
    return int(std::lround(std::clamp(t, 0.0, 1.0) * 255.0));
  };
  for (int row = 0; row < window.height; ++row) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(row));
    const std::size_t base = std::size_t(row) * std::size_t(window.width);
    for (int col = 0; col < window.width; ++col) {
      const std::size_t i = base + std::size_t(col);
      if (rgb) {
        const float r = window.data[i];
        const float g = window.data[perBand + i];
        const float b = window.data[2 * perBand + i];
        if (std::isnan(r) || std::isnan(g) || std::isnan(b)) {
          line[col] = 0;
        } else {
          line[col] = qRgb(scaled(0, r), scaled(1, g), scaled(2, b));
        }
      } else {
        const float v = bands > 0 ? window.data[i] : std::nanf("");
        if (std::isnan(v)) {
          line[col] = 0;
        } else {
          const int grey = scaled(0, v);
          line[col] = qRgb(grey, grey, grey);
        }
      }
    }
  }
  return image;
}

}  // namespace netspatial::ui
