#pragma once

// Locating the shared real data (../shared/data) from tests. Tests skip, with a message saying
// where they looked, when it is absent — they never fail for want of it.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

namespace netspatial::tests {

inline QString sharedDataDir() {
  const QByteArray env = qgetenv("NETSPATIAL_SHARED_DATA");
  if (!env.isEmpty()) return QDir::cleanPath(QString::fromLocal8Bit(env));
  return QDir::cleanPath(QStringLiteral(NETSPATIAL_SHARED_DATA_DIR));
}

inline QString sharedDataFile(const QString& relative) { return sharedDataDir() + QLatin1Char('/') + relative; }

//! Writes `bytes` to `dir`/`name` (a fixture made by the test) and returns the path.
inline QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
  const QString path = dir.filePath(name);
  QFile f(path);
  if (f.open(QIODevice::WriteOnly)) f.write(bytes);
  return path;
}

}  // namespace netspatial::tests

//! Declares `var` as the absolute path of shared/data/<relative>, or skips the test if missing.
#define NETSPATIAL_SHARED_FILE(var, relative)                                        \
  const QString var = ::netspatial::tests::sharedDataFile(QStringLiteral(relative)); \
  if (!QFileInfo::exists(var)) QSKIP(qPrintable(QStringLiteral("shared data absent: %1 (set NETSPATIAL_SHARED_DATA)").arg(var)))
