#pragma once

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "core/util/feedback.h"
#include "core/util/result.h"
#include "ui/map/mapview.h"

#include <QColor>
#include <QImage>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

class QPainter;

namespace netspatial::ui {

//! One line of a layer's legend: a label with the colour and symbol used on the map. Checkable
//! entries (POI categories) toggle the features they stand for.
struct LegendEntry {
  enum class Symbol { Fill, Circle, Triangle, Line, Ramp };
  QString label;
  QColor color;
  Symbol symbol = Symbol::Fill;
  bool checkable = false;
  bool checked = true;
};

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
  //! 0 (invisible) … 1 (opaque); applied to the whole layer with QPainter::setOpacity.
  double opacity() const { return m_opacity; }
  void setOpacity(double opacity) { m_opacity = opacity < 0.0 ? 0.0 : opacity > 1.0 ? 1.0 : opacity; }

  //! What the layers panel shows under the layer; empty for layers that need no legend.
  virtual std::vector<LegendEntry> legend() const { return {}; }
  //! Toggles a checkable legend entry (e.g. one POI category). Returns false when `index` is not checkable.
  virtual bool setLegendEntryChecked(int index, bool checked) {
    (void)index;
    (void)checked;
    return false;
  }

  //! For layers drawn as images (Kind::Raster): renders `extent` of the map CRS into `pixels` device
  //! pixels (`resolution` map units per device pixel). The function must be thread-safe and must
  //! not touch the layer (it may outlive it): the canvas runs it on a worker thread and caches the
  //! image, so that the GUI thread only ever draws a finished picture.
  using ImageRenderFunction =
      std::function<core::Result<QImage>(const core::Extent& extent, QSize pixels, double resolution, core::Feedback* feedback)>;
  virtual ImageRenderFunction imageRenderer() const { return {}; }
  //! For layers painted directly (Kind::Vector): draws what meets `view`, on the GUI thread, so it
  //! must stay cheap (cull, simplify).
  virtual void paint(QPainter& painter, const MapView& view) const {
    (void)painter;
    (void)view;
  }

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
  double m_opacity = 1.0;
};

}  // namespace netspatial::ui
