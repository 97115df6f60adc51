#include "netspatial/models/generator.h"

namespace netspatial::models {

const char* modelErrorCodeName(ModelErrorCode code) {
  switch (code) {
    case ModelErrorCode::InvalidArgument:
      return "invalid_argument";
    case ModelErrorCode::NotFitted:
      return "not_fitted";
    case ModelErrorCode::CorruptCheckpoint:
      return "corrupt_checkpoint";
    case ModelErrorCode::UnsupportedFormat:
      return "unsupported_format";
    case ModelErrorCode::Cancelled:
      return "cancelled";
    case ModelErrorCode::Device:
      return "device";
    case ModelErrorCode::Internal:
      return "internal";
  }
  return "internal";
}

}  // namespace netspatial::models
