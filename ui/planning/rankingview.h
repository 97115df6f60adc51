#pragma once

#include "core/planning/ranking.h"

#include <QMetaType>
#include <QWidget>

#include <functional>

class QComboBox;
class QDoubleSpinBox;
class QItemSelection;
class QLabel;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QTextBrowser;

namespace netspatial::ui {

class RankingTableModel;

//! The ranking panel (DESIGN.md §8, §10): the ranking options (utility, K, minimum spacing,
//! minimum demand), the sortable ranking table and the rationale of the selected site.
//!
//! It never ranks and never generates: changing an option only emits rankingOptionsChanged(); the
//! owner re-ranks the utilities it already has and calls setRanking(), which is what keeps
//! "change the utility or K" instant. Selection is linked both ways with the map: a row selected
//! by the user emits siteActivated(); selectSite() (a click on the map) selects and scrolls to the
//! row without emitting it, so the two views never ping-pong.
class RankingView : public QWidget {
  Q_OBJECT

 public:
  explicit RankingView(QWidget* parent = nullptr);

  //! Shows `ranking` (its options become the controls' values, without emitting) and re-selects
  //! the current site when it is still in the table. `unit` is the traffic unit ("MB/h").
  void setRanking(const core::Ranking& ranking, const QString& unit);
  //! The options the controls show (the weights are those of the last ranking or setOptions()).
  core::RankingOptions options() const;
  //! Sets the controls without emitting rankingOptionsChanged().
  void setOptions(const core::RankingOptions& options);

  //! Builds the paragraph shown under the table for a site id (core::siteRationale needs the
  //! site's context and traffic, which the owner has and this view does not).
  void setRationaleProvider(std::function<QString(const QString&)> provider);

  //! Site id of the selected row; empty when none.
  QString selectedSiteId() const;

  RankingTableModel* model() const { return m_model; }
  QSortFilterProxyModel* proxy() const { return m_proxy; }
  QTableView* tableView() const { return m_table; }
  QComboBox* utilityCombo() const { return m_utility; }
  QSpinBox* topKSpin() const { return m_topK; }
  QDoubleSpinBox* minSpacingSpin() const { return m_minSpacing; }
  QDoubleSpinBox* minDemandSpin() const { return m_minDemand; }
  QTextBrowser* rationaleView() const { return m_rationale; }
  QLabel* summaryLabel() const { return m_summary; }

 public Q_SLOTS:
  //! Selects and scrolls to the site's row, showing its rationale; clears the selection for an
  //! unknown or empty id. Never emits siteActivated().
  void selectSite(const QString& siteId);

 Q_SIGNALS:
  void rankingOptionsChanged(const netspatial::core::RankingOptions& options);
  //! The user selected the row of `siteId` (not emitted by selectSite() or setRanking()).
  void siteActivated(const QString& siteId);

 private:
  void emitOptions();
  void onSelectionChanged();
  void showRationale(const QString& siteId);
  void updateSummary();
  void updateDemandSuffix();

  RankingTableModel* m_model;
  QSortFilterProxyModel* m_proxy;
  QTableView* m_table;
  QComboBox* m_utility;
  QSpinBox* m_topK;
  QDoubleSpinBox* m_minSpacing;
  QDoubleSpinBox* m_minDemand;
  QLabel* m_summary;
  QTextBrowser* m_rationale;
  std::function<QString(const QString&)> m_rationaleProvider;
  core::CompositeWeights m_weights;
  QString m_unit;
  QString m_currentSite;   //!< kept across setRanking() so a re-rank keeps the selection
  bool m_syncing = false;  //!< set while the view changes the selection itself
};

}  // namespace netspatial::ui

Q_DECLARE_METATYPE(netspatial::core::RankingOptions)
