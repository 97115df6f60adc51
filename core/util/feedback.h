#pragma once

#include <QString>

#include <atomic>
#include <functional>
#include <mutex>

namespace netspatial::core {

//! Progress and cancellation shared between a job and whoever watches it.
//! Thread-safe: the job calls setProgress()/isCancelled(); any thread may call cancel().
class Feedback {
 public:
  using ProgressCallback = std::function<void(double fraction, const QString& step)>;

  Feedback() = default;
  Feedback(const Feedback&) = delete;
  Feedback& operator=(const Feedback&) = delete;

  void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
  bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

  //! Fraction in [0, 1] (clamped; never goes backwards within one job).
  void setProgress(double fraction, const QString& step = {});
  double progress() const { return m_progress.load(std::memory_order_relaxed); }
  QString step() const;

  //! Called on the job's thread at every progress update; keep it cheap.
  void setProgressCallback(ProgressCallback callback);

  //! GDAL progress adapter (GDALProgressFunc): pass it with a Feedback* as the argument.
  //! Returns 0 (GDAL's FALSE) once cancelled, so GDAL stops its loop.
  static int gdalProgress(double complete, const char* message, void* feedback);

 private:
  std::atomic<bool> m_cancelled{false};
  std::atomic<double> m_progress{0.0};
  mutable std::mutex m_mutex;
  QString m_step;
  ProgressCallback m_callback;
};

//! Maps progress of a sub-task onto [start, end] of a parent Feedback and forwards cancellation.
//! Use it to give a multi-step job a single monotone progress bar.
class ScopedFeedback {
 public:
  ScopedFeedback(Feedback* parent, double start, double end) : m_parent(parent), m_start(start), m_end(end) {}
  void setProgress(double fraction, const QString& step = {});
  bool isCancelled() const { return m_parent && m_parent->isCancelled(); }
  static int gdalProgress(double complete, const char* message, void* scopedFeedback);

 private:
  Feedback* m_parent;
  double m_start;
  double m_end;
};

}  // namespace netspatial::core
