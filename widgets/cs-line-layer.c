/* cs-line-layer.c: lines over a numeric or time x axis.
 *
 * Long series are decimated per pixel column: each column keeps its first,
 * lowest, highest and last point, so a 100,000-point line draws a few
 * thousand segments and still shows every spike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cs-chart.h"
#include "cs-line-layer.h"

#define LINE_WIDTH    2.0
#define MARKER_RADIUS 3.0
#define BAND_ALPHA    0.18
#define FILL_ALPHA    0.22
#define HIT_DISTANCE  24.0

typedef struct
{
  char   *name;
  double *x;
  double *y;
  double *low;
  double *high;
  gsize   n;
} Series;

typedef struct
{
  GArray   *series;  /* Series */
  GPtrArray *names;  /* NULL-terminated, for get_series */
  char     *band_label;
  gboolean  markers;
  gboolean  fill;
  gboolean  stacked;
} CsLineLayerPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (CsLineLayer, cs_line_layer, CS_TYPE_CHART_LAYER)

static CsLineLayerPrivate *
get_priv (CsLineLayer *self)
{
  return cs_line_layer_get_instance_private (self);
}

static void
series_clear (gpointer data)
{
  Series *s = data;

  g_clear_pointer (&s->name, g_free);
  g_clear_pointer (&s->x, g_free);
  g_clear_pointer (&s->y, g_free);
  g_clear_pointer (&s->low, g_free);
  g_clear_pointer (&s->high, g_free);
}

static Series *
get_series (CsLineLayer *self,
            guint        i)
{
  CsLineLayerPrivate *priv = get_priv (self);

  if (i >= priv->series->len)
    return NULL;
  return &g_array_index (priv->series, Series, i);
}

/* Where series @i is drawn: its own values, or stacked, the running sum of
 * the visible series up to it, point by point (a missing value counts as
 * zero so one gap does not tear every area above it). Free with g_free()
 * when *@owned. */
static const double *
display_y (CsLineLayer *self,
           guint        i,
           gboolean     below,
           gboolean    *owned)
{
  CsLineLayerPrivate *priv = get_priv (self);
  Series *s = get_series (self, i);
  double *sum;

  *owned = FALSE;
  if (!priv->stacked)
    return below ? NULL : s->y;

  *owned = TRUE;
  sum = g_new0 (double, MAX (s->n, 1));
  for (guint k = 0; k < (below ? i : i + 1); k++)
    {
      Series *other = get_series (self, k);

      if (!cs_chart_layer_get_series_visible (CS_CHART_LAYER (self), k))
        continue;
      for (gsize j = 0; j < s->n && j < other->n; j++)
        if (isfinite (other->y[j]))
          sum[j] += other->y[j];
    }
  return sum;
}

static gboolean
cs_line_layer_get_x_range (CsChartLayer *layer,
                           double       *min,
                           double       *max)
{
  CsLineLayerPrivate *priv = get_priv (CS_LINE_LAYER (layer));
  gboolean any = FALSE;
  guint i;
  gsize j;

  *min = INFINITY;
  *max = -INFINITY;
  for (i = 0; i < priv->series->len; i++)
    {
      Series *s = &g_array_index (priv->series, Series, i);

      for (j = 0; j < s->n; j++)
        if (isfinite (s->x[j]) && isfinite (s->y[j]))
          {
            *min = MIN (*min, s->x[j]);
            *max = MAX (*max, s->x[j]);
            any = TRUE;
          }
    }
  return any;
}

static gboolean
cs_line_layer_get_y_range (CsChartLayer *layer,
                           double       *min,
                           double       *max)
{
  CsLineLayerPrivate *priv = get_priv (CS_LINE_LAYER (layer));
  gboolean any = FALSE;
  guint i;
  gsize j;

  *min = INFINITY;
  *max = -INFINITY;
  for (i = 0; i < priv->series->len; i++)
    {
      Series *s = &g_array_index (priv->series, Series, i);

      for (j = 0; j < s->n; j++)
        {
          if (!isfinite (s->x[j]) || !isfinite (s->y[j]))
            continue;
          *min = MIN (*min, s->y[j]);
          *max = MAX (*max, s->y[j]);
          if (s->low != NULL && isfinite (s->low[j]))
            *min = MIN (*min, s->low[j]);
          if (s->high != NULL && isfinite (s->high[j]))
            *max = MAX (*max, s->high[j]);
          any = TRUE;
        }
    }
  if (any && priv->stacked && priv->series->len > 0)
    {
      gboolean owned;
      const double *top;

      /* The last visible series carries the totals. */
      for (i = priv->series->len; i > 0; i--)
        if (cs_chart_layer_get_series_visible (layer, i - 1))
          break;
      if (i > 0)
        {
          Series *s = &g_array_index (priv->series, Series, i - 1);

          top = display_y (CS_LINE_LAYER (layer), i - 1, FALSE, &owned);
          for (j = 0; j < s->n; j++)
            if (isfinite (top[j]))
              *max = MAX (*max, top[j]);
          if (owned)
            g_free ((double *) top);
        }
    }
  /* Areas stand on zero. */
  if (any && (priv->fill || priv->stacked))
    {
      *min = MIN (*min, 0.0);
      *max = MAX (*max, 0.0);
    }
  return any;
}

static const char * const *
cs_line_layer_get_series_names (CsChartLayer *layer)
{
  CsLineLayerPrivate *priv = get_priv (CS_LINE_LAYER (layer));

  return (const char * const *) priv->names->pdata;
}

/* Walks the points of @s as pixel coordinates, one polyline per run of
 * finite values, at most about four points per pixel column. */
static void
path_series (cairo_t            *cr,
             const CsChartFrame *frame,
             const double       *xs,
             const double       *ys,
             gsize               n)
{
  gboolean decimate = n > 4 * (gsize) MAX (frame->width, 1.0);
  gboolean open = FALSE;
  double col = NAN, first = 0, lo = 0, hi = 0, last = 0, col_x = 0;
  gsize i;

#define FLUSH() G_STMT_START {                         \
    if (isfinite (col))                                \
      {                                                \
        if (!open)                                     \
          cairo_move_to (cr, col_x, first);            \
        else                                           \
          cairo_line_to (cr, col_x, first);            \
        cairo_line_to (cr, col_x, lo);                 \
        cairo_line_to (cr, col_x, hi);                 \
        cairo_line_to (cr, col_x, last);               \
        open = TRUE;                                   \
      }                                                \
    col = NAN;                                         \
  } G_STMT_END

  for (i = 0; i < n; i++)
    {
      double px, py;

      if (!isfinite (xs[i]) || !isfinite (ys[i]))
        {
          if (decimate)
            FLUSH ();
          open = FALSE;
          continue;
        }
      px = cs_chart_frame_value_to_x (frame, xs[i]);
      py = cs_chart_frame_value_to_y (frame, ys[i]);
      if (!decimate)
        {
          if (open)
            cairo_line_to (cr, px, py);
          else
            cairo_move_to (cr, px, py);
          open = TRUE;
          continue;
        }
      if (!isfinite (col) || floor (px) != col)
        {
          FLUSH ();
          col = floor (px);
          col_x = px;
          first = lo = hi = last = py;
          continue;
        }
      lo = MIN (lo, py);
      hi = MAX (hi, py);
      last = py;
    }
  if (decimate)
    FLUSH ();
#undef FLUSH
}

/* Closed shapes between @top and @bottom (NULL: the zero line), one per run
 * of finite values. */
static void
fill_between (cairo_t            *cr,
              const CsChartFrame *frame,
              const double       *xs,
              const double       *top,
              const double       *bottom,
              gsize               n)
{
  gsize stride = MAX (1, n / (gsize) (2 * MAX (frame->width, 1.0)));
  double zero = cs_chart_frame_value_to_y (frame, CLAMP (0.0, frame->y_min, frame->y_max));
  gsize start = 0;

  while (start < n)
    {
      gsize end, i;

#define OK(i) (isfinite (xs[i]) && isfinite (top[i]) && (bottom == NULL || isfinite (bottom[i])))
      while (start < n && !OK (start))
        start++;
      end = start;
      while (end < n && OK (end))
        end++;
      if (end > start)
        {
          cairo_move_to (cr, cs_chart_frame_value_to_x (frame, xs[start]),
                         cs_chart_frame_value_to_y (frame, top[start]));
          for (i = start; i < end; i += stride)
            cairo_line_to (cr, cs_chart_frame_value_to_x (frame, xs[i]),
                           cs_chart_frame_value_to_y (frame, top[i]));
          cairo_line_to (cr, cs_chart_frame_value_to_x (frame, xs[end - 1]),
                         cs_chart_frame_value_to_y (frame, top[end - 1]));
          if (bottom == NULL)
            {
              cairo_line_to (cr, cs_chart_frame_value_to_x (frame, xs[end - 1]), zero);
              cairo_line_to (cr, cs_chart_frame_value_to_x (frame, xs[start]), zero);
            }
          else
            {
              i = end - 1;
              for (;;)
                {
                  cairo_line_to (cr, cs_chart_frame_value_to_x (frame, xs[i]),
                                 cs_chart_frame_value_to_y (frame, bottom[i]));
                  if (i == start)
                    break;
                  i = i > start + stride ? i - stride : start;
                }
            }
          cairo_close_path (cr);
        }
#undef OK
      start = end;
    }
}

static void
cs_line_layer_render (CsChartLayer       *layer,
                      CsChart            *chart,
                      cairo_t            *cr,
                      const CsChartFrame *frame)
{
  CsLineLayer *self = CS_LINE_LAYER (layer);
  CsLineLayerPrivate *priv = get_priv (self);
  guint i;

  cairo_rectangle (cr, frame->x - MARKER_RADIUS - 1, frame->y - MARKER_RADIUS - 1,
                   frame->width + 2 * MARKER_RADIUS + 2, frame->height + 2 * MARKER_RADIUS + 2);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  for (i = 0; i < priv->series->len; i++)
    {
      Series *s = &g_array_index (priv->series, Series, i);
      CsColor color = cs_chart_get_series_color (chart, layer, i);
      gsize j, finite = 0;
      gboolean own_top, own_base;
      g_autofree double *free_top = NULL;
      g_autofree double *free_base = NULL;
      const double *top, *base;

      if (!cs_chart_layer_get_series_visible (layer, i))
        continue;

      top = display_y (self, i, FALSE, &own_top);
      base = display_y (self, i, TRUE, &own_base);
      if (own_top)
        free_top = (double *) top;
      if (own_base)
        free_base = (double *) base;

      if (s->low != NULL && s->high != NULL)
        {
          fill_between (cr, frame, s->x, s->high, s->low, s->n);
          cs_chart_set_source_color (cr, &color, BAND_ALPHA);
          cairo_fill (cr);
        }
      if (priv->stacked)
        {
          /* Stacked areas do not overlap: each can be stronger. */
          fill_between (cr, frame, s->x, top, base, s->n);
          cs_chart_set_source_color (cr, &color, 2.0 * FILL_ALPHA);
          cairo_fill (cr);
        }
      else if (priv->fill)
        {
          fill_between (cr, frame, s->x, s->y, NULL, s->n);
          /* Overlapping areas mix; keep each faint so the mix stays readable. */
          cs_chart_set_source_color (cr, &color, priv->series->len > 1 ? FILL_ALPHA / 2.0 : FILL_ALPHA);
          cairo_fill (cr);
        }

      path_series (cr, frame, s->x, top, s->n);
      cairo_set_line_width (cr, LINE_WIDTH);
      cs_chart_set_source_color (cr, &color, 1.0);
      cairo_stroke (cr);

      for (j = 0; j < s->n; j++)
        if (isfinite (s->x[j]) && isfinite (s->y[j]))
          finite++;
      /* Markers where they fit; a lone point is always marked, or it
       * would not show at all. */
      if ((priv->markers && finite * MARKER_RADIUS * 3.0 < frame->width) || finite == 1)
        {
          for (j = 0; j < s->n; j++)
            {
              if (!isfinite (s->x[j]) || !isfinite (s->y[j]))
                continue;
              cairo_new_sub_path (cr);
              cairo_arc (cr, cs_chart_frame_value_to_x (frame, s->x[j]),
                         cs_chart_frame_value_to_y (frame, top[j]),
                         MARKER_RADIUS, 0, 2 * G_PI);
            }
          cairo_fill (cr);
        }
    }
}

/* Index of the finite point nearest @value along x, by bisection. */
static gboolean
nearest_index (const Series *s,
               double        value,
               gsize        *out)
{
  gsize lo = 0, hi = s->n, best = G_MAXSIZE, i;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (s->x[mid] < value)
        lo = mid + 1;
      else
        hi = mid;
    }
  /* NaNs around the spot: look a little either way. */
  for (i = lo; i < s->n && i < lo + 64; i++)
    if (isfinite (s->x[i]) && isfinite (s->y[i]))
      {
        best = i;
        break;
      }
  for (i = lo; i > 0 && i + 64 > lo; i--)
    if (isfinite (s->x[i - 1]) && isfinite (s->y[i - 1]))
      {
        if (best == G_MAXSIZE || fabs (s->x[i - 1] - value) <= fabs (s->x[best] - value))
          best = i - 1;
        break;
      }
  if (best == G_MAXSIZE)
    return FALSE;
  *out = best;
  return TRUE;
}

static gboolean
cs_line_layer_item_at (CsChartLayer       *layer,
                       const CsChartFrame *frame,
                       double              x,
                       double              y,
                       guint              *series,
                       guint              *index)
{
  CsLineLayerPrivate *priv = get_priv (CS_LINE_LAYER (layer));
  double best_d = INFINITY;
  guint i;

  if (x < frame->x - HIT_DISTANCE || x > frame->x + frame->width + HIT_DISTANCE ||
      y < frame->y - HIT_DISTANCE || y > frame->y + frame->height + HIT_DISTANCE)
    return FALSE;

  for (i = 0; i < priv->series->len; i++)
    {
      Series *s = &g_array_index (priv->series, Series, i);
      double dx, dy, d;
      gsize j;
      gboolean owned;
      const double *top;

      if (!cs_chart_layer_get_series_visible (layer, i) ||
          !nearest_index (s, cs_chart_frame_x_to_value (frame, x), &j))
        continue;
      top = display_y (CS_LINE_LAYER (layer), i, FALSE, &owned);
      dx = cs_chart_frame_value_to_x (frame, s->x[j]) - x;
      dy = cs_chart_frame_value_to_y (frame, top[j]) - y;
      if (owned)
        g_free ((double *) top);
      if (fabs (dx) > HIT_DISTANCE)
        continue;
      /* Along x first: the point in this column; then the nearest line. */
      d = fabs (dy) + fabs (dx) * 0.25;
      if (d < best_d)
        {
          best_d = d;
          *series = i;
          *index = (guint) j;
        }
    }
  return isfinite (best_d);
}

static char *
cs_line_layer_describe_item (CsChartLayer       *layer,
                             const CsChartFrame *frame,
                             guint               series,
                             guint               index)
{
  CsLineLayerPrivate *priv = get_priv (CS_LINE_LAYER (layer));
  Series *s = get_series (CS_LINE_LAYER (layer), series);
  g_autofree char *x_text = NULL;
  g_autofree char *y_text = NULL;
  g_autofree char *band = NULL;

  if (s == NULL || index >= s->n)
    return NULL;

  x_text = cs_chart_frame_format_x (frame, s->x[index]);
  y_text = cs_chart_frame_format_y (frame, s->y[index]);
  if (s->low != NULL && s->high != NULL && isfinite (s->low[index]) && isfinite (s->high[index]))
    {
      g_autofree char *lo = cs_chart_frame_format_y (frame, s->low[index]);
      g_autofree char *hi = cs_chart_frame_format_y (frame, s->high[index]);

      /* Translators: a band in a tooltip: " (95 % CI 0.070–0.090)". */
      band = g_strdup_printf (_(" (%s %s–%s)"),
                              /* xgettext:no-c-format */
                              priv->band_label != NULL ? priv->band_label : _("95 % CI"),
                              lo, hi);
    }

  if (s->name != NULL && s->name[0] != '\0')
    /* Translators: tooltip of a point on a line: series — x: y. */
    return g_strdup_printf (_("%s — %s: %s%s"), s->name, x_text, y_text, band != NULL ? band : "");
  return g_strdup_printf ("%s: %s%s", x_text, y_text, band != NULL ? band : "");
}

static char *
cs_line_layer_describe (CsChartLayer *layer)
{
  CsLineLayerPrivate *priv = get_priv (CS_LINE_LAYER (layer));
  g_autoptr(GString) str = g_string_new (NULL);
  guint i;

  for (i = 0; i < priv->series->len; i++)
    {
      Series *s = &g_array_index (priv->series, Series, i);
      double lo = INFINITY, hi = -INFINITY, last = NAN;
      gsize j, finite = 0;

      for (j = 0; j < s->n; j++)
        if (isfinite (s->x[j]) && isfinite (s->y[j]))
          {
            lo = MIN (lo, s->y[j]);
            hi = MAX (hi, s->y[j]);
            last = s->y[j];
            finite++;
          }
      if (finite == 0)
        continue;
      if (str->len > 0)
        g_string_append (str, "; ");
      {
        g_autofree char *lo_text = cs_chart_format_number (lo, FALSE);
        g_autofree char *hi_text = cs_chart_format_number (hi, FALSE);
        g_autofree char *last_text = cs_chart_format_number (last, FALSE);

        /* Translators: accessible summary of a line: name, point count, range, last value. */
        g_string_append_printf (str, _("%s: %u points from %s to %s, last %s"),
                                s->name != NULL ? s->name : "", (guint) finite,
                                lo_text, hi_text, last_text);
      }
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
cs_line_layer_finalize (GObject *object)
{
  CsLineLayerPrivate *priv = get_priv (CS_LINE_LAYER (object));

  g_clear_pointer (&priv->series, g_array_unref);
  g_clear_pointer (&priv->names, g_ptr_array_unref);
  g_clear_pointer (&priv->band_label, g_free);

  G_OBJECT_CLASS (cs_line_layer_parent_class)->finalize (object);
}

static void
cs_line_layer_class_init (CsLineLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  object_class->finalize = cs_line_layer_finalize;
  layer_class->get_x_range = cs_line_layer_get_x_range;
  layer_class->get_y_range = cs_line_layer_get_y_range;
  layer_class->get_series = cs_line_layer_get_series_names;
  layer_class->render = cs_line_layer_render;
  layer_class->item_at = cs_line_layer_item_at;
  layer_class->describe_item = cs_line_layer_describe_item;
  layer_class->describe = cs_line_layer_describe;
}

static void
cs_line_layer_init (CsLineLayer *self)
{
  CsLineLayerPrivate *priv = get_priv (self);

  priv->series = g_array_new (FALSE, TRUE, sizeof (Series));
  g_array_set_clear_func (priv->series, series_clear);
  priv->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (priv->names, NULL);
}

CsLineLayer *
cs_line_layer_new (void)
{
  return g_object_new (CS_TYPE_LINE_LAYER, NULL);
}

guint
cs_line_layer_add_series (CsLineLayer  *self,
                          const char   *name,
                          const double *x,
                          const double *y,
                          gsize         n)
{
  CsLineLayerPrivate *priv;
  Series s = { 0 };
  gsize i;

  g_return_val_if_fail (CS_IS_LINE_LAYER (self), 0);
  g_return_val_if_fail (y != NULL || n == 0, 0);

  priv = get_priv (self);
  s.name = g_strdup (name != NULL ? name : "");
  s.n = n;
  s.x = g_new (double, MAX (n, 1));
  s.y = g_new (double, MAX (n, 1));
  for (i = 0; i < n; i++)
    {
      s.x[i] = x != NULL ? x[i] : (double) i;
      s.y[i] = y[i];
    }
  g_array_append_val (priv->series, s);
  g_ptr_array_insert (priv->names, priv->names->len - 1, g_strdup (s.name));
  cs_chart_layer_changed (CS_CHART_LAYER (self));
  return priv->series->len - 1;
}

void
cs_line_layer_set_band (CsLineLayer  *self,
                        guint         series,
                        const double *low,
                        const double *high)
{
  Series *s;

  g_return_if_fail (CS_IS_LINE_LAYER (self));
  s = get_series (self, series);
  g_return_if_fail (s != NULL);

  g_clear_pointer (&s->low, g_free);
  g_clear_pointer (&s->high, g_free);
  if (low != NULL && high != NULL)
    {
      s->low = g_memdup2 (low, sizeof (double) * MAX (s->n, 1));
      s->high = g_memdup2 (high, sizeof (double) * MAX (s->n, 1));
    }
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

void
cs_line_layer_set_band_label (CsLineLayer *self,
                              const char  *label)
{
  CsLineLayerPrivate *priv;

  g_return_if_fail (CS_IS_LINE_LAYER (self));

  priv = get_priv (self);
  g_free (priv->band_label);
  priv->band_label = g_strdup (label);
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

void
cs_line_layer_clear (CsLineLayer *self)
{
  CsLineLayerPrivate *priv;

  g_return_if_fail (CS_IS_LINE_LAYER (self));

  priv = get_priv (self);
  g_array_set_size (priv->series, 0);
  g_ptr_array_set_size (priv->names, 0);
  g_ptr_array_add (priv->names, NULL);
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

void
cs_line_layer_set_markers (CsLineLayer *self,
                           gboolean     markers)
{
  g_return_if_fail (CS_IS_LINE_LAYER (self));

  get_priv (self)->markers = !!markers;
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

void
cs_line_layer_set_stacked (CsLineLayer *self,
                           gboolean     stacked)
{
  g_return_if_fail (CS_IS_LINE_LAYER (self));

  get_priv (self)->stacked = !!stacked;
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

void
cs_line_layer_set_fill (CsLineLayer *self,
                        gboolean     fill)
{
  g_return_if_fail (CS_IS_LINE_LAYER (self));

  get_priv (self)->fill = !!fill;
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

guint
cs_line_layer_get_n_series (CsLineLayer *self)
{
  g_return_val_if_fail (CS_IS_LINE_LAYER (self), 0);

  return get_priv (self)->series->len;
}

const double *
cs_line_layer_get_x (CsLineLayer *self,
                     guint        series,
                     gsize       *n)
{
  Series *s;

  g_return_val_if_fail (CS_IS_LINE_LAYER (self), NULL);

  s = get_series (self, series);
  if (n != NULL)
    *n = s != NULL ? s->n : 0;
  return s != NULL ? s->x : NULL;
}

const double *
cs_line_layer_get_y (CsLineLayer *self,
                     guint        series,
                     gsize       *n)
{
  Series *s;

  g_return_val_if_fail (CS_IS_LINE_LAYER (self), NULL);

  s = get_series (self, series);
  if (n != NULL)
    *n = s != NULL ? s->n : 0;
  return s != NULL ? s->y : NULL;
}

const char *
cs_line_layer_get_series_name (CsLineLayer *self,
                               guint        series)
{
  Series *s;

  g_return_val_if_fail (CS_IS_LINE_LAYER (self), NULL);

  s = get_series (self, series);
  return s != NULL ? s->name : NULL;
}
