/* cs-sparse.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cs-sparse.h"

CsCsr *
cs_csr_new (gint32 n_rows,
            gint32 n_cols,
            gint32 nnz)
{
  CsCsr *self;

  g_return_val_if_fail (n_rows >= 0 && n_cols >= 0 && nnz >= 0, NULL);

  self = g_new0 (CsCsr, 1);
  self->n_rows = n_rows;
  self->n_cols = n_cols;
  self->row_ptr = g_new0 (gint32, (gsize) n_rows + 1);
  /* g_new() of 0 elements returns NULL; keep the arrays non-NULL so callers
   * can index them without special cases. */
  self->col_idx = g_new (gint32, MAX (nnz, 1));
  self->values = g_new (float, MAX (nnz, 1));
  return self;
}

void
cs_csr_free (CsCsr *self)
{
  if (self == NULL)
    return;
  g_free (self->row_ptr);
  g_free (self->col_idx);
  g_free (self->values);
  g_free (self);
}

CsCsr *
cs_csr_select_rows (const CsCsr  *self,
                    const gint32 *rows,
                    gint32        n)
{
  gint64 nnz = 0;
  CsCsr *out;

  for (gint32 i = 0; i < n; i++)
    nnz += cs_csr_row_length (self, rows[i]);
  g_return_val_if_fail (nnz <= G_MAXINT32, NULL);
  out = cs_csr_new (n, self->n_cols, (gint32) nnz);
  for (gint32 i = 0; i < n; i++)
    {
      gint32 start = self->row_ptr[rows[i]], length = cs_csr_row_length (self, rows[i]);

      memcpy (out->col_idx + out->row_ptr[i], self->col_idx + start, length * sizeof (gint32));
      memcpy (out->values + out->row_ptr[i], self->values + start, length * sizeof (float));
      out->row_ptr[i + 1] = out->row_ptr[i] + length;
    }
  return out;
}

CsCsr *
cs_csr_new_from_pairs (gint32        n_rows,
                       gint32        n_cols,
                       const gint32 *rows,
                       const gint32 *cols,
                       const float  *values,
                       gsize         n)
{
  g_autoptr(CsCsr) by_col = NULL;
  g_autoptr(CsCsr) by_row = NULL;
  CsCsr *self;
  gint32 out = 0;

  g_return_val_if_fail (n_rows >= 0 && n_cols >= 0, NULL);
  g_return_val_if_fail (n <= G_MAXINT32, NULL);

  /* Two stable counting sorts (by column, then by row) leave every row in
   * ascending column order in linear time, whatever order the pairs come in. */
  by_col = cs_csr_new (n_cols, n_rows, (gint32) n);
  for (gsize i = 0; i < n; i++)
    {
      g_assert (rows[i] >= 0 && rows[i] < n_rows);
      g_assert (cols[i] >= 0 && cols[i] < n_cols);
      by_col->row_ptr[cols[i] + 1]++;
    }
  for (gint32 c = 0; c < n_cols; c++)
    by_col->row_ptr[c + 1] += by_col->row_ptr[c];
  {
    g_autofree gint32 *fill = g_memdup2 (by_col->row_ptr, sizeof (gint32) * ((gsize) n_cols + 1));

    for (gsize i = 0; i < n; i++)
      {
        gint32 at = fill[cols[i]]++;

        by_col->col_idx[at] = rows[i];
        by_col->values[at] = values ? values[i] : 1.0f;
      }
  }

  by_row = cs_csr_transpose (by_col);

  /* Sum duplicates in place into the final matrix. */
  self = cs_csr_new (n_rows, n_cols, (gint32) n);
  for (gint32 r = 0; r < n_rows; r++)
    {
      self->row_ptr[r] = out;
      for (gint32 a = by_row->row_ptr[r]; a < by_row->row_ptr[r + 1]; a++)
        {
          if (out > self->row_ptr[r] && self->col_idx[out - 1] == by_row->col_idx[a])
            {
              self->values[out - 1] += by_row->values[a];
              continue;
            }
          self->col_idx[out] = by_row->col_idx[a];
          self->values[out] = by_row->values[a];
          out++;
        }
    }
  self->row_ptr[n_rows] = out;
  return self;
}

CsCsr *
cs_csr_transpose (const CsCsr *self)
{
  g_autofree gint32 *fill = NULL;
  CsCsr *t;
  gint32 nnz;

  g_return_val_if_fail (self != NULL, NULL);

  nnz = cs_csr_get_nnz (self);
  t = cs_csr_new (self->n_cols, self->n_rows, nnz);
  for (gint32 a = 0; a < nnz; a++)
    t->row_ptr[self->col_idx[a] + 1]++;
  for (gint32 c = 0; c < self->n_cols; c++)
    t->row_ptr[c + 1] += t->row_ptr[c];

  /* Walking the rows in order fills every transposed row in ascending order. */
  fill = g_memdup2 (t->row_ptr, sizeof (gint32) * ((gsize) self->n_cols + 1));
  for (gint32 r = 0; r < self->n_rows; r++)
    for (gint32 a = self->row_ptr[r]; a < self->row_ptr[r + 1]; a++)
      {
        gint32 at = fill[self->col_idx[a]]++;
        t->col_idx[at] = r;
        t->values[at] = self->values[a];
      }
  return t;
}

gboolean
cs_csr_contains (const CsCsr *self,
                 gint32       row,
                 gint32       col)
{
  gint32 lo, hi;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (row >= 0 && row < self->n_rows, FALSE);

  lo = self->row_ptr[row];
  hi = self->row_ptr[row + 1];
  while (lo < hi)
    {
      gint32 mid = lo + (hi - lo) / 2;

      if (self->col_idx[mid] < col)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < self->row_ptr[row + 1] && self->col_idx[lo] == col;
}

gint32
cs_csr_count_rows_used (const CsCsr *self)
{
  gint32 n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (gint32 r = 0; r < self->n_rows; r++)
    if (self->row_ptr[r + 1] > self->row_ptr[r])
      n++;
  return n;
}
