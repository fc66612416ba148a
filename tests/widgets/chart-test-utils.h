/* chart-test-utils.h: what the chart tests share — a pinned style and
 * reference-image comparison with a tolerance.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "cs-chart.h"

G_BEGIN_DECLS

/* The font the reference images were drawn with. */
#define REFERENCE_FONT "Cantarell"

void set_test_style (CsChart *chart, gboolean dark);
gboolean font_available (const char *family);
cairo_surface_t * render_to_surface (CsChart *chart, int width, int height);
cairo_surface_t * to_argb32 (cairo_surface_t *surface);
guint32 pixel_at (cairo_surface_t *surface, int x, int y);
int channel_difference (guint32 a, guint32 b, int shift);
int max_channel_difference (guint32 a, guint32 b);
double non_background_share (cairo_surface_t *surface, int x0, int y0, int x1, int y1);
void compare_with_reference (cairo_surface_t *actual, const char *name);

G_END_DECLS
