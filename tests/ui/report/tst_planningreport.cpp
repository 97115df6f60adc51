// The planning PDF report (issue 6 part 6): a valid, paginated A4 PDF with the map, the top-K
// table, one section per site (two to a page) and the provenance; it grows with the sites; its text
// is extractable (checked with poppler's pdftotext and pdfinfo where installed, skipped otherwise)
// and nothing, not even a 64-digit hash, runs past the right margin; missing inputs are reported in
// the document; an unwritable path fails with the file named and leaves nothing behind.
//
// NETSPATIAL_UI_DUMP_DIR=folder keeps the full report there as planningreport.pdf, to look at.

#include "ui/report/planningreport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QPainterPath>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cmath>
#include <limits>
#include <numbers>

using namespace netspatial;

namespace {

const QString kSha = QStringLiteral("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
// One provenance value with no spaces at all, longer than a line: it must wrap, not overflow.
const QString kLongParameters = QStringLiteral(
    "cell=100m;samples=8;utility=lsi;topK=12;minSpacing=300m;minDemand=5MB/h;"
    "weights=lsi:0.4,mean:0.3,p95:0.2,stability:0.1;aoi=polygon(500000,5030000,503000,5033000);"
    "exclusions=none;device=cpu;threads=2;sampler=euler;steps=32;clipsym=on");

QImage syntheticMap() {
  QImage img(1600, 1200, QImage::Format_RGB32);
  img.fill(QColor(0x30, 0x38, 0x30));
  QPainter p(&img);
  // A heat map of 100 m cells: a smooth field so the eye can check the scaling.
  for (int y = 0; y < 1200; y += 40)
    for (int x = 0; x < 1600; x += 40) {
      const double v = 0.5 + 0.5 * std::sin(x / 230.0) * std::cos(y / 170.0);
      p.fillRect(x, y, 40, 40, QColor::fromHsvF(0.66 * (1.0 - v), 0.8, 0.9, 1.0));
    }
  p.setPen(QPen(Qt::white, 4));
  for (int i = 0; i < 10; ++i) p.drawRect(100 + i * 140, 200 + (i % 3) * 260, 40, 40);
  return img;
}

QImage fakeWeeklyPlot(int seed) {
  QImage img(1400, 520, QImage::Format_RGB32);
  img.fill(Qt::white);
  QPainter p(&img);
  p.setRenderHint(QPainter::Antialiasing);
  const QRect plot(80, 30, 1290, 430);
  p.setPen(QPen(Qt::black, 2));
  p.drawRect(plot);
  QPainterPath path;
  for (int h = 0; h < 168; ++h) {
    const double v = 0.5 + 0.35 * std::sin(2 * std::numbers::pi * (h - 6 - seed) / 24.0) * (h < 120 ? 1.0 : 0.6);
    const QPointF pt(plot.left() + plot.width() * h / 167.0, plot.bottom() - plot.height() * v);
    h == 0 ? path.moveTo(pt) : path.lineTo(pt);
  }
  p.setPen(QPen(QColor(0x1f, 0x77, 0xb4), 3));
  p.drawPath(path);
  p.setPen(Qt::black);
  QFont f = p.font();
  f.setPixelSize(22);
  p.setFont(f);
  const QStringList days = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (int d = 0; d < 7; ++d) p.drawText(plot.left() + plot.width() * d / 7 + 60, plot.bottom() + 35, days[d]);
  p.drawText(10, 25, QStringLiteral("MB/h — site %1").arg(seed));
  return img;
}

QString siteId(int i) { return QStringLiteral("cand-%1").arg(4000 + 37 * i); }

ui::PlanningReportData reportData(int siteCount) {
  ui::PlanningReportData d;
  d.title = QStringLiteral("Candidate sites — Synthetic city #1");
  d.projectFile = QStringLiteral("/home/planner/projects/a-rather-long-folder-name-for-the-city-scenarios/demo-city-v1.gpkg");
  d.generatedAt = QDateTime(QDate(2025, 3, 14), QTime(9, 26), QTimeZone::utc());
  d.map = syntheticMap();
  d.mapCaption = QStringLiteral("Utility: LSI; top %1 outlined; 100 m cells; EPSG:32632").arg(siteCount);
  d.unit = QStringLiteral("MB/h");
  d.utilityName = QStringLiteral("LSI");
  for (int i = 0; i < siteCount; ++i) {
    ui::ReportSite s;
    s.rank = i + 1;
    s.siteId = siteId(i);
    s.lon = 9.1859 + 0.0021 * i;
    s.lat = 45.4654 - 0.0013 * i;
    s.sigma = 0.05 + 0.004 * i;
    s.lsi = 1.0 / s.sigma;
    s.value = s.lsi;
    s.mean = 12.5 - 0.4 * i;
    s.p95 = 2.1 * s.mean;
    s.pTopK = 1.0 - 0.06 * i;
    s.rationale = QStringLiteral(
                      "Site %1 lies in a residential zone with a mixed POI profile (food 31 %, shopping 22 %, education 12 %) and about "
                      "2,400 residents within 500 m. Its generated week peaks at 20:00 on weekdays with a weekday/weekend ratio of 0.93, "
                      "and its normalised σ of %2 is among the lowest of the %3 eligible candidates, which is why it ranks %4 by LSI. "
                      "It stays in the top K in %5 % of the samples, so its place is robust to the generator's sampling noise.")
                      .arg(s.siteId)
                      .arg(s.sigma, 0, 'f', 3)
                      .arg(900)
                      .arg(s.rank)
                      .arg(int(std::round(100 * s.pTopK)));
    s.weeklyPlot = fakeWeeklyPlot(i);
    d.sites.push_back(s);
  }
  d.provenance = {
      {QStringLiteral("Model"), QStringLiteral("netspatial (flow matching G1→G2→G3)")},
      {QStringLiteral("Weights SHA-256"), kSha},
      {QStringLiteral("Seed"), QStringLiteral("1")},
      {QStringLiteral("Samples"), QStringLiteral("8")},
      {QStringLiteral("Device"), QStringLiteral("CPU")},
      {QStringLiteral("Parameters"), kLongParameters},
      {QStringLiteral("Run id"), QStringLiteral("run-2025-03-14T09:20:11Z-7c1e")},
      {QStringLiteral("Time"), QStringLiteral("2025-03-14T09:20:11Z")},
  };
  d.notes = {QStringLiteral("LSI alone favours quiet sites; a demand floor of 5 MB/h was applied."),
             QStringLiteral(
                 "Values are the generator's mean over 8 samples; p(top-K) is the share of samples in which the site is in the top K.")};
  return d;
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return f.readAll();
}

//! Page objects ("/Type /Page"), not the page tree ("/Type /Pages").
int pageObjects(const QByteArray& pdf) {
  static const QRegularExpression re(QStringLiteral("/Type\\s*/Page(?![A-Za-z])"));
  int n = 0;
  for (auto it = re.globalMatch(QString::fromLatin1(pdf)); it.hasNext(); it.next()) ++n;
  return n;
}

//! Keeps a copy in NETSPATIAL_UI_DUMP_DIR, when set, to look at.
void dump(const QString& path, const QString& name) {
  const QByteArray dir = qgetenv("NETSPATIAL_UI_DUMP_DIR");
  if (dir.isEmpty()) return;
  const QString out = QDir(QString::fromLocal8Bit(dir)).filePath(name);
  QFile::remove(out);
  QFile::copy(path, out);
}

QString runTool(const QString& tool, const QStringList& args) {
  QProcess proc;
  proc.start(tool, args);
  if (!proc.waitForFinished(60000) || proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0) return {};
  return QString::fromUtf8(proc.readAllStandardOutput());
}

}  // namespace

class TestPlanningReport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void writesPaginatedA4Pdf();
  void growsWithMoreSites();
  void textIsExtractableAndInsideTheMargins();
  void longTableAndTallMap();
  void missingInputsAreReported();
  void unwritablePathFailsCleanly();

 private:
  QTemporaryDir m_dir;
};

void TestPlanningReport::writesPaginatedA4Pdf() {
  QVERIFY(m_dir.isValid());
  const QString path = m_dir.filePath(QStringLiteral("report12.pdf"));
  const auto status = ui::writePlanningReport(reportData(12), path);
  QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error().toString()));
  const QByteArray pdf = readAll(path);
  QVERIFY(pdf.startsWith("%PDF-"));
  QVERIFY(pdf.trimmed().endsWith("%%EOF"));
  // Page 1 (title, map, notes, table start), the 12 sites two to a page (6), the provenance: at
  // least 7 pages; more than 12 would mean the sections no longer pair up.
  const int pages = pageObjects(pdf);
  QVERIFY2(pages >= 7 && pages <= 12, qPrintable(QStringLiteral("%1 pages").arg(pages)));
  // Nothing but the report in the folder: QSaveFile's temporary is gone.
  QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("report12.pdf")});

  // Overwriting an existing report works too (rename over the target).
  const auto again = ui::writePlanningReport(reportData(12), path);
  QVERIFY(again.ok());
  QCOMPARE(readAll(path).size(), pdf.size());

  dump(path, QStringLiteral("planningreport.pdf"));

  // A PDF reader's view of it, where poppler is installed (not a skip: the checks above ran).
  const QString pdfinfo = QStandardPaths::findExecutable(QStringLiteral("pdfinfo"));
  if (pdfinfo.isEmpty()) {
    qInfo("pdfinfo (poppler-utils) is not installed: page size and count not checked by a PDF reader");
    return;
  }
  const QString info = runTool(pdfinfo, {path});
  QVERIFY2(!info.isEmpty(), "pdfinfo could not read the report");
  QVERIFY2(info.contains(QRegularExpression(QStringLiteral("Pages:\\s+%1\\b").arg(pages))), qPrintable(info));
  QVERIFY2(info.contains(QStringLiteral("(A4)")), qPrintable(info));
  QVERIFY2(info.contains(QStringLiteral("Candidate sites")), qPrintable(info));  // the document title
}

void TestPlanningReport::growsWithMoreSites() {
  const QString small = m_dir.filePath(QStringLiteral("report3.pdf"));
  const QString large = m_dir.filePath(QStringLiteral("report12b.pdf"));
  QVERIFY(ui::writePlanningReport(reportData(3), small).ok());
  QVERIFY(ui::writePlanningReport(reportData(12), large).ok());
  const QByteArray a = readAll(small);
  const QByteArray b = readAll(large);
  QVERIFY(a.startsWith("%PDF-"));
  QVERIFY2(b.size() > a.size(), qPrintable(QStringLiteral("%1 vs %2 bytes").arg(a.size()).arg(b.size())));
  QVERIFY2(pageObjects(b) >= pageObjects(a) + 4, qPrintable(QStringLiteral("%1 vs %2 pages").arg(pageObjects(a)).arg(pageObjects(b))));
  // The embedded images are downsampled to print resolution: 12 sites with 1400-px plots and a
  // 1600-px map stay a few MB at most.
  QVERIFY2(b.size() < 8 * 1024 * 1024, qPrintable(QStringLiteral("%1 bytes").arg(b.size())));
}

void TestPlanningReport::textIsExtractableAndInsideTheMargins() {
  // QPdfWriter compresses every content stream and has no switch to turn that off, so the text is
  // checked through a PDF reader.
  const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
  if (pdftotext.isEmpty()) QSKIP("pdftotext (poppler-utils) is not installed: the report's text is not checked");
  const QString path = m_dir.filePath(QStringLiteral("text.pdf"));
  QVERIFY(ui::writePlanningReport(reportData(12), path).ok());
  const QString text = runTool(pdftotext, {QStringLiteral("-layout"), path, QStringLiteral("-")});
  QVERIFY2(!text.isEmpty(), "pdftotext could not read the report");
  QVERIFY(text.contains(QStringLiteral("Candidate sites")));
  for (int i : {0, 5, 11}) QVERIFY2(text.contains(siteId(i)), qPrintable(siteId(i)));
  QVERIFY(text.contains(QStringLiteral("MB/h")));
  QVERIFY(text.contains(QStringLiteral("LSI alone favours quiet sites")));
  QVERIFY(text.contains(QStringLiteral("Page 1 of")));
  // The hash and the long parameter string, whole once the line breaks are taken out.
  QString flat = text;
  flat.remove(QRegularExpression(QStringLiteral("\\s"), QRegularExpression::UseUnicodePropertiesOption));  // NBSP too
  QVERIFY2(flat.contains(kSha), "the weights SHA-256 is not in the text");
  QVERIFY2(flat.contains(QString(kLongParameters).remove(QLatin1Char(' '))), "the long parameter value is not whole in the text");
  // The last site's rationale made it (not cut at a page break).
  QVERIFY(flat.contains(QStringLiteral("ItstaysinthetopKin34%ofthesamples")));

  // Every word inside the page's right margin (A4 is 595.28 pt wide, the margin 15 mm = 42.5 pt).
  const QString bbox = runTool(pdftotext, {QStringLiteral("-bbox"), path, QStringLiteral("-")});
  QVERIFY(!bbox.isEmpty());
  static const QRegularExpression word(
      QStringLiteral("<word xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" xMax=\"([0-9.]+)\" yMax=\"[0-9.]+\">([^<]*)</word>"));
  int words = 0;
  double rightmost = 0.0;
  QString rightmostWord;
  for (auto it = word.globalMatch(bbox); it.hasNext();) {
    const auto m = it.next();
    ++words;
    const double xMin = m.captured(1).toDouble();
    const double xMax = m.captured(2).toDouble();
    QVERIFY2(xMin >= 42.5 - 1.0, qPrintable(QStringLiteral("'%1' starts at %2 pt").arg(m.captured(3)).arg(xMin)));
    if (xMax > rightmost) {
      rightmost = xMax;
      rightmostWord = m.captured(3);
    }
  }
  QVERIFY2(words > 500, qPrintable(QStringLiteral("%1 words").arg(words)));
  QVERIFY2(rightmost <= 595.28 - 42.5 + 1.0, qPrintable(QStringLiteral("'%1' ends at %2 pt").arg(rightmostWord).arg(rightmost)));
}

void TestPlanningReport::longTableAndTallMap() {
  // 60 sites: the table runs over a page and repeats its header; a portrait map is shrunk so its
  // caption stays on page 1.
  ui::PlanningReportData d = reportData(60);
  for (auto& s : d.sites) s.weeklyPlot = QImage();  // placeholders keep the file small
  d.map = syntheticMap().transformed(QTransform().rotate(90));
  d.mapCaption = QStringLiteral("Portrait map caption");
  const QString path = m_dir.filePath(QStringLiteral("long.pdf"));
  QVERIFY(ui::writePlanningReport(d, path).ok());
  QVERIFY(readAll(path).startsWith("%PDF-"));
  dump(path, QStringLiteral("planningreport-long.pdf"));

  const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
  if (pdftotext.isEmpty()) QSKIP("pdftotext (poppler-utils) is not installed: the layout is not checked");
  const QString page1 =
      runTool(pdftotext, {QStringLiteral("-f"), QStringLiteral("1"), QStringLiteral("-l"), QStringLiteral("1"), path, QStringLiteral("-")});
  QVERIFY2(page1.contains(QStringLiteral("Portrait map caption")), qPrintable(page1));
  const QString text = runTool(pdftotext, {QStringLiteral("-layout"), path, QStringLiteral("-")});
  for (int i = 0; i < 60; ++i) QVERIFY2(text.contains(siteId(i)), qPrintable(siteId(i)));
  // "Rank" (capitalised) is only in the table header: once per page the table spans.
  QVERIFY2(text.count(QStringLiteral("Rank")) >= 2, qPrintable(QStringLiteral("%1 table headers").arg(text.count(QStringLiteral("Rank")))));
}

void TestPlanningReport::missingInputsAreReported() {
  ui::PlanningReportData d;  // no title, no map, no sites, no provenance, no time
  const QString path = m_dir.filePath(QStringLiteral("empty.pdf"));
  const auto status = ui::writePlanningReport(d, path);
  QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error().toString()));
  const QByteArray pdf = readAll(path);
  QVERIFY(pdf.startsWith("%PDF-"));
  QVERIFY(pageObjects(pdf) >= 1);

  // A site without plot, rationale or finite numbers still gets its row and section; a utility
  // that is not among the listed figures gets its own column.
  ui::PlanningReportData partial = reportData(2);
  partial.utilityName = QStringLiteral("Mean/σ");
  partial.utilityUnit = QStringLiteral("MB/h per σ");
  partial.sites[0].value = 250.0;
  partial.map = QImage();
  partial.sites[1].weeklyPlot = QImage();
  partial.sites[1].rationale.clear();
  partial.sites[1].sigma = std::nan("");
  partial.sites[1].lsi = std::numeric_limits<double>::infinity();
  const QString partialPath = m_dir.filePath(QStringLiteral("partial.pdf"));
  QVERIFY(ui::writePlanningReport(partial, partialPath).ok());
  QVERIFY(readAll(partialPath).startsWith("%PDF-"));
  dump(path, QStringLiteral("planningreport-empty.pdf"));
  dump(partialPath, QStringLiteral("planningreport-partial.pdf"));

  const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
  if (pdftotext.isEmpty()) QSKIP("pdftotext (poppler-utils) is not installed: the missing-input messages are not checked");
  const QString text = runTool(pdftotext, {path, QStringLiteral("-")}).simplified();
  QVERIFY2(text.contains(QStringLiteral("Planning report")), qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral("No map image was provided")), qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral("No sites were ranked")), qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral("No provenance was recorded")), qPrintable(text));
  const QString partialText = runTool(pdftotext, {partialPath, QStringLiteral("-")}).simplified();
  QVERIFY(partialText.contains(QStringLiteral("No map image was provided")));
  QVERIFY(partialText.contains(QStringLiteral("No weekly plot was provided for this site")));
  QVERIFY(partialText.contains(QStringLiteral("No rationale was provided for this site")));
  QVERIFY(partialText.contains(siteId(1)));
  QVERIFY2(partialText.contains(QStringLiteral("Top 2 sites by Mean/σ")), qPrintable(partialText));
  QVERIFY2(partialText.contains(QStringLiteral("MB/h per σ")), qPrintable(partialText));
  QVERIFY2(partialText.contains(QStringLiteral("Mean/σ 250.0")), qPrintable(partialText));  // in the site's key figures
}

void TestPlanningReport::unwritablePathFailsCleanly() {
  // A folder that does not exist: fails for every user, root included.
  const QString missingDir = m_dir.filePath(QStringLiteral("no-such-folder/report.pdf"));
  const auto status = ui::writePlanningReport(reportData(2), missingDir);
  QVERIFY(!status.ok());
  QCOMPARE(status.error().code(), core::ErrorCode::Io);
  QVERIFY2(status.error().toString().contains(missingDir), qPrintable(status.error().toString()));
  QCOMPARE(status.error().context().file, missingDir);
  QVERIFY(!QFileInfo::exists(missingDir));
  QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("no-such-folder"))));

  // The path is a folder.
  const QString folder = m_dir.filePath(QStringLiteral("a-folder"));
  QVERIFY(QDir().mkpath(folder));
  const auto onFolder = ui::writePlanningReport(reportData(2), folder);
  QVERIFY(!onFolder.ok());
  QVERIFY2(onFolder.error().toString().contains(folder), qPrintable(onFolder.error().toString()));
  QVERIFY(QFileInfo(folder).isDir());
  QVERIFY(QDir(folder).isEmpty());

  // No name at all.
  const auto empty = ui::writePlanningReport(reportData(2), QString());
  QVERIFY(!empty.ok());
  QCOMPARE(empty.error().code(), core::ErrorCode::InvalidArgument);
}

QTEST_MAIN(TestPlanningReport)
#include "tst_planningreport.moc"
