#pragma once

// RFC 4180 CSV output (UTF-8, CRLF, fields quoted only when they must be), written atomically:
// the rows go to a temporary beside the target, renamed over it by commit(). A writer destroyed
// without commit() leaves any earlier file untouched.

#include "core/util/atomicfile.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace netspatial::core {

class CsvWriter {
 public:
  static Result<std::unique_ptr<CsvWriter>> open(const QString& path);

  void writeRow(const QStringList& fields);
  //! Finishes the file; fails (naming it) on any write error.
  Status commit();

  //! One field as RFC 4180 wants it: quoted when it holds a comma, quote, CR or LF. A text that a
  //! spreadsheet would run as a formula (=, +, -, @, TAB or CR first, and not a number) gets a
  //! leading apostrophe (OWASP's CSV-injection rule).
  static QString escape(const QString& field);

 private:
  explicit CsvWriter(const QString& path) : m_file(path) {}
  AtomicFile m_file;
  QIODevice* m_device = nullptr;  //!< the temporary, owned by m_file
  QByteArray m_buffer;
};

}  // namespace netspatial::core
