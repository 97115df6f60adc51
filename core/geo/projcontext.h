#pragma once

// Internal to core/geo: the calling thread's PROJ context and cached transformation pipelines.

#include <proj.h>

#include <QString>

namespace netspatial::core::detail {

//! This thread's PJ_CONTEXT, created on first use and destroyed when the thread ends.
PJ_CONTEXT* projContext();

//! This thread's cached, axis-normalised operation from `source` to `target` (nullptr on failure,
//! with the PROJ message in `error`). Owned by the cache.
PJ* cachedOperation(const QString& source, const QString& target, QString* error);

//! The last PROJ error of this thread's context as text.
QString projErrorText();

}  // namespace netspatial::core::detail
