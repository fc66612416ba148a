/* cs-run-rows.h: writing the rows of a stored comparison (runs, metrics),
 * shared by the recommender evaluator and the predictor. Callers hold the
 * transaction (cs_store_begin/commit).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64      parent_id;   /* 0: a parent run */
  const char *task;        /* "recommend", "predict" */
  const char *model;       /* NULL for a parent */
  const char *params;      /* JSON or NULL */
  const char *protocol;    /* JSON */
  guint64     seed;
  const char *status;      /* "done", "failed" */
  const char *error;       /* NULL when none */
  double      fit_s;       /* NAN: NULL */
  double      score_s;     /* NAN: NULL */
  const char *summary;     /* JSON */
  gint64      started_at;  /* Unix seconds */
  gint64      finished_at;
} CsRunRow;

/* Returns the new run's id, or 0 with @error set. */
gint64   cs_run_rows_insert_run    (CsStore         *store,
                                    const CsRunRow  *row,
                                    GError         **error);
/* One metrics row; a non-finite @value is stored as NULL. */
gboolean cs_run_rows_insert_metric (CsStore         *store,
                                    gint64           run_id,
                                    const char      *name,
                                    int              k,
                                    int              fold,
                                    double           value,
                                    GError         **error);

G_END_DECLS
