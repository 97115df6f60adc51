#include "ui/operations/sleepcomparisonmodel.h"

#include "core/util/csvwriter.h"

#include <QFont>
#include <QLocale>

#include <cmath>
#include <limits>

namespace netspatial::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A saving this small (kWh) is no saving: shares of it would be noise divided by noise.
constexpr double kMinOracleSavingKWh = 1e-9;

QString fixed(double v, int decimals) { return std::isfinite(v) ? QLocale().toString(v, 'f', decimals) : QStringLiteral("—"); }

// Unserved traffic spans zero to millions: keep about three significant digits, never fewer
// than the integer part.
QString magnitude(double v) {
  if (!std::isfinite(v)) return QStringLiteral("—");
  const double a = std::abs(v);
  if (a == 0.0) return QStringLiteral("0");
  if (a >= 100.0) return QLocale().toString(v, 'f', 0);
  if (a >= 10.0) return QLocale().toString(v, 'f', 1);
  if (a >= 0.01) return QLocale().toString(v, 'f', 2);
  return QLocale().toString(v, 'g', 2);
}

QString raw(double v) { return std::isfinite(v) ? QString::number(v, 'g', 12) : QString(); }

}  // namespace

SleepComparisonModel::SleepComparisonModel(QObject* parent) : QAbstractTableModel(parent) {}

void SleepComparisonModel::setOutcomes(const std::vector<core::ScheduleOutcome>& outcomes, const QString& trafficUnit) {
  beginResetModel();
  m_outcomes = outcomes;
  m_unit = trafficUnit;
  m_oracleRow = -1;
  for (int i = 0; i < int(m_outcomes.size()); ++i)
    if (m_outcomes[std::size_t(i)].policy == core::SleepPolicy::Oracle) {
      m_oracleRow = i;
      break;
    }
  endResetModel();
}

void SleepComparisonModel::clear() { setOutcomes({}, m_unit); }

const core::ScheduleOutcome* SleepComparisonModel::outcomeAt(int row) const {
  if (row < 0 || row >= int(m_outcomes.size())) return nullptr;
  return &m_outcomes[std::size_t(row)];
}

int SleepComparisonModel::rowOf(core::SleepPolicy policy) const {
  for (int i = 0; i < int(m_outcomes.size()); ++i)
    if (m_outcomes[std::size_t(i)].policy == policy) return i;
  return -1;
}

double SleepComparisonModel::oracleShare(const core::ScheduleOutcome& outcome, const core::ScheduleOutcome& oracle) {
  // In kWh saved against each row's own always-on energy, not as a ratio of percentages: equal
  // when both are played on the same load (as in a study), and still right when they are not.
  const double oracleSaved = oracle.alwaysOnKWh - oracle.energyKWh;
  if (!(oracleSaved > kMinOracleSavingKWh)) return kNaN;
  return 100.0 * (outcome.alwaysOnKWh - outcome.energyKWh) / oracleSaved;
}

double SleepComparisonModel::oracleShare(int row) const {
  const core::ScheduleOutcome* o = outcomeAt(row);
  if (!o || m_oracleRow < 0) return kNaN;
  return oracleShare(*o, m_outcomes[std::size_t(m_oracleRow)]);
}

QString SleepComparisonModel::policyLabel(const core::ScheduleOutcome& outcome) {
  const QString label = core::sleepPolicyLabel(outcome.policy);
  if (outcome.policy != core::SleepPolicy::Forecast || !(outcome.quantile > 0.0)) return label;
  return QStringLiteral("%1 (q=%2)").arg(label, QString::number(outcome.quantile, 'g', 3));
}

QString SleepComparisonModel::unservedUnit(const QString& trafficUnit) {
  const QString unit = trafficUnit.trimmed();
  if (unit.isEmpty()) return tr("traffic·h");
  // A rate per hour summed over hours is a volume.
  if (unit.endsWith(QStringLiteral("/h")) && unit.size() > 2) return unit.left(unit.size() - 2);
  return QStringLiteral("%1·h").arg(unit);
}

int SleepComparisonModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_outcomes.size()); }

int SleepComparisonModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

double SleepComparisonModel::value(int row, int column) const {
  const core::ScheduleOutcome* o = outcomeAt(row);
  if (!o) return kNaN;
  switch (column) {
    case Energy:
      return o->energyKWh;
    case Saving:
      return o->savingPct;
    case Qoe:
      return 100.0 * o->qoe;
    case Unserved:
      return o->unserved;
    case Switches:
      return double(o->switches);
    case SleepHours:
      return double(o->sleepStationHours);
    case OracleShare:
      return oracleShare(row);
    default:
      return kNaN;
  }
}

QString SleepComparisonModel::display(int row, int column) const {
  const core::ScheduleOutcome* o = outcomeAt(row);
  if (!o) return {};
  const double v = value(row, column);
  switch (column) {
    case Policy:
      return policyLabel(*o);
    // kWh of a network over weeks run into the tens of thousands: decimals would be noise there.
    case Energy:
      return fixed(v, std::abs(v) >= 1000.0 ? 0 : 1);
    case Saving:
      return fixed(v, 1);
    // QoE lives just under 100 %: two decimals tell 99.95 from 99.50.
    case Qoe:
      return fixed(v, 2);
    case Unserved:
      return magnitude(v);
    case Switches:
    case SleepHours:
      return QLocale().toString(qlonglong(std::llround(v)));
    case OracleShare:
      return fixed(v, 1);
    default:
      return {};
  }
}

QVariant SleepComparisonModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.parent().isValid()) return {};
  const core::ScheduleOutcome* o = outcomeAt(index.row());
  const int column = index.column();
  if (!o || column < 0 || column >= ColumnCount) return {};
  switch (role) {
    case Qt::DisplayRole:
      return display(index.row(), column);
    case SortRole: {
      if (column == Policy) return index.row();  // the study's order
      const double v = value(index.row(), column);
      return std::isfinite(v) ? QVariant(v) : QVariant();
    }
    case PolicyRole:
      return int(o->policy);
    case Qt::TextAlignmentRole:
      return column == Policy ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
      // The oracle knows the future: an upper bound, not a policy one can run.
      if (o->policy == core::SleepPolicy::Oracle) {
        QFont f;
        f.setItalic(true);
        return f;
      }
      return {};
    case Qt::ToolTipRole: {
      if (column == Policy) {
        switch (o->policy) {
          case core::SleepPolicy::AlwaysOn:
            return tr("Every station awake every hour: the reference the savings are measured against.");
          case core::SleepPolicy::StaticNight:
            return tr("The same night hours every day, planned on the weeks before the period.");
          case core::SleepPolicy::Forecast:
            return tr("Decided each hour on the %1-quantile of the generated samples (plus the safety margin), played on the observed "
                      "load.")
                .arg(QString::number(o->quantile, 'g', 3));
          case core::SleepPolicy::Oracle:
            return tr("Decided on the observed load itself: the best any forecast could do, an upper bound.");
        }
        return {};
      }
      if (column == SleepHours && !o->powerW.empty() && !o->stations.empty()) {
        const double total = double(o->powerW.size()) * double(o->stations.size());
        return tr("%1 % of all station-hours").arg(QLocale().toString(100.0 * o->sleepStationHours / total, 'f', 1));
      }
      const double v = value(index.row(), column);
      return std::isfinite(v) ? QVariant(QString::number(v, 'g', 10)) : QVariant();
    }
    default:
      return {};
  }
}

QVariant SleepComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Vertical) return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
  if (role == Qt::DisplayRole) {
    switch (section) {
      case Policy:
        return tr("Policy");
      case Energy:
        return tr("Energy (kWh)");
      case Saving:
        return tr("Saving (%)");
      case Qoe:
        return tr("QoE (%)");
      case Unserved:
        return tr("Unserved (%1)").arg(unservedUnit(m_unit));
      case Switches:
        return tr("Switches");
      case SleepHours:
        return tr("Station-hours asleep");
      case OracleShare:
        return tr("Share of oracle saving (%)");
      default:
        return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case Policy:
        return tr("The sleep policy; every one is played on the same observed load");
      case Energy:
        return tr("Network energy over the period, EARTH power model (Auer et al. 2011)");
      case Saving:
        return tr("Energy saving η against always-on: 100 (1 − E / E_always-on)");
      case Qoe:
        return tr("Quality of experience: observed traffic served ÷ offered, over the period");
      case Unserved:
        return tr("Observed traffic that no awake station could carry, summed over the hours");
      case Switches:
        return tr("Sleep ↔ awake transitions of all stations");
      case SleepHours:
        return tr("Hours asleep summed over the stations");
      case OracleShare:
        return tr("Energy saved against always-on as a share of what the oracle saves");
      default:
        return {};
    }
  }
  if (role == Qt::TextAlignmentRole)
    return section == Policy ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

QStringList SleepComparisonModel::csvHeader() const {
  return {QStringLiteral("policy"),          QStringLiteral("label"),
          QStringLiteral("quantile"),        QStringLiteral("energy_kwh"),
          QStringLiteral("always_on_kwh"),   QStringLiteral("saving_pct"),
          QStringLiteral("qoe_pct"),         QStringLiteral("unserved_%1").arg(unservedUnit(m_unit)),
          QStringLiteral("switches"),        QStringLiteral("sleep_station_hours"),
          QStringLiteral("oracle_share_pct")};
}

QStringList SleepComparisonModel::csvRow(int row) const {
  const core::ScheduleOutcome& o = m_outcomes[std::size_t(row)];
  return {core::sleepPolicyName(o.policy),
          policyLabel(o),
          o.policy == core::SleepPolicy::Forecast ? raw(o.quantile) : QString(),
          raw(o.energyKWh),
          raw(o.alwaysOnKWh),
          raw(o.savingPct),
          raw(100.0 * o.qoe),
          raw(o.unserved),
          QString::number(o.switches),
          QString::number(o.sleepStationHours),
          raw(oracleShare(row))};
}

QString SleepComparisonModel::toCsv() const {
  QString out;
  auto line = [&out](const QStringList& fields) {
    QStringList escaped;
    for (const QString& f : fields) escaped << core::CsvWriter::escape(f);
    out += escaped.join(QLatin1Char(',')) + QStringLiteral("\r\n");
  };
  line(csvHeader());
  for (int r = 0; r < int(m_outcomes.size()); ++r) line(csvRow(r));
  return out;
}

core::Status SleepComparisonModel::saveCsv(const QString& path) const {
  auto writer = core::CsvWriter::open(path);
  if (!writer.ok()) return writer.error();
  (*writer)->writeRow(csvHeader());
  for (int r = 0; r < int(m_outcomes.size()); ++r) (*writer)->writeRow(csvRow(r));
  return (*writer)->commit();
}

}  // namespace netspatial::ui
