#pragma once

// The generator chooser of the planning and operations settings (issue 19, item 5): a combo box of
// the generators a project can use — embedded models, the project's own models, the references —
// with, under it, the chosen one's unit and training data and whether they match the project, so
// that an uncalibrated choice is visible when it is made. Entries are plain values: the app
// decides what is available (ui/ knows nothing of models).

#include <QString>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;

namespace netspatial::ui {

struct GeneratorChooserEntry {
  QString key;      //!< what generatorChosen() reports
  QString label;    //!< "NetSpatial (embedded)"
  QString group;    //!< "Embedded models", "Project models", "References": a separator between groups
  QString summary;  //!< "unit MB/h\ntrained on simulated cities\ntrained on other data": one fact per line
  bool enabled = true;
  QString disabledReason;  //!< tooltip of a disabled entry
  bool warn = false;       //!< the summary is a calibration warning
};

class GeneratorChooser : public QWidget {
  Q_OBJECT

 public:
  explicit GeneratorChooser(QWidget* parent = nullptr);

  //! Shows `entries` with `currentKey` chosen, without emitting generatorChosen().
  void setEntries(const std::vector<GeneratorChooserEntry>& entries, const QString& currentKey);
  QString currentKey() const;
  const std::vector<GeneratorChooserEntry>& entries() const { return m_entries; }

  QComboBox* comboBox() const { return m_combo; }
  QLabel* summaryLabel() const { return m_summary; }

 Q_SIGNALS:
  //! The user chose another generator.
  void generatorChosen(const QString& key);

 private:
  void showSummary();

  std::vector<GeneratorChooserEntry> m_entries;
  QComboBox* m_combo;
  QLabel* m_summary;
  bool m_syncing = false;
};

}  // namespace netspatial::ui
