/* cs-curve-layer.c: ROC and precision–recall curves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "cs-chart.h"
#include "cs-curve-layer.h"

struct _CsCurveLayer
{
  CsLineLayer  parent_instance;

  CsCurveKind  kind;
  double       baseline;  /* NaN until known */
  GArray      *areas;     /* double per series */
};

G_DEFINE_FINAL_TYPE (CsCurveLayer, cs_curve_layer, CS_TYPE_LINE_LAYER)

typedef struct
{
  double   score;
  gboolean positive;
} Scored;

static int
by_score_descending (const void *a,
                     const void *b)
{
  double sa = ((const Scored *) a)->score, sb = ((const Scored *) b)->score;

  return (sa < sb) - (sa > sb);
}

gboolean
cs_curve_compute (CsCurveKind     kind,
                  const double   *scores,
                  const gboolean *labels,
                  gsize           n,
                  double        **x,
                  double        **y,
                  gsize          *n_points,
                  double         *area)
{
  g_autofree Scored *items = NULL;
  gsize i, m = 0, positives = 0, tp = 0, fp = 0, k = 0;
  double sum = 0.0, prev_x, prev_y;

  g_return_val_if_fail (scores != NULL || n == 0, FALSE);
  g_return_val_if_fail (labels != NULL || n == 0, FALSE);
  g_return_val_if_fail (x != NULL && y != NULL && n_points != NULL, FALSE);

  *x = NULL;
  *y = NULL;
  *n_points = 0;
  if (area != NULL)
    *area = NAN;

  items = g_new (Scored, MAX (n, 1));
  for (i = 0; i < n; i++)
    if (isfinite (scores[i]))
      {
        items[m].score = scores[i];
        items[m].positive = !!labels[i];
        positives += items[m].positive;
        m++;
      }
  if (positives == 0 || positives == m)
    return FALSE;
  qsort (items, m, sizeof (Scored), by_score_descending);

  *x = g_new (double, m + 1);
  *y = g_new (double, m + 1);
  if (kind == CS_CURVE_ROC)
    {
      (*x)[k] = 0.0;
      (*y)[k] = 0.0;
    }
  else
    {
      (*x)[k] = 0.0;
      (*y)[k] = 1.0;
    }
  prev_x = (*x)[k];
  prev_y = (*y)[k];
  k++;

  for (i = 0; i < m; i++)
    {
      double px, py;

      if (items[i].positive)
        tp++;
      else
        fp++;
      /* Tied scores are one threshold: one point after the last of them. */
      if (i + 1 < m && items[i + 1].score == items[i].score)
        continue;
      if (kind == CS_CURVE_ROC)
        {
          px = (double) fp / (double) (m - positives);
          py = (double) tp / (double) positives;
          sum += (px - prev_x) * (py + prev_y) / 2.0;
        }
      else
        {
          px = (double) tp / (double) positives;
          py = (double) tp / (double) (tp + fp);
          sum += (px - prev_x) * py;
        }
      (*x)[k] = px;
      (*y)[k] = py;
      prev_x = px;
      prev_y = py;
      k++;
    }
  *n_points = k;
  if (area != NULL)
    *area = sum;
  return TRUE;
}

static gboolean
cs_curve_layer_get_x_range (CsChartLayer *layer,
                            double       *min,
                            double       *max)
{
  if (!CS_CHART_LAYER_CLASS (cs_curve_layer_parent_class)->get_x_range (layer, min, max))
    return FALSE;
  *min = 0.0;
  *max = 1.0;
  return TRUE;
}

static gboolean
cs_curve_layer_get_y_range (CsChartLayer *layer,
                            double       *min,
                            double       *max)
{
  if (!CS_CHART_LAYER_CLASS (cs_curve_layer_parent_class)->get_y_range (layer, min, max))
    return FALSE;
  *min = 0.0;
  *max = 1.0;
  return TRUE;
}

static void
cs_curve_layer_render (CsChartLayer       *layer,
                       CsChart            *chart,
                       cairo_t            *cr,
                       const CsChartFrame *frame)
{
  CsCurveLayer *self = CS_CURVE_LAYER (layer);
  const CsChartStyle *style = cs_chart_get_render_style (chart);
  static const double dash[] = { 4.0, 4.0 };

  /* What a classifier guessing at random would draw. */
  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.0);
  cs_chart_set_source_color (cr, &style->foreground, 0.45);
  if (self->kind == CS_CURVE_ROC)
    {
      cairo_move_to (cr, cs_chart_frame_value_to_x (frame, 0.0), cs_chart_frame_value_to_y (frame, 0.0));
      cairo_line_to (cr, cs_chart_frame_value_to_x (frame, 1.0), cs_chart_frame_value_to_y (frame, 1.0));
      cairo_stroke (cr);
    }
  else if (isfinite (self->baseline))
    {
      double y = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (frame, self->baseline), 1.0);

      cairo_move_to (cr, frame->x, y);
      cairo_line_to (cr, frame->x + frame->width, y);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  CS_CHART_LAYER_CLASS (cs_curve_layer_parent_class)->render (layer, chart, cr, frame);
}

static char *
cs_curve_layer_describe_item (CsChartLayer       *layer,
                              const CsChartFrame *frame,
                              guint               series,
                              guint               index)
{
  CsCurveLayer *self = CS_CURVE_LAYER (layer);
  CsLineLayer *line = CS_LINE_LAYER (layer);
  const double *x, *y;
  g_autofree char *x_text = NULL;
  g_autofree char *y_text = NULL;
  gsize n;

  x = cs_line_layer_get_x (line, series, &n);
  y = cs_line_layer_get_y (line, series, NULL);
  if (x == NULL || index >= n)
    return NULL;
  x_text = cs_chart_format_number (x[index], FALSE);
  y_text = cs_chart_format_number (y[index], FALSE);
  if (self->kind == CS_CURVE_ROC)
    /* Translators: tooltip on a ROC curve: series — rates. */
    return g_strdup_printf (_("%s — false-positive rate %s, true-positive rate %s"),
                            cs_line_layer_get_series_name (line, series), x_text, y_text);
  /* Translators: tooltip on a precision–recall curve. */
  return g_strdup_printf (_("%s — recall %s, precision %s"),
                          cs_line_layer_get_series_name (line, series), x_text, y_text);
}

static char *
cs_curve_layer_describe (CsChartLayer *layer)
{
  CsCurveLayer *self = CS_CURVE_LAYER (layer);
  g_autoptr(GString) str = g_string_new (NULL);
  guint i, n = cs_line_layer_get_n_series (CS_LINE_LAYER (self));

  for (i = 0; i < n; i++)
    {
      if (str->len > 0)
        g_string_append (str, "; ");
      g_string_append (str, cs_line_layer_get_series_name (CS_LINE_LAYER (self), i));
    }
  if (self->kind == CS_CURVE_PRECISION_RECALL && isfinite (self->baseline))
    {
      g_autofree char *base = cs_chart_format_number (self->baseline, FALSE);

      /* Translators: accessible description of the PR baseline. */
      g_string_append_printf (str, _("; baseline precision %s"), base);
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
cs_curve_layer_finalize (GObject *object)
{
  g_clear_pointer (&CS_CURVE_LAYER (object)->areas, g_array_unref);

  G_OBJECT_CLASS (cs_curve_layer_parent_class)->finalize (object);
}

static void
cs_curve_layer_class_init (CsCurveLayerClass *klass)
{
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cs_curve_layer_finalize;
  layer_class->get_x_range = cs_curve_layer_get_x_range;
  layer_class->get_y_range = cs_curve_layer_get_y_range;
  layer_class->render = cs_curve_layer_render;
  layer_class->describe_item = cs_curve_layer_describe_item;
  layer_class->describe = cs_curve_layer_describe;
}

static void
cs_curve_layer_init (CsCurveLayer *self)
{
  self->baseline = NAN;
  self->areas = g_array_new (FALSE, TRUE, sizeof (double));
}

CsCurveLayer *
cs_curve_layer_new (CsCurveKind kind)
{
  CsCurveLayer *self;

  g_return_val_if_fail (kind <= CS_CURVE_PRECISION_RECALL, NULL);

  self = g_object_new (CS_TYPE_CURVE_LAYER, NULL);
  self->kind = kind;
  return self;
}

CsCurveKind
cs_curve_layer_get_kind (CsCurveLayer *self)
{
  g_return_val_if_fail (CS_IS_CURVE_LAYER (self), CS_CURVE_ROC);

  return self->kind;
}

guint
cs_curve_layer_add_curve (CsCurveLayer *self,
                          const char   *name,
                          const double *x,
                          const double *y,
                          gsize         n,
                          double        area)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (CS_IS_CURVE_LAYER (self), 0);

  if (isfinite (area))
    {
      g_autofree char *number = g_strdup_printf ("%.2f", area);

      if (self->kind == CS_CURVE_ROC)
        /* Translators: legend entry of a ROC curve with its area under the curve. */
        label = g_strdup_printf (_("%s (AUC %s)"), name != NULL ? name : "", number);
      else
        /* Translators: legend entry of a PR curve with its average precision. */
        label = g_strdup_printf (_("%s (AP %s)"), name != NULL ? name : "", number);
    }
  else
    label = g_strdup (name);
  g_array_append_val (self->areas, area);
  return cs_line_layer_add_series (CS_LINE_LAYER (self), label, x, y, n);
}

int
cs_curve_layer_add_scores (CsCurveLayer   *self,
                           const char     *name,
                           const double   *scores,
                           const gboolean *labels,
                           gsize           n)
{
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  gsize n_points, i, positives = 0, finite = 0;
  double area;

  g_return_val_if_fail (CS_IS_CURVE_LAYER (self), -1);

  if (!cs_curve_compute (self->kind, scores, labels, n, &x, &y, &n_points, &area))
    return -1;
  if (!isfinite (self->baseline))
    {
      for (i = 0; i < n; i++)
        if (isfinite (scores[i]))
          {
            finite++;
            positives += !!labels[i];
          }
      self->baseline = (double) positives / (double) finite;
    }
  return (int) cs_curve_layer_add_curve (self, name, x, y, n_points, area);
}

void
cs_curve_layer_set_baseline (CsCurveLayer *self,
                             double        prevalence)
{
  g_return_if_fail (CS_IS_CURVE_LAYER (self));

  self->baseline = prevalence;
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

double
cs_curve_layer_get_area (CsCurveLayer *self,
                         guint         series)
{
  g_return_val_if_fail (CS_IS_CURVE_LAYER (self), NAN);

  if (series >= self->areas->len)
    return NAN;
  return g_array_index (self->areas, double, series);
}
