#pragma once

// The netspatial subcommands that live in their own files. Each takes its own argument list (the
// first entry is "netspatial COMMAND") and returns an exit code of cliutil.h.

#include <QStringList>

namespace netspatial::app::cli {

//! `netspatial import milan|traffic …` (importcommand.cpp).
int runImport(const QStringList& arguments);
//! `netspatial import traffic …` (importtrafficcommand.cpp); runImport dispatches to it.
int runImportTraffic(const QStringList& arguments);
//! `netspatial evaluate …` (evaluatecommand.cpp).
int runEvaluate(const QStringList& arguments);
//! `netspatial train RECIPE …` (traincommand.cpp).
int runTrain(const QStringList& arguments);

}  // namespace netspatial::app::cli
