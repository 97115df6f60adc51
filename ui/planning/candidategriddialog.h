#pragma once

// Planning › Candidate grid…: cell size, distance to existing stations, excluded zone classes,
// samples per site and seed. Shows the current values and hands back what the user chose.

#include "core/planning/candidategrid.h"

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

 private:
  core::CandidateGridOptions m_grid;
  QDoubleSpinBox* m_cell;
  QDoubleSpinBox* m_distance;
  QCheckBox* m_water;
  QCheckBox* m_park;
  QSpinBox* m_samples;
  QSpinBox* m_seed;
};

}  // namespace netspatial::ui
