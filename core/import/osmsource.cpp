#include "core/import/osmsource.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <algorithm>

namespace netspatial::core::detail {

namespace {

//! The OSM driver's bookkeeping fields (osmconf.ini): not tags.
const QSet<QString> kNotTags{QStringLiteral("osm_id"),        QStringLiteral("osm_way_id"), QStringLiteral("osm_version"),
                             QStringLiteral("osm_timestamp"), QStringLiteral("osm_uid"),    QStringLiteral("osm_user"),
                             QStringLiteral("osm_changeset"), QStringLiteral("other_tags"), QStringLiteral("all_tags"),
                             QStringLiteral("z_order")};

//! node < way < relation: the order the driver needs; -1 for anything else (bounds, note, meta).
int elementKind(QStringView name) {
  if (name == u"node") return 0;
  if (name == u"way") return 1;
  if (name == u"relation") return 2;
  return -1;
}

struct OsmElement {
  int kind = 0;
  qint64 id = 0;
  QByteArray xml;
};

//! Copies the element the reader is at (its StartElement) with everything inside it.
QByteArray copyElement(QXmlStreamReader& reader) {
  QByteArray out;
  QXmlStreamWriter writer(&out);
  int depth = 0;
  do {
    if (reader.isStartElement()) ++depth;
    if (reader.isEndElement()) --depth;
    writer.writeCurrentToken(reader);
    if (depth == 0) break;
  } while (!reader.atEnd() && (reader.readNext(), true));
  return out + '\n';
}

}  // namespace

bool isOsmFile(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  return suffix == QStringLiteral("osm") || suffix == QStringLiteral("pbf");
}

QMap<QString, QString> parseOsmOtherTags(const QString& hstore) {
  QMap<QString, QString> tags;
  const qsizetype n = hstore.size();
  qsizetype i = 0;
  // Reads one "…" string starting at i (at the opening quote); unescapes \" and \\.
  const auto quoted = [&](QString* out) {
    while (i < n && hstore[i] != QLatin1Char('"')) ++i;
    if (i >= n) return false;
    ++i;
    out->clear();
    while (i < n && hstore[i] != QLatin1Char('"')) {
      if (hstore[i] == QLatin1Char('\\') && i + 1 < n) ++i;
      out->append(hstore[i++]);
    }
    if (i >= n) return false;
    ++i;  // the closing quote
    return true;
  };
  QString key;
  QString value;
  while (i < n) {
    if (!quoted(&key)) break;
    // "=>" between key and value; a NULL value (unquoted) is skipped.
    while (i < n && hstore[i] != QLatin1Char('"') && hstore[i] != QLatin1Char(',')) ++i;
    if (i >= n || hstore[i] == QLatin1Char(',')) continue;
    if (!quoted(&value)) break;
    tags.insert(key, value);
  }
  return tags;
}

QMap<QString, QString> osmTagsOf(const QVariantMap& attributes) {
  QMap<QString, QString> tags;
  for (auto it = attributes.cbegin(); it != attributes.cend(); ++it) {
    if (kNotTags.contains(it.key()) || !it.value().isValid() || it.value().isNull()) continue;
    const QString v = it.value().toString();
    if (!v.isEmpty()) tags.insert(it.key(), v);
  }
  const QVariant other = attributes.value(QStringLiteral("other_tags"));
  if (other.isValid() && !other.isNull()) tags.insert(parseOsmOtherTags(other.toString()));
  return tags;
}

Result<OsmTagTable> OsmTagTable::parse(const QByteArray& csv, const QString& source,
                                       const std::function<bool(const QString&)>& isValidName) {
  OsmTagTable table;
  const QList<QByteArray> lines = csv.split('\n');
  bool header = true;
  for (qsizetype k = 0; k < lines.size(); ++k) {
    const QString line = QString::fromUtf8(lines[k]).trimmed();
    if (line.isEmpty() || line.startsWith(QLatin1Char('#'))) continue;
    const auto cells = splitCsvLine(line);
    if (!cells || cells->size() != 3)
      return Error(ErrorCode::ParseError, QStringLiteral("expected three columns: key,value,name"), {source, k + 1});
    if (header) {  // key,value,category / key,value,class
      header = false;
      continue;
    }
    Row row{cells->at(0), cells->at(1), cells->at(2).toLower()};
    if (row.key.isEmpty() || row.value.isEmpty())
      return Error(ErrorCode::InvalidValue, QStringLiteral("empty key or value"), {source, k + 1});
    if (row.name != kNone && !isValidName(row.name))
      return Error(ErrorCode::InvalidValue, QStringLiteral("unknown name '%1'").arg(row.name), {source, k + 1});
    table.m_rows.push_back(std::move(row));
  }
  if (table.m_rows.empty()) return Error(ErrorCode::CorruptData, QStringLiteral("the table has no rows"), {source});
  return table;
}

std::optional<QString> OsmTagTable::match(const QMap<QString, QString>& tags) const {
  for (const Row& row : m_rows) {
    const auto it = tags.constFind(row.key);
    if (it == tags.cend()) continue;
    const QString& value = it.value();
    const bool matches = row.value == QStringLiteral("*") || value == row.value ||
                         (value.contains(QLatin1Char(';')) && value.section(QLatin1Char(';'), 0, 0).trimmed() == row.value);
    if (!matches) continue;
    if (row.name == kNone) return std::nullopt;
    return row.name;
  }
  return std::nullopt;
}

Result<QString> osmFileInDriverOrder(const QString& path, const QTemporaryDir& scratch, bool* reordered) {
  if (reordered) *reordered = false;
  if (QFileInfo(path).suffix().toLower() != QStringLiteral("osm")) return path;
  QFile file(path);
  if (!file.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {path});
  if (!file.open(QIODevice::ReadOnly)) return Error(ErrorCode::Io, QStringLiteral("cannot read: %1").arg(file.errorString()), {path});
  const auto notXml = [&](const QXmlStreamReader& r) {
    return Error(ErrorCode::ParseError, QStringLiteral("not OpenStreetMap XML: %1").arg(r.errorString()), {path, r.lineNumber()});
  };

  // First pass: is the order already node, way, relation with rising ids?
  bool inOrder = true;
  {
    QXmlStreamReader reader(&file);
    int lastKind = -1;
    qint64 lastId = 0;
    while (!reader.atEnd()) {
      reader.readNext();
      if (!reader.isStartElement()) continue;
      const int kind = elementKind(reader.name());
      if (kind < 0) continue;
      const qint64 id = reader.attributes().value(QLatin1String("id")).toLongLong();
      if (kind < lastKind || (kind == lastKind && id <= lastId)) {
        inOrder = false;
        break;
      }
      lastKind = kind;
      lastId = id;
    }
    if (reader.hasError()) return notXml(reader);
  }
  if (inOrder) return path;

  // Second pass: the top-level elements, sorted; anything else (bounds, note, meta) first.
  file.seek(0);
  QXmlStreamReader reader(&file);
  QByteArray head;
  std::vector<OsmElement> elements;
  QString rootName;
  while (!reader.atEnd()) {
    reader.readNext();
    if (!reader.isStartElement()) continue;
    if (rootName.isEmpty()) {
      rootName = reader.name().toString();
      if (rootName != QStringLiteral("osm"))
        return Error(ErrorCode::ParseError, QStringLiteral("not OpenStreetMap XML: the root element is <%1>, not <osm>").arg(rootName),
                     {path, reader.lineNumber()});
      continue;
    }
    const int kind = elementKind(reader.name());
    const qint64 id = reader.attributes().value(QLatin1String("id")).toLongLong();
    QByteArray xml = copyElement(reader);
    if (kind < 0)
      head += xml;
    else
      elements.push_back({kind, id, std::move(xml)});
  }
  if (reader.hasError()) return notXml(reader);
  std::stable_sort(elements.begin(), elements.end(),
                   [](const OsmElement& a, const OsmElement& b) { return a.kind < b.kind || (a.kind == b.kind && a.id < b.id); });

  const QString copyPath = scratch.filePath(QFileInfo(path).completeBaseName() + QStringLiteral(".osm"));
  QFile copy(copyPath);
  if (!copy.open(QIODevice::WriteOnly | QIODevice::Truncate))
    return Error(ErrorCode::Io, QStringLiteral("cannot write a reordered copy: %1").arg(copy.errorString()), {copyPath});
  copy.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"NetSpatial Studio (reordered)\">\n");
  copy.write(head);
  for (const OsmElement& e : elements) copy.write(e.xml);
  copy.write("</osm>\n");
  if (!copy.flush()) return Error(ErrorCode::Io, QStringLiteral("cannot write a reordered copy: %1").arg(copy.errorString()), {copyPath});
  if (reordered) *reordered = true;
  return copyPath;
}

Error namingUserFile(const Error& error, const QString& readPath, const QString& userPath) {
  if (error.context().file != readPath || readPath == userPath) return error;
  ErrorContext context = error.context();
  context.file = userPath;
  return Error(error.code(), QString(error.message()).replace(readPath, userPath), context);
}

QString fieldNamed(const QStringList& fields, const QString& name) {
  for (const QString& f : fields)
    if (f.trimmed().compare(name.trimmed(), Qt::CaseInsensitive) == 0) return f;
  return {};
}

std::optional<QStringList> splitCsvLine(const QString& line) {
  QStringList cells;
  QString cell;
  bool quoted = false;
  for (qsizetype i = 0; i < line.size(); ++i) {
    const QChar c = line[i];
    if (quoted) {
      if (c == QLatin1Char('"')) {
        if (i + 1 < line.size() && line[i + 1] == QLatin1Char('"')) {
          cell += c;
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
    } else if (c == QLatin1Char('"')) {
      quoted = true;
    } else if (c == QLatin1Char(',')) {
      cells << cell.trimmed();
      cell.clear();
    } else {
      cell += c;
    }
  }
  if (quoted) return std::nullopt;
  cells << cell.trimmed();
  return cells;
}

Result<ValueMapping> readValueMapping(const QString& file, const QStringList& validNames, const QString& what) {
  QFile f(file);
  if (!f.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such mapping file"), {file});
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
    return Error(ErrorCode::Io, QStringLiteral("cannot read the mapping file: %1").arg(f.errorString()), {file});
  ValueMapping mapping;
  QMap<QString, qint64> rowOf;
  qint64 lineNo = 0;
  bool first = true;
  while (!f.atEnd()) {
    ++lineNo;
    QString line = QString::fromUtf8(f.readLine());
    if (lineNo == 1 && line.startsWith(QChar(0xFEFF))) line.remove(0, 1);  // a spreadsheet's BOM
    line = line.trimmed();
    if (line.isEmpty() || line.startsWith(QLatin1Char('#'))) continue;
    const auto cells = splitCsvLine(line);
    if (!cells) return Error(ErrorCode::ParseError, QStringLiteral("a quoted value is never closed (missing '\"')"), {file, lineNo});
    if (cells->size() != 2)
      return Error(ErrorCode::ParseError,
                   QStringLiteral("expected two columns, value,%1; found %2").arg(what.section(QLatin1Char(' '), -1)).arg(cells->size()),
                   {file, lineNo});
    const QString value = cells->at(0);
    const QString name = cells->at(1).toLower();
    const bool isHeader = first && value.compare(QStringLiteral("value"), Qt::CaseInsensitive) == 0 && !validNames.contains(name);
    first = false;
    if (isHeader) continue;
    if (value.isEmpty())
      return Error(ErrorCode::InvalidValue, QStringLiteral("the value is empty"), {file, lineNo, QStringLiteral("value")});
    if (!validNames.contains(name))
      return Error(ErrorCode::InvalidValue,
                   QStringLiteral("'%1' is not a %2 (valid: %3)").arg(cells->at(1).left(40), what, validNames.join(QStringLiteral(", "))),
                   {file, lineNo, what.section(QLatin1Char(' '), -1)});
    if (auto it = mapping.nameOf.constFind(value); it != mapping.nameOf.cend() && it.value() != name)
      return Error(
          ErrorCode::InvalidValue,
          QStringLiteral("'%1' is mapped to %2 here but to %3 on row %4").arg(value.left(40), name, it.value()).arg(rowOf.value(value)),
          {file, lineNo, QStringLiteral("value")});
    mapping.nameOf.insert(value, name);
    rowOf.insert(value, lineNo);
  }
  if (mapping.nameOf.isEmpty()) return Error(ErrorCode::CorruptData, QStringLiteral("the mapping file has no rows"), {file});
  return mapping;
}

Result<OsmTagTable> loadEmbeddedTagTable(const QString& resource, const QString& what,
                                         const std::function<bool(const QString&)>& isValidName) {
  QFile f(resource);
  if (!f.open(QIODevice::ReadOnly))
    return Error(ErrorCode::Internal, QStringLiteral("the embedded %1 table is missing").arg(what), {resource});
  return OsmTagTable::parse(f.readAll(), resource, isValidName);
}

Result<CoordinateTransform> transformToTarget(const VectorLayer& layer, const QString& path, const Crs& target) {
  if (!layer.crs.isValid())
    return Error(ErrorCode::UnknownCrs, QStringLiteral("layer '%1' has no coordinate reference system").arg(layer.name), {path});
  auto t = CoordinateTransform::create(layer.crs, target);
  if (!t)
    return Error(ErrorCode::TransformFailed,
                 QStringLiteral("no transformation from %1 to %2: %3").arg(layer.crs.label(), target.label(), t.error().message()), {path});
  return t;
}

Result<CategorisedLayer> readCategorisedLayer(const CategorisedSource& source, const ImportTarget& target, Feedback* feedback) {
  if (source.valueField.trimmed().isEmpty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("not an OpenStreetMap file (.osm, .pbf): %1").arg(source.notOsmHint),
                 {source.path, std::nullopt, source.fieldRole});
  CategorisedLayer out;
  if (!source.mappingFile.isEmpty()) {
    auto m = readValueMapping(source.mappingFile, source.validNames, source.taxonomy);
    if (!m) return m.error();
    out.mapping = std::move(*m);
  }
  VectorReadOptions read;
  read.maxFeatures = target.limits.maxFeatures;
  auto layer = readVectorLayer(source.path, read, feedback);
  if (!layer) return layer.error();
  const auto field = [&](const QString& wanted) -> Result<QString> {
    const QString found = fieldNamed(layer->fieldNames, wanted);
    if (found.isEmpty())
      return Error(ErrorCode::MissingField,
                   QStringLiteral("no field '%1' (the fields are: %2)").arg(wanted, layer->fieldNames.join(QStringLiteral(", "))),
                   {source.path, std::nullopt, wanted});
    return found;
  };
  auto valueField = field(source.valueField);
  if (!valueField) return valueField.error();
  out.valueField = *valueField;
  if (!source.nameField.isEmpty()) {
    auto nameField = field(source.nameField);
    if (!nameField) return nameField.error();
    out.nameField = *nameField;
  }
  auto transform = transformToTarget(*layer, source.path, target.crs);
  if (!transform) return transform.error();
  out.transform = std::move(*transform);
  out.layer = std::move(*layer);
  return out;
}

Result<std::optional<QString>> taxonomyNameOf(const CategorisedSource& source, const CategorisedLayer& layer, const Feature& feature,
                                              qint64 row, UnmappedValues& unmapped) {
  const QVariant raw = feature.attributes.value(layer.valueField);
  const QString value = raw.isNull() ? QString() : raw.toString().trimmed();
  const QString name = layer.mapping ? layer.mapping->nameOf.value(value) : value.toLower();
  if (source.validNames.contains(name)) return std::optional<QString>(name);
  if (source.skipUnmapped) {
    ++unmapped.count;
    if (unmapped.first.size() < 8 && !unmapped.first.contains(value)) unmapped.first << value;
    return std::optional<QString>();
  }
  const QString shown = value.isEmpty() ? QStringLiteral("(empty)") : QStringLiteral("'%1'").arg(value.left(60));
  return Error(ErrorCode::InvalidValue,
               layer.mapping ? QStringLiteral("%1 is not in the mapping file %2").arg(shown, source.mappingFile)
                             : QStringLiteral("%1 is not a %2 (valid: %3; or give a mapping file)")
                                   .arg(shown, source.taxonomy, source.validNames.join(QStringLiteral(", "))),
               {source.path, row, layer.valueField});
}

}  // namespace netspatial::core::detail
