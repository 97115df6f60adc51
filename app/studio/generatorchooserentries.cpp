#include "app/studio/generatorchooserentries.h"

#include <QCoreApplication>

namespace netspatial::app {

std::vector<ui::GeneratorChooserEntry> generatorChooserEntries(const core::Scenario& scenario, GeneratorRole role) {
  std::vector<ui::GeneratorChooserEntry> out;
  for (const GeneratorChoice& c : generatorChoices(scenario)) {
    ui::GeneratorChooserEntry e;
    e.key = c.key;
    e.label = c.label;
    e.group = c.source == GeneratorSource::Embedded  ? QCoreApplication::translate("GeneratorChooser", "Embedded models")
              : c.source == GeneratorSource::Project ? QCoreApplication::translate("GeneratorChooser", "Project models")
                                                     : QCoreApplication::translate("GeneratorChooser", "References");
    e.summary = c.summary();
    e.warn = c.available && !c.calibration.matches();
    if (!c.available) {
      e.enabled = false;
      e.disabledReason = c.unavailableReason;
    } else if (role == GeneratorRole::Forecast && !c.canForecast) {
      e.enabled = false;
      e.disabledReason = QCoreApplication::translate(
          "GeneratorChooser", "Forecasts need NetSpatial's operations mode (a forecast from each station's history); a reference has none");
    }
    if (!e.enabled) e.summary = e.disabledReason;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace netspatial::app
