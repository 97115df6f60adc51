#pragma once

#include <QString>

#include <optional>

namespace netspatial::core {

//! What went wrong, in categories a caller can act on.
enum class ErrorCode {
  InvalidArgument,
  FileNotFound,
  UnsupportedFormat,
  CorruptData,
  ParseError,
  MissingField,
  InvalidValue,
  InvalidGeometry,
  UnknownCrs,
  TransformFailed,
  OutOfExtent,
  Io,
  Cancelled,
  Internal,
};

QString errorCodeName(ErrorCode code);

//! Where the problem is: the file, and inside it the row (1-based data row) and field.
struct ErrorContext {
  QString file;
  std::optional<qint64> row;
  QString field;
};

//! A failure that crosses a module boundary instead of an exception (DESIGN.md §11).
class Error {
 public:
  Error(ErrorCode code, QString message, ErrorContext context = {});

  ErrorCode code() const { return m_code; }
  const QString& message() const { return m_message; }
  const ErrorContext& context() const { return m_context; }

  //! Adds context a lower layer did not know (e.g. the file name); keeps what is already set.
  Error withFile(const QString& file) const;
  Error withRow(qint64 row) const;
  Error withField(const QString& field) const;

  //! One line for users: "file.csv, row 4, field 'lon': not a number: 'abc'".
  QString toString() const;

 private:
  ErrorCode m_code;
  QString m_message;
  ErrorContext m_context;
};

}  // namespace netspatial::core
