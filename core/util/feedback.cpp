#include "core/util/feedback.h"

#include <gdal.h>

#include <algorithm>

namespace netspatial::core {

static_assert(std::is_convertible_v<decltype(&Feedback::gdalProgress), GDALProgressFunc>,
              "Feedback::gdalProgress must match GDALProgressFunc");

void Feedback::setProgress(double fraction, const QString& step) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  double previous = m_progress.load(std::memory_order_relaxed);
  while (fraction > previous && !m_progress.compare_exchange_weak(previous, fraction)) {
  }
  ProgressCallback callback;
  {
    std::lock_guard lock(m_mutex);
    if (!step.isEmpty()) m_step = step;
    callback = m_callback;
  }
  if (callback) callback(m_progress.load(std::memory_order_relaxed), step);
}

QString Feedback::step() const {
  std::lock_guard lock(m_mutex);
  return m_step;
}

void Feedback::setProgressCallback(ProgressCallback callback) {
  std::lock_guard lock(m_mutex);
  m_callback = std::move(callback);
}

int Feedback::gdalProgress(double complete, const char* message, void* feedback) {
  auto* self = static_cast<Feedback*>(feedback);
  if (!self) return TRUE;
  self->setProgress(complete, message && *message ? QString::fromUtf8(message) : QString());
  return self->isCancelled() ? FALSE : TRUE;
}

void ScopedFeedback::setProgress(double fraction, const QString& step) {
  if (m_parent) m_parent->setProgress(m_start + std::clamp(fraction, 0.0, 1.0) * (m_end - m_start), step);
}

int ScopedFeedback::gdalProgress(double complete, const char* message, void* scopedFeedback) {
  auto* self = static_cast<ScopedFeedback*>(scopedFeedback);
  if (!self) return TRUE;
  self->setProgress(complete, message && *message ? QString::fromUtf8(message) : QString());
  return self->isCancelled() ? FALSE : TRUE;
}

}  // namespace netspatial::core
