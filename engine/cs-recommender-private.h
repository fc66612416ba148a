/* cs-recommender-private.h: writing and reading a model's trained state
 * (the layout is in cs-recommender.h).
 *
 * Every value is little-endian whatever the machine, so a project moves
 * between computers with its models. The reader checks every length against
 * the bytes left, so a damaged blob gives an error, never a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cs-recommender.h"
#include "cs-sparse.h"

G_BEGIN_DECLS

struct _CsStateWriter
{
  GByteArray *bytes;
};

struct _CsStateReader
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
  const char   *model;   /* display name for messages */
};

void     _cs_state_put_u32     (CsStateWriter *w,
                                guint32        v);
void     _cs_state_put_string  (CsStateWriter *w,
                                const char    *s);
void     _cs_state_put_i32s    (CsStateWriter *w,
                                const gint32  *v,
                                gsize          n);
void     _cs_state_put_u32s    (CsStateWriter *w,
                                const guint32 *v,
                                gsize          n);
void     _cs_state_put_f32s    (CsStateWriter *w,
                                const float   *v,
                                gsize          n);
void     _cs_state_put_f64s    (CsStateWriter *w,
                                const double  *v,
                                gsize          n);
/* n_rows, n_cols, nnz, row_ptr, col_idx, then has_values and values
 * (values only when some entry is not 1, or @always_values). */
void     _cs_state_put_csr     (CsStateWriter *w,
                                const CsCsr   *m,
                                gboolean       always_values);

/* Each returns FALSE with CS_MODEL_ERROR_INVALID_PARAM when the blob ends
 * early. */
gboolean _cs_state_get_u32     (CsStateReader *r,
                                guint32       *v,
                                GError       **error);
gboolean _cs_state_get_string  (CsStateReader *r,
                                char         **s,
                                GError       **error);
/* Allocates *v (g_free) of @n values. */
gboolean _cs_state_get_i32s    (CsStateReader *r,
                                gint32       **v,
                                gsize          n,
                                GError       **error);
gboolean _cs_state_get_f32s    (CsStateReader *r,
                                float        **v,
                                gsize          n,
                                GError       **error);
gboolean _cs_state_get_f64s    (CsStateReader *r,
                                double       **v,
                                gsize          n,
                                GError       **error);
/* Checks that the row pointers grow, end at nnz and that every column is in
 * range and ascending within its row. */
CsCsr   *_cs_state_get_csr     (CsStateReader *r,
                                GError       **error);
/* Fails unless @actual == @expected: "the saved X does not match". */
gboolean _cs_state_check       (CsStateReader *r,
                                gboolean       ok,
                                GError       **error);

G_END_DECLS
