// GDAL never reaches the network unless the user allows it (issue 20): files that name remote
// sources — a raster VRT of /vsicurl/, a WMS description, an OGR VRT of a GeoJSON URL — are
// refused or fail without a single connection to a listener on 127.0.0.1. With
// NETSPATIAL_ALLOW_NETWORK=1 the same VRT does connect, which shows the listener would have seen it.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

class TestNetworkOff : public QObject {
  Q_OBJECT

  //! Runs the CLI; whether anything connected to the listener meanwhile (the kernel completes the
  //! handshake of a listening socket without accept(), so a connection waits in the backlog).
  bool connects(const QStringList& args, const QString& allow = {}) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("NETSPATIAL_ALLOW_NETWORK"));
    if (!allow.isEmpty()) env.insert(QStringLiteral("NETSPATIAL_ALLOW_NETWORK"), allow);
    env.insert(QStringLiteral("GDAL_HTTP_TIMEOUT"), QStringLiteral("1"));  // the listener never answers
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral(NETSPATIAL_CLI), args);
    if (!p.waitForFinished(120000)) p.kill(), p.waitForFinished();
    m_lastError = QString::fromUtf8(p.readAllStandardError());
    bool seen = false;
    pollfd pending{m_listener, POLLIN, 0};
    while (::poll(&pending, 1, 200) > 0) {
      const int connection = ::accept(m_listener, nullptr, nullptr);
      if (connection < 0) break;
      ::close(connection);
      seen = true;
    }
    return seen;
  }

  QString write(const QString& name, QString text) {
    text.replace(QStringLiteral("PORT"), QString::number(m_port));
    QFile f(m_dir.filePath(name));
    if (f.open(QIODevice::WriteOnly)) f.write(text.toUtf8());
    return f.fileName();
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    // A plain listening socket on 127.0.0.1, any free port.
    m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(m_listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QVERIFY(::bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    QVERIFY(::listen(m_listener, 16) == 0);
    socklen_t length = sizeof address;
    QVERIFY(::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    m_port = ntohs(address.sin_port);
    m_rasterVrt =
        write(QStringLiteral("r.vrt"),
              QStringLiteral("<VRTDataset rasterXSize=\"10\" rasterYSize=\"10\"><VRTRasterBand dataType=\"Byte\" band=\"1\"><SimpleSource>"
                             "<SourceFilename relativeToVRT=\"0\">/vsicurl/http://127.0.0.1:PORT/x.tif</SourceFilename>"
                             "<SourceBand>1</SourceBand></SimpleSource></VRTRasterBand></VRTDataset>"));
    m_wms = write(QStringLiteral("w.xml"),
                  QStringLiteral("<GDAL_WMS><Service name=\"TMS\"><ServerUrl>http://127.0.0.1:PORT/${z}/${x}/${y}.png</ServerUrl></Service>"
                                 "<DataWindow><UpperLeftX>-20037508.34</UpperLeftX><UpperLeftY>20037508.34</UpperLeftY>"
                                 "<LowerRightX>20037508.34</LowerRightX><LowerRightY>-20037508.34</LowerRightY><TileLevel>18</TileLevel>"
                                 "<TileCountX>1</TileCountX><TileCountY>1</TileCountY><YOrigin>top</YOrigin></DataWindow>"
                                 "<Projection>EPSG:3857</Projection><BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY>"
                                 "<BandsCount>3</BandsCount></GDAL_WMS>"));
    m_vectorVrt =
        write(QStringLiteral("v.vrt"), QStringLiteral("<OGRVRTDataSource><OGRVRTLayer name=\"s\"><SrcDataSource>"
                                                      "http://127.0.0.1:PORT/s.geojson</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>"));
  }

  void noConnection_data() {
    QTest::addColumn<QString>("command");
    const QString extent = QStringLiteral(" --extent 11.1,46.05,11.14,46.08");
    QTest::newRow("imagery: a VRT of /vsicurl/") << QStringLiteral("import scenario --out o.gpkg --imagery r.vrt") + extent;
    QTest::newRow("population: a VRT of /vsicurl/") << QStringLiteral("import scenario --out o.gpkg --population r.vrt") + extent;
    QTest::newRow("imagery: a WMS description") << QStringLiteral("import scenario --out o.gpkg --imagery w.xml") + extent;
    QTest::newRow("stations: an OGR VRT of a URL") << QStringLiteral("import scenario --out o.gpkg --stations v.vrt");
    QTest::newRow("zones: an OGR VRT of a URL")
        << QStringLiteral("import scenario --out o.gpkg --zones v.vrt --zone-class-field c") + extent;
    QTest::newRow("imagery: a /vsicurl/ path") << QStringLiteral(
                                                      "import scenario --out o.gpkg --imagery /vsicurl/http://127.0.0.1:PORT/x.tif") +
                                                      extent;
    QTest::newRow("stations: a URL") << QStringLiteral("import scenario --out o.gpkg --stations http://127.0.0.1:PORT/s.geojson");
  }
  void noConnection() {
    QFETCH(QString, command);
    command.replace(QStringLiteral("PORT"), QString::number(m_port));
    QVERIFY2(!connects(command.split(QLatin1Char(' '))), qPrintable(m_lastError.right(500)));
    QVERIFY2(!QFile::exists(m_dir.filePath(QStringLiteral("o.gpkg"))), qPrintable(m_lastError.right(500)));
  }

  // The control: allowed, the same VRT connects (the listener and the check work).
  void cleanupTestCase() { ::close(m_listener); }

  void allowedConnects() {
    QVERIFY(connects(
        {QStringLiteral("import"), QStringLiteral("scenario"), QStringLiteral("--out"), QStringLiteral("o.gpkg"),
         QStringLiteral("--imagery"), QStringLiteral("r.vrt"), QStringLiteral("--extent"), QStringLiteral("11.1,46.05,11.14,46.08")},
        QStringLiteral("1")));
    QFile::remove(m_dir.filePath(QStringLiteral("o.gpkg")));
  }

 private:
  QTemporaryDir m_dir;
  int m_listener = -1;
  int m_port = 0;
  QString m_rasterVrt, m_wms, m_vectorVrt;
  QString m_lastError;
};

QTEST_GUILESS_MAIN(TestNetworkOff)
#include "tst_networkoff.moc"
