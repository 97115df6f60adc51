#include "ui/zones/zonecomparisonview.h"

#include "core/traffic/decomposition.h"
#include "ui/inspector/plotexport.h"
#include "ui/inspector/plotlayout.h"
#include "ui/util/numberformat.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImageWriter>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/inspector/customplot.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace netspatial::ui {

namespace {

using core::Error;
using core::ErrorCode;
using core::ProfileNormalisation;
using core::ZoneTrafficSource;

const char* const kDayNames[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr double kMetresPerInch = 0.0254;

// A qualitative palette (Tableau 10): neighbours differ in hue and lightness, so up to ten zones stay
// apart on one plot, and the first few also for the common colour-vision deficiencies.
const QColor kPalette[] = {QColor(31, 119, 180), QColor(255, 127, 14),  QColor(44, 160, 44),   QColor(214, 39, 40),  QColor(148, 103, 189),
                           QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34), QColor(23, 190, 207)};

// Day names centred on each day, a line at each midnight (the sub-grid) between them: the same
// weekly axis as the site inspector's.
void setupWeekAxis(QCPAxis* axis, const QFont& font) {
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (int d = 0; d < 7; ++d) ticker->addTick(12.0 + 24.0 * d, QString::fromLatin1(kDayNames[d]));
  ticker->setSubTickCount(1);
  axis->setTicker(ticker);
  axis->setTickLabelFont(font);
  axis->setTickLength(0, 0);
  axis->setSubTickLength(0, 5);
  axis->grid()->setPen(Qt::NoPen);
  axis->grid()->setSubGridVisible(true);
  axis->grid()->setSubGridPen(QPen(QColor(200, 200, 200), 1));
  axis->setRange(0, core::kHoursPerWeek);
}

void setupFrame(QCustomPlot* plot) {
  plot->axisRect()->setupFullAxesBox(false);  // a frame, but ticks and labels only left and bottom
  plot->xAxis2->setTicks(false);
  plot->yAxis2->setTicks(false);
  plot->setNoAntialiasingOnDrag(true);
}

const core::ZoneProfile* profileOf(const core::ZoneComparisonEntry& entry, ZoneTrafficSource source) {
  const auto& p = source == ZoneTrafficSource::Observed ? entry.observed : entry.generated;
  return p ? &*p : nullptr;
}

QString hourText(int hour) { return hour < 0 ? QStringLiteral("—") : QStringLiteral("%1:00").arg(hour, 2, 10, QLatin1Char('0')); }

// Sorted by the number in Qt::UserRole (undefined values last), not by the formatted text.
class NumericItem : public QTableWidgetItem {
 public:
  NumericItem(const QString& text, double value) : QTableWidgetItem(text) {
    setData(Qt::UserRole, value);
    setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  }
  bool operator<(const QTableWidgetItem& other) const override {
    const double a = data(Qt::UserRole).toDouble();
    const double b = other.data(Qt::UserRole).toDouble();
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
    return a < b;
  }
};

// The line a curve is drawn with, as a table icon: the table then doubles as the legend.
QIcon curveIcon(const QColor& colour, bool dashed) {
  QPixmap pixmap(28, 12);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  painter.setRenderHint(QPainter::Antialiasing);
  QPen pen(colour, 2.5, dashed ? Qt::DashLine : Qt::SolidLine);
  pen.setCapStyle(Qt::FlatCap);
  painter.setPen(pen);
  painter.drawLine(QPointF(1, 6), QPointF(27, 6));
  return QIcon(pixmap);
}

core::Status checkImageSize(const QString& path, int width, int height, double dpi) {
  if (width <= 0 || height <= 0 || width > PlotExport::kMaxPixels || height > PlotExport::kMaxPixels)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("the image size %1 × %2 px is not within 1–%3 px").arg(width).arg(height).arg(PlotExport::kMaxPixels))
        .withFile(path);
  if (!std::isfinite(dpi) || dpi < 10.0 || dpi > 2400.0)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("a resolution of %1 DPI is not within 10–2400").arg(dpi)).withFile(path);
  const QFileInfo info(path);
  if (!info.absoluteDir().exists())
    return Error(ErrorCode::Io, QStringLiteral("cannot write the file: the folder %1 does not exist")
                                    .arg(QDir::toNativeSeparators(info.absoluteDir().absolutePath())))
        .withFile(path);
  return {};
}

}  // namespace

ZoneComparisonView::ZoneComparisonView(QWidget* parent) : QWidget(parent) {
  m_normalisationCombo = new QComboBox;
  m_normalisationCombo->addItem(tr("None (traffic unit)"), int(ProfileNormalisation::None));
  m_normalisationCombo->addItem(tr("Relative to zone mean"), int(ProfileNormalisation::ZoneMean));
  m_normalisationCombo->addItem(tr("z-score per zone"), int(ProfileNormalisation::ZScore));
  m_normalisationCombo->addItem(tr("Per site, then averaged"), int(ProfileNormalisation::PerSite));
  m_normalisationCombo->setItemData(0, tr("Each zone's mean profile in the traffic unit: busy zones dwarf quiet ones"), Qt::ToolTipRole);
  m_normalisationCombo->setItemData(1, tr("Each zone's profile divided by its own mean: compares shapes"), Qt::ToolTipRole);
  m_normalisationCombo->setItemData(2, tr("Each zone's profile minus its mean, divided by its σ over the week"), Qt::ToolTipRole);
  m_normalisationCombo->setItemData(
      3, tr("Each site's profile divided by the site's own mean before averaging, so that big sites do not dominate"), Qt::ToolTipRole);
  m_sourceCombo = new QComboBox;
  m_sourceCombo->addItem(tr("Observed"), int(ZoneTrafficSource::Observed));
  m_sourceCombo->addItem(tr("Generated"), int(ZoneTrafficSource::Generated));
  m_sourceCombo->addItem(tr("Observed and generated"), int(ZoneTrafficSource::Both));
  connect(m_normalisationCombo, &QComboBox::currentIndexChanged, this, [this] { onComboChanged(); });
  connect(m_sourceCombo, &QComboBox::currentIndexChanged, this, [this] { onComboChanged(); });

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Traffic:")));
  controls->addWidget(m_sourceCombo);
  controls->addSpacing(12);
  controls->addWidget(new QLabel(tr("Normalisation:")));
  controls->addWidget(m_normalisationCombo);
  controls->addStretch(1);

  m_empty = new QLabel(tr("Pick zones on the map, a zone class, or draw an area to compare their weekly traffic"));
  m_empty->setAlignment(Qt::AlignCenter);
  m_empty->setWordWrap(true);
  m_empty->setStyleSheet(QStringLiteral("color: #666; font-size: 13pt;"));

  m_warnings = new QLabel;
  m_warnings->setWordWrap(true);
  m_warnings->setStyleSheet(QStringLiteral("color: #8a5300;"));
  m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_warnings->hide();

  m_header = new QLabel;
  m_header->setWordWrap(true);
  m_header->setStyleSheet(QStringLiteral("color: #444;"));
  m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_calibration = new QLabel;
  m_calibration->setWordWrap(true);
  m_calibration->setStyleSheet(
      QStringLiteral("color: #8a1c00; background: #fff1e6; border: 1px solid #e8b48f; border-radius: 3px; padding: 3px 6px;"));
  m_calibration->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_calibration->hide();

  // Overlay: the legend in a column right of the axis rect, held at the top by a spacer below it;
  // inside the axis rect it would hide the peaks it explains.
  m_overlay = new QCustomPlot;
  m_overlay->setMinimumSize(360, 240);
  setupFrame(m_overlay);
  setupWeekAxis(m_overlay->xAxis, m_overlay->xAxis->tickLabelFont());
  m_overlay->plotLayout()->insertRow(0);
  QFont titleFont = m_overlay->font();
  titleFont.setBold(true);
  m_overlayTitle = new QCPTextElement(m_overlay, QString(), titleFont);
  m_overlay->plotLayout()->addElement(0, 0, m_overlayTitle);
  m_overlay->plotLayout()->setRowStretchFactor(0, 0.001);
  legendOnTheRight(m_overlay, 1, 4);
  m_overlay->legend->setVisible(false);

  m_grid = new QWidget;
  m_gridLayout = new QGridLayout(m_grid);
  m_gridLayout->setContentsMargins(4, 4, 4, 4);
  m_gridLayout->setSpacing(6);
  auto* gridScroll = new QScrollArea;
  gridScroll->setWidget(m_grid);
  gridScroll->setWidgetResizable(true);
  gridScroll->setFrameShape(QFrame::NoFrame);

  m_tabs = new QTabWidget;
  m_tabs->setDocumentMode(true);
  m_tabs->addTab(m_overlay, tr("Overlay"));
  m_tabs->addTab(gridScroll, tr("Small multiples"));

  m_table = new QTableWidget(0, ColumnCount);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->verticalHeader()->hide();
  m_table->setAlternatingRowColors(true);
  m_table->setWordWrap(false);
  // Numbers take what they need; the zone names take the rest.
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_table->horizontalHeader()->setSectionResizeMode(ColZone, QHeaderView::Stretch);
  // The comparison's order (the order the zones were picked in) until the user sorts by a column.
  m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
  m_table->setSortingEnabled(true);
  m_table->setColumnHidden(ColSource, true);

  auto* plots = new QWidget;
  auto* plotsLayout = new QVBoxLayout(plots);
  plotsLayout->setContentsMargins(0, 0, 0, 0);
  plotsLayout->addWidget(m_header);
  plotsLayout->addWidget(m_calibration);
  plotsLayout->addWidget(m_warnings);
  plotsLayout->addWidget(m_tabs, 1);
  m_splitter = new QSplitter(Qt::Vertical);
  m_splitter->addWidget(plots);
  m_splitter->addWidget(m_table);
  m_splitter->setStretchFactor(0, 3);
  m_splitter->setStretchFactor(1, 1);
  m_splitter->setChildrenCollapsible(false);
  // Only the user's drags emit splitterMoved: from then on the table keeps the height they chose.
  connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_userSizedSplitter = true; });

  m_stack = new QStackedWidget;
  m_stack->addWidget(m_empty);
  m_stack->addWidget(m_splitter);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addLayout(controls);
  layout->addWidget(m_stack, 1);

  rebuild();
}

ZoneComparisonView::~ZoneComparisonView() = default;

void ZoneComparisonView::setComparison(const core::ZoneComparison& comparison) {
  m_comparison = comparison;
  setOptions(comparison.normalisation, comparison.source);
  rebuild();
}

void ZoneComparisonView::clear() {
  m_comparison.zones.clear();
  m_comparison.warnings.clear();
  m_comparison.calibration.reset();
  rebuild();
}

bool ZoneComparisonView::showsEmptyState() const { return m_stack->currentWidget() == m_empty; }

core::ProfileNormalisation ZoneComparisonView::normalisation() const {
  return ProfileNormalisation(m_normalisationCombo->currentData().toInt());
}

core::ZoneTrafficSource ZoneComparisonView::source() const { return ZoneTrafficSource(m_sourceCombo->currentData().toInt()); }

void ZoneComparisonView::setOptions(core::ProfileNormalisation normalisation, core::ZoneTrafficSource source) {
  m_syncing = true;
  m_normalisationCombo->setCurrentIndex(std::max(0, m_normalisationCombo->findData(int(normalisation))));
  m_sourceCombo->setCurrentIndex(std::max(0, m_sourceCombo->findData(int(source))));
  m_syncing = false;
}

void ZoneComparisonView::setSourcesAvailable(bool observed, bool generated) {
  auto* model = qobject_cast<QStandardItemModel*>(m_sourceCombo->model());
  if (!model) return;
  const bool enabled[3] = {observed, generated, observed && generated};
  for (int i = 0; i < m_sourceCombo->count(); ++i) {
    const int which = m_sourceCombo->itemData(i).toInt();
    if (QStandardItem* item = model->item(i)) item->setEnabled(enabled[which]);
  }
}

void ZoneComparisonView::onComboChanged() {
  if (m_syncing) return;
  Q_EMIT optionsChanged(normalisation(), source());
}

QCPGraph* ZoneComparisonView::overlayGraph(int zoneIndex, core::ZoneTrafficSource source) const {
  const auto it = m_overlayGraphs.find({zoneIndex, source});
  return it == m_overlayGraphs.end() ? nullptr : it->second;
}

QColor ZoneComparisonView::zoneColour(int index) {
  constexpr int n = int(std::size(kPalette));
  return kPalette[((index % n) + n) % n];
}

QString ZoneComparisonView::valueAxisLabel(core::ProfileNormalisation normalisation, const QString& unit) {
  switch (normalisation) {
    case ProfileNormalisation::None:
      return unit.isEmpty() ? tr("Mean traffic (unit not given)") : tr("Mean traffic (%1)").arg(unit);
    case ProfileNormalisation::ZoneMean:
      return tr("Relative to zone mean (1 = mean)");
    case ProfileNormalisation::ZScore:
      return tr("z-score (σ from zone mean)");
    case ProfileNormalisation::PerSite:
      return tr("Relative to site mean, site-averaged");
  }
  return {};
}

std::pair<int, int> ZoneComparisonView::gridShape(int zones) {
  if (zones <= 0) return {0, 0};
  // Wider than tall (a week reads left to right), never more than four across.
  const int columns = zones <= 3 ? zones : zones == 4 ? 2 : zones <= 9 ? 3 : 4;
  return {columns, (zones + columns - 1) / columns};
}

QString ZoneComparisonView::title() const {
  QString what;
  switch (m_comparison.source) {
    case ZoneTrafficSource::Observed:
      what = tr("observed traffic");
      break;
    case ZoneTrafficSource::Generated:
      what = tr("generated traffic");
      break;
    case ZoneTrafficSource::Both:
      what = tr("observed (solid) and generated (dashed) traffic");
      break;
  }
  QString how;
  switch (m_comparison.normalisation) {
    case ProfileNormalisation::None:
      break;
    case ProfileNormalisation::ZoneMean:
      how = tr(", each zone relative to its mean");
      break;
    case ProfileNormalisation::ZScore:
      how = tr(", z-score per zone");
      break;
    case ProfileNormalisation::PerSite:
      how = tr(", each site relative to its mean");
      break;
  }
  if (generatedOnRightAxis()) how += tr(", generated on the right axis");
  return tr("Mean weekly profile, %1%2").arg(what, how);
}

void ZoneComparisonView::rebuild() {
  m_stack->setCurrentWidget(hasData() ? m_stack->widget(1) : m_empty);
  m_warnings->setText(m_comparison.warnings.join(QLatin1Char('\n')));
  m_warnings->setVisible(hasData() && !m_comparison.warnings.isEmpty());

  // Which sites, which units, which generator: generated and observed meet here (issue 19 item 4).
  const bool showsGenerated = m_comparison.source != ZoneTrafficSource::Observed;
  QStringList units;
  if (m_comparison.source != ZoneTrafficSource::Generated)
    units << tr("observed in %1").arg(m_comparison.unit.isEmpty() ? tr("no stated unit") : m_comparison.unit);
  if (showsGenerated)
    units << (m_comparison.generatedBy.isEmpty() ? tr("generated in %1").arg(generatedUnit())
                                                 : tr("generated in %1 by %2").arg(generatedUnit(), m_comparison.generatedBy));
  m_header->setText(hasData() ? tr("Comparing %1. Units: %2.").arg(m_comparison.siteSets, units.join(QStringLiteral("; "))) : QString());
  m_header->setVisible(hasData());
  const bool warn = hasData() && showsGenerated && m_comparison.calibration && !m_comparison.calibration->matches();
  m_calibration->setText(warn ? tr("⚠ Not calibrated (%1): %2")
                                    .arg(core::calibrationVerdictName(m_comparison.calibration->verdict), m_comparison.calibration->message)
                              : QString());
  m_calibration->setVisible(warn);
  plotOverlay();
  plotMultiples();
  fillTable();
  fitTableHeight();
}

void ZoneComparisonView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fitTableHeight();
}

void ZoneComparisonView::fitTableHeight() {
  if (m_userSizedSplitter || !hasData()) return;
  // The splitter is laid out after this widget's resize; its share of the height is what is left
  // under the controls.
  const int total = std::max(m_splitter->height(), height() - m_stack->y());
  if (total <= 0) return;
  const QHeaderView* header = m_table->horizontalHeader();
  // A couple of pixels over the sum: a table exactly its rows' height still shows a scroll bar.
  int want = std::max(header->height(), header->sizeHint().height()) + 2 * m_table->frameWidth() + 2;
  for (int r = 0; r < m_table->rowCount(); ++r) want += m_table->rowHeight(r);
  want = std::clamp(want, 60, std::max(60, int(total * 0.4)));
  m_splitter->setSizes({std::max(1, total - want - m_splitter->handleWidth()), want});
}

std::pair<QCPGraph*, QCPGraph*> ZoneComparisonView::addZoneCurves(QCustomPlot* plot, int zoneIndex, bool named) {
  const core::ZoneComparisonEntry& entry = m_comparison.zones[std::size_t(zoneIndex)];
  const bool both = entry.observed && entry.generated;
  const QColor colour = zoneColour(zoneIndex);
  QCPGraph* out[2] = {nullptr, nullptr};
  const ZoneTrafficSource sources[2] = {ZoneTrafficSource::Observed, ZoneTrafficSource::Generated};
  for (int s = 0; s < 2; ++s) {
    const core::ZoneProfile* profile = profileOf(entry, sources[s]);
    if (!profile) continue;
    QVector<double> keys, values;
    for (std::size_t h = 0; h < profile->weekly.size(); ++h) {
      // Each value is the mean of its hour, drawn at the middle of the hour.
      keys << double(h) + 0.5;
      values << double(profile->weekly[h]);  // NaN stays NaN: a gap
    }
    const bool right = sources[s] == ZoneTrafficSource::Generated && generatedOnRightAxis();
    QCPGraph* g = plot->addGraph(plot->xAxis, right ? plot->yAxis2 : plot->yAxis);
    g->setData(keys, values, true);
    g->setAntialiased(true);
    // Observed solid, generated dashed only when both are shown: alone, a dashed line reads as "less sure".
    const bool dashed = sources[s] == ZoneTrafficSource::Generated && m_comparison.source == ZoneTrafficSource::Both;
    QPen pen(colour, named ? 1.8 : 1.4, dashed ? Qt::DashLine : Qt::SolidLine);
    pen.setCapStyle(Qt::FlatCap);
    g->setPen(pen);
    if (named) {
      g->setName(both || m_comparison.source == ZoneTrafficSource::Both
                     ? tr("%1, %2").arg(entry.label, core::zoneTrafficSourceName(sources[s]))
                     : entry.label);
    } else {
      g->removeFromLegend();
    }
    out[s] = g;
  }
  return {out[0], out[1]};
}

bool ZoneComparisonView::generatedOnRightAxis() const {
  return !m_comparison.generatedUnit.isEmpty() && m_comparison.normalisation == ProfileNormalisation::None &&
         m_comparison.source == ZoneTrafficSource::Both;
}

QString ZoneComparisonView::generatedUnit() const {
  return m_comparison.generatedUnit.isEmpty() ? m_comparison.unit : m_comparison.generatedUnit;
}

void ZoneComparisonView::setupValueAxes(QCustomPlot* plot, bool labels) const {
  const bool split = generatedOnRightAxis();
  if (split) {
    // Two units on one axis would draw the generated profiles 4–7× the observed ones (Milan): each
    // source gets its own axis, so the shapes compare and the units are said.
    const auto [lo, hi] = valueRange(ZoneTrafficSource::Observed);
    plot->yAxis->setRange(lo, hi);
    const auto [glo, ghi] = valueRange(ZoneTrafficSource::Generated);
    plot->yAxis2->setRange(glo, ghi);
  } else {
    const auto [lo, hi] = valueRange();
    plot->yAxis->setRange(lo, hi);
  }
  plot->yAxis2->setTicks(split);
  plot->yAxis2->setTickLabels(split);
  plot->yAxis2->setTickLabelFont(plot->yAxis->tickLabelFont());
  plot->yAxis2->setLabelFont(plot->yAxis->labelFont());
  const QString unit = m_comparison.source == ZoneTrafficSource::Generated ? generatedUnit() : m_comparison.unit;
  if (!labels) {
    plot->yAxis->setLabel({});
    plot->yAxis2->setLabel({});
  } else if (split) {
    plot->yAxis->setLabel(tr("Observed mean traffic (%1)").arg(m_comparison.unit));
    plot->yAxis2->setLabel(tr("Generated mean traffic (%1)").arg(generatedUnit()));
  } else {
    plot->yAxis->setLabel(valueAxisLabel(m_comparison.normalisation, unit));
    plot->yAxis2->setLabel({});
  }
}

std::pair<double, double> ZoneComparisonView::valueRange(std::optional<core::ZoneTrafficSource> only) const {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const core::ZoneComparisonEntry& entry : m_comparison.zones)
    for (const ZoneTrafficSource source : {ZoneTrafficSource::Observed, ZoneTrafficSource::Generated})
      if (const core::ZoneProfile* p = profileOf(entry, source); p && (!only || *only == source))
        for (float v : p->weekly)
          if (std::isfinite(v)) {
            lo = std::min(lo, double(v));
            hi = std::max(hi, double(v));
          }
  if (!(hi >= lo)) return {0.0, 1.0};
  // Traffic and its ratios are volumes: those axes start at zero so a flat zone does not look wild.
  // z-scores are centred on zero and take their own span.
  if (m_comparison.normalisation != ProfileNormalisation::ZScore) lo = std::min(lo, 0.0);
  if (!(hi > lo)) hi = lo + 1.0;
  const double pad = 0.06 * (hi - lo);
  return {m_comparison.normalisation == ProfileNormalisation::ZScore ? lo - pad : lo, hi + pad};
}

void ZoneComparisonView::plotOverlay() {
  m_overlay->clearGraphs();
  m_overlayGraphs.clear();
  const QString tz = m_comparison.timeZone.isEmpty() ? QStringLiteral("UTC") : m_comparison.timeZone;
  m_overlay->xAxis->setLabel(tr("Day of week (local time, %1)").arg(tz));
  m_overlayTitle->setText(hasData() ? title() : QString());
  for (int i = 0; i < int(m_comparison.zones.size()); ++i) {
    const auto [observed, generated] = addZoneCurves(m_overlay, i, true);
    if (observed) m_overlayGraphs[{i, ZoneTrafficSource::Observed}] = observed;
    if (generated) m_overlayGraphs[{i, ZoneTrafficSource::Generated}] = generated;
  }
  setupValueAxes(m_overlay, true);
  m_overlay->legend->setVisible(m_overlay->graphCount() > 0);
  m_overlay->replot();
}

void ZoneComparisonView::plotMultiples() {
  for (QCustomPlot* p : m_multiples) {
    m_gridLayout->removeWidget(p);
    delete p;
  }
  m_multiples.clear();
  for (int c = 0; c < m_gridLayout->columnCount(); ++c) m_gridLayout->setColumnStretch(c, 0);
  for (int r = 0; r < m_gridLayout->rowCount(); ++r) m_gridLayout->setRowStretch(r, 0);
  const int n = int(m_comparison.zones.size());
  if (n == 0) return;

  const auto [columns, rows] = gridShape(n);
  QFont tickFont = font();
  tickFont.setPointSizeF(std::max(6.0, tickFont.pointSizeF() * 0.85));
  QFont titleFont = font();
  titleFont.setBold(true);
  for (int i = 0; i < n; ++i) {
    auto* plot = new QCustomPlot(m_grid);
    plot->setMinimumSize(240, 170);
    setupFrame(plot);
    setupWeekAxis(plot->xAxis, tickFont);
    plot->yAxis->setTickLabelFont(tickFont);
    plot->yAxis->setLabelFont(tickFont);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->setRowStretchFactor(0, 0.001);
    auto* title = new QCPTextElement(plot, m_comparison.zones[std::size_t(i)].label, titleFont);
    title->setTextColor(zoneColour(i).darker(130));
    title->setMargins(QMargins(0, 4, 0, 0));
    plot->plotLayout()->addElement(0, 0, title);
    addZoneCurves(plot, i, false);
    // One value label per row, on the left column: the axes are shared, repeating it is noise.
    setupValueAxes(plot, i % columns == 0);
    plot->legend->setVisible(false);
    m_gridLayout->addWidget(plot, i / columns, i % columns);
    m_multiples.push_back(plot);
    plot->replot();
  }
  for (int c = 0; c < columns; ++c) m_gridLayout->setColumnStretch(c, 1);
  for (int r = 0; r < rows; ++r) m_gridLayout->setRowStretch(r, 1);
}

void ZoneComparisonView::fillTable() {
  m_table->setSortingEnabled(false);  // rows would move while they are filled
  m_table->clearContents();
  m_table->setRowCount(0);
  // Generated traffic in its own unit (a generator trained elsewhere): the columns say both.
  QString unit = m_comparison.source == ZoneTrafficSource::Generated ? generatedUnit() : m_comparison.unit;
  if (unit.isEmpty()) unit = tr("unit not given");
  // Two units: each row says its own in the Traffic column, the headers point there.
  const bool twoUnits = m_comparison.source == ZoneTrafficSource::Both && !m_comparison.generatedUnit.isEmpty();
  if (twoUnits) unit = tr("row's unit");
  const QString headers[ColumnCount] = {tr("Zone"),
                                        tr("Traffic"),
                                        tr("Sites"),
                                        tr("Peak hour"),
                                        tr("Weekday ÷ weekend"),
                                        tr("Mean (%1)").arg(unit),
                                        tr("σ over week (%1)").arg(unit),
                                        tr("σ across sites (%1)").arg(unit)};
  const QString tips[ColumnCount] = {tr("The zone, zone class or drawn area; the line is its curve on the plots"),
                                     tr("Observed or generated traffic"),
                                     tr("Stations, traffic sites and candidates inside with traffic of this kind"),
                                     tr("Hour of the weekday peak, local time (the weekend peak is in the cell's tooltip)"),
                                     tr("Mean weekday hour divided by mean weekend hour"),
                                     tr("Mean hourly traffic of the zone's mean weekly profile"),
                                     tr("Temporal σ: standard deviation over the 168 hours of the zone's mean weekly profile"),
                                     tr("Spatial σ: standard deviation across the zone's sites of each site's mean")};
  for (int c = 0; c < ColumnCount; ++c) {
    auto* header = new QTableWidgetItem(headers[c]);
    header->setToolTip(tips[c]);
    m_table->setHorizontalHeaderItem(c, header);
  }
  m_table->setColumnHidden(ColSource, m_comparison.source != ZoneTrafficSource::Both);

  for (int i = 0; i < int(m_comparison.zones.size()); ++i) {
    const core::ZoneComparisonEntry& entry = m_comparison.zones[std::size_t(i)];
    for (const ZoneTrafficSource source : {ZoneTrafficSource::Observed, ZoneTrafficSource::Generated}) {
      const core::ZoneProfile* p = profileOf(entry, source);
      if (!p) continue;
      const core::ZoneProfileStats& st = p->stats;
      const int row = m_table->rowCount();
      m_table->insertRow(row);
      auto* zone = new QTableWidgetItem(entry.label);
      const bool dashed = source == ZoneTrafficSource::Generated && m_comparison.source == ZoneTrafficSource::Both;
      zone->setIcon(curveIcon(zoneColour(i), dashed));
      zone->setData(Qt::UserRole, i);
      zone->setData(Qt::UserRole + 1, int(source));
      zone->setToolTip(entry.polygonCount > 1 ? tr("%1 (%2 zones)").arg(entry.label).arg(entry.polygonCount) : entry.label);
      m_table->setItem(row, ColZone, zone);
      m_table->setItem(row, ColSource,
                       new QTableWidgetItem(twoUnits ? tr("%1 (%2)").arg(core::zoneTrafficSourceName(source),
                                                                         source == ZoneTrafficSource::Observed ? m_comparison.unit
                                                                                                               : m_comparison.generatedUnit)
                                                     : core::zoneTrafficSourceName(source)));
      m_table->setItem(row, ColSites, new NumericItem(QLocale().toString(st.siteCount), st.siteCount));
      auto* peak = new NumericItem(hourText(st.peakHourWeekday), st.peakHourWeekday < 0 ? std::nan("") : st.peakHourWeekday);
      peak->setToolTip(tr("Weekdays %1, weekends %2 (local time)").arg(hourText(st.peakHourWeekday), hourText(st.peakHourWeekend)));
      m_table->setItem(row, ColPeakHour, peak);
      m_table->setItem(
          row, ColRatio,
          new NumericItem(std::isfinite(st.weekdayWeekendRatio) ? QLocale().toString(st.weekdayWeekendRatio, 'f', 2) : QStringLiteral("—"),
                          st.weekdayWeekendRatio));
      m_table->setItem(row, ColMean, new NumericItem(formatSignificant(st.mean), st.mean));
      auto* temporal = new NumericItem(formatSignificant(st.temporalSigma), st.temporalSigma);
      if (std::isfinite(st.variationCoefficient))
        temporal->setToolTip(tr("%1 % of the mean").arg(QLocale().toString(100.0 * st.variationCoefficient, 'f', 0)));
      m_table->setItem(row, ColTemporalSigma, temporal);
      m_table->setItem(row, ColSiteSigma, new NumericItem(formatSignificant(st.siteSigma), st.siteSigma));
    }
  }
  m_table->setSortingEnabled(true);  // back in the user's sort, if any
}

core::Status ZoneComparisonView::checkExportable(const QString& path) const {
  if (!hasData()) return Error(ErrorCode::InvalidArgument, QStringLiteral("nothing to export: no zones are compared")).withFile(path);
  return {};
}

QImage ZoneComparisonView::renderOverlay(QSize pixels, double dpi) const {
  if (!hasData()) return {};
  return PlotExport::render(*m_overlay, pixels, dpi);
}

QImage ZoneComparisonView::renderSmallMultiples(QSize pixels, double dpi) const {
  if (!hasData() || m_multiples.empty()) return {};
  if (!checkImageSize({}, pixels.width(), pixels.height(), dpi).ok()) return {};
  const auto [columns, rows] = gridShape(int(m_multiples.size()));
  QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  {
    QPainter painter(&image);
    for (int i = 0; i < int(m_multiples.size()); ++i) {
      const int c = i % columns, r = i / columns;
      // Integer cell edges that add up to the exact size, whatever it is.
      const int x0 = c * pixels.width() / columns, x1 = (c + 1) * pixels.width() / columns;
      const int y0 = r * pixels.height() / rows, y1 = (r + 1) * pixels.height() / rows;
      const QImage cell = PlotExport::render(*m_multiples[std::size_t(i)], QSize(x1 - x0, y1 - y0), dpi);
      if (!cell.isNull()) painter.drawImage(QPoint(x0, y0), cell);
    }
  }
  const int dotsPerMetre = int(std::lround(dpi / kMetresPerInch));
  image.setDotsPerMeterX(dotsPerMetre);
  image.setDotsPerMeterY(dotsPerMetre);
  return image;
}

core::Status ZoneComparisonView::saveOverlayPng(const QString& path, int widthPx, int heightPx, double dpi) const {
  if (auto ok = checkExportable(path); !ok) return ok;
  return PlotExport::savePng(*m_overlay, path, QSize(widthPx, heightPx), dpi);
}

core::Status ZoneComparisonView::saveSmallMultiplesPng(const QString& path, int widthPx, int heightPx, double dpi) const {
  if (auto ok = checkExportable(path); !ok) return ok;
  if (auto ok = checkImageSize(path, widthPx, heightPx, dpi); !ok) return ok;
  if (QFileInfo(path).isDir()) return Error(ErrorCode::Io, QStringLiteral("cannot write the file: it is a folder")).withFile(path);
  const QImage image = renderSmallMultiples(QSize(widthPx, heightPx), dpi);
  if (image.isNull()) return Error(ErrorCode::Internal, QStringLiteral("the small multiples could not be rendered")).withFile(path);
  QImageWriter writer(path, "png");
  if (!writer.write(image))
    return Error(ErrorCode::Io, QStringLiteral("cannot write the PNG file: %1").arg(writer.errorString())).withFile(path);
  return {};
}

}  // namespace netspatial::ui
