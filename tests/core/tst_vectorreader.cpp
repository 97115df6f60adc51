#include "core/geo/coordinatetransform.h"
#include "core/geo/gdalsupport.h"
#include "core/geo/rasterdataset.h"
#include "core/geo/vectorreader.h"
#include "testdata.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

using namespace netspatial::core;

namespace {

void writeText(const QString& path, const QByteArray& text) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(text);
}

// Independent reference: OGR transforms the tract into the raster's CRS and computes its centroid;
// GDAL's inverse geotransform gives the pixel.
QPointF ogrCentroidPixel(const QString& shp, qint64 fid, const QString& raster) {
  GDALAllRegister();
  GDALDatasetH vds = GDALOpenEx(shp.toUtf8().constData(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  GDALDatasetH rds = GDALOpen(raster.toUtf8().constData(), GA_ReadOnly);
  OGRLayerH layer = GDALDatasetGetLayer(vds, 0);
  OGRFeatureH f = OGR_L_GetFeature(layer, fid);
  OGRGeometryH g = OGR_G_Clone(OGR_F_GetGeometryRef(f));
  OGRSpatialReferenceH src = OSRClone(OGR_L_GetSpatialRef(layer));
  OGRSpatialReferenceH dst = OSRClone(GDALGetSpatialRef(rds));
  OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
  OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(src, dst);
  OGR_G_Transform(g, ct);
  OGRGeometryH c = OGR_G_CreateGeometry(wkbPoint);
  OGR_G_Centroid(g, c);
  double gt[6], inv[6];
  GDALGetGeoTransform(rds, gt);
  if (!GDALInvGeoTransform(gt, inv)) return {qQNaN(), qQNaN()};
  double px = 0, py = 0;
  GDALApplyGeoTransform(inv, OGR_G_GetX(c, 0), OGR_G_GetY(c, 0), &px, &py);
  OGR_G_DestroyGeometry(c);
  OCTDestroyCoordinateTransformation(ct);
  OSRDestroySpatialReference(src);
  OSRDestroySpatialReference(dst);
  OGR_G_DestroyGeometry(g);
  OGR_F_Destroy(f);
  GDALClose(rds);
  GDALClose(vds);
  return {px, py};
}

}  // namespace

class TestVectorReader : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void olindaTractsFallInsideTheImage() {
    NETSPATIAL_SHARED_FILE(shp, "olinda/olinda1.shp");
    NETSPATIAL_SHARED_FILE(tif, "olinda/L7_ETMs.tif");
    auto tracts = readVectorLayer(shp);
    QVERIFY2(tracts.ok(), tracts.ok() ? "" : qPrintable(tracts.error().toString()));
    QCOMPARE(int(tracts->features.size()), 470);
    QVERIFY(tracts->crs.isGeographic());
    QCOMPARE(tracts->dominantType(), GeometryType::Polygon);
    QVERIFY(tracts->fieldNames.contains(QStringLiteral("NM_BAIR")));
    auto raster = RasterDataset::open(tif).value();
    const auto toRaster = CoordinateTransform::create(tracts->crs, raster.info().crs).value();
    Extent all;
    int fullyInside = 0;
    for (const Feature& f : tracts->features) {
      auto g = toRaster.transform(f.geometry);
      QVERIFY(g.ok());
      // Every tract lands on the image (its centroid inside) — none is shifted into the sea.
      QVERIFY2(raster.info().extent.contains(g->centroid()), qPrintable(QStringLiteral("tract fid %1").arg(f.fid)));
      if (raster.info().extent.contains(g->extent())) ++fullyInside;
      all.include(g->extent());
    }
    // The data: 467 of 470 tracts lie wholly inside; 3 border tracts reach up to ~400 m past the
    // image's southern and eastern edges (checked independently with ogr2ogr).
    qInfo() << fullyInside << "of" << tracts->features.size() << "tracts lie wholly inside the image";
    QVERIFY(fullyInside >= 0.99 * double(tracts->features.size()));
    // And they cover a real part of it (the town, not a speck): > 10 % of the image area.
    QVERIFY(all.width() * all.height() > 0.1 * raster.info().extent.width() * raster.info().extent.height());
  }

  void tractCentroidMapsToTheIndependentPixel() {
    NETSPATIAL_SHARED_FILE(shp, "olinda/olinda1.shp");
    NETSPATIAL_SHARED_FILE(tif, "olinda/L7_ETMs.tif");
    auto tracts = readVectorLayer(shp).value();
    auto raster = RasterDataset::open(tif).value();
    const auto toRaster = CoordinateTransform::create(tracts.crs, raster.info().crs).value();
    for (std::size_t index : {std::size_t(0), std::size_t(117), std::size_t(300), std::size_t(469)}) {
      const Feature& f = tracts.features[index];
      const PointXY centroid = toRaster.transform(f.geometry).value().centroid();
      const PointXY pixel = *worldToPixel(raster.info().geoTransform, centroid);
      const QPointF expected = ogrCentroidPixel(shp, f.fid, tif);
      QVERIFY2(
          std::abs(pixel.x - expected.x()) < 0.01 && std::abs(pixel.y - expected.y()) < 0.01,
          qPrintable(QStringLiteral("fid %1: %2,%3 vs %4,%5").arg(f.fid).arg(pixel.x).arg(pixel.y).arg(expected.x()).arg(expected.y())));
      QCOMPARE(int(std::floor(pixel.x)), int(std::floor(expected.x())));
    }
  }

  void milanGrid() {
    NETSPATIAL_SHARED_FILE(path, "milan/milano-grid.geojson");
    auto grid = readVectorLayer(path);
    QVERIFY2(grid.ok(), grid.ok() ? "" : qPrintable(grid.error().toString()));
    QCOMPARE(int(grid->features.size()), 10000);
    QVERIFY(grid->crs.isEquivalentTo(Crs::wgs84()));
    QSet<qlonglong> ids;
    for (const Feature& f : grid->features) {
      QVERIFY(f.geometry.isPolygonal());
      ids.insert(f.attributes.value(QStringLiteral("cellId")).toLongLong());
    }
    QCOMPARE(ids.size(), 10000);
    QVERIFY(ids.contains(1) && ids.contains(10000));
    // Milan lies around 9.19 E, 45.46 N.
    QVERIFY(grid->extent().contains(PointXY{9.19, 45.46}));
  }

  void milanDistricts() {
    NETSPATIAL_SHARED_FILE(path, "milan/nil_districts.geojson");
    auto nil = readVectorLayer(path).value();
    QCOMPARE(int(nil.features.size()), 88);
    QSet<QString> names;
    for (const Feature& f : nil.features) {
      const QString name = f.attributes.value(QStringLiteral("NIL")).toString();
      QVERIFY(!name.isEmpty());
      names.insert(name);
    }
    QCOMPARE(names.size(), 88);
  }

  void milanTransitStationsFromCsv() {
    NETSPATIAL_SHARED_FILE(path, "milan/public_transport_stations.csv");
    auto stations = readVectorLayer(path);
    QVERIFY2(stations.ok(), stations.ok() ? "" : qPrintable(stations.error().toString()));
    QCOMPARE(int(stations->features.size()), 149);
    for (const Feature& f : stations->features) QVERIFY(Extent({8.7, 45.2, 9.6, 45.7}).contains(f.geometry.centroid()));
  }

  void csvWithProjectedXY() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sites.csv"));
    writeText(path, "id,name,x,y\n1,\"Duomo, centre\",514912.0,5034800.0\n2,North,515000.5,5040000\n");
    VectorReadOptions options;
    options.csvCrs = Crs::fromEpsg(32632).value();
    auto layer = readVectorLayer(path, options);
    QVERIFY2(layer.ok(), layer.ok() ? "" : qPrintable(layer.error().toString()));
    QCOMPARE(int(layer->features.size()), 2);
    QCOMPARE(layer->crs.authId(), QStringLiteral("EPSG:32632"));
    QCOMPARE(layer->features[0].attributes.value(QStringLiteral("name")).toString(), QStringLiteral("Duomo, centre"));
    QCOMPARE(layer->features[1].geometry.centroid(), (PointXY{515000.5, 5040000.0}));
  }

  void geoPackageRoundTrip() {
    NETSPATIAL_SHARED_FILE(shp, "olinda/olinda1.shp");
    QTemporaryDir dir;
    const QString gpkg = dir.filePath(QStringLiteral("tracts.gpkg"));
    GDALAllRegister();
    GDALDatasetH src = GDALOpenEx(shp.toUtf8().constData(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    const char* args[] = {"-f", "GPKG", nullptr};
    GDALVectorTranslateOptions* opts = GDALVectorTranslateOptionsNew(const_cast<char**>(args), nullptr);
    GDALDatasetH out = GDALVectorTranslate(gpkg.toUtf8().constData(), nullptr, 1, &src, opts, nullptr);
    GDALVectorTranslateOptionsFree(opts);
    QVERIFY(out);
    GDALClose(out);
    GDALClose(src);
    QCOMPARE(listVectorLayers(gpkg).value(), QStringList{QStringLiteral("olinda1")});
    auto a = readVectorLayer(shp).value();
    auto b = readVectorLayer(gpkg).value();
    QCOMPARE(b.features.size(), a.features.size());
    QCOMPARE(b.features[5].geometry.pointCount(), a.features[5].geometry.pointCount());
    // Same coordinates, same order (a lat/lon swap in one driver would show here).
    QCOMPARE(b.features[5].geometry.parts[0][0][3], a.features[5].geometry.parts[0][0][3]);
    QVERIFY(b.features[5].geometry.parts[0][0][3].x < -34.0);  // Olinda's longitude, not its latitude
    QCOMPARE(b.features[5].attributes.value(QStringLiteral("NM_BAIR")), a.features[5].attributes.value(QStringLiteral("NM_BAIR")));
    QVERIFY(b.crs.isEquivalentTo(a.crs));
  }

  void axisOrderOfTheData() {
    // The reader keeps x = lon whatever the CRS's authority order; it must recognise data that
    // arrive lat/lon first.
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    QCOMPARE(OSRImportFromEPSG(srs, 4326), OGRERR_NONE);
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    QVERIFY(!netspatial::core::detail::dataIsNorthingFirst(srs));
    OSRSetAxisMappingStrategy(srs, OAMS_AUTHORITY_COMPLIANT);
    QVERIFY(netspatial::core::detail::dataIsNorthingFirst(srs));
    QCOMPARE(OSRImportFromEPSG(srs, 32632), OGRERR_NONE);
    QVERIFY(!netspatial::core::detail::dataIsNorthingFirst(srs));
    OSRDestroySpatialReference(srs);
  }

  void cancelStopsReading() {
    NETSPATIAL_SHARED_FILE(path, "milan/milano-grid.geojson");
    Feedback feedback;
    feedback.cancel();
    auto grid = readVectorLayer(path, {}, &feedback);
    QVERIFY(!grid.ok());
    QCOMPARE(grid.error().code(), ErrorCode::Cancelled);
  }
};

QTEST_GUILESS_MAIN(TestVectorReader)
#include "tst_vectorreader.moc"
