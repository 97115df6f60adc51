#include "ui/import/importpreviewpage.h"

#include "core/geo/vectorreader.h"
#include "core/util/inbox.h"
#include "core/util/threadpool.h"
#include "ui/import/importsource.h"
#include "ui/map/mapcanvas.h"
#include "ui/map/vectorlayer.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>

#include <vector>

namespace netspatial::ui {

namespace {

QString modalityTitle(const QString& name) {
  if (name == QLatin1String("stations")) return importSourceTitle(ImportSource::Stations);
  if (name == QLatin1String("traffic_sites")) return importSourceTitle(ImportSource::TrafficSites);
  if (name == QLatin1String("traffic")) return importSourceTitle(ImportSource::Traffic);
  if (name == QLatin1String("pois")) return importSourceTitle(ImportSource::Pois);
  if (name == QLatin1String("zones")) return importSourceTitle(ImportSource::Zones);
  if (name == QLatin1String("imagery")) return importSourceTitle(ImportSource::Imagery);
  if (name == QLatin1String("population")) return importSourceTitle(ImportSource::Population);
  return name;
}

// The extent as a closed line: an outline that does not tint the layers under it.
std::unique_ptr<MapLayer> extentLayer(const core::Extent& lonLat) {
  core::VectorLayer layer;
  layer.name = QObject::tr("Scenario extent");
  layer.crs = core::Crs::wgs84();
  layer.fieldNames = {};
  // Densified so that the box stays a box's image once projected.
  core::Geometry::Ring ring;
  constexpr int kSteps = 16;
  auto edge = [&](core::PointXY a, core::PointXY b) {
    for (int i = 0; i < kSteps; ++i) ring.push_back({a.x + (b.x - a.x) * i / kSteps, a.y + (b.y - a.y) * i / kSteps});
  };
  edge({lonLat.xMin, lonLat.yMin}, {lonLat.xMax, lonLat.yMin});
  edge({lonLat.xMax, lonLat.yMin}, {lonLat.xMax, lonLat.yMax});
  edge({lonLat.xMax, lonLat.yMax}, {lonLat.xMin, lonLat.yMax});
  edge({lonLat.xMin, lonLat.yMax}, {lonLat.xMin, lonLat.yMin});
  ring.push_back({lonLat.xMin, lonLat.yMin});
  core::Feature f;
  f.fid = 1;
  f.geometry.type = core::GeometryType::LineString;
  f.geometry.parts = {{ring}};
  layer.features.push_back(std::move(f));
  auto out = VectorLayer::fromLayer(std::move(layer));
  if (!out) return nullptr;
  (*out)->setColor(QColor(QStringLiteral("#d0021b")));
  return std::move(out).value();
}

}  // namespace

struct ImportPreviewPage::Result {
  core::ScenarioPreview preview;
  std::vector<std::unique_ptr<MapLayer>> layers;  //!< rasters first, then vectors, the extent last
  QStringList notDrawn;
};

ImportPreviewPage::ImportPreviewPage(std::function<core::ScenarioImportOptions()> options, QWidget* parent)
    : QWizardPage(parent),
      m_options(std::move(options)),
      m_map(new MapCanvas(this)),
      m_table(new QTableWidget(0, 3, this)),
      m_extent(new QLabel(this)),
      m_problems(new QLabel(this)),
      m_notes(new QLabel(this)),
      m_inbox(new core::Inbox(this)) {
  setTitle(tr("Preview"));
  setSubTitle(tr("The layers on the map with the scenario's extent (red), and what each modality will contain."));
  m_map->setObjectName(QStringLiteral("previewMap"));
  m_map->setMinimumSize(320, 260);
  m_table->setObjectName(QStringLiteral("previewTable"));
  m_table->setHorizontalHeaderLabels({tr("Modality"), tr("File"), tr("Will contain")});
  m_table->verticalHeader()->setVisible(false);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setSelectionMode(QAbstractItemView::NoSelection);
  m_table->setWordWrap(true);
  m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
  m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_extent->setObjectName(QStringLiteral("previewExtent"));
  m_extent->setWordWrap(true);
  m_problems->setObjectName(QStringLiteral("previewProblems"));
  m_problems->setStyleSheet(QStringLiteral("color: #b00020"));
  m_problems->setWordWrap(true);
  m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_notes->setObjectName(QStringLiteral("previewNotes"));
  m_notes->setStyleSheet(QStringLiteral("color: #5a6570"));
  m_notes->setWordWrap(true);

  auto* side = new QWidget(this);
  auto* column = new QVBoxLayout(side);
  column->setContentsMargins(0, 0, 0, 0);
  column->addWidget(m_extent);
  column->addWidget(m_table);
  column->addWidget(m_problems);
  column->addWidget(m_notes);
  column->addStretch(1);
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(m_map);
  split->addWidget(side);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  // The table's sentences need the room more than the map needs its width.
  split->setSizes({400, 560});
  split->setChildrenCollapsible(false);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(split);
}

ImportPreviewPage::~ImportPreviewPage() {
  if (m_running) m_running->cancel();
}

void ImportPreviewPage::initializePage() { start(); }

void ImportPreviewPage::cleanupPage() {
  // Back to the fields: whatever is in flight is for options about to change.
  if (m_running) m_running->cancel();
  m_running.reset();
  ++m_generation;
  m_ready = false;
}

bool ImportPreviewPage::isComplete() const { return m_ready && m_preview.problems.isEmpty(); }

void ImportPreviewPage::start() {
  if (m_running) m_running->cancel();
  m_running = std::make_shared<core::Feedback>();
  const quint64 generation = ++m_generation;
  m_ready = false;
  m_map->clearLayers();
  m_table->setRowCount(0);
  m_extent->setText(tr("Checking the files…"));
  m_problems->clear();
  m_problems->hide();
  m_notes->clear();
  Q_EMIT completeChanged();

  const core::ScenarioImportOptions options = m_options();
  auto feedback = m_running;
  const core::Inbox::Address inbox = m_inbox->address();
  // The global pool: it waits for its jobs when the application ends, and a job only ever talks
  // to this page through the inbox, which drops the result if the page is gone.
  core::startInPool(*QThreadPool::globalInstance(), [this, options, feedback, inbox, generation] {
    auto result = std::make_shared<Result>();
    result->preview = core::previewScenarioImport(options, feedback.get());
    auto add = [&](const QString& path, const core::VectorReadOptions* csv = nullptr) {
      if (path.isEmpty() || feedback->isCancelled()) return;
      core::Result<std::unique_ptr<MapLayer>> layer = core::Error(core::ErrorCode::Internal, QString());
      if (csv) {
        auto read = core::readVectorLayer(path, *csv);
        if (read) {
          auto v = VectorLayer::fromLayer(std::move(read).value());
          if (v) layer = std::unique_ptr<MapLayer>(std::move(v).value());
        }
      } else {
        layer = MapLayer::open(path);
      }
      if (!layer) return void(result->notDrawn << QFileInfo(path).fileName());
      result->layers.push_back(std::move(layer).value());
    };
    auto csvOptions = [](const core::PointSource& s) {
      core::VectorReadOptions read;
      read.xField = s.xField;
      read.yField = s.yField;
      read.csvCrs = s.csvCrs;
      return read;
    };
    if (options.imagery) add(options.imagery->path);
    if (options.population) add(options.population->path);
    if (options.zones) add(options.zones->path);
    if (options.pois) add(options.pois->path);
    if (options.trafficSites) {
      const auto read = csvOptions(options.trafficSites->source);
      add(options.trafficSites->source.path, &read);
    }
    if (options.stations) {
      const auto read = csvOptions(options.stations->source);
      add(options.stations->source.path, &read);
    }
    if (!options.aoiPath.isEmpty()) add(options.aoiPath);
    if (!result->preview.lonLat.isEmpty())
      if (auto e = extentLayer(result->preview.lonLat)) result->layers.push_back(std::move(e));
    inbox.post([this, result, generation] {
      if (generation != m_generation) return;  // superseded: another check is on its way
      show(*result);
    });
  });
}

void ImportPreviewPage::show(Result& result) {
  m_running.reset();
  m_preview = std::move(result.preview);
  const core::ScenarioPreview& p = m_preview;

  // The map in the scenario's CRS when it is known, so that the extent is drawn as the import sees it.
  if (p.crs.isValid())
    if (core::Status s = m_map->setMapCrs(p.crs); !s) result.notDrawn << s.error().toString();
  for (auto& layer : result.layers) {
    if (!layer) continue;
    // The canvas gives each vector layer the next colour of its palette (bright, to stand out on
    // imagery); only the extent keeps its own red, put back once it is added.
    const QColor color = layer->color();
    MapLayer* added = layer.get();
    if (core::Status s = m_map->addLayer(std::move(layer)); !s)
      result.notDrawn << s.error().toString();
    else if (color != QColor(Qt::gray))
      added->setColor(color);
  }
  if (!p.extent.isEmpty()) {
    core::Extent e = p.extent;
    const double margin = std::max(e.width(), e.height()) * 0.05;
    e.include(core::PointXY{e.xMin - margin, e.yMin - margin});
    e.include(core::PointXY{e.xMax + margin, e.yMax + margin});
    m_map->zoomToExtent(e);
  } else {
    m_map->zoomToFullExtent();
  }

  m_table->setRowCount(int(p.modalities.size()));
  for (int row = 0; row < int(p.modalities.size()); ++row) {
    const core::ModalityPreview& m = p.modalities[std::size_t(row)];
    auto* name = new QTableWidgetItem(modalityTitle(m.name));
    auto* file = new QTableWidgetItem(m.given ? m.file : tr("not given"));
    auto* contents = new QTableWidgetItem(m.contents);
    name->setData(Qt::UserRole, m.name);
    if (!m.given) {
      for (QTableWidgetItem* item : {file, contents}) item->setForeground(QColor(QStringLiteral("#7a838c")));
      QFont italic = contents->font();
      italic.setItalic(true);
      contents->setFont(italic);
    } else if (m.problem) {
      contents->setForeground(QColor(QStringLiteral("#b00020")));
    }
    contents->setToolTip(m.contents);
    m_table->setItem(row, 0, name);
    m_table->setItem(row, 1, file);
    m_table->setItem(row, 2, contents);
  }

  // As tall as its rows: the problems and notes then sit right under it, not below a blank table.
  m_table->resizeRowsToContents();
  int height = m_table->horizontalHeader()->height() + 2 * m_table->frameWidth();
  for (int row = 0; row < m_table->rowCount(); ++row) height += m_table->rowHeight(row);
  m_table->setFixedHeight(height);

  if (p.crs.isValid())
    m_extent->setText(tr("<b>Extent</b> %1 × %2 km, from %3 (%4, %5 – %6, %7); <b>CRS</b> %8")
                          .arg(p.widthKm, 0, 'f', 1)
                          .arg(p.heightKm, 0, 'f', 1)
                          .arg(p.extentSource)
                          .arg(p.lonLat.xMin, 0, 'f', 4)
                          .arg(p.lonLat.yMin, 0, 'f', 4)
                          .arg(p.lonLat.xMax, 0, 'f', 4)
                          .arg(p.lonLat.yMax, 0, 'f', 4)
                          .arg(p.crs.label().toHtmlEscaped()));
  else
    m_extent->setText(tr("<b>Extent</b> not found — see the problems below."));
  if (!p.problems.isEmpty()) {
    m_problems->setText(tr("Cannot create the scenario:\n• %1").arg(p.problems.join(QStringLiteral("\n• "))));
    m_problems->show();
  }
  QStringList notes = p.notes;
  if (!result.notDrawn.isEmpty()) notes << tr("Not drawn on the map: %1").arg(result.notDrawn.join(QStringLiteral(", ")));
  m_notes->setText(notes.isEmpty() ? QString() : tr("Notes:\n%1").arg(notes.join(QLatin1Char('\n'))));
  m_notes->setVisible(!notes.isEmpty());
  m_ready = true;
  Q_EMIT completeChanged();
  Q_EMIT previewReady();
}

}  // namespace netspatial::ui
