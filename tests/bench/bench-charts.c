/* bench-charts: redraw time of the largest charts (a program, not a test).
 *
 * Issue #5 asks that a 100,000-point line and a 168-cell heatmap redraw
 * within a frame. Each chart is drawn into an 800×400 ARGB image surface,
 * as CsChartView does through gtk_snapshot_append_cairo() with the cairo
 * renderer, many times; the table gives the time per redraw against the
 * 16.7 ms of a 60 Hz frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cs-chart.h"
#include "cs-heatmap-layer.h"
#include "cs-line-layer.h"

#define REDRAWS 40

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
measure (const char *name,
         CsChart    *chart)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 400);
  double times[REDRAWS];

  for (guint i = 0; i < REDRAWS; i++)
    {
      cairo_t *cr = cairo_create (surface);
      gint64 t0 = g_get_monotonic_time ();

      cs_chart_render (chart, cr, 800, 400);
      cairo_surface_flush (surface);
      times[i] = (g_get_monotonic_time () - t0) / 1000.0;
      cairo_destroy (cr);
    }
  cairo_surface_destroy (surface);
  qsort (times, REDRAWS, sizeof times[0], compare_doubles);
  printf ("%-36s %8.2f ms %8.2f ms %8.2f ms %9.2f\n", name, times[0], times[REDRAWS / 2],
          times[REDRAWS - 1], times[REDRAWS / 2] / (1000.0 / 60.0));
}

int
main (void)
{
  g_autoptr(CsChart) line_chart = cs_chart_new ();
  g_autoptr(CsLineLayer) line = cs_line_layer_new ();
  g_autoptr(CsChart) heat_chart = cs_chart_new ();
  g_autoptr(CsHeatmapLayer) heat = cs_heatmap_layer_new ();
  static const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  const char *hours[24];
  g_autofree char *hour_text = g_malloc (24 * 3);
  g_autofree double *x = g_new (double, 100000);
  g_autofree double *y = g_new (double, 100000);
  double cells[7 * 24];
  GRand *rand = g_rand_new_with_seed (7);

  /* A noisy random walk: every pixel column holds ~125 points. */
  for (guint i = 0; i < 100000; i++)
    {
      x[i] = i;
      y[i] = (i > 0 ? y[i - 1] : 0) + g_rand_double_range (rand, -1, 1);
    }
  cs_chart_set_title (line_chart, "Views per minute");
  cs_line_layer_add_series (line, "Views", x, y, 100000);
  cs_chart_add_layer (line_chart, CS_CHART_LAYER (line));

  for (guint h = 0; h < 24; h++)
    {
      g_snprintf (hour_text + 3 * h, 3, "%u", h);
      hours[h] = hour_text + 3 * h;
    }
  for (guint c = 0; c < 7 * 24; c++)
    cells[c] = g_rand_double (rand);
  cs_chart_set_title (heat_chart, "Best time to post");
  cs_heatmap_layer_set_data (heat, days, 7, hours, 24, cells);
  cs_heatmap_layer_set_show_values (heat, TRUE);
  cs_chart_add_layer (heat_chart, CS_CHART_LAYER (heat));
  g_rand_free (rand);

  printf ("%-36s %11s %11s %11s %9s\n", "chart (800×400, cairo image surface)", "min", "median", "max", "frames");
  measure ("line, 100,000 points", line_chart);
  measure ("heatmap, 7 × 24 cells with values", heat_chart);
  printf ("(%d redraws each; \"frames\" = median ÷ 16.7 ms)\n", REDRAWS);
  return 0;
}
