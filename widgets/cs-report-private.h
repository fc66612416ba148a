/* cs-report-private.h: what the kinds of report draw with (cs-report.h).
 *
 * Layout is in points on an A4 page. Text sizes are absolute (points), so
 * the pages look the same in PDF, SVG and PNG. Charts are CsChart models
 * drawn with cs_chart_render(), which works in logical pixels at 96 dpi:
 * they are drawn scaled by 72/96 so their 10 pt text is 10 pt on paper.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pangocairo.h>

#include "cs-chart.h"
#include "cs-report.h"

G_BEGIN_DECLS

#define CS_REPORT_MARGIN_X       56.0
#define CS_REPORT_MARGIN_TOP     60.0
#define CS_REPORT_MARGIN_BOTTOM  64.0
#define CS_REPORT_CONTENT_WIDTH  (CS_REPORT_PAGE_WIDTH - 2 * CS_REPORT_MARGIN_X)
#define CS_REPORT_CONTENT_BOTTOM (CS_REPORT_PAGE_HEIGHT - CS_REPORT_MARGIN_BOTTOM)

/* GNOME palette. */
extern const CsColor cs_report_text_color;
extern const CsColor cs_report_dim_color;
extern const CsColor cs_report_accent_color;
extern const CsColor cs_report_rule_color;
extern const CsColor cs_report_stripe_color;

void         cs_report_set_color       (cairo_t       *cr,
                                        const CsColor *color);
/* Cantarell at @size points, unhinted (the same line breaks in PDF, SVG
 * and PNG), tabular figures; wrapped at @width when > 0. */
PangoLayout *cs_report_make_layout     (cairo_t       *cr,
                                        const char    *text,
                                        double         size,
                                        PangoWeight    weight,
                                        double         width,
                                        gboolean       markup);
double       cs_report_layout_height   (PangoLayout   *layout);
double       cs_report_layout_width    (PangoLayout   *layout);
/* Draws @text with its top-left at @x, @y and returns its height. */
double       cs_report_draw_text       (cairo_t       *cr,
                                        const char    *text,
                                        double         x,
                                        double         y,
                                        double         size,
                                        PangoWeight    weight,
                                        double         width,
                                        const CsColor *color);
/* Right-aligned at @right. */
void         cs_report_draw_text_right (cairo_t       *cr,
                                        const char    *text,
                                        double         right,
                                        double         y,
                                        double         size,
                                        PangoWeight    weight,
                                        const CsColor *color);
void         cs_report_hline           (cairo_t       *cr,
                                        double         x0,
                                        double         x1,
                                        double         y,
                                        double         width,
                                        const CsColor *color);
/* A section heading at @y; returns the y below it. */
double       cs_report_draw_heading    (cairo_t       *cr,
                                        const char    *text,
                                        double         y);
/* One line of a two-column list of facts: name in grey, value beside it;
 * returns the y below it. */
double       cs_report_draw_fact       (cairo_t       *cr,
                                        const char    *name,
                                        const char    *value,
                                        double         y);
/* A page's title and the grey line under it (NULL for none); returns the
 * y where the content starts. */
double       cs_report_draw_page_title (cairo_t       *cr,
                                        const char    *title,
                                        const char    *subtitle);
/* The top of the title page: "CLIPSCOPE REPORT", the kind's title, the
 * project, date and "comparison @run_id", a rule and, for a demo project,
 * the simulated-data notice; returns the y below it. */
double       cs_report_draw_title_block (CsReport     *self,
                                         cairo_t      *cr,
                                         gint64        run_id);

/* A chart in the report's style (Cantarell 10, light). */
G_GNUC_WARN_UNUSED_RESULT
CsChart     *cs_report_make_chart      (const char    *title,
                                        const char    *x_label,
                                        const char    *y_label);
void         cs_report_style_chart     (CsChart       *chart);
/* Draws @chart in the box @x, @y, @width × @height (points). */
void         cs_report_draw_chart      (cairo_t       *cr,
                                        CsChart       *chart,
                                        double         x,
                                        double         y,
                                        double         width,
                                        double         height);

G_END_DECLS
