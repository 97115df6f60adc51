#pragma once

// Models › Train on this project's observed traffic…: the model's name, where training starts
// (the embedded weights or scratch), the fraction of sites held out for an honest score, and the
// amount of training with the time it will take on this machine. It trains nothing: the app reads
// the choices and runs the training as a task.

#include <QDialog>
#include <QString>

#include <functional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace netspatial::ui {

struct TrainModelChoices {
  QString name;
  bool fromEmbedded = true;
  double holdout = 0.2;  //!< fraction of sites held out
  bool full = false;     //!< false: "quick (smoke)"
};

class TrainModelDialog : public QDialog {
  Q_OBJECT

 public:
  //! `estimate` gives the expected time for a choice ("about 4 min (4,300 steps at …)");
  //! `sites` is how many sites carry observed traffic; `embeddedAvailable` whether there are
  //! embedded weights to fine-tune.
  TrainModelDialog(const QString& projectName, int sites, bool embeddedAvailable, std::function<QString(const TrainModelChoices&)> estimate,
                   QWidget* parent = nullptr);

  TrainModelChoices choices() const;

  QLineEdit* nameEdit() const { return m_name; }
  QRadioButton* embeddedButton() const { return m_embedded; }
  QRadioButton* scratchButton() const { return m_scratch; }
  QDoubleSpinBox* holdoutSpin() const { return m_holdout; }
  QComboBox* presetCombo() const { return m_preset; }
  QLabel* estimateLabel() const { return m_estimate; }

 private:
  void refresh();

  std::function<QString(const TrainModelChoices&)> m_estimateText;
  QLineEdit* m_name;
  QRadioButton* m_embedded;
  QRadioButton* m_scratch;
  QDoubleSpinBox* m_holdout;
  QComboBox* m_preset;
  QLabel* m_estimate;
  QLabel* m_holdoutNote;
  int m_sites;
};

}  // namespace netspatial::ui
