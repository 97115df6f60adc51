#pragma once

// The seam between core's job plumbing and the models API: the one place a models::ModelError
// becomes a core::Error and a core::Feedback becomes a models::ProgressFn (DESIGN.md §1, §11).

#include "core/util/error.h"
#include "core/util/feedback.h"
#include "netspatial/models/generator.h"

#include <QString>

namespace netspatial::app {

//! core's code for a model error: Cancelled → Cancelled, CorruptCheckpoint → CorruptData,
//! UnsupportedFormat → UnsupportedFormat, InvalidArgument and NotFitted → InvalidArgument,
//! Device and Internal → Internal.
core::ErrorCode toCoreErrorCode(models::ModelErrorCode code);

//! The model's error as core's: its code mapped, its message prefixed with `what` ("what: message")
//! when given, and `context` (e.g. the weights file) attached.
core::Error toCoreError(const models::ModelError& error, const QString& what = {}, const core::ErrorContext& context = {});

//! A ProgressFn that reports to `feedback` and cancels the model call when the job is cancelled
//! (checked at every report, so the model stops within one batch). Empty for a null feedback.
//! The step names of a model call are passed on; null ones keep the job's current step.
models::ProgressFn modelProgress(core::Feedback* feedback);

}  // namespace netspatial::app
