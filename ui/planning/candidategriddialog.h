#pragma once

// Planning › Candidate grid…: cell size, distance to existing stations, excluded zone classes,
// samples per site, seed and the generator (with its unit and training data, so that a generator
// not calibrated to the project shows before it is chosen). Shows the current values and hands back what the user chose.

#include "core/planning/candidategrid.h"
#include "ui/util/generatorchooser.h"

#include <QDialog>

class QCheckBox;
class QDoubleSpinBox;
class QSpinBox;

namespace netspatial::ui {

class CandidateGridDialog : public QDialog {
  Q_OBJECT

 public:
  CandidateGridDialog(const core::CandidateGridOptions& grid, int samples, quint64 seed, QWidget* parent = nullptr);

  //! The options shown with the user's changes (exclusion areas and the cell limit kept).
  core::CandidateGridOptions gridOptions() const;
  int samples() const;
  quint64 seed() const;
  //! The generators to choose from and the current one (the row shows only once given).
  void setGenerators(const std::vector<GeneratorChooserEntry>& entries, const QString& currentKey);
  QString generatorKey() const;
  GeneratorChooser* generatorChooser() const { return m_generator; }

 private:
  core::CandidateGridOptions m_grid;
  QDoubleSpinBox* m_cell;
  QDoubleSpinBox* m_distance;
  QCheckBox* m_water;
  QCheckBox* m_park;
  QSpinBox* m_samples;
  QSpinBox* m_seed;
  GeneratorChooser* m_generator;
};

}  // namespace netspatial::ui
