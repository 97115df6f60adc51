#pragma once

#include "core/import/scenarioimport.h"
#include "core/import/scenariopreview.h"
#include "core/util/feedback.h"

#include <QWizardPage>

#include <functional>
#include <memory>

class QLabel;
class QTableWidget;

namespace netspatial::core {
class Inbox;
}

namespace netspatial::ui {

class MapCanvas;

//! The New scenario wizard's last page: the given layers on a small map with the extent the import
//! will use, a table of what each modality will contain (or that it is missing), and every problem
//! found in red with the import's own message. It is complete — Create is enabled — only once the
//! check has finished without a problem. The check (core::previewScenarioImport) and the layers'
//! loading run off the GUI thread; the result comes back through a core::Inbox.
class ImportPreviewPage : public QWizardPage {
  Q_OBJECT

 public:
  //! `options` gives the options the wizard would create the scenario from now.
  ImportPreviewPage(std::function<core::ScenarioImportOptions()> options, QWidget* parent = nullptr);
  ~ImportPreviewPage() override;

  void initializePage() override;
  void cleanupPage() override;
  bool isComplete() const override;

  //! True once the check for the current options has finished.
  bool isReady() const { return m_ready; }
  const core::ScenarioPreview& preview() const { return m_preview; }
  QTableWidget* table() const { return m_table; }
  MapCanvas* map() const { return m_map; }
  QLabel* problemsLabel() const { return m_problems; }

 Q_SIGNALS:
  void previewReady();

 private:
  struct Result;
  void start();
  void show(Result& result);

  std::function<core::ScenarioImportOptions()> m_options;
  MapCanvas* m_map;
  QTableWidget* m_table;
  QLabel* m_extent;
  QLabel* m_problems;
  QLabel* m_notes;
  core::Inbox* m_inbox;
  std::shared_ptr<core::Feedback> m_running;  //!< the check in flight, cancelled when superseded
  quint64 m_generation = 0;
  bool m_ready = false;
  core::ScenarioPreview m_preview;
};

}  // namespace netspatial::ui
