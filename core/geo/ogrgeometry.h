#pragma once

// Internal to core: conversion between core's Geometry and OGR geometries, for every GDAL vector
// reader and writer (scenario store, exports).

#include "core/geo/geometry.h"

#include <ogr_api.h>

#include <optional>

namespace netspatial::core::detail {

//! A new OGR geometry (the caller owns it) with the same coordinates.
OGRGeometryH toOgr(const Geometry& geometry);
//! Back to Geometry; nullopt for a null handle or a type core does not model (curves, collections).
std::optional<Geometry> fromOgr(OGRGeometryH handle);

}  // namespace netspatial::core::detail
