#include "ui/import/newscenariowizard.h"

#include "ui/import/fieldmappingpage.h"
#include "ui/import/importpreviewpage.h"
#include "ui/import/sourcefilespage.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QSettings>

namespace netspatial::ui {

NewScenarioWizard::NewScenarioWizard(QWidget* parent) : QWizard(parent) {
  setWindowTitle(tr("New scenario from data"));
  setObjectName(QStringLiteral("newScenarioWizard"));
  setWizardStyle(QWizard::ClassicStyle);
  setOption(QWizard::NoBackButtonOnStartPage, true);
  m_files = new SourceFilesPage(this);
  m_fields = new FieldMappingPage(m_files, this);
  m_preview = new ImportPreviewPage([this] { return options(); }, this);
  setPage(FilesPageId, m_files);
  setPage(FieldsPageId, m_fields);
  setPage(PreviewPageId, m_preview);
  setButtonText(QWizard::FinishButton, tr("Create…"));
  resize(1000, 720);
}

void NewScenarioWizard::setFile(ImportSource source, const QString& path) { m_files->setFile(source, path); }

core::ScenarioImportOptions NewScenarioWizard::options() const {
  core::ScenarioImportOptions o;
  o.name = m_files->nameEdit()->text().trimmed();
  if (o.name.isEmpty() && !m_outputPath.isEmpty()) o.name = QFileInfo(m_outputPath).completeBaseName();
  o.crs = m_files->crsEdit()->text().trimmed();
  o.aoiPath = m_files->file(ImportSource::Aoi);
  o.extentLonLat = m_files->extentLonLat();
  m_fields->applyTo(o);
  o.trafficPath = m_files->file(ImportSource::Traffic);
  o.trafficUnit = m_files->trafficUnitEdit()->text().trimmed();
  o.timeZone = m_files->timeZoneBox()->currentText().trimmed();
  return o;
}

QString NewScenarioWizard::suggestedOutputName() const {
  const QString first = m_files->firstFile();
  const QString base = first.isEmpty() ? QStringLiteral("scenario") : QFileInfo(first).completeBaseName();
  return base + QStringLiteral(".gpkg");
}

bool NewScenarioWizard::validateCurrentPage() {
  if (!QWizard::validateCurrentPage()) return false;
  return currentId() != PreviewPageId || chooseOutput();
}

bool NewScenarioWizard::chooseOutput() {
  QSettings settings;
  const QString dir = settings.value(QStringLiteral("paths/lastScenarioDir"), QDir::homePath()).toString();
  const QString suggested = QDir(dir).filePath(suggestedOutputName());
  QString path = m_chooser ? m_chooser(suggested)
                           : QFileDialog::getSaveFileName(this, tr("Create scenario"), suggested, tr("NetSpatial scenarios (*.gpkg)"));
  if (path.isEmpty()) return false;
  if (!path.endsWith(QStringLiteral(".gpkg"), Qt::CaseInsensitive)) path += QStringLiteral(".gpkg");
  settings.setValue(QStringLiteral("paths/lastScenarioDir"), QFileInfo(path).absolutePath());
  m_outputPath = path;
  return true;
}

}  // namespace netspatial::ui
