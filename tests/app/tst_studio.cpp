// The studio as a user meets it: opened from the command line, rendering a screenshot and exiting
// (QT_QPA_PLATFORM=offscreen). Drives the real executable.

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestStudio : public QObject {
  Q_OBJECT

  struct Run {
    int exitCode = -1;
    QString output;
  };

  static Run run(const QString& program, const QStringList& args, const QString& home) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // A private data folder: the demo-city cache of the user running the tests stays untouched.
    env.insert(QStringLiteral("XDG_DATA_HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home);
    p.setProcessEnvironment(env);
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(180000)) return r;
    r.exitCode = p.exitCode();
    r.output = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    return r;
  }

  QTemporaryDir m_dir;
  QString m_town;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    m_town = m_dir.filePath(QStringLiteral("town.gpkg"));
    const Run sim = run(QStringLiteral(NETSPATIAL_CLI),
                        {QStringLiteral("simulate"), QStringLiteral("--preset"), QStringLiteral("town"), QStringLiteral("--seed"),
                         QStringLiteral("3"), QStringLiteral("--out"), m_town},
                        m_dir.path());
    QVERIFY2(sim.exitCode == 0, qPrintable(sim.output));
  }

  void opensAScenarioAndDrawsIt() {
    const QString shot = m_dir.filePath(QStringLiteral("town.png"));
    const Run r =
        run(QStringLiteral(NETSPATIAL_STUDIO), {QStringLiteral("--no-demo"), QStringLiteral("--screenshot"), shot, m_town}, m_dir.path());
    QVERIFY2(r.exitCode == 0, qPrintable(r.output));
    QImage image(shot);
    QVERIFY(!image.isNull());
    // The map area shows the city: many distinct colours, not an empty canvas.
    QSet<QRgb> colours;
    for (int y = image.height() / 4; y < image.height() * 3 / 4; y += 7)
      for (int x = image.width() / 3; x < image.width() * 5 / 6; x += 7) colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 200, qPrintable(QString::number(colours.size())));
  }

  void brokenScenarioIsReportedAndNothingOpens() {
    // A scenario that lost its zones layer: the studio must say so, naming the file and the layer,
    // and must not open it as a plain layer instead.
    const QString broken = m_dir.filePath(QStringLiteral("broken.gpkg"));
    QVERIFY(QFile::copy(m_town, broken));
    QProcess ogr;
    ogr.start(QStringLiteral("ogrinfo"), {broken, QStringLiteral("-sql"), QStringLiteral("DELLAYER:zones")});
    QVERIFY(ogr.waitForFinished(60000) && ogr.exitCode() == 0);
    const QString shot = m_dir.filePath(QStringLiteral("broken.png"));
    const Run r =
        run(QStringLiteral(NETSPATIAL_STUDIO), {QStringLiteral("--no-demo"), QStringLiteral("--screenshot"), shot, broken}, m_dir.path());
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.output.contains(QStringLiteral("broken.gpkg")) && r.output.contains(QStringLiteral("zones")), qPrintable(r.output));
    // Nothing was drawn: the map above the centred "No layers" hint is one flat background colour.
    QImage image(shot);
    QVERIFY(!image.isNull());
    QSet<QRgb> colours;
    for (int y = image.height() / 10; y < image.height() * 4 / 10; y += 7)
      for (int x = image.width() / 3; x < image.width() * 5 / 6; x += 7) colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() < 5, qPrintable(QString::number(colours.size())));
  }
};

QTEST_GUILESS_MAIN(TestStudio)
#include "tst_studio.moc"
