#include "app/studio/generatorservice.h"

#include "app/common/generatorfacts.h"
#include "app/common/generators.h"
#include "app/studio/taskmanager.h"
#include "netspatial/models/generator.h"

#include <QThread>

namespace netspatial::app {

GeneratorService::GeneratorService(TaskManager* tasks, QObject* parent)
    : QObject(parent), m_tasks(tasks), m_thread(new QThread(this)), m_worker(new core::Inbox), m_inbox(new core::Inbox(this)) {
  m_thread->setObjectName(QStringLiteral("generator"));
  // Named, so that a stall trace says whose closure it was (every closure arrives as an Inbox event).
  m_worker->setObjectName(QStringLiteral("generator work"));
  m_inbox->setObjectName(QStringLiteral("generator results"));
  m_worker->moveToThread(m_thread);
  connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
  m_thread->start();
}

GeneratorService::~GeneratorService() {
  if (m_activeJob) m_tasks->cancel(m_activeJob);
  m_latestSiteRequest.store(~quint64(0));  // queued site requests become stale
  // The generator is destroyed on the worker thread, where it was created and used; waiting for
  // it also orders everything the worker did before what we free next.
  m_worker->postAndWait([this] { m_generators.clear(); });
  m_thread->quit();
  m_thread->wait();
}

void GeneratorService::setDevicePreference(models::DevicePreference device) {
  m_worker->post([this, device] {
    m_generators.clear();
    m_devicePreference = device;
  });
}

void GeneratorService::forgetFittedGenerators() {
  m_worker->post([this] { std::erase_if(m_generators, [](const auto& e) { return e.second.resolved.fittedSites > 0; }); });
}

core::Result<ResolvedGenerator*> GeneratorService::generatorOnWorker(const core::Scenario& scenario, GeneratorRole role,
                                                                     core::Feedback* feedback) {
  const QString key = chosenGeneratorKey(scenario, role);
  // Loaded weights are the same in every project (project models are named by their SHA-256); a
  // reference is fitted on one project's observed traffic and is only reused on that same traffic.
  QString cacheKey = key;
  if (key.startsWith(QStringLiteral("project:")))
    for (const core::ProjectModel& m : scenario.projectModels)
      if (projectGeneratorKey(m.id) == key) cacheKey = QStringLiteral("weights:") + m.sha256;
  if (key.startsWith(QStringLiteral("reference:")))
    cacheKey += QStringLiteral("@%1").arg(quintptr(scenario.trafficObserved.valuesBySite.identity()), 0, 16);
  if (auto it = m_generators.find(cacheKey); it != m_generators.end()) return &it->second.resolved;
  // Checked once, before loading: the document only stores usable choices, but a file may name a
  // model it no longer holds, or a reference for forecasts.
  if (auto usable = checkGeneratorKey(scenario, key, role); !usable) return usable.error();

  models::EngineOptions engine;
  engine.device = m_devicePreference;
  auto resolved = resolveGenerator(scenario, key, engine, feedback);
  if (!resolved) return resolved.error();
  if (!resolved->generator->isFitted()) return core::Error(core::ErrorCode::InvalidArgument, QStringLiteral("%1 is not trained").arg(key));
  // A few at a time: a fitted nearest-context reference holds every training site.
  if (m_generators.size() >= 4) m_generators.clear();
  Cached& cached = m_generators[cacheKey];
  cached.resolved = std::move(*resolved);
  if (cached.resolved.fittedSites > 0) cached.fittedOn = scenario.trafficObserved;
  const models::Generator& g = *cached.resolved.generator;
  const QString device = generatorDevice(g) == models::Device::Cuda ? QStringLiteral("CUDA") : QStringLiteral("CPU");
  const QString description = QStringLiteral("%1, %2").arg(QString::fromStdString(g.displayName()), cached.resolved.source);
  m_inbox->post([this, description, device] {
    m_description = description;
    m_device = device;
    Q_EMIT generatorLoaded(description, device);
  });
  return &cached.resolved;
}

template <typename T>
quint64 GeneratorService::startLongJob(const QString& title, ProjectParts reads, std::shared_ptr<const core::Scenario> scenario,
                                       GeneratorRole role, std::function<core::Result<T>(ResolvedGenerator&, core::Feedback*)> work,
                                       std::function<void(quint64, const core::Result<T>&)> deliver) {
  if (m_activeJob) return 0;
  // The result travels from the worker to `finished` through this shared slot: the task's Status
  // says how it ended, the slot holds what it produced.
  auto result = std::make_shared<std::optional<core::Result<T>>>();
  Task task;
  task.title = title;
  task.reads = reads;
  task.executor = m_worker->address();  // the model lives on the generator thread
  task.run = [this, work = std::move(work), result, scenario = std::move(scenario), role](core::Feedback* feedback) -> core::Status {
    // Loading takes a moment; fitting a reference on a large city takes seconds: its own share.
    core::Feedback loadFeedback = core::Feedback::childOf(feedback, 0.0, 0.0);
    auto g = generatorOnWorker(*scenario, role, &loadFeedback);
    if (!g) return g.error();
    *result = work(**g, feedback);
    if (!result->value()) return result->value().error();
    return {};
  };
  auto id = std::make_shared<quint64>(0);
  task.finished = [this, id, result, deliver = std::move(deliver)](const core::Status& status) {
    if (m_activeJob == *id) m_activeJob = 0;
    if (status.ok() && result->has_value())
      deliver(*id, result->value());
    else
      deliver(*id, core::Result<T>(status.error()));
    Q_EMIT busyChanged(m_activeJob != 0);
  };
  *id = m_tasks->submit(std::move(task));
  // A task cancelled while queued finishes inside submit(): only a live one is the active job.
  if (m_tasks->isQueuedOrRunning(*id)) {
    m_activeJob = *id;
    Q_EMIT busyChanged(true);
  }
  return *id;
}

quint64 GeneratorService::generate(std::shared_ptr<const core::Scenario> scenario, std::vector<core::SitePoint> sites,
                                   GenerationOptions options) {
  const QString title = tr("Generating traffic for %n site(s)", nullptr, int(sites.size()));
  // A generation reads the candidate grid and the generation settings of the version it started on.
  return startLongJob<Generation>(
      title, ProjectPart::Area | ProjectPart::Settings, scenario, GeneratorRole::Planning,
      [scenario, sites = std::move(sites), options](ResolvedGenerator& g, core::Feedback* feedback) -> core::Result<Generation> {
        auto generation = generateTraffic(*scenario, sites, *g.generator, options, feedback);
        if (!generation) return generation;
        recordGeneratorInRun(generation->run, g);
        // The utilities over every sample and hour, here on the worker: the GUI thread only sorts.
        const double scale = generation->run.parameters.value(QStringLiteral("normalisation_scale")).toDouble();
        if (auto u = generationUtilities(*scenario, generation->traffic, scale); u)
          generation->utilities = std::make_shared<const std::vector<core::SiteUtilities>>(std::move(*u));
        return generation;
      },
      [this](quint64 id, const core::Result<Generation>& result) { Q_EMIT generationFinished(id, result); });
}

quint64 GeneratorService::runOperations(std::shared_ptr<const core::Scenario> scenario, QStringList ids,
                                        core::OperationsSettings settings) {
  using Shared = std::shared_ptr<const OperationsStudy>;
  const QString title = tr("Operations study of %n station(s)", nullptr, int(ids.size()));
  // The study reads observed traffic and stations, which the studio never edits: nothing conflicts.
  return startLongJob<Shared>(
      title, ProjectParts(), scenario, GeneratorRole::Forecast,
      [scenario, ids = std::move(ids), settings](ResolvedGenerator& g, core::Feedback* feedback) -> core::Result<Shared> {
        auto study = runOperationsStudy(*scenario, ids, settings, *g.generator, feedback);
        if (!study) return study.error();
        recordGeneratorInRun(study->forecast.run, g);
        // The verdict follows the run as recorded (an embedded model other than "netspatial", a project model).
        study->calibration = calibrationOfRun(*scenario, study->forecast.run, study->input.unit);
        return Shared(std::make_shared<const OperationsStudy>(std::move(study.value())));
      },
      [this](quint64 id, const core::Result<Shared>& result) { Q_EMIT operationsFinished(id, result); });
}

void GeneratorService::cancelGeneration() {
  if (m_activeJob) m_tasks->cancel(m_activeJob);
}

double GeneratorService::progress() const { return m_activeJob && m_tasks->runningId() == m_activeJob ? m_tasks->progress() : 0.0; }
QString GeneratorService::progressText() const { return m_activeJob && m_tasks->runningId() == m_activeJob ? m_tasks->step() : QString(); }

void GeneratorService::preload(std::shared_ptr<const core::Scenario> scenario) {
  if (!scenario) return;
  m_worker->post([this, scenario = std::move(scenario)] {
    if (auto g = generatorOnWorker(*scenario, GeneratorRole::Planning); !g) {
      const QString message = g.error().message();
      m_inbox->post([this, message] { Q_EMIT generatorFailed(message); });
    }
  });
}

quint64 GeneratorService::requestSite(std::shared_ptr<const core::Scenario> scenario, core::SitePoint site, GenerationOptions options) {
  const quint64 id = m_nextId++;
  m_latestSiteRequest.store(id);
  m_worker->post([this, id, scenario = std::move(scenario), site, options] {
    if (m_latestSiteRequest.load() != id) return;  // a newer click is queued behind this one
    auto g = generatorOnWorker(*scenario, GeneratorRole::Planning);
    core::Result<Generation> result =
        g ? generateTraffic(*scenario, {site}, *(*g)->generator, options) : core::Result<Generation>(g.error());
    if (result) recordGeneratorInRun(result->run, **g);
    m_inbox->post([this, id, site, result = std::move(result)] {
      if (id != m_latestSiteRequest.load()) return;  // the newest click wins
      if (!result) {
        Q_EMIT siteFailed(id, result.error().message());
        return;
      }
      Q_EMIT siteGenerated(SiteGeneration{id, site, *result});
    });
  });
  return id;
}

}  // namespace netspatial::app
