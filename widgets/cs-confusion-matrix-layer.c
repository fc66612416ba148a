/* cs-confusion-matrix-layer.c: counts of (true, predicted) class pairs.
 *
 * Cells are coloured by their share of the row, not their count, so a
 * rare class's mistakes stand out as much as a common one's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cs-chart.h"
#include "cs-confusion-matrix-layer.h"

struct _CsConfusionMatrixLayer
{
  CsChartLayer   parent_instance;

  char         **classes;
  guint         *counts;
  guint          n_classes;
};

G_DEFINE_FINAL_TYPE (CsConfusionMatrixLayer, cs_confusion_matrix_layer, CS_TYPE_CHART_LAYER)

static guint
count_at (CsConfusionMatrixLayer *self,
          guint                   t,
          guint                   p)
{
  return self->counts[(gsize) t * self->n_classes + p];
}

static guint64
row_total (CsConfusionMatrixLayer *self,
           guint                   t)
{
  guint64 total = 0;
  guint p;

  for (p = 0; p < self->n_classes; p++)
    total += count_at (self, t, p);
  return total;
}

static gboolean
cs_confusion_matrix_layer_get_y_range (CsChartLayer *layer,
                                       double       *min,
                                       double       *max)
{
  CsConfusionMatrixLayer *self = CS_CONFUSION_MATRIX_LAYER (layer);
  guint t;

  for (t = 0; t < self->n_classes; t++)
    if (row_total (self, t) > 0)
      {
        *min = 0.0;
        *max = self->n_classes;
        return TRUE;
      }
  return FALSE;
}

static const char * const *
cs_confusion_matrix_layer_get_classes (CsChartLayer *layer)
{
  return (const char * const *) CS_CONFUSION_MATRIX_LAYER (layer)->classes;
}

static char *
proportion_text (double proportion)
{
  return cs_chart_format_number (proportion, TRUE);
}

static void
cs_confusion_matrix_layer_render (CsChartLayer       *layer,
                                  CsChart            *chart,
                                  cairo_t            *cr,
                                  const CsChartFrame *frame)
{
  CsConfusionMatrixLayer *self = CS_CONFUSION_MATRIX_LAYER (layer);
  const CsChartStyle *style = cs_chart_get_render_style (chart);
  double cw, ch;
  guint t, p;

  if (self->n_classes == 0)
    return;
  cw = frame->width / self->n_classes;
  ch = frame->height / self->n_classes;

  for (t = 0; t < self->n_classes; t++)
    for (p = 0; p < self->n_classes; p++)
      {
        double share = cs_confusion_matrix_layer_get_proportion (self, t, p);
        double x0 = cs_chart_snap_x (cr, frame->x + p * cw, 0.0);
        double x1 = cs_chart_snap_x (cr, frame->x + (p + 1) * cw, 0.0) - 1.0;
        double y0 = cs_chart_snap_y (cr, frame->y + t * ch, 0.0);
        double y1 = cs_chart_snap_y (cr, frame->y + (t + 1) * ch, 0.0) - 1.0;
        g_autofree char *count = g_strdup_printf ("%u", count_at (self, t, p));
        g_autofree char *share_text = NULL;
        CsColor color, ink;
        PangoLayout *probe;
        int count_h;

        if (isfinite (share))
          color = cs_chart_sequential_color (chart, share);
        else
          color = style->grid;
        cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
        cs_chart_set_source_color (cr, &color, 1.0);
        cairo_fill (cr);
        if (!isfinite (share))
          continue;

        ink = cs_chart_text_color_on (&color);
        share_text = proportion_text (share);
        probe = cs_chart_create_layout (chart, cr, CS_CHART_FONT_VALUE, count);
        pango_layout_get_pixel_size (probe, NULL, &count_h);
        g_object_unref (probe);

        /* Count above share when two lines fit, else the count alone. */
        if (y1 - y0 >= 2 * count_h + 2
            && cs_chart_show_text (chart, cr, CS_CHART_FONT_VALUE, share_text,
                                   (x0 + x1) / 2.0, (y0 + y1) / 2.0, 0.5, 0.0,
                                   x1 - x0 - 2.0, &ink, 0.8) > 0.0)
          cs_chart_show_text (chart, cr, CS_CHART_FONT_VALUE, count,
                              (x0 + x1) / 2.0, (y0 + y1) / 2.0, 0.5, 1.0,
                              x1 - x0 - 2.0, &ink, 1.0);
        else if (y1 - y0 >= count_h)
          cs_chart_show_text (chart, cr, CS_CHART_FONT_VALUE, count,
                              (x0 + x1) / 2.0, (y0 + y1) / 2.0, 0.5, 0.5,
                              x1 - x0 - 2.0, &ink, 1.0);
      }
}

static gboolean
cs_confusion_matrix_layer_item_at (CsChartLayer       *layer,
                                   const CsChartFrame *frame,
                                   double              x,
                                   double              y,
                                   guint              *series,
                                   guint              *index)
{
  CsConfusionMatrixLayer *self = CS_CONFUSION_MATRIX_LAYER (layer);

  if (self->n_classes == 0 || x < frame->x || x >= frame->x + frame->width ||
      y < frame->y || y >= frame->y + frame->height)
    return FALSE;
  *series = MIN ((guint) ((y - frame->y) / (frame->height / self->n_classes)), self->n_classes - 1);
  *index = MIN ((guint) ((x - frame->x) / (frame->width / self->n_classes)), self->n_classes - 1);
  return TRUE;
}

static char *
cs_confusion_matrix_layer_describe_item (CsChartLayer       *layer,
                                         const CsChartFrame *frame,
                                         guint               t,
                                         guint               p)
{
  CsConfusionMatrixLayer *self = CS_CONFUSION_MATRIX_LAYER (layer);
  g_autofree char *share = NULL;

  if (t >= self->n_classes || p >= self->n_classes)
    return NULL;
  share = proportion_text (cs_confusion_matrix_layer_get_proportion (self, t, p));
  /* Translators: tooltip of a confusion-matrix cell:
   * "True Tutorial, predicted Vlog: 3 clips (12 % of Tutorial)". */
  return g_strdup_printf (ngettext ("True %s, predicted %s: %u clip (%s of %s)",
                                    "True %s, predicted %s: %u clips (%s of %s)",
                                    count_at (self, t, p)),
                          self->classes[t], self->classes[p], count_at (self, t, p),
                          share, self->classes[t]);
}

static char *
cs_confusion_matrix_layer_describe (CsChartLayer *layer)
{
  CsConfusionMatrixLayer *self = CS_CONFUSION_MATRIX_LAYER (layer);
  g_autoptr(GString) str = g_string_new (NULL);
  guint t;

  for (t = 0; t < self->n_classes; t++)
    {
      g_autofree char *share = proportion_text (cs_confusion_matrix_layer_get_proportion (self, t, t));

      if (str->len > 0)
        g_string_append (str, ", ");
      /* Translators: accessible summary per class: "Tutorial 80 % right". */
      g_string_append_printf (str, _("%s %s right"), self->classes[t], share);
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
clear_data (CsConfusionMatrixLayer *self)
{
  g_clear_pointer (&self->classes, g_strfreev);
  g_clear_pointer (&self->counts, g_free);
  self->n_classes = 0;
}

static void
cs_confusion_matrix_layer_finalize (GObject *object)
{
  clear_data (CS_CONFUSION_MATRIX_LAYER (object));

  G_OBJECT_CLASS (cs_confusion_matrix_layer_parent_class)->finalize (object);
}

static void
cs_confusion_matrix_layer_class_init (CsConfusionMatrixLayerClass *klass)
{
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cs_confusion_matrix_layer_finalize;
  layer_class->get_y_range = cs_confusion_matrix_layer_get_y_range;
  layer_class->get_categories = cs_confusion_matrix_layer_get_classes;
  layer_class->get_y_categories = cs_confusion_matrix_layer_get_classes;
  layer_class->render = cs_confusion_matrix_layer_render;
  layer_class->item_at = cs_confusion_matrix_layer_item_at;
  layer_class->describe_item = cs_confusion_matrix_layer_describe_item;
  layer_class->describe = cs_confusion_matrix_layer_describe;
}

static void
cs_confusion_matrix_layer_init (CsConfusionMatrixLayer *self)
{
}

CsConfusionMatrixLayer *
cs_confusion_matrix_layer_new (void)
{
  return g_object_new (CS_TYPE_CONFUSION_MATRIX_LAYER, NULL);
}

void
cs_confusion_matrix_layer_set_data (CsConfusionMatrixLayer *self,
                                    const char * const     *classes,
                                    guint                   n_classes,
                                    const guint            *counts)
{
  guint i;

  g_return_if_fail (CS_IS_CONFUSION_MATRIX_LAYER (self));
  g_return_if_fail (classes != NULL || n_classes == 0);
  g_return_if_fail (counts != NULL || n_classes == 0);

  clear_data (self);
  if (n_classes > 0)
    {
      self->classes = g_new0 (char *, n_classes + 1);
      for (i = 0; i < n_classes; i++)
        self->classes[i] = g_strdup (classes[i] != NULL ? classes[i] : "");
      self->counts = g_memdup2 (counts, sizeof (guint) * n_classes * n_classes);
      self->n_classes = n_classes;
    }
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

guint
cs_confusion_matrix_layer_get_count (CsConfusionMatrixLayer *self,
                                     guint                   true_class,
                                     guint                   predicted)
{
  g_return_val_if_fail (CS_IS_CONFUSION_MATRIX_LAYER (self), 0);
  g_return_val_if_fail (true_class < self->n_classes && predicted < self->n_classes, 0);

  return count_at (self, true_class, predicted);
}

double
cs_confusion_matrix_layer_get_proportion (CsConfusionMatrixLayer *self,
                                          guint                   true_class,
                                          guint                   predicted)
{
  guint64 total;

  g_return_val_if_fail (CS_IS_CONFUSION_MATRIX_LAYER (self), NAN);
  g_return_val_if_fail (true_class < self->n_classes && predicted < self->n_classes, NAN);

  total = row_total (self, true_class);
  if (total == 0)
    return NAN;
  return (double) count_at (self, true_class, predicted) / (double) total;
}
