#include "core/scenario/referencedpath.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QXmlStreamReader>

namespace netspatial::core {

namespace {

constexpr int kMaxVrtDepth = 4;            // a VRT of VRTs of …: deeper is refused, not followed
constexpr qint64 kMaxVrtBytes = 16 << 20;  // a VRT is a small XML file

Error refused(const QString& value, const QString& why) {
  return Error(ErrorCode::InvalidValue, QStringLiteral("'%1' is not opened: %2").arg(value.left(200), why));
}

// GDAL's virtual file systems, URLs and driver connection strings ("WMS:", "PG:") reach the network
// or arbitrary places; a plain file path never starts with a scheme.
std::optional<QString> remoteOrSpecial(const QString& value) {
  if (value.contains(QLatin1String("/vsi"), Qt::CaseInsensitive))
    return QStringLiteral("GDAL virtual file systems (/vsi…) are not followed");
  static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.\\-_]*:"));
  if (scheme.match(value).hasMatch()) return QStringLiteral("a URL or driver connection string is not followed, only files");
  if (value.contains(QChar(0))) return QStringLiteral("the path holds a NUL character");
  return std::nullopt;
}

Result<QString> resolve(const QString& folder, const QString& value, int depth) {
  if (value.trimmed().isEmpty()) return refused(value, QStringLiteral("empty path"));
  if (auto why = remoteOrSpecial(value)) return refused(value, *why);
  const bool relative = QFileInfo(value).isRelative();
  const QString root = QDir::cleanPath(QDir(folder).absolutePath());
  const QString path = QDir::cleanPath(QDir(root).absoluteFilePath(value));
  if (relative && path != root && !path.startsWith(root + QLatin1Char('/')))
    return refused(value, QStringLiteral("a relative path must stay inside the folder %1").arg(root));
  const QFileInfo info(path);
  if (!info.exists())
    return Error(ErrorCode::FileNotFound, QStringLiteral("'%1' is not opened: no such file (%2)").arg(value.left(200), path), {path});
  const QFileInfo target(info.canonicalFilePath());
  if (!target.isFile()) return refused(value, QStringLiteral("not a regular file (%1)").arg(path));
  for (const char* special : {"/proc/", "/sys/", "/dev/"})
    if (target.absoluteFilePath().startsWith(QLatin1String(special)))
      return refused(value, QStringLiteral("a system file is not a raster"));
  if (relative) {
    // A link inside the folder pointing elsewhere is the same climb as "../".
    const QString canonicalRoot = QFileInfo(root).canonicalFilePath();
    if (!canonicalRoot.isEmpty() && !target.absoluteFilePath().startsWith(canonicalRoot + QLatin1Char('/')))
      return refused(value, QStringLiteral("it links outside the folder %1").arg(root));
  }

  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return refused(value, f.errorString());
  const QByteArray head = f.peek(512).trimmed();
  if (!head.startsWith("<VRTDataset") && !head.startsWith("<?xml") && info.suffix().compare(QLatin1String("vrt"), Qt::CaseInsensitive) != 0)
    return path;
  // A VRT names other files (or URLs) itself: each source must pass the same rules.
  if (depth >= kMaxVrtDepth) return refused(value, QStringLiteral("VRTs nested more than %1 deep").arg(kMaxVrtDepth));
  if (f.size() > kMaxVrtBytes) return refused(value, QStringLiteral("a VRT larger than 16 MiB"));
  QXmlStreamReader xml(&f);
  const QString vrtFolder = info.absolutePath();
  while (!xml.atEnd()) {
    if (xml.readNext() != QXmlStreamReader::StartElement) continue;
    const QString name = xml.name().toString();
    if (name != QLatin1String("SourceFilename") && name != QLatin1String("SourceDataset") && name != QLatin1String("SourceDataSource"))
      continue;
    const bool relativeToVrt = xml.attributes().value(QLatin1String("relativeToVRT")) == QLatin1String("1");
    const QString source = xml.readElementText().trimmed();
    if (auto why = remoteOrSpecial(source)) return refused(value, QStringLiteral("its source '%1': %2").arg(source.left(200), *why));
    if (!relativeToVrt && QFileInfo(source).isRelative())
      return refused(value, QStringLiteral("its source '%1' is relative to the working folder").arg(source.left(200)));
    auto checked = resolve(relativeToVrt ? vrtFolder : QStringLiteral("/"), source, depth + 1);
    if (!checked) return refused(value, QStringLiteral("its source: %1").arg(checked.error().message()));
  }
  if (xml.hasError()) return refused(value, QStringLiteral("not a readable VRT (%1)").arg(xml.errorString()));
  return path;
}

}  // namespace

Result<QString> resolveReferencedRaster(const QString& projectFolder, const QString& value) { return resolve(projectFolder, value, 0); }

}  // namespace netspatial::core
