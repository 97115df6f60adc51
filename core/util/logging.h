#pragma once

#include <QLoggingCategory>

// One logging category per area of core; enable with QT_LOGGING_RULES="netspatial.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcCore)
Q_DECLARE_LOGGING_CATEGORY(lcGeo)
Q_DECLARE_LOGGING_CATEGORY(lcSim)
Q_DECLARE_LOGGING_CATEGORY(lcTraffic)
Q_DECLARE_LOGGING_CATEGORY(lcPlanning)
