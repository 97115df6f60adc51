#pragma once

// A raster that a project file names (metadata imagery.external / population.external) is opened
// only where the project's author could put a file for its reader: never through GDAL's network or
// special file systems (/vsicurl/, /vsis3/, a URL, a driver connection string such as WMS:), never
// a device, FIFO or /proc entry, never above the project's folder by a relative path, and never a
// VRT that names any of those. A project file is data from someone else; opening it must not read
// /etc/shadow or send an HTTP request (issue 20).

#include "core/util/result.h"

#include <QString>

namespace netspatial::core {

//! `value` as written in a project in `projectFolder`, resolved to an absolute path, or why it is
//! refused (the message names `value`). A relative path is relative to the project's folder and
//! must stay inside it; an absolute path must be a regular file. A .vrt is read and every source it
//! names is checked the same way, relative to the VRT. A file that does not exist (yet, or any
//! more) is ErrorCode::FileNotFound with the resolved path in the error's paths; every other
//! refusal is ErrorCode::InvalidValue.
Result<QString> resolveReferencedRaster(const QString& projectFolder, const QString& value);

}  // namespace netspatial::core
