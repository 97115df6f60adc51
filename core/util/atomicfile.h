#pragma once

// Every save of the code base that replaces a file goes through here: the content is written to a
// temporary beside the target (the same file system, so the final rename is atomic), flushed to
// disk, and renamed over the target only when complete. A crash, a full disk or a cancel leaves the
// earlier file as it was and no temporary behind; a write error is reported, never taken for
// success (DESIGN.md §3, §11).
//
// Two ways to write the temporary:
//  - open(): a QIODevice for Qt writers (CSV, PDF, PNG, text);
//  - reservePath(): only a unique path, for writers that create the file themselves (GDAL).

#include "core/util/result.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace netspatial::core {

class AtomicFile {
 public:
  explicit AtomicFile(QString target);
  //! Removes the temporary (and SQLite/GDAL side files of it) unless commit() succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  //! Creates the temporary and opens it for writing. Fails when the target may not be replaced (notReplaceable()), its folder
  //! does not exist or is not writable.
  Result<QIODevice*> open();
  //! Reserves a unique temporary name beside the target, ending in `suffix` (e.g. ".gpkg", for
  //! drivers that pick a format from it), and leaves no file there: the caller's writer creates it.
  Result<QString> reservePath(const QString& suffix = {});

  const QString& target() const { return m_target; }  //!< as given to the constructor
  const QString& tempPath() const { return m_temp; }

  //! Checks for write errors, flushes the temporary to disk, renames it over the target and makes
  //! the rename durable. On failure the target is unchanged and the temporary removed.
  Status commit();
  //! Drops the temporary; the target is unchanged.
  void discard();

  //! Why `path` must not be replaced by a save, or nothing: a symbolic link (the rename would
  //! replace the link, not what it points to), a device, FIFO or socket (`--out /dev/null` as root
  //! would replace /dev/null), a folder, or a read-only file (by its mode bits, so also for root).
  //! Nothing there is fine.
  static std::optional<QString> notReplaceable(const QString& path);
  //! For the whole process: a file marked read-only may be replaced after all (the user asked:
  //! `--overwrite-read-only`). Links, devices, FIFOs and folders stay refused.
  static void setReplaceReadOnly(bool replace);
  //! Removes the temporaries of `target` that a killed save left beside it (kill -9, a power cut:
  //! no destructor ran). A temporary's name carries the saving process's id (NAME.tmp-PID-XXXXXX);
  //! only those whose process is gone are removed, so a save running now is never disturbed.
  //! Called before every save and on opening a project. The names removed.
  static QStringList removeStaleTemporaries(const QString& target);

 private:
  Error ioError(const QString& what, const QString& why) const;

  QString m_target;    //!< as given: what errors name
  QString m_absolute;  //!< what is renamed over
  QString m_temp;
  std::unique_ptr<QFile> m_file;
  bool m_committed = false;
};

//! Writes `bytes` to `path` atomically (a temporary beside it, then a rename).
Status writeFileAtomically(const QString& path, const QByteArray& bytes);

}  // namespace netspatial::core
