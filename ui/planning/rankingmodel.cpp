#include "ui/planning/rankingmodel.h"

#include "ui/planning/utilityformat.h"
#include "ui/util/numberformat.h"

#include <QColor>
#include <QFont>

#include <cmath>

namespace netspatial::ui {

namespace {

QString withUnit(const QString& name, const QString& unit) { return unit.isEmpty() ? name : QStringLiteral("%1 (%2)").arg(name, unit); }

}  // namespace

RankingTableModel::RankingTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RankingTableModel::setRanking(const core::Ranking& ranking, const QString& unit) {
  // A new ranking is a new table (other rows, other order, maybe another utility in the
  // headers): a reset is both the honest signal and the cheapest for 10,000 rows.
  beginResetModel();
  m_ranking = ranking;
  m_unit = unit;
  m_rowBySite.clear();
  m_rowBySite.reserve(qsizetype(m_ranking.sites.size()));
  for (std::size_t i = 0; i < m_ranking.sites.size(); ++i) m_rowBySite.insert(m_ranking.sites[i].siteId, int(i));
  endResetModel();
}

int RankingTableModel::rowOf(const QString& siteId) const { return m_rowBySite.value(siteId, -1); }

QString RankingTableModel::siteIdAt(int row) const {
  const core::RankedSite* s = siteAt(row);
  return s ? s->siteId : QString();
}

const core::RankedSite* RankingTableModel::siteAt(int row) const {
  if (row < 0 || std::size_t(row) >= m_ranking.sites.size()) return nullptr;
  return &m_ranking.sites[std::size_t(row)];
}

int RankingTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_ranking.sites.size()); }

int RankingTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RankingTableModel::display(const core::RankedSite& s, int column) const {
  const core::SiteUtilities& u = s.utilities;
  const bool ranked = s.rank > 0;
  switch (column) {
    case Rank:
      return ranked ? QString::number(s.rank) : QStringLiteral("—");
    case Site:
      return s.siteId;
    case Value:
      return formatUtilityValue(s.value);
    case Lsi:
      return formatUtilityValue(u.lsi);
    case Sigma:
      return formatUtilityValue(u.sigma, 3);
    case Mean:
      return formatUtilityValue(u.mean);
    case P95:
      return formatUtilityValue(u.p95);
    case MeanOverSigma:
      return formatUtilityValue(u.stability);
    case PTopK:
      return ranked ? QStringLiteral("%1%").arg(std::lround(100.0 * s.pTopK)) : QStringLiteral("—");
    case Selected:
      return s.selected ? QStringLiteral("✓") : QString();
    case Note:
      return s.excludedBecause;
    default:
      return {};
  }
}

QVariant RankingTableModel::sortValue(const core::RankedSite& s, int column) const {
  const core::SiteUtilities& u = s.utilities;
  const bool ranked = s.rank > 0;
  switch (column) {
    case Rank:
      return ranked ? QVariant(double(s.rank)) : QVariant();
    case Site:
      return naturalSortKey(s.siteId);
    case Value:
      return sortNumber(s.value);
    case Lsi:
      return sortNumber(u.lsi);
    case Sigma:
      return sortNumber(u.sigma);
    case Mean:
      return sortNumber(u.mean);
    case P95:
      return sortNumber(u.p95);
    case MeanOverSigma:
      return sortNumber(u.stability);
    case PTopK:
      return ranked ? sortNumber(s.pTopK) : QVariant();
    case Selected:
      return s.selected ? 1.0 : 0.0;
    case Note:
      return s.excludedBecause;
    default:
      return {};
  }
}

QVariant RankingTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.parent().isValid()) return {};
  const core::RankedSite* s = siteAt(index.row());
  if (!s || index.column() < 0 || index.column() >= ColumnCount) return {};
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole:
      return display(*s, column);
    case SortRole:
      return sortValue(*s, column);
    case SiteIdRole:
      return s->siteId;
    case Qt::FontRole:
      if (s->selected) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    case Qt::ForegroundRole:
      // Unranked rows stay listed (pure LSI prefers empty fields: the user should see what the
      // floor removed) but read as set aside.
      return s->rank > 0 ? QVariant() : QVariant(QColor(130, 130, 130));
    case Qt::TextAlignmentRole:
      if (column == Site || column == Note) return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
      if (column == Selected) return QVariant(Qt::AlignCenter);
      return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole: {
      if (column == Note) return s->excludedBecause.isEmpty() ? QVariant() : QVariant(s->excludedBecause);
      if (column == Site)
        return QStringLiteral("%1 at x %2, y %3").arg(s->siteId).arg(s->position.x, 0, 'f', 1).arg(s->position.y, 0, 'f', 1);
      const QVariant v = sortValue(*s, column);
      if (column != Rank && column != Selected && v.isValid()) return QString::number(v.toDouble(), 'g', 10);
      return {};
    }
    default:
      return {};
  }
}

QVariant RankingTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Vertical) return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
  const core::Utility utility = m_ranking.options.utility;
  const int k = m_ranking.options.topK;
  if (role == Qt::DisplayRole) {
    switch (section) {
      case Rank:
        return tr("Rank");
      case Site:
        return tr("Site");
      case Value:
        return withUnit(tr("Utility: %1").arg(utilityShortName(utility)), utilityUnit(utility, m_unit));
      case Lsi:
        return tr("LSI");
      case Sigma:
        return tr("σ");
      case Mean:
        return withUnit(tr("Mean"), m_unit);
      case P95:
        return withUnit(tr("p95"), m_unit);
      case MeanOverSigma:
        return tr("Mean/σ");
      case PTopK:
        return tr("p(top-%1)").arg(k);
      case Selected:
        return tr("Selected");
      case Note:
        return tr("Note");
      default:
        return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    const QString unit = m_unit.isEmpty() ? tr("the traffic unit") : m_unit;
    switch (section) {
      case Rank:
        return tr(
            "Position in the order of the ranked utility among the sites above the demand floor (1 = best); ties are broken by site id.");
      case Site:
        return tr("Site id: C<n> is cell n of the candidate grid; other ids are existing stations or sites.");
      case Value:
        return tr("The utility the sites are ranked by: %1.").arg(core::utilityLabel(utility));
      case Lsi:
        return tr(
            "Load Stability Index = 1/(σ + 10⁻⁶), NetSpatial Eq. 6, with σ averaged over the samples. "
            "Higher is steadier; on its own it favours empty fields, hence the demand floor.");
      case Sigma:
        return tr(
            "Temporal standard deviation of the generated 672-h sequence in normalised units "
            "(traffic ÷ the generator's training maximum), averaged over the samples.");
      case Mean:
        return tr("Mean hourly traffic over all samples and hours, in %1.").arg(unit);
      case P95:
        return tr("95th percentile of the hourly traffic of each sample, averaged over the samples, in %1.").arg(unit);
      case MeanOverSigma:
        return tr("Stability-weighted demand: mean (%1) ÷ σ (normalised units), demand per unit of volatility.").arg(unit);
      case PTopK:
        return tr("Share of the generator's samples in which the site is in that sample's top %1 (same spacing rule): "
                  "how robust its selection is.")
            .arg(k);
      case Selected:
        return tr("Among the top %1 (NetSpatial Eq. 7), after the minimum spacing between picks.").arg(k);
      case Note:
        return tr("Why a site is not ranked (below the demand floor) or not selected (too close to a better pick).");
      default:
        return {};
    }
  }
  return {};
}

}  // namespace netspatial::ui
