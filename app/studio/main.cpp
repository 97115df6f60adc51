// netspatial-studio [--crs DEF] [--screenshot FILE.png] [--no-demo] [files...]
//
// Opens the main window with the given scenario (.gpkg) and GDAL rasters and OGR vectors on one
// map; with no files, the demo city (simulated once, then cached in the user's data folder). With
// --screenshot it renders the window once everything is drawn, saves it and exits, which is
// what the tests and the documentation use.

#include "app/studio/mainwindow.h"
#include "netspatial/models/blastuning.h"
#include "ui/map/mapcanvas.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

namespace {

// Exit codes: 0 success; 1 the screenshot could not be saved; 2 bad command line;
// 3 some layers could not be opened (with --screenshot, the image is still saved).
constexpr int kExitScreenshotFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitLayerErrors = 3;

void printError(const QString& message) {
  std::fprintf(stderr, "netspatial-studio: %s\n", qPrintable(message));
}

}  // namespace

int main(int argc, char* argv[]) {
  netspatial::models::tuneBlasForThisCpu(argc, argv);
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("NetSpatial Studio"));
  QApplication::setOrganizationName(QStringLiteral("NetSpatial"));
  QApplication::setApplicationVersion(QStringLiteral(NETSPATIAL_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("NetSpatial Studio: mobile-network planning on a map."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                            QStringLiteral("Render the window once the layers are drawn, save it "
                                                           "as a PNG image and exit."),
                                            QStringLiteral("FILE.png"));
  const QCommandLineOption crsOption(QStringLiteral("crs"),
                                     QStringLiteral("Map CRS (EPSG code, WKT or PROJ string) instead of the UTM zone "
                                                    "of the first layer."),
                                     QStringLiteral("DEF"));
  const QCommandLineOption sizeOption(QStringLiteral("size"), QStringLiteral("Window size, e.g. 1280x800."),
                                      QStringLiteral("WxH"), QStringLiteral("1200x760"));
  const QCommandLineOption noDemoOption(QStringLiteral("no-demo"),
                                       QStringLiteral("Start with an empty map instead of the demo city."));
  parser.addOptions({screenshotOption, crsOption, sizeOption, noDemoOption});
  parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("GDAL rasters and OGR vector files to show."),
                               QStringLiteral("[files...]"));
  parser.process(app);

  QSize size(1200, 760);
  {
    const QStringList wh = parser.value(sizeOption).split(QLatin1Char('x'));
    bool okW = false;
    bool okH = false;
    if (wh.size() == 2) size = QSize(wh[0].toInt(&okW), wh[1].toInt(&okH));
    if (!okW || !okH || size.width() < 200 || size.height() < 150) {
      printError(QStringLiteral("--size '%1': expected WIDTHxHEIGHT, at least 200x150").arg(parser.value(sizeOption)));
      return kExitUsage;
    }
  }

  netspatial::app::MainWindow window;
  if (parser.isSet(crsOption)) {
    auto crs = netspatial::core::Crs::fromUserInput(parser.value(crsOption));
    if (!crs) {
      printError(QStringLiteral("--crs: %1").arg(crs.error().toString()));
      return kExitUsage;
    }
    if (auto s = window.canvas()->setMapCrs(*crs); !s) {
      printError(QStringLiteral("--crs: %1").arg(s.error().toString()));
      return kExitUsage;
    }
  }

  const bool screenshot = parser.isSet(screenshotOption);
  window.setInteractive(!screenshot);
  window.resize(size);
  window.show();
  const QStringList files = parser.positionalArguments();
  if (files.isEmpty() && !parser.isSet(noDemoOption)) {
    window.openDemoCity();
  } else {
    window.openFiles(files);
  }

  if (screenshot) {
    const QString path = parser.value(screenshotOption);
    window.saveScreenshotWhenReady(path, [&window](bool ok, const QString& message) {
      for (const QString& e : window.openErrors()) printError(e);
      if (ok) {
        std::fprintf(stdout, "%s\n", qPrintable(message));
      } else {
        printError(message);
      }
      QApplication::exit(!ok ? kExitScreenshotFailed : !window.openErrors().isEmpty() ? kExitLayerErrors : 0);
    });
  }
  return app.exec();
}
