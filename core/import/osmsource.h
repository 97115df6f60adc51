#pragma once

// Internal to core/import: what the OSM importers (poiimport.cpp, zoneimport.cpp) share — the tag
// tables of resources/import/, the tags of a feature as GDAL's OSM driver delivers them, and the
// element order that driver needs.

#include "core/geo/coordinatetransform.h"
#include "core/geo/vectorreader.h"
#include "core/import/importtarget.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <functional>
#include <optional>
#include <vector>

class QTemporaryDir;

namespace netspatial::core::detail {

//! .osm (XML) or .pbf: read through GDAL's OSM driver with a tag table.
bool isOsmFile(const QString& path);

//! The `other_tags` field of GDAL's OSM driver, HSTORE syntax: "key"=>"value","k2"=>"v2" (quotes
//! and backslashes inside escaped with a backslash).
QMap<QString, QString> parseOsmOtherTags(const QString& hstore);

//! Every tag of a feature read through the OSM driver: its dedicated fields (osmconf.ini's, such as
//! `amenity`, `landuse`) and `other_tags` unpacked; the driver's bookkeeping fields (osm_id,
//! osm_way_id, …) are left out.
QMap<QString, QString> osmTagsOf(const QVariantMap& attributes);

//! A tag table (resources/import/osm_*.csv): `key,value,<name>` rows, `*` = any value, `#`
//! comments; the first row whose key the feature has with a matching value decides.
class OsmTagTable {
 public:
  //! The name "none" in a table means "not imported" (it stops the search).
  static inline const QString kNone = QStringLiteral("none");

  //! Parses `csv`; each name must be kNone or accepted by `isValidName`. `source` names the table
  //! in errors (a broken embedded table is a build defect, but it is reported like bad input).
  static Result<OsmTagTable> parse(const QByteArray& csv, const QString& source, const std::function<bool(const QString&)>& isValidName);

  //! The name of the first matching row; nullopt when none matches or the row says "none". A value
  //! list ("cafe;restaurant") matches a row by its whole text or by its first entry.
  std::optional<QString> match(const QMap<QString, QString>& tags) const;

  std::size_t size() const { return m_rows.size(); }

 private:
  struct Row {
    QString key;
    QString value;  //!< "*" = any
    QString name;
  };
  std::vector<Row> m_rows;
};

//! GDAL's OSM driver drops every way whose nodes come after it in the file, silently (and stops at
//! node ids that go down): Overpass writes exactly that for `way[…]; (._;>;); out;`. For such an
//! .osm XML file, a copy in node, way, relation order (each by id) is written into `scratch` and
//! its path returned, with `*reordered` set; a file already in order (and any .pbf) is returned as
//! it is. A file that is not well-formed XML is an Error naming it and the line.
Result<QString> osmFileInDriverOrder(const QString& path, const QTemporaryDir& scratch, bool* reordered);

//! A mapping file `value,<taxonomy name>` for non-OSM sources (see the README): an optional header
//! row `value,category` / `value,class`, `#` comments. Errors name the file and the row (the line
//! in the file): a row without two columns, an unknown taxonomy name (listing `validNames`), a
//! value mapped twice to different names, no rows at all. Values are matched trimmed and
//! case-sensitively; names trimmed and lower-cased (`what`: "POI category", "zone class").
struct ValueMapping {
  QMap<QString, QString> nameOf;  //!< value → taxonomy name
};
Result<ValueMapping> readValueMapping(const QString& file, const QStringList& validNames, const QString& what);

//! `error` with its file shown as `userPath` where it names `readPath` (a reordered scratch copy
//! of the user's file): the user should see the file they gave.
Error namingUserFile(const Error& error, const QString& readPath, const QString& userPath);

//! The field of `fields` called `name`, case-insensitively; empty when there is none.
QString fieldNamed(const QStringList& fields, const QString& name);

//! One CSV line split into trimmed cells ("…" quoting, "" for a quote inside); nullopt when a
//! quote is not closed.
std::optional<QStringList> splitCsvLine(const QString& line);

//! An embedded tag table (a Qt resource such as ":/import/osm_poi_categories.csv"), parsed; a
//! missing or broken one is an Error (a build defect, reported rather than crashing the studio).
Result<OsmTagTable> loadEmbeddedTagTable(const QString& resource, const QString& what,
                                         const std::function<bool(const QString&)>& isValidName);

//! The transformation of `layer` (read from `path`) into `target`; a layer without a CRS, or one
//! PROJ cannot transform, is an Error naming the file.
Result<CoordinateTransform> transformToTarget(const VectorLayer& layer, const QString& path, const Crs& target);

//! What the POI and zone importers ask of a non-OSM source: which field holds each feature's
//! taxonomy value (category or class), optionally a mapping file and a name field.
struct CategorisedSource {
  QString path;
  QString valueField;  //!< PoiImportOptions::categoryField, ZoneImportOptions::classField
  QString mappingFile;
  QString nameField;
  bool skipUnmapped = false;
  QString fieldRole;   //!< "category" / "class": the field named in errors when none is given
  QString notOsmHint;  //!< "name the field that holds each feature's category"
  QString taxonomy;    //!< "POI category" / "zone class", in messages
  QStringList validNames;
};

//! A non-OSM layer read and checked: its value and name fields found (case-insensitively), the
//! mapping read, the transformation into the target made.
struct CategorisedLayer {
  VectorLayer layer;
  QString valueField;
  QString nameField;  //!< empty when none was asked for
  std::optional<ValueMapping> mapping;
  CoordinateTransform transform;
};

//! Errors name the file, and the field: no value field given, a field that is not there (listing
//! those that are), a bad mapping file, more features than target.limits.maxFeatures.
Result<CategorisedLayer> readCategorisedLayer(const CategorisedSource& source, const ImportTarget& target, Feedback* feedback);

//! Values that matched no taxonomy name and were skipped (CategorisedSource::skipUnmapped).
struct UnmappedValues {
  qint64 count = 0;
  QStringList first;  //!< the first few distinct ones, for the report
};

//! The taxonomy name of `feature` (row `row`, 1-based) of `layer`: through the mapping, else its
//! value itself (lower-cased). nullopt: skipped and counted in `unmapped`. An unmapped value
//! without skipUnmapped is an Error naming the row, field and value.
Result<std::optional<QString>> taxonomyNameOf(const CategorisedSource& source, const CategorisedLayer& layer, const Feature& feature,
                                              qint64 row, UnmappedValues& unmapped);

}  // namespace netspatial::core::detail
