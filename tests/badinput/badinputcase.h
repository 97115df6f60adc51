#pragma once

// The bad-input corpus (issue 20): each case prepares its inputs in a fresh folder, runs the
// `netspatial` command line on them and checks what a careless or hostile user must get back:
//   - the exit status (1: refused input, 2: a command-line mistake), never a crash or a hang;
//   - a message naming the culprit (file, row, field or option: fragments of stderr);
//   - no message line longer than kMaxMessageLine (a 5 MB id is never echoed whole);
//   - on a refusal, the folder byte for byte as it was: inputs unchanged, no partial output and no
//     temporary left behind.
// Fixtures are made by the tests: a simulated town, a generation over it, and copies of
// ../shared/data (cases that need it skip where it is absent).

#include "testdata.h"

#include <gdal.h>
#include <ogr_api.h>

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <functional>
#include <vector>

namespace netspatial::tests {

inline constexpr int kMaxMessageLine = 2000;

//! The folder one case runs in; `base` holds the fixtures every case may copy.
class CaseFolder {
 public:
  CaseFolder(QString dir, QString base) : m_dir(std::move(dir)), m_base(std::move(base)) {}

  QString path(const QString& name) const { return m_dir + QLatin1Char('/') + name; }
  const QString& dir() const { return m_dir; }
  //! What went wrong while preparing (the case then fails, naming it).
  const QString& failure() const { return m_failure; }

  //! Copies the fixture `name` (a file or folder of the base) into the case folder.
  void copy(const QString& name, const QString& as = {}) { copyFrom(m_base + QLatin1Char('/') + name, path(as.isEmpty() ? name : as)); }
  //! Copies shared/data/`relative` (a file or folder) here as `as`; false (and the case skips) when absent.
  bool copyShared(const QString& relative, const QString& as) {
    const QString source = sharedDataFile(relative);
    if (!QFileInfo::exists(source)) {
      m_skip = source;
      return false;
    }
    copyFrom(source, path(as));
    return true;
  }
  const QString& skipReason() const { return m_skip; }

  void write(const QString& name, const QByteArray& bytes) {
    QFile f(path(name));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
      m_failure = QStringLiteral("cannot write ") + name;
  }
  QByteArray read(const QString& name) const {
    QFile f(path(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
  }
  //! Replaces the first occurrence of `from` in the file `name` (a fixture edit).
  void replace(const QString& name, const QByteArray& from, const QByteArray& to) {
    QByteArray bytes = read(name);
    const qsizetype at = bytes.indexOf(from);
    if (at < 0) {
      m_failure = QStringLiteral("'%1' not found in %2").arg(QString::fromUtf8(from), name);
      return;
    }
    write(name, bytes.replace(at, from.size(), to));
  }
  //! Runs one SQL statement on the GeoPackage `name` (SQLite dialect).
  void sql(const QString& name, const QString& statement) {
    GDALDatasetH ds = GDALOpenEx(path(name).toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr);
    if (!ds) {
      m_failure = QStringLiteral("cannot open %1").arg(name);
      return;
    }
    CPLErrorReset();
    OGRLayerH result = GDALDatasetExecuteSQL(ds, statement.toUtf8().constData(), nullptr, nullptr);
    if (result) GDALDatasetReleaseResultSet(ds, result);
    if (CPLGetLastErrorType() >= CE_Failure) m_failure = QStringLiteral("%1: %2").arg(statement, QString::fromUtf8(CPLGetLastErrorMsg()));
    GDALClose(ds);
  }
  //! Sets the geometry of feature `fid` of `layer` in the GeoPackage `name` from WKT, bypassing
  //! every check (NaN vertices, bow ties).
  void setGeometry(const QString& name, const char* layer, qint64 fid, const std::function<OGRGeometryH()>& make) {
    GDALDatasetH ds = GDALOpenEx(path(name).toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr);
    OGRLayerH l = ds ? GDALDatasetGetLayerByName(ds, layer) : nullptr;
    OGRFeatureH f = l ? OGR_L_GetFeature(l, fid) : nullptr;
    if (!f) {
      m_failure = QStringLiteral("no feature %1 in %2").arg(fid).arg(QString::fromUtf8(layer));
    } else {
      OGR_F_SetGeometryDirectly(f, make());
      if (OGR_L_SetFeature(l, f) != OGRERR_NONE) m_failure = QStringLiteral("cannot set the geometry");
      OGR_F_Destroy(f);
    }
    if (ds) GDALClose(ds);
  }

 private:
  void copyFrom(const QString& from, const QString& to) {
    const QFileInfo info(from);
    if (info.isDir()) {
      QDir().mkpath(to);
      for (const QFileInfo& child : QDir(from).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        copyFrom(child.filePath(), to + QLatin1Char('/') + child.fileName());
      return;
    }
    QFile::remove(to);
    if (!QFile::copy(from, to) || !QFile(to).setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther))
      m_failure = QStringLiteral("cannot copy %1").arg(from);
  }

  QString m_dir;
  QString m_base;
  QString m_failure;
  QString m_skip;
};

struct BadInputCase {
  QString name;
  QString command;   //!< arguments separated by spaces; {d} is the case folder
  int exitCode = 1;  //!< 1: refused input; 2: a command-line mistake
  QStringList says;  //!< fragments the message must contain
  std::function<void(CaseFolder&)> prepare = [](CaseFolder&) {};
  bool asNobody = false;  //!< run as user nobody (setpriv), for permissions root does not feel; skipped unless root
};

//! Every file under `dir` with the SHA-256 of its bytes (links and FIFOs by their kind).
inline QMap<QString, QByteArray> folderSnapshot(const QString& dir) {
  QMap<QString, QByteArray> out;
  QDirIterator it(dir, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString p = it.next();
    const QFileInfo info(p);
    const QString key = p.mid(dir.size() + 1);
    if (info.isSymLink()) {
      out[key] = "link:" + info.symLinkTarget().toUtf8();
    } else if (info.isDir()) {
      out[key] = "dir";
    } else if (!info.isFile()) {
      out[key] = "special";
    } else {
      QFile f(p);
      QCryptographicHash h(QCryptographicHash::Sha256);
      if (f.open(QIODevice::ReadOnly)) h.addData(&f);
      out[key] = h.result().toHex() + ":" + QByteArray::number(int(info.permissions()));
    }
  }
  return out;
}

//! Runs one case (inside a Qt Test function: failures are reported through QVERIFY).
inline void runBadInputCase(const BadInputCase& c, const QString& program, const QString& base) {
  QTemporaryDir tmp;
  QVERIFY(tmp.isValid());
  CaseFolder folder(tmp.path(), base);
  c.prepare(folder);
  if (!folder.skipReason().isEmpty()) QSKIP(qPrintable(QStringLiteral("shared data absent: %1").arg(folder.skipReason())));
  QVERIFY2(folder.failure().isEmpty(), qPrintable(QStringLiteral("preparing the case: ") + folder.failure()));
  const auto before = folderSnapshot(tmp.path());

  QStringList args = c.command.split(QLatin1Char(' '), Qt::SkipEmptyParts);
  for (QString& a : args) a.replace(QStringLiteral("{d}"), tmp.path());
  QString run = program;
  if (c.asNobody) {
    if (::geteuid() != 0) QSKIP("runs as nobody: needs root");
    // The case folder must be enterable by nobody; what the case made unreadable stays so.
    QFile(tmp.path()).setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther);
    args = QStringList{QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups"),
                       QStringLiteral("--"), program} +
           args;
    run = QStringLiteral("setpriv");
  }
  QProcess p;
  p.setWorkingDirectory(tmp.path());
  p.start(run, args);
  const bool finished = p.waitForFinished(120000);
  if (!finished) p.kill(), p.waitForFinished();
  const QString err = QString::fromUtf8(p.readAllStandardError());
  const QString tail = err.right(1500);
  QVERIFY2(finished,
           qPrintable(QStringLiteral("HANG: still running after 120 s: netspatial %1\n%2").arg(args.join(QLatin1Char(' ')), tail)));
  QVERIFY2(p.exitStatus() == QProcess::NormalExit, qPrintable(QStringLiteral("CRASH (%1): %2").arg(p.error()).arg(tail)));
  QVERIFY2(p.exitCode() == c.exitCode,
           qPrintable(QStringLiteral("exit %1, expected %2; stderr:\n%3").arg(p.exitCode()).arg(c.exitCode).arg(tail)));
  for (const QString& fragment : c.says)
    QVERIFY2(err.contains(fragment), qPrintable(QStringLiteral("the message lacks '%1'; stderr:\n%2").arg(fragment, tail)));
  for (const QString& line : err.split(QLatin1Char('\n')))
    QVERIFY2(line.size() <= kMaxMessageLine, qPrintable(QStringLiteral("a %1-character message line").arg(line.size())));
  if (c.exitCode != 0) {
    const auto after = folderSnapshot(tmp.path());
    for (auto it = after.cbegin(); it != after.cend(); ++it)
      QVERIFY2(before.contains(it.key()), qPrintable(QStringLiteral("left behind: %1").arg(it.key())));
    for (auto it = before.cbegin(); it != before.cend(); ++it)
      QVERIFY2(after.value(it.key()) == it.value(), qPrintable(QStringLiteral("changed or removed: %1").arg(it.key())));
  }
}

//! Registers the cases as rows of the data-driven test (column "index").
inline void addBadInputRows(const std::vector<BadInputCase>& cases) {
  QTest::addColumn<int>("index");
  for (std::size_t i = 0; i < cases.size(); ++i) QTest::newRow(qPrintable(cases[i].name)) << int(i);
}

//! Makes the fixtures every case may copy into `base`: town.gpkg (a simulated town, observed traffic
//! per station), gen.gpkg (town + a candidate generation over aoi.geojson) and traffic.csv (a valid
//! long CSV of three hours for two stations).
inline bool makeBaseFixtures(const QString& program, const QString& base) {
  QProcess p;
  p.setWorkingDirectory(base);
  p.start(program, {QStringLiteral("simulate"), QStringLiteral("--preset"), QStringLiteral("town"), QStringLiteral("--seed"),
                    QStringLiteral("1"), QStringLiteral("--out"), QStringLiteral("town.gpkg")});
  if (!p.waitForFinished(300000) || p.exitCode() != 0) return false;
  QFile aoi(base + QStringLiteral("/aoi.geojson"));
  if (!aoi.open(QIODevice::WriteOnly)) return false;
  aoi.write(R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon",)"
            R"("coordinates":[[[11.11,46.06],[11.13,46.06],[11.13,46.075],[11.11,46.075],[11.11,46.06]]]}}]})");
  aoi.close();
  QFile::copy(base + QStringLiteral("/town.gpkg"), base + QStringLiteral("/gen.gpkg"));
  p.start(program, {QStringLiteral("generate"), QStringLiteral("--project"), QStringLiteral("gen.gpkg"), QStringLiteral("--aoi"),
                    QStringLiteral("aoi.geojson"), QStringLiteral("--cell"), QStringLiteral("300"), QStringLiteral("--samples"),
                    QStringLiteral("2"), QStringLiteral("--seed"), QStringLiteral("1")});
  if (!p.waitForFinished(300000) || p.exitCode() != 0) return false;
  QFile csv(base + QStringLiteral("/traffic.csv"));
  if (!csv.open(QIODevice::WriteOnly)) return false;
  csv.write(
      "site_id,timestamp,value\n"
      "S0001,2025-03-03T00:00:00Z,4.5\nS0001,2025-03-03T01:00:00Z,3.5\nS0001,2025-03-03T02:00:00Z,3.0\n"
      "S0002,2025-03-03T00:00:00Z,7.5\nS0002,2025-03-03T01:00:00Z,6.0\nS0002,2025-03-03T02:00:00Z,5.5\n");
  return true;
}

//! What both corpus tests hold: their cases and the fixtures folder. The Qt Test slots of each
//! test call these (moc needs the slots in the test class itself).
class BadInputCorpus {
 public:
  template <typename... Groups>
  explicit BadInputCorpus(Groups... groups) {
    for (auto* group : {groups...})
      for (BadInputCase& c : group()) m_cases.push_back(std::move(c));
  }
  std::size_t size() const { return m_cases.size(); }
  void initTestCase() {
    GDALAllRegister();
    QVERIFY(m_base.isValid());
    QVERIFY2(makeBaseFixtures(QStringLiteral(NETSPATIAL_CLI), m_base.path()), "could not make the town fixtures");
  }
  void addRows() const { addBadInputRows(m_cases); }
  void run(int index) const { runBadInputCase(m_cases[std::size_t(index)], QStringLiteral(NETSPATIAL_CLI), m_base.path()); }

 private:
  std::vector<BadInputCase> m_cases;
  QTemporaryDir m_base;
};

}  // namespace netspatial::tests
