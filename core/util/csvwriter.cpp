#include "core/util/csvwriter.h"

namespace netspatial::core {

Result<std::unique_ptr<CsvWriter>> CsvWriter::open(const QString& path) {
  std::unique_ptr<CsvWriter> w(new CsvWriter(path));
  auto device = w->m_file.open();
  if (!device) return Error(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, device.error().message()), {path});
  w->m_device = *device;
  return w;
}

QString CsvWriter::escape(const QString& field) {
  if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) && !field.contains(QLatin1Char('\n')) &&
      !field.contains(QLatin1Char('\r')))
    return field;
  QString quoted = field;
  quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

void CsvWriter::writeRow(const QStringList& fields) {
  for (qsizetype i = 0; i < fields.size(); ++i) {
    if (i) m_buffer += ',';
    m_buffer += escape(fields[i]).toUtf8();
  }
  m_buffer += "\r\n";
  if (m_buffer.size() > (1 << 20)) {
    m_device->write(m_buffer);  // a failed write leaves an error on the device, reported by commit()
    m_buffer.clear();
  }
}

Status CsvWriter::commit() {
  if (!m_buffer.isEmpty()) m_device->write(m_buffer);
  m_buffer.clear();
  if (auto s = m_file.commit(); !s)
    return Error(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(m_file.target(), s.error().message()), {m_file.target()});
  return {};
}

}  // namespace netspatial::core
