#include "app/common/logging.h"

Q_LOGGING_CATEGORY(lcApp, "netspatial.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcJobs, "netspatial.app.jobs", QtInfoMsg)
