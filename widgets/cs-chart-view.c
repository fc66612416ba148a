/* cs-chart-view.c: the GTK widget that shows a CsChart.
 *
 * Everything visual is cs_chart_render_full(); the view only supplies theme
 * colours (without changing the model's own style, which exports keep),
 * hover tooltips, the accessible description and the export menu.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cs-chart-view.h"

#define MIN_WIDTH       300
#define MIN_HEIGHT      220
#define NAT_WIDTH       480
#define NAT_HEIGHT      300
#define BUTTON_MARGIN     4
#define EXPORT_WIDTH    800.0

struct _CsChartView
{
  GtkWidget             parent_instance;

  CsChart              *chart;
  gulong                changed_id;

  GtkWidget            *menu_button;
  GtkWidget            *context_menu;
  GtkFileChooserNative *chooser;
  char                 *chooser_format;

  /* Theme colours; font_family owns style.font_family. */
  CsChartStyle          style;
  char                 *font_family;

  /* Where the last snapshot put the plot, for hit-testing. */
  CsChartFrame          frame;
  gboolean              has_frame;
  char                 *hover_text;
};

G_DEFINE_FINAL_TYPE (CsChartView, cs_chart_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHART,
  N_PROPS,
};

enum {
  SIGNAL_EXPORT_FAILED,
  SIGNAL_EXPORTED,
  SIGNAL_ITEM_ACTIVATED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Theme and accessibility                                             */
/* ------------------------------------------------------------------ */

static void
update_style (CsChartView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const PangoFontDescription *font;
  GdkRGBA fg;
  double luminance;

  /* gtk_widget_get_color() is 4.10. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* Light text means a dark background. */
  luminance = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue;
  cs_chart_style_init_default (&self->style, luminance > 0.5);
  self->style.foreground = (CsColor) { fg.red, fg.green, fg.blue, fg.alpha };
  self->style.grid = self->style.foreground;
  self->style.grid.a = fg.alpha * (self->style.dark ? 0.14 : 0.12);

  g_clear_pointer (&self->font_family, g_free);
  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  if (font != NULL)
    {
      double size = (double) pango_font_description_get_size (font) / PANGO_SCALE;

      self->font_family = g_strdup (pango_font_description_get_family (font));
      /* Absolute sizes are pixels; the chart wants points at 96 dpi. */
      if (pango_font_description_get_size_is_absolute (font))
        size = size * 72.0 / 96.0;
      self->style.font_size = size;
    }
  self->style.font_family = self->font_family;

  gtk_widget_queue_draw (widget);
}

static void
update_accessible (CsChartView *self)
{
  g_autofree char *description = cs_chart_describe (self->chart);
  const char *title = cs_chart_get_title (self->chart);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title != NULL && title[0] != '\0' ? title : _("Chart"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
chart_changed_cb (CsChartView *self,
                  CsChart     *chart)
{
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ */
/* Export                                                              */
/* ------------------------------------------------------------------ */

static void
show_export_error (CsChartView *self,
                   const char  *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  /* A widget cannot reach the window's toast overlay, and GtkAlertDialog
   * is 4.10: GtkMessageDialog is the baseline's way to tell the user. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR,
                                   GTK_BUTTONS_CLOSE,
                                   "%s", _("Could Not Export the Chart"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", message);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  G_GNUC_END_IGNORE_DEPRECATIONS

  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
is_export_format (const char *format)
{
  return g_strcmp0 (format, "png") == 0 ||
         g_strcmp0 (format, "svg") == 0 ||
         g_strcmp0 (format, "pdf") == 0;
}

/* The title as a file name: no path separators or characters that some
 * file systems refuse. */
static char *
suggested_name (CsChartView *self,
                const char  *format)
{
  const char *title = cs_chart_get_title (self->chart);
  g_autoptr(GString) name = g_string_new (NULL);
  const char *p;

  for (p = title != NULL ? title : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || strchr ("/\\:*?\"<>|", (int) c) != NULL)
        g_string_append_c (name, '-');
      else
        g_string_append_unichar (name, c);
    }
  g_strstrip (name->str);
  g_string_set_size (name, strlen (name->str));
  while (name->len > 0 && name->str[0] == '.')
    g_string_erase (name, 0, 1);
  if (name->len == 0)
    /* Translators: file name (without extension) for an exported chart. */
    g_string_append (name, _("chart"));

  g_string_append_printf (name, ".%s", format);
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* The user's extension wins when it is one we can write; otherwise the
 * chosen format's is added. */
static char *
path_with_extension (const char *path,
                     const char *format)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');

  if (dot != NULL)
    {
      g_autofree char *ext = g_ascii_strdown (dot + 1, -1);

      if (is_export_format (ext))
        return g_strdup (path);
    }
  return g_strdup_printf ("%s.%s", path, format);
}

static void
export_to (CsChartView *self,
           GFile       *file,
           const char  *format)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *target = NULL;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double export_height = 500.0;

  /* A fixed width that suits a slide, with the on-screen aspect. */
  if (width > 0 && height > 0)
    export_height = CLAMP (EXPORT_WIDTH * height / width, 400.0, 800.0);

  if (path == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Charts can only be exported to local folders"));
    }
  else
    {
      target = path_with_extension (path, format);
      /* The chart's own style, not the theme's: a dark export would not
       * suit most documents. */
      cs_chart_export_full (self->chart, target, EXPORT_WIDTH, export_height, NULL, &error);
    }

  if (error != NULL)
    {
      gboolean handled = FALSE;

      g_signal_emit (self, signals[SIGNAL_EXPORT_FAILED], 0, error->message, &handled);
      if (!handled)
        show_export_error (self, error->message);
    }
  else
    {
      g_autoptr(GFile) written = g_file_new_for_path (target);

      g_signal_emit (self, signals[SIGNAL_EXPORTED], 0, written);
    }
}

static void
chooser_response_cb (CsChartView          *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *format = g_steal_pointer (&self->chooser_format);

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL)
    export_to (self, file, format);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CsChartView *self = CS_CHART_VIEW (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (!is_export_format (format) || self->chooser != NULL)
    return;

  if (g_str_equal (format, "png"))
    {
      gtk_file_filter_set_name (filter, _("PNG Image"));
      gtk_file_filter_add_mime_type (filter, "image/png");
    }
  else if (g_str_equal (format, "svg"))
    {
      gtk_file_filter_set_name (filter, _("SVG Image"));
      gtk_file_filter_add_mime_type (filter, "image/svg+xml");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("PDF Document"));
      gtk_file_filter_add_mime_type (filter, "application/pdf");
    }
  gtk_file_filter_add_suffix (filter, format);

  /* GtkFileDialog is 4.10. */
  self->chooser = gtk_file_chooser_native_new (_("Export Chart"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"),
                                               _("_Cancel"));
  self->chooser_format = g_strdup (format);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  name = suggested_name (self, format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static GMenuModel *
create_export_menu (void)
{
  GMenu *menu = g_menu_new ();

  g_menu_append (menu, _("Export as _PNG…"), "chart.export::png");
  g_menu_append (menu, _("Export as _SVG…"), "chart.export::svg");
  g_menu_append (menu, _("Export as P_DF…"), "chart.export::pdf");
  return G_MENU_MODEL (menu);
}

/* ------------------------------------------------------------------ */
/* Pointer                                                             */
/* ------------------------------------------------------------------ */

static char *
text_at (CsChartView *self,
         double       x,
         double       y)
{
  if (!self->has_frame)
    return NULL;
  return cs_chart_describe_at (self->chart, &self->frame, x, y);
}

static void
motion_cb (CsChartView              *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  g_autofree char *text = text_at (self, x, y);

  /* GTK keeps a visible tooltip's text while the pointer stays in the
   * widget; ask again when another bar is under it. */
  if (g_strcmp0 (text, self->hover_text) != 0)
    {
      g_free (self->hover_text);
      self->hover_text = g_steal_pointer (&text);
      gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
    }
}

static void
leave_cb (CsChartView              *self,
          GtkEventControllerMotion *controller)
{
  g_clear_pointer (&self->hover_text, g_free);
}

static void
secondary_click_cb (CsChartView     *self,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkGestureClick *gesture)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  if (self->context_menu == NULL)
    {
      g_autoptr(GMenuModel) menu = create_export_menu ();

      self->context_menu = gtk_popover_menu_new_from_model (menu);
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
      gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
      gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* A click on a legend entry hides or shows its series; on a bar, cell or
 * point it activates the item. */
static void
primary_click_cb (CsChartView     *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *gesture)
{
  CsChartLayer *layer = NULL;
  guint series = 0, index = 0;

  if (self->chart == NULL || n_press != 1)
    return;
  if (cs_chart_toggle_legend_at (self->chart, x, y))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }
  if (self->has_frame &&
      cs_chart_item_at (self->chart, &self->frame, x, y, &layer, &series, &index))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      g_signal_emit (self, signals[SIGNAL_ITEM_ACTIVATED], 0, layer, series, index);
    }
}

static gboolean
cs_chart_view_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard_mode,
                             GtkTooltip *tooltip)
{
  CsChartView *self = CS_CHART_VIEW (widget);
  g_autofree char *text = NULL;

  /* A tooltip over an open menu would hide its items. */
  if (keyboard_mode ||
      (self->context_menu != NULL && gtk_widget_get_visible (self->context_menu)))
    return FALSE;

  text = text_at (self, x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* GtkWidget                                                           */
/* ------------------------------------------------------------------ */

static void
cs_chart_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NAT_WIDTH;
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = NAT_HEIGHT;
    }
}

static void
cs_chart_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  CsChartView *self = CS_CHART_VIEW (widget);
  GtkRequisition button;

  gtk_widget_get_preferred_size (self->menu_button, NULL, &button);
  gtk_widget_size_allocate (self->menu_button,
                            &(GtkAllocation) {
                              width - button.width - BUTTON_MARGIN,
                              BUTTON_MARGIN,
                              button.width,
                              button.height,
                            },
                            -1);

  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
cs_chart_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  CsChartView *self = CS_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  CsChartRenderOptions options = { 0 };
  const cairo_font_options_t *font_options;
  GtkRequisition button;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  gtk_widget_get_preferred_size (self->menu_button, NULL, &button);
  options.style = &self->style;
  options.reserve_width = button.width + 2 * BUTTON_MARGIN;
  options.reserve_height = button.height + BUTTON_MARGIN;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* Text as crisp as the rest of the UI: the user's hinting settings. */
  font_options = pango_cairo_context_get_font_options (gtk_widget_get_pango_context (widget));
  if (font_options != NULL)
    cairo_set_font_options (cr, font_options);
  self->has_frame = cs_chart_render_full (self->chart, cr, width, height, &options, &self->frame);
  cairo_destroy (cr);

  gtk_widget_snapshot_child (widget, self->menu_button, snapshot);
}

static void
cs_chart_view_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (cs_chart_view_parent_class)->css_changed (widget, change);

  update_style (CS_CHART_VIEW (widget));
}

static void
cs_chart_view_system_setting_changed (GtkWidget        *widget,
                                      GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (cs_chart_view_parent_class)->system_setting_changed (widget, setting);

  if (setting == GTK_SYSTEM_SETTING_FONT_NAME ||
      setting == GTK_SYSTEM_SETTING_FONT_CONFIG ||
      setting == GTK_SYSTEM_SETTING_DPI)
    update_style (CS_CHART_VIEW (widget));
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
cs_chart_view_dispose (GObject *object)
{
  CsChartView *self = CS_CHART_VIEW (object);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_pointer (&self->menu_button, gtk_widget_unparent);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  if (self->chart != NULL)
    g_clear_signal_handler (&self->changed_id, self->chart);
  g_clear_object (&self->chart);

  G_OBJECT_CLASS (cs_chart_view_parent_class)->dispose (object);
}

static void
cs_chart_view_finalize (GObject *object)
{
  CsChartView *self = CS_CHART_VIEW (object);

  g_clear_pointer (&self->chooser_format, g_free);
  g_clear_pointer (&self->font_family, g_free);
  g_clear_pointer (&self->hover_text, g_free);

  G_OBJECT_CLASS (cs_chart_view_parent_class)->finalize (object);
}

static void
cs_chart_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CsChartView *self = CS_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHART:
      g_value_set_object (value, self->chart);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_chart_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CsChartView *self = CS_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHART:
      cs_chart_view_set_chart (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_chart_view_class_init (CsChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_chart_view_dispose;
  object_class->finalize = cs_chart_view_finalize;
  object_class->get_property = cs_chart_view_get_property;
  object_class->set_property = cs_chart_view_set_property;

  widget_class->measure = cs_chart_view_measure;
  widget_class->size_allocate = cs_chart_view_size_allocate;
  widget_class->snapshot = cs_chart_view_snapshot;
  widget_class->css_changed = cs_chart_view_css_changed;
  widget_class->system_setting_changed = cs_chart_view_system_setting_changed;
  widget_class->query_tooltip = cs_chart_view_query_tooltip;

  properties[PROP_CHART] =
    g_param_spec_object ("chart", NULL, NULL,
                         CS_TYPE_CHART,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CsChartView::export-failed:
   * @message: what went wrong, ready to show
   *
   * An export could not be written. Return %TRUE after telling the user
   * (a toast, say); otherwise the view shows a message dialog.
   */
  signals[SIGNAL_EXPORT_FAILED] =
    g_signal_new ("export-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  g_signal_accumulator_true_handled, NULL,
                  NULL,
                  G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  /**
   * CsChartView::exported:
   * @file: the file written
   *
   * An export finished, e.g. to offer "Open" in a toast.
   */
  signals[SIGNAL_EXPORTED] =
    g_signal_new ("exported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE);

  /**
   * CsChartView::item-activated:
   * @layer: the CsChartLayer clicked
   * @series: the series, or the row of a heatmap or confusion-matrix cell
   * @index: the item in the series (category of a bar, point of a line),
   *   or the column of a cell; see cs_chart_layer_item_at()
   *
   * The user clicked a bar, cell or point, e.g. a confusion-matrix cell
   * (@series = true class, @index = predicted class) to list its clips.
   */
  signals[SIGNAL_ITEM_ACTIVATED] =
    g_signal_new ("item-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 3, CS_TYPE_CHART_LAYER, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "chart.export", "s", export_action);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cs_chart_view_init (CsChartView *self)
{
  g_autoptr(GMenuModel) menu = create_export_menu ();
  GtkEventController *motion;
  GtkGesture *click;

  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->menu_button), "document-save-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->menu_button), menu);
  gtk_widget_set_tooltip_text (self->menu_button, _("Export Chart"));
  gtk_widget_add_css_class (self->menu_button, "flat");
  gtk_widget_add_css_class (self->menu_button, "circular");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Export Chart"),
                                  -1);
  gtk_widget_set_parent (self->menu_button, GTK_WIDGET (self));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (secondary_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (click, "released", G_CALLBACK (primary_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  cs_chart_style_init_default (&self->style, FALSE);
  /* Also for g_object_new() without "chart", as GtkBuilder does. */
  cs_chart_view_set_chart (self, NULL);
}

GtkWidget *
cs_chart_view_new (CsChart *chart)
{
  g_return_val_if_fail (chart == NULL || CS_IS_CHART (chart), NULL);

  return g_object_new (CS_TYPE_CHART_VIEW, "chart", chart, NULL);
}

CsChart *
cs_chart_view_get_chart (CsChartView *self)
{
  g_return_val_if_fail (CS_IS_CHART_VIEW (self), NULL);

  return self->chart;
}

void
cs_chart_view_set_chart (CsChartView *self,
                         CsChart     *chart)
{
  g_autoptr(CsChart) owned = NULL;

  g_return_if_fail (CS_IS_CHART_VIEW (self));
  g_return_if_fail (chart == NULL || CS_IS_CHART (chart));

  /* Never without a chart: NULL shows an empty one. */
  if (chart == NULL)
    chart = owned = cs_chart_new ();

  if (self->chart == chart)
    return;

  if (self->chart != NULL)
    g_clear_signal_handler (&self->changed_id, self->chart);
  g_set_object (&self->chart, chart);
  self->changed_id = g_signal_connect_swapped (chart, "changed",
                                               G_CALLBACK (chart_changed_cb), self);
  self->has_frame = FALSE;
  g_clear_pointer (&self->hover_text, g_free);

  chart_changed_cb (self, chart);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHART]);
}
