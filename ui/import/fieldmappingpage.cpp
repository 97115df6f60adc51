#include "ui/import/fieldmappingpage.h"

#include "core/geo/crs.h"
#include "core/scenario/taxonomy.h"
#include "ui/import/sourcefilespage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace netspatial::ui {

namespace {

const char* const kLastDirKey = "paths/lastImportDir";

const QStringList kIdNames = {QStringLiteral("id"),     QStringLiteral("site_id"), QStringLiteral("station_id"),
                              QStringLiteral("cellid"), QStringLiteral("cell_id"), QStringLiteral("code")};
const QStringList kNameNames = {QStringLiteral("name"), QStringLiteral("label"), QStringLiteral("nome"), QStringLiteral("nom")};
const QStringList kTypeNames = {QStringLiteral("type"), QStringLiteral("kind"), QStringLiteral("class"), QStringLiteral("station_type")};
const QStringList kCapacityNames = {QStringLiteral("capacity"), QStringLiteral("cap"), QStringLiteral("peak")};
const QStringList kXNames = {QStringLiteral("lon"), QStringLiteral("lng"), QStringLiteral("longitude"), QStringLiteral("x")};
const QStringList kYNames = {QStringLiteral("lat"), QStringLiteral("latitude"), QStringLiteral("y")};
const QStringList kCategoryNames = {QStringLiteral("category"), QStringLiteral("type"), QStringLiteral("class"), QStringLiteral("kind")};
const QStringList kClassNames = {QStringLiteral("class"), QStringLiteral("landuse"), QStringLiteral("zone"), QStringLiteral("type")};
const QStringList kPopulationNames = {QStringLiteral("population"), QStringLiteral("pop"), QStringLiteral("people"),
                                      QStringLiteral("total"), QStringLiteral("inhabitants")};

// Item 0 is `none` (data: empty) unless the field is required; the guess is selected.
void fillFields(QComboBox* box, const QStringList& fields, const QString& none, const QString& guess) {
  box->clear();
  if (!none.isEmpty()) box->addItem(none, QString());
  for (const QString& f : fields) box->addItem(f, f);
  const int at = guess.isEmpty() ? -1 : box->findData(guess);
  box->setCurrentIndex(at >= 0 ? at : 0);
}

QString chosen(const QComboBox* box) { return box->currentData().toString(); }

// "1 band", "6 bands": the studio ships no translations, so Qt's %n plural forms would stay "band(s)".
QString plural(qint64 n, const QString& one, const QString& many) { return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many); }

bool isCsv(const QString& path) { return QFileInfo(path).suffix().compare(QStringLiteral("csv"), Qt::CaseInsensitive) == 0; }

QString describe(const core::SourceProbe& p) {
  if (p.osm) return QObject::tr("OpenStreetMap extract (%1)").arg(p.driver);
  if (p.hasRaster) {
    const QString unit = p.crs.isGeographic() ? QStringLiteral("°") : QStringLiteral(" m");
    return QObject::tr("%1 raster, %2 × %3 px, %4, %5%6/px, %7")
        .arg(p.driver)
        .arg(p.width)
        .arg(p.height)
        .arg(plural(p.bandCount, QObject::tr("band"), QObject::tr("bands")),
             p.crs.isGeographic() ? QString::number(p.pixelSize, 'g', 3) : QString::number(p.pixelSize, 'f', 1), unit,
             p.crs.isValid() ? p.crs.label() : QObject::tr("no CRS"));
  }
  const QString features =
      p.featureCount >= 0 ? plural(p.featureCount, QObject::tr("feature"), QObject::tr("features")) : QObject::tr("features not counted");
  return QObject::tr("%1, %2 (%3); fields: %4")
      .arg(p.driver, features, p.geometryType == QLatin1String("None") ? QObject::tr("a table") : p.geometryType,
           p.fieldNames.isEmpty() ? QObject::tr("none") : p.fieldNames.join(QStringLiteral(", ")));
}

}  // namespace

FieldMappingPage::FieldMappingPage(const SourceFilesPage* files, QWidget* parent)
    : QWizardPage(parent),
      m_files(files),
      m_problems(new QLabel(this)),
      m_nothing(new QLabel(tr("No vector, CSV or raster file given: nothing to map. Go on to the preview."), this)) {
  setTitle(tr("Fields"));
  setSubTitle(tr("What the fields and bands of each file mean. The defaults are guessed from the names; check them."));

  auto* content = new QWidget(this);
  auto* column = new QVBoxLayout(content);
  column->addWidget(m_nothing);
  QFormLayout* form = nullptr;

  auto combo = [this](const QString& name) {
    auto* box = new QComboBox(this);
    box->setObjectName(name);
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return box;
  };

  column->addWidget(addGroup(ImportSource::Stations, &form));
  m_stationId = combo(QStringLiteral("stationIdField"));
  m_stationName = combo(QStringLiteral("stationNameField"));
  m_stationType = combo(QStringLiteral("stationTypeField"));
  m_stationTypeMap = new QLineEdit(this);
  m_stationTypeMap->setObjectName(QStringLiteral("stationTypeMap"));
  m_stationTypeMap->setPlaceholderText(tr("values macro/micro as they are, or e.g. LTE-macro=macro, small=micro"));
  m_stationDefaultType = combo(QStringLiteral("stationDefaultType"));
  m_stationDefaultType->addItem(tr("macro"), QStringLiteral("macro"));
  m_stationDefaultType->addItem(tr("micro"), QStringLiteral("micro"));
  m_stationCapacity = combo(QStringLiteral("stationCapacityField"));
  m_stationDefaultCapacity = new QDoubleSpinBox(this);
  m_stationDefaultCapacity->setObjectName(QStringLiteral("stationDefaultCapacity"));
  m_stationDefaultCapacity->setRange(0.0, 1e9);
  m_stationDefaultCapacity->setDecimals(1);
  m_stationDefaultCapacity->setSpecialValueText(tr("0 (unknown)"));
  m_stationDefaultCapacity->setSuffix(tr(" per hour"));
  m_stationDuplicates = combo(QStringLiteral("stationDuplicates"));
  m_stationDuplicates->addItem(tr("refuse the file (an error naming the row)"), 0);
  m_stationDuplicates->addItem(tr("keep each id's first row (per-cell exports)"), 1);
  m_stationPrefix = new QLineEdit(this);
  m_stationPrefix->setObjectName(QStringLiteral("stationIdPrefix"));
  m_stationPrefix->setPlaceholderText(tr("optional, e.g. ocid- (stations and traffic sites share ids)"));
  form->addRow(tr("Id field"), m_stationId);
  form->addRow(tr("Name field"), m_stationName);
  form->addRow(tr("Type field"), m_stationType);
  form->addRow(tr("Type values"), m_stationTypeMap);
  form->addRow(tr("Default type"), m_stationDefaultType);
  form->addRow(tr("Capacity field"), m_stationCapacity);
  form->addRow(tr("Default capacity"), m_stationDefaultCapacity);
  form->addRow(tr("Repeated ids"), m_stationDuplicates);
  form->addRow(tr("Id prefix"), m_stationPrefix);
  m_stationCsv = addCsvRows(form, QStringLiteral("station"));

  column->addWidget(addGroup(ImportSource::TrafficSites, &form));
  m_siteId = combo(QStringLiteral("siteIdField"));
  m_siteName = combo(QStringLiteral("siteNameField"));
  m_sitePrefix = new QLineEdit(this);
  m_sitePrefix->setObjectName(QStringLiteral("siteIdPrefix"));
  m_sitePrefix->setPlaceholderText(tr("optional, e.g. cell- (the traffic file keeps the bare ids)"));
  form->addRow(tr("Id field"), m_siteId);
  form->addRow(tr("Name field"), m_siteName);
  form->addRow(tr("Id prefix"), m_sitePrefix);
  m_siteCsv = addCsvRows(form, QStringLiteral("site"));

  column->addWidget(addGroup(ImportSource::Pois, &form));
  m_poi = addMappingRows(form, QStringLiteral("poi"), tr("Category field"),
                         tr("OpenStreetMap: tags map to the 14 POI categories through the table shipped with NetSpatial "
                            "(resources/import/osm_poi_categories.csv)."));
  column->addWidget(addGroup(ImportSource::Zones, &form));
  m_zone = addMappingRows(form, QStringLiteral("zone"), tr("Class field"),
                          tr("OpenStreetMap: landuse, leisure, natural … tags map to the 10 zone classes through the table shipped "
                             "with NetSpatial (resources/import/osm_zone_classes.csv)."));

  column->addWidget(addGroup(ImportSource::Imagery, &form));
  auto* bands = new QWidget(this);
  auto* bandRow = new QHBoxLayout(bands);
  bandRow->setContentsMargins(0, 0, 0, 0);
  const char* channels[3] = {"R", "G", "B"};
  for (int i = 0; i < 3; ++i) {
    auto* spin = new QSpinBox(this);
    spin->setObjectName(QStringLiteral("imageryBand%1").arg(QLatin1String(channels[i])));
    spin->setPrefix(QStringLiteral("%1: band ").arg(QLatin1String(channels[i])));
    spin->setRange(1, 1);
    spin->setValue(1);
    m_bands[std::size_t(i)] = spin;
    bandRow->addWidget(spin);
  }
  m_bandCount = new QLabel(this);
  m_bandCount->setObjectName(QStringLiteral("imageryBandCount"));
  bandRow->addWidget(m_bandCount);
  bandRow->addStretch(1);
  form->addRow(tr("Bands for R, G, B"), bands);

  column->addWidget(addGroup(ImportSource::Population, &form));
  m_populationField = combo(QStringLiteral("populationField"));
  m_populationBand = new QSpinBox(this);
  m_populationBand->setObjectName(QStringLiteral("populationBand"));
  m_populationBand->setRange(1, 1);
  m_populationCell = new QDoubleSpinBox(this);
  m_populationCell->setObjectName(QStringLiteral("populationCell"));
  m_populationCell->setRange(10.0, 10000.0);
  m_populationCell->setDecimals(0);
  m_populationCell->setValue(100.0);
  m_populationCell->setSuffix(tr(" m"));
  form->addRow(tr("People per polygon"), m_populationField);
  form->addRow(tr("Band"), m_populationBand);
  form->addRow(tr("Cell size"), m_populationCell);
  column->addStretch(1);

  auto* scroll = new QScrollArea(this);
  scroll->setWidget(content);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  m_problems->setObjectName(QStringLiteral("fieldProblems"));
  m_problems->setStyleSheet(QStringLiteral("color: #b00020"));
  m_problems->setWordWrap(true);
  m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(scroll, 1);
  layout->addWidget(m_problems);

  for (QLineEdit* edit : {m_stationTypeMap, m_stationCsv.crs, m_siteCsv.crs})
    connect(edit, &QLineEdit::textChanged, this, &FieldMappingPage::validate);
  for (QComboBox* box : {m_poi.field, m_zone.field, m_siteId, m_populationField})
    connect(box, &QComboBox::currentIndexChanged, this, &FieldMappingPage::validate);
}

QGroupBox* FieldMappingPage::addGroup(ImportSource source, QFormLayout** form) {
  auto* group = new QGroupBox(importSourceTitle(source), this);
  group->setObjectName(importSourceKey(source) + QStringLiteral("Group"));
  auto* f = new QFormLayout(group);
  f->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  auto* info = new QLabel(group);
  info->setWordWrap(true);
  info->setStyleSheet(QStringLiteral("color: #5a6570"));
  info->setTextInteractionFlags(Qt::TextSelectableByMouse);
  f->addRow(info);
  m_groups[source] = group;
  m_forms[source] = f;
  m_info[source] = info;
  group->setVisible(false);
  *form = f;
  return group;
}

FieldMappingPage::CsvRows FieldMappingPage::addCsvRows(QFormLayout* form, const QString& prefix) {
  CsvRows rows;
  rows.x = new QComboBox(this);
  rows.x->setObjectName(prefix + QStringLiteral("XField"));
  rows.y = new QComboBox(this);
  rows.y->setObjectName(prefix + QStringLiteral("YField"));
  rows.crs = new QLineEdit(this);
  rows.crs->setObjectName(prefix + QStringLiteral("CsvCrs"));
  rows.crs->setPlaceholderText(tr("EPSG:4326 (longitude/latitude in degrees)"));
  form->addRow(tr("Longitude / x column"), rows.x);
  form->addRow(tr("Latitude / y column"), rows.y);
  form->addRow(tr("Coordinates CRS"), rows.crs);
  return rows;
}

FieldMappingPage::MappingRow FieldMappingPage::addMappingRows(QFormLayout* form, const QString& prefix, const QString& fieldLabel,
                                                              const QString& osmNote) {
  MappingRow rows;
  rows.osmNote = new QLabel(osmNote, this);
  rows.osmNote->setWordWrap(true);
  rows.field = new QComboBox(this);
  rows.field->setObjectName(prefix + QStringLiteral("Field"));
  rows.field->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  auto* mapping = new QWidget(this);
  auto* h = new QHBoxLayout(mapping);
  h->setContentsMargins(0, 0, 0, 0);
  rows.mappingFile = new QLineEdit(this);
  rows.mappingFile->setObjectName(prefix + QStringLiteral("MappingFile"));
  rows.mappingFile->setPlaceholderText(tr("none: the values are NetSpatial's names already"));
  auto* choose = new QPushButton(tr("Choose…"), this);
  h->addWidget(rows.mappingFile, 1);
  h->addWidget(choose);
  QLineEdit* edit = rows.mappingFile;
  connect(choose, &QPushButton::clicked, this, [this, edit] {
    QSettings settings;
    const QString path = QFileDialog::getOpenFileName(this, tr("Mapping file (value,name)"),
                                                      settings.value(QLatin1String(kLastDirKey), QDir::homePath()).toString(),
                                                      tr("CSV files (*.csv *.txt);;All files (*)"));
    if (path.isEmpty()) return;
    settings.setValue(QLatin1String(kLastDirKey), QFileInfo(path).absolutePath());
    edit->setText(QDir::toNativeSeparators(path));
  });
  rows.skipUnmapped = new QCheckBox(tr("Skip values the mapping does not list (else each is an error naming its row)"), this);
  rows.skipUnmapped->setObjectName(prefix + QStringLiteral("SkipUnmapped"));
  form->addRow(rows.osmNote);
  form->addRow(fieldLabel, rows.field);
  form->addRow(tr("Mapping file"), mapping);
  form->addRow(QString(), rows.skipUnmapped);
  return rows;
}

void FieldMappingPage::initializePage() {
  bool any = false;
  for (const auto& [source, group] : m_groups) {
    const QString path = m_files->file(source);
    group->setVisible(!path.isEmpty());
    any = any || !path.isEmpty();
    if (path != m_probedPath[source]) {
      m_probedPath[source] = path;
      probeChanged(source);
    }
  }
  m_nothing->setVisible(!any);
  validate();
}

void FieldMappingPage::probeChanged(ImportSource source) {
  m_probes.erase(source);
  const QString path = m_probedPath[source];
  if (path.isEmpty()) return;
  QLabel* info = m_info.at(source);
  auto probe = core::probeSource(path);
  if (!probe) {
    info->setText(QStringLiteral("<span style=\"color:#b00020\">%1</span>").arg(probe.error().toString().toHtmlEscaped()));
    for (int row = 1; row < m_forms.at(source)->rowCount(); ++row) m_forms.at(source)->setRowVisible(row, false);
    return;
  }
  m_probes[source] = *probe;
  info->setText(QStringLiteral("%1 — %2").arg(QFileInfo(path).fileName().toHtmlEscaped(), describe(*probe).toHtmlEscaped()));
  for (int row = 1; row < m_forms.at(source)->rowCount(); ++row) m_forms.at(source)->setRowVisible(row, true);
  refill(source);
}

void FieldMappingPage::refill(ImportSource source) {
  const core::SourceProbe& p = m_probes.at(source);
  const QStringList& f = p.fieldNames;
  QFormLayout* form = m_forms.at(source);
  auto csvRows = [&](const CsvRows& rows) {
    const bool csv = isCsv(p.file);
    fillFields(rows.x, f, tr("(detect lon, lng, longitude or x)"), core::guessField(f, kXNames));
    fillFields(rows.y, f, tr("(detect lat, latitude or y)"), core::guessField(f, kYNames));
    for (QWidget* w : {static_cast<QWidget*>(rows.x), static_cast<QWidget*>(rows.y), static_cast<QWidget*>(rows.crs)})
      form->setRowVisible(w, csv);
  };
  switch (source) {
    case ImportSource::Stations:
      fillFields(m_stationId, f, tr("(the row number: S1, S2, …)"), core::guessField(f, kIdNames));
      fillFields(m_stationName, f, tr("(none)"), core::guessField(f, kNameNames));
      fillFields(m_stationType, f, tr("(none: every station gets the default type)"), core::guessField(f, kTypeNames));
      fillFields(m_stationCapacity, f, tr("(none: the default capacity)"), core::guessField(f, kCapacityNames));
      csvRows(m_stationCsv);
      break;
    case ImportSource::TrafficSites:
      fillFields(m_siteId, f, QString(), core::guessField(f, kIdNames));
      fillFields(m_siteName, f, tr("(none)"), core::guessField(f, kNameNames));
      csvRows(m_siteCsv);
      break;
    case ImportSource::Pois:
    case ImportSource::Zones: {
      const MappingRow& rows = source == ImportSource::Pois ? m_poi : m_zone;
      fillFields(rows.field, f, QString(), core::guessField(f, source == ImportSource::Pois ? kCategoryNames : kClassNames));
      form->setRowVisible(rows.osmNote, p.osm);
      form->setRowVisible(rows.field, !p.osm);
      form->setRowVisible(rows.mappingFile->parentWidget(), !p.osm);
      form->setRowVisible(rows.skipUnmapped, !p.osm);
      break;
    }
    case ImportSource::Imagery: {
      const int n = std::max(1, p.bandCount);
      for (int i = 0; i < 3; ++i) {
        m_bands[std::size_t(i)]->setRange(1, n);
        m_bands[std::size_t(i)]->setValue(std::min(i + 1, n));
      }
      m_bandCount->setText(tr("of %1").arg(plural(p.bandCount, tr("band"), tr("bands"))));
      break;
    }
    case ImportSource::Population: {
      const bool raster = p.hasRaster;
      fillFields(m_populationField, f, QString(), core::guessField(f, kPopulationNames));
      m_populationBand->setRange(1, std::max(1, p.bandCount));
      m_populationBand->setSuffix(tr(" of %1").arg(p.bandCount));
      form->setRowVisible(m_populationField, !raster);
      form->setRowVisible(m_populationBand, raster);
      break;
    }
    default:
      break;
  }
}

void FieldMappingPage::validate() {
  QStringList problems;
  auto crsOk = [&](const QLineEdit* edit, const QString& what) {
    if (!edit->isVisibleTo(this) || edit->text().trimmed().isEmpty()) return;
    if (auto crs = core::Crs::fromUserInput(edit->text().trimmed()); !crs)
      problems << tr("%1, coordinates CRS: %2").arg(what, crs.error().message());
  };
  if (m_probes.count(ImportSource::Stations)) {
    for (const QString& pair : m_stationTypeMap->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
      const qsizetype eq = pair.lastIndexOf(QLatin1Char('='));
      if (eq <= 0 || !core::stationTypeFromName(pair.mid(eq + 1).trimmed()))
        problems << tr("Base stations, type values: '%1' is not value=macro or value=micro").arg(pair.trimmed());
    }
    crsOk(m_stationCsv.crs, importSourceTitle(ImportSource::Stations));
  }
  if (m_probes.count(ImportSource::TrafficSites)) {
    if (chosen(m_siteId).isEmpty()) problems << tr("Traffic sites: choose the id field (the ids the traffic file uses)");
    crsOk(m_siteCsv.crs, importSourceTitle(ImportSource::TrafficSites));
  }
  for (ImportSource s : {ImportSource::Pois, ImportSource::Zones})
    if (auto it = m_probes.find(s);
        it != m_probes.end() && !it->second.osm && chosen(s == ImportSource::Pois ? m_poi.field : m_zone.field).isEmpty())
      problems << tr("%1: the file has no field to read the %2 from")
                      .arg(importSourceTitle(s), s == ImportSource::Pois ? tr("category") : tr("class"));
  if (auto it = m_probes.find(ImportSource::Population);
      it != m_probes.end() && !it->second.hasRaster && chosen(m_populationField).isEmpty())
    problems << tr("Population: polygons need a field with the number of people");
  for (const auto& [source, path] : m_probedPath)
    if (!path.isEmpty() && !m_probes.count(source))
      problems << m_info.at(source)->text().remove(QRegularExpression(QStringLiteral("<[^>]*>")));
  m_problems->setText(problems.join(QLatin1Char('\n')));
  m_problems->setVisible(!problems.isEmpty());
  Q_EMIT completeChanged();
}

bool FieldMappingPage::isComplete() const { return m_problems->text().isEmpty(); }

const core::SourceProbe* FieldMappingPage::probe(ImportSource source) const {
  auto it = m_probes.find(source);
  return it == m_probes.end() ? nullptr : &it->second;
}

core::PointSource FieldMappingPage::pointSource(ImportSource source, const CsvRows& csv) const {
  core::PointSource out;
  out.path = m_files->file(source);
  if (isCsv(out.path)) {
    out.xField = chosen(csv.x);
    out.yField = chosen(csv.y);
    if (const QString text = csv.crs->text().trimmed(); !text.isEmpty())
      if (auto crs = core::Crs::fromUserInput(text); crs) out.csvCrs = *crs;
  }
  return out;
}

void FieldMappingPage::applyTo(core::ScenarioImportOptions& o) const {
  if (const QString path = m_files->file(ImportSource::Stations); !path.isEmpty()) {
    core::StationImportOptions st;
    st.source = pointSource(ImportSource::Stations, m_stationCsv);
    st.idField = chosen(m_stationId);
    st.nameField = chosen(m_stationName);
    st.typeField = chosen(m_stationType);
    for (const QString& pair : m_stationTypeMap->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
      const qsizetype eq = pair.lastIndexOf(QLatin1Char('='));
      if (auto type = eq > 0 ? core::stationTypeFromName(pair.mid(eq + 1).trimmed()) : std::nullopt)
        st.typeMapping.insert(pair.left(eq).trimmed(), *type);
    }
    st.defaultType = core::stationTypeFromName(chosen(m_stationDefaultType)).value_or(core::StationType::Macro);
    st.capacityField = chosen(m_stationCapacity);
    st.defaultCapacity = m_stationDefaultCapacity->value();
    st.duplicateIds = m_stationDuplicates->currentData().toInt() == 1 ? core::StationImportOptions::DuplicateIds::KeepFirst
                                                                      : core::StationImportOptions::DuplicateIds::Error;
    st.idPrefix = m_stationPrefix->text().trimmed();
    o.stations = st;
  }
  if (const QString path = m_files->file(ImportSource::TrafficSites); !path.isEmpty()) {
    core::TrafficSiteImportOptions t;
    t.source = pointSource(ImportSource::TrafficSites, m_siteCsv);
    t.idField = chosen(m_siteId);
    t.nameField = chosen(m_siteName);
    t.idPrefix = m_sitePrefix->text().trimmed();
    o.trafficSites = t;
  }
  const auto osm = [this](ImportSource s) { return probe(s) && probe(s)->osm; };
  if (const QString path = m_files->file(ImportSource::Pois); !path.isEmpty()) {
    core::PoiImportOptions p;
    p.path = path;
    if (!osm(ImportSource::Pois)) {
      p.categoryField = chosen(m_poi.field);
      p.mappingFile = QDir::fromNativeSeparators(m_poi.mappingFile->text().trimmed());
      p.skipUnmapped = m_poi.skipUnmapped->isChecked();
    }
    o.pois = p;
  }
  if (const QString path = m_files->file(ImportSource::Zones); !path.isEmpty()) {
    core::ZoneImportOptions z;
    z.path = path;
    if (!osm(ImportSource::Zones)) {
      z.classField = chosen(m_zone.field);
      z.mappingFile = QDir::fromNativeSeparators(m_zone.mappingFile->text().trimmed());
      z.skipUnmapped = m_zone.skipUnmapped->isChecked();
    }
    o.zones = z;
  }
  if (const QString path = m_files->file(ImportSource::Imagery); !path.isEmpty()) {
    core::ImageryImportOptions im;
    im.path = path;
    for (std::size_t i = 0; i < 3; ++i) im.bands[i] = m_bands[i]->value();
    o.imagery = im;
  }
  if (const QString path = m_files->file(ImportSource::Population); !path.isEmpty()) {
    core::PopulationImportOptions pop;
    pop.path = path;
    const core::SourceProbe* p = probe(ImportSource::Population);
    if (p && !p->hasRaster) pop.field = chosen(m_populationField);
    pop.band = m_populationBand->value();
    pop.cellSize = m_populationCell->value();
    o.population = pop;
  }
}

}  // namespace netspatial::ui
