/* cs-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cs-report-private.h"

#define FONT_FAMILY   "Cantarell, sans-serif"
#define CHART_SCALE   0.75  /* 72 pt per 96 logical pixels */
#define PNG_SCALE     2.0   /* 144 dpi */
#define PAGE_GAP      24.0  /* between the pages of a PNG or SVG */

const CsColor cs_report_text_color    = { 0.118, 0.118, 0.118, 1.0 };
const CsColor cs_report_dim_color     = { 0.369, 0.361, 0.392, 1.0 };
const CsColor cs_report_accent_color  = { 0.110, 0.443, 0.847, 1.0 };
const CsColor cs_report_rule_color    = { 0.871, 0.867, 0.855, 1.0 };
const CsColor cs_report_stripe_color  = { 0.965, 0.961, 0.957, 1.0 };
static const CsColor notice_fill   = { 0.992, 0.953, 0.816, 1.0 };
static const CsColor notice_border = { 0.898, 0.647, 0.039, 1.0 };
static const CsColor gap_color     = { 0.871, 0.867, 0.855, 1.0 };

typedef struct
{
  char      *project_title;
  gboolean   simulated;
  GDateTime *date;
} CsReportPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CsReport, cs_report, G_TYPE_OBJECT)

void
cs_report_set_project_title (CsReport   *self,
                             const char *title)
{
  CsReportPrivate *priv = cs_report_get_instance_private (self);

  g_return_if_fail (CS_IS_REPORT (self));

  g_free (priv->project_title);
  priv->project_title = g_strdup (title);
}

const char *
cs_report_get_project_title (CsReport *self)
{
  CsReportPrivate *priv = cs_report_get_instance_private (self);

  g_return_val_if_fail (CS_IS_REPORT (self), NULL);

  return priv->project_title;
}

void
cs_report_set_simulated (CsReport *self,
                         gboolean  simulated)
{
  CsReportPrivate *priv = cs_report_get_instance_private (self);

  g_return_if_fail (CS_IS_REPORT (self));

  priv->simulated = !!simulated;
}

gboolean
cs_report_get_simulated (CsReport *self)
{
  CsReportPrivate *priv = cs_report_get_instance_private (self);

  g_return_val_if_fail (CS_IS_REPORT (self), FALSE);

  return priv->simulated;
}

void
cs_report_set_date (CsReport  *self,
                    GDateTime *date)
{
  CsReportPrivate *priv = cs_report_get_instance_private (self);

  g_return_if_fail (CS_IS_REPORT (self));
  g_return_if_fail (date != NULL);

  g_clear_pointer (&priv->date, g_date_time_unref);
  priv->date = g_date_time_ref (date);
}

static const char *
kind_title (CsReport *self)
{
  return CS_REPORT_GET_CLASS (self)->get_kind_title (self);
}

/* ---- Text ---------------------------------------------------------------- */

void
cs_report_set_color (cairo_t       *cr,
                     const CsColor *color)
{
  cairo_set_source_rgba (cr, color->r, color->g, color->b, color->a);
}

PangoLayout *
cs_report_make_layout (cairo_t    *cr,
                       const char *text,
                       double      size,
                       PangoWeight weight,
                       double      width,
                       gboolean    markup)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoContext *context = pango_layout_get_context (layout);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);
  cairo_font_options_t *options = cairo_font_options_create ();
  PangoAttrList *attrs = pango_attr_list_new ();

  /* Unhinted metrics: the same line breaks in PDF, SVG and PNG. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_layout_context_changed (layout);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, weight);
  pango_layout_set_font_description (layout, font);
  /* Figures of equal width, so columns of numbers line up. */
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  return layout;
}

double
cs_report_layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

double
cs_report_layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

/* Draws @text with its top-left at @x, @y and returns its height. */
double
cs_report_draw_text (cairo_t       *cr,
                     const char    *text,
                     double         x,
                     double         y,
                     double         size,
                     PangoWeight    weight,
                     double         width,
                     const CsColor *color)
{
  g_autoptr(PangoLayout) layout = cs_report_make_layout (cr, text, size, weight, width, FALSE);

  cs_report_set_color (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  return cs_report_layout_height (layout);
}

/* Right-aligned at @right. */
void
cs_report_draw_text_right (cairo_t       *cr,
                           const char    *text,
                           double         right,
                           double         y,
                           double         size,
                           PangoWeight    weight,
                           const CsColor *color)
{
  g_autoptr(PangoLayout) layout = cs_report_make_layout (cr, text, size, weight, -1, FALSE);

  cs_report_set_color (cr, color);
  cairo_move_to (cr, right - cs_report_layout_width (layout), y);
  pango_cairo_show_layout (cr, layout);
}

void
cs_report_hline (cairo_t       *cr,
                 double         x0,
                 double         x1,
                 double         y,
                 double         width,
                 const CsColor *color)
{
  cs_report_set_color (cr, color);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
}

double
cs_report_draw_heading (cairo_t    *cr,
                        const char *text,
                        double      y)
{
  return y + cs_report_draw_text (cr, text, CS_REPORT_MARGIN_X, y, 14, PANGO_WEIGHT_BOLD, CS_REPORT_CONTENT_WIDTH, &cs_report_text_color) + 8;
}

/* A two-column list of facts: name in grey, value beside it. */
double
cs_report_draw_fact (cairo_t    *cr,
                     const char *name,
                     const char *value,
                     double      y)
{
  const double name_width = 132;
  double h1, h2;

  h1 = cs_report_draw_text (cr, name, CS_REPORT_MARGIN_X, y, 10.5, PANGO_WEIGHT_NORMAL, name_width - 12, &cs_report_dim_color);
  h2 = cs_report_draw_text (cr, value, CS_REPORT_MARGIN_X + name_width, y, 10.5, PANGO_WEIGHT_NORMAL,
                  CS_REPORT_CONTENT_WIDTH - name_width, &cs_report_text_color);
  return y + MAX (h1, h2) + 5;
}

double
cs_report_draw_page_title (cairo_t    *cr,
                           const char *title,
                           const char *subtitle)
{
  double y = CS_REPORT_MARGIN_TOP;

  y += cs_report_draw_text (cr, title, CS_REPORT_MARGIN_X, y, 18, PANGO_WEIGHT_BOLD, CS_REPORT_CONTENT_WIDTH,
                            &cs_report_text_color) + 4;
  if (subtitle != NULL)
    y += cs_report_draw_text (cr, subtitle, CS_REPORT_MARGIN_X, y, 10.5, PANGO_WEIGHT_NORMAL,
                              CS_REPORT_CONTENT_WIDTH, &cs_report_dim_color);
  return y + 18;
}

static char *
format_date (CsReport *self)
{
  CsReportPrivate *priv = cs_report_get_instance_private (self);
  g_autoptr(GDateTime) now = NULL;
  GDateTime *date = priv->date;

  if (date == NULL)
    date = now = g_date_time_new_now_local ();
  /* Translators: the report's date, strftime format, e.g. "28 November 2026". */
  return g_date_time_format (date, _("%-d %B %Y"));
}

double
cs_report_draw_title_block (CsReport *self,
                            cairo_t  *cr,
                            gint64    run_id)
{
  CsReportPrivate *priv = cs_report_get_instance_private (self);
  double y = CS_REPORT_MARGIN_TOP;
  g_autofree char *date = format_date (self);
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (CS_IS_REPORT (self), y);

  y += cs_report_draw_text (cr, _("CLIPSCOPE REPORT"), CS_REPORT_MARGIN_X, y, 9, PANGO_WEIGHT_BOLD,
                            CS_REPORT_CONTENT_WIDTH, &cs_report_accent_color) + 6;
  y += cs_report_draw_text (cr, kind_title (self), CS_REPORT_MARGIN_X, y, 28, PANGO_WEIGHT_BOLD,
                            CS_REPORT_CONTENT_WIDTH, &cs_report_text_color) + 6;
  if (priv->project_title != NULL)
    /* Translators: under the report title: project name, date and run number. */
    subtitle = g_strdup_printf (_("Project “%s” · %s · comparison %" PRId64),
                                priv->project_title, date, run_id);
  else
    subtitle = g_strdup_printf (_("%s · comparison %" PRId64), date, run_id);
  y += cs_report_draw_text (cr, subtitle, CS_REPORT_MARGIN_X, y, 12, PANGO_WEIGHT_NORMAL, CS_REPORT_CONTENT_WIDTH,
                            &cs_report_dim_color);
  y += 18;
  cs_report_hline (cr, CS_REPORT_MARGIN_X, CS_REPORT_MARGIN_X + CS_REPORT_CONTENT_WIDTH, y, 1.5,
                   &cs_report_accent_color);
  y += 22;

  if (priv->simulated)
    {
      double x = CS_REPORT_MARGIN_X, w = CS_REPORT_CONTENT_WIDTH;
      g_autoptr(PangoLayout) body = cs_report_make_layout (cr,
          _("This project was made by Clipscope’s demo. The numbers show how the comparison works, "
            "not how real viewers behave."),
          10, PANGO_WEIGHT_NORMAL, w - 28, FALSE);
      double h = 14 + 16 + cs_report_layout_height (body) + 12;

      cs_report_set_color (cr, &notice_fill);
      cairo_new_sub_path (cr);
      cairo_arc (cr, x + w - 6, y + 6, 6, -G_PI / 2, 0);
      cairo_arc (cr, x + w - 6, y + h - 6, 6, 0, G_PI / 2);
      cairo_arc (cr, x + 6, y + h - 6, 6, G_PI / 2, G_PI);
      cairo_arc (cr, x + 6, y + 6, 6, G_PI, 3 * G_PI / 2);
      cairo_close_path (cr);
      cairo_fill_preserve (cr);
      cs_report_set_color (cr, &notice_border);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      cs_report_draw_text (cr, _("Simulated data"), x + 14, y + 12, 10.5, PANGO_WEIGHT_BOLD, w - 28,
                           &cs_report_text_color);
      cs_report_set_color (cr, &cs_report_text_color);
      cairo_move_to (cr, x + 14, y + 30);
      pango_cairo_show_layout (cr, body);
      y += h + 22;
    }
  return y;
}

/* ---- Charts -------------------------------------------------------------- */

void
cs_report_style_chart (CsChart *chart)
{
  CsChartStyle style;

  cs_chart_style_init_default (&style, FALSE);
  style.font_family = "Cantarell";
  style.font_size = 10;
  cs_chart_set_style (chart, &style);
}

CsChart *
cs_report_make_chart (const char *title,
                      const char *x_label,
                      const char *y_label)
{
  CsChart *chart = cs_chart_new ();

  cs_report_style_chart (chart);
  cs_chart_set_title (chart, title);
  cs_chart_set_x_label (chart, x_label);
  cs_chart_set_y_label (chart, y_label);
  return chart;
}

void
cs_report_draw_chart (cairo_t *cr,
                      CsChart *chart,
                      double   x,
                      double   y,
                      double   width,
                      double   height)
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, CHART_SCALE, CHART_SCALE);
  cs_chart_render (chart, cr, width / CHART_SCALE, height / CHART_SCALE);
  cairo_restore (cr);
}

/* ---- Pages --------------------------------------------------------------- */

guint
cs_report_get_n_pages (CsReport *self)
{
  g_return_val_if_fail (CS_IS_REPORT (self), 0);

  return CS_REPORT_GET_CLASS (self)->get_n_pages (self);
}

static void
draw_footer (CsReport *self,
             cairo_t  *cr,
             guint     page,
             guint     n_pages)
{
  CsReportPrivate *priv = cs_report_get_instance_private (self);
  double y = CS_REPORT_PAGE_HEIGHT - CS_REPORT_MARGIN_BOTTOM + 22;
  g_autofree char *left = NULL;
  g_autofree char *right = NULL;

  cs_report_hline (cr, CS_REPORT_MARGIN_X, CS_REPORT_MARGIN_X + CS_REPORT_CONTENT_WIDTH, y - 8, 0.5,
                   &cs_report_rule_color);
  if (priv->project_title != NULL)
    /* Translators: the page footer: app name, project, data kind. */
    left = g_strdup_printf (priv->simulated ? _("Clipscope · %s · simulated data") : _("Clipscope · %s"),
                            priv->project_title);
  else
    left = g_strdup (priv->simulated ? _("Clipscope · simulated data") : "Clipscope");
  /* Translators: page numbers in the report footer. */
  right = g_strdup_printf (_("Page %u of %u"), page + 1, n_pages);
  cs_report_draw_text (cr, left, CS_REPORT_MARGIN_X, y, 8.5, PANGO_WEIGHT_NORMAL, CS_REPORT_CONTENT_WIDTH * 0.7,
                       &cs_report_dim_color);
  cs_report_draw_text_right (cr, right, CS_REPORT_MARGIN_X + CS_REPORT_CONTENT_WIDTH, y, 8.5, PANGO_WEIGHT_NORMAL,
                             &cs_report_dim_color);
}

void
cs_report_render_page (CsReport *self,
                       cairo_t  *cr,
                       guint     page)
{
  guint n_pages;

  g_return_if_fail (CS_IS_REPORT (self));
  g_return_if_fail (cr != NULL);

  n_pages = cs_report_get_n_pages (self);
  g_return_if_fail (page < n_pages);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, CS_REPORT_PAGE_WIDTH, CS_REPORT_PAGE_HEIGHT);
  cairo_fill (cr);
  cairo_save (cr);
  CS_REPORT_GET_CLASS (self)->draw_page (self, cr, page);
  cairo_restore (cr);
  draw_footer (self, cr, page, n_pages);
  cairo_restore (cr);
}

/* ---- Export -------------------------------------------------------------- */

typedef enum
{
  FORMAT_NONE,
  FORMAT_PDF,
  FORMAT_PNG,
  FORMAT_SVG,
} Format;

static Format
path_format (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, G_DIR_SEPARATOR);

  if (dot == NULL || (slash != NULL && dot < slash))
    return FORMAT_NONE;
  if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    return FORMAT_PDF;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return FORMAT_PNG;
  if (g_ascii_strcasecmp (dot, ".svg") == 0)
    return FORMAT_SVG;
  return FORMAT_NONE;
}

gboolean
cs_report_check_path (const char *path,
                      GError    **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (path_format (path) != FORMAT_NONE)
    return TRUE;
  name = g_path_get_basename (path);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               /* Translators: %s is a file name such as "report.txt". */
               _("Cannot write a report as “%s”: the name must end in .pdf, .png or .svg"), name);
  return FALSE;
}

typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GError        *error;
} StreamWriter;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  StreamWriter *writer = closure;

  if (writer->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (writer->stream, data, length, NULL, writer->cancellable,
                                  &writer->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static void
render_stacked (CsReport *self,
                cairo_t  *cr,
                guint     n_pages)
{
  cs_report_set_color (cr, &gap_color);
  cairo_paint (cr);
  for (guint p = 0; p < n_pages; p++)
    {
      cairo_save (cr);
      cairo_translate (cr, PAGE_GAP, PAGE_GAP + p * (CS_REPORT_PAGE_HEIGHT + PAGE_GAP));
      cs_report_render_page (self, cr, p);
      cairo_restore (cr);
    }
}

static void
prefix_error (GError    **error,
              const char *path)
{
  g_autofree char *name = g_filename_display_name (path);

  /* Translators: %s is a file path; the reason follows. */
  g_prefix_error (error, _("Could not write “%s”: "), name);
}

gboolean
cs_report_export (CsReport     *self,
                  const char   *path,
                  GCancellable *cancellable,
                  GError      **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  StreamWriter writer = { 0 };
  cairo_surface_t *surface = NULL;
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  Format format;
  gboolean existed;
  guint n_pages;
  double width, height;
  CsReportPrivate *priv;

  g_return_val_if_fail (CS_IS_REPORT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  priv = cs_report_get_instance_private (self);
  if (!cs_report_check_path (path, error))
    return FALSE;
  format = path_format (path);
  n_pages = cs_report_get_n_pages (self);
  width = CS_REPORT_PAGE_WIDTH + 2 * PAGE_GAP;
  height = n_pages * (CS_REPORT_PAGE_HEIGHT + PAGE_GAP) + PAGE_GAP;

  /* GFile gives a message that says why (no such folder, read-only), and
   * replaces the file only once everything is written. */
  file = g_file_new_for_path (path);
  existed = g_file_query_exists (file, NULL);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
  if (out == NULL)
    {
      prefix_error (error, path);
      return FALSE;
    }
  writer.stream = G_OUTPUT_STREAM (out);
  writer.cancellable = cancellable;

  if (format == FORMAT_PDF)
    {
      g_autofree char *title = NULL;

      surface = cairo_pdf_surface_create_for_stream (write_cb, &writer,
                                                     CS_REPORT_PAGE_WIDTH, CS_REPORT_PAGE_HEIGHT);
      /* Translators: the PDF's title: the kind of report and the project. */
      title = priv->project_title
        ? g_strdup_printf (_("%s — %s"), kind_title (self), priv->project_title)
        : g_strdup (kind_title (self));
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Clipscope");
      {
        cairo_t *cr = cairo_create (surface);

        for (guint p = 0; p < n_pages && !g_cancellable_is_cancelled (cancellable); p++)
          {
            cs_report_render_page (self, cr, p);
            cairo_show_page (cr);
          }
        status = cairo_status (cr);
        cairo_destroy (cr);
      }
    }
  else if (format == FORMAT_SVG)
    {
      cairo_t *cr;

      surface = cairo_svg_surface_create_for_stream (write_cb, &writer, width, height);
      cr = cairo_create (surface);
      render_stacked (self, cr, n_pages);
      status = cairo_status (cr);
      cairo_destroy (cr);
    }
  else
    {
      cairo_t *cr;

      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (width * PNG_SCALE),
                                            (int) ceil (height * PNG_SCALE));
      cr = cairo_create (surface);
      cairo_scale (cr, PNG_SCALE, PNG_SCALE);
      render_stacked (self, cr, n_pages);
      status = cairo_status (cr);
      cairo_destroy (cr);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream (surface, write_cb, &writer);
    }

  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (writer.error == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &writer.error);
  if (writer.error == NULL && status != CAIRO_STATUS_SUCCESS)
    writer.error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s", cairo_status_to_string (status));
  if (writer.error != NULL)
    {
      g_autoptr(GCancellable) never = g_cancellable_new ();

      /* Closing cancelled drops the temporary copy when an old file is
       * replaced; a new file that was only partly written goes too. */
      g_cancellable_cancel (never);
      g_output_stream_close (G_OUTPUT_STREAM (out), never, NULL);
      if (!existed)
        g_file_delete (file, NULL, NULL);
      if (!g_error_matches (writer.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        prefix_error (&writer.error, path);
      g_propagate_error (error, writer.error);
      return FALSE;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    {
      prefix_error (error, path);
      return FALSE;
    }
  return TRUE;
}

static void
cs_report_finalize (GObject *object)
{
  CsReportPrivate *priv = cs_report_get_instance_private (CS_REPORT (object));

  g_clear_pointer (&priv->project_title, g_free);
  g_clear_pointer (&priv->date, g_date_time_unref);

  G_OBJECT_CLASS (cs_report_parent_class)->finalize (object);
}

static void
cs_report_class_init (CsReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cs_report_finalize;
}

static void
cs_report_init (CsReport *self)
{
}
