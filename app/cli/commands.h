#pragma once

// The netspatial subcommands that live in their own files. Each takes its own argument list (the
// first entry is "netspatial COMMAND") and returns an exit code of cliutil.h.

#include <QStringList>

namespace netspatial::app::cli {

//! `netspatial import milan|traffic …` (importcommand.cpp).
int runImport(const QStringList& arguments);
//! `netspatial import traffic …` (importtrafficcommand.cpp); runImport dispatches to it.
int runImportTraffic(const QStringList& arguments);
//! `netspatial import scenario …` (importscenariocommand.cpp): a scenario from the user's files.
int runImportScenario(const QStringList& arguments);
//! `netspatial evaluate …` (evaluatecommand.cpp).
int runEvaluate(const QStringList& arguments);
//! Whether this `evaluate` command line draws a figure (--sweep-png): QCustomPlot needs a
//! QApplication, which main() then creates (offscreen unless QT_QPA_PLATFORM says otherwise).
bool evaluateDrawsFigure(const QStringList& arguments);
//! `netspatial train RECIPE …` (traincommand.cpp).
int runTrain(const QStringList& arguments);
//! `netspatial generate …` (generatecommand.cpp): candidate grid + generation, stored in the project.
int runGenerate(const QStringList& arguments);
//! `netspatial rank …` (rankcommand.cpp).
int runRank(const QStringList& arguments);
//! `netspatial export …` (exportcommand.cpp): generated series as long CSV.
int runExport(const QStringList& arguments);
//! `netspatial sleep …` (sleepcommand.cpp): forecast-driven sleep scheduling (DESIGN.md §9).
int runSleep(const QStringList& arguments);
//! `netspatial balance …` (balancecommand.cpp): load balancing on the observed period.
int runBalance(const QStringList& arguments);

}  // namespace netspatial::app::cli
