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
  gboolean    log;      /* from cs_chart_log_ticks_compute() */
} CsChartTicks;

/* Chooses the smallest step of 1, 2, 2.5 or 5 × 10^n whose multiples cover
 * [@lo, @hi] in at most @max_intervals intervals. A zero range grows to
 * include 0 (0..0 becomes 0..1). FALSE only for non-finite input. */
gboolean cs_chart_ticks_compute (CsChartTicks       *ticks,
                                 double              lo,
                                 double              hi,
                                 guint               max_intervals);
/* Ticks for a logarithmic axis over [@lo, @hi]: powers of ten (every
 * second or third one when there are many decades), with 2 and 5 between
 * them when the range spans two decades or less. Logarithms need positive
 * values: a @lo at or below zero (counts that start at 0) becomes 1 when
 * @hi ≥ 10, else @hi / 100, and such values sit on the bottom edge. FALSE
 * when @hi is not positive or not finite. */
gboolean cs_chart_log_ticks_compute (CsChartTicks   *ticks,
                                     double          lo,
                                     double          hi,
                                     guint           max_intervals);
/* Compact label for @value, one of @ticks' ticks: "0", "0.05", "−2.5",
 * "15k", "3M", "2.5e−6". Suffix or exponent is shared by the whole axis.
 * Plain numbers share one precision ("0.050", "0.075"); suffixed and
 * scientific ones drop trailing zeros ("5k", "7.5k"). Log ticks each get
 * their own suffix ("1", "100", "10k", "1M"). */
char    *cs_chart_ticks_format  (const CsChartTicks *ticks,
                                 double              value);

/* Ticks on a time axis (Unix seconds, shown in local time). */
typedef struct
{
  double      min;      /* where the axis starts: the data's first time */
  double      max;      /* where it ends: the data's last time */
  guint       n_ticks;
  double      ticks[CS_CHART_TICKS_MAX];

  /*< private >*/
  double      step;     /* seconds; for months and years, their count */
  int         unit;
} CsChartTimeTicks;

/* Ticks at round times inside [@lo, @hi]: minutes, hours (aligned to
 * local midnight), days, Mondays, month starts or years, at most
 * @max_intervals + 1 of them. Less than a minute of range (one point) is
 * widened to an hour around it. FALSE only for non-finite input. */
gboolean cs_chart_time_ticks_compute (CsChartTimeTicks  *ticks,
                                      double             lo,
                                      double             hi,
                                      guint              max_intervals);
/* Compact label of tick @index, named by the coarsest boundary it is on:
 * "2027" (a new year), "Feb" (a new month), "Sep 3" (midnight), "14:00". */
char    *cs_chart_time_ticks_format  (const CsChartTimeTicks *ticks,
                                      guint                   index);

G_END_DECLS
