#pragma once

#include <QLoggingCategory>

// Logging categories of the ui module; enable with QT_LOGGING_RULES="netspatial.ui.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcUi)
Q_DECLARE_LOGGING_CATEGORY(lcMap)
