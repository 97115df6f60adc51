#pragma once

#include "core/operations/operationssettings.h"

#include <QList>
#include <QPair>
#include <QStringList>
#include <QWidget>

#include <array>

class QAbstractButton;
class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QScrollArea;
class QSpinBox;

namespace netspatial::ui {

class GeneratorChooser;

//! The operations panel's settings (DESIGN.md §9–10): which stations a study runs on, the forecast
//! it decides on, the sleep schedule's parameters, the EARTH power model of macro and micro
//! stations, NetSpatial's paper mode and load balancing, as one core::OperationsSettings.
//!
//! It runs nothing: every edit emits settingsChanged() and the owner reads settings() when it
//! starts a study. Values the panel does not show (the solver's group limit, time limit and gap,
//! the trade-off quantiles) pass through setSettings() → settings() unchanged. Problems that would
//! make a study fail or be empty (an EARTH parameter validate() refuses, an empty selection, no
//! zone) are listed inline; isValid() is false while there are any, so the owner can disable Run.
class OperationsSettingsWidget : public QWidget {
  Q_OBJECT

 public:
  //! Rows of the EARTH grid, in the order they are shown.
  enum EarthParameter { Transceivers = 0, MaxTransmitPower, StaticPower, LoadSlope, SleepPower, EarthParameterCount };
  enum StationKind { Macro = 0, Micro = 1 };

  explicit OperationsSettingsWidget(QWidget* parent = nullptr);
  ~OperationsSettingsWidget() override;

  //! Shows `settings` without emitting settingsChanged(). Values outside an editor's range are
  //! clamped to it (a negative wattage shows as 0 W, which validate() then names).
  void setSettings(const core::OperationsSettings& settings);
  core::OperationsSettings settings() const;

  //! The project's zones (id, name) for the Zone scope. The chosen zone stays chosen when it is
  //! still in the list; a Zone scope whose zone is not in it asks for one.
  void setZones(const QList<QPair<qint64, QString>>& zones);
  //! How many stations are selected on the map: "Selected stations (3)", disabled at 0.
  void setSelectionCount(int count);
  int selectionCount() const { return m_selectionCount; }

  //! Everything that would make a study fail or come out empty; empty when the settings are usable.
  QStringList problems() const;
  bool isValid() const { return problems().isEmpty(); }

  //! The EARTH parameters back to EarthPowerModel::macro() and micro(); emits settingsChanged().
  void resetEarthDefaults();

  // For tests and for the owner's layout.
  QRadioButton* scopeButton(core::StationScope scope) const;
  QComboBox* zoneCombo() const { return m_zoneCombo; }
  QSpinBox* horizonSpin() const { return m_horizon; }
  QSpinBox* samplesSpin() const { return m_samples; }
  QLineEdit* seedEdit() const { return m_seed; }
  //! The forecast generator: not part of OperationsSettings (the project stores the choice); the
  //! owner fills it and listens to its generatorChosen().
  GeneratorChooser* generatorChooser() const { return m_generator; }
  QDoubleSpinBox* quantileSpin() const { return m_quantile; }
  QDoubleSpinBox* safetyMarginSpin() const { return m_margin; }
  QDoubleSpinBox* sleepDistanceSpin() const { return m_sleepDistance; }
  QDoubleSpinBox* headroomSpin() const { return m_headroom; }
  QSpinBox* nightStartSpin() const { return m_nightStart; }
  QSpinBox* nightEndSpin() const { return m_nightEnd; }
  QDoubleSpinBox* capacityFactorSpin() const { return m_capacityFactor; }
  //! The editor of one EARTH parameter: a QSpinBox for Transceivers, a QDoubleSpinBox otherwise.
  QWidget* earthEditor(StationKind kind, EarthParameter parameter) const;
  QPushButton* resetEarthButton() const { return m_resetEarth; }
  QLabel* earthSourceLabel() const { return m_earthSource; }
  //! The validate() messages of both models, "Micro: P_sleep (80 W) must not exceed P0 (56 W)".
  QLabel* earthProblemsLabel() const { return m_earthProblems; }
  //! Scope problems: an empty selection, no zone.
  QLabel* scopeProblemsLabel() const { return m_scopeProblems; }
  //! Idle, full-load and sleep power of each kind, as the current parameters give them.
  QLabel* earthDerivedLabel(StationKind kind) const { return m_derived[std::size_t(kind)]; }
  QSpinBox* paperWindowSpin() const { return m_paperWindow; }
  QDoubleSpinBox* paperQuantileSpin() const { return m_paperQuantile; }
  QDoubleSpinBox* balanceThresholdSpin() const { return m_balanceThreshold; }
  QDoubleSpinBox* balanceDistanceSpin() const { return m_balanceDistance; }
  //! Groups side by side (1 or 2), by the width available.
  int columnCount() const { return m_columns; }

 Q_SIGNALS:
  //! The user changed a value (or reset the EARTH parameters); not emitted by setSettings().
  void settingsChanged();
  //! isValid() changed, whoever changed it.
  void validityChanged(bool valid);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  QGroupBox* buildScopeGroup();
  QGroupBox* buildSleepGroup();
  QGroupBox* buildEarthGroup();
  QGroupBox* buildPaperGroup();
  QGroupBox* buildBalanceGroup();
  void setEarth(StationKind kind, const core::EarthPowerModel& model);
  core::EarthPowerModel earth(StationKind kind) const;
  void arrangeGroups(int columns);
  //! After any change: enabled states, suffixes, derived power, problems; then emits if `user`.
  void refresh(bool user);
  void onEdited();
  QStringList scopeProblems() const;
  QStringList earthProblems() const;
  int zoneIndexOf(qint64 zoneId) const;

  // Everything the panel does not edit, carried from setSettings() to settings().
  core::OperationsSettings m_base;
  qint64 m_zoneId = -1;
  quint64 m_seedValue = 1;
  int m_selectionCount = 0;
  int m_columns = 0;
  bool m_syncing = false;
  bool m_lastValid = true;

  QScrollArea* m_scroll;
  QWidget* m_content;
  QGridLayout* m_grid;
  std::array<QGroupBox*, 5> m_groups{};

  QButtonGroup* m_scopeGroup;
  QRadioButton* m_scopeAll;
  QRadioButton* m_scopeSelection;
  QRadioButton* m_scopeZone;
  QComboBox* m_zoneCombo;
  QLabel* m_scopeProblems;
  QSpinBox* m_horizon;
  QSpinBox* m_samples;
  QLineEdit* m_seed;
  GeneratorChooser* m_generator;
  QDoubleSpinBox* m_capacityFactor;

  QDoubleSpinBox* m_quantile;
  QDoubleSpinBox* m_margin;
  QDoubleSpinBox* m_sleepDistance;
  QDoubleSpinBox* m_headroom;
  QSpinBox* m_nightStart;
  QSpinBox* m_nightEnd;
  QLabel* m_nightHint;

  std::array<QSpinBox*, 2> m_transceivers{};
  std::array<std::array<QDoubleSpinBox*, EarthParameterCount>, 2> m_earthEditors{};
  std::array<QLabel*, 2> m_derived{};
  QPushButton* m_resetEarth;
  QLabel* m_earthSource;
  QLabel* m_earthProblems;

  QSpinBox* m_paperWindow;
  QDoubleSpinBox* m_paperQuantile;
  QDoubleSpinBox* m_balanceThreshold;
  QDoubleSpinBox* m_balanceDistance;
};

}  // namespace netspatial::ui
