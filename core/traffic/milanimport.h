#pragma once

// Importers for the Telecom Italia Big Data Challenge, Milan (Barlacchi et al., Sci. Data 2015):
// the original 10-minute records and the hourly matrix form (one row per grid cell).

#include "core/traffic/hourlyseries.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <map>

namespace netspatial::core {

//! The hourly matrix: `traffic_matrixTS.csv` (one row per cell, one column per hour from
//! 2013-11-01 00:00 Europe/Rome) with `traffic_ID_labels.csv` (the cellId of each row, as float text).
struct MilanMatrix {
  std::map<int, HourlySeries> seriesByCell;  //!< every row kept; short rows padded with NaN
  std::size_t hours = 0;                     //!< the longest row: the common axis
  std::vector<int> completeCells;            //!< cells with a value for every hour
  std::map<int, qint64> rowByCell;           //!< each cell's 1-based row in the labels (and the matrix)
  QStringList report;                        //!< one line per row that is not complete ("cell 10000: 264 of 1488 hours")
};

//! Reads the matrix. Rows shorter than the longest are truncated series: kept, their missing hours
//! NaN, and listed in `report` — never silently zero-filled. Non-numeric or negative values, a
//! label count that differs from the row count, bad or duplicate labels are errors naming the file,
//! row and field ("hour N", 1-based).
Result<MilanMatrix> importMilanMatrix(const QString& matrixPath, const QString& labelsPath, Feedback* feedback = nullptr);

//! Channels of the original 10-minute records.
enum class MilanChannel { SmsIn, SmsOut, CallIn, CallOut, Internet };

//! Reads original records (tab-separated: cellId, epoch ms, country code, smsin, smsout, callin,
//! callout, internet; empty or absent trailing fields are zero). Per cell, the channel is summed
//! over country codes and the six 10-minute intervals of each hour (Europe/Rome local rhythm, UTC
//! axis from the first record's hour). An hour with no record at all is missing (NaN).
Result<std::map<int, HourlySeries>> importMilanRecords(const QString& path, MilanChannel channel = MilanChannel::Internet);

}  // namespace netspatial::core
