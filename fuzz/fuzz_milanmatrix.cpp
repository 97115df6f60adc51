// Fuzzes importMilanMatrix: the hourly matrix of the Telecom Italia Milan dataset
// (traffic_matrixTS.csv, one row per cell) and its labels (traffic_ID_labels.csv).
//
// Input: the labels file, a line "%%", then the matrix. Without that line the whole input is the
// matrix and the labels are 1…rows: most mutations break the separator or the label count, and
// the matrix parser should not only ever see inputs it refuses at the first check.

#include "core/traffic/milanimport.h"
#include "core/traffic/trafficlimits.h"
#include "fuzz/fuzzsupport.h"

#include <cmath>

using namespace netspatial;

namespace {

//! The labels 1…rows for a matrix, counting its rows as importMilanMatrix does (lines, trailing
//! blank ones dropped).
QByteArray labelsFor(QByteArrayView matrix) {
  QList<QByteArray> lines = matrix.toByteArray().split('\n');
  while (!lines.isEmpty() && lines.back().trimmed().isEmpty()) lines.removeLast();
  QByteArray labels;
  for (qsizetype i = 0; i < lines.size(); ++i) labels += QByteArray::number(i + 1) + ".0\n";
  return labels;
}

void check(const core::MilanMatrix& m) {
  std::size_t complete = 0;
  for (const auto& [cell, series] : m.seriesByCell) {
    if (series.values.size() != m.hours)
      fuzz::violated("milanmatrix", QStringLiteral("cell %1 has %2 hours, the axis %3").arg(cell).arg(series.values.size()).arg(m.hours));
    bool full = true;
    for (float v : series.values) {
      if (std::isnan(v)) {
        full = false;
        continue;
      }
      if (v < 0.0f || std::isinf(v) || double(v) > core::kMaxTrafficValue * 1.0000001)
        fuzz::violated("milanmatrix", QStringLiteral("cell %1 holds %2").arg(cell).arg(double(v)));
    }
    complete += full ? 1 : 0;
  }
  if (m.completeCells.size() > m.seriesByCell.size()) fuzz::violated("milanmatrix", QStringLiteral("more complete cells than cells"));
  for (int cell : m.completeCells)
    if (!m.seriesByCell.count(cell)) fuzz::violated("milanmatrix", QStringLiteral("complete cell %1 has no series").arg(cell));
  Q_UNUSED(complete);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::initialise();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const QByteArrayView input = fuzz::bytes(data, size);
  QString labels, matrix;
  if (const auto parts = fuzz::splitAtLine(input, "%%")) {
    labels = fuzz::writeScratchFile(QStringLiteral("traffic_ID_labels.csv"), parts->first);
    matrix = fuzz::writeScratchFile(QStringLiteral("traffic_matrixTS.csv"), parts->second);
  } else {
    labels = fuzz::writeScratchFile(QStringLiteral("traffic_ID_labels.csv"), labelsFor(input));
    matrix = fuzz::writeScratchFile(QStringLiteral("traffic_matrixTS.csv"), input);
  }
  auto result = core::importMilanMatrix(matrix, labels);
  if (!result) return fuzz::note(result.error().toString()), 0;
  check(*result);
  return 0;
}
