#include "core/util/csvwriter.h"

namespace netspatial::core {

Result<std::unique_ptr<CsvWriter>> CsvWriter::open(const QString& path) {
  std::unique_ptr<CsvWriter> w(new CsvWriter(path));
  auto device = w->m_file.open();
  if (!device) return Error(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, device.error().message()), {path});
  w->m_device = *device;
  return w;
}

namespace {
// OWASP's rule against CSV injection: a spreadsheet runs a cell that starts with one of these as a
// formula, so a site id or name such as "=HYPERLINK(…)" from an imported file would run on the
// planner's machine. Numbers ("-3.5", "+2") stay numbers.
bool startsLikeAFormula(const QString& field) {
  if (field.isEmpty()) return false;
  const QChar c = field.front();
  if (c != QLatin1Char('=') && c != QLatin1Char('+') && c != QLatin1Char('-') && c != QLatin1Char('@') && c != QLatin1Char('\t') &&
      c != QLatin1Char('\r'))
    return false;
  bool number = false;
  field.toDouble(&number);  // C locale
  return !number;
}
}  // namespace

QString CsvWriter::escape(const QString& field) {
  const QString text = startsLikeAFormula(field) ? QLatin1Char('\'') + field : field;
  if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')) &&
      !text.contains(QLatin1Char('\r')))
    return text;
  QString quoted = text;
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
  // AtomicFile's error already names the file ("FILE: cannot write the file: No space left on device").
  return m_file.commit();
}

}  // namespace netspatial::core
