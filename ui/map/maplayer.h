#pragma once

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "core/util/result.h"

#include <QColor>
#include <QString>

#include <memory>

namespace netspatial::ui {

//! One layer of the map canvas: a source file in its own CRS, drawn in the canvas's map CRS.
//! Layers keep their source CRS (DESIGN.md §3) and reproject when the map CRS is set, so that
//! every layer of a canvas shares one projected frame.
class MapLayer {
 public:
  enum class Kind { Raster, Vector };

  virtual ~MapLayer() = default;
  MapLayer(const MapLayer&) = delete;
  MapLayer& operator=(const MapLayer&) = delete;

  //! Opens any GDAL raster or OGR vector file: tries raster first (a GeoPackage or a GeoTIFF
  //! is more often imagery than not), then vector. The error names the file and says why both
  //! readers refused it.
  static core::Result<std::unique_ptr<MapLayer>> open(const QString& path);

  virtual Kind kind() const = 0;
  //! Unique for the process lifetime; lets asynchronous renders find their layer again.
  quint64 id() const { return m_id; }

  const QString& name() const { return m_name; }
  void setName(const QString& name) { m_name = name; }
  const QString& file() const { return m_file; }
  bool isVisible() const { return m_visible; }
  void setVisible(bool visible) { m_visible = visible; }
  //! The colour that identifies the layer in the legend (the outline colour for vectors).
  QColor color() const { return m_color; }
  virtual void setColor(const QColor& color) { m_color = color; }

  virtual const core::Crs& sourceCrs() const = 0;
  //! Bounds in the source CRS.
  virtual core::Extent sourceExtent() const = 0;
  //! One line for tooltips: size, bands or feature count, CRS.
  virtual QString description() const = 0;

  //! Reprojects what the layer keeps into `mapCrs`. On failure the layer keeps its previous map CRS.
  virtual core::Status setMapCrs(const core::Crs& mapCrs) = 0;
  const core::Crs& mapCrs() const { return m_mapCrs; }
  //! Bounds in the map CRS (empty before setMapCrs()).
  const core::Extent& mapExtent() const { return m_mapExtent; }

 protected:
  MapLayer(QString name, QString file);

  core::Crs m_mapCrs;
  core::Extent m_mapExtent;

 private:
  quint64 m_id;
  QString m_name;
  QString m_file;
  bool m_visible = true;
  QColor m_color = Qt::gray;
};

}  // namespace netspatial::ui
