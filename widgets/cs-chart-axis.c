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
