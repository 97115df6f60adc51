#pragma once

// Running the project's executables from tests (the CLI, the bench) and reading what they wrote.

#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace netspatial::tests {

//! Runs `program` with `args` (up to 5 minutes) and returns its exit code with its stdout and
//! stderr; -1 when it did not finish in time, -2 when it crashed.
inline int runProgram(const QString& program, const QStringList& args, QString* out, QString* err) {
  QProcess p;
  p.start(program, args);
  if (!p.waitForFinished(300000)) return -1;
  *out = QString::fromUtf8(p.readAllStandardOutput());
  *err = QString::fromUtf8(p.readAllStandardError());
  return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
}

//! The lines of a CSV file the project wrote (RFC 4180: CRLF line ends), empty lines dropped.
inline QStringList readCsvLines(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(f.readAll()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
}

}  // namespace netspatial::tests
