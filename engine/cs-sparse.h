/* cs-sparse.h: compressed sparse row matrices (int32 indices, float values).
 *
 * The recommender engine keeps interactions as CSR (DESIGN §2 "Numerics"):
 * row r's entries are col_idx[row_ptr[r] .. row_ptr[r + 1]), with the column
 * indices strictly ascending inside a row. Indices are int32, so a matrix
 * holds at most G_MAXINT32 entries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint32  n_rows;
  gint32  n_cols;
  gint32 *row_ptr;  /* n_rows + 1 offsets */
  gint32 *col_idx;  /* nnz column indices, ascending within a row */
  float  *values;   /* nnz values */
} CsCsr;

G_GNUC_WARN_UNUSED_RESULT
CsCsr   *cs_csr_new             (gint32        n_rows,
                                 gint32        n_cols,
                                 gint32        nnz);
/* Builds a matrix from (row, col, value) triples in any order; @values may be
 * NULL for all ones. Duplicate (row, col) triples are summed. */
G_GNUC_WARN_UNUSED_RESULT
CsCsr   *cs_csr_new_from_pairs  (gint32        n_rows,
                                 gint32        n_cols,
                                 const gint32 *rows,
                                 const gint32 *cols,
                                 const float  *values,
                                 gsize         n);
void     cs_csr_free            (CsCsr        *self);
/* The rows @rows[0..n) of @self, in that order, as a new matrix. */
G_GNUC_WARN_UNUSED_RESULT
CsCsr   *cs_csr_select_rows     (const CsCsr  *self,
                                 const gint32 *rows,
                                 gint32        n);

static inline gint32
cs_csr_get_nnz (const CsCsr *self)
{
  return self->row_ptr[self->n_rows];
}

static inline gint32
cs_csr_row_length (const CsCsr *self,
                   gint32       row)
{
  return self->row_ptr[row + 1] - self->row_ptr[row];
}

G_GNUC_WARN_UNUSED_RESULT
CsCsr   *cs_csr_transpose       (const CsCsr  *self);
/* Binary search of @col in @row. */
gboolean cs_csr_contains        (const CsCsr  *self,
                                 gint32        row,
                                 gint32        col);
/* Number of non-empty rows. */
gint32   cs_csr_count_rows_used (const CsCsr  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsCsr, cs_csr_free)

G_END_DECLS
