#include "core/util/logging.h"

Q_LOGGING_CATEGORY(lcCore, "netspatial.core", QtInfoMsg)
Q_LOGGING_CATEGORY(lcGeo, "netspatial.core.geo", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSim, "netspatial.core.sim", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTraffic, "netspatial.core.traffic", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPlanning, "netspatial.core.planning", QtInfoMsg)
