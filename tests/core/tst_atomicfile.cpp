// core/util/atomicfile: a save replaces the target whole or not at all, and says when it failed.

#include "core/util/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

#include <csignal>

using namespace netspatial::core;

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList filesIn(const QString& dir) { return QDir(dir).entryList(QDir::Files | QDir::Hidden); }

//! Makes writes beyond `bytes` fail with EFBIG for as long as it lives: a full disk, as a process sees it.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    m_ok = getrlimit(RLIMIT_FSIZE, &m_before) == 0;
    m_handler = std::signal(SIGXFSZ, SIG_IGN);  // the write fails instead of killing the process
    rlimit limit = m_before;
    limit.rlim_cur = bytes;
    m_ok = m_ok && setrlimit(RLIMIT_FSIZE, &limit) == 0;
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &m_before);
    std::signal(SIGXFSZ, m_handler);
  }
  bool ok() const { return m_ok; }

 private:
  rlimit m_before{};
  void (*m_handler)(int) = nullptr;
  bool m_ok = false;
};

}  // namespace

class TestAtomicFile : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void writesAndReplaces() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.txt"));
    QVERIFY(writeFileAtomically(path, "first").ok());
    QCOMPARE(readAll(path), QByteArray("first"));
    QVERIFY(writeFileAtomically(path, "second, longer").ok());
    QCOMPARE(readAll(path), QByteArray("second, longer"));
    QCOMPARE(filesIn(dir.path()), QStringList{QStringLiteral("a.txt")});
  }

  void withoutCommitNothingChanges() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.txt"));
    QVERIFY(writeFileAtomically(path, "kept").ok());
    {
      AtomicFile file(path);
      auto device = file.open();
      QVERIFY(device.ok());
      (*device)->write("half a");
      QCOMPARE(filesIn(dir.path()).size(), 2);  // the temporary sits beside the target
    }
    QCOMPARE(readAll(path), QByteArray("kept"));
    QCOMPARE(filesIn(dir.path()), QStringList{QStringLiteral("a.txt")});
  }

  void fullDiskIsAnErrorAndKeepsTheTarget() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.bin"));
    QVERIFY(writeFileAtomically(path, "the old content").ok());
    Status status;
    {
      FileSizeLimit limit(64 * 1024);
      if (!limit.ok()) QSKIP("cannot lower RLIMIT_FSIZE here");
      status = writeFileAtomically(path, QByteArray(1024 * 1024, 'x'));
    }
    QVERIFY(!status.ok());
    QVERIFY2(status.error().code() == ErrorCode::Io, qPrintable(status.error().toString()));
    QCOMPARE(status.error().context().file, path);
    QCOMPARE(readAll(path), QByteArray("the old content"));
    QCOMPARE(filesIn(dir.path()), QStringList{QStringLiteral("big.bin")});
  }

  void reservedPathForWritersThatCreateTheFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("layer.gpkg"));
    AtomicFile file(path);
    auto temp = file.reservePath(QStringLiteral(".gpkg"));
    QVERIFY(temp.ok());
    QVERIFY(temp->endsWith(QStringLiteral(".gpkg")));
    QVERIFY(!QFile::exists(*temp));  // the caller's writer creates it
    QVERIFY(!file.commit().ok());    // nothing was written: no empty target appears
    QVERIFY(!QFile::exists(path));
    AtomicFile second(path);
    temp = second.reservePath();
    QVERIFY(temp.ok());
    QFile f(*temp);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("db");
    f.close();
    QVERIFY(second.commit().ok());
    QCOMPARE(readAll(path), QByteArray("db"));
    QCOMPARE(filesIn(dir.path()), QStringList{QStringLiteral("layer.gpkg")});
  }

  void badTargets() {
    QTemporaryDir dir;
    const Status folder = writeFileAtomically(dir.path(), "x");
    QVERIFY(!folder.ok());
    QVERIFY(folder.error().toString().contains(QStringLiteral("folder")));
    const Status missing = writeFileAtomically(dir.filePath(QStringLiteral("no/such/folder/a.txt")), "x");
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().code() == ErrorCode::FileNotFound);
    QVERIFY(filesIn(dir.path()).isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
