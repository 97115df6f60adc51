#pragma once

// The generators the app offers (DESIGN.md §6). The references of netspatial_models are fitted per
// run; the neural models ship pre-trained, their checkpoints embedded in the binary through Qt's
// resource system (netspatial_weights, resources/models/models.qrc), so a fresh install generates
// without training. netspatial_models stays Qt-free: it only ever sees the checkpoint's bytes.

#include "core/util/result.h"
#include "netspatial/models/adaptive.h"
#include "netspatial/models/generator.h"
#include "netspatial/models/netspatial.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace netspatial::app {

//! The id of the NetSpatial generator (paper 003), pre-trained and embedded.
inline constexpr const char* kNetSpatialId = "netspatial";

//! The NetSpatial models a build may embed (resources/models/<id>.nsm): "netspatial", trained on
//! the synthetic cities, and "netspatial_milan", trained on Milan's observed traffic (README).
const std::vector<std::string>& netSpatialModelIds();
//! Whether `id` names one of those (loaded from weights, never fitted by a run).
bool isNetSpatialModel(const std::string& id);

//! The id of ADAPTIVE (paper 000), pre-trained on the synthetic cities and embedded (issue 22).
inline constexpr const char* kAdaptiveId = "adaptive";
//! Whether `id` names a model loaded from weights (NetSpatial's or ADAPTIVE), never fitted by a run.
bool isPretrainedModel(const std::string& id);

//! Ids of every generator this build offers: the references first, then the pre-trained models
//! whose weights are embedded ("netspatial", "netspatial_milan", "adaptive").
std::vector<std::string> generatorIds();

//! Whether this build embeds weights for `id` (false for the references, and for every model in a
//! build configured with NETSPATIAL_EMBED_WEIGHTS=OFF).
bool hasEmbeddedWeights(const std::string& id);

//! The resource path of a model's embedded checkpoint (":/models/<id>.nsm").
QString embeddedWeightsPath(const std::string& id);

//! The embedded checkpoint of `id`: exactly the bytes of resources/models/<id>.nsm.
core::Result<std::vector<std::uint8_t>> embeddedWeights(const std::string& id);

//! The embedded model card (Markdown, resources/models/<id>.md).
core::Result<QString> embeddedModelCard(const std::string& id);

//! Reads and loads an ADAPTIVE checkpoint from a file or a resource path; errors name it.
core::Result<std::unique_ptr<models::AdaptiveGenerator>> loadAdaptive(const QString& path);

//! Reads and loads a NetSpatial checkpoint from a file or a resource path (":/models/…"); a
//! missing, unreadable, truncated or corrupted file is an error that names it.
core::Result<std::unique_ptr<models::NetSpatialGenerator>> loadNetSpatial(const QString& path, const models::EngineOptions& options = {});

//! A generator ready to use. The NetSpatial models come back fitted: loaded from the embedded
//! checkpoint, or from `weightsPath` when given (ablations, retrained weights). The references come back unfitted
//! (fit them on the run's training sites). An unknown id is an error listing the known ones.
core::Result<std::unique_ptr<models::Generator>> createGenerator(const std::string& id, const QString& weightsPath = {},
                                                                 const models::EngineOptions& options = {});

}  // namespace netspatial::app
