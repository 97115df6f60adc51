#include "app/studio/generatorservice.h"

#include "app/common/generators.h"
#include "netspatial/models/generator.h"

#include <QMetaObject>
#include <QThread>

namespace netspatial::app {

GeneratorService::GeneratorService(QObject* parent) : QObject(parent), m_thread(new QThread(this)), m_worker(new QObject) {
  m_thread->setObjectName(QStringLiteral("generator"));
  m_worker->moveToThread(m_thread);
  connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
  m_generatorId = kNetSpatialId;
  m_thread->start();
}

GeneratorService::~GeneratorService() {
  if (m_feedback) m_feedback->cancel();
  m_latestSiteRequest.store(~quint64(0));  // queued site requests become stale
  // The generator is destroyed on the worker thread, where it was created and used.
  QMetaObject::invokeMethod(m_worker, [this] { m_generator.reset(); }, Qt::BlockingQueuedConnection);
  m_thread->quit();
  m_thread->wait();
}

void GeneratorService::setGenerator(const std::string& id, const QString& weightsPath, models::DevicePreference device) {
  QMetaObject::invokeMethod(m_worker, [this, id, weightsPath, device] {
    m_generator.reset();
    m_generatorId = id;
    m_weightsPath = weightsPath;
    m_devicePreference = device;
  });
}

core::Result<models::Generator*> GeneratorService::generatorOnWorker() {
  if (!m_generator) {
    models::EngineOptions engine;
    engine.device = m_devicePreference;
    auto g = createGenerator(m_generatorId, m_weightsPath, engine);
    if (!g) return g.error();
    if (!(*g)->isFitted())
      return core::Error(core::ErrorCode::InvalidArgument,
                         QStringLiteral("%1 must be fitted per run; the studio generates with pre-trained models").arg(QString::fromStdString(m_generatorId)));
    m_generator = std::move(*g);
    const QString device = generatorDevice(*m_generator) == models::Device::Cuda ? QStringLiteral("CUDA") : QStringLiteral("CPU");
    const QString description = QString::fromStdString(m_generator->displayName());
    QMetaObject::invokeMethod(this, [this, description, device] {
      m_description = description;
      m_device = device;
      Q_EMIT generatorLoaded(description, device);
    });
  }
  return m_generator.get();
}

template <typename T>
quint64 GeneratorService::startLongJob(std::function<core::Result<T>(models::Generator&, core::Feedback*)> work,
                                       std::function<void(quint64, const core::Result<T>&)> deliver) {
  if (m_activeJob) return 0;
  const quint64 id = m_nextId++;
  m_activeJob = id;
  m_feedback = std::make_shared<core::Feedback>();
  auto feedback = m_feedback;
  Q_EMIT busyChanged(true);
  QMetaObject::invokeMethod(m_worker, [this, id, work = std::move(work), deliver = std::move(deliver), feedback] {
    core::Result<T> result = core::Error(core::ErrorCode::Internal, QString());
    if (feedback->isCancelled()) {
      result = core::Error(core::ErrorCode::Cancelled, QStringLiteral("cancelled"));
    } else if (auto g = generatorOnWorker(); !g) {
      result = g.error();
    } else {
      try {
        result = work(**g, feedback.get());
      } catch (const std::exception& e) {  // nothing may cross the thread (DESIGN.md §11)
        result = core::Error(core::ErrorCode::Internal, QString::fromLocal8Bit(e.what()));
      }
    }
    QMetaObject::invokeMethod(this, [this, id, deliver, result = std::move(result)] {
      if (m_activeJob == id) m_activeJob = 0;
      deliver(id, result);
      Q_EMIT busyChanged(m_activeJob != 0);
    });
  });
  return id;
}

quint64 GeneratorService::generate(std::shared_ptr<const core::Scenario> scenario, std::vector<core::SitePoint> sites, GenerationOptions options) {
  return startLongJob<Generation>(
      [scenario = std::move(scenario), sites = std::move(sites), options](models::Generator& g, core::Feedback* feedback) {
        return generateTraffic(*scenario, sites, g, options, feedback);
      },
      [this](quint64 id, const core::Result<Generation>& result) { Q_EMIT generationFinished(id, result); });
}

quint64 GeneratorService::runOperations(std::shared_ptr<const core::Scenario> scenario, QStringList ids, core::OperationsSettings settings) {
  using Shared = std::shared_ptr<const OperationsStudy>;
  return startLongJob<Shared>(
      [scenario = std::move(scenario), ids = std::move(ids), settings](models::Generator& g, core::Feedback* feedback) -> core::Result<Shared> {
        auto study = runOperationsStudy(*scenario, ids, settings, g, feedback);
        if (!study) return study.error();
        return Shared(std::make_shared<const OperationsStudy>(std::move(study.value())));
      },
      [this](quint64 id, const core::Result<Shared>& result) { Q_EMIT operationsFinished(id, result); });
}

void GeneratorService::cancelGeneration() {
  if (m_feedback) m_feedback->cancel();
}

double GeneratorService::progress() const { return m_feedback && m_activeJob ? m_feedback->progress() : 0.0; }
QString GeneratorService::progressText() const { return m_feedback && m_activeJob ? m_feedback->step() : QString(); }

void GeneratorService::preload() {
  QMetaObject::invokeMethod(m_worker, [this] {
    if (auto g = generatorOnWorker(); !g) {
      const QString message = g.error().message();
      QMetaObject::invokeMethod(this, [this, message] { Q_EMIT generatorFailed(message); });
    }
  });
}

quint64 GeneratorService::requestSite(std::shared_ptr<const core::Scenario> scenario, core::SitePoint site, GenerationOptions options) {
  const quint64 id = m_nextId++;
  m_latestSiteRequest.store(id);
  QMetaObject::invokeMethod(m_worker, [this, id, scenario = std::move(scenario), site, options] {
    if (m_latestSiteRequest.load() != id) return;  // a newer click is queued behind this one
    auto g = generatorOnWorker();
    core::Result<Generation> result = g ? generateTraffic(*scenario, {site}, **g, options) : core::Result<Generation>(g.error());
    QMetaObject::invokeMethod(this, [this, id, site, result = std::move(result)] {
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
