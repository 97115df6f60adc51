#pragma once

// Internal to core/geo: collects GDAL/OGR errors raised on this thread while in scope, so that
// they become Error values instead of stderr noise (DESIGN.md §11).

#include <QString>
#include <QStringList>

namespace netspatial::core::detail {

class GdalErrorScope {
 public:
  GdalErrorScope();
  ~GdalErrorScope();
  GdalErrorScope(const GdalErrorScope&) = delete;
  GdalErrorScope& operator=(const GdalErrorScope&) = delete;

  bool hasFailure() const { return !m_failures.isEmpty(); }
  //! The failure messages joined, or `fallback` when GDAL said nothing. GDAL repeats the full path
  //! in its messages; with `file` given it is shortened to the file name, since Error's context
  //! already names the file once.
  QString failureText(const QString& fallback = QStringLiteral("unknown GDAL error"), const QString& file = {}) const;
  const QStringList& warnings() const { return m_warnings; }
  void clear() {
    m_failures.clear();
    m_warnings.clear();
  }

  // Called by the GDAL error handler installed by this scope.
  void addFailure(const QString& message) { m_failures << message; }
  void addWarning(const QString& message) { m_warnings << message; }

 private:
  QStringList m_failures;
  QStringList m_warnings;
};

//! Registers GDAL/OGR drivers once (thread-safe).
void ensureGdalRegistered();

}  // namespace netspatial::core::detail
