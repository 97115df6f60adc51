#pragma once

#include "core/import/scenarioimport.h"
#include "core/import/sourceprobe.h"
#include "ui/import/importsource.h"

#include <QWizardPage>

#include <array>
#include <map>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace netspatial::ui {

class SourceFilesPage;

//! The New scenario wizard's second page: for each file given, what its fields and bands mean.
//! Field names come from a light probe (core/import/sourceprobe.h); defaults are guessed from
//! the names (a field called id, lon/lat columns). A file that cannot be probed says why in red.
class FieldMappingPage : public QWizardPage {
  Q_OBJECT

 public:
  FieldMappingPage(const SourceFilesPage* files, QWidget* parent = nullptr);

  void initializePage() override;
  bool isComplete() const override;

  //! Fills the layer options (stations, traffic sites, POIs, zones, imagery, population) of
  //! `options` from the files and the choices made here.
  void applyTo(core::ScenarioImportOptions& options) const;

  //! What the probe found, for the preview (nullptr when the source is not given or unreadable).
  const core::SourceProbe* probe(ImportSource source) const;

 private:
  struct CsvRows {
    QComboBox* x = nullptr;
    QComboBox* y = nullptr;
    QLineEdit* crs = nullptr;
  };
  struct MappingRow {
    QComboBox* field = nullptr;
    QLineEdit* mappingFile = nullptr;
    QCheckBox* skipUnmapped = nullptr;
    QLabel* osmNote = nullptr;
  };

  QGroupBox* addGroup(ImportSource source, QFormLayout** form);
  CsvRows addCsvRows(QFormLayout* form, const QString& prefix);
  MappingRow addMappingRows(QFormLayout* form, const QString& prefix, const QString& fieldLabel, const QString& osmNote);
  void probeChanged(ImportSource source);
  void refill(ImportSource source);
  void validate();
  core::PointSource pointSource(ImportSource source, const CsvRows& csv) const;

  const SourceFilesPage* m_files;
  std::map<ImportSource, QString> m_probedPath;
  std::map<ImportSource, core::SourceProbe> m_probes;
  std::map<ImportSource, QGroupBox*> m_groups;
  std::map<ImportSource, QFormLayout*> m_forms;
  std::map<ImportSource, QLabel*> m_info;
  QLabel* m_problems;
  QLabel* m_nothing;

  // Stations.
  QComboBox* m_stationId;
  QComboBox* m_stationName;
  QComboBox* m_stationType;
  QLineEdit* m_stationTypeMap;
  QComboBox* m_stationDefaultType;
  QComboBox* m_stationCapacity;
  QDoubleSpinBox* m_stationDefaultCapacity;
  QComboBox* m_stationDuplicates;
  QLineEdit* m_stationPrefix;
  CsvRows m_stationCsv;
  // Traffic sites.
  QComboBox* m_siteId;
  QComboBox* m_siteName;
  QLineEdit* m_sitePrefix;
  CsvRows m_siteCsv;
  // POIs and zones.
  MappingRow m_poi;
  MappingRow m_zone;
  // Imagery.
  std::array<QSpinBox*, 3> m_bands{};
  QLabel* m_bandCount;
  // Population.
  QComboBox* m_populationField;
  QSpinBox* m_populationBand;
  QDoubleSpinBox* m_populationCell;
};

}  // namespace netspatial::ui
