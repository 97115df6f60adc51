#pragma once

// <qcustomplot.h> through the project's QT_NO_KEYWORDS (Torch headers declare members called
// `slots` and `signals`, so the keywords are off everywhere): QCustomPlot's header still spells
// `signals`, `slots`, `emit` and `foreach`, so they are defined for that one header and nothing
// after it. Include this instead of <qcustomplot.h>.

#ifndef QCUSTOMPLOT_H
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
#endif
