#pragma once

// The one table of NetSpatialConfig's keys: the checkpoint reader and writer (models/netspatial)
// and the TOML recipe reader (app/common/trainingrecipe.cpp) both walk it, so a field added to
// NetSpatialConfig needs one line here to be stored, loaded, overridable in a recipe, shown in the
// model card and checked on --resume. Pure C++.

#include "netspatial/models/netspatial.h"

#include <cstdint>
#include <variant>
#include <vector>

namespace netspatial::models {

//! The field a key names, with its type.
using NetSpatialConfigMember = std::variant<int NetSpatialConfig::*, bool NetSpatialConfig::*, float NetSpatialConfig::*,
                                            double NetSpatialConfig::*, std::uint64_t NetSpatialConfig::*>;

struct NetSpatialConfigKey {
  const char* key;  //!< "embed_dim": the checkpoint stores it as "config.<key>", a recipe as <key>
  NetSpatialConfigMember member;
  double minimum = 0.0;    //!< numbers only: the smallest value a recipe may give
  bool exclusive = false;  //!< the minimum itself is not allowed
  //! Keys added after the first checkpoints: the value (as checkpoint text) that trains the older
  //! model. A checkpoint lacking the key loads with it, and the key is written only where it
  //! differs, so a recipe without the newer variants still writes byte-identical weights. nullptr:
  //! every checkpoint has the key.
  const char* olderCheckpoints = nullptr;
  //! The key shapes the network or decides what its weights mean (widths, the modalities, the
  //! heads a variant adds): fine-tuning (NetSpatialGenerator::prepareFineTuning) keeps it as the
  //! initial weights have it, because a tensor of another shape or meaning cannot continue.
  bool architecture = false;
};

//! Every key of NetSpatialConfig, in the order of its members.
const std::vector<NetSpatialConfigKey>& netSpatialConfigKeys();

}  // namespace netspatial::models
