/* cs-report-table.h: a table of a report that flows over pages.
 *
 * One label column and one right-aligned column per model, headed by the
 * model names (wrapped, bottom-aligned). Rows belong to groups (the rows of
 * one metric): groups alternate a light stripe, a thin rule separates them,
 * and pages break between groups, never inside one (unless a group alone
 * is longer than a page). Text is 10 pt for up to 5 models, 8.5 pt up to 8,
 * 7 pt beyond; a page holds as many rows as fit below a page title with a
 * two-line subtitle. Notes (a failed model and why) follow the last row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CS_REPORT_CELL_PLAIN,
  CS_REPORT_CELL_BOLD,   /* the best value of its row */
  CS_REPORT_CELL_DIM,    /* a value that is missing ("—") */
} CsReportCellStyle;

typedef struct _CsReportTable CsReportTable;

/* @corner heads the label column ("Metric"); @columns the others. */
G_GNUC_WARN_UNUSED_RESULT
CsReportTable *cs_report_table_new         (const char               *corner,
                                            const char * const       *columns,
                                            guint                     n_columns);
void           cs_report_table_free        (CsReportTable            *self);
/* A row of n_columns @cells in @styles (NULL: all plain). */
void           cs_report_table_add_row     (CsReportTable            *self,
                                            const char               *label,
                                            guint                     group,
                                            const char * const       *cells,
                                            const CsReportCellStyle  *styles);
void           cs_report_table_add_note    (CsReportTable            *self,
                                            const char               *note);
/* The note for a model that could not be trained: "NAME failed: WHY". */
void           cs_report_table_add_failure (CsReportTable            *self,
                                            const char               *model,
                                            const char               *reason);
guint          cs_report_table_get_n_pages (CsReportTable            *self);
/* Draws page @page of the table with its top at @y; returns the y below
 * it (and below the notes on the last page). */
double         cs_report_table_draw        (CsReportTable            *self,
                                            cairo_t                  *cr,
                                            guint                     page,
                                            double                    y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsReportTable, cs_report_table_free)

G_END_DECLS
