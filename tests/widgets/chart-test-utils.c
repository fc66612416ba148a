/* chart-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "chart-test-utils.h"

void
set_test_style (CsChart  *chart,
                gboolean  dark)
{
  CsChartStyle style;

  cs_chart_style_init_default (&style, dark);
  if (dark)
    style.background = (CsColor) { 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0, 1.0 };
  else
    style.background = (CsColor) { 1.0, 1.0, 1.0, 1.0 };
  style.font_family = REFERENCE_FONT;
  style.font_size = 10.0;
  cs_chart_set_style (chart, &style);
}

gboolean
font_available (const char *family)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoFontFamily **families = NULL;
  gboolean found = FALSE;
  int i, n = 0;

  pango_font_map_list_families (map, &families, &n);
  for (i = 0; i < n && !found; i++)
    found = g_ascii_strcasecmp (pango_font_family_get_name (families[i]), family) == 0;
  g_free (families);
  return found;
}

/* Output must not depend on the machine's font settings. */
cairo_surface_t *
render_to_surface (CsChart *chart,
                   int      width,
                   int      height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_font_options_t *options = cairo_font_options_create ();
  cairo_t *cr = cairo_create (surface);

  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_subpixel_order (options, CAIRO_SUBPIXEL_ORDER_DEFAULT);
  cairo_set_font_options (cr, options);
  cairo_font_options_destroy (options);

  cs_chart_render (chart, cr, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* A copy in ARGB32, whatever format a PNG loaded as. */
cairo_surface_t *
to_argb32 (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  cairo_surface_t *copy = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (copy);

  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (copy);
  return copy;
}

guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);
}

int
channel_difference (guint32 a,
                    guint32 b,
                    int     shift)
{
  return ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff));
}

int
max_channel_difference (guint32 a,
                        guint32 b)
{
  int d = 0, shift;

  for (shift = 0; shift < 32; shift += 8)
    d = MAX (d, channel_difference (a, b, shift));
  return d;
}

/* Share of pixels that clearly differ from the top-left one. */
double
non_background_share (cairo_surface_t *surface,
                      int              x0,
                      int              y0,
                      int              x1,
                      int              y1)
{
  guint32 background = pixel_at (surface, 0, 0);
  guint64 differing = 0, total = 0;
  int x, y;

  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++)
      {
        total++;
        if (max_channel_difference (pixel_at (surface, x, y), background) > 64)
          differing++;
      }
  return total > 0 ? (double) differing / total : 0.0;
}

void
compare_with_reference (cairo_surface_t *actual,
                        const char      *name)
{
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (CS_REFERENCE_DIR, file, NULL);
  cairo_surface_t *loaded, *expected;
  int width, height, x, y;
  guint64 sum = 0, bad = 0, n_pixels;
  double mean, bad_share;

  if (g_getenv ("CS_UPDATE_REFERENCES") != NULL)
    {
      g_assert_cmpint (g_mkdir_with_parents (CS_REFERENCE_DIR, 0755), ==, 0);
      g_assert_cmpint (cairo_surface_write_to_png (actual, path), ==, CAIRO_STATUS_SUCCESS);
      g_test_message ("updated %s", path);
      return;
    }

  loaded = cairo_image_surface_create_from_png (path);
  if (cairo_surface_status (loaded) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (loaded);
      g_test_fail_printf ("%s: cannot read the reference image; create it with "
                          "CS_UPDATE_REFERENCES=1 meson test -C build test-chart", path);
      return;
    }
  expected = to_argb32 (loaded);
  cairo_surface_destroy (loaded);

  width = cairo_image_surface_get_width (actual);
  height = cairo_image_surface_get_height (actual);
  g_assert_cmpint (cairo_image_surface_get_width (expected), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (expected), ==, height);

  for (y = 0; y < height; y++)
    for (x = 0; x < width; x++)
      {
        guint32 a = pixel_at (actual, x, y);
        guint32 e = pixel_at (expected, x, y);
        int shift;

        for (shift = 0; shift < 32; shift += 8)
          sum += channel_difference (a, e, shift);
        if (max_channel_difference (a, e) > 32)
          bad++;
      }

  n_pixels = (guint64) width * height;
  mean = (double) sum / (n_pixels * 4);
  bad_share = (double) bad / n_pixels;
  g_test_message ("%s: mean difference %.3f per channel, %.3f %% of pixels differ by more than 32",
                  name, mean, bad_share * 100.0);

  if (mean >= 2.0 || bad_share >= 0.01)
    {
      const char *builddir = g_getenv ("G_TEST_BUILDDIR");
      g_autofree char *out_file = g_strconcat (name, "-actual.png", NULL);
      g_autofree char *out = g_build_filename (builddir != NULL ? builddir : g_get_tmp_dir (),
                                               out_file, NULL);

      cairo_surface_write_to_png (actual, out);
      g_test_fail_printf ("%s differs from %s (mean %.3f, %.3f %% pixels); the drawing is in %s. "
                          "If the change is intended: CS_UPDATE_REFERENCES=1 meson test -C build test-chart",
                          name, path, mean, bad_share * 100.0, out);
    }

  cairo_surface_destroy (expected);
}
