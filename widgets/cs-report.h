/* cs-report.h: a recommender comparison as a printable report.
 *
 * A4 portrait pages drawn with Cairo and Pango only (no GTK), so the app,
 * clipscope-cli report and the tests share one drawing path (DESIGN §3
 * "Charts", §7 "report"): page 1 the title, protocol and data; then the
 * full metrics table (over as many pages as it needs); then charts of
 * NDCG@K and Recall@K, coverage and the fit and scoring times; then, when
 * the comparison kept its significance matrices, NDCG and Recall at the
 * first K for every pair of models (paired t-test, Holm over all pairs).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "cs-evaluator.h"

G_BEGIN_DECLS

/* A4 in PostScript points. */
#define CS_REPORT_PAGE_WIDTH  595.276
#define CS_REPORT_PAGE_HEIGHT 841.890

#define CS_TYPE_REPORT (cs_report_get_type ())
G_DECLARE_FINAL_TYPE (CsReport, cs_report, CS, REPORT, GObject)

/* Takes ownership of @result. */
G_GNUC_WARN_UNUSED_RESULT
CsReport           *cs_report_new               (CsEvalResult       *result);
const CsEvalResult *cs_report_get_result        (CsReport           *self);
/* Shown under the title ("Demo"); NULL for none. */
void                cs_report_set_project_title (CsReport           *self,
                                                 const char         *title);
/* Marks every page as simulated data (a demo project). */
void                cs_report_set_simulated     (CsReport           *self,
                                                 gboolean            simulated);
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
 * Errors name the file and say why (a missing or read-only folder). */
gboolean            cs_report_export            (CsReport           *self,
                                                 const char         *path,
                                                 GCancellable       *cancellable,
                                                 GError            **error);

G_END_DECLS
