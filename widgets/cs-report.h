/* cs-report.h: a comparison as a printable report, the pages' machinery.
 *
 * A4 portrait pages drawn with Cairo and Pango only (no GTK), so the app,
 * clipscope-cli report and the tests share one drawing path (DESIGN §3
 * "Charts", §7 "report"). CsReport lays out and exports the pages: a white
 * page, the kind's content, and a footer with the project, "simulated
 * data" for a demo project and "Page N of M"; the PDF has one page per
 * page, a PNG or SVG all of them one below the other. Each kind of report
 * is a subclass that draws the content:
 *   CsRecommendReport  a recommender comparison (cs-recommend-report.h)
 *   CsPredictReport    a Predict comparison (cs-predict-report.h)
 * Their drawing helpers (typography, title block, tables that flow over
 * pages, charts) are in cs-report-private.h and cs-report-table.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* A4 in PostScript points. */
#define CS_REPORT_PAGE_WIDTH  595.276
#define CS_REPORT_PAGE_HEIGHT 841.890

#define CS_TYPE_REPORT (cs_report_get_type ())
G_DECLARE_DERIVABLE_TYPE (CsReport, cs_report, CS, REPORT, GObject)

struct _CsReportClass
{
  GObjectClass parent_class;

  /* "Recommender comparison": the title page's heading and the PDF title. */
  const char *(*get_kind_title) (CsReport *self);
  guint       (*get_n_pages)    (CsReport *self);
  /* Draws the content of page @page (0-based) on a white page; the footer
   * is drawn after it. */
  void        (*draw_page)      (CsReport *self,
                                 cairo_t  *cr,
                                 guint     page);

  gpointer padding[4];
};

/* Shown under the title ("Demo"); NULL for none. */
void                cs_report_set_project_title (CsReport           *self,
                                                 const char         *title);
const char         *cs_report_get_project_title (CsReport           *self);
/* Marks every page as simulated data (a demo project). */
void                cs_report_set_simulated     (CsReport           *self,
                                                 gboolean            simulated);
gboolean            cs_report_get_simulated     (CsReport           *self);
/* The date printed on the title page; now (local time) by default. */
void                cs_report_set_date          (CsReport           *self,
                                                 GDateTime          *date);

guint               cs_report_get_n_pages       (CsReport           *self);
/* Draws page @page (0-based) at 0,0 in points, CS_REPORT_PAGE_WIDTH ×
 * CS_REPORT_PAGE_HEIGHT, on a white background. */
void                cs_report_render_page       (CsReport           *self,
                                                 cairo_t            *cr,
                                                 guint               page);

/* Checks that @path ends in .pdf, .png or .svg (any case), with a message
 * naming the accepted types otherwise (G_IO_ERROR_INVALID_ARGUMENT). */
gboolean            cs_report_check_path        (const char         *path,
                                                 GError            **error);
/* Writes the report, replacing @path: a multi-page PDF, or for .png and
 * .svg one tall image with the pages one below the other (PNG at 144 dpi).
 * Errors name the file and say why (a missing or read-only folder);
 * cancelled, nothing new is left at @path. */
gboolean            cs_report_export            (CsReport           *self,
                                                 const char         *path,
                                                 GCancellable       *cancellable,
                                                 GError            **error);

G_END_DECLS
