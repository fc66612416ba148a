/* test-generate.c: frame sets from real clips, the VAE and DCGAN training
 * loop (seeded, resumable, cancellable), NaN handling, quality figures.
 *
 * Sizes are tiny (32×32, batch 4, a few steps) so the whole file runs in
 * seconds on two shared cores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "clipscope-engine.h"

typedef struct
{
  char    *dir;
  CsStore *store;
} Fixture;

static char *
video (const char *relative)
{
  const char *dir = g_getenv ("CS_SHARED_DATA");
  char *path;

  if (dir == NULL)
    g_error ("CS_SHARED_DATA is not set (meson -Dshared_data=PATH)");
  path = g_build_filename (dir, "videos", relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("%s is missing from the shared data", path);
  return path;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("test-generate-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "p.clipscope", NULL);
  f->store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_strdup (cs_store_get_path (f->store));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (&f->store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static gint64
add_clip (Fixture *f, const char *name, const char *path)
{
  sqlite3_stmt *stmt = cs_store_prepare (f->store, "INSERT INTO clips (external_id, path) VALUES (?, ?)", NULL);

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (path)
    sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  return sqlite3_last_insert_rowid (cs_store_get_db (f->store));
}

static void
test_frame_set (Fixture *f, gconstpointer data)
{
  g_autofree char *flower = video ("mdn-cc0/flower.mp4");
  g_autofree char *empty = video ("broken/moviepy/result.webm");
  gint64 good = add_clip (f, "flower", flower);
  gint64 bad = add_clip (f, "empty", empty);
  gint64 log_only = add_clip (f, "log", NULL);
  g_autoptr(GHashTable) labels = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsFrameSetInfo) info = NULL;
  g_autoptr(CsFrameTensor) t = NULL;
  sqlite3_stmt *stmt;

  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Without a list, every clip with a video file: the log-only one is not
   * asked for, so only the empty file is skipped. */
  info = cs_frame_set_build (f->store, NULL, 32, 2.0, 4, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->skipped->len, ==, 1);
  g_clear_pointer (&info, cs_frame_set_info_free);

  g_array_append_val (ids, good);
  g_array_append_val (ids, bad);
  g_array_append_val (ids, log_only);
  g_hash_table_insert (labels, &good, GINT_TO_POINTER (2 + 1));
  /* flower.mp4 lasts 5.055 s (gst-discoverer-1.0): 2 frames per second
   * would give 10, the cap keeps 4. */
  info = cs_frame_set_build (f->store, ids, 32, 2.0, 4, labels, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->n_frames, ==, 4);
  g_assert_cmpuint (info->n_clips, ==, 1);
  g_assert_cmpuint (info->skipped->len, ==, 2);
  for (guint i = 0; i < info->skipped->len; i++)
    {
      CsFrameSetSkip *s = g_ptr_array_index (info->skipped, i);

      g_assert_true (s->clip_id == bad || s->clip_id == log_only);
      g_assert_cmpuint (strlen (s->reason), >, 10);
      if (s->clip_id == log_only)
        g_assert_nonnull (strstr (s->reason, "no video file"));
    }

  t = cs_frame_set_load (f->store, info->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->n, ==, 4);
  g_assert_cmpint (t->size, ==, 32);
  for (int i = 0; i < t->n; i++)
    {
      g_assert_cmpint (t->labels[i], ==, 2);
      g_assert_cmpint (t->clip_ids[i], ==, good);
    }
  /* The tensor is the stored RGB bytes mapped to [-1, 1], channel-major. */
  stmt = cs_store_prepare (f->store, "SELECT data FROM frames WHERE frame_set_id = ? ORDER BY time_ms LIMIT 1", NULL);
  sqlite3_bind_int64 (stmt, 1, info->id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_bytes (stmt, 0), ==, 3 * 32 * 32);
  {
    const guint8 *rgb = sqlite3_column_blob (stmt, 0);
    int p = 17 * 32 + 5;

    for (int c = 0; c < 3; c++)
      g_assert_cmpfloat_with_epsilon (t->data[c * 1024 + p], rgb[3 * p + c] / 127.5 - 1.0, 1e-6);
  }
  sqlite3_reset (stmt);

  /* The same request finds the stored set. */
  g_assert_cmpint (cs_frame_set_find (f->store, ids, 32, 2.0, 4), ==, info->id);
  g_assert_cmpint (cs_frame_set_find (f->store, ids, 64, 2.0, 4), ==, 0);
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autofree char *flower = video ("mdn-cc0/flower.mp4");
  g_autofree char *pentax = video ("broken/exiftool-t-images/Pentax.avi");
  g_autoptr(GError) error = NULL;
  g_autoptr(CsFrameSetInfo) info = NULL;
  g_autoptr(CsGenerateResult) result = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 good, bad;
  CsGenerateRequest request;

  /* Unsupported size, from the model and from the frame set. */
  g_assert_null (cs_gen_model_new (CS_GEN_VAE, 48, 4, 0, 1, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_assert_nonnull (strstr (error->message, "32 or 64"));
  g_clear_error (&error);
  g_assert_null (cs_frame_set_build (f->store, NULL, 48, 1.0, 10, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_clear_error (&error);

  /* No clips at all. */
  g_assert_null (cs_frame_set_build (f->store, NULL, 32, 1.0, 10, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "import clips"));
  g_clear_error (&error);

  /* Only an undecodable clip: nothing to train on, and it says why. */
  bad = add_clip (f, "pentax", pentax);
  g_array_append_val (ids, bad);
  g_assert_null (cs_frame_set_build (f->store, ids, 32, 1.0, 10, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "1 skipped"));
  g_clear_error (&error);

  /* Too few frames: 3 from flower.mp4. */
  good = add_clip (f, "flower", flower);
  g_array_set_size (ids, 0);
  g_array_append_val (ids, good);
  cs_generate_request_init (&request);
  request.size = 32;
  request.steps = 2;
  request.batch = 4;
  request.clip_ids = ids;
  request.rate = 1.0;
  request.max_per_clip = 3;
  result = cs_generate_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "has 3 frames"));
  g_assert_nonnull (strstr (error->message, "at least 16"));
  g_clear_error (&error);

  /* Resuming a run that does not exist. */
  request.resume_run_id = 99;
  g_assert_null (cs_generate_run (f->store, &request, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
}

/* A frame set of @n random 32×32 frames written straight into the store. */
static gint64
synthetic_set (Fixture *f, int n)
{
  gint64 clip = add_clip (f, "synthetic", "/nonexistent.mp4");
  gint64 id;
  CsNnRng rng;
  sqlite3_stmt *stmt;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO frame_sets (size, rate, max_per_clip, clips, n_frames)"
                                          " VALUES (32, 1, 100, '[%" G_GINT64_FORMAT "]', %d)", clip, n);

  g_assert_true (cs_store_exec (f->store, sql, NULL));
  id = sqlite3_last_insert_rowid (cs_store_get_db (f->store));
  cs_nn_rng_init (&rng, 99);
  for (int i = 0; i < n; i++)
    {
      guint8 rgb[3 * 32 * 32];

      /* Smooth gradients with a random tint, so there is something to learn. */
      for (int p = 0; p < 32 * 32; p++)
        for (int c = 0; c < 3; c++)
          rgb[3 * p + c] = (guint8) ((p % 32) * 4 + c * 20 + i * 3);
      rgb[0] = (guint8) cs_nn_rng_below (&rng, 256);
      stmt = cs_store_prepare (f->store, "INSERT INTO frames (clip_id, time_ms, kind, width, height, data, frame_set_id)"
                                         " VALUES (?, ?, 'train', 32, 32, ?, ?)", NULL);
      sqlite3_bind_int64 (stmt, 1, clip);
      sqlite3_bind_int64 (stmt, 2, i * 1000);
      sqlite3_bind_blob (stmt, 3, rgb, sizeof rgb, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, id);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  return id;
}

static void
test_same_seed (void)
{
  const CsGenKind kinds[] = { CS_GEN_VAE, CS_GEN_DCGAN };
  g_autofree float *frames = g_new (float, 8 * 3 * 32 * 32);
  CsNnRng rng;

  cs_nn_rng_init (&rng, 3);
  for (int i = 0; i < 8 * 3 * 32 * 32; i++)
    frames[i] = 2 * cs_nn_rng_uniform (&rng) - 1;
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      CsGenLosses losses[3][3];

      for (int run = 0; run < 3; run++)
        {
          g_autoptr(CsGenModel) m = cs_gen_model_new (kinds[k], 32, 4, 0, run < 2 ? 7 : 8, NULL);

          for (int s = 0; s < 3; s++)
            {
              g_assert_true (cs_gen_model_step (m, frames, NULL, 8, &losses[run][s], NULL));
              g_assert_true (isfinite (losses[run][s].loss));
            }
        }
      g_assert_cmpmem (losses[0], sizeof losses[0], losses[1], sizeof losses[1]);
      g_assert_cmpfloat (losses[0][0].loss, !=, losses[2][0].loss);
    }
}

typedef struct
{
  GCancellable *cancellable;
  double        at;
} CancelAt;

static void
cancel_at_cb (double fraction, const char *message, gpointer data)
{
  CancelAt *c = data;

  if (fraction >= c->at)
    g_cancellable_cancel (c->cancellable);
}

static GBytes *
checkpoint (Fixture *f, gint64 run_id)
{
  sqlite3_stmt *stmt = cs_store_prepare (f->store, "SELECT data FROM artifacts WHERE run_id = ? AND name = 'checkpoint'", NULL);
  GBytes *bytes = NULL;

  sqlite3_bind_int64 (stmt, 1, run_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  return bytes;
}

static char *
run_status (Fixture *f, gint64 run_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT status FROM runs WHERE id = %" G_GINT64_FORMAT, run_id);
  sqlite3_stmt *stmt = cs_store_prepare (f->store, sql, NULL);
  char *status = NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    status = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return status;
}

/* Cancelled after step 3 of 6, then resumed: the same losses and the same
 * final state, byte for byte, as six steps in one go. */
static void
test_cancel_resume (Fixture *f, gconstpointer data)
{
  const CsGenKind kind = GPOINTER_TO_INT (data) ? CS_GEN_DCGAN : CS_GEN_VAE;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsGenerateResult) whole = NULL;
  g_autoptr(CsGenerateResult) resumed = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  g_autofree char *status = NULL;
  CsGenerateRequest request;
  CancelAt cancel = { cancellable, 3.0 / 6.0 };
  gint64 interrupted;

  cs_generate_request_init (&request);
  request.kind = kind;
  request.size = 32;
  request.steps = 6;
  request.batch = 4;
  request.seed = 11;
  request.sample_every = 2;
  request.frame_set_id = synthetic_set (f, 20);

  whole = cs_generate_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (whole->steps, ==, 6);
  g_assert_cmpuint (whole->losses->len, ==, 6);
  /* 20 frames: every tenth held out, 18 for training. */
  g_assert_cmpint (whole->n_train, ==, 18);
  g_assert_cmpint (whole->n_heldout, ==, 2);
  g_assert_true (isfinite (whole->frechet) && whole->frechet >= 0);
  g_assert_true (whole->nearest_rms > 0 && whole->nearest_rms < 2);
  if (kind == CS_GEN_VAE)
    g_assert_true (isfinite (whole->recon_heldout) && whole->kl_heldout >= 0);
  /* Samples at steps 2 and 4, and the final ones at 6. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT group_concat(step) FROM generated_images WHERE run_id = %"
                                            G_GINT64_FORMAT, whole->run_id);
    sqlite3_stmt *stmt = cs_store_prepare (f->store, sql, NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "2,4,6");
    sqlite3_reset (stmt);
  }

  resumed = cs_generate_run (f->store, &request, cancel_at_cb, &cancel, cancellable, &error);
  g_assert_null (resumed);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  interrupted = whole->run_id + 1;
  status = run_status (f, interrupted);
  g_assert_cmpstr (status, ==, "cancelled");

  request.resume_run_id = interrupted;
  resumed = cs_generate_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (resumed->first_step, ==, 3);
  g_assert_cmpint (resumed->steps, ==, 6);
  g_assert_cmpuint (resumed->losses->len, ==, 6);
  g_assert_cmpmem (resumed->losses->data, 6 * sizeof (CsGenLosses), whole->losses->data, 6 * sizeof (CsGenLosses));
  a = checkpoint (f, whole->run_id);
  b = checkpoint (f, interrupted);
  g_assert_true (g_bytes_equal (a, b));
  g_assert_cmpfloat (resumed->frechet, ==, whole->frechet);
  g_clear_pointer (&status, g_free);
  status = run_status (f, interrupted);
  g_assert_cmpstr (status, ==, "done");
}

static void
test_nan (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsGenerateResult) result = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GBytes) kept = NULL;
  CsGenerateRequest request;

  cs_generate_request_init (&request);
  request.kind = CS_GEN_VAE;
  request.size = 32;
  request.steps = 40;
  request.batch = 4;
  request.checkpoint_every = 1;
  /* A learning rate of 1e9 blows the weights up within a few steps. */
  request.learning_rate = 1e9f;
  request.frame_set_id = synthetic_set (f, 20);
  result = cs_generate_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not a number"));
  g_assert_nonnull (strstr (error->message, "checkpoint of step"));
  g_clear_error (&error);
  status = run_status (f, 1);
  g_assert_cmpstr (status, ==, "failed");
  /* The last good checkpoint stays and loads. */
  kept = checkpoint (f, 1);
  g_assert_nonnull (kept);
  {
    g_autoptr(CsGenModel) m = cs_gen_model_new (CS_GEN_VAE, 32, 4, 0, 0, NULL);

    g_assert_true (cs_gen_model_load (m, kept, &error));
    g_assert_no_error (error);
    g_assert_cmpint (m->step, >=, 1);
  }
}

static void
test_quality (void)
{
  const int n = 200, dim = 3;
  g_autofree double *a = g_new (double, n * dim);
  g_autofree double *b = g_new (double, n * dim);
  CsNnRng rng;
  float frames[3][6] = { { 0, 0, 0, 0, 0, 0 }, { 1, 1, 1, 1, 1, 1 }, { -1, 0, 1, -1, 0, 1 } };
  float sample[6] = { 0.9f, 1, 1, 1, 1, 1.3f };
  double rms;
  g_autofree float *img = g_new0 (float, 4 * 3 * 32 * 32);
  g_autoptr(GBytes) png = NULL;
  const guint8 *bytes;

  cs_nn_rng_init (&rng, 5);
  for (int i = 0; i < n * dim; i++)
    a[i] = cs_nn_rng_normal (&rng, 0, 1);
  /* Identical sets: 0. The same set shifted by (1, 2, 0): exactly 1 + 4,
   * the covariances being equal. */
  g_assert_cmpfloat_with_epsilon (cs_gen_frechet_distance (a, n, a, n, dim), 0.0, 1e-9);
  for (int i = 0; i < n; i++)
    {
      b[i * dim + 0] = a[i * dim + 0] + 1;
      b[i * dim + 1] = a[i * dim + 1] + 2;
      b[i * dim + 2] = a[i * dim + 2];
    }
  g_assert_cmpfloat_with_epsilon (cs_gen_frechet_distance (a, n, b, n, dim), 5.0, 1e-9);
  /* Scaled by 2 in every direction: tr Σ + tr 4Σ − 2 tr 2Σ = tr Σ. */
  {
    double trace = 0, mean[3] = { 0 };

    for (int i = 0; i < n * dim; i++)
      {
        b[i] = 2 * a[i];
        mean[i % dim] += a[i] / n;
      }
    for (int i = 0; i < n * dim; i++)
      trace += (a[i] - mean[i % dim]) * (a[i] - mean[i % dim]) / (n - 1);
    /* plus ‖μ − 2μ‖² */
    g_assert_cmpfloat_with_epsilon (cs_gen_frechet_distance (a, n, b, n, dim),
                                    trace + mean[0] * mean[0] + mean[1] * mean[1] + mean[2] * mean[2], 1e-8);
  }

  /* Nearest: the all-ones frame, RMS √((0.01 + 0.09)/6). */
  g_assert_cmpint (cs_gen_nearest (sample, &frames[0][0], 3, 6, &rms), ==, 1);
  g_assert_cmpfloat_with_epsilon (rms, sqrt (0.1 / 6), 1e-6);

  /* A 2 × 2 grid of 32-pixel images with 2-pixel gutters: 70 × 70. */
  png = cs_gen_grid_png (img, 4, 32, 2, NULL);
  bytes = g_bytes_get_data (png, NULL);
  g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (bytes + 16)), ==, 70);
  g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (bytes + 20)), ==, 70);
}

/* A conditional VAE on frames where class 0 is dark and class 1 bright
 * learns it: after 60 steps, samples drawn for class 1 are brighter than
 * samples for class 0 from the same noise. (A conditional DCGAN needs far
 * more steps on such noise-like frames, so its conditioning is covered by
 * the gradient checks and the run below, not by a learning test.) */
static double
mean_of (const float *v, gsize n)
{
  double s = 0;

  for (gsize i = 0; i < n; i++)
    s += v[i];
  return s / n;
}

static void
test_condition_learns (void)
{
  const CsGenKind kind = CS_GEN_VAE;
  const int n = 32, steps = 60;
  gsize d = 3 * 32 * 32;
  g_autofree float *frames = g_new (float, n * d);
  g_autofree int *labels = g_new (int, n);
  g_autofree float *z = NULL;
  g_autofree float *out = g_new (float, 2 * 16 * d);
  int sample_labels[32];
  g_autoptr(CsGenModel) m = NULL;
  g_autoptr(GError) error = NULL;
  CsNnRng rng;
  double dark, bright;

  cs_nn_rng_init (&rng, 21);
  /* Class 0: every value uniform in [-1, -0.4]; class 1: in [0.4, 1]. */
  for (int i = 0; i < n; i++)
    {
      labels[i] = i % 2;
      for (gsize j = 0; j < d; j++)
        frames[i * d + j] = (labels[i] ? 0.4f : -1.0f) + 0.6f * (float) cs_nn_rng_uniform (&rng);
    }
  m = cs_gen_model_new (kind, 32, 8, 2, 5, &error);
  g_assert_no_error (error);
  for (int s = 0; s < steps; s++)
    {
      CsGenLosses l;

      g_assert_true (cs_gen_model_step (m, frames, labels, n, &l, &error));
      g_assert_true (isfinite (l.loss));

    }
  /* The same 16 noise vectors for each class. */
  z = g_new (float, (gsize) 32 * m->nz);
  cs_nn_rng_fill_normal (&rng, z, (gsize) 16 * m->nz, 0, 1);
  memcpy (z + (gsize) 16 * m->nz, z, (gsize) 16 * m->nz * sizeof (float));
  for (int i = 0; i < 32; i++)
    sample_labels[i] = i < 16 ? 0 : 1;
  g_assert_true (cs_gen_model_generate (m, z, sample_labels, 32, out, &error));
  dark = mean_of (out, 16 * d);
  bright = mean_of (out + 16 * d, 16 * d);
  g_test_message ("%s after %d steps: class 0 mean %.3f, class 1 mean %.3f",
                  cs_gen_kind_to_string (kind), steps, dark, bright);
  /* The data's means are -0.7 and 0.7; after 60 steps the classes are
   * about 0.55 apart (seeded), half of that is required. */
  g_assert_cmpfloat (bright - dark, >, 0.3);
}

/* A fitted prior: its mean and covariance are those of the encoder's μ(x),
 * computed here on their own; samples decode m + L·z; it survives a
 * checkpoint, and a checkpoint without one loads without one. */
static void
test_fitted_prior (void)
{
  const int n = 40, L = CS_GEN_VAE_LATENT;
  gsize d = 3 * 32 * 32;
  g_autofree float *frames = g_new (float, n * d);
  g_autofree double *mean = g_new0 (double, L);
  g_autofree double *cov = g_new0 (double, (gsize) L * L);
  g_autofree float *z = g_new0 (float, (gsize) 2 * L);
  g_autofree float *out = g_new (float, 2 * d);
  g_autofree float *expected = g_new (float, 2 * d);
  g_autofree float *codes = g_new (float, (gsize) 2 * L);
  g_autoptr(CsGenModel) m = NULL;
  g_autoptr(CsGenModel) back = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) with_prior = NULL;
  g_autoptr(GError) error = NULL;
  const float *h;
  double trace = 0;
  CsNnRng rng;

  cs_nn_rng_init (&rng, 8);
  for (gsize i = 0; i < n * d; i++)
    frames[i] = 2 * cs_nn_rng_uniform (&rng) - 1;
  m = cs_gen_model_new (CS_GEN_VAE, 32, 4, 0, 3, &error);
  g_assert_no_error (error);
  for (int s = 0; s < 5; s++)
    {
      CsGenLosses l;

      g_assert_true (cs_gen_model_step (m, frames, NULL, n, &l, &error));
    }
  plain = cs_gen_model_save (m);
  g_assert_null (m->prior);
  g_assert_true (cs_gen_model_fit_prior (m, frames, NULL, n, &error));
  g_assert_no_error (error);

  /* All 40 frames (fewer than CS_GEN_PRIOR_FRAMES), encoded here. */
  h = cs_nn_net_forward (m->d, frames, n, FALSE);
  g_assert_nonnull (h);
  for (int i = 0; i < n; i++)
    for (int a = 0; a < L; a++)
      mean[a] += h[(gsize) i * 2 * L + a] / n;
  for (int i = 0; i < n; i++)
    for (int a = 0; a < L; a++)
      for (int b = 0; b < L; b++)
        cov[(gsize) a * L + b] += (h[(gsize) i * 2 * L + a] - mean[a]) * (h[(gsize) i * 2 * L + b] - mean[b]) / (n - 1);
  for (int a = 0; a < L; a++)
    trace += cov[(gsize) a * L + a];
  for (int a = 0; a < L; a++)
    {
      g_assert_cmpfloat_with_epsilon (m->prior->means[a], mean[a], 1e-4);
      for (int b = 0; b < L; b++)
        {
          double llt = 0;

          for (int k = 0; k < L; k++)
            llt += (double) m->prior->chol[(gsize) a * L + k] * m->prior->chol[(gsize) b * L + k];
          g_assert_cmpfloat_with_epsilon (llt, cov[(gsize) a * L + b] + (a == b ? 1e-3 * trace / L : 0),
                                          1e-4 * (1 + fabs (cov[(gsize) a * L + b])));
        }
    }

  /* z = 0 decodes m; z = e₀ decodes m + L's first column. */
  z[L] = 1;
  for (int a = 0; a < L; a++)
    {
      codes[a] = m->prior->means[a];
      codes[L + a] = m->prior->means[a] + m->prior->chol[(gsize) a * L];
    }
  g_assert_true (cs_gen_model_generate (m, z, NULL, 2, out, &error));
  memcpy (expected, cs_nn_net_forward (m->g, codes, 2, FALSE), 2 * d * sizeof (float));
  for (gsize i = 0; i < 2 * d; i++)
    g_assert_cmpfloat_with_epsilon (out[i], expected[i], 1e-5);

  /* Through a checkpoint, and without one. */
  with_prior = cs_gen_model_save (m);
  back = cs_gen_model_new (CS_GEN_VAE, 32, 4, 0, 3, &error);
  g_assert_true (cs_gen_model_load (back, with_prior, &error));
  g_assert_no_error (error);
  g_assert_cmpint (back->prior->k, ==, 1);
  g_assert_cmpmem (back->prior->means, L * sizeof (float), m->prior->means, L * sizeof (float));
  g_assert_cmpmem (back->prior->chol, (gsize) L * L * sizeof (float), m->prior->chol, (gsize) L * L * sizeof (float));
  g_assert_true (cs_gen_model_load (back, plain, &error));
  g_assert_null (back->prior);
  {
    gsize len;
    const guint8 *data = g_bytes_get_data (with_prior, &len);
    g_autoptr(GBytes) cut = g_bytes_new (data, len - 4);

    g_assert_false (cs_gen_model_load (back, cut, &error));
    g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED);
  }
}

/* A mixture on two clusters in the plane (30 points around (−5, 0), 70
 * around (5, 2), drawn here): two components with those weights and
 * centres; the noise picks them in proportion; Φ⁻¹ inverts Φ. */
static void
test_prior_mixture (void)
{
  const int n = 100;
  double x[200];
  g_autoptr(CsGenPrior) prior = NULL;
  float z[2 * 2000], out[2 * 2000];
  int left = 0, a, b;
  CsNnRng rng;

  cs_nn_rng_init (&rng, 12);
  for (int i = 0; i < n; i++)
    {
      gboolean first = i < 30;

      x[2 * i] = (first ? -5 : 5) + 0.3 * cs_nn_rng_normal (&rng, 0, 1);
      x[2 * i + 1] = (first ? 0 : 2) + 0.3 * cs_nn_rng_normal (&rng, 0, 1);
    }
  prior = cs_gen_prior_fit (x, n, 2, 2, 4);
  g_assert_cmpint (prior->k, ==, 2);
  a = prior->means[0] < 0 ? 0 : 1;
  b = 1 - a;
  g_assert_cmpfloat_with_epsilon (prior->weights[a], 0.3, 1e-6);
  g_assert_cmpfloat_with_epsilon (prior->weights[b], 0.7, 1e-6);
  g_assert_cmpfloat_with_epsilon (prior->means[2 * a], -5, 0.15);
  g_assert_cmpfloat_with_epsilon (prior->means[2 * a + 1], 0, 0.15);
  g_assert_cmpfloat_with_epsilon (prior->means[2 * b], 5, 0.15);
  g_assert_cmpfloat_with_epsilon (prior->means[2 * b + 1], 2, 0.15);
  /* Each cluster's spread is 0.3: the factor's diagonal is near it. */
  for (int c = 0; c < 2; c++)
    {
      g_assert_cmpfloat_with_epsilon (prior->chol[c * 4], 0.3, 0.1);
      g_assert_cmpfloat_with_epsilon (prior->chol[c * 4 + 3], 0.3, 0.1);
    }

  cs_nn_rng_fill_normal (&rng, z, 2 * 2000, 0, 1);
  cs_gen_prior_map (prior, z, 2000, out);
  for (int i = 0; i < 2000; i++)
    {
      g_assert_true (fabs (out[2 * i]) > 2);  /* never between the clusters */
      left += out[2 * i] < 0;
    }
  /* 30 % of 2,000 draws: 600, binomial sd 20. */
  g_assert_cmpint (left, >, 540);
  g_assert_cmpint (left, <, 660);

  g_assert_cmpfloat_with_epsilon (cs_gen_normal_quantile (0.5), 0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_gen_normal_quantile (0.975), 1.959963984540054, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_gen_normal_quantile (0.001), -3.090232306167813, 1e-12);
}

/* Too little memory: refused before anything is allocated, with the need,
 * what is available and a batch that fits; allocation failures later give
 * the same message instead of aborting. */
static void
test_memory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsGenModel) m = NULL;
  g_autofree char *limit = NULL;
  g_autofree float *z = NULL;
  g_autofree float *out = NULL;
  /* DCGAN 64×64 parameters by hand (cs-gen-model.h): G 100·512·16 +
   * 512·256·16 + 256·128·16 + 128·64·16 + 64·3·16 weights and 2·(512 + 256
   * + 128 + 64) batch-norm values; D 3·64·16 + 64·128·16 + 128·256·16 +
   * 256·512·16 + 512·16 and 2·(128 + 256 + 512). Each is held four times
   * (value, gradient, two Adam moments) in 4-byte floats. */
  guint64 g_params = 819200 + 2097152 + 524288 + 131072 + 3072 + 1920;
  guint64 d_params = 3072 + 131072 + 524288 + 2097152 + 8192 + 1792;
  guint64 params_bytes = (g_params + d_params) * 16;

  g_assert_cmpuint (cs_gen_model_memory (CS_GEN_DCGAN, 64, 64, 0), >, params_bytes);
  /* Activations grow with the batch. */
  g_assert_cmpuint (cs_gen_model_memory (CS_GEN_DCGAN, 64, 64, 0), >,
                    cs_gen_model_memory (CS_GEN_DCGAN, 64, 16, 0) + params_bytes / 4);

  /* Room for batch 16 but not 64 or 32. */
  limit = g_strdup_printf ("%" G_GUINT64_FORMAT,
                           cs_nn_memory_in_use () + cs_gen_model_memory (CS_GEN_DCGAN, 64, 16, 0) + 1024);
  g_setenv ("CS_MEMORY_AVAILABLE", limit, TRUE);
  g_assert_null (cs_gen_model_new (CS_GEN_DCGAN, 64, 64, 0, 1, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "batches of 64 needs about"));
  g_assert_nonnull (strstr (error->message, "(16 fits)"));
  g_clear_error (&error);
  m = cs_gen_model_new (CS_GEN_DCGAN, 64, 16, 0, 1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&m, cs_gen_model_free);

  /* A model that fits, then a draw larger than it reserved, with no room
   * left: an error, not an abort. */
  g_unsetenv ("CS_MEMORY_AVAILABLE");
  m = cs_gen_model_new (CS_GEN_VAE, 32, 4, 0, 1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&limit, g_free);
  limit = g_strdup_printf ("%" G_GUINT64_FORMAT, cs_nn_memory_in_use () + 4096);
  g_setenv ("CS_MEMORY_AVAILABLE", limit, TRUE);
  z = g_new0 (float, (gsize) 256 * m->nz);
  out = g_new (float, (gsize) 256 * 3 * 32 * 32);
  g_assert_false (cs_gen_model_generate (m, z, NULL, 256, out, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_assert_nonnull (strstr (error->message, "needs about"));
  g_unsetenv ("CS_MEMORY_AVAILABLE");
}

static void
add_stats (Fixture *f, gint64 clip, double views, double likes)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO clip_stats (clip_id, views, likes) VALUES (%" G_GINT64_FORMAT
                                          ", %g, %g)", clip, views, likes);

  g_assert_true (cs_store_exec (f->store, sql, NULL));
}

/* A conditioned run in the project: classes from the Predict terciles,
 * frames of a clip without statistics left out, a grid with a row per
 * class, the condition in the checkpoint, and resuming gives the same run. */
static void
test_condition_run (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsGenerateResult) whole = NULL;
  g_autoptr(CsGenerateResult) resumed = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  CsGenerateRequest request;
  CancelAt cancel = { cancellable, 2.0 / 4.0 };
  gint64 clips[4], set;
  sqlite3_stmt *stmt;
  CsNnRng rng;

  for (int c = 0; c < 4; c++)
    {
      g_autofree char *name = g_strdup_printf ("c%d", c);

      clips[c] = add_clip (f, name, "/nonexistent.mp4");
    }
  /* Views 10, 100, 1000: terciles (numpy.quantile's linear rule) at
   * 10 + ⅔·90 = 70 and 100 + ⅓·900 = 400, so one clip per class. Clip 3
   * has no statistics. */
  add_stats (f, clips[0], 1000, 5);
  add_stats (f, clips[1], 10, 1);
  add_stats (f, clips[2], 100, 50);
  g_assert_true (cs_store_exec (f->store, "INSERT INTO frame_sets (size, rate, max_per_clip, clips, n_frames)"
                                          " VALUES (32, 1, 100, '[]', 32)", NULL));
  set = sqlite3_last_insert_rowid (cs_store_get_db (f->store));
  cs_nn_rng_init (&rng, 4);
  for (int i = 0; i < 32; i++)
    {
      guint8 rgb[3 * 32 * 32];

      for (guint p = 0; p < sizeof rgb; p++)
        rgb[p] = (guint8) cs_nn_rng_below (&rng, 256);
      stmt = cs_store_prepare (f->store, "INSERT INTO frames (clip_id, time_ms, kind, width, height, data, frame_set_id)"
                                         " VALUES (?, ?, 'train', 32, 32, ?, ?)", NULL);
      sqlite3_bind_int64 (stmt, 1, clips[i / 8]);
      sqlite3_bind_int64 (stmt, 2, (i % 8) * 1000);
      sqlite3_bind_blob (stmt, 3, rgb, sizeof rgb, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, set);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }

  cs_generate_request_init (&request);
  request.kind = CS_GEN_VAE;
  request.size = 32;
  request.steps = 4;
  request.batch = 4;
  request.seed = 3;
  request.frame_set_id = set;
  request.condition = "likes";
  g_assert_null (cs_generate_run (f->store, &request, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_clear_error (&error);

  request.condition = "views";
  whole = cs_generate_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (whole->n_classes, ==, 3);
  g_assert_cmpfloat_with_epsilon (whole->thresholds[0], 70, 1e-9);
  g_assert_cmpfloat_with_epsilon (whole->thresholds[1], 400, 1e-9);
  g_assert_cmpint (whole->n_unlabelled, ==, 8);
  /* 24 frames with a class: 22 for training, 2 held out (i % 10 == 9). */
  g_assert_cmpint (whole->n_train, ==, 22);
  g_assert_cmpint (whole->n_heldout, ==, 2);
  /* One row of 8 per class: 8·32 + 9·2 = 274 wide, 3·32 + 4·2 = 104 high. */
  g_assert_cmpint (whole->n_samples, ==, 24);
  stmt = cs_store_prepare (f->store, "SELECT width, height FROM generated_images WHERE run_id = ?"
                                     " ORDER BY step DESC LIMIT 1", NULL);
  sqlite3_bind_int64 (stmt, 1, whole->run_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 274);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 104);
  sqlite3_reset (stmt);
  /* The checkpoint carries the condition: an unconditioned model refuses it. */
  a = checkpoint (f, whole->run_id);
  {
    g_autoptr(CsGenModel) m = cs_gen_model_new (CS_GEN_VAE, 32, 4, 0, 3, NULL);

    g_assert_false (cs_gen_model_load (m, a, &error));
    g_assert_nonnull (strstr (error->message, "conditioned on 3 classes"));
    g_clear_error (&error);
  }

  /* New statistics after the run do not change a resumed run's classes. */
  g_assert_null (cs_generate_run (f->store, &request, cancel_at_cb, &cancel, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  add_stats (f, clips[3], 5000, 1);
  g_assert_true (cs_store_exec (f->store, "UPDATE clip_stats SET views = 1 WHERE views = 1000", NULL));
  request.resume_run_id = whole->run_id + 1;
  request.condition = NULL;
  resumed = cs_generate_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (resumed->first_step, ==, 2);
  g_assert_cmpint (resumed->n_classes, ==, 3);
  g_assert_cmpint (resumed->n_unlabelled, ==, 8);
  g_assert_cmpmem (resumed->losses->data, 4 * sizeof (CsGenLosses), whole->losses->data, 4 * sizeof (CsGenLosses));
  b = checkpoint (f, resumed->run_id);
  g_assert_true (g_bytes_equal (a, b));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/generate/frame-set", Fixture, NULL, fixture_set_up, test_frame_set, fixture_tear_down);
  g_test_add ("/generate/bad-input", Fixture, NULL, fixture_set_up, test_bad_input, fixture_tear_down);
  g_test_add_func ("/generate/same-seed", test_same_seed);
  g_test_add ("/generate/cancel-resume-vae", Fixture, GINT_TO_POINTER (0), fixture_set_up, test_cancel_resume, fixture_tear_down);
  g_test_add ("/generate/cancel-resume-dcgan", Fixture, GINT_TO_POINTER (1), fixture_set_up, test_cancel_resume, fixture_tear_down);
  g_test_add ("/generate/nan", Fixture, NULL, fixture_set_up, test_nan, fixture_tear_down);
  g_test_add_func ("/generate/quality", test_quality);
  g_test_add_func ("/generate/condition-learns", test_condition_learns);
  g_test_add_func ("/generate/memory", test_memory);
  g_test_add_func ("/generate/fitted-prior", test_fitted_prior);
  g_test_add_func ("/generate/prior-mixture", test_prior_mixture);
  g_test_add ("/generate/condition-run", Fixture, NULL, fixture_set_up, test_condition_run, fixture_tear_down);
  return g_test_run ();
}
