#include "ui/operations/operationssettingswidget.h"

#include "ui/util/generatorchooser.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpressionValidator>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace netspatial::ui {

namespace {

using core::EarthPowerModel;
using core::StationScope;

// Below this width the groups stack in one column; above it two columns read better than one
// very long form with fields stretched across the screen.
constexpr int kTwoColumnWidth = 860;

const QString kProblemStyle = QStringLiteral("color: #b00020;");
const QString kHintStyle = QStringLiteral("color: #666;");

QDoubleSpinBox* doubleSpin(double lo, double hi, int decimals, double step, const QString& suffix, const QString& tip) {
  auto* spin = new QDoubleSpinBox;
  spin->setRange(lo, hi);
  spin->setDecimals(decimals);
  spin->setSingleStep(step);
  spin->setSuffix(suffix);
  spin->setToolTip(tip);
  spin->setAccelerated(true);
  // Typing "85" into a percentage should not be read as "8", then "85", each a study-wide change
  // for a listener; keyboardTracking off emits once the user is done (Enter, focus out, arrows).
  spin->setKeyboardTracking(false);
  spin->setAlignment(Qt::AlignRight);
  return spin;
}

QSpinBox* intSpin(int lo, int hi, const QString& suffix, const QString& tip) {
  auto* spin = new QSpinBox;
  spin->setRange(lo, hi);
  spin->setSuffix(suffix);
  spin->setToolTip(tip);
  spin->setKeyboardTracking(false);
  spin->setAlignment(Qt::AlignRight);
  return spin;
}

QFormLayout* form(QGroupBox* box) {
  auto* layout = new QFormLayout(box);
  // Numbers are a few characters wide: stretched across a wide panel they only look empty.
  layout->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
  layout->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return layout;
}

QLabel* hint(const QString& text = {}) {
  auto* label = new QLabel(text);
  label->setWordWrap(true);
  label->setStyleSheet(kHintStyle);
  return label;
}

QLabel* problemLabel() {
  auto* label = new QLabel;
  label->setWordWrap(true);
  label->setStyleSheet(kProblemStyle);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->hide();
  return label;
}

QString watts(double w) { return QLocale().toString(w, 'f', w < 100.0 ? 1 : 0) + QStringLiteral(" W"); }

}  // namespace

OperationsSettingsWidget::OperationsSettingsWidget(QWidget* parent) : QWidget(parent) {
  m_groups = {buildScopeGroup(), buildSleepGroup(), buildEarthGroup(), buildPaperGroup(), buildBalanceGroup()};

  m_content = new QWidget;
  m_grid = new QGridLayout(m_content);
  m_grid->setContentsMargins(6, 6, 6, 6);
  m_grid->setHorizontalSpacing(10);
  m_grid->setVerticalSpacing(8);
  m_scroll = new QScrollArea;
  m_scroll->setWidget(m_content);
  m_scroll->setWidgetResizable(true);
  m_scroll->setFrameShape(QFrame::NoFrame);
  m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_scroll);

  arrangeGroups(1);
  setSettings(core::OperationsSettings{});
}

OperationsSettingsWidget::~OperationsSettingsWidget() = default;

QGroupBox* OperationsSettingsWidget::buildScopeGroup() {
  auto* box = new QGroupBox(tr("Stations and forecast"));
  auto* layout = form(box);

  m_scopeAll = new QRadioButton(tr("All stations"));
  m_scopeSelection = new QRadioButton(tr("Selected stations (0)"));
  m_scopeSelection->setToolTip(tr("The stations selected on the map"));
  m_scopeZone = new QRadioButton(tr("Zone"));
  m_scopeZone->setToolTip(tr("The stations inside one zone"));
  m_scopeGroup = new QButtonGroup(this);
  m_scopeGroup->addButton(m_scopeAll, int(StationScope::All));
  m_scopeGroup->addButton(m_scopeSelection, int(StationScope::Selection));
  m_scopeGroup->addButton(m_scopeZone, int(StationScope::Zone));
  m_zoneCombo = new QComboBox;
  m_zoneCombo->setPlaceholderText(tr("Pick a zone"));
  // Not AdjustToContents: a city has tens of thousands of zones, and measuring every name for the
  // size hint blocked the event loop for 200 ms.
  m_zoneCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  m_zoneCombo->setMinimumContentsLength(20);
  auto* zoneRow = new QHBoxLayout;
  zoneRow->setContentsMargins(0, 0, 0, 0);
  zoneRow->addWidget(m_scopeZone);
  zoneRow->addWidget(m_zoneCombo);
  zoneRow->addStretch(1);
  auto* scope = new QVBoxLayout;
  scope->setSpacing(2);
  scope->addWidget(m_scopeAll);
  scope->addWidget(m_scopeSelection);
  scope->addLayout(zoneRow);
  layout->addRow(tr("Stations:"), scope);
  // A row of its own: wrapped inside the scope's cell, the form would cut its last line off.
  m_scopeProblems = problemLabel();
  layout->addRow(m_scopeProblems);

  m_horizon =
      intSpin(1, 4, tr(" weeks"), tr("Forecast and evaluated period after the observed history: at most the generator's four weeks"));
  layout->addRow(tr("Horizon:"), m_horizon);
  m_samples = intSpin(1, 32, QString(), tr("Forecast samples drawn per station; the decision quantile is taken over them"));
  layout->addRow(tr("Samples:"), m_samples);
  m_seed = new QLineEdit;
  // Any unsigned 64-bit number; a QSpinBox stops at 2³¹ − 1.
  m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,20}")), m_seed));
  m_seed->setToolTip(tr("The generator's random seed: the same seed gives the same forecast samples"));
  m_seed->setMaximumWidth(m_seed->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 22);
  m_seed->setAlignment(Qt::AlignRight);
  layout->addRow(tr("Seed:"), m_seed);
  m_generator = new GeneratorChooser;
  m_generator->setObjectName(QStringLiteral("forecastGenerator"));
  m_generator->setToolTip(tr("The model that forecasts the stations from their observed history"));
  layout->addRow(tr("Generator:"), m_generator);
  m_capacityFactor = doubleSpin(1.0, 10.0, 2, 0.05, QStringLiteral(" ×"),
                                tr("Stations without a capacity (an imported network) get their observed peak over the "
                                   "history weeks times this factor"));
  auto* capacityRow = new QHBoxLayout;
  capacityRow->setContentsMargins(0, 0, 0, 0);
  capacityRow->addWidget(m_capacityFactor);
  capacityRow->addWidget(hint(tr("observed peak, for stations without a capacity")));
  capacityRow->addStretch(1);
  layout->addRow(tr("Capacity:"), capacityRow);

  connect(m_scopeGroup, &QButtonGroup::idToggled, this, [this](int id, bool checked) {
    if (!checked || m_syncing) return;
    // Choosing Zone with none chosen yet takes the first: a Zone scope without a zone is no study.
    if (id == int(StationScope::Zone) && m_zoneCombo->currentIndex() < 0 && m_zoneCombo->count() > 0) {
      m_syncing = true;
      m_zoneCombo->setCurrentIndex(0);
      m_syncing = false;
      m_zoneId = m_zoneCombo->itemData(0).toLongLong();
    }
    onEdited();
  });
  connect(m_zoneCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
    if (m_syncing) return;
    if (index >= 0) {
      m_zoneId = m_zoneCombo->itemData(index).toLongLong();
      // Picking a zone means the user wants the zone's stations.
      if (!m_scopeZone->isChecked()) {
        m_syncing = true;
        m_scopeZone->setChecked(true);
        m_syncing = false;
      }
    }
    onEdited();
  });
  connect(m_seed, &QLineEdit::textEdited, this, [this](const QString& text) {
    bool ok = false;
    const quint64 value = text.toULongLong(&ok);
    if (!ok) return;  // empty or past 2⁶⁴: the last good seed stays, and is put back on focus out
    m_seedValue = value;
    onEdited();
  });
  connect(m_seed, &QLineEdit::editingFinished, this, [this] { m_seed->setText(QString::number(m_seedValue)); });
  connect(m_horizon, &QSpinBox::valueChanged, this, [this] { onEdited(); });
  connect(m_samples, &QSpinBox::valueChanged, this, [this] { onEdited(); });
  connect(m_capacityFactor, &QDoubleSpinBox::valueChanged, this, [this] { onEdited(); });
  return box;
}

QGroupBox* OperationsSettingsWidget::buildSleepGroup() {
  auto* box = new QGroupBox(tr("Sleep scheduling"));
  auto* layout = form(box);
  m_quantile = doubleSpin(0.5, 1.0, 3, 0.05, QString(),
                          tr("Each station's hours are decided on this quantile of the forecast samples (1 = their maximum): "
                             "higher is safer, sleeps less"));
  layout->addRow(tr("Forecast quantile:"), m_quantile);
  m_margin = doubleSpin(0.0, 100.0, 1, 5.0, QStringLiteral(" %"),
                        tr("The decision load is the quantile × (1 + margin): room for what the forecast misses"));
  layout->addRow(tr("Safety margin:"), m_margin);
  m_sleepDistance = doubleSpin(0.0, 20000.0, 0, 50.0, QStringLiteral(" m"),
                               tr("A sleeping station's load may go to awake stations within this distance"));
  layout->addRow(tr("Neighbour distance:"), m_sleepDistance);
  m_headroom = doubleSpin(10.0, 100.0, 1, 5.0, QStringLiteral(" %"),
                          tr("A station absorbing a sleeping neighbour's load is filled to at most this share of its capacity "
                             "(its own load is never capped by it)"));
  layout->addRow(tr("Absorb up to:"), m_headroom);
  m_nightStart = intSpin(0, 23, QStringLiteral(":00"), tr("Static night schedule: first local hour of the night"));
  m_nightEnd = intSpin(0, 23, QStringLiteral(":00"), tr("Static night schedule: the night ends at this local hour (excluded)"));
  m_nightHint = hint();
  auto* night = new QHBoxLayout;
  night->setContentsMargins(0, 0, 0, 0);
  night->addWidget(m_nightStart);
  night->addWidget(new QLabel(QStringLiteral("–")));
  night->addWidget(m_nightEnd);
  night->addWidget(m_nightHint);
  night->addStretch(1);
  layout->addRow(tr("Static night:"), night);
  layout->addRow(
      hint(tr("Decided on the forecast, evaluated on the observed load, compared with always on, the static "
              "night and the oracle.")));
  for (QDoubleSpinBox* spin : {m_quantile, m_margin, m_sleepDistance, m_headroom})
    connect(spin, &QDoubleSpinBox::valueChanged, this, [this] { onEdited(); });
  for (QSpinBox* spin : {m_nightStart, m_nightEnd}) connect(spin, &QSpinBox::valueChanged, this, [this] { onEdited(); });
  return box;
}

QGroupBox* OperationsSettingsWidget::buildEarthGroup() {
  auto* box = new QGroupBox(tr("Power model (EARTH)"));
  auto* outer = new QVBoxLayout(box);
  auto* grid = new QGridLayout;
  grid->setHorizontalSpacing(10);
  grid->setVerticalSpacing(4);
  const QString names[EarthParameterCount] = {QStringLiteral("N<sub>TRX</sub>"), QStringLiteral("P<sub>max</sub>"),
                                              QStringLiteral("P<sub>0</sub>"), QStringLiteral("Δp"), QStringLiteral("P<sub>sleep</sub>")};
  const QString meanings[EarthParameterCount] = {tr("transceivers"), tr("max. transmit power per TRX"),
                                                 tr("load-independent power per TRX"), tr("slope of the load-dependent power"),
                                                 tr("sleep power per TRX")};
  QFont bold = font();
  bold.setBold(true);
  auto* macroHeader = new QLabel(tr("Macro"));
  auto* microHeader = new QLabel(tr("Micro"));
  for (QLabel* h : {macroHeader, microHeader}) {
    h->setFont(bold);
    h->setAlignment(Qt::AlignCenter);
  }
  grid->addWidget(macroHeader, 0, 1);
  grid->addWidget(microHeader, 0, 2);
  for (int p = 0; p < EarthParameterCount; ++p) {
    auto* name = new QLabel(names[p]);
    name->setTextFormat(Qt::RichText);
    name->setToolTip(meanings[p]);
    grid->addWidget(name, p + 1, 0, Qt::AlignRight);
    for (int k = 0; k < 2; ++k) {
      QWidget* editor = nullptr;
      const QString tip = meanings[p];
      switch (p) {
        // Lower bounds at 0 rather than at the smallest usable value: a zero shows validate()'s
        // reason instead of being silently raised by the editor.
        case Transceivers:
          editor = m_transceivers[std::size_t(k)] = intSpin(0, 64, QString(), tip);
          break;
        case MaxTransmitPower:
          editor = m_earthEditors[std::size_t(k)][std::size_t(p)] = doubleSpin(0.0, 1000.0, 1, 1.0, QStringLiteral(" W"), tip);
          break;
        case StaticPower:
          editor = m_earthEditors[std::size_t(k)][std::size_t(p)] = doubleSpin(0.0, 5000.0, 1, 5.0, QStringLiteral(" W"), tip);
          break;
        case LoadSlope:
          editor = m_earthEditors[std::size_t(k)][std::size_t(p)] = doubleSpin(0.0, 100.0, 2, 0.1, QString(), tip);
          break;
        case SleepPower:
          editor = m_earthEditors[std::size_t(k)][std::size_t(p)] = doubleSpin(0.0, 5000.0, 1, 5.0, QStringLiteral(" W"), tip);
          break;
        default:
          break;
      }
      editor->setMinimumWidth(editor->fontMetrics().horizontalAdvance(QStringLiteral("0000.0 W")) + 36);
      grid->addWidget(editor, p + 1, k + 1);
    }
    grid->addWidget(hint(meanings[p]), p + 1, 3);
  }
  for (int k = 0; k < 2; ++k) {
    connect(m_transceivers[std::size_t(k)], &QSpinBox::valueChanged, this, [this] { onEdited(); });
    for (int p = MaxTransmitPower; p < EarthParameterCount; ++p)
      connect(m_earthEditors[std::size_t(k)][std::size_t(p)], &QDoubleSpinBox::valueChanged, this, [this] { onEdited(); });
  }
  // What the numbers mean per station: an engineer checks these against a datasheet, not Δp.
  auto* derivedName = new QLabel(tr("Station draws"));
  derivedName->setToolTip(tr("Input power of the whole station: idle (awake, no load), at full load, asleep"));
  grid->addWidget(derivedName, EarthParameterCount + 1, 0, Qt::AlignRight | Qt::AlignTop);
  for (int k = 0; k < 2; ++k) {
    m_derived[std::size_t(k)] = new QLabel;
    m_derived[std::size_t(k)]->setAlignment(Qt::AlignRight | Qt::AlignTop);
    grid->addWidget(m_derived[std::size_t(k)], EarthParameterCount + 1, k + 1);
  }
  grid->addWidget(hint(tr("idle (ρ = 0)\nfull load (ρ = 1)\nasleep")), EarthParameterCount + 1, 3, Qt::AlignTop);
  grid->setColumnStretch(3, 1);
  outer->addLayout(grid);

  m_earthProblems = problemLabel();
  outer->addWidget(m_earthProblems);

  m_resetEarth = new QPushButton(tr("Reset to EARTH defaults"));
  m_resetEarth->setToolTip(tr("Macro: 6 TRX, 20 W, 130 W, 4.7, 75 W; micro: 2 TRX, 6.3 W, 56 W, 2.6, 39 W"));
  connect(m_resetEarth, &QPushButton::clicked, this, [this] { resetEarthDefaults(); });
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_resetEarth);
  buttons->addStretch(1);
  outer->addLayout(buttons);

  m_earthSource = hint(EarthPowerModel::source());
  m_earthSource->setTextInteractionFlags(Qt::TextSelectableByMouse);
  outer->addWidget(m_earthSource);
  auto* formula =
      hint(tr("P<sub>in</sub> = N<sub>TRX</sub> (P<sub>0</sub> + Δp P<sub>max</sub> ρ) awake at load ρ, "
              "N<sub>TRX</sub> P<sub>sleep</sub> asleep."));
  formula->setTextFormat(Qt::RichText);
  outer->addWidget(formula);
  return box;
}

QGroupBox* OperationsSettingsWidget::buildPaperGroup() {
  auto* box = new QGroupBox(tr("Paper mode (NetSpatial Eq. 19–20)"));
  auto* layout = form(box);
  m_paperWindow = intSpin(2, 168, tr(" h"), tr("Trailing window of the rolling σ of the observed load"));
  layout->addRow(tr("Rolling window:"), m_paperWindow);
  m_paperQuantile = doubleSpin(0.0, 1.0, 2, 0.05, QString(),
                               tr("An hour is volatile when its rolling σ exceeds this quantile of the station's rolling σ"));
  layout->addRow(tr("Volatility quantile:"), m_paperQuantile);
  layout->addRow(
      hint(tr("The generated forecast replaces the observed load in volatile windows; η counts load not "
              "served, not a sleep schedule's saving.")));
  connect(m_paperWindow, &QSpinBox::valueChanged, this, [this] { onEdited(); });
  connect(m_paperQuantile, &QDoubleSpinBox::valueChanged, this, [this] { onEdited(); });
  return box;
}

QGroupBox* OperationsSettingsWidget::buildBalanceGroup() {
  auto* box = new QGroupBox(tr("Load balancing"));
  auto* layout = form(box);
  m_balanceThreshold =
      doubleSpin(10.0, 100.0, 1, 5.0, QStringLiteral(" %"), tr("Stations above this utilisation shed load to neighbours with headroom"));
  layout->addRow(tr("Threshold:"), m_balanceThreshold);
  m_balanceDistance =
      doubleSpin(0.0, 20000.0, 0, 50.0, QStringLiteral(" m"), tr("An overloaded station's load may go to stations within this distance"));
  layout->addRow(tr("Neighbour distance:"), m_balanceDistance);
  connect(m_balanceThreshold, &QDoubleSpinBox::valueChanged, this, [this] { onEdited(); });
  connect(m_balanceDistance, &QDoubleSpinBox::valueChanged, this, [this] { onEdited(); });
  return box;
}

void OperationsSettingsWidget::arrangeGroups(int columns) {
  columns = std::clamp(columns, 1, 2);
  if (columns == m_columns) return;
  m_columns = columns;
  // Each column packs its groups at the top on its own: a grid would stretch a short group to the
  // height of its neighbour in the other column.
  while (QLayoutItem* item = m_grid->takeAt(0)) delete item;  // the old column layouts; the groups stay
  std::vector<std::vector<QGroupBox*>> split;
  if (columns == 1)
    split = {{m_groups.begin(), m_groups.end()}};
  else
    // Left: what is studied and how sleep is decided; right: what it costs, and the other two studies.
    split = {{m_groups[0], m_groups[1]}, {m_groups[2], m_groups[3], m_groups[4]}};
  for (int c = 0; c < 2; ++c) m_grid->setColumnStretch(c, c < columns ? 1 : 0);
  for (int c = 0; c < int(split.size()); ++c) {
    auto* column = new QVBoxLayout;
    column->setSpacing(8);
    for (QGroupBox* g : split[std::size_t(c)]) column->addWidget(g);
    column->addStretch(1);
    m_grid->addLayout(column, 0, c);
  }
}

void OperationsSettingsWidget::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  arrangeGroups(event->size().width() >= kTwoColumnWidth ? 2 : 1);
}

QRadioButton* OperationsSettingsWidget::scopeButton(core::StationScope scope) const {
  switch (scope) {
    case StationScope::All:
      return m_scopeAll;
    case StationScope::Selection:
      return m_scopeSelection;
    case StationScope::Zone:
      return m_scopeZone;
  }
  return nullptr;
}

QWidget* OperationsSettingsWidget::earthEditor(StationKind kind, EarthParameter parameter) const {
  if (parameter < 0 || parameter >= EarthParameterCount) return nullptr;
  if (parameter == Transceivers) return m_transceivers[std::size_t(kind)];
  return m_earthEditors[std::size_t(kind)][std::size_t(parameter)];
}

void OperationsSettingsWidget::setEarth(StationKind kind, const EarthPowerModel& model) {
  const auto k = std::size_t(kind);
  m_transceivers[k]->setValue(model.transceivers);
  m_earthEditors[k][MaxTransmitPower]->setValue(model.maxTransmitPowerW);
  m_earthEditors[k][StaticPower]->setValue(model.staticPowerW);
  m_earthEditors[k][LoadSlope]->setValue(model.loadSlope);
  m_earthEditors[k][SleepPower]->setValue(model.sleepPowerW);
}

EarthPowerModel OperationsSettingsWidget::earth(StationKind kind) const {
  const auto k = std::size_t(kind);
  EarthPowerModel m;
  m.transceivers = m_transceivers[k]->value();
  m.maxTransmitPowerW = m_earthEditors[k][MaxTransmitPower]->value();
  m.staticPowerW = m_earthEditors[k][StaticPower]->value();
  m.loadSlope = m_earthEditors[k][LoadSlope]->value();
  m.sleepPowerW = m_earthEditors[k][SleepPower]->value();
  return m;
}

void OperationsSettingsWidget::setSettings(const core::OperationsSettings& s) {
  m_syncing = true;
  m_base = s;
  m_zoneId = s.zoneId;
  m_seedValue = s.seed;
  scopeButton(s.scope)->setChecked(true);
  m_zoneCombo->setCurrentIndex(zoneIndexOf(s.zoneId));
  m_horizon->setValue(s.horizonWeeks);
  m_samples->setValue(s.forecastSamples);
  m_seed->setText(QString::number(s.seed));
  m_capacityFactor->setValue(s.capacityFromPeakFactor);
  m_quantile->setValue(s.sleep.quantile);
  m_margin->setValue(100.0 * s.sleep.safetyMargin);
  m_sleepDistance->setValue(s.sleep.sleep.neighbourDistance);
  m_headroom->setValue(100.0 * s.sleep.sleep.maxUtilisation);
  m_nightStart->setValue(s.sleep.nightStartHour);
  m_nightEnd->setValue(s.sleep.nightEndHour);
  setEarth(Macro, s.macro);
  setEarth(Micro, s.micro);
  m_paperWindow->setValue(s.paper.windowHours);
  m_paperQuantile->setValue(s.paper.volatilityQuantile);
  m_balanceThreshold->setValue(100.0 * s.balance.threshold);
  m_balanceDistance->setValue(s.balance.neighbourDistance);
  m_syncing = false;
  refresh(false);
}

core::OperationsSettings OperationsSettingsWidget::settings() const {
  core::OperationsSettings s = m_base;
  s.scope = StationScope(std::max(0, m_scopeGroup->checkedId()));
  s.zoneId = m_zoneId;
  s.horizonWeeks = m_horizon->value();
  s.forecastSamples = m_samples->value();
  s.seed = m_seedValue;
  s.capacityFromPeakFactor = m_capacityFactor->value();
  s.sleep.quantile = m_quantile->value();
  s.sleep.safetyMargin = m_margin->value() / 100.0;
  s.sleep.sleep.neighbourDistance = m_sleepDistance->value();
  s.sleep.sleep.maxUtilisation = m_headroom->value() / 100.0;
  s.sleep.nightStartHour = m_nightStart->value();
  s.sleep.nightEndHour = m_nightEnd->value();
  s.macro = earth(Macro);
  s.micro = earth(Micro);
  s.paper.windowHours = m_paperWindow->value();
  s.paper.volatilityQuantile = m_paperQuantile->value();
  s.balance.threshold = m_balanceThreshold->value() / 100.0;
  s.balance.neighbourDistance = m_balanceDistance->value();
  return s;
}

int OperationsSettingsWidget::zoneIndexOf(qint64 zoneId) const {
  for (int i = 0; i < m_zoneCombo->count(); ++i)
    if (m_zoneCombo->itemData(i).toLongLong() == zoneId) return i;
  return -1;
}

void OperationsSettingsWidget::setZones(const QList<QPair<qint64, QString>>& zones) {
  m_syncing = true;
  // One insertion for all rows: the combo's own model is a QStandardItemModel, and itemData() reads
  // UserRole. The model is cleared, not the combo, so that the new rows form column 0 again.
  const auto label = [this](qint64 id, const QString& name) { return name.isEmpty() ? tr("Zone %1").arg(id) : name; };
  if (auto* model = qobject_cast<QStandardItemModel*>(m_zoneCombo->model())) {
    model->clear();
    QList<QStandardItem*> items;
    items.reserve(zones.size());
    for (const auto& [id, name] : zones) {
      auto* item = new QStandardItem(label(id, name));
      item->setData(QVariant::fromValue(id), Qt::UserRole);
      items << item;
    }
    if (!items.isEmpty()) model->appendColumn(items);
  } else {
    m_zoneCombo->clear();
    for (const auto& [id, name] : zones) m_zoneCombo->addItem(label(id, name), QVariant::fromValue(id));
  }
  m_zoneCombo->setCurrentIndex(zoneIndexOf(m_zoneId));
  m_syncing = false;
  refresh(false);
}

void OperationsSettingsWidget::setSelectionCount(int count) {
  m_selectionCount = std::max(0, count);
  refresh(false);
}

void OperationsSettingsWidget::resetEarthDefaults() {
  m_syncing = true;
  setEarth(Macro, EarthPowerModel::macro());
  setEarth(Micro, EarthPowerModel::micro());
  m_syncing = false;
  refresh(true);
}

QStringList OperationsSettingsWidget::scopeProblems() const {
  QStringList out;
  const auto scope = StationScope(m_scopeGroup->checkedId());
  if (scope == StationScope::Selection && m_selectionCount == 0)
    out << tr("No stations are selected: select stations on the map, or study all of them");
  if (scope == StationScope::Zone && m_zoneCombo->currentIndex() < 0)
    out << (m_zoneCombo->count() == 0 ? tr("The project has no zones: study all stations or a selection")
                                      : tr("Pick the zone whose stations are studied"));
  return out;
}

QStringList OperationsSettingsWidget::earthProblems() const {
  QStringList out;
  for (const StationKind kind : {Macro, Micro}) {
    const QString message = earth(kind).validate();
    if (!message.isEmpty()) out << (kind == Macro ? tr("Macro: %1") : tr("Micro: %1")).arg(message);
  }
  return out;
}

QStringList OperationsSettingsWidget::problems() const { return scopeProblems() + earthProblems(); }

void OperationsSettingsWidget::onEdited() {
  if (m_syncing) return;
  refresh(true);
}

void OperationsSettingsWidget::refresh(bool user) {
  // Selection: the count in the label; disabled when nothing is selected unless it is the current
  // choice (a checked, disabled radio button could not be left by clicking it, only by another).
  m_scopeSelection->setText(tr("Selected stations (%1)").arg(m_selectionCount));
  m_scopeSelection->setEnabled(m_selectionCount > 0 || m_scopeSelection->isChecked());
  m_scopeZone->setEnabled(m_zoneCombo->count() > 0 || m_scopeZone->isChecked());
  m_zoneCombo->setEnabled(m_zoneCombo->count() > 0);

  m_horizon->setSuffix(m_horizon->value() == 1 ? tr(" week") : tr(" weeks"));

  const int start = m_nightStart->value(), end = m_nightEnd->value();
  if (start == end)
    m_nightHint->setText(tr("empty: the static schedule never sleeps"));
  else if (start > end)
    m_nightHint->setText(tr("local time, across midnight (%1 h)").arg(24 - start + end));
  else
    m_nightHint->setText(tr("local time (%1 h)").arg(end - start));

  for (const StationKind kind : {Macro, Micro}) {
    const EarthPowerModel m = earth(kind);
    m_derived[std::size_t(kind)]->setText(
        m.validate().isEmpty() ? QStringList{watts(m.awakeW(0.0)), watts(m.fullLoadW()), watts(m.sleepW())}.join(QLatin1Char('\n'))
                               : QStringLiteral("—\n—\n—"));
  }

  const QStringList earth = earthProblems(), scope = scopeProblems();
  m_earthProblems->setText(earth.join(QLatin1Char('\n')));
  m_earthProblems->setVisible(!earth.isEmpty());
  m_scopeProblems->setText(scope.join(QLatin1Char('\n')));
  m_scopeProblems->setVisible(!scope.isEmpty());

  const bool valid = earth.isEmpty() && scope.isEmpty();
  if (user) Q_EMIT settingsChanged();
  if (valid != m_lastValid) {
    m_lastValid = valid;
    Q_EMIT validityChanged(valid);
  }
}

}  // namespace netspatial::ui
