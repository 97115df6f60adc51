#pragma once

// Owned GDAL/OGR handles: one definition of each, so that every path out of a function (errors
// included) closes datasets, destroys features and geometries and releases spatial references.
// Internal to core (and to tests that link GDAL): it includes GDAL's C headers, so public headers
// of core never include it.

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>
#include <type_traits>

namespace netspatial::core::detail {

struct DatasetCloser {
  void operator()(GDALDatasetH dataset) const {
    if (dataset) GDALClose(dataset);
  }
};
//! A GDAL dataset (raster or vector), closed — and so flushed — when it goes.
using DatasetPtr = std::unique_ptr<std::remove_pointer_t<GDALDatasetH>, DatasetCloser>;

struct FeatureDestroyer {
  void operator()(OGRFeatureH feature) const {
    if (feature) OGR_F_Destroy(feature);
  }
};
using FeaturePtr = std::unique_ptr<std::remove_pointer_t<OGRFeatureH>, FeatureDestroyer>;

struct GeometryDestroyer {
  void operator()(OGRGeometryH geometry) const {
    if (geometry) OGR_G_DestroyGeometry(geometry);
  }
};
using GeometryPtr = std::unique_ptr<std::remove_pointer_t<OGRGeometryH>, GeometryDestroyer>;

struct SpatialRefReleaser {
  void operator()(OGRSpatialReferenceH srs) const {
    if (srs) OSRRelease(srs);  // reference-counted: layers may hold it too
  }
};
using SpatialRefPtr = std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SpatialRefReleaser>;

struct CplFreer {
  void operator()(char* text) const { CPLFree(text); }
};
//! A string GDAL allocated (OSRExportToWkt, CPLStrdup, …).
using CplStringPtr = std::unique_ptr<char, CplFreer>;

struct StringListDestroyer {
  void operator()(char** list) const { CSLDestroy(list); }
};
//! A GDAL string list (CSLSetNameValue, CSLAddString, …): option lists for drivers.
using StringListPtr = std::unique_ptr<char*, StringListDestroyer>;

//! The result of GDALDatasetExecuteSQL, released to its dataset.
class ResultSet {
 public:
  ResultSet(GDALDatasetH dataset, OGRLayerH layer) : m_dataset(dataset), m_layer(layer) {}
  ~ResultSet() {
    if (m_layer) GDALDatasetReleaseResultSet(m_dataset, m_layer);
  }
  ResultSet(const ResultSet&) = delete;
  ResultSet& operator=(const ResultSet&) = delete;
  OGRLayerH get() const { return m_layer; }
  explicit operator bool() const { return m_layer != nullptr; }

 private:
  GDALDatasetH m_dataset;
  OGRLayerH m_layer;
};

}  // namespace netspatial::core::detail
