#include "ui/models/trainmodeldialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include <cmath>

namespace netspatial::ui {

TrainModelDialog::TrainModelDialog(const QString& projectName, int sites, bool embeddedAvailable,
                                   std::function<QString(const TrainModelChoices&)> estimate, QWidget* parent)
    : QDialog(parent),
      m_estimateText(std::move(estimate)),
      m_name(new QLineEdit),
      m_embedded(new QRadioButton(tr("Fine-tune the embedded NetSpatial weights"))),
      m_scratch(new QRadioButton(tr("From scratch"))),
      m_holdout(new QDoubleSpinBox),
      m_preset(new QComboBox),
      m_estimate(new QLabel),
      m_holdoutNote(new QLabel),
      m_sites(sites) {
  setWindowTitle(tr("Train on this project's observed traffic"));
  auto* form = new QFormLayout(this);
  auto* intro = new QLabel(tr("Trains a NetSpatial generator on the observed traffic of %1 (%n site(s) with traffic), as "
                              "a project model stored in the project file and selectable for generation.",
                              nullptr, sites)
                               .arg(projectName));
  intro->setWordWrap(true);
  form->addRow(intro);
  m_name->setObjectName(QStringLiteral("trainName"));
  m_name->setText(tr("%1 model").arg(projectName.section(QLatin1Char(' '), 0, 0)));
  form->addRow(tr("Name"), m_name);
  auto* init = new QVBoxLayout;
  init->addWidget(m_embedded);
  init->addWidget(m_scratch);
  m_embedded->setEnabled(embeddedAvailable);
  if (!embeddedAvailable) m_embedded->setToolTip(tr("This build embeds no NetSpatial weights"));
  (embeddedAvailable ? m_embedded : m_scratch)->setChecked(true);
  form->addRow(tr("Start from"), init);
  m_holdout->setObjectName(QStringLiteral("trainHoldout"));
  m_holdout->setRange(5, 50);
  m_holdout->setDecimals(0);
  m_holdout->setSuffix(tr(" % of sites"));
  m_holdout->setValue(20);
  m_holdout->setToolTip(tr("Held out by 1 km blocks, never trained on: the model is scored on them against the zone template"));
  form->addRow(tr("Held out"), m_holdout);
  m_holdoutNote->setWordWrap(true);
  form->addRow(QString(), m_holdoutNote);
  m_preset->setObjectName(QStringLiteral("trainPreset"));
  m_preset->addItem(tr("quick (smoke): every stage, a few steps, to see that it works"));
  m_preset->addItem(tr("full: the embedded model's recipe"));
  form->addRow(tr("Training"), m_preset);
  m_estimate->setObjectName(QStringLiteral("trainEstimate"));
  m_estimate->setWordWrap(true);
  form->addRow(tr("Time"), m_estimate);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Train"));
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(m_name, &QLineEdit::textChanged, this,
          [this, buttons](const QString& text) { buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty()); });
  connect(m_preset, &QComboBox::currentIndexChanged, this, &TrainModelDialog::refresh);
  connect(m_embedded, &QRadioButton::toggled, this, &TrainModelDialog::refresh);
  connect(m_holdout, &QDoubleSpinBox::valueChanged, this, &TrainModelDialog::refresh);
  setMinimumWidth(520);
  refresh();
}

TrainModelChoices TrainModelDialog::choices() const {
  TrainModelChoices c;
  c.name = m_name->text().trimmed();
  c.fromEmbedded = m_embedded->isChecked();
  c.holdout = m_holdout->value() / 100.0;
  c.full = m_preset->currentIndex() == 1;
  return c;
}

void TrainModelDialog::refresh() {
  const TrainModelChoices c = choices();
  const int heldOut = int(std::lround(c.holdout * m_sites));
  m_holdoutNote->setText(tr("about %1 of %2 sites are held out; the rest are trained on").arg(heldOut).arg(m_sites));
  m_estimate->setText(m_estimateText ? m_estimateText(c) : QString());
}

}  // namespace netspatial::ui
