#include "ui/util/generatorchooser.h"

#include <QComboBox>
#include <QLabel>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace netspatial::ui {

GeneratorChooser::GeneratorChooser(QWidget* parent) : QWidget(parent), m_combo(new QComboBox), m_summary(new QLabel) {
  m_combo->setObjectName(QStringLiteral("generatorCombo"));
  m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  m_combo->setMinimumContentsLength(24);
  m_summary->setObjectName(QStringLiteral("generatorSummary"));
  // Lines of its own, not word-wrapped: a wrapped label in a form row of a scroll area gets the
  // height of one line and overlaps the next row.
  m_summary->setWordWrap(false);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(m_combo);
  layout->addWidget(m_summary);
  connect(m_combo, &QComboBox::currentIndexChanged, this, [this] {
    showSummary();
    if (!m_syncing && !currentKey().isEmpty()) Q_EMIT generatorChosen(currentKey());
  });
}

void GeneratorChooser::setEntries(const std::vector<GeneratorChooserEntry>& entries, const QString& currentKey) {
  m_syncing = true;
  m_entries = entries;
  m_combo->clear();
  auto* model = qobject_cast<QStandardItemModel*>(m_combo->model());
  QString group;
  int current = -1;
  for (const GeneratorChooserEntry& e : entries) {
    if (m_combo->count() > 0 && e.group != group) m_combo->insertSeparator(m_combo->count());
    group = e.group;
    m_combo->addItem(e.label, e.key);
    const int row = m_combo->count() - 1;
    m_combo->setItemData(row, e.enabled ? QStringLiteral("%1\n%2").arg(e.group, e.summary) : e.disabledReason, Qt::ToolTipRole);
    if (!e.enabled && model) model->item(row)->setEnabled(false);
    if (e.key == currentKey) current = row;
  }
  m_combo->setCurrentIndex(current);
  m_syncing = false;
  showSummary();
}

QString GeneratorChooser::currentKey() const { return m_combo->currentData().toString(); }

void GeneratorChooser::showSummary() {
  const QString key = currentKey();
  for (const GeneratorChooserEntry& e : m_entries)
    if (e.key == key) {
      m_summary->setText(e.summary);
      // The colour of the site inspector's calibration warning.
      m_summary->setStyleSheet(e.warn ? QStringLiteral("color: #8a1c00;") : QString());
      m_summary->setToolTip(e.group);
      return;
    }
  m_summary->setText(key.isEmpty() ? tr("no generator chosen") : tr("unknown generator %1").arg(key));
  m_summary->setStyleSheet(QStringLiteral("color: #8a1c00;"));
}

}  // namespace netspatial::ui
