#include "ui/util/logging.h"

Q_LOGGING_CATEGORY(lcUi, "netspatial.ui", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMap, "netspatial.ui.map", QtInfoMsg)
