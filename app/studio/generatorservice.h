#pragma once

// The one long-lived worker thread that owns the loaded generator (DESIGN.md §10): the model is
// loaded there once, on first use, and every generation job runs there, so the GUI thread never
// waits on LibTorch. Jobs are queued; results come back as signals on the GUI thread.
//
// Two kinds of work: long jobs — whole-AOI generations and operations studies, tasks of the
// studio's TaskManager (progress, cancel, queue; at most one of either at a time) — and single
// site requests from the inspector, which are not tasks (they take milliseconds), where the newest
// click wins: an older request still queued is skipped, and a reply for anything but the latest
// request is dropped.

#include "app/common/generatorchoice.h"
#include "app/common/operations.h"
#include "app/common/planning.h"
#include "app/studio/projectdocument.h"
#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/inbox.h"
#include "core/util/result.h"
#include "netspatial/models/netspatial.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>

class QThread;

namespace netspatial::models {
class Generator;
}

namespace netspatial::app {

struct SiteGeneration {
  quint64 requestId = 0;
  core::SitePoint site;
  Generation generation;  //!< one site's samples and its run record
};

class TaskManager;

class GeneratorService : public QObject {
  Q_OBJECT

 public:
  //! Long jobs are tasks of `tasks` (progress, ETA, Cancel and the queue in the status bar) that
  //! run on this service's thread, where the model lives.
  explicit GeneratorService(TaskManager* tasks, QObject* parent = nullptr);
  ~GeneratorService() override;

  //! Where models run (Auto by default: CUDA when present). Models already loaded are dropped.
  void setDevicePreference(models::DevicePreference device);

  //! Generates for `sites` on the worker with the project's planning generator (the choice stored
  //! in `scenario`, app/common/generatorchoice.h; loaded or fitted once, then kept). `scenario`
  //! must not change while the job runs (the caller passes a snapshot it keeps unmodified).
  //! Replies with generationFinished(jobId, …); the run record names the generator.
  //! Returns the job id, 0 when another AOI generation is still running.
  quint64 generate(std::shared_ptr<const core::Scenario> scenario, std::vector<core::SitePoint> sites, GenerationOptions options);
  //! Forecasts, with the project's forecast generator, the stations `ids` and runs the sleep study, paper mode and load balancing on the
  //! worker (app::runOperationsStudy); `scenario` must not change while it runs. Replies with
  //! operationsFinished(jobId, …). Returns the job id, 0 when another long job is still running.
  quint64 runOperations(std::shared_ptr<const core::Scenario> scenario, QStringList ids, core::OperationsSettings settings);
  //! Cancels the running long job (generation or operations study), if any.
  void cancelGeneration();
  //! True while a long job (generation or operations study) runs.
  bool isGenerating() const { return m_activeJob != 0; }
  //! Progress of the running long job in [0, 1] and its step text (polled by the status bar).
  double progress() const;
  QString progressText() const;

  //! Loads (and warms up) the planning generator of `scenario` on the worker now, so the device
  //! shows and the first click is quick; generatorLoaded() or generatorFailed() follows.
  void preload(std::shared_ptr<const core::Scenario> scenario);
  //! Another project is on show: drop the references fitted on the previous one's traffic.
  void forgetFittedGenerators();

  //! One site for the inspector; replies with siteGenerated() unless a newer request came first.
  quint64 requestSite(std::shared_ptr<const core::Scenario> scenario, core::SitePoint site, GenerationOptions options);

  //! "NetSpatial (multi-level flow matching) on CPU" once loaded; empty before.
  QString generatorDescription() const { return m_description; }
  QString deviceName() const { return m_device; }

 Q_SIGNALS:
  void generatorLoaded(const QString& description, const QString& device);
  void generationFinished(quint64 jobId, const netspatial::core::Result<netspatial::app::Generation>& result);
  void siteGenerated(const netspatial::app::SiteGeneration& result);
  void siteFailed(quint64 requestId, const QString& message);
  void generatorFailed(const QString& message);
  //! The study is built, and shared, on the worker: the GUI thread never copies it.
  void operationsFinished(quint64 jobId, const netspatial::core::Result<std::shared_ptr<const netspatial::app::OperationsStudy>>& result);
  //! A long job started or ended: whoever disables actions while one runs listens to this.
  void busyChanged(bool busy);

 private:
  //! On the worker thread: the generator `role` chooses in `scenario`, loaded or fitted the first
  //! time it is asked for and kept (a reference with the observed traffic it was fitted on).
  core::Result<ResolvedGenerator*> generatorOnWorker(const core::Scenario& scenario, GeneratorRole role,
                                                     core::Feedback* feedback = nullptr);
  //! Starts a long job: `work` runs on the worker with the chosen generator, `deliver` gets its
  //! result back on this thread. Returns 0 when another long job runs.
  template <typename T>
  quint64 startLongJob(const QString& title, ProjectParts reads, std::shared_ptr<const core::Scenario> scenario, GeneratorRole role,
                       std::function<core::Result<T>(ResolvedGenerator&, core::Feedback*)> work,
                       std::function<void(quint64, const core::Result<T>&)> deliver);

  TaskManager* m_tasks;
  QThread* m_thread;
  core::Inbox* m_worker;  //!< lives on m_thread; work is posted to it
  core::Inbox* m_inbox;   //!< lives on the GUI thread; the worker's replies are posted to it
  models::DevicePreference m_devicePreference = models::DevicePreference::Auto;  //!< worker thread
  //! The generators loaded or fitted so far, by cache key (see generatorOnWorker); worker thread only.
  struct Cached {
    ResolvedGenerator resolved;
    core::HourlyTraffic fittedOn;  //!< a reference's training traffic, held so its identity stays unique
  };
  std::map<QString, Cached> m_generators;
  quint64 m_nextId = 1;
  quint64 m_activeJob = 0;
  std::atomic<quint64> m_latestSiteRequest{0};
  QString m_description;
  QString m_device;
};

}  // namespace netspatial::app

Q_DECLARE_METATYPE(netspatial::app::SiteGeneration)
