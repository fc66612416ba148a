/* cs-chart-axis.c: "nice" ticks for a numeric chart axis and their labels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cs-chart-axis.h"

/* Relative slack when dividing by the step, so that 0.0004 / 0.0001 =
 * 4.000000000000001 still counts as four steps. */
#define STEP_EPSILON 1e-9

/* 10^e without the rounding error of pow() for the exponents that matter. */
static double
power_of_ten (int e)
{
  double p = 1.0;
  int i;

  for (i = 0; i < ABS (e) && i < 400; i++)
    p *= 10.0;
  return e < 0 ? 1.0 / p : p;
}

/* k × m × 10^e, computed so that multiples of 0.1 come out as the double
 * nearest the decimal value (3 × 0.0001 would give 0.00030000000000000003). */
static double
nice_multiple (double k,
               double m,
               int    e)
{
  if (e >= 0)
    return k * m * power_of_ten (e);
  return (k * m) / power_of_ten (-e);
}

/* Smallest number of decimals that prints @x exactly (up to @max). */
static int
decimals_for (double x,
              int    max)
{
  int d;

  x = fabs (x);
  for (d = 0; d < max; d++)
    {
      double scaled = x * power_of_ten (d);

      if (fabs (scaled - round (scaled)) < 1e-6 * MAX (1.0, scaled))
        return d;
    }
  return max;
}

static void
choose_format (CsChartTicks *ticks)
{
  double amax = MAX (fabs (ticks->min), fabs (ticks->max));

  ticks->scale = 1.0;
  ticks->suffix = "";
  ticks->exponent = 0;

  if (amax >= 1e15)
    {
      ticks->exponent = (int) floor (log10 (amax));
    }
  else if (amax >= 1e4)
    {
      /* Suffixes start at 10 000: "2000" reads better than "2.0k". */
      if (amax >= 1e12)
        {
          ticks->scale = 1e12;
          /* Translators: suffix for trillions in chart axis labels ("3T"). */
          ticks->suffix = C_("number suffix", "T");
        }
      else if (amax >= 1e9)
        {
          ticks->scale = 1e9;
          /* Translators: suffix for billions in chart axis labels ("3B"). */
          ticks->suffix = C_("number suffix", "B");
        }
      else if (amax >= 1e6)
        {
          ticks->scale = 1e6;
          /* Translators: suffix for millions in chart axis labels ("3M"). */
          ticks->suffix = C_("number suffix", "M");
        }
      else
        {
          ticks->scale = 1e3;
          /* Translators: suffix for thousands in chart axis labels ("15k"). */
          ticks->suffix = C_("number suffix", "k");
        }
    }

  if (ticks->exponent == 0)
    {
      ticks->decimals = decimals_for (ticks->step / ticks->scale, 12);
      /* More than four decimals is hard to read: 0.00002 becomes 2e−5. */
      if (ticks->decimals > 4 && amax > 0.0)
        ticks->exponent = (int) floor (log10 (amax));
    }

  if (ticks->exponent != 0)
    {
      ticks->scale = 1.0;
      ticks->suffix = "";
      ticks->decimals = decimals_for (ticks->step / power_of_ten (ticks->exponent), 6);
    }
}

gboolean
cs_chart_ticks_compute (CsChartTicks *ticks,
                        double        lo,
                        double        hi,
                        guint         max_intervals)
{
  static const double multipliers[] = { 1.0, 2.0, 2.5, 5.0 };
  double range, amax, first = 0.0, last = 1.0, m = 1.0;
  int e, e0, found_e = 0;
  gboolean found = FALSE;
  guint i;

  g_return_val_if_fail (ticks != NULL, FALSE);

  memset (ticks, 0, sizeof *ticks);

  if (!isfinite (lo) || !isfinite (hi))
    return FALSE;

  if (lo > hi)
    {
      double tmp = lo;

      lo = hi;
      hi = tmp;
    }

  max_intervals = CLAMP (max_intervals, 1, CS_CHART_TICKS_MAX - 1);

  /* One value: show it against zero, like a bar would be. */
  if (lo == hi)
    {
      if (lo == 0.0)
        hi = 1.0;
      else if (lo > 0.0)
        lo = 0.0;
      else
        hi = 0.0;
    }

  /* A range far below the values' own precision (1e15 .. 1e15 + 1e-3)
   * cannot be divided into distinct doubles; widen it a little. */
  amax = MAX (fabs (lo), fabs (hi));
  range = hi - lo;
  if (range < amax * 1e-9)
    {
      double mid = lo / 2.0 + hi / 2.0;

      range = amax * 1e-9;
      lo = mid - range / 2.0;
      hi = mid + range / 2.0;
    }

  if (!isfinite (range) || range < 1e-300)
    return FALSE;

  e0 = (int) floor (log10 (range / max_intervals));
  for (e = e0; e <= e0 + 2 && !found; e++)
    {
      for (i = 0; i < G_N_ELEMENTS (multipliers); i++)
        {
          double step = nice_multiple (1.0, multipliers[i], e);

          first = floor (lo / step + STEP_EPSILON);
          last = ceil (hi / step - STEP_EPSILON);
          if (last <= first)
            last = first + 1.0;
          if (last - first <= max_intervals)
            {
              m = multipliers[i];
              found_e = e;
              found = TRUE;
              break;
            }
        }
    }

  if (!found)
    return FALSE;

  e = found_e;
  ticks->step = nice_multiple (1.0, m, e);
  ticks->n_ticks = (guint) (last - first) + 1;
  for (i = 0; i < ticks->n_ticks; i++)
    {
      double v = nice_multiple (first + i, m, e);

      /* No "−0". */
      if (fabs (v) < ticks->step * STEP_EPSILON)
        v = 0.0;
      ticks->ticks[i] = v;
    }
  ticks->min = ticks->ticks[0];
  ticks->max = ticks->ticks[ticks->n_ticks - 1];

  choose_format (ticks);

  return TRUE;
}

gboolean
cs_chart_log_ticks_compute (CsChartTicks *ticks,
                            double        lo,
                            double        hi,
                            guint         max_intervals)
{
  int e_lo, e_hi, decades, stride;

  g_return_val_if_fail (ticks != NULL, FALSE);

  memset (ticks, 0, sizeof *ticks);
  if (!isfinite (lo) || !isfinite (hi) || !(hi > 0.0))
    return FALSE;
  if (!(lo > 0.0) || lo > hi)
    lo = hi >= 10.0 ? 1.0 : hi / 100.0;

  max_intervals = CLAMP (max_intervals, 1, CS_CHART_TICKS_MAX - 1);
  e_lo = (int) floor (log10 (lo) + STEP_EPSILON);
  e_hi = (int) ceil (log10 (hi) - STEP_EPSILON);
  if (e_hi <= e_lo)
    e_hi = e_lo + 1;
  decades = e_hi - e_lo;

  ticks->log = TRUE;
  if (decades <= 2 && 3 * decades <= (int) max_intervals)
    {
      static const double mantissas[] = { 1.0, 2.0, 5.0 };

      for (int e = e_lo; e <= e_hi; e++)
        for (guint m = 0; m < G_N_ELEMENTS (mantissas) && (e < e_hi || m == 0); m++)
          ticks->ticks[ticks->n_ticks++] = nice_multiple (1.0, mantissas[m], e);
    }
  else
    {
      stride = (decades + (int) max_intervals - 1) / (int) max_intervals;
      e_hi = e_lo + ((decades + stride - 1) / stride) * stride;
      for (int e = e_lo; e <= e_hi && ticks->n_ticks < CS_CHART_TICKS_MAX; e += stride)
        ticks->ticks[ticks->n_ticks++] = power_of_ten (e);
    }
  ticks->min = ticks->ticks[0];
  ticks->max = ticks->ticks[ticks->n_ticks - 1];
  ticks->scale = 1.0;
  ticks->suffix = "";
  return TRUE;
}

/* "2.50" → "2.5", "5.0" → "5". */
static char *
trim_zeros (char *str)
{
  if (strchr (str, '.') != NULL)
    {
      gsize len = strlen (str);

      while (len > 0 && str[len - 1] == '0')
        str[--len] = '\0';
      if (len > 0 && str[len - 1] == '.')
        str[--len] = '\0';
    }
  return str;
}

/* Typographic minus, as GNOME's typography guidelines ask for. */
static char *
use_minus_sign (char *str)
{
  if (str[0] == '-')
    {
      char *with_minus = g_strconcat ("−", str + 1, NULL);

      g_free (str);
      return with_minus;
    }
  return str;
}

char *
cs_chart_ticks_format (const CsChartTicks *ticks,
                       double              value)
{
  g_return_val_if_fail (ticks != NULL, NULL);

  if (!isfinite (value))
    return g_strdup ("–");

  /* Each log tick is its own round number, decades apart. */
  if (ticks->log)
    {
      CsChartTicks single;

      if (!cs_chart_ticks_compute (&single, value, value, 1))
        return g_strdup ("–");
      single.step = value;
      choose_format (&single);
      single.decimals = decimals_for (value / single.scale, 12);
      if (single.exponent == 0)
        return trim_zeros (cs_chart_ticks_format (&single, value));
      return cs_chart_ticks_format (&single, value);
    }

  if (ticks->step > 0.0 && fabs (value) < ticks->step * STEP_EPSILON)
    return g_strdup ("0");

  if (ticks->exponent != 0)
    {
      g_autofree char *mantissa = NULL;
      g_autofree char *exponent = NULL;

      mantissa = use_minus_sign (trim_zeros (g_strdup_printf ("%.*f", ticks->decimals,
                                                              value / power_of_ten (ticks->exponent))));
      exponent = use_minus_sign (g_strdup_printf ("%d", ticks->exponent));
      return g_strconcat (mantissa, "e", exponent, NULL);
    }

  /* Plain numbers keep one precision so they line up in the right-aligned
   * column ("0.050", "0.075", "0.100"); suffixed ones are short anyway and
   * read better trimmed ("5k", "7.5k", "10k"). */
  if (ticks->suffix == NULL || ticks->suffix[0] == '\0')
    return use_minus_sign (g_strdup_printf ("%.*f", ticks->decimals, value));

  {
    g_autofree char *number = trim_zeros (g_strdup_printf ("%.*f", ticks->decimals,
                                                           value / ticks->scale));

    return use_minus_sign (g_strconcat (number, ticks->suffix, NULL));
  }
}

/* ------------------------------------------------------------------ */
/* Time                                                                */
/* ------------------------------------------------------------------ */

enum
{
  TIME_SECONDS,  /* fixed steps below a day, aligned to local midnight */
  TIME_DAYS,
  TIME_WEEKS,
  TIME_MONTHS,
  TIME_YEARS,
};

typedef struct
{
  int    unit;
  double step;      /* seconds, days, weeks, months or years */
  double approx;    /* seconds, to rule candidates out quickly */
} TimeStep;

#define DAY (24.0 * 3600.0)

static const TimeStep time_steps[] = {
  { TIME_SECONDS, 60, 60 },
  { TIME_SECONDS, 300, 300 },
  { TIME_SECONDS, 600, 600 },
  { TIME_SECONDS, 900, 900 },
  { TIME_SECONDS, 1800, 1800 },
  { TIME_SECONDS, 3600, 3600 },
  { TIME_SECONDS, 7200, 7200 },
  { TIME_SECONDS, 10800, 10800 },
  { TIME_SECONDS, 21600, 21600 },
  { TIME_SECONDS, 43200, 43200 },
  { TIME_DAYS, 1, DAY },
  { TIME_DAYS, 2, 2 * DAY },
  { TIME_WEEKS, 1, 7 * DAY },
  { TIME_WEEKS, 2, 14 * DAY },
  { TIME_MONTHS, 1, 30.44 * DAY },
  { TIME_MONTHS, 2, 60.88 * DAY },
  { TIME_MONTHS, 3, 91.3 * DAY },
  { TIME_MONTHS, 6, 182.6 * DAY },
  { TIME_YEARS, 1, 365.25 * DAY },
  { TIME_YEARS, 2, 2 * 365.25 * DAY },
  { TIME_YEARS, 5, 5 * 365.25 * DAY },
  { TIME_YEARS, 10, 10 * 365.25 * DAY },
  { TIME_YEARS, 20, 20 * 365.25 * DAY },
  { TIME_YEARS, 50, 50 * 365.25 * DAY },
  { TIME_YEARS, 100, 100 * 365.25 * DAY },
};

static GDateTime *
local_midnight (double t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local ((gint64) floor (t));

  if (dt == NULL)
    return NULL;
  return g_date_time_new_local (g_date_time_get_year (dt), g_date_time_get_month (dt),
                                g_date_time_get_day_of_month (dt), 0, 0, 0.0);
}

/* The first candidate tick at or before @lo for @step. */
static GDateTime *
first_tick (const TimeStep *step,
            double          lo)
{
  g_autoptr(GDateTime) day = local_midnight (lo);
  int year, month, k;

  if (day == NULL)
    return NULL;

  switch (step->unit)
    {
    case TIME_SECONDS:
    case TIME_DAYS:
      return g_steal_pointer (&day);

    case TIME_WEEKS:
      return g_date_time_add_days (day, 1 - g_date_time_get_day_of_week (day));

    case TIME_MONTHS:
      k = (int) step->step;
      month = g_date_time_get_month (day);
      month -= (month - 1) % k;
      return g_date_time_new_local (g_date_time_get_year (day), month, 1, 0, 0, 0.0);

    case TIME_YEARS:
      k = (int) step->step;
      year = g_date_time_get_year (day);
      year -= year % k;
      return g_date_time_new_local (MAX (year, 1), 1, 1, 0, 0, 0.0);

    default:
      g_assert_not_reached ();
    }
  return NULL;
}

static GDateTime *
time_add (const TimeStep *step,
          GDateTime      *dt,
          guint           k)
{
  switch (step->unit)
    {
    case TIME_SECONDS:
      return g_date_time_add_seconds (dt, step->step * k);
    case TIME_DAYS:
      return g_date_time_add_days (dt, (int) step->step * k);
    case TIME_WEEKS:
      return g_date_time_add_weeks (dt, (int) step->step * k);
    case TIME_MONTHS:
      return g_date_time_add_months (dt, (int) step->step * k);
    case TIME_YEARS:
      return g_date_time_add_years (dt, (int) step->step * k);
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

/* Fills @ticks with @step's ticks in [lo, hi]; FALSE when more than @max. */
static gboolean
time_ticks_fill (CsChartTimeTicks *ticks,
                 const TimeStep   *step,
                 double            lo,
                 double            hi,
                 guint             max)
{
  g_autoptr(GDateTime) start = first_tick (step, lo);
  guint k;

  ticks->n_ticks = 0;
  if (start == NULL)
    return FALSE;

  /* Adding k steps to the start (rather than one step at a time) keeps
   * month ends and DST changes from drifting the ticks. */
  for (k = 0; k < 100000; k++)
    {
      g_autoptr(GDateTime) dt = time_add (step, start, k);
      double t;

      if (dt == NULL)
        break;
      t = (double) g_date_time_to_unix (dt);
      if (t > hi + 0.5)
        break;
      if (t < lo - 0.5)
        continue;
      if (ticks->n_ticks >= max || ticks->n_ticks >= CS_CHART_TICKS_MAX)
        return FALSE;
      ticks->ticks[ticks->n_ticks++] = t;
    }
  return TRUE;
}

gboolean
cs_chart_time_ticks_compute (CsChartTimeTicks *ticks,
                             double            lo,
                             double            hi,
                             guint             max_intervals)
{
  guint i;

  g_return_val_if_fail (ticks != NULL, FALSE);

  memset (ticks, 0, sizeof *ticks);
  if (!isfinite (lo) || !isfinite (hi))
    return FALSE;
  if (lo > hi)
    {
      double t = lo;

      lo = hi;
      hi = t;
    }
  if (hi - lo < 60.0)
    {
      double mid = (lo + hi) / 2.0;

      lo = mid - 1800.0;
      hi = mid + 1800.0;
    }
  max_intervals = MAX (max_intervals, 1);
  ticks->min = lo;
  ticks->max = hi;

  for (i = 0; i < G_N_ELEMENTS (time_steps); i++)
    {
      const TimeStep *step = &time_steps[i];

      if ((hi - lo) / step->approx > max_intervals + 1.0)
        continue;
      if (time_ticks_fill (ticks, step, lo, hi, max_intervals + 1))
        {
          ticks->step = step->step;
          ticks->unit = step->unit;
          return TRUE;
        }
    }

  /* Centuries apart: no round ticks, just the ends. */
  ticks->n_ticks = 2;
  ticks->ticks[0] = lo;
  ticks->ticks[1] = hi;
  ticks->unit = TIME_YEARS;
  return TRUE;
}

char *
cs_chart_time_ticks_format (const CsChartTimeTicks *ticks,
                            guint                   index)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (ticks != NULL, NULL);
  g_return_val_if_fail (index < ticks->n_ticks, NULL);

  dt = g_date_time_new_from_unix_local ((gint64) floor (ticks->ticks[index]));
  if (dt == NULL)
    return g_strdup ("");

  if (g_date_time_get_hour (dt) != 0 || g_date_time_get_minute (dt) != 0)
    /* Translators: a time-axis tick inside a day, see g_date_time_format(). */
    /* xgettext:no-c-format */
    return g_date_time_format (dt, C_("chart time tick", "%H:%M"));
  if (g_date_time_get_day_of_month (dt) != 1)
    /* Translators: a time-axis tick at midnight, "Sep 3". */
    /* xgettext:no-c-format */
    return g_date_time_format (dt, C_("chart time tick", "%b %-d"));
  if (g_date_time_get_month (dt) != 1)
    /* Translators: a time-axis tick at the start of a month, "Sep". */
    /* xgettext:no-c-format */
    return g_date_time_format (dt, C_("chart time tick", "%b"));
  return g_date_time_format (dt, "%Y");
}
