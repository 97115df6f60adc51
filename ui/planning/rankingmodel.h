#pragma once

#include "core/planning/ranking.h"

#include <QAbstractTableModel>
#include <QHash>

namespace netspatial::ui {

//! A core::Ranking as a table: one row per site of the ranking, in its order (ranked best first,
//! then the sites below the demand floor). Read-only; the ranking is replaced as a whole.
//!
//! Qt::DisplayRole is formatted for reading; SortRole (Qt::UserRole) gives the raw number, so a
//! QSortFilterProxyModel with that sort role orders 10 after 9 and never sorts digits as text.
//! Values that do not exist (the rank of an unranked site, a composite below the floor) give an
//! invalid QVariant, which the proxy sorts after every number.
class RankingTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Rank, Site, Value, Lsi, Sigma, Mean, P95, MeanOverSigma, PTopK, Selected, Note, ColumnCount };
  static constexpr int SortRole = Qt::UserRole;
  static constexpr int SiteIdRole = Qt::UserRole + 1;  //!< the row's site id, in every column

  explicit RankingTableModel(QObject* parent = nullptr);

  //! Replaces the ranking; `unit` is the traffic unit ("MB/h") shown in the headers.
  void setRanking(const core::Ranking& ranking, const QString& unit);
  const core::Ranking& ranking() const { return m_ranking; }
  const QString& unit() const { return m_unit; }

  //! Row of a site, or -1.
  int rowOf(const QString& siteId) const;
  //! Site id of a row; empty outside the table.
  QString siteIdAt(int row) const;
  //! The ranked site of a row, or nullptr.
  const core::RankedSite* siteAt(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QVariant display(const core::RankedSite& s, int column) const;
  QVariant sortValue(const core::RankedSite& s, int column) const;

  core::Ranking m_ranking;
  QString m_unit;
  QHash<QString, int> m_rowBySite;
};

}  // namespace netspatial::ui
