/* cs-retention-layer.c: the share of viewers still watching.
 *
 * A line layer with its y axis pinned to 0..100 % (a curve that only
 * falls to 60 % should not look like it falls to nothing) and tooltips
 * that say what the numbers mean.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cs-chart.h"
#include "cs-retention-layer.h"

struct _CsRetentionLayer
{
  CsLineLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (CsRetentionLayer, cs_retention_layer, CS_TYPE_LINE_LAYER)

static gboolean
cs_retention_layer_get_y_range (CsChartLayer *layer,
                                double       *min,
                                double       *max)
{
  if (!CS_CHART_LAYER_CLASS (cs_retention_layer_parent_class)->get_y_range (layer, min, max))
    return FALSE;
  *min = MIN (*min, 0.0);
  *max = MAX (*max, 1.0);
  return TRUE;
}

static char *
cs_retention_layer_describe_item (CsChartLayer       *layer,
                                  const CsChartFrame *frame,
                                  guint               series,
                                  guint               index)
{
  CsLineLayer *line = CS_LINE_LAYER (layer);
  const double *x, *y;
  g_autofree char *seconds = NULL;
  g_autofree char *share = NULL;
  const char *name;
  gsize n;

  x = cs_line_layer_get_x (line, series, &n);
  y = cs_line_layer_get_y (line, series, NULL);
  if (x == NULL || index >= n)
    return NULL;
  seconds = cs_chart_format_number (x[index], FALSE);
  share = cs_chart_format_number (y[index], TRUE);
  name = cs_line_layer_get_series_name (line, series);
  if (name != NULL && name[0] != '\0')
    /* Translators: retention tooltip: "Clip A — at 12 s: 45 % still watching". */
    return g_strdup_printf (_("%s — at %s s: %s still watching"), name, seconds, share);
  /* Translators: retention tooltip: "At 12 s: 45 % still watching". */
  return g_strdup_printf (_("At %s s: %s still watching"), seconds, share);
}

static char *
cs_retention_layer_describe (CsChartLayer *layer)
{
  CsLineLayer *line = CS_LINE_LAYER (layer);
  g_autoptr(GString) str = g_string_new (NULL);
  guint i, n_series = cs_line_layer_get_n_series (line);

  for (i = 0; i < n_series; i++)
    {
      const double *x, *y;
      gsize n, j, last = G_MAXSIZE;

      x = cs_line_layer_get_x (line, i, &n);
      y = cs_line_layer_get_y (line, i, NULL);
      for (j = 0; j < n; j++)
        if (isfinite (x[j]) && isfinite (y[j]))
          last = j;
      if (last == G_MAXSIZE)
        continue;
      {
        g_autofree char *seconds = cs_chart_format_number (x[last], FALSE);
        g_autofree char *share = cs_chart_format_number (y[last], TRUE);

        if (str->len > 0)
          g_string_append (str, "; ");
        /* Translators: accessible summary: "Clip A: 38 % still watching at 60 s". */
        g_string_append_printf (str, _("%s: %s still watching at %s s"),
                                cs_line_layer_get_series_name (line, i), share, seconds);
      }
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
cs_retention_layer_class_init (CsRetentionLayerClass *klass)
{
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  layer_class->get_y_range = cs_retention_layer_get_y_range;
  layer_class->describe_item = cs_retention_layer_describe_item;
  layer_class->describe = cs_retention_layer_describe;
}

static void
cs_retention_layer_init (CsRetentionLayer *self)
{
  cs_line_layer_set_fill (CS_LINE_LAYER (self), TRUE);
}

CsRetentionLayer *
cs_retention_layer_new (void)
{
  return g_object_new (CS_TYPE_RETENTION_LAYER, NULL);
}

guint
cs_retention_layer_add_curve (CsRetentionLayer *self,
                              const char       *name,
                              const double     *seconds,
                              const double     *share,
                              gsize             n)
{
  g_return_val_if_fail (CS_IS_RETENTION_LAYER (self), 0);

  return cs_line_layer_add_series (CS_LINE_LAYER (self), name, seconds, share, n);
}
