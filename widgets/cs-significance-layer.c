/* cs-significance-layer.c: a models × models grid of paired tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cs-chart.h"
#include "cs-significance-layer.h"

struct _CsSignificanceLayer
{
  CsChartLayer   parent_instance;

  char         **models;
  guint          n_models;
  double        *mean_diff;
  double        *p;
  double         alpha;
  char          *metric;
  char          *test;
  char         **series;     /* legend: better, worse */
};

G_DEFINE_FINAL_TYPE (CsSignificanceLayer, cs_significance_layer, CS_TYPE_CHART_LAYER)

static CsSignificanceVerdict
verdict_at (CsSignificanceLayer *self,
            guint                r,
            guint                c)
{
  gsize i = (gsize) r * self->n_models + c;

  if (r == c || !isfinite (self->p[i]) || isnan (self->mean_diff[i]))
    return CS_SIGNIFICANCE_NONE;
  if (self->p[i] >= self->alpha || self->mean_diff[i] == 0)
    return CS_SIGNIFICANCE_NOT_SIGNIFICANT;
  return self->mean_diff[i] > 0 ? CS_SIGNIFICANCE_ROW_BETTER : CS_SIGNIFICANCE_ROW_WORSE;
}

/* "0.0497", "0.87", "<0.001": three significant digits, so that a value
 * just below 0.05 never reads as 0.050 in a cell coloured significant. */
static char *
p_text (double p)
{
  if (!isfinite (p))
    return g_strdup ("—");
  if (p < 0.001)
    return g_strdup ("<0.001");
  return g_strdup_printf ("%.3g", p);
}

/* "p = 0.012", "p < 0.001" for sentences. */
static char *
p_phrase (double p)
{
  if (!isfinite (p))
    return g_strdup ("—");
  if (p < 0.001)
    return g_strdup ("p < 0.001");
  return g_strdup_printf ("p = %.3g", p);
}

static gboolean
cs_significance_layer_get_y_range (CsChartLayer *layer,
                                   double       *min,
                                   double       *max)
{
  CsSignificanceLayer *self = CS_SIGNIFICANCE_LAYER (layer);

  if (self->n_models < 2)
    return FALSE;
  *min = 0.0;
  *max = self->n_models;
  return TRUE;
}

static const char * const *
cs_significance_layer_get_models (CsChartLayer *layer)
{
  return (const char * const *) CS_SIGNIFICANCE_LAYER (layer)->models;
}

static const char * const *
cs_significance_layer_get_series (CsChartLayer *layer)
{
  return (const char * const *) CS_SIGNIFICANCE_LAYER (layer)->series;
}

static void
cs_significance_layer_render (CsChartLayer       *layer,
                              CsChart            *chart,
                              cairo_t            *cr,
                              const CsChartFrame *frame)
{
  CsSignificanceLayer *self = CS_SIGNIFICANCE_LAYER (layer);
  const CsChartStyle *style = cs_chart_get_render_style (chart);
  double cw, ch;

  if (self->n_models < 2)
    return;
  cw = frame->width / self->n_models;
  ch = frame->height / self->n_models;

  for (guint r = 0; r < self->n_models; r++)
    for (guint c = 0; c < self->n_models; c++)
      {
        CsSignificanceVerdict verdict = verdict_at (self, r, c);
        double x0 = cs_chart_snap_x (cr, frame->x + c * cw, 0.0);
        double x1 = cs_chart_snap_x (cr, frame->x + (c + 1) * cw, 0.0) - 1.0;
        double y0 = cs_chart_snap_y (cr, frame->y + r * ch, 0.0);
        double y1 = cs_chart_snap_y (cr, frame->y + (r + 1) * ch, 0.0) - 1.0;
        g_autofree char *text = NULL;
        CsColor color, ink;
        double alpha = 1.0;

        if (verdict == CS_SIGNIFICANCE_NONE)
          continue;
        if (verdict == CS_SIGNIFICANCE_NOT_SIGNIFICANT)
          color = style->grid;
        else
          {
            guint series = verdict == CS_SIGNIFICANCE_ROW_BETTER ? 0 : 1;

            color = cs_chart_get_series_color (chart, layer, series);
            /* A series hidden from the legend leaves its cells outlined. */
            if (!cs_chart_layer_get_series_visible (layer, series))
              alpha = 0.15;
          }
        cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
        cs_chart_set_source_color (cr, &color, alpha);
        cairo_fill (cr);

        /* The grid colour is translucent: text on it reads like any text. */
        if (alpha < 1.0 || verdict == CS_SIGNIFICANCE_NOT_SIGNIFICANT)
          ink = style->foreground;
        else
          ink = cs_chart_text_color_on (&color);
        text = p_text (self->p[(gsize) r * self->n_models + c]);
        cs_chart_show_text (chart, cr, CS_CHART_FONT_VALUE, text, (x0 + x1) / 2.0, (y0 + y1) / 2.0,
                            0.5, 0.5, x1 - x0 - 2.0, &ink, 1.0);
      }
}

static gboolean
cs_significance_layer_item_at (CsChartLayer       *layer,
                               const CsChartFrame *frame,
                               double              x,
                               double              y,
                               guint              *series,
                               guint              *index)
{
  CsSignificanceLayer *self = CS_SIGNIFICANCE_LAYER (layer);

  if (self->n_models < 2 || x < frame->x || x >= frame->x + frame->width ||
      y < frame->y || y >= frame->y + frame->height)
    return FALSE;
  *series = MIN ((guint) ((y - frame->y) / (frame->height / self->n_models)), self->n_models - 1);
  *index = MIN ((guint) ((x - frame->x) / (frame->width / self->n_models)), self->n_models - 1);
  return TRUE;
}

/* One sentence about row model @r against column model @c. */
static char *
describe_pair (CsSignificanceLayer *self,
               guint                r,
               guint                c)
{
  gsize i = (gsize) r * self->n_models + c;
  CsSignificanceVerdict verdict = verdict_at (self, r, c);
  g_autofree char *p = p_phrase (self->p[i]);
  g_autofree char *diff = cs_chart_format_number (fabs (self->mean_diff[i]), FALSE);
  g_autofree char *alpha = g_strdup_printf ("%g", self->alpha);
  const char *metric = self->metric ? self->metric : "";
  const char *test = self->test ? self->test : "";

  switch (verdict)
    {
    case CS_SIGNIFICANCE_ROW_BETTER:
      /* Translators: "iALS against Popularity: NDCG@10 higher by 0.03 on average
       * over viewers; paired t-test, Holm-adjusted, p = 0.004 (significant at 0.05)". */
      return g_strdup_printf (_("%s against %s: %s higher by %s on average over viewers; "
                                "%s, %s (significant at %s)"),
                              self->models[r], self->models[c], metric, diff, test, p, alpha);
    case CS_SIGNIFICANCE_ROW_WORSE:
      return g_strdup_printf (_("%s against %s: %s lower by %s on average over viewers; "
                                "%s, %s (significant at %s)"),
                              self->models[r], self->models[c], metric, diff, test, p, alpha);
    case CS_SIGNIFICANCE_NOT_SIGNIFICANT:
      return g_strdup_printf (_("%s against %s: no significant difference in %s; %s, %s"),
                              self->models[r], self->models[c], metric, test, p);
    case CS_SIGNIFICANCE_NONE:
    default:
      if (r == c)
        return g_strdup (self->models[r]);
      /* Translators: a model that failed has no per-viewer values to test. */
      return g_strdup_printf (_("%s against %s: no test"), self->models[r], self->models[c]);
    }
}

static char *
cs_significance_layer_describe_item (CsChartLayer       *layer,
                                     const CsChartFrame *frame,
                                     guint               r,
                                     guint               c)
{
  CsSignificanceLayer *self = CS_SIGNIFICANCE_LAYER (layer);

  if (r >= self->n_models || c >= self->n_models)
    return NULL;
  return describe_pair (self, r, c);
}

/* Every pair once (row before column), for screen readers. */
static char *
cs_significance_layer_describe (CsChartLayer *layer)
{
  CsSignificanceLayer *self = CS_SIGNIFICANCE_LAYER (layer);
  g_autoptr(GString) str = g_string_new (NULL);

  for (guint r = 0; r < self->n_models; r++)
    for (guint c = r + 1; c < self->n_models; c++)
      {
        g_autofree char *pair = describe_pair (self, r, c);

        if (str->len > 0)
          g_string_append (str, ". ");
        g_string_append (str, pair);
      }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
clear_data (CsSignificanceLayer *self)
{
  g_clear_pointer (&self->models, g_strfreev);
  g_clear_pointer (&self->mean_diff, g_free);
  g_clear_pointer (&self->p, g_free);
  self->n_models = 0;
}

static void
cs_significance_layer_finalize (GObject *object)
{
  CsSignificanceLayer *self = CS_SIGNIFICANCE_LAYER (object);

  clear_data (self);
  g_free (self->metric);
  g_free (self->test);
  g_strfreev (self->series);
  G_OBJECT_CLASS (cs_significance_layer_parent_class)->finalize (object);
}

static void
cs_significance_layer_class_init (CsSignificanceLayerClass *klass)
{
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cs_significance_layer_finalize;
  layer_class->get_y_range = cs_significance_layer_get_y_range;
  layer_class->get_categories = cs_significance_layer_get_models;
  layer_class->get_y_categories = cs_significance_layer_get_models;
  layer_class->get_series = cs_significance_layer_get_series;
  layer_class->render = cs_significance_layer_render;
  layer_class->item_at = cs_significance_layer_item_at;
  layer_class->describe_item = cs_significance_layer_describe_item;
  layer_class->describe = cs_significance_layer_describe;
}

static void
cs_significance_layer_init (CsSignificanceLayer *self)
{
  self->alpha = 0.05;
  self->series = g_new0 (char *, 3);
  self->series[0] = g_strdup (_("Row model significantly better"));
  self->series[1] = g_strdup (_("Row model significantly worse"));
}

CsSignificanceLayer *
cs_significance_layer_new (void)
{
  return g_object_new (CS_TYPE_SIGNIFICANCE_LAYER, NULL);
}

void
cs_significance_layer_set_data (CsSignificanceLayer *self,
                                const char * const  *models,
                                guint                n_models,
                                const double        *mean_diff,
                                const double        *p,
                                double               alpha)
{
  gsize cells = (gsize) n_models * n_models;

  g_return_if_fail (CS_IS_SIGNIFICANCE_LAYER (self));
  g_return_if_fail (n_models == 0 || (models != NULL && mean_diff != NULL && p != NULL));
  g_return_if_fail (alpha > 0 && alpha < 1);

  clear_data (self);
  self->alpha = alpha;
  if (n_models > 0)
    {
      self->models = cs_chart_layer_copy_names (models, n_models);
      self->mean_diff = g_memdup2 (mean_diff, sizeof (double) * cells);
      self->p = g_memdup2 (p, sizeof (double) * cells);
      self->n_models = n_models;
    }
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

void
cs_significance_layer_set_labels (CsSignificanceLayer *self,
                                  const char          *metric,
                                  const char          *test)
{
  g_return_if_fail (CS_IS_SIGNIFICANCE_LAYER (self));

  g_free (self->metric);
  g_free (self->test);
  self->metric = g_strdup (metric);
  self->test = g_strdup (test);
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

CsSignificanceVerdict
cs_significance_layer_get_verdict (CsSignificanceLayer *self,
                                   guint                row,
                                   guint                column)
{
  g_return_val_if_fail (CS_IS_SIGNIFICANCE_LAYER (self), CS_SIGNIFICANCE_NONE);
  g_return_val_if_fail (row < self->n_models && column < self->n_models, CS_SIGNIFICANCE_NONE);

  return verdict_at (self, row, column);
}

double
cs_significance_layer_get_p (CsSignificanceLayer *self,
                             guint                row,
                             guint                column)
{
  g_return_val_if_fail (CS_IS_SIGNIFICANCE_LAYER (self), NAN);
  g_return_val_if_fail (row < self->n_models && column < self->n_models, NAN);

  return self->p[(gsize) row * self->n_models + column];
}
