#include "ui/planning/candidategriddialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

#include <algorithm>

namespace netspatial::ui {

using core::ZoneClass;

CandidateGridDialog::CandidateGridDialog(const core::CandidateGridOptions& grid, int samples, quint64 seed, QWidget* parent)
    : QDialog(parent),
      m_grid(grid),
      m_cell(new QDoubleSpinBox),
      m_distance(new QDoubleSpinBox),
      m_water(new QCheckBox(tr("no sites in water"))),
      m_park(new QCheckBox(tr("no sites in parks"))),
      m_samples(new QSpinBox),
      m_seed(new QSpinBox),
      m_generator(new GeneratorChooser) {
  setWindowTitle(tr("Candidate grid and generation"));
  auto* form = new QFormLayout(this);
  m_cell->setRange(10, 5000);
  m_cell->setSuffix(tr(" m"));
  m_cell->setValue(grid.cellSize);
  m_distance->setRange(0, 5000);
  m_distance->setSuffix(tr(" m"));
  m_distance->setValue(grid.minStationDistance);
  const auto excluded = [&grid](ZoneClass z) {
    return std::find(grid.excludedZoneClasses.begin(), grid.excludedZoneClasses.end(), z) != grid.excludedZoneClasses.end();
  };
  m_water->setChecked(excluded(ZoneClass::Water));
  m_park->setChecked(excluded(ZoneClass::Park));
  m_samples->setRange(1, 256);
  m_samples->setValue(samples);
  m_seed->setRange(0, 1 << 30);
  m_seed->setValue(int(seed));
  form->addRow(tr("Cell size"), m_cell);
  form->addRow(tr("Distance to existing stations ≥"), m_distance);
  form->addRow(QString(), m_water);
  form->addRow(QString(), m_park);
  form->addRow(tr("Samples per site"), m_samples);
  form->addRow(tr("Seed"), m_seed);
  form->addRow(tr("Generator"), m_generator);
  form->setRowVisible(m_generator, false);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

core::CandidateGridOptions CandidateGridDialog::gridOptions() const {
  core::CandidateGridOptions o = m_grid;
  o.cellSize = m_cell->value();
  o.minStationDistance = m_distance->value();
  o.excludedZoneClasses.clear();
  if (m_water->isChecked()) o.excludedZoneClasses.push_back(ZoneClass::Water);
  if (m_park->isChecked()) o.excludedZoneClasses.push_back(ZoneClass::Park);
  return o;
}

int CandidateGridDialog::samples() const { return m_samples->value(); }
quint64 CandidateGridDialog::seed() const { return quint64(m_seed->value()); }

void CandidateGridDialog::setGenerators(const std::vector<GeneratorChooserEntry>& entries, const QString& currentKey) {
  m_generator->setEntries(entries, currentKey);
  if (auto* form = qobject_cast<QFormLayout*>(layout())) form->setRowVisible(m_generator, true);
}

QString CandidateGridDialog::generatorKey() const { return m_generator->currentKey(); }

}  // namespace netspatial::ui
