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

#define N_FIXED      64
#define N_QUALITY    256
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

static char *
params_json (const CsGenerateResult *r, int steps, float lr, int sample_every)
{
  return g_strdup_printf ("{\"size\":%d,\"batch\":%d,\"steps\":%d,\"learning_rate\":%g,"
                          "\"frame_set_id\":%" G_GINT64_FORMAT ",\"sample_every\":%d}",
                          r->size, r->batch, steps, (double) lr, r->frame_set_id, sample_every);
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
save_samples (CsStore *store, gint64 run_id, gint64 step, int size, GBytes *png, GError **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, "INSERT INTO generated_images (run_id, step, width, height, data)"
                                                " VALUES (?, ?, ?, ?, ?)", error);
  int side = 8 * size + 9 * 2;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, step);
  sqlite3_bind_int (stmt, 3, side);
  sqlite3_bind_int (stmt, 4, side);
  sqlite3_bind_blob (stmt, 5, g_bytes_get_data (png, NULL), (int) g_bytes_get_size (png), SQLITE_STATIC);
  return step_done (store, stmt, _("Saving samples"), error);
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
  return TRUE;
}

static void
fixed_noise (guint64 seed, guint64 salt, float *z, gsize n)
{
  CsNnRng rng;

  cs_nn_rng_init (&rng, seed ^ salt);
  cs_nn_rng_fill_normal (&rng, z, n, 0.0f, 1.0f);
}

static gboolean
quality (CsGenerateResult *r, CsGenModel *model, const float *train, const float *heldout,
         const float *fixed, GError **error)
{
  gsize d = (gsize) 3 * r->size * r->size;
  g_autofree float *gen = g_new (float, d * N_QUALITY);
  g_autofree float *z = g_new (float, (gsize) N_QUALITY * model->nz);
  g_autofree double *f_train = g_new (double, (gsize) r->n_train * CS_GEN_FEATURES);
  g_autofree double *f_gen = g_new (double, (gsize) N_QUALITY * CS_GEN_FEATURES);
  double sum = 0;

  r->recon_heldout = r->kl_heldout = r->frechet_real = NAN;
  if (model->kind == CS_GEN_VAE && r->n_heldout > 0)
    cs_gen_model_vae_eval (model, heldout, r->n_heldout, &r->recon_heldout, &r->kl_heldout);

  fixed_noise (model->seed, QUALITY_SALT, z, (gsize) N_QUALITY * model->nz);
  for (int i = 0; i < N_QUALITY; i += N_FIXED)
    cs_gen_model_generate (model, z + (gsize) i * model->nz, N_FIXED, gen + i * d);
  cs_gen_features (train, r->n_train, r->size, f_train);
  cs_gen_features (gen, N_QUALITY, r->size, f_gen);
  r->frechet = cs_gen_frechet_distance (f_train, r->n_train, f_gen, N_QUALITY, CS_GEN_FEATURES);
  if (r->n_heldout >= 2)
    {
      g_autofree double *f_held = g_new (double, (gsize) r->n_heldout * CS_GEN_FEATURES);

      cs_gen_features (heldout, r->n_heldout, r->size, f_held);
      r->frechet_real = cs_gen_frechet_distance (f_train, r->n_train, f_held, r->n_heldout, CS_GEN_FEATURES);
    }

  r->n_samples = N_FIXED;
  r->samples = g_new (float, d * N_FIXED);
  cs_gen_model_generate (model, fixed, N_FIXED, r->samples);
  for (int i = 0; i < N_FIXED; i++)
    {
      double rms;

      cs_gen_nearest (r->samples + i * d, train, r->n_train, d, &rms);
      sum += rms;
    }
  r->nearest_rms = sum / N_FIXED;
  g_clear_pointer (&r->grid_png, g_bytes_unref);
  r->grid_png = cs_gen_grid_png (r->samples, N_FIXED, r->size, 8, error);
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
  g_autofree float *fixed = NULL;
  g_autofree char *params = NULL;
  guint64 seed = request->seed;
  float lr = request->learning_rate;
  double fit_before = 0, fit_s = 0;
  int sample_every = request->sample_every > 0 ? request->sample_every : 100;
  int checkpoint_every = request->checkpoint_every > 0 ? request->checkpoint_every : 100;
  gsize d;
  gint64 last_checkpoint;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  r->losses = g_array_new (FALSE, TRUE, sizeof (CsGenLosses));
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
    }
  if (request->steps < 1)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("Train for at least one step."));
      return NULL;
    }

  /* The model first: it refuses unsupported sizes before any sampling. */
  model = cs_gen_model_new (r->kind, r->size, r->batch, seed, error);
  if (model == NULL)
    return NULL;
  if (lr > 0)
    model->adam_g.lr = model->adam_d.lr = lr;

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
  frames = cs_frame_set_load (store, r->frame_set_id, error);
  if (frames == NULL)
    return NULL;
  if (frames->n < CS_GENERATE_MIN_FRAMES)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   ngettext ("The frame set has %d frame; training needs at least %d. "
                             "Sample more frames per second or choose more clips.",
                             "The frame set has %d frames; training needs at least %d. "
                             "Sample more frames per second or choose more clips.", frames->n),
                   frames->n, CS_GENERATE_MIN_FRAMES);
      return NULL;
    }

  /* Every tenth frame is held out (when there are enough). */
  d = (gsize) 3 * r->size * r->size;
  train = g_new (float, d * frames->n);
  heldout = g_new (float, d * frames->n);
  for (int i = 0; i < frames->n; i++)
    {
      gboolean hold = frames->n >= 20 && i % 10 == 9;

      memcpy ((hold ? heldout + d * r->n_heldout++ : train + d * r->n_train++),
              frames->data + d * i, d * sizeof (float));
    }

  params = params_json (r, request->steps, model->adam_g.lr, sample_every);
  if (request->resume_run_id > 0)
    {
      if (!load_checkpoint (store, r->run_id, model, r->losses, error))
        return NULL;
    }
  else
    {
      r->run_id = insert_run (store, cs_gen_kind_to_string (r->kind), params, seed, error);
      if (r->run_id == 0)
        return NULL;
    }
  r->first_step = model->step;
  last_checkpoint = model->step;

  fixed = g_new (float, (gsize) N_FIXED * model->nz);
  fixed_noise (seed, FIXED_SALT, fixed, (gsize) N_FIXED * model->nz);

  while (model->step < request->steps)
    {
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
      cs_gen_model_step (model, train, r->n_train, &l);
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
          g_autofree float *img = g_new (float, d * N_FIXED);
          g_autoptr(GBytes) png = NULL;

          cs_gen_model_generate (model, fixed, N_FIXED, img);
          png = cs_gen_grid_png (img, N_FIXED, r->size, 8, error);
          if (png == NULL || !save_samples (store, r->run_id, model->step, r->size, png, error))
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
  if (!quality (r, model, train, heldout, fixed, error))
    return NULL;
  if (!save_samples (store, r->run_id, r->steps, r->size, r->grid_png, error))
    return NULL;

  {
    g_autofree char *summary =
      g_strdup_printf ("{\"frame_set_id\":%" G_GINT64_FORMAT ",\"n_train\":%d,\"n_heldout\":%d,"
                       "\"steps\":%" G_GINT64_FORMAT "}", r->frame_set_id, r->n_train, r->n_heldout, r->steps);
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
