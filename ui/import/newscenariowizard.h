#pragma once

#include "core/import/scenarioimport.h"
#include "ui/import/importsource.h"

#include <QWizard>

#include <functional>

namespace netspatial::ui {

class FieldMappingPage;
class ImportPreviewPage;
class SourceFilesPage;

//! File › New scenario from data… (issue 19): pick files, map fields, preview on the map, create.
//! The wizard only produces what `netspatial import scenario` takes — a core::ScenarioImportOptions
//! and the output path — so the studio runs the very import the command line runs (the app wires
//! it as a task). Create asks for the output GeoPackage (named after the first file by default).
class NewScenarioWizard : public QWizard {
  Q_OBJECT

 public:
  enum PageId { FilesPageId, FieldsPageId, PreviewPageId };

  explicit NewScenarioWizard(QWidget* parent = nullptr);

  SourceFilesPage* filesPage() const { return m_files; }
  FieldMappingPage* fieldsPage() const { return m_fields; }
  ImportPreviewPage* previewPage() const { return m_preview; }

  //! Shortcut for the Files page's row of `source` (empty = not given).
  void setFile(ImportSource source, const QString& path);

  //! The options of the files and choices made so far; `name` is the output's base name when no
  //! name was typed.
  core::ScenarioImportOptions options() const;
  //! The GeoPackage chosen when Create was pressed.
  const QString& outputPath() const { return m_outputPath; }
  //! The output's default file name: the first file's base name, ".gpkg".
  QString suggestedOutputName() const;

  //! Tests answer the Save dialog of Create: given the suggested path, return the chosen one
  //! (empty = cancelled). Without, a QFileDialog asks.
  void setOutputChooser(std::function<QString(const QString& suggested)> chooser) { m_chooser = std::move(chooser); }

  bool validateCurrentPage() override;

 private:
  bool chooseOutput();

  SourceFilesPage* m_files;
  FieldMappingPage* m_fields;
  ImportPreviewPage* m_preview;
  QString m_outputPath;
  std::function<QString(const QString&)> m_chooser;
};

}  // namespace netspatial::ui
