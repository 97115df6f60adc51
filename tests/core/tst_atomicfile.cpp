// core/util/atomicfile: a save replaces the target whole or not at all, and says when it failed.

#include "core/util/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <sys/stat.h>

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

  // Outputs are never written through a link, into a device or FIFO, or over a read-only file
  // (issue 20: `--out` given a symlink or /dev/null was replaced by a regular file, read-only
  // projects were replaced). The target is left as it was and no temporary stays.
  void targetsThatAreNotReplaced_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("symbolic link") << QStringLiteral("link") << QStringLiteral("symbolic link");
    QTest::newRow("dangling link") << QStringLiteral("dangling") << QStringLiteral("symbolic link");
    QTest::newRow("FIFO") << QStringLiteral("fifo") << QStringLiteral("not a regular file");
    QTest::newRow("read-only file") << QStringLiteral("readonly") << QStringLiteral("read-only");
    QTest::newRow("writable file") << QStringLiteral("plain") << QString();
  }
  void targetsThatAreNotReplaced() {
    QFETCH(QString, kind);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString real = dir.filePath(QStringLiteral("real.csv"));
    QVERIFY(writeFileAtomically(real, "original").ok());
    const QString target = dir.filePath(QStringLiteral("target.csv"));
    if (kind == QStringLiteral("link")) {
      QVERIFY(QFile::link(real, target));
    } else if (kind == QStringLiteral("dangling")) {
      QVERIFY(QFile::link(dir.filePath(QStringLiteral("nowhere.csv")), target));
    } else if (kind == QStringLiteral("fifo")) {
      QVERIFY(::mkfifo(QFile::encodeName(target).constData(), 0644) == 0);
    } else {
      QVERIFY(writeFileAtomically(target, "original").ok());
      if (kind == QStringLiteral("readonly")) QVERIFY(QFile::setPermissions(target, QFileDevice::ReadOwner | QFileDevice::ReadGroup));
    }
    const QStringList before = filesIn(dir.path());
    const Status written = writeFileAtomically(target, "new");
    if (message.isEmpty()) {
      QVERIFY2(written.ok(), qPrintable(written.error().toString()));
      QCOMPARE(readAll(target), QByteArray("new"));
      return;
    }
    QVERIFY(!written.ok());
    QVERIFY2(written.error().toString().contains(message), qPrintable(written.error().toString()));
    QVERIFY2(written.error().toString().contains(target), qPrintable(written.error().toString()));
    QCOMPARE(filesIn(dir.path()), before);  // no temporary, nothing replaced
    QCOMPARE(readAll(real), QByteArray("original"));
    const QFileInfo info(target);
    if (kind == QStringLiteral("link") || kind == QStringLiteral("dangling")) QVERIFY(info.isSymLink());
    if (kind == QStringLiteral("readonly")) QCOMPARE(readAll(target), QByteArray("original"));
    QCOMPARE(AtomicFile::notReplaceable(QStringLiteral("/dev/null")).has_value(), true);
  }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
