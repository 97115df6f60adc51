#pragma once

// Saving and reopening a project with a full candidate generation (issue 18): a simulated town plus
// `sites` candidate cells of 50 m, each with `samples` generated series of `hours` hours — the 3 km
// AOI at 50 m × 32 samples that used to make a 3.7 GB file. Needs core (full builds only).

#include <string>

namespace netspatial::bench {

struct ProjectIoResult {
  int sites = 0;
  int samples = 0;
  int hours = 0;
  double buildSeconds = 0.0;  //!< simulating the town and the synthetic generation (not measured work)
  double saveSeconds = 0.0;
  double fileMegabytes = 0.0;  //!< 10⁶ bytes
  double loadSeconds = 0.0;
  double peakRssMegabytesBeforeSave = 0.0;  //!< the process's peak resident set, 10⁶ bytes
  double peakRssMegabytesAfterSave = 0.0;
  double peakRssMegabytesAfterLoad = 0.0;
  std::string path;
  std::string error;
};

//! Saves into `folder` (the system's temporary folder when empty) and removes the file afterwards.
ProjectIoResult benchProjectIo(int sites, int samples, int hours, const std::string& folder, unsigned seed);

}  // namespace netspatial::bench
