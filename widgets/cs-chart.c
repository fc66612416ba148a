/* cs-chart.c: a chart model and its Cairo drawing, without GTK.
 *
 * Rendering is one pass over a computed layout: header (title, legend),
 * y axis (label, tick labels), x axis (category labels, label) and the plot
 * rectangle the layers draw into. The layout depends on itself (the tick
 * labels' width narrows the plot, which may rotate the category labels,
 * which takes height from the plot, which changes the ticks), so it is
 * computed a few times until it settles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "cs-chart.h"
#include "cs-chart-axis.h"

#define DEFAULT_FONT_FAMILY "Cantarell, Sans"
#define DEFAULT_FONT_SIZE   10.0

#define PAD                 12.0
#define HEADER_GAP          10.0
#define LEGEND_SWATCH       10.0
#define LEGEND_SWATCH_GAP    6.0
#define LEGEND_ITEM_GAP     16.0
#define LEGEND_ROW_GAP       4.0
#define TICK_LABEL_GAP       8.0
#define CATEGORY_GAP         6.0
#define AXIS_LABEL_GAP       6.0
#define MIN_TICK_SPACING    40.0
#define EXPORT_PNG_SCALE     2.0

/* Secondary text is the foreground at a lower alpha, as Adwaita's
 * dim-label does. */
#define TICK_ALPHA    0.65
#define LABEL_ALPHA   0.80
#define MESSAGE_ALPHA 0.55
#define BASELINE_ALPHA 0.35

struct _CsChart
{
  GObject                parent_instance;

  char                  *title;
  char                  *x_label;
  char                  *y_label;
  GListStore            *layers;
  CsChartStyle           style;
  char                  *font_family;   /* owns style.font_family */
  CsChartLegendPosition  legend_position;
  CsChartAxisKind        axis_kind[2];
  gboolean               axis_percent[2];
  gboolean               y_log;
  char                  *axis_unit[2];
  /* Legend entries of the last render that asked for its frame (the
   * view's), for clicks that toggle a series. */
  GArray                *legend_boxes;  /* LegendBox */

  /* Only while cs_chart_render_full() runs. */
  const CsChartStyle    *render_style;
  PangoContext          *render_pango;
};

typedef struct
{
  double x, y, width, height;
  guint  layer;
  guint  series;
} LegendBox;

#define X_TICK_GAP 12.0

G_DEFINE_FINAL_TYPE (CsChart, cs_chart, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_X_LABEL,
  PROP_Y_LABEL,
  N_PROPS,
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0, 1.0 }

/* Okabe & Ito (2008), reordered so the first two are the most distinct
 * pair and yellow, weak on white, comes late; black became grey so it
 * works on both backgrounds. */
static const CsColor palette_light[] = {
  RGB (0x0072B2), /* blue */
  RGB (0xE69F00), /* orange */
  RGB (0x009E73), /* bluish green */
  RGB (0xD55E00), /* vermillion */
  RGB (0xCC79A7), /* reddish purple */
  RGB (0x56B4E9), /* sky blue */
  RGB (0xF0E442), /* yellow */
  RGB (0x6E6E6E), /* grey */
};

/* The darker hues lightened just enough to stand out on Adwaita's dark
 * background while keeping their hue, so the pairs stay distinguishable. */
static const CsColor palette_dark[] = {
  RGB (0x3A9BDC),
  RGB (0xEFA81C),
  RGB (0x1DB88C),
  RGB (0xF07A2E),
  RGB (0xDD8FBB),
  RGB (0x6CC2F0),
  RGB (0xF0E442),
  RGB (0xA8A8A8),
};

G_STATIC_ASSERT (G_N_ELEMENTS (palette_light) == G_N_ELEMENTS (palette_dark));

/* ------------------------------------------------------------------ */
/* Style                                                               */
/* ------------------------------------------------------------------ */

void
cs_chart_style_init_default (CsChartStyle *style,
                             gboolean      dark)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  if (dark)
    style->foreground = (CsColor) { 1.0, 1.0, 1.0, 1.0 };
  else
    style->foreground = (CsColor) { 0.0, 0.0, 0.0, 0.8 };
  style->background = (CsColor) { 0.0, 0.0, 0.0, 0.0 };
  style->grid = style->foreground;
  style->grid.a = dark ? 0.12 : 0.1;
  style->dark = dark;
  style->font_family = NULL;
  style->font_size = 0.0;
}

static gboolean
color_equal (const CsColor *a,
             const CsColor *b)
{
  return a->r == b->r && a->g == b->g && a->b == b->b && a->a == b->a;
}

static gboolean
style_equal (const CsChartStyle *a,
             const CsChartStyle *b)
{
  return color_equal (&a->foreground, &b->foreground) &&
         color_equal (&a->background, &b->background) &&
         color_equal (&a->grid, &b->grid) &&
         !a->dark == !b->dark &&
         g_strcmp0 (a->font_family, b->font_family) == 0 &&
         a->font_size == b->font_size;
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
emit_changed (CsChart *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
layer_changed_cb (CsChart      *self,
                  CsChartLayer *layer)
{
  emit_changed (self);
}

static void
cs_chart_dispose (GObject *object)
{
  CsChart *self = CS_CHART (object);

  if (self->layers != NULL)
    cs_chart_remove_all_layers (self);
  g_clear_object (&self->layers);

  G_OBJECT_CLASS (cs_chart_parent_class)->dispose (object);
}

static void
cs_chart_finalize (GObject *object)
{
  CsChart *self = CS_CHART (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->x_label, g_free);
  g_clear_pointer (&self->y_label, g_free);
  g_clear_pointer (&self->font_family, g_free);
  g_clear_pointer (&self->axis_unit[0], g_free);
  g_clear_pointer (&self->axis_unit[1], g_free);
  g_clear_pointer (&self->legend_boxes, g_array_unref);

  G_OBJECT_CLASS (cs_chart_parent_class)->finalize (object);
}

static void
cs_chart_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CsChart *self = CS_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_X_LABEL:
      g_value_set_string (value, self->x_label);
      break;

    case PROP_Y_LABEL:
      g_value_set_string (value, self->y_label);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_chart_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  CsChart *self = CS_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      cs_chart_set_title (self, g_value_get_string (value));
      break;

    case PROP_X_LABEL:
      cs_chart_set_x_label (self, g_value_get_string (value));
      break;

    case PROP_Y_LABEL:
      cs_chart_set_y_label (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_chart_class_init (CsChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cs_chart_dispose;
  object_class->finalize = cs_chart_finalize;
  object_class->get_property = cs_chart_get_property;
  object_class->set_property = cs_chart_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_X_LABEL] =
    g_param_spec_string ("x-label", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_Y_LABEL] =
    g_param_spec_string ("y-label", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CsChart::changed:
   *
   * Data, labels or style changed; views redraw and update their
   * accessible description.
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
cs_chart_init (CsChart *self)
{
  self->layers = g_list_store_new (CS_TYPE_CHART_LAYER);
  cs_chart_style_init_default (&self->style, FALSE);
  self->legend_position = CS_CHART_LEGEND_AUTO;
  self->legend_boxes = g_array_new (FALSE, TRUE, sizeof (LegendBox));
}

CsChart *
cs_chart_new (void)
{
  return g_object_new (CS_TYPE_CHART, NULL);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

const char *
cs_chart_get_title (CsChart *self)
{
  g_return_val_if_fail (CS_IS_CHART (self), NULL);

  return self->title;
}

void
cs_chart_set_title (CsChart    *self,
                    const char *title)
{
  g_return_if_fail (CS_IS_CHART (self));

  if (set_string (&self->title, title))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
      emit_changed (self);
    }
}

const char *
cs_chart_get_y_label (CsChart *self)
{
  g_return_val_if_fail (CS_IS_CHART (self), NULL);

  return self->y_label;
}

void
cs_chart_set_y_label (CsChart    *self,
                      const char *label)
{
  g_return_if_fail (CS_IS_CHART (self));

  if (set_string (&self->y_label, label))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y_LABEL]);
      emit_changed (self);
    }
}

const char *
cs_chart_get_x_label (CsChart *self)
{
  g_return_val_if_fail (CS_IS_CHART (self), NULL);

  return self->x_label;
}

void
cs_chart_set_x_label (CsChart    *self,
                      const char *label)
{
  g_return_if_fail (CS_IS_CHART (self));

  if (set_string (&self->x_label, label))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_X_LABEL]);
      emit_changed (self);
    }
}

void
cs_chart_add_layer (CsChart      *self,
                    CsChartLayer *layer)
{
  g_return_if_fail (CS_IS_CHART (self));
  g_return_if_fail (CS_IS_CHART_LAYER (layer));

  g_signal_connect_object (layer, "changed",
                           G_CALLBACK (layer_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_list_store_append (self->layers, layer);
  emit_changed (self);
}

void
cs_chart_remove_all_layers (CsChart *self)
{
  guint i, n;

  g_return_if_fail (CS_IS_CHART (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->layers));
  if (n == 0)
    return;

  for (i = 0; i < n; i++)
    {
      g_autoptr(CsChartLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->layers), i);

      g_signal_handlers_disconnect_by_func (layer, layer_changed_cb, self);
    }
  g_list_store_remove_all (self->layers);
  emit_changed (self);
}

GListModel *
cs_chart_get_layers (CsChart *self)
{
  g_return_val_if_fail (CS_IS_CHART (self), NULL);

  return G_LIST_MODEL (self->layers);
}

void
cs_chart_set_style (CsChart            *self,
                    const CsChartStyle *style)
{
  CsChartStyle copy;

  g_return_if_fail (CS_IS_CHART (self));
  g_return_if_fail (style != NULL);

  if (style_equal (&self->style, style))
    return;

  copy = *style;
  g_free (self->font_family);
  self->font_family = g_strdup (style->font_family);
  copy.font_family = self->font_family;
  self->style = copy;
  emit_changed (self);
}

const CsChartStyle *
cs_chart_get_style (CsChart *self)
{
  g_return_val_if_fail (CS_IS_CHART (self), NULL);

  return &self->style;
}

const CsChartStyle *
cs_chart_get_render_style (CsChart *self)
{
  g_return_val_if_fail (CS_IS_CHART (self), NULL);

  return self->render_style != NULL ? self->render_style : &self->style;
}

CsChartLegendPosition
cs_chart_get_legend_position (CsChart *self)
{
  g_return_val_if_fail (CS_IS_CHART (self), CS_CHART_LEGEND_AUTO);

  return self->legend_position;
}

void
cs_chart_set_legend_position (CsChart               *self,
                              CsChartLegendPosition  position)
{
  g_return_if_fail (CS_IS_CHART (self));
  g_return_if_fail (position <= CS_CHART_LEGEND_HIDDEN);

  if (self->legend_position == position)
    return;
  self->legend_position = position;
  emit_changed (self);
}

void
cs_chart_set_axis_kind (CsChart         *self,
                        CsChartAxis      axis,
                        CsChartAxisKind  kind)
{
  g_return_if_fail (CS_IS_CHART (self));
  g_return_if_fail (axis <= CS_CHART_AXIS_Y);
  g_return_if_fail (kind <= CS_CHART_AXIS_TIME);

  if (self->axis_kind[axis] == kind)
    return;
  self->axis_kind[axis] = kind;
  emit_changed (self);
}

CsChartAxisKind
cs_chart_get_axis_kind (CsChart     *self,
                        CsChartAxis  axis)
{
  g_return_val_if_fail (CS_IS_CHART (self), CS_CHART_AXIS_AUTO);
  g_return_val_if_fail (axis <= CS_CHART_AXIS_Y, CS_CHART_AXIS_AUTO);

  return self->axis_kind[axis];
}

void
cs_chart_set_axis_percent (CsChart     *self,
                           CsChartAxis  axis,
                           gboolean     percent)
{
  g_return_if_fail (CS_IS_CHART (self));
  g_return_if_fail (axis <= CS_CHART_AXIS_Y);

  if (!self->axis_percent[axis] == !percent)
    return;
  self->axis_percent[axis] = !!percent;
  emit_changed (self);
}

gboolean
cs_chart_get_axis_percent (CsChart     *self,
                           CsChartAxis  axis)
{
  g_return_val_if_fail (CS_IS_CHART (self), FALSE);
  g_return_val_if_fail (axis <= CS_CHART_AXIS_Y, FALSE);

  return self->axis_percent[axis];
}

void
cs_chart_set_y_log (CsChart  *self,
                    gboolean  log)
{
  g_return_if_fail (CS_IS_CHART (self));

  if (!self->y_log == !log)
    return;
  self->y_log = !!log;
  emit_changed (self);
}

gboolean
cs_chart_get_y_log (CsChart *self)
{
  g_return_val_if_fail (CS_IS_CHART (self), FALSE);

  return self->y_log;
}

void
cs_chart_set_axis_unit (CsChart     *self,
                        CsChartAxis  axis,
                        const char  *unit)
{
  g_return_if_fail (CS_IS_CHART (self));
  g_return_if_fail (axis <= CS_CHART_AXIS_Y);

  if (set_string (&self->axis_unit[axis], unit))
    emit_changed (self);
}

const char *
cs_chart_get_axis_unit (CsChart     *self,
                        CsChartAxis  axis)
{
  g_return_val_if_fail (CS_IS_CHART (self), NULL);
  g_return_val_if_fail (axis <= CS_CHART_AXIS_Y, NULL);

  return self->axis_unit[axis];
}

CsColor
cs_chart_palette_color (CsChart *self,
                        guint    index)
{
  const CsChartStyle *style;

  g_return_val_if_fail (CS_IS_CHART (self), palette_light[0]);

  style = cs_chart_get_render_style (self);
  index %= G_N_ELEMENTS (palette_light);
  return style->dark ? palette_dark[index] : palette_light[index];
}

static guint
layer_n_series (CsChartLayer *layer)
{
  const char * const *series = cs_chart_layer_get_series (layer);

  /* A layer without series names still draws in one colour. */
  if (series == NULL || series[0] == NULL)
    return 1;
  return g_strv_length ((char **) series);
}

CsColor
cs_chart_get_series_color (CsChart      *self,
                           CsChartLayer *layer,
                           guint         series)
{
  GListModel *layers;
  guint i, n, offset = 0;

  g_return_val_if_fail (CS_IS_CHART (self), palette_light[0]);
  g_return_val_if_fail (CS_IS_CHART_LAYER (layer), palette_light[0]);

  layers = G_LIST_MODEL (self->layers);
  n = g_list_model_get_n_items (layers);
  for (i = 0; i < n; i++)
    {
      g_autoptr(CsChartLayer) other = g_list_model_get_item (layers, i);

      if (other == layer)
        break;
      offset += layer_n_series (other);
    }
  return cs_chart_palette_color (self, offset + series);
}

CsColor
cs_chart_sequential_color (CsChart *self,
                           double   t)
{
  /* viridis at ninths (van der Walt & Smith, matplotlib). */
  static const CsColor viridis[] = {
    RGB (0x440154), RGB (0x482878), RGB (0x3E4A89), RGB (0x31688E), RGB (0x26828E),
    RGB (0x1F9E89), RGB (0x35B779), RGB (0x6DCD59), RGB (0xFDE725),
  };
  const guint last = G_N_ELEMENTS (viridis) - 1;
  CsColor c;
  double pos, f;
  gboolean light;
  guint i;

  g_return_val_if_fail (CS_IS_CHART (self), viridis[0]);

  if (!isfinite (t))
    t = 0.0;
  t = CLAMP (t, 0.0, 1.0);
  light = !cs_chart_get_render_style (self)->dark;
  pos = (light ? 1.0 - t : t) * last;
  i = MIN ((guint) floor (pos), last - 1);
  f = pos - i;
  c.r = viridis[i].r + (viridis[i + 1].r - viridis[i].r) * f;
  c.g = viridis[i].g + (viridis[i + 1].g - viridis[i].g) * f;
  c.b = viridis[i].b + (viridis[i + 1].b - viridis[i].b) * f;
  c.a = 1.0;
  /* On white, full-strength yellow for "little" shouts; fade the low end
   * towards white so more ink means more. Lightness stays monotonic. */
  if (light)
    {
      double w = 0.25 + 0.75 * t;

      c.r = 1.0 - (1.0 - c.r) * w;
      c.g = 1.0 - (1.0 - c.g) * w;
      c.b = 1.0 - (1.0 - c.b) * w;
    }
  return c;
}

CsColor
cs_chart_text_color_on (const CsColor *background)
{
  static const CsColor black = { 0.0, 0.0, 0.0, 0.87 };
  static const CsColor white = { 1.0, 1.0, 1.0, 1.0 };
  double luminance;

  g_return_val_if_fail (background != NULL, black);

  luminance = 0.2126 * background->r + 0.7152 * background->g + 0.0722 * background->b;
  return luminance > 0.45 ? black : white;
}

double
cs_chart_show_text (CsChart       *self,
                    cairo_t       *cr,
                    CsChartFont    role,
                    const char    *text,
                    double         x,
                    double         y,
                    double         xalign,
                    double         yalign,
                    double         max_width,
                    const CsColor *color,
                    double         alpha)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle logical;
  double w, h;

  g_return_val_if_fail (CS_IS_CHART (self), 0.0);
  g_return_val_if_fail (cr != NULL, 0.0);
  g_return_val_if_fail (color != NULL, 0.0);

  layout = cs_chart_create_layout (self, cr, role, text);
  pango_layout_get_extents (layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  h = (double) logical.height / PANGO_SCALE;
  if (max_width > 0.0 && w > max_width)
    return 0.0;
  cairo_move_to (cr, x - w * xalign, y - h * yalign);
  cs_chart_set_source_color (cr, color, alpha);
  pango_cairo_show_layout (cr, layout);
  return MAX (w, 0.01);
}

void
cs_chart_set_source_color (cairo_t       *cr,
                           const CsColor *color,
                           double         alpha)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (color != NULL);

  cairo_set_source_rgba (cr, color->r, color->g, color->b, color->a * alpha);
}

/* ------------------------------------------------------------------ */
/* Pixel grid                                                          */
/* ------------------------------------------------------------------ */

static double
device_scale_along (cairo_t  *cr,
                    gboolean  vertical)
{
  double dx = vertical ? 0.0 : 1.0;
  double dy = vertical ? 1.0 : 0.0;
  double s;

  cairo_user_to_device_distance (cr, &dx, &dy);
  s = hypot (dx, dy);
  return s > 0.0 ? s : 1.0;
}

static double
snap_along (cairo_t  *cr,
            double    coord,
            double    line_width,
            gboolean  vertical)
{
  double scale = device_scale_along (cr, vertical);
  double x = vertical ? 0.0 : coord;
  double y = vertical ? coord : 0.0;
  double *c = vertical ? &y : &x;

  cairo_user_to_device (cr, &x, &y);
  if (line_width > 0.0 && ((long) MAX (1.0, round (line_width * scale))) % 2 == 1)
    *c = floor (*c) + 0.5;
  else
    *c = round (*c);
  cairo_device_to_user (cr, &x, &y);
  return *c;
}

double
cs_chart_snap_x (cairo_t *cr,
                 double   x,
                 double   line_width)
{
  g_return_val_if_fail (cr != NULL, x);

  return snap_along (cr, x, line_width, FALSE);
}

double
cs_chart_snap_y (cairo_t *cr,
                 double   y,
                 double   line_width)
{
  g_return_val_if_fail (cr != NULL, y);

  return snap_along (cr, y, line_width, TRUE);
}

double
cs_chart_snap_width (cairo_t *cr,
                     double   line_width)
{
  double scale;

  g_return_val_if_fail (cr != NULL, line_width);

  scale = device_scale_along (cr, TRUE);
  return MAX (1.0, round (line_width * scale)) / scale;
}

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

static PangoContext *
create_pango_context (cairo_t *cr)
{
  cairo_font_options_t *options = cairo_font_options_create ();
  PangoContext *context = pango_cairo_create_context (cr);

  /* Take the caller's options (GTK's, or the tests' pinned ones) from the
   * cairo_t explicitly rather than rely on Pango's version-dependent
   * merging. */
  cairo_get_font_options (cr, options);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  return context;
}

PangoLayout *
cs_chart_create_layout (CsChart     *self,
                        cairo_t     *cr,
                        CsChartFont  role,
                        const char  *text)
{
  static const double factors[] = {
    [CS_CHART_FONT_TITLE] = 1.15,
    [CS_CHART_FONT_LABEL] = 0.95,
    [CS_CHART_FONT_TICK] = 0.85,
    [CS_CHART_FONT_LEGEND] = 0.9,
    [CS_CHART_FONT_VALUE] = 0.8,
    [CS_CHART_FONT_MESSAGE] = 1.1,
  };
  const CsChartStyle *style;
  PangoContext *context;
  PangoFontDescription *desc;
  PangoLayout *layout;
  double size;

  g_return_val_if_fail (CS_IS_CHART (self), NULL);
  g_return_val_if_fail (cr != NULL, NULL);
  g_return_val_if_fail (role <= CS_CHART_FONT_MESSAGE, NULL);

  style = cs_chart_get_render_style (self);
  if (self->render_pango != NULL)
    context = g_object_ref (self->render_pango);
  else
    context = create_pango_context (cr);

  size = style->font_size > 0.0 ? style->font_size : DEFAULT_FONT_SIZE;
  desc = pango_font_description_new ();
  pango_font_description_set_family (desc, style->font_family != NULL && style->font_family[0] != '\0'
                                             ? style->font_family : DEFAULT_FONT_FAMILY);
  pango_font_description_set_size (desc, (int) round (size * factors[role] * PANGO_SCALE));
  if (role == CS_CHART_FONT_TITLE)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);

  layout = pango_layout_new (context);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_font_description_free (desc);
  g_object_unref (context);
  return layout;
}

static void
layout_size (PangoLayout *layout,
             double      *width,
             double      *height)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  if (width != NULL)
    *width = (double) logical.width / PANGO_SCALE;
  if (height != NULL)
    *height = (double) logical.height / PANGO_SCALE;
}

static void
show_layout (cairo_t       *cr,
             PangoLayout   *layout,
             double         x,
             double         y,
             const CsColor *color,
             double         alpha)
{
  cairo_move_to (cr, x, y);
  cs_chart_set_source_color (cr, color, alpha);
  pango_cairo_show_layout (cr, layout);
}

static void
single_line_ellipsized (PangoLayout *layout,
                        double       width)
{
  pango_layout_set_width (layout, (int) (MAX (width, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
}

/* ------------------------------------------------------------------ */
/* Layout                                                              */
/* ------------------------------------------------------------------ */

typedef struct
{
  PangoLayout *layout;
  CsColor      color;
  double       x, y;
  guint        layer;
  guint        series;
  gboolean     visible;
} LegendItem;

typedef enum
{
  CATEGORIES_HORIZONTAL,
  CATEGORIES_HORIZONTAL_SPARSE,  /* single lines, every stride-th */
  CATEGORIES_ROTATED,
} CategoryMode;

typedef struct
{
  PangoLayout        *title;
  double              title_y;
  GArray             *legend;          /* LegendItem */
  double              legend_row_height;
  gboolean            legend_right;
  double              legend_x;
  PangoLayout        *y_label;
  PangoLayout        *x_label;
  double              x_label_y;
  double              header_bottom;

  CsChartTicks        ticks;
  GPtrArray          *tick_labels;
  double              tick_height;
  double              tick_width;

  /* Along y: categories (top to bottom) instead of ticks. */
  const char * const *y_categories;
  guint               n_y_categories;

  /* Along x: numeric or time ticks instead of categories. */
  CsChartAxisKind     x_kind;
  gboolean            x_ticked;
  guint               n_x_ticks;
  double              x_ticks[CS_CHART_TICKS_MAX];
  GPtrArray          *x_tick_labels;
  double              side_width;

  const char * const *categories;
  guint               n_categories;
  GPtrArray          *category_labels;
  CategoryMode        category_mode;
  guint               category_stride;
  double              category_line_height;

  CsChartFrame        frame;
} Layout;

static void
legend_item_clear (gpointer data)
{
  LegendItem *item = data;

  g_clear_object (&item->layout);
}

static void
layout_clear (Layout *l)
{
  g_clear_object (&l->title);
  g_clear_pointer (&l->legend, g_array_unref);
  g_clear_object (&l->y_label);
  g_clear_object (&l->x_label);
  g_clear_pointer (&l->tick_labels, g_ptr_array_unref);
  g_clear_pointer (&l->category_labels, g_ptr_array_unref);
  g_clear_pointer (&l->x_tick_labels, g_ptr_array_unref);
}

static gboolean
has_text (const char *str)
{
  return str != NULL && str[0] != '\0';
}

static double
line_height (CsChart     *self,
             cairo_t     *cr,
             CsChartFont  role)
{
  g_autoptr(PangoLayout) layout = cs_chart_create_layout (self, cr, role, "0");
  double h;

  layout_size (layout, NULL, &h);
  return h;
}

/* Flows the legend items into rows from @top; returns the bottom. */
static double
layout_legend_top (CsChart *self,
                   Layout  *l,
                   double   left,
                   double   right,
                   double   top,
                   double   first_row_right)
{
  double x = left, y = top, limit = first_row_right;
  guint i;

  for (i = 0; i < l->legend->len; i++)
    {
      LegendItem *item = &g_array_index (l->legend, LegendItem, i);
      double text_w, item_w;

      single_line_ellipsized (item->layout, right - left - LEGEND_SWATCH - LEGEND_SWATCH_GAP);
      layout_size (item->layout, &text_w, NULL);
      item_w = LEGEND_SWATCH + LEGEND_SWATCH_GAP + text_w;
      if (x > left && x + item_w > limit)
        {
          x = left;
          y += l->legend_row_height + LEGEND_ROW_GAP;
          limit = right;
        }
      item->x = x;
      item->y = y;
      x += item_w + LEGEND_ITEM_GAP;
    }
  return y + l->legend_row_height;
}

static void
collect_legend (CsChart *self,
                cairo_t *cr,
                Layout  *l)
{
  GListModel *layers = G_LIST_MODEL (self->layers);
  guint i, n = g_list_model_get_n_items (layers);

  l->legend = g_array_new (FALSE, TRUE, sizeof (LegendItem));
  g_array_set_clear_func (l->legend, legend_item_clear);

  for (i = 0; i < n; i++)
    {
      g_autoptr(CsChartLayer) layer = g_list_model_get_item (layers, i);
      const char * const *series = cs_chart_layer_get_series (layer);
      guint j;

      for (j = 0; series != NULL && series[j] != NULL; j++)
        {
          LegendItem item = { 0 };

          item.layout = cs_chart_create_layout (self, cr, CS_CHART_FONT_LEGEND, series[j]);
          item.color = cs_chart_get_series_color (self, layer, j);
          item.layer = i;
          item.series = j;
          item.visible = cs_chart_layer_get_series_visible (layer, j);
          g_array_append_val (l->legend, item);
        }
    }

  /* One series needs no key: the title or axis label names it. */
  if (l->legend->len < 2 || self->legend_position == CS_CHART_LEGEND_HIDDEN)
    g_array_set_size (l->legend, 0);

  l->legend_row_height = line_height (self, cr, CS_CHART_FONT_LEGEND);
}

static const char * const *
find_categories (CsChart *self,
                 guint   *n_categories)
{
  GListModel *layers = G_LIST_MODEL (self->layers);
  guint i, n = g_list_model_get_n_items (layers);

  if (self->axis_kind[CS_CHART_AXIS_X] == CS_CHART_AXIS_NUMERIC ||
      self->axis_kind[CS_CHART_AXIS_X] == CS_CHART_AXIS_TIME)
    {
      *n_categories = 0;
      return NULL;
    }

  /* The categorical x axis belongs to the first layer that has one. */
  for (i = 0; i < n; i++)
    {
      g_autoptr(CsChartLayer) layer = g_list_model_get_item (layers, i);
      const char * const *categories = cs_chart_layer_get_categories (layer);

      if (categories != NULL && categories[0] != NULL)
        {
          *n_categories = g_strv_length ((char **) categories);
          return categories;
        }
    }
  *n_categories = 0;
  return NULL;
}

static const char * const *
find_y_categories (CsChart *self,
                   guint   *n_categories)
{
  GListModel *layers = G_LIST_MODEL (self->layers);
  guint i, n = g_list_model_get_n_items (layers);

  *n_categories = 0;
  if (self->axis_kind[CS_CHART_AXIS_Y] == CS_CHART_AXIS_NUMERIC ||
      self->axis_kind[CS_CHART_AXIS_Y] == CS_CHART_AXIS_TIME)
    return NULL;

  for (i = 0; i < n; i++)
    {
      g_autoptr(CsChartLayer) layer = g_list_model_get_item (layers, i);
      const char * const *categories = cs_chart_layer_get_y_categories (layer);

      if (categories != NULL && categories[0] != NULL)
        {
          *n_categories = g_strv_length ((char **) categories);
          return categories;
        }
    }
  return NULL;
}

static gboolean
x_data_range (CsChart *self,
              double  *lo,
              double  *hi)
{
  GListModel *layers = G_LIST_MODEL (self->layers);
  guint i, n = g_list_model_get_n_items (layers);
  gboolean any = FALSE;

  *lo = INFINITY;
  *hi = -INFINITY;
  for (i = 0; i < n; i++)
    {
      g_autoptr(CsChartLayer) layer = g_list_model_get_item (layers, i);
      double min, max;

      if (cs_chart_layer_get_x_range (layer, &min, &max) && isfinite (min) && isfinite (max))
        {
          *lo = MIN (*lo, MIN (min, max));
          *hi = MAX (*hi, MAX (min, max));
          any = TRUE;
        }
    }
  return any;
}

/* Numeric or time ticks along x for a plot @plot_width wide: as many as fit
 * with their labels apart. */
static void
layout_x_ticks (CsChart *self,
                cairo_t *cr,
                Layout  *l,
                double   x_lo,
                double   x_hi,
                double   plot_width)
{
  guint max_intervals = (guint) CLAMP (floor (plot_width / 60.0), 1, 10);

  for (; max_intervals >= 1; max_intervals--)
    {
      CsChartTicks ticks;
      CsChartTimeTicks time_ticks;
      gboolean fits = TRUE;
      double prev_right = -INFINITY;
      guint i;

      g_clear_pointer (&l->x_tick_labels, g_ptr_array_unref);
      l->x_tick_labels = g_ptr_array_new_with_free_func (g_object_unref);

      if (l->x_kind == CS_CHART_AXIS_TIME)
        {
          cs_chart_time_ticks_compute (&time_ticks, x_lo, x_hi, max_intervals);
          l->frame.x_min = time_ticks.min;
          l->frame.x_max = time_ticks.max;
          l->n_x_ticks = time_ticks.n_ticks;
          memcpy (l->x_ticks, time_ticks.ticks, sizeof l->x_ticks);
        }
      else
        {
          gboolean percent = self->axis_percent[CS_CHART_AXIS_X];
          double scale = percent ? 100.0 : 1.0;

          if (!cs_chart_ticks_compute (&ticks, x_lo * scale, x_hi * scale, max_intervals))
            cs_chart_ticks_compute (&ticks, 0.0, 1.0, max_intervals);
          l->frame.x_min = ticks.min / scale;
          l->frame.x_max = ticks.max / scale;
          /* Round ends unless they waste much of the width (0..24 hours
           * would become 0..30): then the data's own ends, ticks inside. */
          if (x_hi > x_lo && (ticks.max - ticks.min) / scale > 1.1 * (x_hi - x_lo))
            {
              guint k = 0;

              l->frame.x_min = x_lo;
              l->frame.x_max = x_hi;
              for (i = 0; i < ticks.n_ticks; i++)
                {
                  double t = ticks.ticks[i] / scale;

                  if (t >= x_lo - 1e-9 * (x_hi - x_lo) && t <= x_hi + 1e-9 * (x_hi - x_lo))
                    ticks.ticks[k++] = ticks.ticks[i];
                }
              ticks.n_ticks = k;
            }
          l->n_x_ticks = ticks.n_ticks;
          for (i = 0; i < ticks.n_ticks; i++)
            l->x_ticks[i] = ticks.ticks[i] / scale;
        }

      for (i = 0; i < l->n_x_ticks; i++)
        {
          g_autofree char *text = NULL;
          PangoLayout *layout;
          double w, x;

          if (l->x_kind == CS_CHART_AXIS_TIME)
            text = cs_chart_time_ticks_format (&time_ticks, i);
          else if (self->axis_percent[CS_CHART_AXIS_X])
            {
              g_autofree char *number = cs_chart_ticks_format (&ticks, ticks.ticks[i]);

              text = g_strdup_printf ("%s\u00a0%%", number);
            }
          else
            text = cs_chart_ticks_format (&ticks, ticks.ticks[i]);

          layout = cs_chart_create_layout (self, cr, CS_CHART_FONT_TICK, text);
          g_ptr_array_add (l->x_tick_labels, layout);
          layout_size (layout, &w, NULL);
          x = (l->frame.x_max > l->frame.x_min)
              ? plot_width * (l->x_ticks[i] - l->frame.x_min) / (l->frame.x_max - l->frame.x_min)
              : 0.0;
          if (x - w / 2.0 < prev_right + X_TICK_GAP)
            fits = FALSE;
          prev_right = x + w / 2.0;
        }
      if (fits)
        return;
    }
}

/* Lays out the category labels for slots of @slot width; returns the height
 * they take under the plot. Horizontal (up to three lines, broken between
 * words) when they fit,
 * otherwise rotated by 45° and ellipsized, every @stride-th label when even
 * rotated ones would touch. */
static double
layout_categories (CsChart *self,
                   cairo_t *cr,
                   Layout  *l,
                   double   plot_left,
                   double   plot_width,
                   double   height)
{
  double slot, avail, natural_max = 0.0, block = 0.0, max_len, lh;
  gboolean fits = TRUE;
  guint i;

  g_clear_pointer (&l->category_labels, g_ptr_array_unref);
  l->category_labels = g_ptr_array_new_with_free_func (g_object_unref);
  l->category_stride = 1;

  if (l->n_categories == 0)
    return 0.0;

  lh = l->category_line_height;
  slot = plot_width / l->n_categories;
  avail = slot - CATEGORY_GAP;

  for (i = 0; i < l->n_categories; i++)
    {
      PangoLayout *layout = cs_chart_create_layout (self, cr, CS_CHART_FONT_TICK, l->categories[i]);
      double w, h;

      g_ptr_array_add (l->category_labels, layout);
      layout_size (layout, &w, NULL);
      natural_max = MAX (natural_max, w);

      if (fits && avail > lh)
        {
          pango_layout_set_width (layout, (int) (avail * PANGO_SCALE));
          pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          pango_layout_set_height (layout, -3);
          pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
          layout_size (layout, &w, &h);
          if (pango_layout_is_ellipsized (layout) || w > avail + 0.5)
            fits = FALSE;
          else
            block = MAX (block, h);
        }
      else
        fits = FALSE;
    }

  if (fits)
    {
      l->category_mode = CATEGORIES_HORIZONTAL;
      return block;
    }

  /* Many short labels (hours 0 … 23 under a heatmap): every n-th one,
   * level, reads better than all of them tilted. */
  if (natural_max <= 3.0 * lh && slot > 0.0)
    {
      guint stride = (guint) ceil ((natural_max + CATEGORY_GAP) / slot);

      if (stride <= 4 && stride < l->n_categories)
        {
          for (i = 0; i < l->n_categories; i++)
            {
              PangoLayout *layout = g_ptr_array_index (l->category_labels, i);

              pango_layout_set_width (layout, -1);
              pango_layout_set_height (layout, -1);
              pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
              pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
            }
          l->category_mode = CATEGORIES_HORIZONTAL_SPARSE;
          l->category_stride = stride;
          return lh;
        }
    }

  /* Rotated: the labels' baselines are slot × sin 45° apart. */
  l->category_mode = CATEGORIES_ROTATED;
  l->category_stride = MAX (1, (guint) ceil ((lh + 2.0) * G_SQRT2 / MAX (slot, 1.0)));
  max_len = MIN (natural_max, MIN (160.0, MAX (56.0, height * 0.25)));
  block = 0.0;

  for (i = 0; i < l->n_categories; i++)
    {
      PangoLayout *layout = g_ptr_array_index (l->category_labels, i);
      double cx = plot_left + slot * (i + 0.5);
      double anchor_x = cx - lh * 0.35;
      /* Its far end must stay inside the left padding. */
      double room = (anchor_x - PAD) * G_SQRT2;
      double w, h;

      pango_layout_set_width (layout, -1);
      pango_layout_set_height (layout, -1);
      pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
      layout_size (layout, &w, NULL);
      if (w > MIN (max_len, room))
        single_line_ellipsized (layout, MIN (max_len, room));
      if (i % l->category_stride != 0)
        continue;
      layout_size (layout, &w, &h);
      block = MAX (block, (w + h) / G_SQRT2);
    }
  return block;
}

/* "Watch time (s)": the unit in brackets after the axis title. */
static char *
axis_title (const char *label,
            const char *unit)
{
  if (!has_text (unit))
    return g_strdup (label);
  if (!has_text (label))
    return g_strdup (unit);
  /* Translators: an axis title with its unit, "Watch time (s)". */
  return g_strdup_printf (_("%s (%s)"), label, unit);
}

static void
layout_compute (CsChart                    *self,
                cairo_t                    *cr,
                double                      width,
                double                      height,
                const CsChartRenderOptions *options,
                double                      y_lo,
                double                      y_hi,
                Layout                     *l)
{
  double left = PAD, right = width - PAD, top = PAD, bottom = height - PAD;
  double reserve_left = width - options->reserve_width;
  double legend_width = 0.0;
  double category_height = 0.0, plot_left = left, plot_top = top, plot_bottom = bottom;
  double x_lo = 0.0, x_hi = 1.0;
  guint iteration;

  /* Header rows that reach into the reserved corner end before it. */
#define ROW_RIGHT(y) ((options->reserve_width > 0.0 && (y) < options->reserve_height) \
                      ? MIN (right, reserve_left - 4.0) : right)

  if (has_text (self->title))
    {
      double h;

      l->title = cs_chart_create_layout (self, cr, CS_CHART_FONT_TITLE, self->title);
      single_line_ellipsized (l->title, ROW_RIGHT (top) - left);
      layout_size (l->title, NULL, &h);
      l->title_y = top;
      top += h + HEADER_GAP;
    }

  collect_legend (self, cr, l);
  if (l->legend->len > 0)
    {
      if (self->legend_position == CS_CHART_LEGEND_RIGHT)
        {
          guint i;

          for (i = 0; i < l->legend->len; i++)
            {
              LegendItem *item = &g_array_index (l->legend, LegendItem, i);
              double w;

              layout_size (item->layout, &w, NULL);
              legend_width = MAX (legend_width, LEGEND_SWATCH + LEGEND_SWATCH_GAP + w);
            }
          legend_width = MIN (legend_width, (right - left) * 0.3);
          for (i = 0; i < l->legend->len; i++)
            single_line_ellipsized (g_array_index (l->legend, LegendItem, i).layout,
                                    legend_width - LEGEND_SWATCH - LEGEND_SWATCH_GAP);
          l->legend_right = TRUE;
          l->legend_x = right - legend_width;
          right -= legend_width + LEGEND_ITEM_GAP;
        }
      else
        {
          top = layout_legend_top (self, l, left, right, top, ROW_RIGHT (top)) + HEADER_GAP;
        }
    }

  /* Nothing above the plot: keep its top-right corner out of the box. */
  if (options->reserve_width > 0.0 && top < options->reserve_height)
    top = options->reserve_height;
  l->header_bottom = top;

  if (has_text (self->x_label) || has_text (self->axis_unit[CS_CHART_AXIS_X]))
    {
      g_autofree char *text = axis_title (self->x_label, self->axis_unit[CS_CHART_AXIS_X]);
      double h;

      l->x_label = cs_chart_create_layout (self, cr, CS_CHART_FONT_LABEL, text);
      layout_size (l->x_label, NULL, &h);
      bottom -= h;
      l->x_label_y = bottom;
      bottom -= AXIS_LABEL_GAP;
    }

  if (has_text (self->y_label) || has_text (self->axis_unit[CS_CHART_AXIS_Y]))
    {
      g_autofree char *text = axis_title (self->y_label, self->axis_unit[CS_CHART_AXIS_Y]);
      double h;

      l->y_label = cs_chart_create_layout (self, cr, CS_CHART_FONT_LABEL, text);
      layout_size (l->y_label, NULL, &h);
      left += h + AXIS_LABEL_GAP;
    }

  {
    GListModel *layers = G_LIST_MODEL (self->layers);
    guint i, n = g_list_model_get_n_items (layers);

    for (i = 0; i < n; i++)
      {
        g_autoptr(CsChartLayer) layer = g_list_model_get_item (layers, i);

        l->side_width = MAX (l->side_width, cs_chart_layer_get_side_width (layer, self, cr));
      }
    if (l->side_width > 0.0)
      right -= l->side_width + CS_CHART_SIDE_GAP;
  }

  l->tick_height = line_height (self, cr, CS_CHART_FONT_TICK);
  l->category_line_height = l->tick_height;
  l->categories = find_categories (self, &l->n_categories);
  l->y_categories = find_y_categories (self, &l->n_y_categories);
  l->x_kind = self->axis_kind[CS_CHART_AXIS_X] == CS_CHART_AXIS_TIME ? CS_CHART_AXIS_TIME
                                                                      : CS_CHART_AXIS_NUMERIC;
  if (l->n_categories > 0)
    l->x_kind = CS_CHART_AXIS_CATEGORIES;
  else
    l->x_ticked = x_data_range (self, &x_lo, &x_hi);
  category_height = (l->n_categories > 0 || l->x_ticked) ? l->tick_height : 0.0;

  for (iteration = 0; iteration < 4; iteration++)
    {
      double plot_height, tick_width = 0.0, new_height;
      guint max_intervals, i;

      /* Half a tick label sticks out above the top grid line and below
       * the bottom one. */
      plot_top = top + l->tick_height / 2.0;
      plot_bottom = bottom - ((l->n_categories > 0 || l->x_ticked) ? category_height + CATEGORY_GAP
                                                                   : l->tick_height / 2.0);
      plot_height = MAX (plot_bottom - plot_top, 1.0);
      plot_bottom = plot_top + plot_height;

      max_intervals = (guint) CLAMP (floor (plot_height / MAX (l->tick_height * 2.5, MIN_TICK_SPACING)),
                                     1, 10);

      g_clear_pointer (&l->tick_labels, g_ptr_array_unref);
      l->tick_labels = g_ptr_array_new_with_free_func (g_object_unref);
      if (l->n_y_categories > 0)
        {
          double max_w = MAX (40.0, (right - left) * 0.3);

          /* Rows instead of ticks; the axis runs 0 (bottom) .. n (top). */
          memset (&l->ticks, 0, sizeof l->ticks);
          l->ticks.min = 0.0;
          l->ticks.max = l->n_y_categories;
          for (i = 0; i < l->n_y_categories; i++)
            {
              PangoLayout *layout = cs_chart_create_layout (self, cr, CS_CHART_FONT_TICK, l->y_categories[i]);
              double w;

              layout_size (layout, &w, NULL);
              if (w > max_w)
                {
                  single_line_ellipsized (layout, max_w);
                  w = max_w;
                }
              tick_width = MAX (tick_width, w);
              g_ptr_array_add (l->tick_labels, layout);
            }
        }
      else
        {
          gboolean percent = self->axis_percent[CS_CHART_AXIS_Y];
          double scale = percent ? 100.0 : 1.0;

          if (self->y_log)
            {
              if (!cs_chart_log_ticks_compute (&l->ticks, y_lo * scale, y_hi * scale, max_intervals))
                cs_chart_log_ticks_compute (&l->ticks, 1.0, 10.0, max_intervals);
            }
          else if (!cs_chart_ticks_compute (&l->ticks, y_lo * scale, y_hi * scale, max_intervals))
            cs_chart_ticks_compute (&l->ticks, 0.0, 1.0, max_intervals);

          for (i = 0; i < l->ticks.n_ticks; i++)
            {
              g_autofree char *text = cs_chart_ticks_format (&l->ticks, l->ticks.ticks[i]);
              PangoLayout *layout;
              double w;

              if (percent)
                {
                  char *with_sign = g_strdup_printf ("%s\u00a0%%", text);

                  g_free (text);
                  text = with_sign;
                }
              layout = cs_chart_create_layout (self, cr, CS_CHART_FONT_TICK, text);
              layout_size (layout, &w, NULL);
              tick_width = MAX (tick_width, w);
              g_ptr_array_add (l->tick_labels, layout);
            }
          if (percent)
            {
              l->ticks.min /= scale;
              l->ticks.max /= scale;
              for (i = 0; i < l->ticks.n_ticks; i++)
                l->ticks.ticks[i] /= scale;
            }
        }

      plot_left = left + tick_width + TICK_LABEL_GAP;
      l->tick_width = tick_width;
      if (l->x_ticked)
        {
          layout_x_ticks (self, cr, l, x_lo, x_hi, MAX (right - plot_left, 1.0));
          break;
        }
      new_height = layout_categories (self, cr, l, plot_left, MAX (right - plot_left, 1.0), height);
      if (fabs (new_height - category_height) < 0.5 && iteration > 0)
        break;
      category_height = new_height;
    }

  l->frame.x = plot_left;
  l->frame.y = plot_top;
  l->frame.width = MAX (right - plot_left, 1.0);
  l->frame.height = MAX (plot_bottom - plot_top, 1.0);
  l->frame.y_min = l->ticks.min;
  l->frame.y_max = l->ticks.max;
  if (!l->x_ticked)
    {
      l->frame.x_min = 0.0;
      l->frame.x_max = MAX (l->n_categories, 1);
    }
  l->frame.x_kind = l->n_categories > 0 ? CS_CHART_AXIS_CATEGORIES : l->x_kind;
  l->frame.y_kind = l->n_y_categories > 0 ? CS_CHART_AXIS_CATEGORIES : CS_CHART_AXIS_NUMERIC;
  l->frame.x_percent = self->axis_percent[CS_CHART_AXIS_X];
  l->frame.y_percent = self->axis_percent[CS_CHART_AXIS_Y];
  l->frame.y_log = self->y_log && l->n_y_categories == 0;

  if (l->y_label != NULL)
    {
      single_line_ellipsized (l->y_label, l->frame.height);
      pango_layout_set_alignment (l->y_label, PANGO_ALIGN_CENTER);
    }
  if (l->x_label != NULL)
    {
      single_line_ellipsized (l->x_label, l->frame.width);
      pango_layout_set_alignment (l->x_label, PANGO_ALIGN_CENTER);
    }

#undef ROW_RIGHT
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */
/* ------------------------------------------------------------------ */

static void
draw_swatch (cairo_t       *cr,
             double         x,
             double         y,
             double         size,
             const CsColor *color)
{
  double r = 2.0;

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + size - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + size - r, y + size - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + size - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  cs_chart_set_source_color (cr, color, 1.0);
  cairo_fill (cr);
}

static void
draw_legend (CsChart            *self,
             cairo_t            *cr,
             const CsChartStyle *style,
             Layout             *l,
             gboolean            keep_boxes)
{
  guint i;

  if (keep_boxes)
    g_array_set_size (self->legend_boxes, 0);

  for (i = 0; i < l->legend->len; i++)
    {
      LegendItem *item = &g_array_index (l->legend, LegendItem, i);
      double x = item->x, y = item->y;
      double swatch_y;

      if (l->legend_right)
        {
          x = l->legend_x;
          y = l->frame.y + i * (l->legend_row_height + LEGEND_ROW_GAP);
        }
      swatch_y = y + (l->legend_row_height - LEGEND_SWATCH) / 2.0;
      if (item->visible)
        draw_swatch (cr,
                     cs_chart_snap_x (cr, x, 0.0),
                     cs_chart_snap_y (cr, swatch_y, 0.0),
                     LEGEND_SWATCH, &item->color);
      else
        {
          /* Hidden: an outline, so it reads as "off" but keeps its colour. */
          double lw = cs_chart_snap_width (cr, 1.0);

          cairo_set_line_width (cr, lw);
          cairo_rectangle (cr, cs_chart_snap_x (cr, x, lw), cs_chart_snap_y (cr, swatch_y, lw),
                           LEGEND_SWATCH - lw, LEGEND_SWATCH - lw);
          cs_chart_set_source_color (cr, &item->color, 1.0);
          cairo_stroke (cr);
        }
      show_layout (cr, item->layout, x + LEGEND_SWATCH + LEGEND_SWATCH_GAP, y,
                   &style->foreground, item->visible ? 1.0 : MESSAGE_ALPHA);
      if (keep_boxes)
        {
          LegendBox box;
          double w;

          layout_size (item->layout, &w, NULL);
          box.x = x;
          box.y = y;
          box.width = LEGEND_SWATCH + LEGEND_SWATCH_GAP + w;
          box.height = l->legend_row_height;
          box.layer = item->layer;
          box.series = item->series;
          g_array_append_val (self->legend_boxes, box);
        }
    }
}

static void
draw_axes (CsChart            *self,
           cairo_t            *cr,
           const CsChartStyle *style,
           Layout             *l)
{
  const CsChartFrame *f = &l->frame;
  double lw = cs_chart_snap_width (cr, 1.0);
  guint i;

  cairo_set_line_width (cr, lw);
  cs_chart_set_source_color (cr, &style->grid, 1.0);
  for (i = 0; i < l->ticks.n_ticks; i++)
    {
      double y = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (f, l->ticks.ticks[i]), 1.0);

      cairo_move_to (cr, f->x, y);
      cairo_line_to (cr, f->x + f->width, y);
    }
  for (i = 0; l->x_ticked && i < l->n_x_ticks; i++)
    {
      double x = cs_chart_snap_x (cr, cs_chart_frame_value_to_x (f, l->x_ticks[i]), 1.0);

      cairo_move_to (cr, x, f->y);
      cairo_line_to (cr, x, f->y + f->height);
    }
  cairo_stroke (cr);

  for (i = 0; l->x_ticked && l->x_tick_labels != NULL && i < l->x_tick_labels->len; i++)
    {
      PangoLayout *layout = g_ptr_array_index (l->x_tick_labels, i);
      double x = cs_chart_frame_value_to_x (f, l->x_ticks[i]);
      double w;

      layout_size (layout, &w, NULL);
      /* Centred under the tick, but never past the chart's edges. */
      x = CLAMP (x - w / 2.0, PAD, MAX (PAD, f->x + f->width + l->side_width - w));
      show_layout (cr, layout, x, f->y + f->height + CATEGORY_GAP,
                   &style->foreground, TICK_ALPHA);
    }

  for (i = 0; i < l->tick_labels->len; i++)
    {
      PangoLayout *layout = g_ptr_array_index (l->tick_labels, i);
      double y = l->n_y_categories > 0
                 ? f->y + (i + 0.5) * f->height / l->n_y_categories
                 : cs_chart_frame_value_to_y (f, l->ticks.ticks[i]);
      double w, h;

      layout_size (layout, &w, &h);
      show_layout (cr, layout, f->x - TICK_LABEL_GAP - w, y - h / 2.0,
                   &style->foreground, TICK_ALPHA);
    }

  if (l->y_label != NULL)
    {
      double h;

      layout_size (l->y_label, NULL, &h);
      cairo_save (cr);
      cairo_translate (cr, PAD + h / 2.0, f->y + f->height / 2.0);
      cairo_rotate (cr, -G_PI / 2.0);
      show_layout (cr, l->y_label, -f->height / 2.0, -h / 2.0, &style->foreground, LABEL_ALPHA);
      cairo_restore (cr);
    }

  if (l->x_label != NULL)
    show_layout (cr, l->x_label, f->x, l->x_label_y, &style->foreground, LABEL_ALPHA);
}

static void
draw_categories (CsChart            *self,
                 cairo_t            *cr,
                 const CsChartStyle *style,
                 Layout             *l)
{
  const CsChartFrame *f = &l->frame;
  double slot, top;
  guint i;

  if (l->n_categories == 0)
    return;

  slot = f->width / l->n_categories;
  top = f->y + f->height + CATEGORY_GAP;

  for (i = 0; i < l->category_labels->len; i += l->category_stride)
    {
      PangoLayout *layout = g_ptr_array_index (l->category_labels, i);
      double cx = f->x + slot * (i + 0.5);
      double w, h;

      if (l->category_mode == CATEGORIES_HORIZONTAL_SPARSE)
        {
          layout_size (layout, &w, NULL);
          show_layout (cr, layout, CLAMP (cx - w / 2.0, PAD, MAX (PAD, f->x + f->width + l->side_width - w)),
                       top, &style->foreground, TICK_ALPHA);
          continue;
        }
      if (l->category_mode == CATEGORIES_HORIZONTAL)
        {
          show_layout (cr, layout, cx - (slot - CATEGORY_GAP) / 2.0, top,
                       &style->foreground, TICK_ALPHA);
          continue;
        }

      /* The label's top-right corner sits under the category; the text runs
       * down to the left from there. */
      layout_size (layout, &w, &h);
      cairo_save (cr);
      cairo_translate (cr, cx - l->category_line_height * 0.35, top);
      cairo_rotate (cr, -G_PI / 4.0);
      show_layout (cr, layout, -w, 0.0, &style->foreground, TICK_ALPHA);
      cairo_restore (cr);
    }
}

static void
draw_baseline (cairo_t            *cr,
               const CsChartStyle *style,
               Layout             *l)
{
  const CsChartFrame *f = &l->frame;
  double value = (f->y_min <= 0.0 && f->y_max >= 0.0) ? 0.0 : f->y_min;
  double y = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (f, value), 1.0);

  if (l->n_y_categories > 0)
    return;

  cairo_set_line_width (cr, cs_chart_snap_width (cr, 1.0));
  cs_chart_set_source_color (cr, &style->foreground, BASELINE_ALPHA);
  cairo_move_to (cr, f->x, y);
  cairo_line_to (cr, f->x + f->width, y);
  cairo_stroke (cr);
}

static void
draw_empty_state (CsChart                    *self,
                  cairo_t                    *cr,
                  const CsChartStyle         *style,
                  const CsChartRenderOptions *options,
                  double                      width,
                  double                      height)
{
  g_autoptr(PangoLayout) message = NULL;
  double top = PAD, w, h;

  if (has_text (self->title))
    {
      g_autoptr(PangoLayout) title = cs_chart_create_layout (self, cr, CS_CHART_FONT_TITLE, self->title);
      double right = width - PAD;

      if (options->reserve_width > 0.0 && PAD < options->reserve_height)
        right = MIN (right, width - options->reserve_width - 4.0);
      single_line_ellipsized (title, right - PAD);
      layout_size (title, NULL, &h);
      show_layout (cr, title, PAD, PAD, &style->foreground, 1.0);
      top += h + HEADER_GAP;
    }

  message = cs_chart_create_layout (self, cr, CS_CHART_FONT_MESSAGE, _("No data to show"));
  single_line_ellipsized (message, width - 2 * PAD);
  pango_layout_set_alignment (message, PANGO_ALIGN_CENTER);
  layout_size (message, &w, &h);
  show_layout (cr, message, PAD,
               top + MAX (0.0, (height - PAD - top - h) / 2.0),
               &style->foreground, MESSAGE_ALPHA);
}

static gboolean
data_range (CsChart *self,
            double  *lo,
            double  *hi)
{
  GListModel *layers = G_LIST_MODEL (self->layers);
  guint i, n = g_list_model_get_n_items (layers);
  gboolean any = FALSE;

  *lo = INFINITY;
  *hi = -INFINITY;
  for (i = 0; i < n; i++)
    {
      g_autoptr(CsChartLayer) layer = g_list_model_get_item (layers, i);
      double min, max;

      if (cs_chart_layer_get_y_range (layer, &min, &max) && isfinite (min) && isfinite (max))
        {
          *lo = MIN (*lo, MIN (min, max));
          *hi = MAX (*hi, MAX (min, max));
          any = TRUE;
        }
    }
  return any;
}

gboolean
cs_chart_is_empty (CsChart *self)
{
  double lo, hi;

  g_return_val_if_fail (CS_IS_CHART (self), TRUE);

  return !data_range (self, &lo, &hi);
}

gboolean
cs_chart_render_full (CsChart                    *self,
                      cairo_t                    *cr,
                      double                      width,
                      double                      height,
                      const CsChartRenderOptions *options,
                      CsChartFrame               *out_frame)
{
  static const CsChartRenderOptions no_options = { 0 };
  const CsChartStyle *style;
  Layout l = { 0 };
  double lo, hi;
  gboolean drawn = FALSE;
  GListModel *layers;
  guint i, n;

  g_return_val_if_fail (CS_IS_CHART (self), FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (self->render_style == NULL, FALSE);

  if (options == NULL)
    options = &no_options;
  if (out_frame != NULL)
    {
      memset (out_frame, 0, sizeof *out_frame);
      g_array_set_size (self->legend_boxes, 0);
    }
  if (!(width > 1.0) || !(height > 1.0))
    return FALSE;

  style = options->style != NULL ? options->style : &self->style;
  self->render_style = style;

  cairo_save (cr);
  self->render_pango = create_pango_context (cr);

  if (style->background.a > 0.0)
    {
      cs_chart_set_source_color (cr, &style->background, 1.0);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
    }

  if (!data_range (self, &lo, &hi))
    {
      draw_empty_state (self, cr, style, options, width, height);
      goto out;
    }

  layout_compute (self, cr, width, height, options, lo, hi, &l);

  draw_axes (self, cr, style, &l);

  layers = G_LIST_MODEL (self->layers);
  n = g_list_model_get_n_items (layers);
  for (i = 0; i < n; i++)
    {
      g_autoptr(CsChartLayer) layer = g_list_model_get_item (layers, i);

      cs_chart_layer_render (layer, self, cr, &l.frame);
    }

  /* After the layers, so bars stand on it. */
  draw_baseline (cr, style, &l);
  draw_categories (self, cr, style, &l);
  if (l.title != NULL)
    show_layout (cr, l.title, PAD, l.title_y, &style->foreground, 1.0);
  draw_legend (self, cr, style, &l, out_frame != NULL);

  if (out_frame != NULL)
    *out_frame = l.frame;
  drawn = TRUE;

out:
  layout_clear (&l);
  g_clear_object (&self->render_pango);
  self->render_style = NULL;
  cairo_restore (cr);
  return drawn;
}

void
cs_chart_render (CsChart *self,
                 cairo_t *cr,
                 double   width,
                 double   height)
{
  cs_chart_render_full (self, cr, width, height, NULL, NULL);
}

char *
cs_chart_describe_at (CsChart            *self,
                      const CsChartFrame *frame,
                      double              x,
                      double              y)
{
  GListModel *layers;
  guint n;

  g_return_val_if_fail (CS_IS_CHART (self), NULL);
  g_return_val_if_fail (frame != NULL, NULL);

  if (!(frame->width > 0.0) || !(frame->height > 0.0))
    return NULL;

  layers = G_LIST_MODEL (self->layers);
  n = g_list_model_get_n_items (layers);
  while (n-- > 0)
    {
      g_autoptr(CsChartLayer) layer = g_list_model_get_item (layers, n);
      char *text = cs_chart_layer_describe_at (layer, frame, x, y);

      if (text != NULL)
        return text;
    }
  return NULL;
}

gboolean
cs_chart_item_at (CsChart             *self,
                  const CsChartFrame  *frame,
                  double               x,
                  double               y,
                  CsChartLayer       **layer,
                  guint               *series,
                  guint               *index)
{
  GListModel *layers;
  guint n;

  g_return_val_if_fail (CS_IS_CHART (self), FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  if (layer != NULL)
    *layer = NULL;
  /* The empty state has no items, even where a layer has NaN cells. */
  if (cs_chart_is_empty (self))
    return FALSE;
  layers = G_LIST_MODEL (self->layers);
  n = g_list_model_get_n_items (layers);
  while (n-- > 0)
    {
      g_autoptr(CsChartLayer) candidate = g_list_model_get_item (layers, n);

      if (cs_chart_layer_item_at (candidate, frame, x, y, series, index))
        {
          if (layer != NULL)
            *layer = candidate;  /* the store keeps it alive */
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
cs_chart_legend_at (CsChart       *self,
                    double         x,
                    double         y,
                    CsChartLayer **layer,
                    guint         *series)
{
  guint i;

  g_return_val_if_fail (CS_IS_CHART (self), FALSE);

  for (i = 0; i < self->legend_boxes->len; i++)
    {
      const LegendBox *box = &g_array_index (self->legend_boxes, LegendBox, i);
      g_autoptr(CsChartLayer) found = NULL;

      if (x < box->x - 2.0 || x > box->x + box->width + 2.0 ||
          y < box->y - 2.0 || y > box->y + box->height + 2.0)
        continue;
      found = g_list_model_get_item (G_LIST_MODEL (self->layers), box->layer);
      if (found == NULL)
        return FALSE;
      if (layer != NULL)
        *layer = found;  /* the store keeps it alive */
      if (series != NULL)
        *series = box->series;
      return TRUE;
    }
  return FALSE;
}

gboolean
cs_chart_toggle_legend_at (CsChart *self,
                           double   x,
                           double   y)
{
  CsChartLayer *layer = NULL;
  guint series = 0;

  g_return_val_if_fail (CS_IS_CHART (self), FALSE);

  if (!cs_chart_legend_at (self, x, y, &layer, &series))
    return FALSE;
  cs_chart_layer_set_series_visible (layer, series,
                                     !cs_chart_layer_get_series_visible (layer, series));
  return TRUE;
}

char *
cs_chart_describe (CsChart *self)
{
  g_autoptr(GString) parts = g_string_new (NULL);
  GListModel *layers;
  guint i, n;

  g_return_val_if_fail (CS_IS_CHART (self), NULL);

  layers = G_LIST_MODEL (self->layers);
  n = g_list_model_get_n_items (layers);
  for (i = 0; i < n; i++)
    {
      g_autoptr(CsChartLayer) layer = g_list_model_get_item (layers, i);
      g_autofree char *text = cs_chart_layer_describe (layer);

      if (!has_text (text))
        continue;
      if (parts->len > 0)
        g_string_append (parts, "; ");
      g_string_append (parts, text);
    }

  if (parts->len == 0 || cs_chart_is_empty (self))
    {
      g_string_truncate (parts, 0);
      g_string_append (parts, _("No data to show"));
    }

  if (has_text (self->title))
    return g_strdup_printf ("%s. %s", self->title, parts->str);
  return g_strdup (parts->str);
}

/* ------------------------------------------------------------------ */
/* Export                                                              */
/* ------------------------------------------------------------------ */

typedef enum
{
  FORMAT_PNG,
  FORMAT_SVG,
  FORMAT_PDF,
} ExportFormat;

typedef struct
{
  GOutputStream *stream;
  GError        *error;
} WriteClosure;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  WriteClosure *c = closure;

  if (c->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (c->stream, data, length, NULL, NULL, &c->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
format_from_path (const char   *path,
                  ExportFormat *format)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  g_autofree char *ext = NULL;

  if (dot == NULL)
    return FALSE;
  ext = g_ascii_strdown (dot + 1, -1);
  if (g_str_equal (ext, "png"))
    *format = FORMAT_PNG;
  else if (g_str_equal (ext, "svg"))
    *format = FORMAT_SVG;
  else if (g_str_equal (ext, "pdf"))
    *format = FORMAT_PDF;
  else
    return FALSE;
  return TRUE;
}

static void
draw_export (CsChart            *self,
             cairo_surface_t    *surface,
             double              width,
             double              height,
             const CsChartStyle *style)
{
  CsChartRenderOptions options = { 0 };
  cairo_t *cr = cairo_create (surface);

  /* Opaque: a transparent export of a light chart vanishes on a dark
   * slide, and the reverse. */
  if (style->background.a < 1.0)
    {
      if (style->dark)
        cairo_set_source_rgb (cr, 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0);
      else
        cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
      cairo_paint (cr);
    }

  options.style = style;
  cs_chart_render_full (self, cr, width, height, &options, NULL);
  if (cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_PDF)
    cairo_show_page (cr);
  cairo_destroy (cr);
}

gboolean
cs_chart_export_full (CsChart            *self,
                      const char         *path,
                      double              width,
                      double              height,
                      const CsChartStyle *style,
                      GError            **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autofree char *display = NULL;
  WriteClosure closure = { 0 };
  cairo_surface_t *surface = NULL;
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  ExportFormat format;
  gboolean existed;

  g_return_val_if_fail (CS_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_basename (path);

  if (!format_from_path (path, &format))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot export the chart to “%s”: use a file name ending in .png, .svg or .pdf"),
                   display);
      return FALSE;
    }

  if (!(width >= 16.0 && width <= 10000.0 && height >= 16.0 && height <= 10000.0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot export the chart at %g × %g: the size must be between 16 and 10000"),
                   width, height);
      return FALSE;
    }

  if (style == NULL)
    style = &self->style;

  file = g_file_new_for_path (path);
  existed = g_file_query_exists (file, NULL);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    {
      g_prefix_error (error, _("Could not export the chart to “%s”: "), display);
      return FALSE;
    }
  closure.stream = G_OUTPUT_STREAM (stream);

  switch (format)
    {
    case FORMAT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                            (int) ceil (width * EXPORT_PNG_SCALE),
                                            (int) ceil (height * EXPORT_PNG_SCALE));
      cairo_surface_set_device_scale (surface, EXPORT_PNG_SCALE, EXPORT_PNG_SCALE);
      draw_export (self, surface, width, height, style);
      cairo_surface_flush (surface);
      status = cairo_surface_status (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream (surface, write_cb, &closure);
      break;

    case FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_cb, &closure, width, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      draw_export (self, surface, width, height, style);
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
      break;

    case FORMAT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_cb, &closure, width, height);
      if (has_text (self->title))
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Clipscope");
      draw_export (self, surface, width, height, style);
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
      break;

    default:
      g_assert_not_reached ();
    }

  cairo_surface_destroy (surface);

  if (closure.error == NULL && status != CAIRO_STATUS_SUCCESS)
    g_set_error (&closure.error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "%s", cairo_status_to_string (status));

  if (closure.error == NULL)
    {
      if (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &closure.error))
        return TRUE;
    }
  else
    {
      /* Closing with a cancelled cancellable drops the temporary file, so a
       * failed export leaves an existing file as it was. */
      g_autoptr(GCancellable) cancelled = g_cancellable_new ();

      g_cancellable_cancel (cancelled);
      g_output_stream_close (G_OUTPUT_STREAM (stream), cancelled, NULL);
    }

  if (!existed)
    g_file_delete (file, NULL, NULL);

  g_propagate_prefixed_error (error, closure.error,
                              _("Could not export the chart to “%s”: "), display);
  return FALSE;
}

gboolean
cs_chart_export (CsChart     *self,
                 const char  *path,
                 double       width,
                 double       height,
                 GError     **error)
{
  return cs_chart_export_full (self, path, width, height, NULL, error);
}
