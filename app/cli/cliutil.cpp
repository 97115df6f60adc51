#include "app/cli/cliutil.h"

#include <QLocale>
#include <QTextStream>

#include <cstdio>

#include <unistd.h>

namespace netspatial::app::cli {

int fail(const core::Error& e) {
  QTextStream(stderr) << "netspatial: " << e.toString() << '\n';
  return kExitFailed;
}

int usage(const QString& message, const QString& command) {
  QTextStream(stderr) << "netspatial " << command << ": " << message << " (see netspatial " << command << " --help)\n";
  return kExitUsage;
}

QString number(double v, int decimals) { return QLocale::c().toString(v, 'f', decimals); }

QString fileSize(qint64 bytes) {
  if (bytes >= 1024 * 1024) return QStringLiteral("%1 MiB").arg(number(double(bytes) / (1024.0 * 1024.0), 1));
  if (bytes >= 1024) return QStringLiteral("%1 KiB").arg(number(double(bytes) / 1024.0, 1));
  return QStringLiteral("%1 bytes").arg(bytes);
}

ProgressLine::ProgressLine(QString label) : m_label(std::move(label)), m_tty(::isatty(::fileno(stderr)) != 0) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::attach(core::Feedback& feedback) {
  feedback.setProgressCallback([this](double fraction, const QString& step) { update(fraction, step); });
}

void ProgressLine::update(double fraction, const QString& stepText) {
  // Sub-jobs (GDAL) report fractions without a step name: keep showing the last one.
  const QString step = stepText.isEmpty() ? m_lastStep : stepText;
  const int percent = int(fraction * 100.0);
  if (!m_tty) {
    // Logs and pipes get one line per step, not a stream of carriage returns.
    if (step == m_lastStep) return;
    m_lastStep = step;
    QTextStream(stderr) << m_label << ' ' << percent << "% " << step << '\n';
    return;
  }
  if (percent == m_lastPercent && step == m_lastStep) return;
  m_lastPercent = percent;
  m_lastStep = step;
  QString line = QStringLiteral("%1 %2% %3").arg(m_label).arg(percent, 3).arg(step);
  if (line.size() < m_width) line += QString(m_width - line.size(), QLatin1Char(' '));
  m_width = int(line.size());
  QTextStream(stderr) << '\r' << line << Qt::flush;
  m_open = true;
}

void ProgressLine::finish() {
  if (m_open) QTextStream(stderr) << '\n';
  m_open = false;
}

}  // namespace netspatial::app::cli
