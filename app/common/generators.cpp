#include "app/common/generators.h"

#include "app/common/modelbridge.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <algorithm>

// Q_INIT_RESOURCE declares a function of the global namespace, so it cannot be used inside ours.
// The checkpoints live in a static library (netspatial_weights): without this reference the linker
// would drop their registration object and :/models/ would be empty.
static void registerEmbeddedWeights() {
#ifdef NETSPATIAL_EMBEDDED_WEIGHTS
  Q_INIT_RESOURCE(models);
#endif
}

namespace netspatial::app {

using core::Error;
using core::ErrorCode;

namespace {

#ifdef NETSPATIAL_EMBEDDED_WEIGHTS
const QString kWhyNoWeights;
#else
const QString kWhyNoWeights = QStringLiteral(" (configured with NETSPATIAL_EMBED_WEIGHTS=OFF)");
#endif

void ensureRegistered() {
  static const bool registered = (registerEmbeddedWeights(), true);  // thread-safe, once
  (void)registered;
}

QString knownIds() {
  QStringList ids;
  for (const std::string& id : generatorIds()) ids << QString::fromStdString(id);
  return ids.join(QStringLiteral(", "));
}

// Errors name the file in their context, as core's do: Error::toString() prints "file: message".
core::Result<QByteArray> readAll(const QString& path, const QString& what) {
  QFile f(path);
  if (!f.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file (%1)").arg(what), {path});
  if (!f.open(QIODevice::ReadOnly))
    return Error(ErrorCode::Io, QStringLiteral("cannot read the %1: %2").arg(what, f.errorString()), {path});
  QByteArray bytes = f.readAll();
  if (f.error() != QFileDevice::NoError)
    return Error(ErrorCode::Io, QStringLiteral("cannot read the %1: %2").arg(what, f.errorString()), {path});
  return bytes;
}

}  // namespace

const std::vector<std::string>& netSpatialModelIds() {
  static const std::vector<std::string> ids{kNetSpatialId, "netspatial_milan"};
  return ids;
}

bool isNetSpatialModel(const std::string& id) {
  const auto& ids = netSpatialModelIds();
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool isPretrainedModel(const std::string& id) { return isNetSpatialModel(id) || id == kAdaptiveId; }

std::vector<std::string> generatorIds() {
  // models offers "netspatial" untrained (fit() would train it from scratch); the app offers the
  // NetSpatial models only with weights to load, and never trains one inside an evaluation or a
  // generation job.
  std::vector<std::string> ids = models::generatorIds();
  ids.erase(std::remove(ids.begin(), ids.end(), std::string(kNetSpatialId)), ids.end());
  ids.erase(std::remove(ids.begin(), ids.end(), std::string(kAdaptiveId)), ids.end());
  for (const std::string& id : netSpatialModelIds())
    if (hasEmbeddedWeights(id)) ids.push_back(id);
  if (hasEmbeddedWeights(kAdaptiveId)) ids.push_back(kAdaptiveId);
  return ids;
}

QString embeddedWeightsPath(const std::string& id) { return QStringLiteral(":/models/%1.nsm").arg(QString::fromStdString(id)); }

bool hasEmbeddedWeights(const std::string& id) {
  ensureRegistered();
  return QFile::exists(embeddedWeightsPath(id));
}

core::Result<std::vector<std::uint8_t>> embeddedWeights(const std::string& id) {
  if (!hasEmbeddedWeights(id))
    return Error(ErrorCode::FileNotFound,
                 QStringLiteral("this build embeds no weights for '%1'%2").arg(QString::fromStdString(id), kWhyNoWeights));
  auto bytes = readAll(embeddedWeightsPath(id), QStringLiteral("embedded checkpoint"));
  if (!bytes) return bytes.error();
  return std::vector<std::uint8_t>(bytes->begin(), bytes->end());
}

core::Result<QString> embeddedModelCard(const std::string& id) {
  ensureRegistered();
  auto bytes = readAll(QStringLiteral(":/models/%1.md").arg(QString::fromStdString(id)), QStringLiteral("model card"));
  if (!bytes) return bytes.error();
  return QString::fromUtf8(*bytes);
}

core::Result<std::unique_ptr<models::NetSpatialGenerator>> loadNetSpatial(const QString& path, const models::EngineOptions& options) {
  ensureRegistered();
  auto bytes = readAll(path, QStringLiteral("NetSpatial checkpoint"));
  if (!bytes) return bytes.error();
  if (bytes->isEmpty()) return Error(ErrorCode::CorruptData, QStringLiteral("the NetSpatial checkpoint is empty"), {path});
  const std::vector<std::uint8_t> raw(bytes->begin(), bytes->end());
  auto loaded = models::NetSpatialGenerator::load(raw, options);
  if (!loaded) return toCoreError(loaded.error(), QStringLiteral("not a usable NetSpatial checkpoint"), {path});
  return std::move(*loaded);
}

core::Result<std::unique_ptr<models::AdaptiveGenerator>> loadAdaptive(const QString& path) {
  ensureRegistered();
  auto bytes = readAll(path, QStringLiteral("ADAPTIVE checkpoint"));
  if (!bytes) return bytes.error();
  if (bytes->isEmpty()) return Error(ErrorCode::CorruptData, QStringLiteral("the ADAPTIVE checkpoint is empty"), {path});
  auto loaded = models::AdaptiveGenerator::load(std::vector<std::uint8_t>(bytes->begin(), bytes->end()));
  if (!loaded) return toCoreError(loaded.error(), QStringLiteral("not a usable ADAPTIVE checkpoint"), {path});
  return std::move(*loaded);
}

core::Result<std::unique_ptr<models::Generator>> createGenerator(const std::string& id, const QString& weightsPath,
                                                                 const models::EngineOptions& options) {
  if (id == kAdaptiveId) {
    if (weightsPath.isEmpty() && !hasEmbeddedWeights(id))
      return Error(ErrorCode::FileNotFound,
                   QStringLiteral("this build embeds no weights for 'adaptive'%1: give a checkpoint file").arg(kWhyNoWeights));
    auto loaded = loadAdaptive(weightsPath.isEmpty() ? embeddedWeightsPath(id) : weightsPath);
    if (!loaded) return loaded.error();
    return std::unique_ptr<models::Generator>(std::move(*loaded));
  }
  if (isNetSpatialModel(id)) {
    if (weightsPath.isEmpty() && !hasEmbeddedWeights(id))
      return Error(
          ErrorCode::FileNotFound,
          QStringLiteral("this build embeds no weights for '%1'%2: give a checkpoint file").arg(QString::fromStdString(id), kWhyNoWeights));
    auto loaded = loadNetSpatial(weightsPath.isEmpty() ? embeddedWeightsPath(id) : weightsPath, options);
    if (!loaded) return loaded.error();
    return std::unique_ptr<models::Generator>(std::move(*loaded));
  }
  std::unique_ptr<models::Generator> generator = models::createGenerator(id);
  if (!generator)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("unknown generator '%1' (known: %2)").arg(QString::fromStdString(id), knownIds()));
  // The references are fitted per run from the training sites: a weights file would be ignored.
  if (!weightsPath.isEmpty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("'%1' is fitted on each run's training sites and takes no weights file (%2)")
                                                 .arg(QString::fromStdString(id), weightsPath));
  return generator;
}

}  // namespace netspatial::app
