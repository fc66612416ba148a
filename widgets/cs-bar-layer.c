/* cs-bar-layer.c: bars and grouped bars, with optional error bars.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cs-bar-layer.h"
#include "cs-chart.h"

#define DEFAULT_FORMAT  "%.3f"
/* Wider bars stop reading as bars; extra room goes around the group. */
#define MAX_BAR_WIDTH   64.0
#define CORNER_RADIUS    3.0
#define MAX_CAP_WIDTH   12.0
#define LABEL_GAP        3.0
#define WHISKER_ALPHA    0.8
#define LABEL_HEADROOM   0.08

struct _CsBarLayer
{
  CsChartLayer  parent_instance;

  char        **categories;   /* n_categories, NULL-terminated */
  char        **series;       /* n_series, NULL-terminated; NULL when unnamed */
  guint         n_categories;
  guint         n_series;
  double       *values;       /* n_categories × n_series, by category */
  double       *low;          /* nullable, same layout */
  double       *high;         /* nullable, same layout */
  char         *format;
  char         *error_label;
  gboolean      show_values;
};

G_DEFINE_FINAL_TYPE (CsBarLayer, cs_bar_layer, CS_TYPE_CHART_LAYER)

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

/* Accepts exactly one floating-point conversion (flags, width and
 * precision allowed) plus any "%%", so the format can never read a
 * missing argument. */
static gboolean
format_is_valid (const char *format)
{
  guint conversions = 0;
  const char *p;

  for (p = format; *p != '\0'; p++)
    {
      if (*p != '%')
        continue;
      p++;
      if (*p == '%')
        continue;
      while (*p != '\0' && strchr ("-+ #0'", *p) != NULL)
        p++;
      while (g_ascii_isdigit (*p))
        p++;
      if (*p == '.')
        {
          p++;
          while (g_ascii_isdigit (*p))
            p++;
        }
      if (*p == '\0' || strchr ("fFeEgGaA", *p) == NULL)
        return FALSE;
      conversions++;
    }
  return conversions == 1;
}

static char *
format_value (CsBarLayer *self,
              double      value)
{
  char *str;

  if (!isfinite (value))
    return g_strdup (_("no value"));

  /* The format was checked by format_is_valid(). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  str = g_strdup_printf (self->format, value);
#pragma GCC diagnostic pop

  if (str[0] == '-')
    {
      char *with_minus = g_strconcat ("−", str + 1, NULL);

      g_free (str);
      str = with_minus;
    }
  return str;
}

static inline double
cell (const double *array,
      CsBarLayer   *self,
      guint         category,
      guint         series)
{
  if (array == NULL)
    return NAN;
  return array[(gsize) category * self->n_series + series];
}

static const char *
series_name (CsBarLayer *self,
             guint       series)
{
  return self->series != NULL ? self->series[series] : "";
}

/* ------------------------------------------------------------------ */
/* Geometry                                                            */
/* ------------------------------------------------------------------ */

typedef struct
{
  double x;
  double width;
  double gap;   /* between bars of a group */
} BarSpan;

static BarSpan
bar_span (CsBarLayer         *self,
          const CsChartFrame *frame,
          guint               category,
          guint               series)
{
  BarSpan span;
  double slot = frame->width / self->n_categories;
  double group = slot * (self->n_series > 1 ? 0.76 : 0.6);
  double x0;

  span.gap = self->n_series > 1 ? CLAMP (group * 0.04, 1.0, 4.0) : 0.0;
  span.width = (group - span.gap * (self->n_series - 1)) / self->n_series;
  if (span.width > MAX_BAR_WIDTH)
    {
      span.width = MAX_BAR_WIDTH;
      group = span.width * self->n_series + span.gap * (self->n_series - 1);
    }
  x0 = frame->x + slot * category + (slot - group) / 2.0;
  span.x = x0 + series * (span.width + span.gap);
  return span;
}

static double
baseline_value (const CsChartFrame *frame)
{
  return CLAMP (0.0, frame->y_min, frame->y_max);
}

/* A rectangle with the two corners away from the baseline rounded. */
static void
bar_path (cairo_t  *cr,
          double    x0,
          double    y0,
          double    x1,
          double    y1,
          gboolean  round_top,
          double    radius)
{
  radius = MIN (radius, MIN ((x1 - x0) / 2.0, y1 - y0));
  if (radius < 0.5)
    {
      cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
      return;
    }

  cairo_new_sub_path (cr);
  if (round_top)
    {
      cairo_move_to (cr, x0, y1);
      cairo_arc (cr, x0 + radius, y0 + radius, radius, G_PI, 3 * G_PI / 2);
      cairo_arc (cr, x1 - radius, y0 + radius, radius, 3 * G_PI / 2, 2 * G_PI);
      cairo_line_to (cr, x1, y1);
    }
  else
    {
      cairo_move_to (cr, x0, y0);
      cairo_line_to (cr, x1, y0);
      cairo_arc (cr, x1 - radius, y1 - radius, radius, 0, G_PI / 2);
      cairo_arc (cr, x0 + radius, y1 - radius, radius, G_PI / 2, G_PI);
    }
  cairo_close_path (cr);
}

/* ------------------------------------------------------------------ */
/* CsChartLayer                                                        */
/* ------------------------------------------------------------------ */

static gboolean
cs_bar_layer_get_y_range (CsChartLayer *layer,
                          double       *min,
                          double       *max)
{
  CsBarLayer *self = CS_BAR_LAYER (layer);
  gsize i, n = (gsize) self->n_categories * self->n_series;
  double lo = 0.0, hi = 0.0;
  gboolean any = FALSE;

  /* Bars grow from zero, so zero is always on the axis. */
  for (i = 0; i < n; i++)
    {
      double v = self->values[i];

      if (!isfinite (v))
        continue;
      any = TRUE;
      lo = MIN (lo, v);
      hi = MAX (hi, v);
      if (self->low != NULL && isfinite (self->low[i]))
        {
          lo = MIN (lo, self->low[i]);
          hi = MAX (hi, self->low[i]);
        }
      if (self->high != NULL && isfinite (self->high[i]))
        {
          lo = MIN (lo, self->high[i]);
          hi = MAX (hi, self->high[i]);
        }
    }

  /* Headroom for the value labels: without it a bar reaching the top tick
   * leaves its label no room, and then no bar gets one. */
  if (self->show_values)
    {
      lo *= 1.0 + LABEL_HEADROOM;
      hi *= 1.0 + LABEL_HEADROOM;
    }

  *min = lo;
  *max = hi;
  return any;
}

static const char * const *
cs_bar_layer_get_categories (CsChartLayer *layer)
{
  return (const char * const *) CS_BAR_LAYER (layer)->categories;
}

static const char * const *
cs_bar_layer_get_series (CsChartLayer *layer)
{
  return (const char * const *) CS_BAR_LAYER (layer)->series;
}

/* Where the label of a bar goes: beyond the bar's end and its whisker. */
static double
value_label_y (CsBarLayer         *self,
               const CsChartFrame *frame,
               guint               category,
               guint               series,
               double              label_height)
{
  double v = cell (self->values, self, category, series);
  double lo = cell (self->low, self, category, series);
  double hi = cell (self->high, self, category, series);

  if (v >= baseline_value (frame))
    {
      double end = v;

      if (isfinite (hi))
        end = MAX (end, hi);
      return cs_chart_frame_value_to_y (frame, end) - LABEL_GAP - label_height;
    }
  else
    {
      double end = v;

      if (isfinite (lo))
        end = MIN (end, lo);
      return cs_chart_frame_value_to_y (frame, end) + LABEL_GAP;
    }
}

static void
draw_value_labels (CsBarLayer         *self,
                   CsChart            *chart,
                   cairo_t            *cr,
                   const CsChartFrame *frame)
{
  const CsChartStyle *style = cs_chart_get_render_style (chart);
  g_autoptr(GPtrArray) layouts = g_ptr_array_new_with_free_func (g_object_unref);
  guint c, s;

  /* All or none: a chart where some bars have numbers and others do not
   * looks like missing data. */
  for (c = 0; c < self->n_categories; c++)
    for (s = 0; s < self->n_series; s++)
      {
        double v = cell (self->values, self, c, s);
        BarSpan span = bar_span (self, frame, c, s);
        /* A dash marks a missing bar, as in a table. */
        g_autofree char *text = isfinite (v) ? format_value (self, v) : g_strdup ("–");
        PangoLayout *layout = cs_chart_create_layout (chart, cr, CS_CHART_FONT_VALUE, text);
        PangoRectangle logical;
        double w, h, y;

        g_ptr_array_add (layouts, layout);
        pango_layout_get_pixel_extents (layout, NULL, &logical);
        w = logical.width;
        h = logical.height;
        if (!isfinite (v))
          continue;
        if (w > span.width + span.gap)
          return;
        y = value_label_y (self, frame, c, s, h);
        if (y < frame->y - h / 2.0 || y + h > frame->y + frame->height + h / 2.0)
          return;
      }

  for (c = 0; c < self->n_categories; c++)
    for (s = 0; s < self->n_series; s++)
      {
        PangoLayout *layout = g_ptr_array_index (layouts, c * self->n_series + s);
        double v = cell (self->values, self, c, s);
        BarSpan span = bar_span (self, frame, c, s);
        PangoRectangle logical;
        double y;

        if (!cs_chart_layer_get_series_visible (CS_CHART_LAYER (self), s))
          continue;
        pango_layout_get_pixel_extents (layout, NULL, &logical);
        if (isfinite (v))
          {
            y = value_label_y (self, frame, c, s, logical.height);
            cs_chart_set_source_color (cr, &style->foreground, 0.85);
          }
        else
          {
            /* Missing: say so where the bar would stand. */
            if (logical.width > span.width + span.gap)
              continue;
            y = cs_chart_frame_value_to_y (frame, baseline_value (frame)) - LABEL_GAP - logical.height;
            cs_chart_set_source_color (cr, &style->foreground, 0.5);
          }
        cairo_move_to (cr, span.x + (span.width - logical.width) / 2.0, y);
        pango_cairo_show_layout (cr, layout);
      }
}

static void
cs_bar_layer_render (CsChartLayer       *layer,
                     CsChart            *chart,
                     cairo_t            *cr,
                     const CsChartFrame *frame)
{
  CsBarLayer *self = CS_BAR_LAYER (layer);
  const CsChartStyle *style = cs_chart_get_render_style (chart);
  double base = baseline_value (frame);
  double base_y = cs_chart_frame_value_to_y (frame, base);
  double lw = cs_chart_snap_width (cr, 1.0);
  guint c, s;

  if (self->n_categories == 0 || self->n_series == 0)
    return;

  for (s = 0; s < self->n_series; s++)
    {
      CsColor color = cs_chart_get_series_color (chart, layer, s);

      for (c = 0; c < self->n_categories; c++)
        {
          double v = cell (self->values, self, c, s);
          BarSpan span = bar_span (self, frame, c, s);
          double x0, x1, y0, y1, vy;

          if (!isfinite (v) || !cs_chart_layer_get_series_visible (layer, s))
            continue;

          vy = cs_chart_frame_value_to_y (frame, CLAMP (v, frame->y_min, frame->y_max));
          x0 = cs_chart_snap_x (cr, span.x, 0.0);
          x1 = MAX (cs_chart_snap_x (cr, span.x + span.width, 0.0), x0 + lw);
          y0 = cs_chart_snap_y (cr, MIN (vy, base_y), 0.0);
          y1 = cs_chart_snap_y (cr, MAX (vy, base_y), 0.0);
          if (y1 - y0 < lw / 2.0)
            continue;

          bar_path (cr, x0, y0, x1, y1, v >= base, CORNER_RADIUS);
          cs_chart_set_source_color (cr, &color, 1.0);
          cairo_fill (cr);
        }
    }

  if (self->low != NULL && self->high != NULL)
    {
      cairo_set_line_width (cr, lw);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
      cs_chart_set_source_color (cr, &style->foreground, WHISKER_ALPHA);

      for (c = 0; c < self->n_categories; c++)
        for (s = 0; s < self->n_series; s++)
          {
            double v = cell (self->values, self, c, s);
            double lo = cell (self->low, self, c, s);
            double hi = cell (self->high, self, c, s);
            BarSpan span = bar_span (self, frame, c, s);
            double cx, half_cap, ylo, yhi;

            if (!isfinite (v) || !isfinite (lo) || !isfinite (hi) ||
                !cs_chart_layer_get_series_visible (layer, s))
              continue;

            cx = cs_chart_snap_x (cr, span.x + span.width / 2.0, lw);
            half_cap = round (MIN (span.width * 0.5, MAX_CAP_WIDTH) / 2.0);
            ylo = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (frame, MIN (lo, hi)), lw);
            yhi = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (frame, MAX (lo, hi)), lw);

            cairo_move_to (cr, cx, ylo);
            cairo_line_to (cr, cx, yhi);
            cairo_move_to (cr, cx - half_cap, ylo);
            cairo_line_to (cr, cx + half_cap, ylo);
            cairo_move_to (cr, cx - half_cap, yhi);
            cairo_line_to (cr, cx + half_cap, yhi);
          }
      cairo_stroke (cr);
    }

  if (self->show_values)
    draw_value_labels (self, chart, cr, frame);
}

static char *
describe_bar (CsBarLayer *self,
              guint       category,
              guint       series)
{
  g_autofree char *value = format_value (self, cell (self->values, self, category, series));
  g_autofree char *interval = NULL;
  const char *name = series_name (self, series);
  double lo = cell (self->low, self, category, series);
  double hi = cell (self->high, self, category, series);

  if (isfinite (cell (self->values, self, category, series)) && isfinite (lo) && isfinite (hi))
    {
      g_autofree char *lo_text = format_value (self, lo);
      g_autofree char *hi_text = format_value (self, hi);

      /* Translators: an error bar in a tooltip: "(95 % CI 0.070–0.090)". */
      interval = g_strdup_printf (_("(%s %s–%s)"),
                                  /* xgettext:no-c-format */
                                  self->error_label != NULL ? self->error_label : _("95 % CI"),
                                  lo_text, hi_text);
    }

  if (name != NULL && name[0] != '\0')
    /* Translators: tooltip of a bar: series — category: value (interval). */
    return g_strdup_printf (_("%s — %s: %s%s%s"), name, self->categories[category],
                            value, interval != NULL ? " " : "", interval != NULL ? interval : "");
  return g_strdup_printf ("%s: %s%s%s", self->categories[category],
                          value, interval != NULL ? " " : "", interval != NULL ? interval : "");
}

static gboolean
cs_bar_layer_item_at (CsChartLayer       *layer,
                      const CsChartFrame *frame,
                      double              x,
                      double              y,
                      guint              *series,
                      guint              *index)
{
  CsBarLayer *self = CS_BAR_LAYER (layer);
  double slot;
  guint category, s;

  if (self->n_categories == 0 || self->n_series == 0 ||
      x < frame->x || x >= frame->x + frame->width ||
      y < frame->y - 8.0 || y > frame->y + frame->height)
    return FALSE;

  slot = frame->width / self->n_categories;
  category = MIN ((guint) ((x - frame->x) / slot), self->n_categories - 1);
  for (s = 0; s < self->n_series; s++)
    {
      BarSpan span = bar_span (self, frame, category, s);

      if (x >= span.x - span.gap / 2.0 - 0.5 && x < span.x + span.width + span.gap / 2.0 + 0.5)
        {
          *series = s;
          *index = category;
          return TRUE;
        }
    }
  return FALSE;
}

static char *
cs_bar_layer_describe_at (CsChartLayer       *layer,
                          const CsChartFrame *frame,
                          double              x,
                          double              y)
{
  CsBarLayer *self = CS_BAR_LAYER (layer);
  double slot;
  guint category, s;

  if (self->n_categories == 0 || self->n_series == 0)
    return NULL;
  /* The whole column answers, not just the bar: short bars are hard to
   * hit. A little above the plot still counts, for labels up there. */
  if (x < frame->x || x >= frame->x + frame->width ||
      y < frame->y - 8.0 || y > frame->y + frame->height)
    return NULL;

  slot = frame->width / self->n_categories;
  category = MIN ((guint) ((x - frame->x) / slot), self->n_categories - 1);

  for (s = 0; s < self->n_series; s++)
    {
      BarSpan span = bar_span (self, frame, category, s);

      if (x >= span.x - span.gap / 2.0 - 0.5 && x < span.x + span.width + span.gap / 2.0 + 0.5)
        return describe_bar (self, category, s);
    }
  return NULL;
}

static char *
cs_bar_layer_describe (CsChartLayer *layer)
{
  CsBarLayer *self = CS_BAR_LAYER (layer);
  g_autoptr(GString) str = g_string_new (NULL);
  guint c, s;

  for (c = 0; c < self->n_categories; c++)
    {
      if (c > 0)
        g_string_append (str, "; ");
      g_string_append_printf (str, "%s:", self->categories[c]);
      for (s = 0; s < self->n_series; s++)
        {
          g_autofree char *value = format_value (self, cell (self->values, self, c, s));
          const char *name = series_name (self, s);

          if (s > 0)
            g_string_append_c (str, ',');
          g_string_append_c (str, ' ');
          if (name != NULL && name[0] != '\0')
            g_string_append_printf (str, "%s ", name);
          g_string_append (str, value);
        }
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
clear_data (CsBarLayer *self)
{
  g_clear_pointer (&self->categories, g_strfreev);
  g_clear_pointer (&self->series, g_strfreev);
  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->low, g_free);
  g_clear_pointer (&self->high, g_free);
  self->n_categories = 0;
  self->n_series = 0;
}

static void
cs_bar_layer_finalize (GObject *object)
{
  CsBarLayer *self = CS_BAR_LAYER (object);

  clear_data (self);
  g_clear_pointer (&self->format, g_free);
  g_clear_pointer (&self->error_label, g_free);

  G_OBJECT_CLASS (cs_bar_layer_parent_class)->finalize (object);
}

static void
cs_bar_layer_class_init (CsBarLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  object_class->finalize = cs_bar_layer_finalize;

  layer_class->get_y_range = cs_bar_layer_get_y_range;
  layer_class->get_categories = cs_bar_layer_get_categories;
  layer_class->get_series = cs_bar_layer_get_series;
  layer_class->render = cs_bar_layer_render;
  layer_class->describe_at = cs_bar_layer_describe_at;
  layer_class->item_at = cs_bar_layer_item_at;
  layer_class->describe = cs_bar_layer_describe;
}

static void
cs_bar_layer_init (CsBarLayer *self)
{
  self->format = g_strdup (DEFAULT_FORMAT);
  self->show_values = TRUE;
}

CsBarLayer *
cs_bar_layer_new (void)
{
  return g_object_new (CS_TYPE_BAR_LAYER, NULL);
}

static double *
copy_doubles (const double *array,
              gsize         n)
{
  if (array == NULL || n == 0)
    return NULL;
  return g_memdup2 (array, n * sizeof (double));
}

void
cs_bar_layer_set_data (CsBarLayer         *self,
                       const char * const *categories,
                       guint               n_categories,
                       const char * const *series,
                       guint               n_series,
                       const double       *values,
                       const double       *low,
                       const double       *high)
{
  gsize n;

  g_return_if_fail (CS_IS_BAR_LAYER (self));
  g_return_if_fail (n_categories == 0 || n_series == 0 || values != NULL);
  g_return_if_fail ((low == NULL) == (high == NULL));

  clear_data (self);

  if (n_categories > 0 && n_series > 0)
    {
      n = (gsize) n_categories * n_series;
      self->n_categories = n_categories;
      self->n_series = n_series;
      self->categories = cs_chart_layer_copy_names (categories, n_categories);
      if (series != NULL)
        self->series = cs_chart_layer_copy_names (series, n_series);
      self->values = copy_doubles (values, n);
      self->low = copy_doubles (low, n);
      self->high = copy_doubles (high, n);
    }

  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

void
cs_bar_layer_set_value_format (CsBarLayer *self,
                               const char *format)
{
  g_return_if_fail (CS_IS_BAR_LAYER (self));

  if (format == NULL)
    format = DEFAULT_FORMAT;
  if (!format_is_valid (format))
    {
      g_critical ("%s: “%s” must have exactly one floating-point conversion",
                  G_STRFUNC, format);
      return;
    }
  if (g_strcmp0 (self->format, format) == 0)
    return;

  g_free (self->format);
  self->format = g_strdup (format);
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

double
cs_bar_layer_get_value (CsBarLayer *self,
                        guint       category,
                        guint       series)
{
  g_return_val_if_fail (CS_IS_BAR_LAYER (self), NAN);
  g_return_val_if_fail (category < self->n_categories, NAN);
  g_return_val_if_fail (series < self->n_series, NAN);

  return cell (self->values, self, category, series);
}

guint
cs_bar_layer_get_n_categories (CsBarLayer *self)
{
  g_return_val_if_fail (CS_IS_BAR_LAYER (self), 0);

  return self->n_categories;
}

guint
cs_bar_layer_get_n_series (CsBarLayer *self)
{
  g_return_val_if_fail (CS_IS_BAR_LAYER (self), 0);

  return self->n_series;
}

void
cs_bar_layer_set_error_label (CsBarLayer *self,
                              const char *label)
{
  g_return_if_fail (CS_IS_BAR_LAYER (self));

  if (g_strcmp0 (self->error_label, label) == 0)
    return;
  g_free (self->error_label);
  self->error_label = g_strdup (label);
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

void
cs_bar_layer_set_show_values (CsBarLayer *self,
                              gboolean    show_values)
{
  g_return_if_fail (CS_IS_BAR_LAYER (self));

  show_values = !!show_values;
  if (self->show_values == show_values)
    return;
  self->show_values = show_values;
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}
