#pragma once

// The scale benchmark of issue 21: `netspatial generate`'s streaming path (candidate grid, contexts
// → model → project file in chunks) on ever larger AOIs of one simulated metropolis, each size in a
// fresh process so that its peak resident memory is its own. Full builds only (core, app/common).

#include <string>
#include <vector>

namespace netspatial::bench {

struct ScaleRow {
  int sites = 0;
  int samples = 0;
  double cellMetres = 0.0;
  double aoiKilometres = 0.0;    //!< side of the square AOI
  double generateSeconds = 0.0;  //!< contexts + model, over all chunks
  double totalSeconds = 0.0;     //!< load, grid, generate and save: the command's wall time
  double peakRssMegabytes = 0.0;
  double fileMegabytes = 0.0;
  std::string error;
};

//! The parent: simulates the metropolis once into `folder` (the temporary folder when empty), then
//! runs `executable` (this benchmark) once per size with `--scale-child`, and collects the rows.
std::vector<ScaleRow> benchScale(const std::vector<int>& sizes, int samples, const std::string& weightsPath, const std::string& folder,
                                 const std::string& executable, unsigned seed);

//! The child: one size, in this process; prints the row as one line for the parent.
int runScaleChild(const std::string& project, int sites, int samples, const std::string& weightsPath);

}  // namespace netspatial::bench
