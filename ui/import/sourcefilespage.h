#pragma once

#include "core/geo/geometry.h"
#include "ui/import/importsource.h"

#include <QWizardPage>

#include <map>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;

namespace netspatial::ui {

//! The New scenario wizard's first page: one row per modality with a file picker ("not given"
//! by default; the last folder is remembered), the traffic's unit and time zone, the extent
//! (an AOI file, a lon/lat box, or neither: every layer) and the CRS (optional).
class SourceFilesPage : public QWizardPage {
  Q_OBJECT

 public:
  explicit SourceFilesPage(QWidget* parent = nullptr);

  //! An empty path = not given.
  void setFile(ImportSource source, const QString& path);
  QString file(ImportSource source) const;
  QLineEdit* trafficUnitEdit() const { return m_unit; }
  QComboBox* timeZoneBox() const { return m_timeZone; }
  QLineEdit* extentEdit() const { return m_extent; }
  QLineEdit* crsEdit() const { return m_crs; }
  QLineEdit* nameEdit() const { return m_name; }
  //! The lon/lat box typed, nullopt when none (or not four numbers: then the page is incomplete).
  std::optional<core::Extent> extentLonLat() const;
  //! The first file given, in row order (the output's default name comes from it).
  QString firstFile() const;

  bool isComplete() const override;

 private:
  void choose(ImportSource source);
  void updateHint();

  std::map<ImportSource, QLineEdit*> m_paths;
  QLineEdit* m_unit;
  QComboBox* m_timeZone;
  QLineEdit* m_extent;
  QLineEdit* m_crs;
  QLineEdit* m_name;
  QLabel* m_hint;
};

}  // namespace netspatial::ui
