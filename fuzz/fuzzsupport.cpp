#include "fuzz/fuzzsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace netspatial::fuzz {

namespace {

void quietQt(QtMsgType type, const QMessageLogContext&, const QString& message) {
  // qFatal must still stop the process: it is a crash in the code under test.
  if (type == QtFatalMsg) {
    std::fprintf(stderr, "qFatal: %s\n", qPrintable(message));
    std::abort();
  }
}

QTemporaryDir& scratch() {
  // Removed at a normal exit. After a crash libFuzzer leaves through _Exit(): the folder stays under
  // TMPDIR with the files of the last input, which helps to reproduce it.
  static QTemporaryDir* dir = [] {
    auto* d = new QTemporaryDir(QDir::tempPath() + QStringLiteral("/netspatial-fuzz-XXXXXX"));
    if (!d->isValid()) {
      std::fprintf(stderr, "fuzz: cannot create a scratch folder in %s\n", qPrintable(QDir::tempPath()));
      std::abort();
    }
    std::atexit([] { scratch().remove(); });
    return d;
  }();
  return *dir;
}

}  // namespace

void initialise() {
  static int argc = 1;
  static char name[] = "netspatial-fuzz";
  static char* argv[] = {name, nullptr};
  static auto* app = new QCoreApplication(argc, argv);
  Q_UNUSED(app);
  qInstallMessageHandler(quietQt);
  CPLSetErrorHandler(CPLQuietErrorHandler);
  // Nothing a parser is given may reach the network (the machine may have one): a /vsicurl/ path
  // in a fuzzed file must fail at once, not wait for a timeout.
  CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
  CPLSetConfigOption("GDAL_HTTP_MAX_RETRY", "0");
  GDALAllRegister();
  scratch();
}

QString scratchDir() { return scratch().path(); }

QString writeScratchFile(const QString& name, QByteArrayView data) {
  const QString path = scratch().filePath(name);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data.data(), data.size()) != data.size()) {
    std::fprintf(stderr, "fuzz: cannot write %s: %s\n", qPrintable(path), qPrintable(file.errorString()));
    std::abort();
  }
  return path;
}

std::optional<std::pair<QByteArrayView, QByteArrayView>> splitAtLine(QByteArrayView data, QByteArrayView separator) {
  qsizetype from = 0;
  while (from <= data.size()) {
    const qsizetype at = data.indexOf(separator, from);
    if (at < 0) return std::nullopt;
    const qsizetype end = at + separator.size();
    const bool lineStart = at == 0 || data[at - 1] == '\n';
    const bool lineEnd = end == data.size() || data[end] == '\n';
    if (lineStart && lineEnd) return std::pair{data.first(at), data.sliced(std::min(end + 1, data.size()))};
    from = at + 1;
  }
  return std::nullopt;
}

void note(const QString& message) {
  static const bool verbose = qEnvironmentVariableIsSet("NETSPATIAL_FUZZ_VERBOSE");
  if (verbose) std::fprintf(stderr, "%s\n", qPrintable(message));
}

void violated(const char* target, const QString& what) {
  std::fprintf(stderr, "\n%s: broken promise: %s\n", target, qPrintable(what));
  std::abort();
}

}  // namespace netspatial::fuzz
