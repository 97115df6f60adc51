#pragma once

#include "core/util/result.h"

#include <QString>

namespace netspatial::core {

//! The SHA-256 of a file's bytes, lowercase hex: what run records keep of their source files.
Result<QString> fileSha256(const QString& path);

}  // namespace netspatial::core
