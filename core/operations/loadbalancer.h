#pragma once

// Load balancing (DESIGN.md §9): each hour, move demand from stations above a utilisation threshold
// to neighbours with headroom, by a linear program (GLPK): minimise the capacity-weighted load above
// the threshold, then the load moved. Reports peak utilisation before and after, per station and
// network-wide.

#include "core/operations/stationnetwork.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QStringList>

#include <vector>

namespace netspatial::core {

struct BalanceOptions {
  double threshold = 0.8;            //!< utilisation above which a station sheds load
  double neighbourDistance = 500.0;  //!< metres: who may take it
};

struct Transfer {
  int hour = 0;
  int from = -1;
  int to = -1;
  double amount = 0.0;  //!< traffic unit (per hour)
};

struct BalancedStation {
  QString id;
  double peakBefore = 0.0;  //!< max over hours of load / capacity
  double peakAfter = 0.0;
  int hoursOverBefore = 0;  //!< hours above the threshold
  int hoursOverAfter = 0;
  double shed = 0.0;      //!< load moved away (traffic unit × h)
  double absorbed = 0.0;  //!< load taken from neighbours
};

struct BalanceResult {
  std::vector<BalancedStation> stations;
  std::vector<std::vector<double>> utilisationAfter;  //!< [station][hour]
  std::vector<Transfer> transfers;                    //!< every move of more than 1e-9
  double networkPeakBefore = 0.0;                     //!< max over stations and hours
  double networkPeakAfter = 0.0;
  double meanPeakBefore = 0.0;  //!< mean over stations of their peak
  double meanPeakAfter = 0.0;
  int stationHoursOverBefore = 0;
  int stationHoursOverAfter = 0;
  double moved = 0.0;  //!< total load moved
  QStringList notes;   //!< overloaded stations with no neighbour, …
};

//! Errors name the station: non-positive capacity, NaN/negative load, mismatched lengths.
//! Cancelling returns ErrorCode::Cancelled.
Result<BalanceResult> balanceLoad(const std::vector<OperationsStation>& stations, const std::vector<std::vector<double>>& load,
                                  const BalanceOptions& options, Feedback* feedback = nullptr);

}  // namespace netspatial::core
