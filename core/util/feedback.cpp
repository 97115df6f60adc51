#include "core/util/feedback.h"

#include <gdal.h>

#include <algorithm>
#include <cmath>

namespace netspatial::core {

static_assert(std::is_convertible_v<decltype(&Feedback::gdalProgress), GDALProgressFunc>,
              "Feedback::gdalProgress must match GDALProgressFunc");

namespace {

double clamp01(double x) { return std::isnan(x) ? 0.0 : std::clamp(x, 0.0, 1.0); }

}  // namespace

Feedback::Feedback(Feedback* parent, double from, double to, const QString& label)
    : m_parent(parent), m_from(clamp01(from)), m_to(std::max(clamp01(from), clamp01(to))), m_label(label) {}

Feedback Feedback::child(double from, double to, const QString& label) { return Feedback(this, from, to, label); }

Feedback Feedback::childOf(Feedback* parent, double from, double to, const QString& label) { return Feedback(parent, from, to, label); }

void Feedback::cancel() {
  if (m_parent)
    m_parent->cancel();
  else
    m_cancelled.store(true, std::memory_order_relaxed);
}

bool Feedback::isCancelled() const { return m_parent ? m_parent->isCancelled() : m_cancelled.load(std::memory_order_relaxed); }

void Feedback::setProgress(double fraction, const QString& step) {
  fraction = clamp01(fraction);
  double previous = m_progress.load(std::memory_order_relaxed);
  while (fraction > previous && !m_progress.compare_exchange_weak(previous, fraction)) {
  }
  const double current = m_progress.load(std::memory_order_relaxed);
  ProgressCallback callback;
  {
    std::lock_guard lock(m_mutex);
    if (!step.isEmpty()) m_step = step;
    callback = m_callback;
  }
  if (callback) callback(current, step);
  if (m_parent) {
    QString parentStep = step;
    if (!m_label.isEmpty()) parentStep = step.isEmpty() ? m_label : m_label + QStringLiteral(": ") + step;
    m_parent->setProgress(m_from + current * (m_to - m_from), parentStep);
  }
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

}  // namespace netspatial::core
