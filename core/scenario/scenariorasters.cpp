// The raster tables of a project: imagery (RGB PNG tiles with overviews) and population (Float32
// gridded coverage), written through GDALCreateCopy into the GeoPackage the vector steps made and
// read back with their CRS checked. Members of ScenarioWriter and ScenarioReader.

#include "core/scenario/scenarioreader.h"
#include "core/scenario/scenarioschema.h"
#include "core/scenario/scenariowriter.h"

#include <QFile>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace netspatial::core::detail {

using namespace scenarioschema;

namespace {

//! A MEM dataset over a copy of the grid, with the scenario CRS and geotransform set.
DatasetPtr memDataset(int width, int height, int bands, GDALDataType type, const void* data, const GeoTransform& gt,
                      const QByteArray& wkt) {
  GDALDriverH mem = GDALGetDriverByName("MEM");
  if (!mem) return DatasetPtr();
  DatasetPtr ds(GDALCreate(mem, "", width, height, bands, type, nullptr));
  if (!ds) return ds;
  auto gtCopy = gt;
  GDALSetGeoTransform(ds.get(), gtCopy.data());
  GDALSetProjection(ds.get(), wkt.constData());
  if (GDALDatasetRasterIO(ds.get(), GF_Write, 0, 0, width, height, const_cast<void*>(data), width, height, type, bands, nullptr, 0, 0, 0) !=
      CE_None)
    return DatasetPtr();
  if (bands == 3) {
    GDALSetRasterColorInterpretation(GDALGetRasterBand(ds.get(), 1), GCI_RedBand);
    GDALSetRasterColorInterpretation(GDALGetRasterBand(ds.get(), 2), GCI_GreenBand);
    GDALSetRasterColorInterpretation(GDALGetRasterBand(ds.get(), 3), GCI_BlueBand);
  }
  return ds;
}

}  // namespace

Status ScenarioWriter::writeImagery() {
  const ImageRaster& img = m_s.imagery.grid;
  if (!m_s.imagery.externalPath.isEmpty() || img.isEmpty()) return {};
  if (img.rgb.size() != std::size_t(img.width) * std::size_t(img.height) * 3)
    return Error(ErrorCode::InvalidValue,
                 QStringLiteral("imagery has %1 bytes, expected 3 × %2 × %3").arg(img.rgb.size()).arg(img.width).arg(img.height),
                 {m_target, {}, QStringLiteral("imagery")});
  DatasetPtr mem = memDataset(img.width, img.height, 3, GDT_Byte, img.rgb.data(), img.geoTransform, m_s.metadata.crs.wkt().toUtf8());
  if (!mem) return gdalError(QStringLiteral("preparing the imagery"));
  GDALDriverH gpkg = GDALGetDriverByName("GPKG");
  const char* options[] = {"RASTER_TABLE=imagery", "APPEND_SUBDATASET=YES", "TILE_FORMAT=PNG", nullptr};
  const double base = double(m_stepsDone) / m_stepCount, span = 1.0 / m_stepCount;
  Feedback copyFb = Feedback::childOf(m_feedback, base, base + span * 0.6);
  DatasetPtr out(GDALCreateCopy(gpkg, m_temp.toUtf8().constData(), mem.get(), FALSE, const_cast<char**>(options),
                                m_feedback ? Feedback::gdalProgress : nullptr, &copyFb));
  NS_TRY(checkCancel(QStringLiteral("imagery")));
  if (!out) return gdalError(QStringLiteral("writing the imagery"));
  out.reset();
  // Overviews make the map fast at every zoom, in QGIS as in the studio.
  const char* openOptions[] = {"TABLE=imagery", nullptr};
  DatasetPtr ds(GDALOpenEx(m_temp.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_UPDATE, nullptr, openOptions, nullptr));
  if (!ds) return gdalError(QStringLiteral("reopening the imagery for overviews"));
  // A GeoPackage overview level exists only where the level above it needs more than one
  // 256-pixel tile; asking for more fails with "Image too small".
  std::vector<int> levels;
  const int largest = std::max(img.width, img.height);
  for (int level : {2, 4, 8, 16})
    if (largest > 256 * level / 2) levels.push_back(level);
  if (!levels.empty()) {
    Feedback ovFb = Feedback::childOf(m_feedback, base + span * 0.6, base + span);
    if (GDALBuildOverviews(ds.get(), "AVERAGE", int(levels.size()), levels.data(), 0, nullptr,
                           m_feedback ? Feedback::gdalProgress : nullptr, &ovFb) != CE_None) {
      NS_TRY(checkCancel(QStringLiteral("imagery overviews")));
      return gdalError(QStringLiteral("building the imagery overviews"));
    }
  }
  ds.reset();
  return {};
}

Status ScenarioWriter::writePopulation() {
  const ValueRaster& pop = m_s.population.grid;
  if (!m_s.population.externalPath.isEmpty() || pop.isEmpty()) return {};
  if (pop.values.size() != std::size_t(pop.width) * std::size_t(pop.height))
    return Error(ErrorCode::InvalidValue,
                 QStringLiteral("population has %1 values, expected %2 × %3").arg(pop.values.size()).arg(pop.width).arg(pop.height),
                 {m_target, {}, QStringLiteral("population")});
  DatasetPtr mem = memDataset(pop.width, pop.height, 1, GDT_Float32, pop.values.data(), pop.geoTransform, m_s.metadata.crs.wkt().toUtf8());
  if (!mem) return gdalError(QStringLiteral("preparing the population raster"));
  GDALSetRasterNoDataValue(GDALGetRasterBand(mem.get(), 1), std::numeric_limits<double>::quiet_NaN());
  GDALDriverH gpkg = GDALGetDriverByName("GPKG");
  const char* options[] = {"RASTER_TABLE=population", "APPEND_SUBDATASET=YES", "TILE_FORMAT=TIFF", nullptr};
  const double base = double(m_stepsDone) / m_stepCount;
  Feedback fb = Feedback::childOf(m_feedback, base, base + 1.0 / m_stepCount);
  DatasetPtr out(GDALCreateCopy(gpkg, m_temp.toUtf8().constData(), mem.get(), FALSE, const_cast<char**>(options),
                                m_feedback ? Feedback::gdalProgress : nullptr, &fb));
  NS_TRY(checkCancel(QStringLiteral("population")));
  if (!out) return gdalError(QStringLiteral("writing the population raster"));
  return {};
}

Status ScenarioReader::readRasters() {
  // Which raster tables the file holds, from the GeoPackage's own table of contents.
  QSet<QString> tables;
  if (const ResultSet rs(
          m_ds.get(),
          GDALDatasetExecuteSQL(m_ds.get(), "SELECT table_name FROM gpkg_contents WHERE data_type IN ('tiles', '2d-gridded-coverage')",
                                nullptr, nullptr));
      rs) {
    while (const FeaturePtr f{OGR_L_GetNextFeature(rs.get())}) tables.insert(QString::fromUtf8(OGR_F_GetFieldAsString(f.get(), 0)));
  }
  m_errors.clear();
  const auto open = [&](const char* table, const char* extra) -> Result<DatasetPtr> {
    const QByteArray tableOpt = QByteArray("TABLE=") + table;
    const char* options[] = {tableOpt.constData(), extra, nullptr};
    const char* drivers[] = {"GPKG", nullptr};
    DatasetPtr ds(GDALOpenEx(QFile::encodeName(m_path).constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, drivers, options, nullptr));
    if (!ds)
      return error(ErrorCode::CorruptData, QString::fromUtf8(table),
                   QStringLiteral("cannot open the raster: %1").arg(m_errors.failureText(QStringLiteral("unknown GDAL error"), m_path)));
    return ds;
  };
  const auto checkCrs = [&](GDALDatasetH ds, const char* table) -> Status {
    const Crs crs = detail::crsFromSpatialRef(GDALGetSpatialRef(ds));
    if (!crs.isValid() || !crs.isEquivalentTo(m_s.metadata.crs))
      return Error(
          ErrorCode::UnknownCrs,
          QStringLiteral("raster '%1' is in %2, not in the scenario CRS %3")
              .arg(QString::fromUtf8(table), crs.isValid() ? crs.label() : QStringLiteral("an unknown CRS"), m_s.metadata.crs.label()),
          {m_path, {}, QString::fromUtf8(table)});
    return {};
  };
  if (m_s.imagery.externalPath.isEmpty() && tables.contains(QString::fromUtf8(kImagery))) {
    auto ds = open(kImagery, "BAND_COUNT=3");
    if (!ds) return ds.error();
    NS_TRY(checkCrs(ds->get(), kImagery));
    ImageRaster& img = m_s.imagery.grid;
    img.width = GDALGetRasterXSize(ds->get());
    img.height = GDALGetRasterYSize(ds->get());
    if (GDALGetRasterCount(ds->get()) < 3)
      return error(ErrorCode::CorruptData, QString::fromUtf8(kImagery), QStringLiteral("imagery has fewer than 3 bands"));
    GDALGetGeoTransform(ds->get(), img.geoTransform.data());
    img.rgb.resize(std::size_t(img.width) * std::size_t(img.height) * 3);
    int bands[] = {1, 2, 3};
    if (GDALDatasetRasterIO(ds->get(), GF_Read, 0, 0, img.width, img.height, img.rgb.data(), img.width, img.height, GDT_Byte, 3, bands, 0,
                            0, 0) != CE_None)
      return error(ErrorCode::CorruptData, QString::fromUtf8(kImagery),
                   QStringLiteral("reading pixels failed: %1").arg(m_errors.failureText({}, m_path)));
  }
  NS_TRY(checkCancel());
  if (m_s.population.externalPath.isEmpty() && tables.contains(QString::fromUtf8(kPopulation))) {
    auto ds = open(kPopulation, nullptr);
    if (!ds) return ds.error();
    NS_TRY(checkCrs(ds->get(), kPopulation));
    ValueRaster& pop = m_s.population.grid;
    pop.width = GDALGetRasterXSize(ds->get());
    pop.height = GDALGetRasterYSize(ds->get());
    GDALGetGeoTransform(ds->get(), pop.geoTransform.data());
    pop.values.resize(std::size_t(pop.width) * std::size_t(pop.height));
    GDALRasterBandH band = GDALGetRasterBand(ds->get(), 1);
    if (GDALRasterIO(band, GF_Read, 0, 0, pop.width, pop.height, pop.values.data(), pop.width, pop.height, GDT_Float32, 0, 0) != CE_None)
      return error(ErrorCode::CorruptData, QString::fromUtf8(kPopulation),
                   QStringLiteral("reading values failed: %1").arg(m_errors.failureText({}, m_path)));
    int hasNoData = 0;
    const double noData = GDALGetRasterNoDataValue(band, &hasNoData);
    if (hasNoData && !std::isnan(noData))
      for (float& v : pop.values)
        if (v == float(noData)) v = std::numeric_limits<float>::quiet_NaN();
  }
  return {};
}

}  // namespace netspatial::core::detail
