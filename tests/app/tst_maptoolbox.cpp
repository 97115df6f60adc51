// What a click or a dragged rectangle means (issue 18): one tool at a time, one class per
// interaction, the inspect tool's pickers in their order, one-shot tools that hand back to it.

#include "app/studio/maptoolbox.h"
#include "ui/map/mapcanvas.h"

#include <QStatusBar>
#include <QTest>

using namespace netspatial;

class TestMapToolbox : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void pickersAnswerInTheirOrder() {
    ui::MapCanvas canvas;
    app::MapToolbox tools(&canvas, nullptr);
    QStringList asked;
    tools.inspectTool()->addPicker(100, [&](core::PointXY, double) {
      asked << QStringLiteral("planning");
      return true;
    });
    bool studyHasStation = false;
    tools.inspectTool()->addPicker(10, [&](core::PointXY, double) {
      asked << QStringLiteral("operations");
      return studyHasStation;
    });
    Q_EMIT canvas.clicked({1.0, 2.0});
    QCOMPARE(asked, (QStringList{QStringLiteral("operations"), QStringLiteral("planning")}));
    asked.clear();
    studyHasStation = true;  // a study station under the click: planning is not asked
    Q_EMIT canvas.clicked({1.0, 2.0});
    QCOMPARE(asked, QStringList{QStringLiteral("operations")});
  }

  void oneShotToolsHandBack() {
    ui::MapCanvas canvas;
    QStatusBar bar;
    app::MapToolbox tools(&canvas, &bar);
    int inspected = 0;
    tools.inspectTool()->addPicker(0, [&](core::PointXY, double) { return ++inspected, true; });
    std::vector<core::Extent> areas;
    tools.activate(
        std::make_unique<app::RectangleTool>(QStringLiteral("Drag the area"), [&](const core::Extent& e) { areas.push_back(e); }));
    QVERIFY(canvas.isRectangleToolActive());
    QCOMPARE(bar.currentMessage(), QStringLiteral("Drag the area"));
    Q_EMIT canvas.rectangleDrawn(core::Extent::fromCorners(0, 0, 10, 10));
    QCOMPARE(int(areas.size()), 1);
    QVERIFY(tools.active() == tools.inspectTool());
    // Rectangles with no tool that takes them change nothing; clicks inspect.
    Q_EMIT canvas.rectangleDrawn(core::Extent::fromCorners(0, 0, 5, 5));
    QCOMPARE(int(areas.size()), 1);
    Q_EMIT canvas.clicked({3.0, 3.0});
    QCOMPARE(inspected, 1);

    // A point tool takes exactly one click.
    QList<core::PointXY> zones;
    tools.activate(std::make_unique<app::PointTool>(QStringLiteral("Click a zone"), [&](core::PointXY p) { zones << p; }));
    QVERIFY(!canvas.isRectangleToolActive());
    Q_EMIT canvas.clicked({4.0, 4.0});
    Q_EMIT canvas.clicked({5.0, 5.0});
    QCOMPARE(zones.size(), 1);
    QCOMPARE(inspected, 2);

    // Esc gives up a rectangle: the next click inspects and the rectangle tool is gone.
    tools.activate(std::make_unique<app::RectangleTool>(QStringLiteral("Drag"), [&](const core::Extent& e) { areas.push_back(e); }));
    canvas.stopRectangleTool();  // what Esc does
    Q_EMIT canvas.clicked({6.0, 6.0});
    QCOMPARE(inspected, 3);
    QVERIFY(tools.active() == tools.inspectTool());
    Q_EMIT canvas.rectangleDrawn(core::Extent::fromCorners(0, 0, 1, 1));
    QCOMPARE(int(areas.size()), 1);
  }
};

QTEST_MAIN(TestMapToolbox)
#include "tst_maptoolbox.moc"
