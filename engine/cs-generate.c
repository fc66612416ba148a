/* cs-generate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "cs-error.h"
#include "cs-gen-quality.h"
#include "cs-generate.h"
#include "cs-predict-dataset.h"

#define N_FIXED      64    /* unconditional grid: 8 × 8 */
#define GRID_COLS    8     /* conditional grid: one row of 8 per class */
#define N_QUALITY    256
#define PRIOR_REFIT_STEPS 200  /* live grid: steps between refits of a fitted prior */
#define FIXED_SALT   G_GUINT64_CONSTANT (0xf1ed0015ef1ed001)
#define QUALITY_SALT G_GUINT64_CONSTANT (0x0a11ce5a3b1e0000)

/* The loss curves stored per run, in CsGenLosses field order. */
static const char * const curve_names[] = { "d_loss", "g_loss", "d_x", "d_g_z", "recon", "kl", "loss" };
G_STATIC_ASSERT (sizeof (CsGenLosses) == G_N_ELEMENTS (curve_names) * sizeof (double));

void
cs_generate_request_init (CsGenerateRequest *request)
{
  memset (request, 0, sizeof *request);
  request->kind = CS_GEN_VAE;
  request->size = 64;
  request->steps = 1000;
}

void
cs_generate_result_free (CsGenerateResult *result)
{
  if (result == NULL)
    return;
  cs_frame_set_info_free (result->frame_set);
  g_clear_pointer (&result->losses, g_array_unref);
  g_clear_pointer (&result->grid_png, g_bytes_unref);
  g_free (result->samples);
  g_free (result->condition);
  g_clear_pointer (&result->clip_classes, g_hash_table_unref);
  g_free (result);
}

static gboolean
step_done (CsStore *store, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, what);
  return TRUE;
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The run's settings; with a condition, its metric, thresholds and the
 * class of every clip, so a resumed run trains on exactly the same labels
 * even after new statistics were imported. */
static char *
params_json (const CsGenerateResult *r, int steps, float lr, int sample_every)
{
  GString *s = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (s, "{\"size\":%d,\"batch\":%d,\"steps\":%d,\"learning_rate\":%s,"
                          "\"frame_set_id\":%" G_GINT64_FORMAT ",\"sample_every\":%d",
                          r->size, r->batch, steps, g_ascii_formatd (buf, sizeof buf, "%g", lr),
                          r->frame_set_id, sample_every);
  if (r->kind == CS_GEN_VAE)
    g_string_append_printf (s, ",\"beta\":%s,\"kl_warmup\":%d,\"prior\":\"%s\"",
                            g_ascii_formatd (buf, sizeof buf, "%g", r->beta), r->kl_warmup,
                            r->fitted_prior ? "fitted" : "standard");
  if (r->n_classes > 0)
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      GHashTableIter it;
      gpointer key;

      g_string_append_printf (s, ",\"condition\":{\"metric\":\"%s\",\"n_classes\":%d,\"thresholds\":[",
                              r->condition, r->n_classes);
      for (int t = 0; t < r->n_classes - 1; t++)
        g_string_append_printf (s, "%s%s", t ? "," : "", g_ascii_formatd (buf, sizeof buf, "%.17g", r->thresholds[t]));
      g_string_append (s, "],\"clips\":[");
      g_hash_table_iter_init (&it, r->clip_classes);
      while (g_hash_table_iter_next (&it, &key, NULL))
        g_array_append_val (ids, *(gint64 *) key);
      g_array_sort (ids, compare_ids);
      for (guint i = 0; i < ids->len; i++)
        {
          gint64 id = g_array_index (ids, gint64, i);

          g_string_append_printf (s, "%s[%" G_GINT64_FORMAT ",%d]", i ? "," : "", id,
                                  GPOINTER_TO_INT (g_hash_table_lookup (r->clip_classes, &id)) - 1);
        }
      g_string_append (s, "]}");
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

/* Engagement classes per clip from the Predict dataset: terciles of
 * @metric over the clips with statistics (cs-predict-dataset.h). */
static gboolean
load_classes (CsStore *store, const char *metric, CsGenerateResult *r, GError **error)
{
  g_autoptr(CsPredictDataset) ds = NULL;
  g_autoptr(GError) local = NULL;

  if (g_strcmp0 (metric, "views") != 0 && g_strcmp0 (metric, "like_rate") != 0)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("Generate conditions on views or like_rate, not “%s”."), metric);
      return FALSE;
    }
  ds = cs_predict_dataset_load (store, metric, &local);
  if (ds == NULL || !cs_predict_dataset_set_target (ds, metric, "terciles", &local))
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("The clips cannot be put into engagement classes by %s: %s "
                     "Import clip statistics, or train without a condition."),
                   metric, local->message);
      return FALSE;
    }
  r->condition = g_strdup (metric);
  r->n_classes = (int) ds->n_classes;
  for (guint t = 0; t + 1 < ds->n_classes; t++)
    r->thresholds[t] = ds->thresholds[t];
  for (guint i = 0; i < ds->n_rows; i++)
    g_hash_table_insert (r->clip_classes, g_memdup2 (&ds->clip_ids[i], sizeof (gint64)),
                         GINT_TO_POINTER ((int) ds->labels[i] + 1));
  return TRUE;
}

static gint64
insert_run (CsStore *store, const char *model, const char *params, guint64 seed, GError **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store,
                                         "INSERT INTO runs (task, model, params, seed, status)"
                                         " VALUES ('generate', ?, ?, ?, 'running')", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, params, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) seed);
  if (!step_done (store, stmt, _("Saving the training run"), error))
    return 0;
  return sqlite3_last_insert_rowid (cs_store_get_db (store));
}

static gboolean
set_status (CsStore *store, gint64 run_id, const char *status, const char *message,
            double fit_s, const char *summary, GError **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store,
                                         "UPDATE runs SET status = ?, error = ?, fit_s = ?,"
                                         " summary = coalesce(?, summary),"
                                         " finished_at = strftime('%s','now') WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_TRANSIENT);
  if (message)
    sqlite3_bind_text (stmt, 2, message, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_double (stmt, 3, fit_s);
  if (summary)
    sqlite3_bind_text (stmt, 4, summary, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int64 (stmt, 5, run_id);
  return step_done (store, stmt, _("Saving the training run"), error);
}

static GBytes *
doubles_le (const double *v, gsize n, gsize stride)
{
  guint64 *out = g_new (guint64, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    {
      guint64 bits;

      memcpy (&bits, v + i * stride, sizeof bits);
      out[i] = GUINT64_TO_LE (bits);
    }
  return g_bytes_new_take (out, n * sizeof (guint64));
}

/* Checkpoint and loss curves, together, so they always agree. */
static gboolean
save_checkpoint (CsStore *store, gint64 run_id, CsGenModel *model, GArray *losses, GError **error)
{
  g_autoptr(GBytes) state = cs_gen_model_save (model);
  g_autofree double *xs = g_new (double, MAX (losses->len, 1));
  g_autoptr(GBytes) x = NULL;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < losses->len; i++)
    xs[i] = i + 1;
  x = doubles_le (xs, losses->len, 1);
  if (!cs_store_begin (store, error))
    return FALSE;
  stmt = cs_store_prepare (store, "DELETE FROM artifacts WHERE run_id = ? AND name = 'checkpoint'", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, run_id);
  if (!step_done (store, stmt, _("Saving the checkpoint"), error))
    goto fail;
  stmt = cs_store_prepare (store, "INSERT INTO artifacts (run_id, name, data) VALUES (?, 'checkpoint', ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_blob64 (stmt, 2, g_bytes_get_data (state, NULL), g_bytes_get_size (state), SQLITE_STATIC);
  if (!step_done (store, stmt, _("Saving the checkpoint"), error))
    goto fail;
  for (guint c = 0; c < G_N_ELEMENTS (curve_names); c++)
    {
      g_autoptr(GBytes) y = doubles_le ((const double *) losses->data + c, losses->len,
                                        G_N_ELEMENTS (curve_names));

      stmt = cs_store_prepare (store, "INSERT OR REPLACE INTO curves (run_id, name, fold, x, y)"
                                      " VALUES (?, ?, -1, ?, ?)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, run_id);
      sqlite3_bind_text (stmt, 2, curve_names[c], -1, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 3, g_bytes_get_data (x, NULL), (int) g_bytes_get_size (x), SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 4, g_bytes_get_data (y, NULL), (int) g_bytes_get_size (y), SQLITE_STATIC);
      if (!step_done (store, stmt, _("Saving the loss curves"), error))
        goto fail;
    }
  return cs_store_commit (store, error);

fail:
  cs_store_rollback (store);
  return FALSE;
}

static gboolean
load_checkpoint (CsStore *store, gint64 run_id, CsGenModel *model, GArray *losses, GError **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, "SELECT data FROM artifacts WHERE run_id = ?"
                                                " AND name = 'checkpoint' ORDER BY id DESC LIMIT 1", error);
  g_autoptr(GBytes) state = NULL;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    state = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  if (state == NULL)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("Run %" PRId64 " has no checkpoint to resume from; start a new run."), run_id);
      return FALSE;
    }
  if (!cs_gen_model_load (model, state, error))
    return FALSE;

  g_array_set_size (losses, model->step);
  for (guint c = 0; c < G_N_ELEMENTS (curve_names); c++)
    {
      stmt = cs_store_prepare (store, "SELECT y FROM curves WHERE run_id = ? AND name = ? AND fold = -1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, run_id);
      sqlite3_bind_text (stmt, 2, curve_names[c], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const guint64 *y = sqlite3_column_blob (stmt, 0);
          gsize n = sqlite3_column_bytes (stmt, 0) / sizeof (guint64);

          for (gsize i = 0; i < MIN (n, (gsize) model->step); i++)
            {
              guint64 bits = GUINT64_FROM_LE (y[i]);

              memcpy ((double *) losses->data + i * G_N_ELEMENTS (curve_names) + c, &bits, sizeof bits);
            }
        }
      sqlite3_reset (stmt);
    }
  return TRUE;
}

static gboolean
save_samples (CsStore *store, gint64 run_id, gint64 step, int size, int rows, GBytes *png, GError **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, "INSERT INTO generated_images (run_id, step, width, height, data)"
                                                " VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, step);
  sqlite3_bind_int (stmt, 3, GRID_COLS * size + (GRID_COLS + 1) * 2);
  sqlite3_bind_int (stmt, 4, rows * size + (rows + 1) * 2);
  sqlite3_bind_blob (stmt, 5, g_bytes_get_data (png, NULL), (int) g_bytes_get_size (png), SQLITE_STATIC);
  return step_done (store, stmt, _("Saving samples"), error);
}

static gboolean
update_params (CsStore *store, gint64 run_id, const char *params, GError **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, "UPDATE runs SET params = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, params, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, run_id);
  return step_done (store, stmt, _("Could not save the run’s settings"), error);
}

static gboolean
save_metric (CsStore *store, gint64 run_id, const char *name, double value, GError **error)
{
  sqlite3_stmt *stmt;

  if (!isfinite (value))
    return TRUE;
  stmt = cs_store_prepare (store, "INSERT OR REPLACE INTO metrics (run_id, name, k, fold, value)"
                                  " VALUES (?, ?, 0, -1, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 3, value);
  return step_done (store, stmt, _("Saving the quality figures"), error);
}

/* Model, batch, seed and frame set of an earlier run, for resuming. */
static gboolean
load_run (CsStore *store, gint64 run_id, CsGenerateResult *r, guint64 *seed, float *lr,
          double *fit_s, GError **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, "SELECT model, params, seed, coalesce(fit_s, 0) FROM runs"
                                                " WHERE id = ? AND task = 'generate'", error);
  g_autofree char *model = NULL;
  g_autofree char *params = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      model = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      params = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      *seed = (guint64) sqlite3_column_int64 (stmt, 2);
      *fit_s = sqlite3_column_double (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (model == NULL || params == NULL || !cs_gen_kind_from_string (model, &r->kind) ||
      (node = json_from_string (params, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                   _("The project has no Generate run %" PRId64 " to resume."), run_id);
      return FALSE;
    }
  o = json_node_get_object (node);
  r->size = (int) json_object_get_int_member_with_default (o, "size", 0);
  r->batch = (int) json_object_get_int_member_with_default (o, "batch", 0);
  r->frame_set_id = json_object_get_int_member_with_default (o, "frame_set_id", 0);
  *lr = (float) json_object_get_double_member_with_default (o, "learning_rate", 0);
  r->beta = json_object_get_double_member_with_default (o, "beta", 1.0);
  r->kl_warmup = (int) json_object_get_int_member_with_default (o, "kl_warmup", 0);
  r->fitted_prior = g_strcmp0 (json_object_get_string_member_with_default (o, "prior", "standard"),
                               "fitted") == 0;
  if (json_object_has_member (o, "condition"))
    {
      JsonObject *c = json_object_get_object_member (o, "condition");
      JsonArray *t = c ? json_object_get_array_member (c, "thresholds") : NULL;
      JsonArray *clips = c ? json_object_get_array_member (c, "clips") : NULL;

      if (c == NULL || t == NULL || clips == NULL)
        {
          g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                       _("Generate run %" PRId64 " has a damaged condition; start a new run."), run_id);
          return FALSE;
        }
      r->condition = g_strdup (json_object_get_string_member_with_default (c, "metric", "views"));
      r->n_classes = (int) json_object_get_int_member_with_default (c, "n_classes", 0);
      for (guint i = 0; i < MIN (json_array_get_length (t), G_N_ELEMENTS (r->thresholds)); i++)
        r->thresholds[i] = json_array_get_double_element (t, i);
      for (guint i = 0; i < json_array_get_length (clips); i++)
        {
          JsonArray *pair = json_array_get_array_element (clips, i);
          gint64 id;

          if (pair == NULL || json_array_get_length (pair) != 2)
            continue;
          id = json_array_get_int_element (pair, 0);
          g_hash_table_insert (r->clip_classes, g_memdup2 (&id, sizeof id),
                               GINT_TO_POINTER ((int) json_array_get_int_element (pair, 1) + 1));
        }
    }
  return TRUE;
}

static void
fixed_noise (guint64 seed, guint64 salt, float *z, gsize n)
{
  CsNnRng rng;

  cs_nn_rng_init (&rng, seed ^ salt);
  cs_nn_rng_fill_normal (&rng, z, n, 0.0f, 1.0f);
}

/* The fixed noise of the sample grids: 64 vectors (8 × 8), or with K
 * classes 8 vectors, each drawn once per class, row k being class k (so a
 * column shows one z under every class). */
static int
fixed_grid (guint64 seed, int nz, int n_classes, float **z, int **labels)
{
  int n = n_classes > 0 ? GRID_COLS * n_classes : N_FIXED;

  *z = g_new (float, (gsize) n * nz);
  *labels = g_new0 (int, n);
  if (n_classes == 0)
    {
      fixed_noise (seed, FIXED_SALT, *z, (gsize) n * nz);
      return n;
    }
  fixed_noise (seed, FIXED_SALT, *z, (gsize) GRID_COLS * nz);
  for (int k = 0; k < n_classes; k++)
    for (int c = 0; c < GRID_COLS; c++)
      {
        (*labels)[k * GRID_COLS + c] = k;
        if (k > 0)
          memcpy (*z + (gsize) (k * GRID_COLS + c) * nz, *z + (gsize) c * nz, nz * sizeof (float));
      }
  return n;
}

static gboolean
quality (CsGenerateResult *r, CsGenModel *model, const float *train, const float *heldout,
         const int *heldout_labels, const float *fixed, const int *fixed_labels, int n_fixed,
         GError **error)
{
  gsize d = (gsize) 3 * r->size * r->size;
  g_autofree float *gen = g_new (float, d * N_QUALITY);
  g_autofree float *z = g_new (float, (gsize) N_QUALITY * model->nz);
  g_autofree int *labels = g_new0 (int, N_QUALITY);
  g_autofree double *f_train = g_new (double, (gsize) r->n_train * CS_GEN_FEATURES);
  g_autofree double *f_gen = g_new (double, (gsize) N_QUALITY * CS_GEN_FEATURES);
  double sum = 0;

  r->recon_heldout = r->kl_heldout = r->frechet_real = NAN;
  if (model->kind == CS_GEN_VAE && r->n_heldout > 0 &&
      !cs_gen_model_vae_eval (model, heldout, heldout_labels, r->n_heldout,
                              &r->recon_heldout, &r->kl_heldout, error))
    return FALSE;

  /* With classes, the 256 samples are spread evenly over them. */
  for (int i = 0; i < N_QUALITY && model->n_classes > 0; i++)
    labels[i] = i % model->n_classes;
  fixed_noise (model->seed, QUALITY_SALT, z, (gsize) N_QUALITY * model->nz);
  for (int i = 0; i < N_QUALITY; i += CS_GEN_SAMPLE_BATCH)
    if (!cs_gen_model_generate (model, z + (gsize) i * model->nz, labels + i, CS_GEN_SAMPLE_BATCH,
                                gen + i * d, error))
      return FALSE;
  cs_gen_features (train, r->n_train, r->size, f_train);
  cs_gen_features (gen, N_QUALITY, r->size, f_gen);
  r->frechet = cs_gen_frechet_distance (f_train, r->n_train, f_gen, N_QUALITY, CS_GEN_FEATURES);
  if (r->n_heldout >= 2)
    {
      g_autofree double *f_held = g_new (double, (gsize) r->n_heldout * CS_GEN_FEATURES);

      cs_gen_features (heldout, r->n_heldout, r->size, f_held);
      r->frechet_real = cs_gen_frechet_distance (f_train, r->n_train, f_held, r->n_heldout, CS_GEN_FEATURES);
    }

  r->n_samples = n_fixed;
  r->samples = g_new (float, d * n_fixed);
  if (!cs_gen_model_generate (model, fixed, fixed_labels, n_fixed, r->samples, error))
    return FALSE;
  for (int i = 0; i < n_fixed; i++)
    {
      double rms;

      cs_gen_nearest (r->samples + i * d, train, r->n_train, d, &rms);
      sum += rms;
    }
  r->nearest_rms = sum / n_fixed;
  g_clear_pointer (&r->grid_png, g_bytes_unref);
  r->grid_png = cs_gen_grid_png (r->samples, n_fixed, r->size, GRID_COLS, error);
  return r->grid_png != NULL;
}

static gboolean
losses_finite (const CsGenLosses *l, CsGenKind kind)
{
  if (kind == CS_GEN_VAE)
    return isfinite (l->recon) && isfinite (l->kl) && isfinite (l->loss);
  return isfinite (l->d_loss) && isfinite (l->g_loss);
}

CsGenerateResult *
cs_generate_run (CsStore                 *store,
                 const CsGenerateRequest *request,
                 CsProgressFunc           progress,
                 gpointer                 progress_data,
                 GCancellable            *cancellable,
                 GError                 **error)
{
  g_autoptr(CsGenerateResult) r = g_new0 (CsGenerateResult, 1);
  g_autoptr(CsFrameTensor) frames = NULL;
  g_autoptr(CsGenModel) model = NULL;
  g_autofree float *train = NULL;
  g_autofree float *heldout = NULL;
  g_autofree int *train_labels = NULL;
  g_autofree int *heldout_labels = NULL;
  g_autofree float *fixed = NULL;
  g_autofree int *fixed_labels = NULL;
  g_autofree char *params = NULL;
  guint64 seed = request->seed;
  float lr = request->learning_rate;
  double fit_before = 0, fit_s = 0;
  int sample_every = request->sample_every > 0 ? request->sample_every : 100;
  int checkpoint_every = request->checkpoint_every > 0 ? request->checkpoint_every : 100;
  int n_fixed, rows;
  gsize d;
  gint64 last_checkpoint;
  gint64 prior_step = 0;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  r->losses = g_array_new (FALSE, TRUE, sizeof (CsGenLosses));
  r->clip_classes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  if (request->resume_run_id > 0)
    {
      r->run_id = request->resume_run_id;
      if (!load_run (store, r->run_id, r, &seed, &lr, &fit_before, error))
        return NULL;
    }
  else
    {
      r->kind = request->kind;
      r->size = request->size;
      r->batch = request->batch > 0 ? request->batch : 64;
      r->frame_set_id = request->frame_set_id;
      r->beta = request->beta > 0 ? request->beta : 1.0;
      r->kl_warmup = MAX (request->kl_warmup, 0);
      /* New VAE runs sample from the fitted prior unless told otherwise. */
      r->fitted_prior = r->kind == CS_GEN_VAE;
    }
  if (request->prior != NULL)
    {
      if (g_strcmp0 (request->prior, "fitted") != 0 && g_strcmp0 (request->prior, "standard") != 0)
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("Unknown prior “%s”: use standard or fitted."), request->prior);
          return NULL;
        }
      r->fitted_prior = r->kind == CS_GEN_VAE && g_strcmp0 (request->prior, "fitted") == 0;
    }
  if (request->steps < 1)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("Train for at least one step."));
      return NULL;
    }

  /* Settings and memory first: unsupported sizes and batches that cannot
   * fit are refused before any sampling. */
  if (request->resume_run_id == 0 && request->condition != NULL &&
      !load_classes (store, request->condition, r, error))
    return NULL;
  if (!cs_gen_model_check_memory (r->kind, r->size, r->batch, r->n_classes, 0, error))
    return NULL;

  if (r->frame_set_id == 0)
    {
      double rate = request->rate > 0 ? request->rate : 1.0;
      int max_per_clip = request->max_per_clip > 0 ? request->max_per_clip : 200;

      r->frame_set_id = cs_frame_set_find (store, request->clip_ids, r->size, rate, max_per_clip);
      if (r->frame_set_id == 0)
        {
          g_autoptr(CsFrameSetInfo) built = cs_frame_set_build (store, request->clip_ids, r->size, rate,
                                                                max_per_clip, NULL, progress, progress_data,
                                                                cancellable, error);
          if (built == NULL)
            return NULL;
          r->frame_set_id = built->id;
        }
    }
  r->frame_set = cs_frame_set_get_info (store, r->frame_set_id, error);
  if (r->frame_set == NULL)
    return NULL;
  if (r->frame_set->size != r->size)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("Frame set %" PRId64 " has %d×%d frames, not %d×%d; build one at that size."),
                   r->frame_set_id, r->frame_set->size, r->frame_set->size, r->size, r->size);
      return NULL;
    }
  d = (gsize) 3 * r->size * r->size;
  /* The frames are held three times: as loaded, and split into training
   * and held-out copies. */
  if (!cs_gen_model_check_memory (r->kind, r->size, r->batch, r->n_classes,
                                  (guint64) 3 * r->frame_set->n_frames * d * sizeof (float), error))
    return NULL;
  model = cs_gen_model_new (r->kind, r->size, r->batch, r->n_classes, seed, error);
  if (model == NULL)
    return NULL;
  if (lr > 0)
    model->adam_g.lr = model->adam_d.lr = lr;
  model->beta = (float) r->beta;
  model->kl_warmup = r->kl_warmup;

  frames = cs_frame_set_load (store, r->frame_set_id, error);
  if (frames == NULL)
    return NULL;
  /* With a condition, each frame takes its clip's class; frames of clips
   * without one (no statistics) are left out. */
  if (r->n_classes > 0)
    {
      int kept = 0;

      for (int i = 0; i < frames->n; i++)
        {
          int label = GPOINTER_TO_INT (g_hash_table_lookup (r->clip_classes, &frames->clip_ids[i])) - 1;

          if (label < 0)
            {
              r->n_unlabelled++;
              continue;
            }
          memmove (frames->data + d * kept, frames->data + d * i, d * sizeof (float));
          frames->labels[kept] = label;
          frames->clip_ids[kept] = frames->clip_ids[i];
          kept++;
        }
      frames->n = kept;
    }
  if (frames->n < CS_GENERATE_MIN_FRAMES)
    {
      if (r->n_classes > 0)
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                     ngettext ("%d frame comes from clips with an engagement class; conditioned training "
                               "needs at least %d. Import statistics for more clips or train without a condition.",
                               "%d frames come from clips with an engagement class; conditioned training "
                               "needs at least %d. Import statistics for more clips or train without a condition.",
                               frames->n),
                     frames->n, CS_GENERATE_MIN_FRAMES);
      else
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                     ngettext ("The frame set has %d frame; training needs at least %d. "
                               "Sample more frames per second or choose more clips.",
                               "The frame set has %d frames; training needs at least %d. "
                               "Sample more frames per second or choose more clips.", frames->n),
                     frames->n, CS_GENERATE_MIN_FRAMES);
      return NULL;
    }

  /* Every tenth frame is held out (when there are enough). */
  train = g_try_new (float, d * frames->n);
  heldout = g_try_new (float, d * frames->n);
  train_labels = g_new (int, frames->n);
  heldout_labels = g_new (int, frames->n);
  if (train == NULL || heldout == NULL)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("There is not enough memory for %d frames of %d×%d. Choose fewer clips or a "
                     "lower frame rate, or close other programs."), frames->n, r->size, r->size);
      return NULL;
    }
  for (int i = 0; i < frames->n; i++)
    {
      gboolean hold = frames->n >= 20 && i % 10 == 9;
      int j = hold ? r->n_heldout++ : r->n_train++;

      memcpy ((hold ? heldout : train) + d * j, frames->data + d * i, d * sizeof (float));
      (hold ? heldout_labels : train_labels)[j] = frames->labels[i];
    }

  params = params_json (r, request->steps, model->adam_g.lr, sample_every);
  if (request->resume_run_id > 0)
    {
      if (!load_checkpoint (store, r->run_id, model, r->losses, error))
        return NULL;
      /* The prior may change on resume: keep the stored settings in step. */
      if (request->prior != NULL && !update_params (store, r->run_id, params, error))
        return NULL;
      if (!r->fitted_prior)
        {
          g_clear_pointer (&model->prior, cs_gen_prior_free);
        }
    }
  else
    {
      r->run_id = insert_run (store, cs_gen_kind_to_string (r->kind), params, seed, error);
      if (r->run_id == 0)
        return NULL;
    }
  r->first_step = model->step;
  last_checkpoint = model->step;

  n_fixed = fixed_grid (seed, model->nz, r->n_classes, &fixed, &fixed_labels);
  rows = (n_fixed + GRID_COLS - 1) / GRID_COLS;

  while (model->step < request->steps)
    {
      g_autoptr(GError) step_error = NULL;
      CsGenLosses l;
      gint64 start;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_autoptr(GError) save_error = NULL;

          if (model->step > last_checkpoint)
            save_checkpoint (store, r->run_id, model, r->losses, &save_error);
          set_status (store, r->run_id, "cancelled", NULL, fit_before + fit_s, NULL, NULL);
          g_cancellable_set_error_if_cancelled (cancellable, error);
          return NULL;
        }

      start = g_get_monotonic_time ();
      if (!cs_gen_model_step (model, train, train_labels, r->n_train, &l, &step_error))
        {
          set_status (store, r->run_id, "failed", step_error->message, fit_before + fit_s, NULL, NULL);
          g_propagate_error (error, g_steal_pointer (&step_error));
          return NULL;
        }
      fit_s += (g_get_monotonic_time () - start) / 1e6;

      if (!losses_finite (&l, r->kind))
        {
          g_autofree char *message =
            g_strdup_printf (_("Training stopped at step %" PRId64 ": the loss is not a number "
                               "(the model diverged). The checkpoint of step %" PRId64
                               " is kept; try a lower learning rate or another seed."),
                             model->step, last_checkpoint);

          set_status (store, r->run_id, "failed", message, fit_before + fit_s, NULL, NULL);
          g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED, message);
          return NULL;
        }
      g_array_append_val (r->losses, l);

      if (model->step % sample_every == 0 && model->step < request->steps)
        {
          g_autofree float *img = g_new (float, d * n_fixed);
          g_autoptr(GBytes) png = NULL;

          /* Refitting encodes up to CS_GEN_PRIOR_FRAMES frames (a few
           * seconds at 64×64), so the live grid reuses a prior for up to
           * PRIOR_REFIT_STEPS steps. */
          if (r->fitted_prior && (model->prior == NULL || model->step - prior_step >= PRIOR_REFIT_STEPS))
            {
              if (!cs_gen_model_fit_prior (model, train, train_labels, r->n_train, error))
                return NULL;
              prior_step = model->step;
            }
          if (!cs_gen_model_generate (model, fixed, fixed_labels, n_fixed, img, error))
            return NULL;
          png = cs_gen_grid_png (img, n_fixed, r->size, GRID_COLS, error);
          if (png == NULL || !save_samples (store, r->run_id, model->step, r->size, rows, png, error))
            return NULL;
        }
      if (model->step % checkpoint_every == 0 || model->step == request->steps)
        {
          if (!save_checkpoint (store, r->run_id, model, r->losses, error))
            return NULL;
          last_checkpoint = model->step;
        }
      if (progress)
        {
          g_autofree char *msg = g_strdup_printf (_("Step %" PRId64 " of %d, loss %.4g"),
                                                  model->step, request->steps, l.loss);

          progress ((double) model->step / request->steps, msg, progress_data);
        }
    }

  r->steps = model->step;
  r->step_s = r->steps > r->first_step ? fit_s / (r->steps - r->first_step) : NAN;
  /* The final prior goes into the checkpoint, for the page's gallery and
   * interpolation strips. */
  if (r->fitted_prior &&
      (!cs_gen_model_fit_prior (model, train, train_labels, r->n_train, error) ||
       !save_checkpoint (store, r->run_id, model, r->losses, error)))
    return NULL;
  if (!quality (r, model, train, heldout, heldout_labels, fixed, fixed_labels, n_fixed, error))
    return NULL;
  if (!save_samples (store, r->run_id, r->steps, r->size, rows, r->grid_png, error))
    return NULL;

  {
    g_autofree char *summary =
      g_strdup_printf ("{\"frame_set_id\":%" G_GINT64_FORMAT ",\"n_train\":%d,\"n_heldout\":%d,"
                       "\"steps\":%" G_GINT64_FORMAT ",\"n_unlabelled\":%d}", r->frame_set_id, r->n_train,
                       r->n_heldout, r->steps, r->n_unlabelled);
    const CsGenLosses *last = r->losses->len ? &g_array_index (r->losses, CsGenLosses, r->losses->len - 1) : NULL;

    if (!cs_store_begin (store, error))
      return NULL;
    if (!save_metric (store, r->run_id, "step_s", r->step_s, error) ||
        !save_metric (store, r->run_id, "loss", last ? last->loss : NAN, error) ||
        !save_metric (store, r->run_id, "recon_heldout", r->recon_heldout, error) ||
        !save_metric (store, r->run_id, "kl_heldout", r->kl_heldout, error) ||
        !save_metric (store, r->run_id, "frechet_pixel_projection", r->frechet, error) ||
        !save_metric (store, r->run_id, "frechet_real_heldout", r->frechet_real, error) ||
        !save_metric (store, r->run_id, "nearest_real_rms", r->nearest_rms, error) ||
        !set_status (store, r->run_id, "done", NULL, fit_before + fit_s, summary, error) ||
        !cs_store_commit (store, error))
      {
        cs_store_rollback (store);
        return NULL;
      }
  }
  if (progress)
    progress (1.0, NULL, progress_data);
  return g_steal_pointer (&r);
}
