#include "ui/util/imagesizedialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QSettings>
#include <QSpinBox>

namespace netspatial::ui {

ImageSizeDialog::ImageSizeDialog(QWidget* parent) : QDialog(parent), m_width(new QSpinBox), m_height(new QSpinBox), m_dpi(new QSpinBox) {
  setWindowTitle(tr("Image size"));
  const QSettings settings;
  m_width->setRange(200, 8000);
  m_width->setSuffix(tr(" px"));
  m_width->setValue(settings.value(QStringLiteral("export/plotWidth"), 1600).toInt());
  m_height->setRange(150, 8000);
  m_height->setSuffix(tr(" px"));
  m_height->setValue(settings.value(QStringLiteral("export/plotHeight"), 900).toInt());
  m_dpi->setRange(48, 1200);
  m_dpi->setSuffix(tr(" dpi"));
  m_dpi->setValue(settings.value(QStringLiteral("export/plotDpi"), 150).toInt());
  auto* form = new QFormLayout(this);
  form->addRow(tr("Width"), m_width);
  form->addRow(tr("Height"), m_height);
  form->addRow(tr("Resolution"), m_dpi);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QSize ImageSizeDialog::pixels() const { return {m_width->value(), m_height->value()}; }
int ImageSizeDialog::dpi() const { return m_dpi->value(); }

void ImageSizeDialog::remember() const {
  QSettings settings;
  settings.setValue(QStringLiteral("export/plotWidth"), m_width->value());
  settings.setValue(QStringLiteral("export/plotHeight"), m_height->value());
  settings.setValue(QStringLiteral("export/plotDpi"), m_dpi->value());
}

}  // namespace netspatial::ui
