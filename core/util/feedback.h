#pragma once

#include <QString>

#include <atomic>
#include <functional>
#include <mutex>

namespace netspatial::core {

//! Progress and cancellation shared between a job and whoever watches it.
//! Thread-safe: the job calls setProgress()/isCancelled() on its thread; any thread may call
//! cancel().
//!
//! A multi-step job hands each step a child() instead of its own Feedback: the child's progress
//! [0, 1] lands on [from, to] of the parent, so the whole job shows one monotone bar, and the child
//! has no cancellation of its own: cancelling the parent (or any ancestor) is seen by every child
//! at once, and cancelling a child cancels the job it belongs to. A child must not outlive its
//! parent.
class Feedback {
 public:
  using ProgressCallback = std::function<void(double fraction, const QString& step)>;

  Feedback() = default;
  // Neither copyable nor movable (children point at their parent); child() returns a prvalue, so
  // `Feedback sub = parent.child(a, b);` needs no move.
  Feedback(const Feedback&) = delete;
  Feedback& operator=(const Feedback&) = delete;

  //! A child for a sub-task: progress f of the child is from + f·(to − from) of this Feedback
  //! (from and to clamped to [0, 1], to ≥ from). With a `label`, the child's steps reach this
  //! Feedback as "label: step" (just "label" while the child names none); without, unchanged.
  [[nodiscard]] Feedback child(double from, double to, const QString& label = {});
  //! parent->child(from, to, label), or a free-standing Feedback when there is no parent: lets a
  //! job that takes an optional Feedback* hand its steps a child without branching.
  [[nodiscard]] static Feedback childOf(Feedback* parent, double from, double to, const QString& label = {});

  //! Cancels the whole job: a child forwards to its parent.
  void cancel();
  bool isCancelled() const;

  //! Fraction in [0, 1] (clamped; never goes backwards within one job). A child reports the mapped
  //! fraction to its parent.
  void setProgress(double fraction, const QString& step = {});
  //! This Feedback's own fraction (a child's in its own [0, 1], not the parent's).
  double progress() const { return m_progress.load(std::memory_order_relaxed); }
  QString step() const;

  //! Called on the job's thread at every progress update of this Feedback (with its own fraction);
  //! for observers — progress bars, log lines — not for forwarding to another Feedback (child()
  //! does that). Keep it cheap.
  void setProgressCallback(ProgressCallback callback);

  //! GDAL progress adapter (GDALProgressFunc): pass it with a Feedback* (a child too) as the
  //! argument. Returns 0 (GDAL's FALSE) once cancelled, so GDAL stops its loop.
  static int gdalProgress(double complete, const char* message, void* feedback);

 private:
  Feedback(Feedback* parent, double from, double to, const QString& label);

  Feedback* const m_parent = nullptr;
  const double m_from = 0.0;
  const double m_to = 1.0;
  const QString m_label;
  std::atomic<bool> m_cancelled{false};  //!< a root's only; a child asks its parent
  std::atomic<double> m_progress{0.0};
  mutable std::mutex m_mutex;
  QString m_step;
  ProgressCallback m_callback;
};

}  // namespace netspatial::core
