/* cs-funnel-layer.c: stages as bars with the step conversion between them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cs-chart.h"
#include "cs-funnel-layer.h"

#define MAX_BAR_WIDTH 72.0

struct _CsFunnelLayer
{
  CsChartLayer   parent_instance;

  char         **stages;
  double        *counts;
  guint          n_stages;
};

G_DEFINE_FINAL_TYPE (CsFunnelLayer, cs_funnel_layer, CS_TYPE_CHART_LAYER)

static gboolean
cs_funnel_layer_get_y_range (CsChartLayer *layer,
                             double       *min,
                             double       *max)
{
  CsFunnelLayer *self = CS_FUNNEL_LAYER (layer);
  gboolean any = FALSE;
  guint i;

  *min = 0.0;
  *max = 0.0;
  for (i = 0; i < self->n_stages; i++)
    if (isfinite (self->counts[i]))
      {
        *max = MAX (*max, self->counts[i]);
        any = TRUE;
      }
  /* Room above the bars for their numbers and step rates. */
  *max *= 1.15;
  return any;
}

static const char * const *
cs_funnel_layer_get_categories (CsChartLayer *layer)
{
  return (const char * const *) CS_FUNNEL_LAYER (layer)->stages;
}

static void
bar_x (CsFunnelLayer      *self,
       const CsChartFrame *frame,
       guint               i,
       double             *x,
       double             *width)
{
  double slot = frame->width / self->n_stages;

  *width = MIN (slot * 0.55, MAX_BAR_WIDTH);
  *x = frame->x + slot * i + (slot - *width) / 2.0;
}

static char *
count_text (double count)
{
  /* Counts print whole and compact: "12k" reads faster than "12000". */
  if (fabs (count) >= 1e6)
    return g_strdup_printf ("%.1fM", count / 1e6);
  if (fabs (count) >= 1e4)
    return g_strdup_printf ("%.0fk", count / 1e3);
  return cs_chart_format_number (round (count), FALSE);
}

static void
cs_funnel_layer_render (CsChartLayer       *layer,
                        CsChart            *chart,
                        cairo_t            *cr,
                        const CsChartFrame *frame)
{
  CsFunnelLayer *self = CS_FUNNEL_LAYER (layer);
  const CsChartStyle *style = cs_chart_get_render_style (chart);
  CsColor color = cs_chart_get_series_color (chart, layer, 0);
  double base = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (frame, 0.0), 0.0);
  double slot = frame->width / MAX (self->n_stages, 1);
  gboolean labels_fit = TRUE;
  guint i;

  for (i = 0; i < self->n_stages; i++)
    {
      double x, w, top;

      if (!isfinite (self->counts[i]))
        continue;
      bar_x (self, frame, i, &x, &w);
      top = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (frame, self->counts[i]), 0.0);
      cairo_rectangle (cr, cs_chart_snap_x (cr, x, 0.0), top,
                       cs_chart_snap_x (cr, x + w, 0.0) - cs_chart_snap_x (cr, x, 0.0), base - top);
      /* Later stages lighter: the eye follows the drop. */
      cs_chart_set_source_color (cr, &color, 1.0 - 0.55 * i / MAX (self->n_stages - 1, 1));
      cairo_fill (cr);
    }

  for (i = 0; i < self->n_stages; i++)
    {
      g_autoptr(PangoLayout) probe = NULL;
      g_autofree char *text = NULL;
      int w;

      if (!isfinite (self->counts[i]))
        continue;
      text = count_text (self->counts[i]);
      probe = cs_chart_create_layout (chart, cr, CS_CHART_FONT_VALUE, text);
      pango_layout_get_pixel_size (probe, &w, NULL);
      if (w > slot - 4.0)
        labels_fit = FALSE;
    }

  /* Above each bar its count and, dimmer, above that the share of the
   * stage before: "→ 11 %". Centred on the bar, so neighbours never meet. */
  for (i = 0; i < self->n_stages && labels_fit; i++)
    {
      g_autofree char *text = NULL;
      double x, w, y, rate = cs_funnel_layer_get_step_rate (self, i);
      int h;

      if (!isfinite (self->counts[i]))
        continue;
      bar_x (self, frame, i, &x, &w);
      text = count_text (self->counts[i]);
      {
        g_autoptr(PangoLayout) probe = cs_chart_create_layout (chart, cr, CS_CHART_FONT_VALUE, text);

        pango_layout_get_pixel_size (probe, NULL, &h);
      }
      y = cs_chart_frame_value_to_y (frame, MAX (self->counts[i], 0.0)) - 2.0;
      cs_chart_show_text (chart, cr, CS_CHART_FONT_VALUE, text, x + w / 2.0, y,
                          0.5, 1.0, 0.0, &style->foreground, 0.85);
      if (isfinite (rate))
        {
          g_autofree char *share = cs_chart_format_number (rate, TRUE);
          g_autofree char *arrow = g_strdup_printf ("→\u2009%s", share);

          if (cs_chart_show_text (chart, cr, CS_CHART_FONT_VALUE, arrow, x + w / 2.0, y - h,
                                  0.5, 1.0, slot - 4.0, &style->foreground, 0.6) == 0.0)
            cs_chart_show_text (chart, cr, CS_CHART_FONT_VALUE, share, x + w / 2.0, y - h,
                                0.5, 1.0, slot - 4.0, &style->foreground, 0.6);
        }
    }
}

static gboolean
cs_funnel_layer_item_at (CsChartLayer       *layer,
                         const CsChartFrame *frame,
                         double              x,
                         double              y,
                         guint              *series,
                         guint              *index)
{
  CsFunnelLayer *self = CS_FUNNEL_LAYER (layer);

  if (self->n_stages == 0 || x < frame->x || x >= frame->x + frame->width ||
      y < frame->y - 8.0 || y > frame->y + frame->height)
    return FALSE;
  *series = 0;
  *index = MIN ((guint) ((x - frame->x) / (frame->width / self->n_stages)), self->n_stages - 1);
  return TRUE;
}

static char *
cs_funnel_layer_describe_item (CsChartLayer       *layer,
                               const CsChartFrame *frame,
                               guint               series,
                               guint               index)
{
  CsFunnelLayer *self = CS_FUNNEL_LAYER (layer);
  g_autofree char *count = NULL;
  g_autofree char *step = NULL;
  g_autofree char *overall = NULL;

  if (index >= self->n_stages)
    return NULL;
  count = cs_chart_format_number (self->counts[index], FALSE);
  if (index == 0 || !isfinite (self->counts[0]) || self->counts[0] <= 0)
    return g_strdup_printf ("%s: %s", self->stages[index], count);
  step = cs_chart_format_number (cs_funnel_layer_get_step_rate (self, index), TRUE);
  overall = cs_chart_format_number (self->counts[index] / self->counts[0], TRUE);
  /* Translators: funnel tooltip: "Likes: 1200 (12 % of Views, 12 % of the step before)". */
  return g_strdup_printf (_("%s: %s (%s of %s, %s of the step before)"),
                          self->stages[index], count, overall, self->stages[0], step);
}

static char *
cs_funnel_layer_describe (CsChartLayer *layer)
{
  CsFunnelLayer *self = CS_FUNNEL_LAYER (layer);
  g_autoptr(GString) str = g_string_new (NULL);
  guint i;

  for (i = 0; i < self->n_stages; i++)
    {
      g_autofree char *count = cs_chart_format_number (self->counts[i], FALSE);

      g_string_append_printf (str, "%s%s %s", i > 0 ? ", " : "", self->stages[i], count);
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
clear_data (CsFunnelLayer *self)
{
  g_clear_pointer (&self->stages, g_strfreev);
  g_clear_pointer (&self->counts, g_free);
  self->n_stages = 0;
}

static void
cs_funnel_layer_finalize (GObject *object)
{
  clear_data (CS_FUNNEL_LAYER (object));

  G_OBJECT_CLASS (cs_funnel_layer_parent_class)->finalize (object);
}

static void
cs_funnel_layer_class_init (CsFunnelLayerClass *klass)
{
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cs_funnel_layer_finalize;
  layer_class->get_y_range = cs_funnel_layer_get_y_range;
  layer_class->get_categories = cs_funnel_layer_get_categories;
  layer_class->render = cs_funnel_layer_render;
  layer_class->item_at = cs_funnel_layer_item_at;
  layer_class->describe_item = cs_funnel_layer_describe_item;
  layer_class->describe = cs_funnel_layer_describe;
}

static void
cs_funnel_layer_init (CsFunnelLayer *self)
{
}

CsFunnelLayer *
cs_funnel_layer_new (void)
{
  return g_object_new (CS_TYPE_FUNNEL_LAYER, NULL);
}

void
cs_funnel_layer_set_data (CsFunnelLayer      *self,
                          const char * const *stages,
                          const double       *counts,
                          guint               n_stages)
{
  guint i;

  g_return_if_fail (CS_IS_FUNNEL_LAYER (self));
  g_return_if_fail ((stages != NULL && counts != NULL) || n_stages == 0);

  clear_data (self);
  if (n_stages > 0)
    {
      self->stages = g_new0 (char *, n_stages + 1);
      for (i = 0; i < n_stages; i++)
        self->stages[i] = g_strdup (stages[i] != NULL ? stages[i] : "");
      self->counts = g_memdup2 (counts, sizeof (double) * n_stages);
      self->n_stages = n_stages;
    }
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

double
cs_funnel_layer_get_step_rate (CsFunnelLayer *self,
                               guint          stage)
{
  g_return_val_if_fail (CS_IS_FUNNEL_LAYER (self), NAN);

  if (stage == 0 || stage >= self->n_stages ||
      !isfinite (self->counts[stage]) || !isfinite (self->counts[stage - 1]) ||
      self->counts[stage - 1] <= 0.0)
    return NAN;
  return self->counts[stage] / self->counts[stage - 1];
}
