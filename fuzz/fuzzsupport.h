#pragma once

// What every fuzz target shares. The parsers read paths, not bytes, so each input is written to a
// file in a scratch folder of the process; Qt and GDAL messages are silenced so that libFuzzer's
// report is what the terminal shows; a parser's broken promise aborts, which libFuzzer records as a
// finding with the input that caused it.

#include <QByteArrayView>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

namespace netspatial::fuzz {

//! Once per process (from LLVMFuzzerInitialize): a QCoreApplication, as the CLI and the studio
//! have one (it sets the C locale from the environment, which number parsing may see); Qt's and
//! GDAL's messages off; GDAL's drivers registered.
void initialise();

//! This process's scratch folder (under TMPDIR), removed at exit. Every target writes its input
//! there: with `-jobs`/`-fork` each process has its own.
QString scratchDir();

//! Writes `data` to scratchDir()/name, replacing what was there; returns the path. Aborts when it
//! cannot: a fuzzer that silently tests nothing is worse than one that stops.
QString writeScratchFile(const QString& name, QByteArrayView data);

//! The parts of `data` before and after the first line that is exactly `separator` (the targets
//! that read two files take them from one input); nullopt when there is no such line.
std::optional<std::pair<QByteArrayView, QByteArrayView>> splitAtLine(QByteArrayView data, QByteArrayView separator);

//! Prints `message` when NETSPATIAL_FUZZ_VERBOSE is set: why an input was refused, when checking
//! that a seed gets as far as it should (`NETSPATIAL_FUZZ_VERBOSE=1 build/fuzz/fuzz/<target> FILE`).
void note(const QString& message);

//! A promise of the parser under test is broken (a result it documents as impossible): says which
//! and aborts.
[[noreturn]] void violated(const char* target, const QString& what);

inline QByteArrayView bytes(const std::uint8_t* data, std::size_t size) {
  return QByteArrayView(reinterpret_cast<const char*>(data), qsizetype(size));
}

}  // namespace netspatial::fuzz
