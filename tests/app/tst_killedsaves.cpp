// Fault injection on saves (issue 20): a save killed with SIGKILL at a random moment, a full disk
// and a read-only file system. Whatever happens, the project file opens and is either the original
// byte for byte or the complete new one; temporaries a killed save left are removed on the next
// open; a failed save says why and exits non-zero.

#include "core/scenario/scenariostore.h"
#include "core/util/atomicfile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sys/mount.h>
#include <unistd.h>

using namespace netspatial::core;

namespace {

QByteArray sha256(const QString& path) {
  QFile f(path);
  QCryptographicHash h(QCryptographicHash::Sha256);
  if (f.open(QIODevice::ReadOnly)) h.addData(&f);
  return h.result();
}

QStringList temporaries(const QString& dir) { return QDir(dir).entryList({QStringLiteral("*.tmp-*")}, QDir::Files | QDir::Hidden); }

QStringList simulateArgs(const QString& out, int seed) {
  return {QStringLiteral("simulate"),
          QStringLiteral("--preset"),
          QStringLiteral("town"),
          QStringLiteral("--seed"),
          QString::number(seed),
          QStringLiteral("--out"),
          out};
}

}  // namespace

class TestKilledSaves : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    m_original = m_dir.filePath(QStringLiteral("original.gpkg"));
    QProcess p;
    QElapsedTimer timer;
    timer.start();
    p.start(QStringLiteral(NETSPATIAL_CLI), simulateArgs(m_original, 1));
    QVERIFY(p.waitForFinished(300000) && p.exitCode() == 0);
    // The kills are spread over this measured run (simulation, then save), not over fixed times:
    // on a loaded machine the same delays landed before the save and proved nothing about it.
    m_runMs = int(timer.elapsed());
    m_originalHash = sha256(m_original);
  }

  // kill -9 at 50 moments spread over the simulation and the save that follows it.
  void killedAtRandomMoments() {
    const QString target = m_dir.filePath(QStringLiteral("p.gpkg"));
    QRandomGenerator random(20);
    int untouched = 0, replaced = 0, temporariesLeft = 0;
    for (int i = 0; i < 50; ++i) {
      QFile::remove(target);
      QVERIFY(QFile::copy(m_original, target));
      QFile(target).setPermissions(QFile::ReadOwner | QFile::WriteOwner);
      QProcess p;
      p.start(QStringLiteral(NETSPATIAL_CLI), simulateArgs(target, 2));
      QVERIFY(p.waitForStarted());
      QThread::msleep(std::uint32_t(random.bounded(m_runMs / 15, m_runMs + m_runMs / 10)));
      p.kill();  // SIGKILL: no handler, no destructor
      p.waitForFinished();
      const QStringList left = temporaries(m_dir.path());
      if (!left.isEmpty()) ++temporariesLeft;
      if (sha256(target) == m_originalHash) {
        ++untouched;
      } else {
        ++replaced;
      }
      // Either way the project opens; a replaced one is the complete new city (seed 2). Opening
      // removes what the killed save left.
      auto loaded = loadScenario(target);
      QVERIFY2(loaded.ok(), qPrintable(QStringLiteral("kill %1: %2").arg(i).arg(loaded.ok() ? QString() : loaded.error().toString())));
      QCOMPARE(qulonglong(loaded->metadata.seed), qulonglong(sha256(target) == m_originalHash ? 1 : 2));
      QVERIFY2(temporaries(m_dir.path()).isEmpty(), qPrintable(temporaries(m_dir.path()).join(QLatin1Char(' '))));
    }
    qInfo(
        "an uncut run took %d ms; 50 kills: %d left the original, %d the complete new file; %d left a temporary (removed on the next open)",
        m_runMs, untouched, replaced, temporariesLeft);
    // The moments must have hit the save itself, or the test proves nothing about it.
    QVERIFY2(temporariesLeft >= 5, "too few kills landed during a save: adjust the delays");
    QVERIFY(untouched > 0);
  }

  // A real full disk (a small tmpfs) and a read-only file system, where root can mount one.
  void fullDiskAndReadOnlyFileSystem() {
    if (::geteuid() != 0) QSKIP("mounting a tmpfs needs root");
    QTemporaryDir mountPoint;
    QVERIFY(mountPoint.isValid());
    const QByteArray point = QFile::encodeName(mountPoint.path());
    const QByteArray size = "size=" + QByteArray::number(QFileInfo(m_original).size() + (1 << 20));
    if (::mount("tmpfs", point.constData(), "tmpfs", 0, size.constData()) != 0) QSKIP("this machine cannot mount a tmpfs here");
    const auto unmount = qScopeGuard([&] { ::umount2(point.constData(), MNT_DETACH); });
    const QString target = mountPoint.filePath(QStringLiteral("p.gpkg"));
    QVERIFY(QFile::copy(m_original, target));

    QProcess p;
    p.start(QStringLiteral(NETSPATIAL_CLI), simulateArgs(target, 2));
    QVERIFY(p.waitForFinished(300000));
    QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 1);
    // SQLite's words for ENOSPC ("database or disk is full") or the OS's, naming the file.
    QVERIFY2(
        (err.contains(QStringLiteral("No space left on device")) || err.contains(QStringLiteral("disk is full"))) && err.contains(target),
        qPrintable(err.right(500)));
    QCOMPARE(sha256(target), m_originalHash);
    QVERIFY(temporaries(mountPoint.path()).isEmpty());

    QVERIFY(::mount("tmpfs", point.constData(), "tmpfs", MS_REMOUNT | MS_RDONLY, size.constData()) == 0);
    p.start(QStringLiteral(NETSPATIAL_CLI), simulateArgs(target, 2));
    QVERIFY(p.waitForFinished(300000));
    err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(err.contains(target), qPrintable(err.right(500)));
    QCOMPARE(sha256(target), m_originalHash);
    QVERIFY(temporaries(mountPoint.path()).isEmpty());
  }

 private:
  QTemporaryDir m_dir;
  QString m_original;
  QByteArray m_originalHash;
  int m_runMs = 1500;
};

QTEST_GUILESS_MAIN(TestKilledSaves)
#include "tst_killedsaves.moc"
