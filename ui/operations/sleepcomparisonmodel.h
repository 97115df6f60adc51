#pragma once

#include "core/operations/sleepstudy.h"
#include "core/util/result.h"

#include <QAbstractTableModel>

#include <vector>

namespace netspatial::ui {

//! The policies of a sleep study side by side (DESIGN.md §9): one row per core::ScheduleOutcome,
//! in the study's order (always-on, static night, forecast, oracle). Read-only; replaced as a whole.
//!
//! Qt::DisplayRole is formatted for reading (units in the headers); SortRole (Qt::UserRole) holds
//! the raw number, NaN-free: a value that does not exist gives an invalid QVariant.
class SleepComparisonModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Policy, Energy, Saving, Qoe, Unserved, Switches, SleepHours, OracleShare, ColumnCount };
  static constexpr int SortRole = Qt::UserRole;
  static constexpr int PolicyRole = Qt::UserRole + 1;  //!< int(core::SleepPolicy) of the row, in every column

  explicit SleepComparisonModel(QObject* parent = nullptr);

  //! Replaces the rows; `trafficUnit` is the scenario's ("MB/h"), for the unserved column.
  void setOutcomes(const std::vector<core::ScheduleOutcome>& outcomes, const QString& trafficUnit);
  void clear();
  const std::vector<core::ScheduleOutcome>& outcomes() const { return m_outcomes; }
  const core::ScheduleOutcome* outcomeAt(int row) const;
  //! Row of the first outcome of `policy`, or -1.
  int rowOf(core::SleepPolicy policy) const;

  //! The energy a row saves against always-on as a share of what the oracle saves, in %: 100 for
  //! the oracle, 0 for always-on. NaN without an oracle row, or when the oracle saves nothing.
  double oracleShare(int row) const;
  static double oracleShare(const core::ScheduleOutcome& outcome, const core::ScheduleOutcome& oracle);

  //! The policy's label, with the quantile for the forecast policy: "Forecast (q=0.9)".
  static QString policyLabel(const core::ScheduleOutcome& outcome);
  //! The unit of unserved traffic summed over hours: "MB" for "MB/h", "Erl·h" for "Erl".
  static QString unservedUnit(const QString& trafficUnit);

  //! The table as RFC 4180 CSV (a header row, then raw numbers at full precision; empty fields
  //! for values that do not exist).
  QString toCsv() const;
  //! toCsv() written atomically to `path`; fails naming the file.
  core::Status saveCsv(const QString& path) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QStringList csvHeader() const;
  QStringList csvRow(int row) const;
  double value(int row, int column) const;
  QString display(int row, int column) const;

  std::vector<core::ScheduleOutcome> m_outcomes;
  QString m_unit;
  int m_oracleRow = -1;
};

}  // namespace netspatial::ui
