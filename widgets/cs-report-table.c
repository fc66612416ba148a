/* cs-report-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "cs-report-private.h"
#include "cs-report-table.h"

typedef struct
{
  char              *label;
  char             **cells;
  CsReportCellStyle *styles;
  guint              group;
} Row;

/* Rows [first, last) of the columns of one block. */
typedef struct
{
  guint block;
  guint first;
  guint last;
} Segment;

struct _CsReportTable
{
  char      *corner;
  GStrv      columns;
  guint      n_columns;
  GPtrArray *rows;        /* Row* */
  GPtrArray *notes;       /* char* */

  /* Laid out on first use. */
  GArray    *segments;    /* Segment, in the order they are drawn */
  GArray    *page_starts; /* guint: first segment of each page */
  guint      per_block;   /* columns side by side */
  guint      rows_per_page;
  double     font_size;
  double     label_width;
  double     col_width;
};

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->label);
  g_strfreev (row->cells);
  g_free (row->styles);
  g_free (row);
}

CsReportTable *
cs_report_table_new (const char         *corner,
                     const char * const *columns,
                     guint               n_columns)
{
  CsReportTable *self = g_new0 (CsReportTable, 1);

  self->corner = g_strdup (corner);
  self->columns = g_new0 (char *, n_columns + 1);
  for (guint c = 0; c < n_columns; c++)
    self->columns[c] = g_strdup (columns[c]);
  self->n_columns = n_columns;
  self->rows = g_ptr_array_new_with_free_func (row_free);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
cs_report_table_free (CsReportTable *self)
{
  if (self == NULL)
    return;
  g_free (self->corner);
  g_strfreev (self->columns);
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->notes);
  g_clear_pointer (&self->segments, g_array_unref);
  g_clear_pointer (&self->page_starts, g_array_unref);
  g_free (self);
}

void
cs_report_table_add_row (CsReportTable           *self,
                         const char              *label,
                         guint                    group,
                         const char * const      *cells,
                         const CsReportCellStyle *styles)
{
  Row *row = g_new0 (Row, 1);

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->segments == NULL);

  row->label = g_strdup (label);
  row->group = group;
  row->cells = g_new0 (char *, self->n_columns + 1);
  row->styles = g_new0 (CsReportCellStyle, MAX (self->n_columns, 1));
  for (guint c = 0; c < self->n_columns; c++)
    {
      row->cells[c] = g_strdup (cells[c]);
      row->styles[c] = styles != NULL ? styles[c] : CS_REPORT_CELL_PLAIN;
    }
  g_ptr_array_add (self->rows, row);
}

void
cs_report_table_add_note (CsReportTable *self,
                          const char    *note)
{
  g_return_if_fail (self != NULL);

  g_ptr_array_add (self->notes, g_strdup (note));
}

void
cs_report_table_add_failure (CsReportTable *self,
                             const char    *model,
                             const char    *reason)
{
  g_autofree char *note = NULL;

  g_return_if_fail (self != NULL);

  /* Translators: a model that could not be trained, and why. */
  note = g_strdup_printf (_("%s failed: %s"), model, reason ? reason : _("no reason was stored"));
  cs_report_table_add_note (self, note);
}

static guint
group_of (CsReportTable *self,
          guint          r)
{
  return ((Row *) g_ptr_array_index (self->rows, r))->group;
}

static double
text_width (cairo_t    *cr,
            const char *text,
            double      size,
            PangoWeight weight)
{
  g_autoptr(PangoLayout) layout = cs_report_make_layout (cr, text, size, weight, -1, FALSE);

  return cs_report_layout_width (layout);
}

/* Text is 10 pt for up to 5 columns side by side, 8.5 pt up to 8, 7 pt
 * beyond. Many columns take room from the labels, which are short; a long
 * label (a test's name) keeps its room. When the cells do not fit their
 * columns ("0.512 ± 0.034" for seven models), the columns are split into
 * blocks drawn one below the other, all of equal width. */
static gboolean
set_widths (CsReportTable *self,
            cairo_t       *cr,
            guint          per_block)
{
  double widest = 0;

  self->per_block = per_block;
  self->font_size = per_block <= 5 ? 10.0 : per_block <= 8 ? 8.5 : 7.0;
  self->label_width = CLAMP (CS_REPORT_CONTENT_WIDTH - 70.0 * per_block, 90, 150);
  for (guint r = 0; r < self->rows->len; r++)
    {
      const Row *row = g_ptr_array_index (self->rows, r);

      self->label_width = MAX (self->label_width,
                               MIN (text_width (cr, row->label, self->font_size, PANGO_WEIGHT_NORMAL) + 12, 200));
      for (guint c = 0; c < self->n_columns; c++)
        widest = MAX (widest, text_width (cr, row->cells[c], self->font_size, PANGO_WEIGHT_BOLD));
    }
  self->col_width = MIN (150, (CS_REPORT_CONTENT_WIDTH - self->label_width) / per_block);
  return widest + 8 <= self->col_width;
}

static void
choose_widths (CsReportTable *self)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  guint n = MAX (self->n_columns, 1);
  guint k = n;

  while (!set_widths (self, cr, k) && k > 1)
    k--;
  /* Blocks as even as can be: 4 and 3 rather than 6 and 1. */
  if (k < n)
    set_widths (self, cr, (n + (n + k - 1) / k - 1) / ((n + k - 1) / k));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Pages break between groups, never inside one (unless a group alone is
 * longer than a page); blocks of columns share a page when they fit. */
static void
ensure_layout (CsReportTable *self)
{
  guint n_blocks, used = 0;

  if (self->segments != NULL)
    return;
  choose_widths (self);
  /* The first table page has a heading and an explanation above it. */
  self->rows_per_page = (guint) MAX (1.0, floor ((CS_REPORT_CONTENT_BOTTOM - CS_REPORT_MARGIN_TOP - 150) /
                                                 (self->font_size * 2.1)));
  n_blocks = MAX (1, (self->n_columns + self->per_block - 1) / self->per_block);
  self->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  for (guint b = 0; b < n_blocks; b++)
    {
      Segment segment = { b, 0, 0 };

      for (guint r = 0; r < self->rows->len;)
        {
          guint end = r;

          while (end < self->rows->len && group_of (self, end) == group_of (self, r))
            end++;
          if (end - segment.first > self->rows_per_page && r > segment.first)
            {
              segment.last = r;
              g_array_append_val (self->segments, segment);
              segment.first = r;
            }
          while (end - segment.first > self->rows_per_page)
            {
              segment.last = segment.first + self->rows_per_page;
              g_array_append_val (self->segments, segment);
              segment.first = segment.last;
            }
          r = end;
        }
      segment.last = self->rows->len;
      g_array_append_val (self->segments, segment);
    }

  /* A segment below another costs its rows and about three more for the
   * gap and its header. */
  self->page_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < self->segments->len; i++)
    {
      const Segment *segment = &g_array_index (self->segments, Segment, i);
      guint rows = segment->last - segment->first;

      if (i > 0 && used + 3 + rows <= self->rows_per_page)
        {
          used += 3 + rows;
          continue;
        }
      g_array_append_val (self->page_starts, i);
      used = rows;
    }
}

guint
cs_report_table_get_n_pages (CsReportTable *self)
{
  g_return_val_if_fail (self != NULL, 0);

  ensure_layout (self);
  return self->page_starts->len;
}

static double
draw_segment (CsReportTable *self,
              cairo_t       *cr,
              const Segment *segment,
              double         y)
{
  const double x0 = CS_REPORT_MARGIN_X;
  double size = self->font_size;
  double row_height = size * 2.1;
  double label_width = self->label_width;
  double col_width = self->col_width;
  guint c0 = segment->block * self->per_block;
  guint n = MIN (self->per_block, self->n_columns - c0);
  double right = x0 + label_width + col_width * n;
  double header_height = 0;

  /* Header: column names, wrapped in their column, bottom-aligned. */
  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PangoLayout) layout = cs_report_make_layout (cr, self->columns[c0 + c], size, PANGO_WEIGHT_BOLD,
                                                             col_width - 8, FALSE);

      header_height = MAX (header_height, cs_report_layout_height (layout));
    }
  cs_report_draw_text (cr, self->corner, x0 + 4, y + header_height - size * 1.3, size,
                       PANGO_WEIGHT_BOLD, label_width, &cs_report_text_color);
  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PangoLayout) layout = cs_report_make_layout (cr, self->columns[c0 + c], size, PANGO_WEIGHT_BOLD,
                                                             col_width - 8, FALSE);
      double h = cs_report_layout_height (layout);

      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      cs_report_set_color (cr, &cs_report_text_color);
      cairo_move_to (cr, x0 + label_width + col_width * c + 4, y + header_height - h);
      pango_cairo_show_layout (cr, layout);
    }
  y += header_height + 6;
  cs_report_hline (cr, x0, right, y, 1.0, &cs_report_text_color);

  for (guint r = segment->first; r < segment->last; r++)
    {
      const Row *row = g_ptr_array_index (self->rows, r);
      double text_y = y + (row_height - size * 1.25) / 2;

      if (row->group % 2 == 1)
        {
          cs_report_set_color (cr, &cs_report_stripe_color);
          cairo_rectangle (cr, x0, y, right - x0, row_height);
          cairo_fill (cr);
        }
      if (r > segment->first && group_of (self, r - 1) != row->group)
        cs_report_hline (cr, x0, right, y, 0.5, &cs_report_rule_color);

      cs_report_draw_text (cr, row->label, x0 + 4, text_y, size, PANGO_WEIGHT_NORMAL,
                           label_width - 8, &cs_report_text_color);
      for (guint c = 0; c < n; c++)
        cs_report_draw_text_right (cr, row->cells[c0 + c], x0 + label_width + col_width * (c + 1) - 4, text_y,
                                   size, row->styles[c0 + c] == CS_REPORT_CELL_BOLD ? PANGO_WEIGHT_BOLD
                                                                                    : PANGO_WEIGHT_NORMAL,
                                   row->styles[c0 + c] == CS_REPORT_CELL_DIM ? &cs_report_dim_color
                                                                             : &cs_report_text_color);
      y += row_height;
    }
  cs_report_hline (cr, x0, right, y, 1.0, &cs_report_text_color);
  return y + 12;
}

double
cs_report_table_draw (CsReportTable *self,
                      cairo_t       *cr,
                      guint          page,
                      double         y)
{
  guint first, last;

  g_return_val_if_fail (self != NULL, y);
  g_return_val_if_fail (page < cs_report_table_get_n_pages (self), y);

  first = g_array_index (self->page_starts, guint, page);
  last = page + 1 < self->page_starts->len ? g_array_index (self->page_starts, guint, page + 1)
                                           : self->segments->len;
  for (guint i = first; i < last; i++)
    y = draw_segment (self, cr, &g_array_index (self->segments, Segment, i), y + (i > first ? 18 : 0));

  if (last == self->segments->len)
    for (guint i = 0; i < self->notes->len; i++)
      y += cs_report_draw_text (cr, g_ptr_array_index (self->notes, i), CS_REPORT_MARGIN_X, y, 9,
                                PANGO_WEIGHT_NORMAL, CS_REPORT_CONTENT_WIDTH, &cs_report_dim_color) + 4;
  return y;
}
