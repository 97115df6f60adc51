// netspatial: the command-line front end. Subcommands run the same jobs as the GUI, headless.

#include "app/common/versioninfo.h"
#include "netspatial/models/blastuning.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

namespace {

int printVersion() {
  QTextStream out(stdout);
  for (const QString& line : netspatial::app::VersionInfo::collect().lines()) out << line << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  netspatial::models::tuneBlasForThisCpu(argc, argv);
  QCoreApplication app(argc, argv);
  QCoreApplication::setApplicationName(QStringLiteral("netspatial"));
  QCoreApplication::setApplicationVersion(QStringLiteral(NETSPATIAL_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "NetSpatial Studio command line.\n\nCommands will appear here as they are built (simulate, import, train, "
      "generate, rank, sleep, evaluate, export)."));
  parser.addHelpOption();
  const QCommandLineOption versionOption(QStringList{QStringLiteral("version"), QStringLiteral("v")},
                                         QStringLiteral("Print the versions of Qt, LibTorch, GDAL, PROJ, the BLAS "
                                                        "library loaded and the compute device."));
  parser.addOption(versionOption);
  parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("The command to run."));
  parser.process(app);

  if (parser.isSet(versionOption)) return printVersion();
  const QStringList args = parser.positionalArguments();
  if (args.isEmpty()) {
    parser.showHelp(0);
  }
  QTextStream(stderr) << "netspatial: unknown command '" << args.first() << "' (see netspatial --help)\n";
  return 2;
}
