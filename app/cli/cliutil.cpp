#include "app/cli/cliutil.h"

#include "core/scenario/scenariostore.h"
#include "core/util/atomicfile.h"

#include <QCommandLineParser>
#include <QLocale>
#include <QTextStream>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>

#include <unistd.h>

namespace netspatial::app::cli {

namespace {
// A lock-free atomic is safe to store from a signal handler; nothing else is done there but one write(2).
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);
std::atomic<int> g_signal{SIGINT};  // the signal that interrupted: the exit status is 128 + it
static_assert(std::atomic<int>::is_always_lock_free);
char g_message[160];
std::size_t g_messageLength = 0;

void onInterrupt(int signal) {
  g_signal.store(signal, std::memory_order_relaxed);
  g_interrupted.store(true, std::memory_order_relaxed);
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, g_message, g_messageLength);
}
}  // namespace

struct InterruptHandler::Saved {
  struct sigaction oldInt {};
  struct sigaction oldTerm {};
};

InterruptHandler::InterruptHandler(const char* command) : m_saved(new Saved) {
  g_interrupted.store(false);
  g_messageLength =
      std::size_t(std::snprintf(g_message, sizeof g_message,
                                "\nnetspatial %s: interrupted, stopping after the current step (press Ctrl-C again to kill)\n", command));
  g_messageLength = std::min(g_messageLength, sizeof g_message - 1);
  struct sigaction action {};
  action.sa_handler = onInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, &m_saved->oldInt);
  sigaction(SIGTERM, &action, &m_saved->oldTerm);
}

InterruptHandler::~InterruptHandler() {
  sigaction(SIGINT, &m_saved->oldInt, nullptr);
  sigaction(SIGTERM, &m_saved->oldTerm, nullptr);
  delete m_saved;
}

bool InterruptHandler::interrupted() { return g_interrupted.load(std::memory_order_relaxed); }

int exitCancelled() { return 128 + g_signal.load(std::memory_order_relaxed); }

int fail(const core::Error& e) {
  // A step stops with Cancelled only when the user interrupted it (InterruptHandler): that is
  // the interrupt's exit status, and every save on the way was atomic.
  if (e.code() == core::ErrorCode::Cancelled) {
    QTextStream(stderr) << "netspatial: cancelled: nothing was written\n";
    return exitCancelled();
  }
  // A message quotes what it refuses; a 5 MB id must not become a 5 MB line. Every message names
  // its culprit within the first kept characters.
  QString text = e.toString();
  constexpr qsizetype kMaxMessage = 1000;
  if (text.size() > kMaxMessage) text = text.left(kMaxMessage - 200) + QStringLiteral(" … ") + text.right(150);
  QTextStream(stderr) << "netspatial: " << text << '\n';
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

void ProgressLine::attachInterruptible(core::Feedback& feedback) {
  feedback.setProgressCallback([this, &feedback](double fraction, const QString& step) {
    if (InterruptHandler::interrupted()) feedback.cancel();
    update(fraction, step);
  });
}

std::optional<QString> readEngineOptions(const QString& device, const QString& threads, models::EngineOptions& engine) {
  const QString d = device.toLower();
  if (d == QStringLiteral("auto"))
    engine.device = models::DevicePreference::Auto;
  else if (d == QStringLiteral("cpu"))
    engine.device = models::DevicePreference::Cpu;
  else if (d == QStringLiteral("cuda"))
    engine.device = models::DevicePreference::Cuda;
  else
    return QStringLiteral("--device must be auto, cpu or cuda");
  return readThreads(threads, 0, engine.threads);
}

std::optional<QString> readThreads(const QString& text, int minimum, int& threads) {
  bool ok = false;
  const int value = text.toInt(&ok);
  if (!ok || value < minimum || value > kMaxThreads)
    return QStringLiteral("--threads must be an integer from %1 to %2, not '%3'").arg(minimum).arg(kMaxThreads).arg(text.left(40));
  threads = value;
  return std::nullopt;
}

core::Status saveScenarioInterruptibly(const core::Scenario& scenario, const QString& path) {
  core::Feedback feedback;
  ProgressLine line(QStringLiteral("Saving"));
  line.attachInterruptible(feedback);
  const core::Status saved = core::saveScenario(scenario, path, &feedback);
  line.finish();
  return saved;
}

std::optional<QString> parseCommandLine(QCommandLineParser& parser, const QStringList& arguments, const QStringList& repeatable) {
  // Every command that writes refuses to replace a read-only file; this is how the user says "do".
  const QCommandLineOption overwrite(
      QStringLiteral("overwrite-read-only"),
      QStringLiteral("Replace output files marked read-only (links, devices and FIFOs are never written through)."));
  parser.addOption(overwrite);
  if (!parser.parse(arguments)) return parser.errorText();
  core::AtomicFile::setReplaceReadOnly(parser.isSet(overwrite));
  QStringList seen;
  for (const QString& name : parser.optionNames()) {
    if (seen.contains(name)) continue;
    seen << name;
    const QStringList values = parser.values(name);
    if (values.size() > 1 && !repeatable.contains(name))
      return QStringLiteral("--%1 is given %2 times ('%3'): give it once")
          .arg(name)
          .arg(values.size())
          .arg(values.join(QStringLiteral("', '")).left(120));
    for (const QString& value : values) {
      bool number = false;
      const double v = value.trimmed().toDouble(&number);
      if (number && !std::isfinite(v))
        return QStringLiteral("--%1: '%2' is not a finite number (for a file of that name, write ./%2)").arg(name, value.trimmed());
    }
  }
  return std::nullopt;
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
