#include "app/studio/newcitydialog.h"

#include "core/sim/citysimulator.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <limits>

namespace netspatial::app {

NewCityDialog::NewCityDialog(QWidget* parent)
    : QDialog(parent), m_preset(new QComboBox(this)), m_seed(new QSpinBox(this)), m_description(new QLabel(this)) {
  setWindowTitle(tr("New city"));
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  m_preset->addItems(core::cityPresetNames());
  m_preset->setObjectName(QStringLiteral("presetCombo"));
  form->addRow(tr("&Preset:"), m_preset);
  auto* seedRow = new QHBoxLayout;
  m_seed->setRange(0, std::numeric_limits<int>::max());
  m_seed->setValue(1);
  m_seed->setObjectName(QStringLiteral("seedSpin"));
  m_seed->setToolTip(tr("The same preset and seed always give the same city"));
  seedRow->addWidget(m_seed, 1);
  auto* dice = new QToolButton(this);
  dice->setText(tr("Random"));
  dice->setToolTip(tr("Pick a random seed"));
  connect(dice, &QToolButton::clicked, this,
          [this] { m_seed->setValue(int(QRandomGenerator::global()->bounded(std::numeric_limits<int>::max()))); });
  seedRow->addWidget(dice);
  auto* seedLabel = new QLabel(tr("&Seed:"), this);
  seedLabel->setBuddy(m_seed);  // a row holding a layout gets no buddy by itself
  form->addRow(seedLabel, seedRow);
  layout->addLayout(form);
  m_description->setWordWrap(true);
  m_description->setMinimumWidth(320);
  layout->addWidget(m_description);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  connect(m_preset, &QComboBox::currentTextChanged, this, &NewCityDialog::updateDescription);
  setPreset(QStringLiteral("city"));
  updateDescription();
}

QString NewCityDialog::preset() const { return m_preset->currentText(); }

quint64 NewCityDialog::seed() const { return quint64(m_seed->value()); }

void NewCityDialog::setPreset(const QString& name) {
  const int index = m_preset->findText(name);
  if (index >= 0) m_preset->setCurrentIndex(index);
}

void NewCityDialog::setSeed(quint64 seed) { m_seed->setValue(int(std::min<quint64>(seed, quint64(m_seed->maximum())))); }

void NewCityDialog::updateDescription() {
  auto preset = core::cityPreset(m_preset->currentText());
  if (!preset) {
    m_description->setText(preset.error().message());
    return;
  }
  m_description->setText(tr("%1\n%2 km × %2 km, imagery %3 m/px, population %4 m cells, %5 weeks of hourly traffic.")
                             .arg(preset->description)
                             .arg(preset->sizeMetres / 1000.0, 0, 'g', 3)
                             .arg(preset->imageryPixelMetres, 0, 'g', 3)
                             .arg(preset->populationCellMetres, 0, 'g', 3)
                             .arg(preset->weeks));
}

}  // namespace netspatial::app
