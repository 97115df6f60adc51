#include "ui/planning/rankingview.h"

#include "ui/planning/rankingmodel.h"
#include "ui/planning/utilityformat.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace netspatial::ui {

RankingView::RankingView(QWidget* parent)
    : QWidget(parent),
      m_model(new RankingTableModel(this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_table(new QTableView(this)),
      m_utility(new QComboBox(this)),
      m_topK(new QSpinBox(this)),
      m_minSpacing(new QDoubleSpinBox(this)),
      m_minDemand(new QDoubleSpinBox(this)),
      m_summary(new QLabel(this)),
      m_rationale(new QTextBrowser(this)) {
  // --- options --------------------------------------------------------------------------------
  for (int i = 0; i < core::kUtilityCount; ++i) {
    const auto u = core::Utility(i);
    m_utility->addItem(core::utilityLabel(u), i);
    m_utility->setItemData(i, utilityShortName(u), Qt::ToolTipRole);
  }
  m_utility->setObjectName(QStringLiteral("utilityCombo"));
  m_utility->setToolTip(tr("The utility the sites are ranked by"));
  m_topK->setRange(1, 100000);
  m_topK->setObjectName(QStringLiteral("topKSpin"));
  m_topK->setToolTip(tr("How many sites to select (NetSpatial Eq. 7)"));
  m_minSpacing->setRange(0.0, 100000.0);
  m_minSpacing->setDecimals(0);
  m_minSpacing->setSingleStep(50.0);
  m_minSpacing->setSuffix(tr(" m"));
  m_minSpacing->setSpecialValueText(tr("none"));
  m_minSpacing->setObjectName(QStringLiteral("minSpacingSpin"));
  m_minSpacing->setToolTip(tr("Minimum distance between two selected sites; a better site too close to a pick is passed over"));
  m_minDemand->setRange(0.0, 1e12);
  m_minDemand->setDecimals(2);
  m_minDemand->setSingleStep(1.0);
  m_minDemand->setSpecialValueText(tr("none"));
  m_minDemand->setObjectName(QStringLiteral("minDemandSpin"));
  m_minDemand->setToolTip(tr("Sites whose mean demand is below this are not ranked (LSI alone prefers empty fields)"));
  // Typing "300" must not re-rank at 3 and 30 on the way: options go out when editing is done
  // (or on the arrows), each one a full re-rank for the owner.
  for (QAbstractSpinBox* box :
       {static_cast<QAbstractSpinBox*>(m_topK), static_cast<QAbstractSpinBox*>(m_minSpacing), static_cast<QAbstractSpinBox*>(m_minDemand)})
    box->setKeyboardTracking(false);
  updateDemandSuffix();

  auto* controls = new QGridLayout;
  controls->setContentsMargins(0, 0, 0, 0);
  controls->addWidget(new QLabel(tr("Utility"), this), 0, 0);
  controls->addWidget(m_utility, 0, 1, 1, 5);
  controls->addWidget(new QLabel(tr("Top K"), this), 1, 0);
  controls->addWidget(m_topK, 1, 1);
  controls->addWidget(new QLabel(tr("Min spacing"), this), 1, 2);
  controls->addWidget(m_minSpacing, 1, 3);
  controls->addWidget(new QLabel(tr("Min demand"), this), 1, 4);
  controls->addWidget(m_minDemand, 1, 5);
  controls->setColumnStretch(1, 1);
  controls->setColumnStretch(3, 1);
  controls->setColumnStretch(5, 1);

  m_summary->setWordWrap(true);
  m_summary->setObjectName(QStringLiteral("rankingSummary"));

  // --- table ----------------------------------------------------------------------------------
  m_proxy->setSourceModel(m_model);
  m_proxy->setSortRole(RankingTableModel::SortRole);
  m_proxy->setDynamicSortFilter(true);
  m_table->setModel(m_proxy);
  m_table->setObjectName(QStringLiteral("rankingTable"));
  m_table->setSortingEnabled(true);
  m_table->sortByColumn(RankingTableModel::Rank, Qt::AscendingOrder);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setAlternatingRowColors(true);
  m_table->setWordWrap(false);
  m_table->verticalHeader()->hide();
  m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->horizontalHeader()->setHighlightSections(false);
  // Sizing columns to their contents reads this many rows, not all 10,000.
  m_table->horizontalHeader()->setResizeContentsPrecision(200);
  connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] { onSelectionChanged(); });

  // --- rationale ------------------------------------------------------------------------------
  m_rationale->setObjectName(QStringLiteral("rationale"));
  m_rationale->setReadOnly(true);
  m_rationale->setOpenLinks(false);
  m_rationale->setPlaceholderText(tr("Select a site to read why it ranks where it does."));

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(m_table);
  splitter->addWidget(m_rationale);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 1);
  splitter->setChildrenCollapsible(false);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(controls);
  layout->addWidget(m_summary);
  layout->addWidget(splitter, 1);

  connect(m_utility, &QComboBox::currentIndexChanged, this, [this] { emitOptions(); });
  connect(m_topK, &QSpinBox::valueChanged, this, [this] { emitOptions(); });
  connect(m_minSpacing, &QDoubleSpinBox::valueChanged, this, [this] { emitOptions(); });
  connect(m_minDemand, &QDoubleSpinBox::valueChanged, this, [this] { emitOptions(); });
  updateSummary();
}

core::RankingOptions RankingView::options() const {
  core::RankingOptions o;
  o.utility = core::Utility(m_utility->currentData().toInt());
  o.topK = m_topK->value();
  o.minSpacing = m_minSpacing->value();
  o.minDemand = m_minDemand->value();
  o.weights = m_weights;
  return o;
}

void RankingView::setOptions(const core::RankingOptions& options) {
  const QSignalBlocker b1(m_utility), b2(m_topK), b3(m_minSpacing), b4(m_minDemand);
  m_utility->setCurrentIndex(std::max(0, m_utility->findData(int(options.utility))));
  m_topK->setValue(options.topK);
  m_minSpacing->setValue(options.minSpacing);
  m_minDemand->setValue(options.minDemand);
  m_weights = options.weights;
  updateSummary();
}

void RankingView::setRanking(const core::Ranking& ranking, const QString& unit) {
  m_syncing = true;
  m_unit = unit;
  setOptions(ranking.options);
  updateDemandSuffix();
  const bool first = m_model->rowCount() == 0;
  m_model->setRanking(ranking, unit);
  if (first) m_table->resizeColumnsToContents();
  // After that, columns only grow to fit the new rows and headers (another utility, bold selected rows, longer
  // numbers), so a re-rank never truncates a value, nor undoes a column the user widened.
  QHeaderView* header = m_table->horizontalHeader();
  const QAbstractItemView* view = m_table;  // sizeHintForColumn() is public here, protected in QTableView
  for (int c = 0; c < RankingTableModel::ColumnCount - 1; ++c) {
    const int fit = std::max(view->sizeHintForColumn(c), header->sectionSizeHint(c));
    if (fit > header->sectionSize(c)) header->resizeSection(c, fit);
  }
  updateSummary();
  m_syncing = false;
  // The same site stays selected across re-ranks (the user is looking at it), wherever it moved.
  selectSite(m_currentSite);
}

void RankingView::setRationaleProvider(std::function<QString(const QString&)> provider) {
  m_rationaleProvider = std::move(provider);
  showRationale(m_currentSite);
}

QString RankingView::selectedSiteId() const {
  const QModelIndexList rows = m_table->selectionModel()->selectedRows();
  if (rows.isEmpty()) return {};
  return m_proxy->data(rows.front(), RankingTableModel::SiteIdRole).toString();
}

void RankingView::selectSite(const QString& siteId) {
  const bool wasSyncing = m_syncing;
  m_syncing = true;
  const int row = siteId.isEmpty() ? -1 : m_model->rowOf(siteId);
  if (row < 0) {
    m_table->selectionModel()->clearSelection();
    m_currentSite.clear();
  } else {
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, RankingTableModel::Rank));
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
    m_currentSite = siteId;
  }
  showRationale(m_currentSite);
  m_syncing = wasSyncing;
}

void RankingView::emitOptions() {
  updateSummary();
  Q_EMIT rankingOptionsChanged(options());
}

void RankingView::onSelectionChanged() {
  const QString id = selectedSiteId();
  if (m_syncing) return;  // selectSite()/setRanking() keep m_currentSite and the rationale themselves
  m_currentSite = id;
  showRationale(id);
  if (!id.isEmpty()) Q_EMIT siteActivated(id);
}

void RankingView::showRationale(const QString& siteId) {
  const core::RankedSite* s = siteId.isEmpty() ? nullptr : m_model->siteAt(m_model->rowOf(siteId));
  if (!s) {
    m_rationale->clear();
    return;
  }
  const core::Ranking& r = m_model->ranking();
  QString heading;
  if (s->rank > 0)
    heading = tr("<b>%1</b> — rank %2 of %3%4")
                  .arg(s->siteId.toHtmlEscaped())
                  .arg(s->rank)
                  .arg(r.eligible)
                  .arg(s->selected ? tr(", selected") : QString());
  else
    heading = tr("<b>%1</b> — not ranked").arg(s->siteId.toHtmlEscaped());
  QString body = m_rationaleProvider ? m_rationaleProvider(s->siteId) : QString();
  if (body.isEmpty()) body = s->excludedBecause;
  QString html = QStringLiteral("<p>%1</p>").arg(heading);
  if (!body.isEmpty()) html += QStringLiteral("<p>%1</p>").arg(body.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
  m_rationale->setHtml(html);
}

void RankingView::updateSummary() {
  const core::Ranking& r = m_model->ranking();
  QStringList parts;
  if (m_model->rowCount() > 0) {
    const int selected = int(std::count_if(r.sites.begin(), r.sites.end(), [](const core::RankedSite& s) { return s.selected; }));
    parts << tr("%1 ranked, %2 selected").arg(r.eligible).arg(selected);
    if (r.belowFloor > 0) parts << tr("%1 below the demand floor").arg(r.belowFloor);
    if (r.skippedForSpacing > 0) parts << tr("%1 passed over for spacing").arg(r.skippedForSpacing);
  } else {
    parts << tr("No ranking yet: generate traffic for the candidates first.");
  }
  QString text = parts.join(QStringLiteral(" · ")).toHtmlEscaped();
  // DESIGN.md §8: pure LSI prefers empty fields; say so rather than hide it.
  const core::RankingOptions o = options();
  if (o.utility == core::Utility::Lsi && o.minDemand <= 0.0)
    text +=
        tr("<br><span style=\"color:#b35900\">LSI alone favours sites with little, flat traffic: "
           "set a minimum demand to rank only sites worth serving.</span>");
  m_summary->setText(text);
}

void RankingView::updateDemandSuffix() { m_minDemand->setSuffix(m_unit.isEmpty() ? QString() : QStringLiteral(" ") + m_unit); }

}  // namespace netspatial::ui
