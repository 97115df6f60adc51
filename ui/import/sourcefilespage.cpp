#include "ui/import/sourcefilespage.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QTimeZone>
#include <QToolButton>
#include <QVBoxLayout>

namespace netspatial::ui {

namespace {

const char* const kLastDirKey = "paths/lastImportDir";

QLabel* purposeLabel(const QString& title, const QString& purpose, QWidget* parent) {
  auto* label = new QLabel(
      QStringLiteral("<b>%1</b><br><span style=\"color:#5a6570\">%2</span>").arg(title.toHtmlEscaped(), purpose.toHtmlEscaped()), parent);
  label->setWordWrap(true);
  label->setMinimumWidth(340);
  return label;
}

}  // namespace

SourceFilesPage::SourceFilesPage(QWidget* parent)
    : QWizardPage(parent),
      m_unit(new QLineEdit(this)),
      m_timeZone(new QComboBox(this)),
      m_extent(new QLineEdit(this)),
      m_crs(new QLineEdit(this)),
      m_name(new QLineEdit(this)),
      m_hint(new QLabel(this)) {
  setTitle(tr("Files"));
  setSubTitle(tr("Every layer is optional. What is not given stays missing in the scenario — it is never filled with zeros."));

  auto* content = new QWidget(this);
  auto* grid = new QGridLayout(content);
  grid->setColumnStretch(1, 1);
  grid->setVerticalSpacing(6);
  int row = 0;
  for (ImportSource source : kImportSources) {
    if (source == ImportSource::Aoi) {
      // The extent's rows come last, after a gap: they decide where, the rest decides what.
      grid->setRowMinimumHeight(row++, 10);
    }
    grid->addWidget(purposeLabel(importSourceTitle(source), importSourcePurpose(source), content), row, 0);
    auto* path = new QLineEdit(content);
    path->setObjectName(importSourceKey(source) + QStringLiteral("File"));
    path->setReadOnly(true);
    path->setPlaceholderText(tr("not given"));
    path->setMinimumWidth(260);
    m_paths[source] = path;
    auto* choose = new QPushButton(tr("Choose…"), content);
    auto* clear = new QToolButton(content);
    clear->setText(QStringLiteral("✕"));
    clear->setToolTip(tr("Not given"));
    connect(choose, &QPushButton::clicked, this, [this, source] { this->choose(source); });
    connect(clear, &QToolButton::clicked, this, [this, source] { setFile(source, QString()); });
    grid->addWidget(path, row, 1);
    grid->addWidget(choose, row, 2);
    grid->addWidget(clear, row, 3);
    ++row;
    if (source == ImportSource::Traffic) {
      // The traffic's own settings sit under its file.
      auto* settings = new QWidget(content);
      auto* h = new QHBoxLayout(settings);
      h->setContentsMargins(0, 0, 0, 0);
      m_unit->setObjectName(QStringLiteral("trafficUnit"));
      m_unit->setPlaceholderText(tr("unit, e.g. MB/h (required with traffic)"));
      m_timeZone->setObjectName(QStringLiteral("timeZone"));
      m_timeZone->setEditable(true);
      m_timeZone->addItem(QString());
      for (const QByteArray& id : QTimeZone::availableTimeZoneIds()) m_timeZone->addItem(QString::fromLatin1(id));
      m_timeZone->lineEdit()->setPlaceholderText(tr("time zone of the timestamps: UTC"));
      m_timeZone->setMinimumContentsLength(18);
      h->addWidget(m_unit, 1);
      h->addWidget(m_timeZone, 1);
      grid->addWidget(settings, row++, 1, 1, 3);
    }
  }
  grid->addWidget(
      purposeLabel(tr("Extent"), tr("Instead of an AOI: a box in degrees. Empty: the union of the layers, which must overlap."), content),
      row, 0);
  m_extent->setObjectName(QStringLiteral("extent"));
  m_extent->setPlaceholderText(tr("minlon,minlat,maxlon,maxlat — optional"));
  grid->addWidget(m_extent, row++, 1, 1, 3);
  grid->addWidget(purposeLabel(tr("CRS"), tr("Projected, in metres (e.g. EPSG:32633). Empty: the UTM zone of the centre."), content), row,
                  0);
  m_crs->setObjectName(QStringLiteral("crs"));
  m_crs->setPlaceholderText(tr("UTM zone of the centre"));
  grid->addWidget(m_crs, row++, 1, 1, 3);
  grid->addWidget(purposeLabel(tr("Name"), tr("The scenario's name. Empty: the output file's name."), content), row, 0);
  m_name->setObjectName(QStringLiteral("scenarioName"));
  m_name->setPlaceholderText(tr("the output file's name"));
  grid->addWidget(m_name, row++, 1, 1, 3);
  grid->setRowStretch(row, 1);

  auto* scroll = new QScrollArea(this);
  scroll->setWidget(content);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  m_hint->setObjectName(QStringLiteral("filesHint"));
  m_hint->setStyleSheet(QStringLiteral("color: #b00020"));
  m_hint->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(scroll, 1);
  layout->addWidget(m_hint);

  connect(m_extent, &QLineEdit::textChanged, this, &SourceFilesPage::updateHint);
  updateHint();
}

void SourceFilesPage::setFile(ImportSource source, const QString& path) {
  QLineEdit* edit = m_paths.at(source);
  edit->setText(path.isEmpty() ? QString() : QDir::toNativeSeparators(path));
  edit->setToolTip(path);
  updateHint();
}

QString SourceFilesPage::file(ImportSource source) const { return QDir::fromNativeSeparators(m_paths.at(source)->text()); }

QString SourceFilesPage::firstFile() const {
  for (ImportSource source : kImportSources)
    if (!file(source).isEmpty()) return file(source);
  return {};
}

std::optional<core::Extent> SourceFilesPage::extentLonLat() const {
  const QStringList parts = m_extent->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
  if (parts.size() != 4) return std::nullopt;
  double v[4];
  for (int i = 0; i < 4; ++i) {
    bool ok = false;
    v[i] = parts[i].trimmed().toDouble(&ok);
    if (!ok) return std::nullopt;
  }
  return core::Extent::fromCorners(v[0], v[1], v[2], v[3]);
}

bool SourceFilesPage::isComplete() const {
  const bool extentTyped = !m_extent->text().trimmed().isEmpty();
  if (extentTyped && !extentLonLat()) return false;
  return !firstFile().isEmpty() || extentTyped;
}

void SourceFilesPage::choose(ImportSource source) {
  QSettings settings;
  const QString current = file(source);
  const QString dir =
      current.isEmpty() ? settings.value(QLatin1String(kLastDirKey), QDir::homePath()).toString() : QFileInfo(current).absolutePath();
  const QString path =
      QFileDialog::getOpenFileName(this, tr("%1 — choose a file").arg(importSourceTitle(source)), dir, importSourceFilter(source));
  if (path.isEmpty()) return;
  settings.setValue(QLatin1String(kLastDirKey), QFileInfo(path).absolutePath());
  setFile(source, path);
}

void SourceFilesPage::updateHint() {
  QString hint;
  if (!m_extent->text().trimmed().isEmpty() && !extentLonLat())
    hint = tr("The extent wants four numbers in degrees: minlon,minlat,maxlon,maxlat.");
  m_hint->setText(hint);
  m_hint->setVisible(!hint.isEmpty());
  Q_EMIT completeChanged();
}

}  // namespace netspatial::ui
