#pragma once

#include <QLoggingCategory>

// Logging categories of the executables; enable with QT_LOGGING_RULES="netspatial.app.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcApp)
Q_DECLARE_LOGGING_CATEGORY(lcJobs)
