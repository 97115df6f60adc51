#pragma once

#include "core/operations/loadbalancer.h"

#include <QAbstractTableModel>
#include <QHash>

namespace netspatial::ui {

//! A core::BalanceResult's stations as a table, one row per station in the result's order:
//! peak utilisation before and after balancing, hours above the threshold before and after, and
//! the load each station shed and absorbed. Read-only; the result is replaced as a whole.
//!
//! Qt::DisplayRole is formatted for reading ("92.4 %"); SortRole gives the raw number (peaks as
//! fractions), so a QSortFilterProxyModel with that role sorts numbers as numbers.
class BalanceTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Station, PeakBefore, PeakAfter, HoursOverBefore, HoursOverAfter, Shed, Absorbed, ColumnCount };
  static constexpr int SortRole = Qt::UserRole;
  static constexpr int StationIdRole = Qt::UserRole + 1;  //!< the row's station id, in every column

  explicit BalanceTableModel(QObject* parent = nullptr);

  //! Replaces the stations; `threshold` (a fraction) marks the peaks above it, `unit` is the
  //! traffic unit ("MB/h": shed and absorbed are in "MB").
  void setResult(const core::BalanceResult& result, double threshold, const QString& unit);
  void clear();
  const std::vector<core::BalancedStation>& stations() const { return m_stations; }
  double threshold() const { return m_threshold; }

  int rowOf(const QString& stationId) const;
  QString stationIdAt(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QVariant display(const core::BalancedStation& s, int column) const;
  QVariant sortValue(const core::BalancedStation& s, int column) const;

  std::vector<core::BalancedStation> m_stations;
  double m_threshold = 0.8;
  QString m_unit;
  QHash<QString, int> m_rowByStation;
};

}  // namespace netspatial::ui
