/* cs-chart-axis.h: "nice" ticks for a numeric chart axis and their labels.
 *
 * Plain functions over a plain struct, so the tick choice can be tested on
 * its own and reused by every layer type (DESIGN §3 "Charts").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CS_CHART_TICKS_MAX 32

typedef struct
{
  double      min;      /* first tick: where the axis starts */
  double      max;      /* last tick: where the axis ends */
  double      step;     /* 1, 2, 2.5 or 5 × 10^n */
  guint       n_ticks;
  double      ticks[CS_CHART_TICKS_MAX];

  /*< private >*/
  double      scale;    /* values are divided by this before printing */
  const char *suffix;   /* "k", "M", "B", "T" or "" */
  int         decimals;
  int         exponent; /* scientific notation when != 0 */
} CsChartTicks;

/* Chooses the smallest step of 1, 2, 2.5 or 5 × 10^n whose multiples cover
 * [@lo, @hi] in at most @max_intervals intervals. A zero range grows to
 * include 0 (0..0 becomes 0..1). FALSE only for non-finite input. */
gboolean cs_chart_ticks_compute (CsChartTicks       *ticks,
                                 double              lo,
                                 double              hi,
                                 guint               max_intervals);
/* Compact label for @value, one of @ticks' ticks: "0", "0.05", "−2.5",
 * "15k", "3M", "2.5e−6". Suffix or exponent is shared by the whole axis.
 * Plain numbers share one precision ("0.050", "0.075"); suffixed and
 * scientific ones drop trailing zeros ("5k", "7.5k"). */
char    *cs_chart_ticks_format  (const CsChartTicks *ticks,
                                 double              value);

G_END_DECLS
