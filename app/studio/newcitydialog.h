#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QSpinBox;

namespace netspatial::app {

//! File › New city…: a simulator preset (cityPresetNames()) and a seed. The same preset and seed
//! always give the same city, so the seed is shown rather than hidden.
class NewCityDialog : public QDialog {
  Q_OBJECT

 public:
  explicit NewCityDialog(QWidget* parent = nullptr);

  QString preset() const;
  quint64 seed() const;
  void setPreset(const QString& name);
  void setSeed(quint64 seed);

 private:
  void updateDescription();

  QComboBox* m_preset;
  QSpinBox* m_seed;
  QLabel* m_description;
};

}  // namespace netspatial::app
