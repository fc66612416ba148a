/* chart-gallery.c: renders every sample chart in light and dark at 360 and
 * 800 px wide into a folder, to look at (docs/charts/ holds a copy).
 *
 *   chart-gallery [OUTPUT-DIR]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "chart-samples.h"

static void
style_for (CsChartStyle *style,
           gboolean      dark)
{
  cs_chart_style_init_default (style, dark);
  if (dark)
    style->background = (CsColor) { 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0, 1.0 };
  else
    style->background = (CsColor) { 1.0, 1.0, 1.0, 1.0 };
  style->font_family = "Cantarell";
  style->font_size = 10.0;
}

static gboolean
render (CsChart    *chart,
        const char *dir,
        const char *name,
        int         width,
        gboolean    dark)
{
  int height = width <= 400 ? 260 : 460;
  g_autofree char *file = g_strdup_printf ("%s-%s-%d.png", name, dark ? "dark" : "light", width);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  CsChartStyle style;
  CsChartRenderOptions options = { 0 };
  cairo_status_t status;

  style_for (&style, dark);
  options.style = &style;
  cs_chart_render_full (chart, cr, width, height, &options, NULL);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_printerr ("%s: %s\n", path, cairo_status_to_string (status));
      return FALSE;
    }
  g_print ("%s\n", path);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  const char *dir = argc > 1 ? argv[1] : "chart-gallery";
  const char * const *names = chart_samples_list ();
  gboolean ok = TRUE;
  guint i;

  setlocale (LC_ALL, "");
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_printerr ("Cannot create %s\n", dir);
      return 1;
    }

  for (i = 0; names[i] != NULL; i++)
    {
      g_autoptr(CsChart) chart = chart_sample_new (names[i]);

      ok &= render (chart, dir, names[i], 360, FALSE);
      ok &= render (chart, dir, names[i], 360, TRUE);
      ok &= render (chart, dir, names[i], 800, FALSE);
      ok &= render (chart, dir, names[i], 800, TRUE);
    }
  return ok ? 0 : 1;
}
