#include "ui/report/planningreport.h"

#include "ui/planning/utilityformat.h"
#include "core/util/atomicfile.h"

#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPdfWriter>
#include <QTextLayout>

#include <algorithm>
#include <cmath>
#include <functional>

namespace netspatial::ui {

namespace {

// Paper and type. The page is laid out in the PDF writer's device units; these are the physical
// sizes they come from.
constexpr double kMarginMm = 15.0;
constexpr double kBottomMarginMm = 10.0;
constexpr double kFooterMm = 9.0;          // reserved at the bottom of the paint rect
constexpr double kWriterDpi = 600.0;       // layout precision only; text and lines stay vector
constexpr double kMaxImageDpi = 220.0;     // embedded images are downsampled to this: sharp on paper, small file
constexpr double kMaxPlotHeightMm = 82.0;  // two site sections fit on a page
constexpr double kBodyPt = 9.5;

QFont sansFont(double pointSize, bool bold = false, bool italic = false) {
  QFont f;
  // DejaVu ships with Debian and has σ, ° and the dashes; the hints cover other systems.
  f.setFamilies({QStringLiteral("DejaVu Sans"), QStringLiteral("Liberation Sans"), QStringLiteral("Arial")});
  f.setStyleHint(QFont::SansSerif);
  f.setPointSizeF(pointSize);
  f.setBold(bold);
  f.setItalic(italic);
  return f;
}

QFont monoFont(double pointSize) {
  QFont f;
  f.setFamilies({QStringLiteral("DejaVu Sans Mono"), QStringLiteral("Liberation Mono"), QStringLiteral("Courier New")});
  f.setStyleHint(QFont::TypeWriter);
  f.setFixedPitch(true);
  f.setPointSizeF(pointSize);
  return f;
}

QString orDash(double v, int decimals) { return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("—"); }

QString withUnit(const QString& value, const QString& unit) {
  return unit.isEmpty() || value == QStringLiteral("—") ? value : value + QChar(0x00A0) + unit;
}

QString formatTime(const QDateTime& t) {
  return t.toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QLatin1Char(' ') + t.timeZoneAbbreviation();
}

//! An image downsampled to at most kMaxImageDpi at the size it is drawn: a 3000-px map on a
//! 18-cm column would otherwise embed 400 dpi of pixels nobody sees, and the PDF grows fourfold.
QImage forPrint(const QImage& image, QSizeF targetDeviceUnits) {
  const QSize limit(int(std::ceil(targetDeviceUnits.width() / kWriterDpi * kMaxImageDpi)),
                    int(std::ceil(targetDeviceUnits.height() / kWriterDpi * kMaxImageDpi)));
  QImage out = image;
  if (out.width() > limit.width() || out.height() > limit.height()) out = out.scaled(limit, Qt::KeepAspectRatio, Qt::SmoothTransformation);
  // The PDF has no use for a device pixel ratio; a ratio of 2 would only confuse size queries.
  out.setDevicePixelRatio(1.0);
  return out;
}

//! Lays the report out as a list of pages of drawing operations, then paints them. Two passes
//! because the footer says "page i of n", and n is known only once everything has been placed.
class ReportLayout {
 public:
  using Op = std::function<void(QPainter&)>;

  ReportLayout(const QPaintDevice* device, QSizeF paintSize)
      : m_device(device), m_width(paintSize.width()), m_bottom(paintSize.height() - mm(kFooterMm)) {
    m_pages.emplace_back();
  }

  double mm(double v) const { return v * kWriterDpi / 25.4; }
  double pt(double v) const { return v * kWriterDpi / 72.0; }
  double width() const { return m_width; }
  double y() const { return m_y; }
  double remaining() const { return m_bottom - m_y; }
  double pageHeight() const { return m_bottom; }
  bool pageIsEmpty() const { return m_y <= 0.0; }
  const std::vector<std::vector<Op>>& pages() const { return m_pages; }

  void newPage() {
    m_pages.emplace_back();
    m_y = 0.0;
  }
  //! Starts a new page unless `height` still fits (or the page is empty: a block taller than a
  //! page would otherwise push empty pages forever).
  void ensure(double height) {
    if (height > remaining() && !pageIsEmpty()) newPage();
  }
  void skip(double height) {
    // Vertical space at the top of a page is wasted space.
    if (!pageIsEmpty()) m_y = std::min(m_y + height, m_bottom);
  }
  void advance(double height) { m_y += height; }
  void add(Op op) { m_pages.back().push_back(std::move(op)); }

  double lineHeight(const QFont& font) const { return QFontMetricsF(font, m_device).lineSpacing(); }
  double ascent(const QFont& font) const { return QFontMetricsF(font, m_device).ascent(); }
  double textWidth(const QFont& font, const QString& text) const { return QFontMetricsF(font, m_device).horizontalAdvance(text); }
  QString elide(const QFont& font, const QString& text, double width, Qt::TextElideMode mode = Qt::ElideMiddle) const {
    return QFontMetricsF(font, m_device).elidedText(text, mode, width);
  }

  //! `text` broken into lines of at most `width`, at word boundaries, or anywhere inside a word
  //! too long for a line (a SHA-256, a path): nothing ever runs past the margin.
  QStringList wrap(const QString& text, const QFont& font, double width) const {
    QStringList lines;
    // The rationales write "34 %" (SI style); a line must not start with the sign.
    QString glued = text;
    glued.replace(QStringLiteral(" %"), QString(QChar(0x00A0)) + QLatin1Char('%'));
    for (const QString& paragraph : glued.split(QLatin1Char('\n'))) {
      if (paragraph.isEmpty()) {
        lines << QString();
        continue;
      }
      QTextLayout layout(paragraph, font, const_cast<QPaintDevice*>(m_device));
      QTextOption option;
      option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
      layout.setTextOption(option);
      layout.beginLayout();
      for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        lines << paragraph.mid(line.textStart(), line.textLength()).trimmed();
      }
      layout.endLayout();
    }
    return lines;
  }

  //! A paragraph flowing across pages line by line; `firstPrefix` (a bullet) hangs in the indent.
  void paragraph(const QString& text, const QFont& font, const QColor& color = Qt::black, double indent = 0.0,
                 const QString& firstPrefix = {}) {
    const QStringList lines = wrap(text, font, m_width - indent);
    const double lh = lineHeight(font);
    const double asc = ascent(font);
    bool first = true;
    for (const QString& line : lines) {
      ensure(lh);
      const double baseline = m_y + asc;
      const QString prefix = first ? firstPrefix : QString();
      add([=](QPainter& p) {
        p.setFont(font);
        p.setPen(color);
        if (!prefix.isEmpty()) p.drawText(QPointF(0.0, baseline), prefix);
        p.drawText(QPointF(indent, baseline), line);
      });
      m_y += lh;
      first = false;
    }
  }

  //! The height `paragraph` would take.
  double paragraphHeight(const QString& text, const QFont& font, double indent = 0.0) const {
    return double(wrap(text, font, m_width - indent).size()) * lineHeight(font);
  }

  //! A section heading kept with what follows: all of it (`block`) where heading and block fit on
  //! one page, else at least `atLeast` of it.
  void heading(const QString& text, const QFont& font, double block, double atLeast) {
    skip(mm(4.0));
    const double own = paragraphHeight(text, font) + mm(2.5);
    ensure(own + (own + block <= pageHeight() ? block : std::min(block, atLeast)));
    paragraph(text, font, QColor(0x1f, 0x3a, 0x5f));
    const double y = m_y + mm(0.6);
    add([=, w = m_width, pen = pt(0.6)](QPainter& p) {
      p.setPen(QPen(QColor(0x1f, 0x3a, 0x5f), pen));
      p.drawLine(QPointF(0.0, y), QPointF(w, y));
    });
    m_y += mm(2.5);
  }

  //! A framed box saying what is missing, where an image or a table would have been.
  void placeholder(const QString& text, double height) {
    ensure(height);
    const QRectF box(0.0, m_y, m_width, height);
    const QFont font = sansFont(kBodyPt, false, true);
    add([=, pen = pt(0.8)](QPainter& p) {
      p.setPen(QPen(QColor(0x99, 0x99, 0x99), pen, Qt::DashLine));
      p.setBrush(QColor(0xf4, 0xf4, 0xf4));
      p.drawRect(box);
      p.setFont(font);
      p.setPen(QColor(0x55, 0x55, 0x55));
      p.drawText(box.adjusted(pen * 8, 0, -pen * 8, 0), Qt::AlignCenter | Qt::TextWordWrap, text);
    });
    m_y += height;
  }

  //! `image` scaled to fit `maxSize` (aspect kept), centred horizontally, with a thin frame.
  void image(const QImage& image, QSizeF maxSize) {
    QSizeF size = QSizeF(image.size()).scaled(maxSize, Qt::KeepAspectRatio);
    ensure(size.height());
    const QRectF target((m_width - size.width()) / 2.0, m_y, size.width(), size.height());
    const QImage printed = forPrint(image, size);
    add([=, pen = pt(0.5)](QPainter& p) {
      p.setRenderHint(QPainter::SmoothPixmapTransform);
      p.drawImage(target, printed);
      p.setPen(QPen(QColor(0xbb, 0xbb, 0xbb), pen));
      p.setBrush(Qt::NoBrush);
      p.drawRect(target);
    });
    m_y += size.height();
  }

 private:
  const QPaintDevice* m_device;
  double m_width;
  double m_bottom;
  double m_y = 0.0;
  std::vector<std::vector<Op>> m_pages;
};

// ---- The sections ----

void layoutTitle(ReportLayout& L, const PlanningReportData& data) {
  const QString title = data.title.trimmed().isEmpty() ? QStringLiteral("Planning report") : data.title.trimmed();
  L.paragraph(title, sansFont(19.0, true), QColor(0x1f, 0x3a, 0x5f));
  L.advance(L.mm(2.0));
  const QDateTime when = data.generatedAt.isValid() ? data.generatedAt : QDateTime::currentDateTime();
  const QFont meta = sansFont(kBodyPt);
  L.paragraph(QStringLiteral("Generated %1 by NetSpatial Studio").arg(formatTime(when)), meta, QColor(0x33, 0x33, 0x33));
  L.paragraph(QStringLiteral("Project: %1").arg(data.projectFile.isEmpty() ? QStringLiteral("(not saved)") : data.projectFile), meta,
              QColor(0x33, 0x33, 0x33));
  L.advance(L.mm(4.0));
}

void layoutMap(ReportLayout& L, const PlanningReportData& data) {
  const QFont caption = sansFont(8.5, false, true);
  const double captionHeight = data.mapCaption.isEmpty() ? 0.0 : L.mm(1.5) + L.paragraphHeight(data.mapCaption, caption);
  if (data.map.isNull() || data.map.width() <= 0 || data.map.height() <= 0) {
    L.placeholder(QStringLiteral("No map image was provided for this report."), L.mm(40.0));
  } else {
    // The page width, unless a tall map would push its caption off the first page.
    const double maxHeight = std::max(L.mm(60.0), L.remaining() - captionHeight - L.mm(30.0));
    L.image(data.map, QSizeF(L.width(), maxHeight));
  }
  if (!data.mapCaption.isEmpty()) {
    L.advance(L.mm(1.5));
    L.paragraph(data.mapCaption, caption, QColor(0x44, 0x44, 0x44));
  }
}

void layoutNotes(ReportLayout& L, const PlanningReportData& data) {
  if (data.notes.isEmpty()) return;
  const QFont body = sansFont(kBodyPt);
  L.heading(QStringLiteral("Notes"), sansFont(12.0, true), L.lineHeight(body) * 2, L.lineHeight(body) * 2);
  for (const QString& note : data.notes) {
    L.paragraph(note, body, Qt::black, L.mm(4.0), QStringLiteral("•"));
    L.advance(L.mm(1.0));
  }
}

//! Which of the always-listed figures is the one ranked by, so the table does not print it twice:
//! 0 LSI, 1 mean, 2 p95, -1 another utility (Mean/σ, the composite), which gets its own column.
int listedUtilityIndex(const QString& name) {
  const core::Utility listed[] = {core::Utility::Lsi, core::Utility::MeanDemand, core::Utility::PeakP95};
  for (int i = 0; i < 3; ++i)
    if (name.compare(utilityShortName(listed[i]), Qt::CaseInsensitive) == 0) return i;
  return -1;
}

struct Column {
  QString name;
  QString unit;
  double weight;  // share of the page width
  Qt::Alignment align;
};

void layoutTable(ReportLayout& L, const PlanningReportData& data) {
  const QString utility = data.utilityName.isEmpty() ? QStringLiteral("Utility") : data.utilityName;
  const QString unit = data.unit;
  const int k = int(data.sites.size());
  const QFont cell = sansFont(8.0);
  const QFont cellBold = sansFont(8.0, true);
  const QFont header = sansFont(7.5, true);
  const QFont headerUnit = sansFont(7.0);
  const double headerHeight = L.lineHeight(header) + L.lineHeight(headerUnit) + L.mm(1.6);
  const double rowHeight = L.lineHeight(cell) + L.mm(1.6);
  const double placeholderHeight = L.mm(22.0);
  // The whole table on one page where it fits, else the header with at least three rows.
  const double tableHeight = k > 0 ? headerHeight + k * rowHeight : placeholderHeight;
  L.heading(k > 0 ? QStringLiteral("Top %1 sites by %2").arg(k).arg(utility) : QStringLiteral("Top sites by %1").arg(utility),
            sansFont(12.0, true), tableHeight, headerHeight + 3 * rowHeight);
  if (data.sites.empty()) {
    L.placeholder(QStringLiteral("No sites were ranked, so there is nothing to list. Generate traffic for the candidates and rank them "
                                 "(a demand floor above every candidate also leaves the ranking empty)."),
                  placeholderHeight);
    return;
  }

  // The ranked-by column is marked (▼, bold values); a utility that is not among the listed
  // figures gets its own column after the site.
  const int listed = listedUtilityIndex(utility);
  std::vector<Column> columns = {
      {QStringLiteral("Rank"), {}, 0.06, Qt::AlignRight},
      {QStringLiteral("Site"), {}, 0.19, Qt::AlignLeft},
      {QStringLiteral("Lon"), QStringLiteral("°"), 0.105, Qt::AlignRight},
      {QStringLiteral("Lat"), QStringLiteral("°"), 0.105, Qt::AlignRight},
      {QStringLiteral("LSI"), QStringLiteral("1/σ"), 0.09, Qt::AlignRight},
      {QStringLiteral("σ"), QStringLiteral("normalised"), 0.1, Qt::AlignRight},
      {QStringLiteral("Mean"), unit, 0.1, Qt::AlignRight},
      {QStringLiteral("p95"), unit, 0.1, Qt::AlignRight},
      {QStringLiteral("p(top-K)"), QStringLiteral("0–1"), 0.12, Qt::AlignRight},
  };
  const size_t ranked = listed >= 0 ? size_t(4 + (listed == 0 ? 0 : listed + 1)) : 2;
  if (listed < 0) columns.insert(columns.begin() + 2, Column{utility, data.utilityUnit, 0.11, Qt::AlignRight});
  columns[ranked].name += QStringLiteral(" ▼");
  double total = 0.0;
  for (const Column& c : columns) total += c.weight;
  std::vector<double> x;  // left edges
  double acc = 0.0;
  for (const Column& c : columns) {
    x.push_back(acc / total * L.width());
    acc += c.weight;
  }
  x.push_back(L.width());
  const double pad = L.mm(1.2);
  const double inset = L.mm(0.8);
  const auto drawHeader = [&] {
    const double top = L.y();
    L.add([=, w = L.width()](QPainter& p) {
      p.setPen(Qt::NoPen);
      p.setBrush(QColor(0x1f, 0x3a, 0x5f));
      p.drawRect(QRectF(0.0, top, w, headerHeight));
      for (size_t i = 0; i < columns.size(); ++i) {
        const QRectF r(x[i] + pad, top + inset, x[i + 1] - x[i] - 2 * pad, headerHeight - 2 * inset);
        p.setPen(Qt::white);
        p.setFont(header);
        p.drawText(r, int(columns[i].align | Qt::AlignTop), columns[i].name);
        p.setFont(headerUnit);
        p.setPen(QColor(0xdd, 0xe4, 0xee));
        p.drawText(r, int(columns[i].align | Qt::AlignBottom), columns[i].unit);
      }
    });
    L.advance(headerHeight);
  };

  drawHeader();
  int row = 0;
  for (const ReportSite& s : data.sites) {
    if (rowHeight > L.remaining()) {
      L.newPage();
      drawHeader();  // repeated, so a continued table is readable on its own
    }
    QStringList values = {
        QString::number(s.rank),    s.siteId.isEmpty() ? QStringLiteral("(no id)") : s.siteId,
        orDash(s.lon, 5),           orDash(s.lat, 5),
        formatUtilityValue(s.lsi),  formatUtilityValue(s.sigma),
        formatUtilityValue(s.mean), formatUtilityValue(s.p95),
        orDash(s.pTopK, 2),
    };
    if (listed < 0) values.insert(2, formatUtilityValue(s.value));
    QStringList shown;
    for (size_t i = 0; i < columns.size(); ++i) shown << L.elide(i == ranked ? cellBold : cell, values[int(i)], x[i + 1] - x[i] - 2 * pad);
    const double top = L.y();
    const bool stripe = row % 2 == 1;
    L.add([=, w = L.width()](QPainter& p) {
      if (stripe) {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xee, 0xf2, 0xf7));
        p.drawRect(QRectF(0.0, top, w, rowHeight));
      }
      p.setPen(Qt::black);
      for (size_t i = 0; i < columns.size(); ++i) {
        // The ranked-by column in bold: the one the order follows.
        p.setFont(i == ranked ? cellBold : cell);
        const QRectF r(x[i] + pad, top, x[i + 1] - x[i] - 2 * pad, rowHeight);
        p.drawText(r, int(columns[i].align | Qt::AlignVCenter), shown[int(i)]);
      }
    });
    L.advance(rowHeight);
    ++row;
  }
  const double bottom = L.y();
  L.add([=, w = L.width(), pen = L.pt(0.6)](QPainter& p) {
    p.setPen(QPen(QColor(0x1f, 0x3a, 0x5f), pen));
    p.drawLine(QPointF(0.0, bottom), QPointF(w, bottom));
  });
  L.advance(L.mm(1.5));
}

//! "LSI 12.3 · σ 0.081 · mean 4.2 MB/h · …": the numbers the rationale talks about, in one line.
QString keyFigures(const ReportSite& s, const PlanningReportData& data) {
  QStringList parts;
  parts << QStringLiteral("lon %1°, lat %2°").arg(orDash(s.lon, 5), orDash(s.lat, 5));
  // The ranked-by value, unless it is one of the figures listed anyway.
  if (!data.utilityName.isEmpty() && listedUtilityIndex(data.utilityName) < 0)
    parts << data.utilityName + QLatin1Char(' ') + withUnit(formatUtilityValue(s.value), data.utilityUnit);
  parts << QStringLiteral("LSI ") + formatUtilityValue(s.lsi);
  parts << QStringLiteral("σ ") + formatUtilityValue(s.sigma);
  parts << QStringLiteral("mean ") + withUnit(formatUtilityValue(s.mean), data.unit);
  parts << QStringLiteral("p95 ") + withUnit(formatUtilityValue(s.p95), data.unit);
  parts << QStringLiteral("p(top-K) ") + orDash(s.pTopK, 2);
  return parts.join(QStringLiteral("  ·  "));
}

void layoutSites(ReportLayout& L, const PlanningReportData& data) {
  if (data.sites.empty()) return;
  const QFont headingFont = sansFont(11.0, true);
  const QFont figures = sansFont(8.0);
  const QFont body = sansFont(kBodyPt);
  bool first = true;
  // Whole sections, two to a page with plots of the usual 2.5:1 shape, the first right under the
  // table when it fits there.
  for (const ReportSite& s : data.sites) {
    const QString title = QStringLiteral("%1. %2").arg(s.rank).arg(s.siteId.isEmpty() ? QStringLiteral("(no id)") : s.siteId);
    const QString fig = keyFigures(s, data);
    const QString rationale =
        s.rationale.trimmed().isEmpty() ? QStringLiteral("No rationale was provided for this site.") : s.rationale.trimmed();
    const bool hasPlot = !s.weeklyPlot.isNull() && s.weeklyPlot.width() > 0 && s.weeklyPlot.height() > 0;
    const QSizeF plotSize = hasPlot ? QSizeF(s.weeklyPlot.size()).scaled(QSizeF(L.width(), L.mm(kMaxPlotHeightMm)), Qt::KeepAspectRatio)
                                    : QSizeF(L.width(), L.mm(18.0));
    const double textHeight = L.paragraphHeight(title, headingFont) + L.mm(1.0) + L.paragraphHeight(fig, figures) + L.mm(2.0) +
                              L.paragraphHeight(rationale, body) + L.mm(3.0);
    const double block = textHeight + plotSize.height();
    // Whole sections only: a plot separated from its paragraph is hard to read.
    if (first) {
      L.heading(QStringLiteral("Site details"), sansFont(12.0, true), block, block);
      first = false;
    } else {
      L.skip(L.mm(8.0));
    }
    L.ensure(block);
    L.paragraph(title, headingFont, QColor(0x1f, 0x3a, 0x5f));
    L.advance(L.mm(1.0));
    L.paragraph(fig, figures, QColor(0x44, 0x44, 0x44));
    L.advance(L.mm(2.0));
    L.paragraph(rationale, body);
    L.advance(L.mm(3.0));
    if (hasPlot)
      L.image(s.weeklyPlot, plotSize);
    else
      L.placeholder(QStringLiteral("No weekly plot was provided for this site."), plotSize.height());
  }
}

void layoutProvenance(ReportLayout& L, const PlanningReportData& data) {
  const QFont key = sansFont(8.5, true);
  const QFont value = monoFont(8.0);
  const double keyWidth = L.mm(42.0);
  const double gap = L.mm(3.0);
  const double valueWidth = L.width() - keyWidth - gap;
  double total = 0.0;
  for (const auto& [k, v] : data.provenance)
    total += std::max(L.wrap(k, key, keyWidth).size() * L.lineHeight(key),
                      L.wrap(v.isEmpty() ? QStringLiteral("—") : v, value, valueWidth).size() * L.lineHeight(value)) +
             L.mm(1.4);
  // One table on one page where it fits: a reader checks these values together.
  L.heading(QStringLiteral("Run provenance"), sansFont(12.0, true), data.provenance.isEmpty() ? L.mm(18.0) : total,
            L.lineHeight(value) * 3);
  if (data.provenance.isEmpty()) {
    L.placeholder(QStringLiteral("No provenance was recorded: these results cannot be traced to a model, its weights or a seed."),
                  L.mm(18.0));
    return;
  }
  for (const auto& [k, v] : data.provenance) {
    const QStringList keyLines = L.wrap(k, key, keyWidth);
    // Monospace, broken anywhere: a 64-digit SHA-256 must stay whole on the page, and a reader
    // comparing it digit by digit wants the digits aligned.
    const QStringList valueLines = L.wrap(v.isEmpty() ? QStringLiteral("—") : v, value, valueWidth);
    const double keyLh = L.lineHeight(key);
    const double valueLh = L.lineHeight(value);
    const double height = std::max(keyLines.size() * keyLh, valueLines.size() * valueLh) + L.mm(1.4);
    L.ensure(height);
    const double top = L.y();
    const double keyAscent = L.ascent(key);
    const double valueAscent = L.ascent(value);
    L.add([=, w = L.width(), pen = L.pt(0.3)](QPainter& p) {
      p.setFont(key);
      p.setPen(QColor(0x33, 0x33, 0x33));
      for (int i = 0; i < keyLines.size(); ++i) p.drawText(QPointF(0.0, top + keyAscent + i * keyLh), keyLines[i]);
      p.setFont(value);
      p.setPen(Qt::black);
      for (int i = 0; i < valueLines.size(); ++i) p.drawText(QPointF(keyWidth + gap, top + valueAscent + i * valueLh), valueLines[i]);
      p.setPen(QPen(QColor(0xdd, 0xdd, 0xdd), pen));
      p.drawLine(QPointF(0.0, top + height - pen), QPointF(w, top + height - pen));
    });
    L.advance(height);
  }
}

void paintFooter(QPainter& p, const ReportLayout& L, QSizeF paintSize, const QString& title, int page, int pages) {
  const QFont font = sansFont(7.5);
  const double top = paintSize.height() - L.mm(kFooterMm) + L.mm(3.0);
  p.setPen(QPen(QColor(0xbb, 0xbb, 0xbb), L.pt(0.4)));
  p.drawLine(QPointF(0.0, top), QPointF(paintSize.width(), top));
  p.setFont(font);
  p.setPen(QColor(0x66, 0x66, 0x66));
  const QString number = QStringLiteral("Page %1 of %2").arg(page).arg(pages);
  const double numberWidth = L.textWidth(font, number);
  const QRectF box(0.0, top + L.mm(1.0), paintSize.width(), L.lineHeight(font));
  p.drawText(box, Qt::AlignRight | Qt::AlignTop, number);
  p.drawText(box.adjusted(0, 0, -numberWidth - L.mm(6.0), 0), Qt::AlignLeft | Qt::AlignTop,
             L.elide(font, title, box.width() - numberWidth - L.mm(6.0), Qt::ElideRight));
}

}  // namespace

core::Status writePlanningReport(const PlanningReportData& data, const QString& path) {
  if (path.trimmed().isEmpty())
    return core::Error(core::ErrorCode::InvalidArgument, QStringLiteral("no file name was given for the PDF report"));
  // A directory would make the temporary file fail with a vaguer message.
  if (QFileInfo(path).isDir())
    return core::Error(core::ErrorCode::Io, QStringLiteral("cannot write the PDF report %1: it is a directory").arg(path), {path});

  // AtomicFile writes beside the target and renames on commit: a failure or a crash while painting
  // leaves no half-written PDF, and an earlier report at that path survives.
  core::AtomicFile file(path);
  auto device = file.open();
  if (!device)
    return core::Error(core::ErrorCode::Io, QStringLiteral("cannot write the PDF report %1: %2").arg(path, device.error().message()),
                       {path});

  const QString title = data.title.trimmed().isEmpty() ? QStringLiteral("Planning report") : data.title.trimmed();
  QPdfWriter writer(*device);
  writer.setResolution(int(kWriterDpi));
  writer.setTitle(title);
  writer.setCreator(QStringLiteral("NetSpatial Studio"));
  writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                   QMarginsF(kMarginMm, kMarginMm, kMarginMm, kBottomMarginMm), QPageLayout::Millimeter));
  // The paint rect: the painter's origin is its top-left corner (margins already applied).
  const QSizeF paintSize(writer.width(), writer.height());

  ReportLayout layout(&writer, paintSize);
  layoutTitle(layout, data);
  layoutMap(layout, data);
  layoutNotes(layout, data);
  layoutTable(layout, data);
  layoutSites(layout, data);
  layoutProvenance(layout, data);

  QPainter painter;
  if (!painter.begin(&writer)) {
    file.discard();
    return core::Error(core::ErrorCode::Io, QStringLiteral("cannot start painting the PDF report %1").arg(path), {path});
  }
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setRenderHint(QPainter::TextAntialiasing);
  const auto& pages = layout.pages();
  const int pageCount = int(pages.size());
  for (int i = 0; i < pageCount; ++i) {
    if (i > 0) writer.newPage();
    for (const auto& op : pages[size_t(i)]) {
      painter.save();
      op(painter);
      painter.restore();
    }
    paintFooter(painter, layout, paintSize, title, i + 1, pageCount);
  }
  painter.end();

  if (auto s = file.commit(); !s)
    return core::Error(core::ErrorCode::Io, QStringLiteral("cannot write the PDF report %1: %2").arg(path, s.error().message()), {path});
  return {};
}

}  // namespace netspatial::ui
