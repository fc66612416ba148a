/* cs-scatter-layer.c: points over numeric (or time) x and y axes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cs-chart.h"
#include "cs-scatter-layer.h"

#define RADIUS       3.5
#define HIT_DISTANCE 12.0

typedef struct
{
  char   *name;
  double *x;
  double *y;
  gsize   n;
} Series;

struct _CsScatterLayer
{
  CsChartLayer  parent_instance;

  GArray       *series;  /* Series */
  GPtrArray    *names;   /* NULL-terminated */
};

G_DEFINE_FINAL_TYPE (CsScatterLayer, cs_scatter_layer, CS_TYPE_CHART_LAYER)

static void
series_clear (gpointer data)
{
  Series *s = data;

  g_clear_pointer (&s->name, g_free);
  g_clear_pointer (&s->x, g_free);
  g_clear_pointer (&s->y, g_free);
}

static gboolean
range (CsScatterLayer *self,
       gboolean        along_x,
       double         *min,
       double         *max)
{
  gboolean any = FALSE;
  guint i;
  gsize j;

  *min = INFINITY;
  *max = -INFINITY;
  for (i = 0; i < self->series->len; i++)
    {
      Series *s = &g_array_index (self->series, Series, i);

      for (j = 0; j < s->n; j++)
        if (isfinite (s->x[j]) && isfinite (s->y[j]))
          {
            double v = along_x ? s->x[j] : s->y[j];

            *min = MIN (*min, v);
            *max = MAX (*max, v);
            any = TRUE;
          }
    }
  return any;
}

static gboolean
cs_scatter_layer_get_x_range (CsChartLayer *layer,
                              double       *min,
                              double       *max)
{
  return range (CS_SCATTER_LAYER (layer), TRUE, min, max);
}

static gboolean
cs_scatter_layer_get_y_range (CsChartLayer *layer,
                              double       *min,
                              double       *max)
{
  return range (CS_SCATTER_LAYER (layer), FALSE, min, max);
}

static const char * const *
cs_scatter_layer_get_series (CsChartLayer *layer)
{
  return (const char * const *) CS_SCATTER_LAYER (layer)->names->pdata;
}

static void
cs_scatter_layer_render (CsChartLayer       *layer,
                         CsChart            *chart,
                         cairo_t            *cr,
                         const CsChartFrame *frame)
{
  CsScatterLayer *self = CS_SCATTER_LAYER (layer);
  guint i;
  gsize j;

  for (i = 0; i < self->series->len; i++)
    {
      Series *s = &g_array_index (self->series, Series, i);
      CsColor color = cs_chart_get_series_color (chart, layer, i);

      if (!cs_chart_layer_get_series_visible (layer, i))
        continue;
      for (j = 0; j < s->n; j++)
        {
          if (!isfinite (s->x[j]) || !isfinite (s->y[j]))
            continue;
          cairo_new_sub_path (cr);
          cairo_arc (cr, cs_chart_frame_value_to_x (frame, s->x[j]),
                     cs_chart_frame_value_to_y (frame, s->y[j]), RADIUS, 0, 2 * G_PI);
        }
      /* Translucent fill with a solid edge: overlapping points stay countable. */
      cs_chart_set_source_color (cr, &color, 0.55);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 1.0);
      cs_chart_set_source_color (cr, &color, 1.0);
      cairo_stroke (cr);
    }
}

static gboolean
cs_scatter_layer_item_at (CsChartLayer       *layer,
                          const CsChartFrame *frame,
                          double              x,
                          double              y,
                          guint              *series,
                          guint              *index)
{
  CsScatterLayer *self = CS_SCATTER_LAYER (layer);
  double best = HIT_DISTANCE * HIT_DISTANCE;
  gboolean found = FALSE;
  guint i;
  gsize j;

  for (i = 0; i < self->series->len; i++)
    {
      Series *s = &g_array_index (self->series, Series, i);

      if (!cs_chart_layer_get_series_visible (layer, i))
        continue;
      for (j = 0; j < s->n; j++)
        {
          double dx, dy;

          if (!isfinite (s->x[j]) || !isfinite (s->y[j]))
            continue;
          dx = cs_chart_frame_value_to_x (frame, s->x[j]) - x;
          dy = cs_chart_frame_value_to_y (frame, s->y[j]) - y;
          if (dx * dx + dy * dy < best)
            {
              best = dx * dx + dy * dy;
              *series = i;
              *index = (guint) j;
              found = TRUE;
            }
        }
    }
  return found;
}

static char *
cs_scatter_layer_describe_item (CsChartLayer       *layer,
                                const CsChartFrame *frame,
                                guint               series,
                                guint               index)
{
  CsScatterLayer *self = CS_SCATTER_LAYER (layer);
  Series *s;
  g_autofree char *x_text = NULL;
  g_autofree char *y_text = NULL;

  if (series >= self->series->len)
    return NULL;
  s = &g_array_index (self->series, Series, series);
  if (index >= s->n)
    return NULL;
  x_text = cs_chart_frame_format_x (frame, s->x[index]);
  y_text = cs_chart_frame_format_y (frame, s->y[index]);
  if (s->name[0] != '\0')
    /* Translators: tooltip of a scatter point: series — (x, y). */
    return g_strdup_printf (_("%s — (%s, %s)"), s->name, x_text, y_text);
  return g_strdup_printf ("(%s, %s)", x_text, y_text);
}

static char *
cs_scatter_layer_describe (CsChartLayer *layer)
{
  CsScatterLayer *self = CS_SCATTER_LAYER (layer);
  g_autoptr(GString) str = g_string_new (NULL);
  guint i;
  gsize j;

  for (i = 0; i < self->series->len; i++)
    {
      Series *s = &g_array_index (self->series, Series, i);
      guint finite = 0;

      for (j = 0; j < s->n; j++)
        if (isfinite (s->x[j]) && isfinite (s->y[j]))
          finite++;
      if (finite == 0)
        continue;
      if (str->len > 0)
        g_string_append (str, "; ");
      /* Translators: accessible summary of a scatter series. */
      g_string_append_printf (str, ngettext ("%s: %u point", "%s: %u points", finite),
                              s->name, finite);
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
cs_scatter_layer_finalize (GObject *object)
{
  CsScatterLayer *self = CS_SCATTER_LAYER (object);

  g_clear_pointer (&self->series, g_array_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);

  G_OBJECT_CLASS (cs_scatter_layer_parent_class)->finalize (object);
}

static void
cs_scatter_layer_class_init (CsScatterLayerClass *klass)
{
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cs_scatter_layer_finalize;
  layer_class->get_x_range = cs_scatter_layer_get_x_range;
  layer_class->get_y_range = cs_scatter_layer_get_y_range;
  layer_class->get_series = cs_scatter_layer_get_series;
  layer_class->render = cs_scatter_layer_render;
  layer_class->item_at = cs_scatter_layer_item_at;
  layer_class->describe_item = cs_scatter_layer_describe_item;
  layer_class->describe = cs_scatter_layer_describe;
}

static void
cs_scatter_layer_init (CsScatterLayer *self)
{
  self->series = g_array_new (FALSE, TRUE, sizeof (Series));
  g_array_set_clear_func (self->series, series_clear);
  self->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->names, NULL);
}

CsScatterLayer *
cs_scatter_layer_new (void)
{
  return g_object_new (CS_TYPE_SCATTER_LAYER, NULL);
}

guint
cs_scatter_layer_add_series (CsScatterLayer *self,
                             const char     *name,
                             const double   *x,
                             const double   *y,
                             gsize           n)
{
  Series s = { 0 };

  g_return_val_if_fail (CS_IS_SCATTER_LAYER (self), 0);
  g_return_val_if_fail ((x != NULL && y != NULL) || n == 0, 0);

  s.name = g_strdup (name != NULL ? name : "");
  s.n = n;
  s.x = g_new0 (double, MAX (n, 1));
  s.y = g_new0 (double, MAX (n, 1));
  if (n > 0)
    {
      memcpy (s.x, x, n * sizeof (double));
      memcpy (s.y, y, n * sizeof (double));
    }
  g_array_append_val (self->series, s);
  g_ptr_array_insert (self->names, self->names->len - 1, g_strdup (s.name));
  cs_chart_layer_changed (CS_CHART_LAYER (self));
  return self->series->len - 1;
}

void
cs_scatter_layer_clear (CsScatterLayer *self)
{
  g_return_if_fail (CS_IS_SCATTER_LAYER (self));

  g_array_set_size (self->series, 0);
  g_ptr_array_set_size (self->names, 0);
  g_ptr_array_add (self->names, NULL);
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}
