#include "core/util/error.h"

#include <QFileInfo>

namespace netspatial::core {

QString errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument:
      return QStringLiteral("invalid argument");
    case ErrorCode::FileNotFound:
      return QStringLiteral("file not found");
    case ErrorCode::UnsupportedFormat:
      return QStringLiteral("unsupported format");
    case ErrorCode::CorruptData:
      return QStringLiteral("corrupt data");
    case ErrorCode::ParseError:
      return QStringLiteral("parse error");
    case ErrorCode::MissingField:
      return QStringLiteral("missing field");
    case ErrorCode::InvalidValue:
      return QStringLiteral("invalid value");
    case ErrorCode::InvalidGeometry:
      return QStringLiteral("invalid geometry");
    case ErrorCode::UnknownCrs:
      return QStringLiteral("unknown CRS");
    case ErrorCode::TransformFailed:
      return QStringLiteral("transform failed");
    case ErrorCode::OutOfExtent:
      return QStringLiteral("out of extent");
    case ErrorCode::Io:
      return QStringLiteral("I/O error");
    case ErrorCode::Cancelled:
      return QStringLiteral("cancelled");
    case ErrorCode::Internal:
      return QStringLiteral("internal error");
  }
  return QStringLiteral("error");
}

Error::Error(ErrorCode code, QString message, ErrorContext context)
    : m_code(code), m_message(std::move(message)), m_context(std::move(context)) {}

Error Error::withFile(const QString& file) const {
  Error e = *this;
  if (e.m_context.file.isEmpty()) e.m_context.file = file;
  return e;
}

Error Error::withRow(qint64 row) const {
  Error e = *this;
  if (!e.m_context.row) e.m_context.row = row;
  return e;
}

Error Error::withField(const QString& field) const {
  Error e = *this;
  if (e.m_context.field.isEmpty()) e.m_context.field = field;
  return e;
}

QString Error::toString() const {
  QStringList where;
  if (!m_context.file.isEmpty()) where << m_context.file;
  if (m_context.row) where << QStringLiteral("row %1").arg(*m_context.row);
  if (!m_context.field.isEmpty()) where << QStringLiteral("field '%1'").arg(m_context.field);
  if (where.isEmpty()) return m_message;
  return where.join(QStringLiteral(", ")) + QStringLiteral(": ") + m_message;
}

}  // namespace netspatial::core
