// netspatial-studio [--crs DEF] [--screenshot FILE.png] [--no-demo] [files...]
//
// Opens the main window with the given scenario (.gpkg) and GDAL rasters and OGR vectors on one
// map; with no files, the demo city (simulated once, then cached in the user's data folder). With
// --screenshot it renders the window once everything is drawn, saves it and exits, which is
// what the tests and the documentation use.

#include "app/common/generatorchoice.h"
#include "app/common/generators.h"
#include "app/studio/mainwindow.h"
#include "app/studio/projectdocument.h"
#include "app/studio/modelscontroller.h"
#include "app/studio/operationscontroller.h"
#include "app/studio/projecttrainer.h"
#include "app/studio/taskmanager.h"
#include "app/studio/planningcontroller.h"
#include "app/studio/stallprobe.h"
#include "core/planning/aoi.h"
#include "ui/operations/sleephourslayer.h"
#include "ui/planning/rankingview.h"
#include "netspatial/models/runtimeinfo.h"
#include "ui/map/mapcanvas.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QStatusBar>
#include <QDockWidget>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

// Exit codes: 0 success; 1 the screenshot could not be saved; 2 bad command line;
// 3 some layers could not be opened (with --screenshot, the image is still saved).
constexpr int kExitScreenshotFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitLayerErrors = 3;

void printError(const QString& message) { std::fprintf(stderr, "netspatial-studio: %s\n", qPrintable(message)); }

//! With NETSPATIAL_STALL_TRACE=<ms> set, every event that keeps the GUI thread longer than that
//! is logged with its receiver: which piece of work made the stall probe fire (DESIGN.md §13).
class TracingApplication : public QApplication {
 public:
  TracingApplication(int& argc, char** argv)
      : QApplication(argc, argv), m_thresholdMs(qEnvironmentVariableIntValue("NETSPATIAL_STALL_TRACE")) {}
  bool notify(QObject* receiver, QEvent* event) override {
    if (m_thresholdMs <= 0) return QApplication::notify(receiver, event);
    // Read before delivery: the event may delete its receiver (DeferredDelete, a closing window).
    const int type = int(event->type());
    const char* className = receiver->metaObject()->className();
    const QString name = receiver->objectName();
    QElapsedTimer t;
    t.start();
    const bool result = QApplication::notify(receiver, event);
    if (const qint64 ms = t.elapsed(); ms >= m_thresholdMs)
      std::fprintf(stderr, "stall trace: %lld ms in event %d to %s '%s'\n", static_cast<long long>(ms), type, className, qPrintable(name));
    return result;
  }

 private:
  int m_thresholdMs;
};

}  // namespace

int main(int argc, char* argv[]) {
  netspatial::models::tuneRuntime(argc, argv);
  TracingApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("NetSpatial Studio"));
  QApplication::setOrganizationName(QStringLiteral("NetSpatial"));
  QApplication::setApplicationVersion(QStringLiteral(NETSPATIAL_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("NetSpatial Studio: mobile-network planning on a map."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                            QStringLiteral("Render the window once the layers are drawn, save it "
                                                           "as a PNG image and exit."),
                                            QStringLiteral("FILE.png"));
  const QCommandLineOption crsOption(QStringLiteral("crs"),
                                     QStringLiteral("Map CRS (EPSG code, WKT or PROJ string) instead of the UTM zone "
                                                    "of the first layer."),
                                     QStringLiteral("DEF"));
  const QCommandLineOption sizeOption(QStringLiteral("size"), QStringLiteral("Window size, e.g. 1280x800."), QStringLiteral("WxH"),
                                      QStringLiteral("1200x760"));
  const QCommandLineOption noDemoOption(QStringLiteral("no-demo"), QStringLiteral("Start with an empty map instead of the demo city."));
  const QCommandLineOption planOption(QStringLiteral("plan-aoi"),
                                      QStringLiteral("Once the city shows, set a square area of interest of this side (metres) at the "
                                                     "map centre, generate for its candidates, rank them and show the best one in the "
                                                     "inspector (a scripted planning run, e.g. for --screenshot)."),
                                      QStringLiteral("metres"));
  const QCommandLineOption operationsOption(
      QStringLiteral("operations"), QStringLiteral("Once the city shows, run an operations study (forecast, sleep scheduling, paper "
                                                   "mode, load balancing) on every station with observed traffic with the panel's "
                                                   "default settings and show the station that sleeps most in the inspector (a "
                                                   "scripted operations run, e.g. for --screenshot)."));
  const QCommandLineOption trainOption(
      QStringLiteral("train-model"),
      QStringLiteral("Once the project shows, train a model on its observed traffic (Models › Train…; quick or full, fine-tuning the "
                     "embedded weights with 20 % of the sites held out), then choose it for forecasts (the chooser shows it with its "
                     "held-out score, e.g. for --screenshot). dialog: "
                     "open the dialog only."),
      QStringLiteral("quick|full|dialog"));
  const QCommandLineOption generatorOption(
      QStringLiteral("generator"),
      QStringLiteral("Once the project shows, generate with this model for planning and forecasts, as the chooser would (e.g. "
                     "netspatial_milan on Milan; an embedded model's or a reference's id, or a chooser key such as "
                     "project:ID). Applied before --plan-aoi and --operations."),
      QStringLiteral("id"));
  parser.addOptions({screenshotOption, crsOption, sizeOption, noDemoOption, planOption, operationsOption, trainOption, generatorOption});
  parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("GDAL rasters and OGR vector files to show."),
                               QStringLiteral("[files...]"));
  parser.process(app);

  QSize size(1200, 760);
  {
    const QStringList wh = parser.value(sizeOption).split(QLatin1Char('x'));
    bool okW = false;
    bool okH = false;
    if (wh.size() == 2) size = QSize(wh[0].toInt(&okW), wh[1].toInt(&okH));
    if (!okW || !okH || size.width() < 200 || size.height() < 150) {
      printError(QStringLiteral("--size '%1': expected WIDTHxHEIGHT, at least 200x150").arg(parser.value(sizeOption)));
      return kExitUsage;
    }
  }

  netspatial::app::MainWindow window;
  if (parser.isSet(crsOption)) {
    auto crs = netspatial::core::Crs::fromUserInput(parser.value(crsOption));
    if (!crs) {
      printError(QStringLiteral("--crs: %1").arg(crs.error().toString()));
      return kExitUsage;
    }
    if (auto s = window.canvas()->setMapCrs(*crs); !s) {
      printError(QStringLiteral("--crs: %1").arg(s.error().toString()));
      return kExitUsage;
    }
  }

  const bool screenshot = parser.isSet(screenshotOption);
  window.setInteractive(!screenshot);
  window.resize(size);
  window.show();
  const QStringList files = parser.positionalArguments();
  if (files.isEmpty() && !parser.isSet(noDemoOption)) {
    window.openDemoCity();
  } else {
    window.openFiles(files);
  }

  // --generator: the chooser's choice for both roles, made once the project shows (undoable, as a
  // user's would be). False, with the error printed, when the project cannot use it.
  auto applyGenerator = [&]() -> bool {
    if (!parser.isSet(generatorOption)) return true;
    QString key = parser.value(generatorOption);
    if (!key.contains(QLatin1Char(':')))
      key = netspatial::app::hasEmbeddedWeights(key.toStdString()) ? netspatial::app::embeddedGeneratorKey(key.toStdString())
                                                                   : netspatial::app::referenceGeneratorKey(key.toStdString());
    for (const auto role : {netspatial::app::GeneratorRole::Planning, netspatial::app::GeneratorRole::Forecast})
      if (auto s = window.document()->setGeneratorKey(role, key); !s) {
        printError(QStringLiteral("--generator: %1").arg(s.error().toString()));
        QApplication::exit(kExitUsage);
        return false;
      }
    return true;
  };

  auto armScreenshot = [&] {
    const QString path = parser.value(screenshotOption);
    window.saveScreenshotWhenReady(path, [&window](bool ok, const QString& message) {
      for (const QString& e : window.openErrors()) printError(e);
      if (ok) {
        std::fprintf(stdout, "%s\n", qPrintable(message));
      } else {
        printError(message);
      }
      QApplication::exit(!ok ? kExitScreenshotFailed : !window.openErrors().isEmpty() ? kExitLayerErrors : 0);
    });
  };
  if (parser.isSet(planOption)) {
    bool ok = false;
    const double side = parser.value(planOption).toDouble(&ok);
    if (!ok || side < 50.0) {
      printError(QStringLiteral("--plan-aoi: a side of at least 50 m, not '%1'").arg(parser.value(planOption)));
      return kExitUsage;
    }
    netspatial::app::PlanningController* planning = window.planning();
    auto started = std::make_shared<bool>(false);
    window.setJobFinishedCallback([&window, planning, side, started, applyGenerator](const QString& error) {
      if (*started || !error.isEmpty() || !window.hasScenario()) return;
      *started = true;
      if (!applyGenerator()) return;
      const netspatial::core::PointXY c = window.canvas()->centre();
      const netspatial::core::Geometry aoi = netspatial::core::rectangleAoi(netspatial::core::Extent::aroundCentre(c, side, side));
      if (auto s = planning->setAoi(aoi); !s) {
        printError(QStringLiteral("--plan-aoi: %1").arg(s.error().toString()));
        QApplication::exit(kExitUsage);
        return;
      }
      window.canvas()->zoomToExtent(aoi.extent());
      planning->startGeneration();
    });
    QObject::connect(planning, &netspatial::app::PlanningController::generationFinished, &window,
                     [&, planning, screenshot](const QString& error) {
                       if (!error.isEmpty()) printError(QStringLiteral("--plan-aoi: generation: %1").arg(error));
                       std::fprintf(stdout, "planning: click to ranked table %.0f ms, longest GUI stall %.1f ms\n",
                                    planning->lastClickToRankingMs(), planning->longestStallMs());
                       if (window.hasScenario()) window.canvas()->zoomToExtent(window.scenario()->aoi.extent());
                       if (planning->ranking() && !planning->ranking()->sites.empty()) {
                         const auto& top = planning->ranking()->sites.front();
                         planning->rankingView()->selectSite(top.siteId);
                         planning->inspectPoint(top.position);
                       }
                       if (screenshot) QTimer::singleShot(300, &window, armScreenshot);
                     });
  } else if (parser.isSet(operationsOption)) {
    netspatial::app::OperationsController* operations = window.operations();
    auto started = std::make_shared<bool>(false);
    window.setJobFinishedCallback([&window, operations, started, applyGenerator](const QString& error) {
      if (*started || !error.isEmpty() || !window.hasScenario()) return;
      *started = true;
      if (!applyGenerator()) return;
      if (!operations->startStudy()) {
        printError(QStringLiteral("--operations: %1").arg(window.statusBar()->currentMessage()));
        QApplication::exit(kExitUsage);
      }
    });
    QObject::connect(operations, &netspatial::app::OperationsController::studyFinished, &window,
                     [&, operations, screenshot](const QString& error) {
                       if (!error.isEmpty()) {
                         printError(QStringLiteral("--operations: %1").arg(error));
                         QApplication::exit(kExitUsage);
                         return;
                       }
                       std::fprintf(stdout, "operations: %s\n", qPrintable(window.statusBar()->currentMessage()));
                       // The station that sleeps most, in the inspector.
                       const auto* study = operations->study();
                       int best = -1, most = -1;
                       const auto hours = netspatial::ui::SleepHoursLayer::sleepHoursOf(study->sleep.forecastSchedule);
                       for (std::size_t i = 0; i < hours.size(); ++i)
                         if (hours[i] > most) most = hours[i], best = int(i);
                       // A separate turn of the event loop, as a user's click would be: the stall
                       // figures below then measure the result arriving, not this scripted click.
                       if (best >= 0)
                         QTimer::singleShot(400, &window, [operations, id = study->input.stations[std::size_t(best)].id] {
                           // The inspector's first show, measured on its own.
                           auto* probe = new netspatial::app::StallProbe(operations);
                           QObject::connect(probe, &netspatial::app::StallProbe::stopped, probe, [probe](double ms) {
                             std::fprintf(stdout, "operations: inspector first shown, longest GUI stall %.0f ms\n", ms);
                             probe->deleteLater();
                           });
                           probe->start();
                           operations->inspectStation(id);
                           probe->stopAfter(300);
                         });
                       // The stall probe runs until the plots are drawn (300 ms after the result).
                       QTimer::singleShot(350, &window, [operations] {
                         std::fprintf(stdout, "operations: views built in %.0f ms, longest GUI stall from Run to drawn plots %.0f ms\n",
                                      operations->lastShowMs(), operations->longestStallMs());
                       });
                       if (screenshot) QTimer::singleShot(800, &window, armScreenshot);
                     });
  } else if (parser.isSet(trainOption)) {
    const QString preset = parser.value(trainOption);
    if (preset != QStringLiteral("quick") && preset != QStringLiteral("full") && preset != QStringLiteral("dialog")) {
      printError(QStringLiteral("--train-model: quick, full or dialog, not '%1'").arg(preset));
      return kExitUsage;
    }
    netspatial::app::ModelsController* models = window.models();
    auto started = std::make_shared<bool>(false);
    window.setJobFinishedCallback([&window, models, started, preset](const QString& error) {
      if (*started || !error.isEmpty() || !window.hasScenario()) return;
      *started = true;
      if (preset == QStringLiteral("dialog")) {
        QTimer::singleShot(0, models, &netspatial::app::ModelsController::trainDialog);
        return;
      }
      netspatial::app::ProjectTrainingRequest request;
      request.name = QStringLiteral("%1 (%2)").arg(window.scenario()->metadata.name.section(QLatin1Char(' '), 0, 0), preset);
      request.steps = preset == QStringLiteral("full") ? netspatial::app::TrainingSteps::full() : netspatial::app::TrainingSteps::quick();
      if (!models->startTraining(request)) {
        printError(QStringLiteral("--train-model: %1").arg(window.statusBar()->currentMessage()));
        QApplication::exit(kExitUsage);
        return;
      }
      window.operations()->dock()->show();
    });
    QObject::connect(models, &netspatial::app::ModelsController::trainingFinished, &window, [&, screenshot](const QString& error) {
      std::fprintf(stdout, "train: %s\n", qPrintable(window.statusBar()->currentMessage()));
      if (!error.isEmpty()) return QApplication::exit(kExitUsage);
      // The new model for forecasts: the chooser shows it with its held-out score.
      const auto& models = window.scenario()->projectModels;
      if (auto s = window.operations()->chooseGenerator(netspatial::app::projectGeneratorKey(models.back().id)); !s)
        printError(QStringLiteral("--train-model: %1").arg(s.error().toString()));
      std::fprintf(stdout, "train: forecast generator %s\n", qPrintable(models.back().name));
      if (screenshot) QTimer::singleShot(300, &window, armScreenshot);
    });
  } else {
    if (parser.isSet(generatorOption)) {
      auto started = std::make_shared<bool>(false);
      window.setJobFinishedCallback([&window, started, applyGenerator](const QString& error) {
        if (*started || !error.isEmpty() || !window.hasScenario()) return;
        *started = true;
        applyGenerator();
      });
    }
    if (screenshot) armScreenshot();
  }
  return app.exec();
}
