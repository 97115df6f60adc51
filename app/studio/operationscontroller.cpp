#include "app/studio/operationscontroller.h"

#include "app/common/logging.h"
#include "app/studio/generatorchooserentries.h"
#include "app/studio/generatorservice.h"
#include "app/studio/maptoolbox.h"
#include "app/studio/taskstatuswidget.h"
#include "app/studio/planningcontroller.h"
#include "core/operations/operationsexport.h"
#include "core/traffic/metrics.h"
#include "ui/inspector/inspectedsite.h"
#include "ui/inspector/siteinspector.h"
#include "ui/map/mapcanvas.h"
#include "ui/operations/balanceview.h"
#include "ui/operations/operationssettingswidget.h"
#include "ui/operations/papermodeview.h"
#include "ui/operations/sleephourslayer.h"
#include "ui/operations/sleepstudyview.h"
#include "ui/util/generatorchooser.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimeZone>
#include <QVBoxLayout>

#include <cmath>

namespace netspatial::app {

using namespace netspatial::core;

namespace {
constexpr int kMessageTimeoutMs = 8000;

}  // namespace

OperationsController::OperationsController(QMainWindow* window, ui::MapCanvas* canvas, MapToolbox* tools, ProjectDocument* document,
                                           PlanningController* planning, GeneratorService* service, TaskStatusWidget* taskStatus)
    : QObject(window),
      m_tools(tools),
      m_window(window),
      m_canvas(canvas),
      m_document(document),
      m_planning(planning),
      m_service(service),
      m_taskStatus(taskStatus) {
  createDock();
  createActions();
  createStatusWidgets();
  connect(m_document, &ProjectDocument::projectReplaced, this, &OperationsController::projectShown);
  connect(m_document, &ProjectDocument::changed, this, [this](ProjectParts parts) {
    if (parts & ProjectPart::Study) showStudy();
    if (parts & (ProjectPart::Settings | ProjectPart::Models)) updateGenerators();
  });
  connect(m_service, &GeneratorService::operationsFinished, this, &OperationsController::onStudyFinished);
  connect(m_service, &GeneratorService::busyChanged, this, &OperationsController::updateActions);
  // A click on a study station shows its forecast (its circle is drawn above the candidate cells);
  // anything else goes on to planning's picker.
  m_tools->inspectTool()->addPicker(10, [this](PointXY p, double tolerance) { return inspectAt(p, tolerance); });
  updateActions();
}

OperationsController::~OperationsController() = default;

const OperationsStudy* OperationsController::study() const { return m_document->study().get(); }

double OperationsController::longestStallMs() const { return m_taskStatus->longestStallMs(); }

// --- construction ----------------------------------------------------------------------------

void OperationsController::createDock() {
  m_settings = new ui::OperationsSettingsWidget;
  m_run = new QPushButton(tr("Run study"));
  m_run->setObjectName(QStringLiteral("operationsRun"));
  m_run->setToolTip(tr("Forecast the chosen stations and plan their sleep, paper mode and load balancing on the worker"));
  m_run->setDefault(true);
  m_cancelInDock = new QPushButton(tr("Cancel"));
  m_cancelInDock->setObjectName(QStringLiteral("operationsCancelInDock"));
  m_cancelInDock->setToolTip(tr("Stop the study; nothing shown changes"));
  m_summary = new QLabel(tr("No study yet."));
  m_summary->setObjectName(QStringLiteral("operationsSummary"));
  m_summary->setWordWrap(true);
  m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
  connect(m_run, &QPushButton::clicked, this, [this] { startStudy(); });
  connect(m_cancelInDock, &QPushButton::clicked, this, &OperationsController::cancelStudy);
  connect(m_settings, &ui::OperationsSettingsWidget::validityChanged, this, &OperationsController::updateActions);
  connect(m_settings->generatorChooser(), &ui::GeneratorChooser::generatorChosen, this, &OperationsController::chooseGenerator);

  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addWidget(m_settings, 1);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_run);
  buttons->addWidget(m_cancelInDock);
  buttons->addStretch(1);
  leftLayout->addLayout(buttons);
  leftLayout->addWidget(m_summary);

  m_sleepView = new ui::SleepStudyView;
  m_paperView = new ui::PaperModeView;
  m_balanceView = new ui::BalanceView;
  m_results = new QTabWidget;
  m_results->setObjectName(QStringLiteral("operationsResults"));
  m_results->addTab(m_sleepView, tr("Sleep scheduling"));
  m_results->addTab(m_paperView, tr("Paper mode (η, QoE)"));
  m_results->addTab(m_balanceView, tr("Load balancing"));
  connect(m_balanceView, &ui::BalanceView::stationActivated, this, [this](const QString& id) { inspectStation(id); });
  connect(m_paperView, &ui::PaperModeView::stationChanged, this,
          [this](int) { m_balanceView->selectStation(m_paperView->currentStationId()); });

  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->addWidget(left);
  splitter->addWidget(m_results);
  splitter->setStretchFactor(0, 0);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({430, 900});
  splitter->setChildrenCollapsible(false);

  m_dock = new QDockWidget(tr("Operations"), m_window);
  m_dock->setObjectName(QStringLiteral("operationsDock"));
  m_dock->setWidget(splitter);
  m_window->addDockWidget(Qt::BottomDockWidgetArea, m_dock);
  // Below the map beside the ranking table: planning and operations are two uses of the same map.
  m_window->tabifyDockWidget(m_planning->rankingDock(), m_dock);
  m_dock->hide();
}

void OperationsController::createActions() {
  m_menu = new QMenu(tr("&Operations"), m_window);
  QAction* panel = m_menu->addAction(tr("&Sleep scheduling…"));
  panel->setToolTip(tr("Open the operations panel: stations, horizon, policy and EARTH power model"));
  connect(panel, &QAction::triggered, this, [this] {
    m_dock->show();
    m_dock->raise();
    m_window->resizeDocks({m_dock}, {380}, Qt::Vertical);
  });
  m_runAction = m_menu->addAction(tr("&Run study"));
  m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
  connect(m_runAction, &QAction::triggered, this, [this] { startStudy(); });
  m_cancelAction = m_menu->addAction(tr("&Cancel study"));
  connect(m_cancelAction, &QAction::triggered, this, &OperationsController::cancelStudy);
  m_menu->addSeparator();
  m_selectAction = m_menu->addAction(tr("Select stations in a &rectangle"));
  m_selectAction->setToolTip(tr("Drag a rectangle on the map; the stations inside become the selection scope"));
  connect(m_selectAction, &QAction::triggered, this, &OperationsController::selectStationsOnMap);
  m_clearSelectionAction = m_menu->addAction(tr("C&lear station selection"));
  connect(m_clearSelectionAction, &QAction::triggered, this, [this] { setSelection({}); });
  m_menu->addSeparator();
  QMenu* exports = m_menu->addMenu(tr("&Export"));
  const QList<QPair<QString, QString>> items = {{QStringLiteral("schedule"), tr("Sleep &schedule (CSV)…")},
                                                {QStringLiteral("summary"), tr("Policy &summary (CSV)…")},
                                                {QStringLiteral("balance"), tr("Load &balancing (CSV)…")},
                                                {QStringLiteral("plots"), tr("All &plots (PNG)…")}};
  for (const auto& [key, text] : items) {
    QAction* a = exports->addAction(text);
    a->setData(key);
    connect(a, &QAction::triggered, this, [this, key] { exportDialog(key); });
    m_exportActions << a;
  }
  m_menu->addSeparator();
  m_menu->addAction(m_dock->toggleViewAction());
}

void OperationsController::createStatusWidgets() {
  connect(m_taskStatus, &TaskStatusWidget::probeStopped, this, [this](double ms) {
    if (m_stallLogPending) qCInfo(lcApp) << "operations study: longest event-loop stall" << ms << "ms";
    m_stallLogPending = false;
  });
}

void OperationsController::updateActions() {
  const auto p = m_document->scenario();
  const bool busy = m_service->isGenerating();
  const bool canRun = p && !busy && m_settings->isValid();
  m_runAction->setEnabled(canRun);
  m_run->setEnabled(canRun);
  m_run->setToolTip(!p     ? tr("Open or create a city first")
                    : busy ? tr("Another job is running on the generator; wait for it or cancel it")
                    : !m_settings->isValid()
                        ? m_settings->problems().join(QLatin1Char('\n'))
                        : tr("Forecast the chosen stations and plan their sleep, paper mode and load balancing on the worker"));
  m_cancelAction->setEnabled(isRunning());
  m_cancelInDock->setEnabled(isRunning());
  m_cancelInDock->setVisible(isRunning());
  m_selectAction->setEnabled(p && !busy);
  m_clearSelectionAction->setEnabled(!m_selection.isEmpty());
  for (QAction* a : m_exportActions) a->setEnabled(m_document->study() != nullptr);
}

// --- project and selection -------------------------------------------------------------------

void OperationsController::projectShown() {
  // A study still running read the previous project: stop it and drop its result.
  if (isRunning()) {
    m_service->cancelGeneration();
    m_jobId = 0;
  }
  // The scenario's layers replaced every map layer, the sleep layer included.
  m_sleepLayerId = 0;
  m_selection.clear();
  m_settings->setSelectionCount(0);
  m_sleepView->clear();
  m_paperView->clear();
  m_balanceView->clear();
  m_summary->setText(tr("No study yet."));
  updateZones();
  updateGenerators();
  updateActions();
}

void OperationsController::updateGenerators() {
  const auto p = m_document->scenario();
  m_settings->generatorChooser()->setEntries(
      p ? generatorChooserEntries(*p, GeneratorRole::Forecast) : std::vector<ui::GeneratorChooserEntry>{},
      m_document->generatorKey(GeneratorRole::Forecast));
  // A study on show was forecast by the generator it names; once another is chosen (or an undo
  // brings one back) it no longer answers "what would the chosen model do": it goes.
  if (const auto study = m_document->study(); study && study->forecast.run.parameters.value(QStringLiteral("generator")).toString() !=
                                                           m_document->generatorKey(GeneratorRole::Forecast)) {
    m_document->setStudy(nullptr);
    m_summary->setText(tr("The forecast generator changed: run the study again."));
  }
}

core::Status OperationsController::chooseGenerator(const QString& key) {
  Status s;
  if (isRunning())
    s = Error(ErrorCode::InvalidArgument, tr("a study is running: wait for it or cancel it before changing its generator"));
  else
    s = m_document->setGeneratorKey(GeneratorRole::Forecast, key);
  if (!s) {
    m_window->statusBar()->showMessage(tr("Forecast generator: %1").arg(s.error().message()), kMessageTimeoutMs);
    updateGenerators();  // the chooser shows the generator still in use
  }
  return s;
}

void OperationsController::updateZones() {
  QList<QPair<qint64, QString>> zones;
  if (const auto p = m_document->scenario())
    for (const Zone& z : p->zones)
      zones << qMakePair(z.id, z.name.isEmpty() ? QStringLiteral("%1 %2").arg(zoneClassLabel(z.zoneClass)).arg(z.id) : z.name);
  m_settings->setZones(zones);
}

void OperationsController::setSelection(const QStringList& ids) {
  QStringList kept;
  if (const auto p = m_document->scenario())
    for (const auto& [id, position] : stationsWithTraffic(*p))
      if (ids.contains(id)) kept << id;
  m_selection = kept;
  m_settings->setSelectionCount(int(kept.size()));
  updateActions();
}

void OperationsController::selectStationsIn(const Extent& extent) {
  QStringList ids;
  if (const auto p = m_document->scenario())
    for (const auto& [id, position] : stationsWithTraffic(*p))
      if (extent.contains(position)) ids << id;
  setSelection(ids);
  if (ids.isEmpty()) {
    m_window->statusBar()->showMessage(tr("No station with observed traffic inside that rectangle"), kMessageTimeoutMs);
    return;
  }
  // Picking stations means the user wants the selection scope.
  OperationsSettings s = m_settings->settings();
  s.scope = StationScope::Selection;
  m_settings->setSettings(s);
  m_dock->show();
  m_dock->raise();
  m_window->statusBar()->showMessage(tr("%n station(s) selected for the operations study", nullptr, int(ids.size())), kMessageTimeoutMs);
  updateActions();
}

void OperationsController::selectStationsOnMap() {
  m_tools->activate(std::make_unique<RectangleTool>(tr("Drag a rectangle around the stations for the operations study (Esc cancels)"),
                                                    [this](const Extent& e) { selectStationsIn(e); }));
}

// --- the study -------------------------------------------------------------------------------

bool OperationsController::startStudy() {
  const auto p = m_document->scenario();
  auto refuse = [this](const QString& why) {
    m_window->statusBar()->showMessage(why, kMessageTimeoutMs);
    return false;
  };
  if (!p) return refuse(tr("Open or create a city first"));
  if (m_service->isGenerating()) return refuse(tr("Another job is running on the generator — wait for it or cancel it"));
  if (!m_settings->isValid()) return refuse(tr("Fix the settings first: %1").arg(m_settings->problems().join(QStringLiteral("; "))));
  const OperationsSettings settings = m_settings->settings();
  const QStringList ids = operationsScopeIds(*p, settings, m_selection);
  if (ids.isEmpty()) return refuse(tr("The chosen scope holds no station with observed traffic"));
  // The worker reads the project's observed traffic and context layers, which nothing changes
  // while it runs (the planning actions are disabled while the generator is busy).
  m_jobId = m_service->runOperations(p, ids, settings);
  if (!m_jobId) return refuse(tr("Another job is running on the generator — wait for it or cancel it"));
  m_jobClock.start();
  m_stallLogPending = true;
  m_dock->show();
  updateActions();
  m_window->statusBar()->showMessage(tr("Forecasting %n station(s)…", nullptr, int(ids.size())));
  return true;
}

void OperationsController::abandonJob() {
  if (m_jobId) m_service->cancelGeneration();
  m_jobId = 0;
  updateActions();
}

void OperationsController::cancelStudy() {
  if (!isRunning()) return;
  m_service->cancelGeneration();
  m_cancelInDock->setEnabled(false);
  m_window->statusBar()->showMessage(tr("Cancelling the operations study…"));
}

void OperationsController::onStudyFinished(quint64 jobId, const Result<std::shared_ptr<const OperationsStudy>>& result) {
  if (jobId != m_jobId) return;
  m_jobId = 0;
  // The plots replot on the next turns of the event loop: the probe runs until they are drawn.
  QString error;
  if (!result) {
    error = result.error().code() == ErrorCode::Cancelled ? QStringLiteral("cancelled") : result.error().message();
    m_window->statusBar()->showMessage(error == QStringLiteral("cancelled") ? tr("Operations study cancelled — nothing was changed")
                                                                            : tr("Operations study failed: %1").arg(error),
                                       kMessageTimeoutMs);
  } else {
    QElapsedTimer shown;
    shown.start();
    m_document->setStudy(*result);  // the views follow (showStudy)
    m_showMs = double(shown.nsecsElapsed()) * 1e-6;
    const double seconds = double(m_jobClock.nsecsElapsed()) * 1e-9;
    const ScheduleOutcome* forecast = m_document->study()->sleep.outcome(SleepPolicy::Forecast);
    m_window->statusBar()->showMessage(
        forecast ? tr("Operations study of %n station(s) done in %1 s: forecast-driven sleep saves %2 % at QoE %3", nullptr,
                      int(m_document->study()->input.stations.size()))
                       .arg(seconds, 0, 'f', 1)
                       .arg(forecast->savingPct, 0, 'f', 1)
                       .arg(percentText(forecast->qoe))
                 : tr("Operations study done in %1 s").arg(seconds, 0, 'f', 1),
        kMessageTimeoutMs);
    qCInfo(lcApp) << "operations study:" << m_document->study()->input.stations.size() << "stations in" << seconds << "s, views built in"
                  << m_showMs << "ms";
  }
  updateActions();
  Q_EMIT studyFinished(error);
}

void OperationsController::showStudy() {
  const auto p = m_document->scenario();
  const auto study = m_document->study();
  if (!study || !p) {
    // No study (or none any more): every view says so, none keeps an old one.
    removeSleepLayer();
    m_sleepView->clear();
    m_paperView->clear();
    m_balanceView->clear();
    m_summary->setText(tr("No study yet."));
    updateActions();
    return;
  }
  const OperationsStudy& st = *study;
  const std::vector<QString> ids = st.input.ids();
  const QTimeZone zone(st.input.timeZone.toUtf8());
  // The sleep study is shared with the view (aliasing the study's pointer), not copied.
  m_sleepView->setStudy(std::shared_ptr<const core::SleepStudy>(study, &study->sleep), ids, st.input.startUtc, zone, st.input.unit);
  m_paperView->setResult(st.paper, ids, st.input.observed, st.forecast.mean, st.input.startUtc, zone, st.input.unit);
  m_balanceView->setResult(st.balance, st.settings.balance.threshold, st.input.unit);

  // The map: each station coloured by the hours the forecast-driven schedule sleeps it.
  removeSleepLayer();
  std::vector<PointXY> positions;
  for (const auto& s : st.input.stations) positions.push_back(s.position);
  const int hours = st.input.observed.empty() ? 0 : int(st.input.observed.front().size());
  const ScheduleOutcome* forecast = st.sleep.outcome(SleepPolicy::Forecast);
  const QString label = tr("Forecast-driven (q=%1)").arg(st.settings.sleep.quantile, 0, 'g', 3);
  auto layer = std::make_unique<ui::SleepHoursLayer>(positions, ids, ui::SleepHoursLayer::sleepHoursOf(st.sleep.forecastSchedule), hours,
                                                     p->metadata.crs, label);
  m_sleepLayerId = layer->id();
  if (auto s = m_canvas->addLayer(std::move(layer)); !s) {
    m_sleepLayerId = 0;
    qCWarning(lcApp) << "sleep layer:" << s.error().toString();
  }
  m_canvas->refresh();

  // What ran, in one paragraph beside the settings (provenance included).
  const ScheduleOutcome* oracle = st.sleep.outcome(SleepPolicy::Oracle);
  QString text =
      tr("<b>%n station(s)</b>, %1 weeks from %2 (%3), forecast by %4 (weights %5…, seed %6, %7 samples).", nullptr, int(ids.size()))
          .arg(st.settings.horizonWeeks)
          .arg(st.input.startUtc.toTimeZone(zone).toString(QStringLiteral("yyyy-MM-dd")), st.input.timeZone, st.forecast.run.modelId,
               st.forecast.run.weightsSha256.left(12))
          .arg(st.forecast.run.seed)
          .arg(st.settings.forecastSamples);
  // Units and generator, and whether the generator is calibrated here (issue 19 item 4).
  const QString unit = st.input.unit.isEmpty() ? tr("no stated unit") : st.input.unit;
  text += QStringLiteral("<br>") + tr("Units: observed load and forecasts in %1; forecast generator %2%3.")
                                       .arg(unit.toHtmlEscaped(), st.calibration.generatorLabel.toHtmlEscaped(),
                                            st.calibration.matches() ? tr(" (matches)") : QString());
  if (!st.calibration.matches())
    text += QStringLiteral("<br><span style='color:#8a1c00'>%1</span>")
                .arg(tr("⚠ Not calibrated (%1): %2")
                         .arg(core::calibrationVerdictName(st.calibration.verdict), st.calibration.message)
                         .toHtmlEscaped());
  if (forecast && oracle)
    text += QStringLiteral("<br>") + tr("Forecast-driven sleep: <b>%1 %</b> energy saved at QoE <b>%2</b>; oracle %3 % (%4 of it).")
                                         .arg(forecast->savingPct, 0, 'f', 1)
                                         .arg(percentText(forecast->qoe))
                                         .arg(oracle->savingPct, 0, 'f', 1)
                                         .arg(oracle->savingPct > 0.0
                                                  ? QStringLiteral("%1 %").arg(100.0 * forecast->savingPct / oracle->savingPct, 0, 'f', 0)
                                                  : QStringLiteral("–"));
  text += QStringLiteral("<br>") + tr("Solver: %1 group-hours exact, %2 time-limited, %3 greedy.")
                                       .arg(st.sleep.forecastSchedule.exactSolves)
                                       .arg(st.sleep.forecastSchedule.timeLimitedSolves)
                                       .arg(st.sleep.forecastSchedule.greedySolves);
  if (!st.input.notes.isEmpty()) text += QStringLiteral("<br><i>%1</i>").arg(st.input.notes.join(QStringLiteral(" ")).toHtmlEscaped());
  m_summary->setText(text);
  m_dock->show();
  m_dock->raise();
}

void OperationsController::removeSleepLayer() {
  if (const int i = m_canvas->indexOfLayer(m_sleepLayerId); i >= 0) m_canvas->removeLayer(i);
  m_sleepLayerId = 0;
}

// --- inspector -------------------------------------------------------------------------------

int OperationsController::studyIndexOf(const QString& id) const {
  if (!m_document->study()) return -1;
  const auto& stations = m_document->study()->input.stations;
  for (std::size_t i = 0; i < stations.size(); ++i)
    if (stations[i].id == id) return int(i);
  return -1;
}

QString OperationsController::stationKind(const QString& id) const {
  const auto p = m_document->scenario();
  if (p)
    for (const BaseStation& b : p->stations)
      if (b.id == id) return tr("%1 station").arg(stationTypeName(b.type));
  return tr("traffic site");
}

SiteSummary OperationsController::inspectedStation(int index) const {
  const auto study = m_document->study();
  if (!study || index < 0 || index >= int(study->input.stations.size())) return {};
  return summarizeStudyStation(*study, index, stationKind(study->input.stations[std::size_t(index)].id));
}

bool OperationsController::inspectAt(PointXY point, double tolerance) {
  if (!m_document->study()) return false;
  const int layer = m_canvas->indexOfLayer(m_sleepLayerId);
  if (layer < 0 || !m_canvas->layer(layer)->isVisible()) return false;  // hidden layer: back to planning clicks
  const auto hit = static_cast<ui::SleepHoursLayer*>(m_canvas->layer(layer))->stationAt(point, tolerance);
  if (!hit) return false;
  return inspectStation(static_cast<ui::SleepHoursLayer*>(m_canvas->layer(layer))->stationId(*hit));
}

bool OperationsController::inspectStation(const QString& id) {
  const int index = studyIndexOf(id);
  if (index < 0) return false;
  m_planning->showSite(inspectedStation(index));
  m_paperView->setStation(id);
  m_balanceView->selectStation(id);
  const PointXY p = m_document->study()->input.stations[std::size_t(index)].position;
  if (!m_canvas->visibleExtent().contains(p)) m_canvas->setCentre(p);
  return true;
}

// --- exports ---------------------------------------------------------------------------------

Status OperationsController::exportScheduleCsv(const QString& path) const {
  if (!m_document->study()) return Error(ErrorCode::InvalidArgument, tr("run an operations study first"));
  const OperationsStudy& st = *m_document->study();
  const auto decision = forecastDecisionLoad(st.forecast.samples, st.settings.sleep.quantile, st.settings.sleep.safetyMargin);
  return writeScheduleCsv(path, st.input.ids(), st.sleep.forecastSchedule, st.input.observed, decision, st.input.startUtc,
                          st.input.timeZone);
}

Status OperationsController::exportSummaryCsv(const QString& path) const {
  if (!m_document->study()) return Error(ErrorCode::InvalidArgument, tr("run an operations study first"));
  return writeSleepSummaryCsv(path, m_document->study()->sleep, &m_document->study()->paper, m_document->study()->forecast.run);
}

Status OperationsController::exportBalanceCsv(const QString& path) const {
  if (!m_document->study()) return Error(ErrorCode::InvalidArgument, tr("run an operations study first"));
  return writeBalanceCsv(path, m_document->study()->balance);
}

Result<QStringList> OperationsController::exportPlots(const QString& directory, QSize pixels, double dpi) const {
  if (!m_document->study()) return Error(ErrorCode::InvalidArgument, tr("run an operations study first"));
  QDir dir(directory);
  if (!dir.exists() && !QDir().mkpath(directory)) return Error(ErrorCode::Io, tr("cannot create the folder")).withFile(directory);
  QStringList written;
  const QList<QPair<int, QString>> tabs = {{ui::SleepStudyView::TimelineTab, QStringLiteral("sleep-timeline.png")},
                                           {ui::SleepStudyView::PowerTab, QStringLiteral("sleep-power.png")},
                                           {ui::SleepStudyView::TradeoffTab, QStringLiteral("sleep-tradeoff.png")},
                                           {ui::SleepStudyView::ComparisonTab, QStringLiteral("sleep-comparison.png")}};
  for (const auto& [tab, name] : tabs) {
    if (auto s = m_sleepView->saveTabPng(tab, dir.filePath(name), pixels.width(), pixels.height(), dpi); !s) return s.error();
    written << dir.filePath(name);
  }
  if (m_paperView->hasData()) {
    if (auto s = m_paperView->savePng(dir.filePath(QStringLiteral("paper-mode.png")), pixels.width(), pixels.height(), dpi); !s)
      return s.error();
    written << dir.filePath(QStringLiteral("paper-mode.png"));
  }
  if (m_balanceView->hasData()) {
    if (auto s = m_balanceView->savePng(dir.filePath(QStringLiteral("balance.png")), pixels.width(), pixels.height(), dpi); !s)
      return s.error();
    written << dir.filePath(QStringLiteral("balance.png"));
  }
  return written;
}

void OperationsController::exportDialog(const QString& what) {
  QSettings settings;
  const QString dir = settings.value("paths/lastExportDir", QDir::homePath()).toString();
  if (what == QStringLiteral("plots")) {
    const QString folder = QFileDialog::getExistingDirectory(m_window, tr("Export plots into"), dir);
    if (folder.isEmpty()) return;
    settings.setValue("paths/lastExportDir", folder);
    auto written = exportPlots(folder);
    m_window->statusBar()->showMessage(written ? tr("Wrote %n plot(s) into %1", nullptr, int(written->size())).arg(folder)
                                               : tr("Export failed: %1").arg(written.error().toString()),
                                       kMessageTimeoutMs);
    return;
  }
  const QString name = what == QStringLiteral("schedule")  ? QStringLiteral("sleep-schedule.csv")
                       : what == QStringLiteral("summary") ? QStringLiteral("sleep-summary.csv")
                                                           : QStringLiteral("balance.csv");
  const QString path = QFileDialog::getSaveFileName(m_window, tr("Export"), QDir(dir).filePath(name), tr("CSV (*.csv)"));
  if (path.isEmpty()) return;
  settings.setValue("paths/lastExportDir", QFileInfo(path).absolutePath());
  const Status s = what == QStringLiteral("schedule")  ? exportScheduleCsv(path)
                   : what == QStringLiteral("summary") ? exportSummaryCsv(path)
                                                       : exportBalanceCsv(path);
  m_window->statusBar()->showMessage(s ? tr("Wrote %1").arg(path) : tr("Export failed: %1").arg(s.error().toString()), kMessageTimeoutMs);
}

}  // namespace netspatial::app
