#pragma once

// The size and resolution of an exported plot image (a slide, a printed report), remembered
// between exports in the user's settings.

#include <QDialog>
#include <QSize>

class QSpinBox;

namespace netspatial::ui {

class ImageSizeDialog : public QDialog {
  Q_OBJECT

 public:
  //! Starts from the last size and resolution chosen (1600 × 900 px at 150 dpi the first time).
  explicit ImageSizeDialog(QWidget* parent = nullptr);

  QSize pixels() const;
  int dpi() const;
  //! Remembers the choice for the next export.
  void remember() const;

 private:
  QSpinBox* m_width;
  QSpinBox* m_height;
  QSpinBox* m_dpi;
};

}  // namespace netspatial::ui
