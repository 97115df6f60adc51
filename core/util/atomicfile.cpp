#include "core/util/atomicfile.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>

#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>

namespace netspatial::core {

namespace {

QString lastOsError() { return QString::fromLocal8Bit(std::strerror(errno)); }

std::atomic<bool> g_replaceReadOnly{false};

// The side files SQLite and GDAL leave next to a database they had open.
constexpr const char* kSideFileSuffixes[] = {"", "-journal", "-wal", "-shm", ".aux.xml"};

//! fsync of a file or a folder (a folder's fsync makes a rename in it durable).
bool syncPath(const QString& path, bool directory) {
  const int fd = ::open(QFile::encodeName(path).constData(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::optional<QString> AtomicFile::notReplaceable(const QString& path) {
  struct stat st {};
  if (::lstat(QFile::encodeName(path).constData(), &st) != 0) return std::nullopt;  // nothing there yet
  if (S_ISLNK(st.st_mode))
    return QStringLiteral("it is a symbolic link (to %1): it is not replaced; write to the file itself")
        .arg(QFileInfo(path).symLinkTarget());
  if (S_ISDIR(st.st_mode)) return QStringLiteral("it is a folder");
  if (!S_ISREG(st.st_mode)) return QStringLiteral("it is not a regular file (a device, FIFO or socket): it is not replaced");
  // The mode bits, not access(2): root may write anything, but a file marked read-only is kept,
  // unless the user asked otherwise. A read-only file system refuses the rename anyway.
  if (g_replaceReadOnly.load(std::memory_order_relaxed)) return std::nullopt;
  if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 || ::access(QFile::encodeName(path).constData(), W_OK) != 0)
    return QStringLiteral("it is read-only: it is not replaced (--overwrite-read-only replaces it)");
  return std::nullopt;
}

void AtomicFile::setReplaceReadOnly(bool replace) { g_replaceReadOnly.store(replace, std::memory_order_relaxed); }

AtomicFile::AtomicFile(QString target) : m_target(std::move(target)), m_absolute(QFileInfo(m_target).absoluteFilePath()) {}

AtomicFile::~AtomicFile() {
  if (!m_committed) discard();
}

Error AtomicFile::ioError(const QString& what, const QString& why) const {
  return Error(ErrorCode::Io, QStringLiteral("cannot %1: %2").arg(what, why), {m_target});
}

Result<QString> AtomicFile::reservePath(const QString& suffix) {
  const QFileInfo target(m_absolute);
  if (auto why = notReplaceable(m_absolute)) return ioError(QStringLiteral("write the file"), *why);
  if (!target.absoluteDir().exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("the folder does not exist"), {m_target});
  // QTemporaryFile makes the name unique (O_EXCL); the empty file is removed at once, since the
  // caller's writer wants to create it itself.
  // The process id in the name tells a later save whether the writer is still alive.
  removeStaleTemporaries(m_absolute);
  QTemporaryFile reserve(m_absolute + QStringLiteral(".tmp-%1-XXXXXX").arg(::getpid()) + suffix);
  reserve.setAutoRemove(false);
  if (!reserve.open()) return ioError(QStringLiteral("create a temporary file"), reserve.errorString());
  m_temp = reserve.fileName();
  reserve.close();
  QFile::remove(m_temp);
  return m_temp;
}

Result<QIODevice*> AtomicFile::open() {
  auto path = reservePath();
  if (!path) return path.error();
  m_file = std::make_unique<QFile>(m_temp);
  if (!m_file->open(QIODevice::WriteOnly | QIODevice::NewOnly))
    return ioError(QStringLiteral("create a temporary file"), m_file->errorString());
  return static_cast<QIODevice*>(m_file.get());
}

Status AtomicFile::commit() {
  if (m_temp.isEmpty()) return Error(ErrorCode::Internal, QStringLiteral("nothing was written"), {m_target});
  Status status;
  if (m_file) {
    // QFile buffers: a full disk may show only at flush. Any earlier failed write left an error.
    if (m_file->error() != QFileDevice::NoError)
      status = ioError(QStringLiteral("write the file"), m_file->errorString());
    else if (!m_file->flush())
      status = ioError(QStringLiteral("write the file"), m_file->errorString());
    else if (::fsync(m_file->handle()) != 0)
      status = ioError(QStringLiteral("flush the file to disk"), lastOsError());
    m_file->close();
    if (status && m_file->error() != QFileDevice::NoError) status = ioError(QStringLiteral("write the file"), m_file->errorString());
    m_file.reset();
  } else if (!QFileInfo::exists(m_temp)) {
    status = Error(ErrorCode::Internal, QStringLiteral("the temporary file was not written"), {m_target});
  } else if (!syncPath(m_temp, false)) {
    status = ioError(QStringLiteral("flush the file to disk"), lastOsError());
  }
  // Checked again: the target may have become a link or a device while the file was written.
  if (status)
    if (auto why = notReplaceable(m_absolute)) status = ioError(QStringLiteral("write the file"), *why);
  if (status && std::rename(QFile::encodeName(m_temp).constData(), QFile::encodeName(m_absolute).constData()) != 0)
    status = ioError(QStringLiteral("replace the file"), lastOsError());
  if (!status) {
    discard();
    return status;
  }
  m_committed = true;
  syncPath(QFileInfo(m_absolute).absolutePath(), true);  // makes the rename itself durable
  return {};
}

void AtomicFile::discard() {
  if (m_file) {
    m_file->close();
    m_file.reset();
  }
  if (m_temp.isEmpty()) return;
  // SQLite and GDAL leave side files next to a database they had open.
  for (const char* suffix : kSideFileSuffixes) QFile::remove(m_temp + QString::fromLatin1(suffix));
  m_temp.clear();
}

QStringList AtomicFile::removeStaleTemporaries(const QString& target) {
  const QFileInfo info(target);
  const QString prefix = info.fileName() + QStringLiteral(".tmp-");
  QStringList removed;
  const QDir folder = info.absoluteDir();
  for (const QString& name : folder.entryList({prefix + QLatin1Char('*')}, QDir::Files | QDir::Hidden | QDir::System)) {
    bool ok = false;
    const qint64 pid = name.mid(prefix.size()).section(QLatin1Char('-'), 0, 0).toLongLong(&ok);
    // Not of this naming (an older version's, or the user's own file): left alone.
    if (!ok || pid <= 0 || pid > std::numeric_limits<pid_t>::max()) continue;
    if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to know: kept
    if (QFile::remove(folder.filePath(name))) removed << name;
  }
  // The side files of a removed temporary go with it.
  for (const QString& name : std::as_const(removed))
    for (const char* suffix : kSideFileSuffixes)
      if (*suffix) QFile::remove(folder.filePath(name + QString::fromLatin1(suffix)));
  return removed;
}

Status writeFileAtomically(const QString& path, const QByteArray& bytes) {
  AtomicFile file(path);
  auto device = file.open();
  if (!device) return device.error();
  if ((*device)->write(bytes) != bytes.size())
    return Error(ErrorCode::Io, QStringLiteral("cannot write the file: %1").arg((*device)->errorString()), {file.target()});
  return file.commit();
}

}  // namespace netspatial::core
