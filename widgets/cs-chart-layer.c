/* cs-chart-layer.c: a layer of a chart (bars, lines, ...), drawn over shared axes.
 *
 * The defaults describe an empty layer, so a subclass only overrides what
 * it has: a layer without a y range is simply left out of the axis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cs-chart-layer.h"

typedef struct
{
  /* Legend toggles, indexed by series; missing entries are visible. */
  GArray *hidden;
} CsChartLayerPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CsChartLayer, cs_chart_layer, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static gboolean
cs_chart_layer_real_get_y_range (CsChartLayer *self,
                                 double       *min,
                                 double       *max)
{
  return FALSE;
}

static const char * const *
cs_chart_layer_real_get_categories (CsChartLayer *self)
{
  return NULL;
}

static const char * const *
cs_chart_layer_real_get_series (CsChartLayer *self)
{
  return NULL;
}

static void
cs_chart_layer_real_render (CsChartLayer       *self,
                            CsChart            *chart,
                            cairo_t            *cr,
                            const CsChartFrame *frame)
{
}

static char *
cs_chart_layer_real_describe (CsChartLayer *self)
{
  return NULL;
}

static gboolean
cs_chart_layer_real_get_x_range (CsChartLayer *self,
                                 double       *min,
                                 double       *max)
{
  return FALSE;
}

static const char * const *
cs_chart_layer_real_get_y_categories (CsChartLayer *self)
{
  return NULL;
}

static gboolean
cs_chart_layer_real_item_at (CsChartLayer       *self,
                             const CsChartFrame *frame,
                             double              x,
                             double              y,
                             guint              *series,
                             guint              *index)
{
  return FALSE;
}

static char *
cs_chart_layer_real_describe_item (CsChartLayer       *self,
                                   const CsChartFrame *frame,
                                   guint               series,
                                   guint               index)
{
  return NULL;
}

static double
cs_chart_layer_real_get_side_width (CsChartLayer *self,
                                    CsChart      *chart,
                                    cairo_t      *cr)
{
  return 0.0;
}

/* Layers that only know how to find and name an item get tooltips for free. */
static char *
cs_chart_layer_item_describe_at (CsChartLayer       *self,
                                 const CsChartFrame *frame,
                                 double              x,
                                 double              y)
{
  guint series = 0, index = 0;

  if (!cs_chart_layer_item_at (self, frame, x, y, &series, &index))
    return NULL;
  return CS_CHART_LAYER_GET_CLASS (self)->describe_item (self, frame, series, index);
}

static void
cs_chart_layer_finalize (GObject *object)
{
  CsChartLayerPrivate *priv = cs_chart_layer_get_instance_private (CS_CHART_LAYER (object));

  g_clear_pointer (&priv->hidden, g_array_unref);

  G_OBJECT_CLASS (cs_chart_layer_parent_class)->finalize (object);
}

static void
cs_chart_layer_class_init (CsChartLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cs_chart_layer_finalize;
  klass->get_y_range = cs_chart_layer_real_get_y_range;
  klass->get_categories = cs_chart_layer_real_get_categories;
  klass->get_series = cs_chart_layer_real_get_series;
  klass->render = cs_chart_layer_real_render;
  klass->describe_at = cs_chart_layer_item_describe_at;
  klass->get_x_range = cs_chart_layer_real_get_x_range;
  klass->get_y_categories = cs_chart_layer_real_get_y_categories;
  klass->item_at = cs_chart_layer_real_item_at;
  klass->describe_item = cs_chart_layer_real_describe_item;
  klass->get_side_width = cs_chart_layer_real_get_side_width;
  klass->describe = cs_chart_layer_real_describe;

  /**
   * CsChartLayer::changed:
   *
   * The layer's data or look changed; the chart redraws.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
cs_chart_layer_init (CsChartLayer *self)
{
}

gboolean
cs_chart_layer_get_y_range (CsChartLayer *self,
                            double       *min,
                            double       *max)
{
  double lo = 0.0, hi = 0.0;
  gboolean ret;

  g_return_val_if_fail (CS_IS_CHART_LAYER (self), FALSE);

  ret = CS_CHART_LAYER_GET_CLASS (self)->get_y_range (self, &lo, &hi);
  if (min != NULL)
    *min = lo;
  if (max != NULL)
    *max = hi;
  return ret;
}

const char * const *
cs_chart_layer_get_categories (CsChartLayer *self)
{
  g_return_val_if_fail (CS_IS_CHART_LAYER (self), NULL);

  return CS_CHART_LAYER_GET_CLASS (self)->get_categories (self);
}

const char * const *
cs_chart_layer_get_series (CsChartLayer *self)
{
  g_return_val_if_fail (CS_IS_CHART_LAYER (self), NULL);

  return CS_CHART_LAYER_GET_CLASS (self)->get_series (self);
}

void
cs_chart_layer_render (CsChartLayer       *self,
                       CsChart            *chart,
                       cairo_t            *cr,
                       const CsChartFrame *frame)
{
  g_return_if_fail (CS_IS_CHART_LAYER (self));
  g_return_if_fail (cr != NULL);
  g_return_if_fail (frame != NULL);

  cairo_save (cr);
  CS_CHART_LAYER_GET_CLASS (self)->render (self, chart, cr, frame);
  cairo_restore (cr);
}

char *
cs_chart_layer_describe_at (CsChartLayer       *self,
                            const CsChartFrame *frame,
                            double              x,
                            double              y)
{
  g_return_val_if_fail (CS_IS_CHART_LAYER (self), NULL);
  g_return_val_if_fail (frame != NULL, NULL);

  return CS_CHART_LAYER_GET_CLASS (self)->describe_at (self, frame, x, y);
}

char *
cs_chart_layer_describe (CsChartLayer *self)
{
  g_return_val_if_fail (CS_IS_CHART_LAYER (self), NULL);

  return CS_CHART_LAYER_GET_CLASS (self)->describe (self);
}

void
cs_chart_layer_changed (CsChartLayer *self)
{
  g_return_if_fail (CS_IS_CHART_LAYER (self));

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

double
cs_chart_frame_value_to_y (const CsChartFrame *frame,
                           double              value)
{
  double span;

  g_return_val_if_fail (frame != NULL, 0.0);

  if (frame->y_log && frame->y_min > 0.0 && frame->y_max > frame->y_min)
    {
      double top = log10 (frame->y_max);
      double v = value > frame->y_min ? log10 (value) : log10 (frame->y_min);

      return frame->y + frame->height * (top - v) / (top - log10 (frame->y_min));
    }
  span = frame->y_max - frame->y_min;
  if (!(span > 0.0))
    return frame->y + frame->height;
  return frame->y + frame->height * (frame->y_max - value) / span;
}

gboolean
cs_chart_layer_get_x_range (CsChartLayer *self,
                            double       *min,
                            double       *max)
{
  double lo = 0.0, hi = 0.0;
  gboolean ret;

  g_return_val_if_fail (CS_IS_CHART_LAYER (self), FALSE);

  ret = CS_CHART_LAYER_GET_CLASS (self)->get_x_range (self, &lo, &hi);
  if (min != NULL)
    *min = lo;
  if (max != NULL)
    *max = hi;
  return ret;
}

const char * const *
cs_chart_layer_get_y_categories (CsChartLayer *self)
{
  g_return_val_if_fail (CS_IS_CHART_LAYER (self), NULL);

  return CS_CHART_LAYER_GET_CLASS (self)->get_y_categories (self);
}

gboolean
cs_chart_layer_item_at (CsChartLayer       *self,
                        const CsChartFrame *frame,
                        double              x,
                        double              y,
                        guint              *series,
                        guint              *index)
{
  guint s = 0, i = 0;
  gboolean found;

  g_return_val_if_fail (CS_IS_CHART_LAYER (self), FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  if (!(frame->width > 0.0) || !(frame->height > 0.0))
    return FALSE;
  found = CS_CHART_LAYER_GET_CLASS (self)->item_at (self, frame, x, y, &s, &i);
  if (series != NULL)
    *series = found ? s : 0;
  if (index != NULL)
    *index = found ? i : 0;
  return found;
}

double
cs_chart_layer_get_side_width (CsChartLayer *self,
                               CsChart      *chart,
                               cairo_t      *cr)
{
  g_return_val_if_fail (CS_IS_CHART_LAYER (self), 0.0);

  return MAX (0.0, CS_CHART_LAYER_GET_CLASS (self)->get_side_width (self, chart, cr));
}

gboolean
cs_chart_layer_get_series_visible (CsChartLayer *self,
                                   guint         series)
{
  CsChartLayerPrivate *priv;

  g_return_val_if_fail (CS_IS_CHART_LAYER (self), TRUE);

  priv = cs_chart_layer_get_instance_private (self);
  if (priv->hidden == NULL || series >= priv->hidden->len)
    return TRUE;
  return !g_array_index (priv->hidden, gboolean, series);
}

void
cs_chart_layer_set_series_visible (CsChartLayer *self,
                                   guint         series,
                                   gboolean      visible)
{
  CsChartLayerPrivate *priv;

  g_return_if_fail (CS_IS_CHART_LAYER (self));

  if (!cs_chart_layer_get_series_visible (self, series) == !visible)
    return;

  priv = cs_chart_layer_get_instance_private (self);
  if (priv->hidden == NULL)
    priv->hidden = g_array_new (FALSE, TRUE, sizeof (gboolean));
  if (series >= priv->hidden->len)
    g_array_set_size (priv->hidden, series + 1);
  g_array_index (priv->hidden, gboolean, series) = !visible;
  cs_chart_layer_changed (self);
}

double
cs_chart_frame_value_to_x (const CsChartFrame *frame,
                           double              value)
{
  double span;

  g_return_val_if_fail (frame != NULL, 0.0);

  span = frame->x_max - frame->x_min;
  if (!(span > 0.0))
    return frame->x;
  return frame->x + frame->width * (value - frame->x_min) / span;
}

double
cs_chart_frame_x_to_value (const CsChartFrame *frame,
                           double              x)
{
  g_return_val_if_fail (frame != NULL, 0.0);

  if (!(frame->width > 0.0))
    return frame->x_min;
  return frame->x_min + (x - frame->x) / frame->width * (frame->x_max - frame->x_min);
}

double
cs_chart_frame_y_to_value (const CsChartFrame *frame,
                           double              y)
{
  g_return_val_if_fail (frame != NULL, 0.0);

  if (!(frame->height > 0.0))
    return frame->y_min;
  if (frame->y_log && frame->y_min > 0.0 && frame->y_max > frame->y_min)
    {
      double top = log10 (frame->y_max), bottom = log10 (frame->y_min);

      return pow (10.0, top - (y - frame->y) / frame->height * (top - bottom));
    }
  return frame->y_max - (y - frame->y) / frame->height * (frame->y_max - frame->y_min);
}

char *
cs_chart_format_number (double   value,
                        gboolean percent)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *str;

  if (!isfinite (value))
    return g_strdup (_("no value"));

  if (percent)
    {
      double p = value * 100.0;

      /* Whole percentages where they are whole, else one decimal. */
      if (fabs (p - round (p)) < 0.05 || fabs (p) >= 100.0)
        g_snprintf (buf, sizeof buf, "%.0f", p);
      else
        g_snprintf (buf, sizeof buf, "%.1f", p);
      str = g_strdup_printf ("%s\u00a0%%", buf);
    }
  else
    {
      double a = fabs (value);

      if (a != 0.0 && (a >= 1e7 || a < 1e-4))
        g_snprintf (buf, sizeof buf, "%.3g", value);
      else if (a >= 1000.0 || value == round (value))
        g_snprintf (buf, sizeof buf, "%.0f", value);
      else if (a >= 100.0)
        g_snprintf (buf, sizeof buf, "%.1f", value);
      else if (a >= 1.0)
        g_snprintf (buf, sizeof buf, "%.2f", value);
      else
        g_snprintf (buf, sizeof buf, "%.3f", value);
      str = g_strdup (buf);
    }

  if (str[0] == '-')
    {
      char *with_minus = g_strconcat ("\u2212", str + 1, NULL);

      g_free (str);
      str = with_minus;
    }
  return str;
}

static char *
format_time (double value)
{
  g_autoptr(GDateTime) dt = NULL;

  if (!isfinite (value))
    return g_strdup (_("no value"));
  dt = g_date_time_new_from_unix_local ((gint64) floor (value));
  if (dt == NULL)
    return g_strdup (_("no value"));
  /* Translators: a date and time in a chart tooltip, see g_date_time_format(). */
  /* xgettext:no-c-format */
  return g_date_time_format (dt, _("%b %-d %Y, %H:%M"));
}

char *
cs_chart_frame_format_x (const CsChartFrame *frame,
                         double              value)
{
  g_return_val_if_fail (frame != NULL, NULL);

  if (frame->x_kind == CS_CHART_AXIS_TIME)
    return format_time (value);
  return cs_chart_format_number (value, frame->x_percent);
}

char *
cs_chart_frame_format_y (const CsChartFrame *frame,
                         double              value)
{
  g_return_val_if_fail (frame != NULL, NULL);

  if (frame->y_kind == CS_CHART_AXIS_TIME)
    return format_time (value);
  return cs_chart_format_number (value, frame->y_percent);
}

char **
cs_chart_layer_copy_names (const char * const *names,
                           guint               n)
{
  char **copy = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    copy[i] = g_strdup (names != NULL && names[i] != NULL ? names[i] : "");
  return copy;
}
