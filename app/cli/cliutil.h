#pragma once

// Shared by the netspatial subcommands: exit codes, error/usage printing, number formatting and a
// progress line on stderr (stdout stays parseable).

#include "core/util/error.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include "netspatial/models/netspatial.h"

#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineParser;

namespace netspatial::core {
struct Scenario;
}

namespace netspatial::app::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
//! The user interrupted the job (Ctrl-C) and it stopped cleanly: 128 + SIGINT, as shells report it.
inline constexpr int kExitCancelled = 130;
//! The same stop asked by SIGTERM: 128 + SIGTERM.
inline constexpr int kExitTerminated = 143;

//! The exit status of a job stopped by InterruptHandler: 128 + the signal (130 for Ctrl-C, 143 for
//! SIGTERM), as a shell reports a process that signal killed.
int exitCancelled();

//! Prints the error and returns kExitFailed; a Cancelled error (the user's Ctrl-C or SIGTERM, see
//! InterruptHandler) says nothing was written and returns kExitCancelled.
int fail(const core::Error& e);
//! Prints a command-line mistake with a pointer to the command's --help; returns kExitUsage.
int usage(const QString& message, const QString& command);
//! C-locale fixed-point text.
QString number(double v, int decimals = 0);
QString fileSize(qint64 bytes);

//! Ctrl-C (SIGINT) and SIGTERM, for the command's lifetime: the first sets a flag the job polls
//! between steps (it then stops cleanly and exits kExitCancelled); SA_RESETHAND makes a second one
//! kill a stuck step. Only one at a time.
class InterruptHandler {
 public:
  explicit InterruptHandler(const char* command);
  ~InterruptHandler();
  InterruptHandler(const InterruptHandler&) = delete;
  InterruptHandler& operator=(const InterruptHandler&) = delete;
  static bool interrupted();

 private:
  struct Saved;
  Saved* m_saved;
};

//! The most CPU threads a command accepts (--threads). More is never faster on a desktop, and each
//! costs a stack: `--threads 100000` used to leave thousands of sleeping threads and no message.
inline constexpr int kMaxThreads = 256;

//! Parses a command's `arguments`; the usage message, or nothing. Besides Qt's own checks it
//! refuses, naming the option: a single-valued option given twice (which one was meant?), and a
//! value that reads as a non-finite number ('nan', 'inf'), which every numeric check of the
//! commands would otherwise let through. `repeatable`: the option names that may be given again.
std::optional<QString> parseCommandLine(QCommandLineParser& parser, const QStringList& arguments, const QStringList& repeatable = {});

//! --threads as an integer in [minimum, kMaxThreads]; the usage message, or nothing.
std::optional<QString> readThreads(const QString& text, int minimum, int& threads);

//! Reads --device (auto, cpu, cuda) and --threads (0–kMaxThreads) into `engine`; the usage message, or nothing.
std::optional<QString> readEngineOptions(const QString& device, const QString& threads, models::EngineOptions& engine);

//! Saves `scenario` to `path` with a "Saving" progress line; a Ctrl-C (InterruptHandler) stops it
//! and the file stays as it was (the save is atomic). The error, if any.
core::Status saveScenarioInterruptibly(const core::Scenario& scenario, const QString& path);

//! Progress on one terminal line, redrawn in place on a terminal; one line per step otherwise.
class ProgressLine {
 public:
  explicit ProgressLine(QString label);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  void attach(core::Feedback& feedback);
  //! attach(), and a Ctrl-C (InterruptHandler) cancels `feedback` at its next progress report.
  void attachInterruptible(core::Feedback& feedback);
  void update(double fraction, const QString& stepText);
  void finish();

 private:
  QString m_label;
  QString m_lastStep;
  int m_lastPercent = -1;
  int m_width = 0;
  bool m_open = false;
  bool m_tty = false;
};

}  // namespace netspatial::app::cli
