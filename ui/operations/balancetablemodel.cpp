#include "ui/operations/balancetablemodel.h"

#include "ui/operations/loadformat.h"
#include "ui/util/numberformat.h"

#include <QColor>
#include <QLocale>

#include <cmath>

namespace netspatial::ui {

BalanceTableModel::BalanceTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void BalanceTableModel::setResult(const core::BalanceResult& result, double threshold, const QString& unit) {
  beginResetModel();
  m_stations = result.stations;
  m_threshold = threshold;
  m_unit = unit;
  m_rowByStation.clear();
  for (std::size_t i = 0; i < m_stations.size(); ++i) m_rowByStation.insert(m_stations[i].id, int(i));
  endResetModel();
}

void BalanceTableModel::clear() {
  beginResetModel();
  m_stations.clear();
  m_rowByStation.clear();
  endResetModel();
}

int BalanceTableModel::rowOf(const QString& stationId) const { return m_rowByStation.value(stationId, -1); }

QString BalanceTableModel::stationIdAt(int row) const {
  return row >= 0 && std::size_t(row) < m_stations.size() ? m_stations[std::size_t(row)].id : QString();
}

int BalanceTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_stations.size()); }

int BalanceTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant BalanceTableModel::display(const core::BalancedStation& s, int column) const {
  switch (column) {
    case Station:
      return s.id;
    case PeakBefore:
      return LoadFormat::percent(s.peakBefore);
    case PeakAfter:
      return LoadFormat::percent(s.peakAfter);
    case HoursOverBefore:
      return QLocale().toString(s.hoursOverBefore);
    case HoursOverAfter:
      return QLocale().toString(s.hoursOverAfter);
    // A station that moved nothing shows a blank, not "0.00": the rows that did stand out.
    case Shed:
      return s.shed > 0.0 ? LoadFormat::number(s.shed) : QString();
    case Absorbed:
      return s.absorbed > 0.0 ? LoadFormat::number(s.absorbed) : QString();
    default:
      return {};
  }
}

QVariant BalanceTableModel::sortValue(const core::BalancedStation& s, int column) const {
  switch (column) {
    case Station:
      return naturalSortKey(s.id);
    case PeakBefore:
      return sortNumber(s.peakBefore);
    case PeakAfter:
      return sortNumber(s.peakAfter);
    case HoursOverBefore:
      return double(s.hoursOverBefore);
    case HoursOverAfter:
      return double(s.hoursOverAfter);
    case Shed:
      return sortNumber(s.shed);
    case Absorbed:
      return sortNumber(s.absorbed);
    default:
      return {};
  }
}

QVariant BalanceTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.parent().isValid()) return {};
  if (index.row() < 0 || std::size_t(index.row()) >= m_stations.size() || index.column() < 0 || index.column() >= ColumnCount) return {};
  const core::BalancedStation& s = m_stations[std::size_t(index.row())];
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole:
      return display(s, column);
    case SortRole:
      return sortValue(s, column);
    case StationIdRole:
      return s.id;
    case Qt::TextAlignmentRole:
      return column == Station ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole: {
      // Peaks still above the threshold after balancing are what the engineer has to act on.
      const double peak = column == PeakBefore ? s.peakBefore : column == PeakAfter ? s.peakAfter : std::nan("");
      if (std::isfinite(peak) && peak > m_threshold) return QColor(176, 0, 32);
      return {};
    }
    case Qt::ToolTipRole:
      if (column == Shed || column == Absorbed) {
        const QString volume = LoadFormat::volumeUnit(m_unit);
        return QStringLiteral("%1 %2").arg(QString::number(column == Shed ? s.shed : s.absorbed, 'g', 10), volume).trimmed();
      }
      return {};
    default:
      return {};
  }
}

QVariant BalanceTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Vertical) return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
  const QString volume = LoadFormat::shownUnit(LoadFormat::volumeUnit(m_unit));
  const QString threshold = LoadFormat::percent(m_threshold, 0);
  if (role == Qt::DisplayRole) {
    switch (section) {
      case Station:
        return tr("Station");
      case PeakBefore:
        return tr("Peak before");
      case PeakAfter:
        return tr("Peak after");
      case HoursOverBefore:
        return tr("Hours > %1 before").arg(threshold);
      case HoursOverAfter:
        return tr("Hours > %1 after").arg(threshold);
      case Shed:
        return tr("Shed (%1)").arg(volume);
      case Absorbed:
        return tr("Absorbed (%1)").arg(volume);
      default:
        return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case Station:
        return tr("The station's id");
      case PeakBefore:
        return tr("Highest hourly utilisation (load ÷ capacity) before balancing");
      case PeakAfter:
        return tr("Highest hourly utilisation after balancing");
      case HoursOverBefore:
        return tr("Hours with utilisation above the threshold, before balancing");
      case HoursOverAfter:
        return tr("Hours with utilisation above the threshold, after balancing");
      case Shed:
        return tr("Load moved from this station to neighbours, summed over the hours");
      case Absorbed:
        return tr("Load this station took from overloaded neighbours, summed over the hours");
      default:
        return {};
    }
  }
  if (role == Qt::TextAlignmentRole)
    return section == Station ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

}  // namespace netspatial::ui
