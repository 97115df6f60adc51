#include "app/common/modelbridge.h"

namespace netspatial::app {

core::ErrorCode toCoreErrorCode(models::ModelErrorCode code) {
  using models::ModelErrorCode;
  switch (code) {
    case ModelErrorCode::InvalidArgument:
    case ModelErrorCode::NotFitted:
      return core::ErrorCode::InvalidArgument;
    case ModelErrorCode::CorruptCheckpoint:
      return core::ErrorCode::CorruptData;
    case ModelErrorCode::UnsupportedFormat:
      return core::ErrorCode::UnsupportedFormat;
    case ModelErrorCode::Cancelled:
      return core::ErrorCode::Cancelled;
    case ModelErrorCode::Device:
    case ModelErrorCode::Internal:
      return core::ErrorCode::Internal;
  }
  return core::ErrorCode::Internal;
}

core::Error toCoreError(const models::ModelError& error, const QString& what, const core::ErrorContext& context) {
  const QString message = QString::fromStdString(error.message);
  return core::Error(toCoreErrorCode(error.code), what.isEmpty() ? message : QStringLiteral("%1: %2").arg(what, message), context);
}

models::ProgressFn modelProgress(core::Feedback* feedback) {
  if (!feedback) return {};
  return [feedback](double fraction, const char* step) {
    feedback->setProgress(fraction, step && *step ? QString::fromUtf8(step) : QString());
    return !feedback->isCancelled();
  };
}

}  // namespace netspatial::app
