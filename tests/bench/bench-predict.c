/* bench-predict: Predict parity with scikit-learn and xgboost.
 *
 * For each data set of ../shared/data/engagement, loads the CSV files with
 * CsCsvReader (a loader of its own, not the clip-stats importer), sets the
 * target to terciles, runs our models with stratified 5-fold
 * cross-validation, then writes the folds, the tokens and the text counts
 * of every row to a temporary folder and runs bench-predict.py on the same
 * CSV files, folds and tokens: the same models with the same settings in
 * scikit-learn and xgboost. Prints macro-F1 and fit time side by side.
 *
 *   weibo-cctv-2020     like-count terciles; text and posting hour/weekday
 *                       (times like "5月31日 23:54", year 2020, Beijing time)
 *   bilibili-bangumi    view terciles of scores-ss1-ss41790.csv; text (title)
 *
 * With --target value, the number itself (regression) instead: our k-fold
 * (plain, seeded) and models against scikit-learn's and xgboost's
 * regressors on the same folds, both learning log1p of the count
 * standardised on each fold's training rows; MAE, RMSE and R² on the log
 * scale and Spearman ρ side by side.
 *
 * Usage: bench-predict [--models M] [--folds K] [--only weibo|bilibili]
 *        [--target terciles|value]
 * (CS_SHARED_DATA must point at ../shared/data).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clipscope-engine.h"
#include "cs-csv-reader.h"

#define DEFAULT_MODELS "majority;nb;logreg;linsvm;rbfsvm;rf;gbdt"

typedef struct
{
  GPtrArray *keys;      /* char*: weibo_url or season_id */
  GPtrArray *texts;
  GArray    *target;    /* double */
  GArray    *hour;      /* gint */
  GArray    *weekday;
} Rows;

static void
rows_init (Rows *rows)
{
  rows->keys = g_ptr_array_new_with_free_func (g_free);
  rows->texts = g_ptr_array_new_with_free_func (g_free);
  rows->target = g_array_new (FALSE, FALSE, sizeof (double));
  rows->hour = g_array_new (FALSE, FALSE, sizeof (gint));
  rows->weekday = g_array_new (FALSE, FALSE, sizeof (gint));
}

static void
rows_clear (Rows *rows)
{
  g_ptr_array_unref (rows->keys);
  g_ptr_array_unref (rows->texts);
  g_array_unref (rows->target);
  g_array_unref (rows->hour);
  g_array_unref (rows->weekday);
}

static int
column_of (CsCsvReader *reader,
           const char  *name)
{
  for (guint i = 0; i < cs_csv_reader_get_n_fields (reader); i++)
    if (g_strcmp0 (cs_csv_reader_get_field (reader, i), name) == 0)
      return (int) i;
  g_error ("bench-predict: no column %s", name);
  return -1;
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end;

  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

/* "5月31日 23:54" in 2020 → hour and weekday (0 = Monday). */
static void
parse_weibo_time (const char *text,
                  gint       *hour,
                  gint       *weekday)
{
  guint month, day, h, m;
  GDate date;

  *hour = *weekday = -1;
  if (sscanf (text, "%u月%u日 %u:%u", &month, &day, &h, &m) != 4 ||
      !g_date_valid_dmy (day, month, 2020) || h > 23)
    return;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, 2020);
  *hour = (gint) h;
  *weekday = g_date_get_weekday (&date) - 1;
}

static void
load_csv (const char *path,
          const char *key_column,
          const char *text_column,
          const char *target_column,
          const char *time_column,
          GHashTable *seen,
          Rows       *rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsCsvReader) reader = cs_csv_reader_new_for_path (path, ',', &error);
  int key, text, target, time = -1;

  if (reader == NULL || !cs_csv_reader_next (reader, NULL, &error))
    g_error ("bench-predict: %s: %s", path, error ? error->message : "empty");
  key = column_of (reader, key_column);
  text = column_of (reader, text_column);
  target = column_of (reader, target_column);
  if (time_column)
    time = column_of (reader, time_column);
  while (cs_csv_reader_next (reader, NULL, &error))
    {
      double value;
      gint hour = -1, weekday = -1;
      guint n = cs_csv_reader_get_n_fields (reader);

      if (cs_csv_reader_get_problem (reader) != NULL || (guint) MAX (MAX (key, text), MAX (target, time)) >= n)
        continue;
      if (!parse_number (cs_csv_reader_get_field (reader, target), &value))
        continue;
      if (g_hash_table_contains (seen, cs_csv_reader_get_field (reader, key)))
        continue;
      g_hash_table_add (seen, g_strdup (cs_csv_reader_get_field (reader, key)));
      if (time >= 0)
        parse_weibo_time (cs_csv_reader_get_field (reader, time), &hour, &weekday);
      g_ptr_array_add (rows->keys, g_strdup (cs_csv_reader_get_field (reader, key)));
      g_ptr_array_add (rows->texts, g_strdup (cs_csv_reader_get_field (reader, text)));
      g_array_append_val (rows->target, value);
      g_array_append_val (rows->hour, hour);
      g_array_append_val (rows->weekday, weekday);
    }
  if (error)
    g_error ("bench-predict: %s: %s", path, error->message);
}

static CsPredictDataset *
dataset_from_rows (Rows *rows)
{
  CsPredictDataset *ds = cs_predict_dataset_new (rows->keys->len);

  for (guint i = 0; i < rows->keys->len; i++)
    {
      cs_predict_dataset_set_text (ds, i, g_ptr_array_index (rows->texts, i), NULL);
      ds->target[i] = g_array_index (rows->target, double, i);
      ds->hour[i] = g_array_index (rows->hour, gint, i);
      ds->weekday[i] = g_array_index (rows->weekday, gint, i);
    }
  return ds;
}

/* One line per row: key, fold, chars, emoji, hashtags, tokens (space-separated). */
static char *
write_rows (const CsPredictDataset *ds,
            Rows                   *rows,
            const guint            *fold_of_row)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("bench-predict-XXXXXX.tsv", &path, &error);
  FILE *out;

  if (fd < 0)
    g_error ("bench-predict: %s", error->message);
  out = fdopen (fd, "w");
  for (guint i = 0; i < ds->n_rows; i++)
    {
      const CsTextTokens *t = ds->tokens[i];

      fprintf (out, "%s\t%u\t%u\t%u\t%u\t", (const char *) g_ptr_array_index (rows->keys, ds->clip_ids[i]),
               fold_of_row[i], t ? t->n_chars : 0, t ? t->n_emoji : 0, t ? t->n_hashtags : 0);
      for (guint k = 0; t && k < t->tokens->len; k++)
        fprintf (out, "%s%s", k ? " " : "", (const char *) g_ptr_array_index (t->tokens, k));
      fputc ('\n', out);
    }
  fclose (out);
  return path;
}

static JsonObject *
run_peer (const char *dataset,
          const char *rows_path,
          const char *models,
          const char *target,
          guint64     seed,
          JsonParser *parser)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *seed_text = g_strdup_printf ("%" G_GUINT64_FORMAT, seed);
  g_autoptr(GError) error = NULL;
  int status = 0;
  /* Debian's interpreter, where python3-sklearn and python3-xgboost live
   * (a python3 earlier on PATH may be another installation). */
  const char *argv[] = {
    "/usr/bin/python3", CS_BENCH_PREDICT_PY, "--data", g_getenv ("CS_SHARED_DATA"), "--dataset", dataset,
    "--rows", rows_path, "--models", models, "--seed", seed_text, "--target", target, NULL,
  };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error))
    g_error ("bench-predict: %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("bench-predict: bench-predict.py failed: %s\n%s", error->message, err);
  if (err && *err)
    g_printerr ("%s", err);
  if (!json_parser_load_from_data (parser, out, -1, &error))
    g_error ("bench-predict: bench-predict.py printed no JSON: %s", error->message);
  return json_node_get_object (json_parser_get_root (parser));
}

/* The number itself: ours and the peer's mean over folds of each metric. */
static double
ratio (double ours,
       double peer)
{
  return peer > 0 ? ours / peer : NAN;
}

static void
print_regression (const char            *name,
                  const char            *metric,
                  const CsPredictResult *result,
                  JsonObject            *peer,
                  guint                  folds)
{
  static const struct { CsPredictMetric metric; const char *peer; } columns[] = {
    { CS_PM_MAE, "mae" }, { CS_PM_RMSE_LOG, "rmse_log" }, { CS_PM_R2_LOG, "r2_log" }, { CS_PM_SPEARMAN, "spearman" },
  };
  JsonObject *peer_models = json_object_get_object_member (peer, "models");
  double sum_ours = 0, sum_peer = 0, cpu_ours = 0, cpu_peer = 0;

  printf ("\n%s: %u rows, %s as a number (models learn log1p, standardised per fold), %u folds, "
          "%u features (fold 1); peer rows %" G_GINT64_FORMAT ", matched by key %" G_GINT64_FORMAT
          ", peer features %" G_GINT64_FORMAT "\n",
          name, result->n_clips, metric, folds, result->n_features, json_object_get_int_member (peer, "rows"),
          json_object_get_int_member (peer, "labels_agree"), json_object_get_int_member (peer, "n_features"));
  printf ("| model | MAE ours | MAE peer | RMSE log ours | RMSE log peer | R² log ours | R² log peer "
          "| Spearman ours | Spearman peer | fit s ours | fit s peer | fit ratio | fit CPU s ours | fit CPU s peer "
          "| CPU ratio |\n");
  printf ("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (guint m = 0; m < result->models->len; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);
      JsonObject *p = json_object_get_object_member (peer_models, model->name);
      double fit = 0, peer_fit = json_object_get_double_member (p, "fit_s");
      double cpu = model->fit_cpu_s, peer_cpu = json_object_get_double_member (p, "fit_cpu_s");

      for (guint f = 0; f < model->n_folds; f++)
        fit += model->folds[CS_PM_FIT_S][f];
      sum_ours += fit;
      sum_peer += peer_fit;
      cpu_ours += cpu;
      cpu_peer += peer_cpu;
      printf ("| %s", model->name);
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        {
          JsonNode *v = json_object_get_member (p, columns[c].peer);

          printf (columns[c].metric == CS_PM_MAE ? " | %.6g | %.6g" : " | %.4f | %.4f", model->mean[columns[c].metric],
                  JSON_NODE_HOLDS_NULL (v) ? NAN : json_node_get_double (v));
        }
      printf (" | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f |\n", fit, peer_fit, ratio (fit, peer_fit), cpu, peer_cpu,
              ratio (cpu, peer_cpu));
    }
  printf ("| all | | | | | | | | | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f |\n", sum_ours, sum_peer,
          ratio (sum_ours, sum_peer), cpu_ours, cpu_peer, ratio (cpu_ours, cpu_peer));
  fflush (stdout);
}

static void
bench (const char *name,
       Rows       *rows,
       const char *metric,
       const char *target,
       guint       groups,
       const char *models,
       guint       folds)
{
  g_autoptr(CsPredictDataset) ds = dataset_from_rows (rows);
  g_autoptr(CsPredictResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *rows_path = NULL;
  CsPredictRequest request = { 0 };
  JsonObject *peer, *peer_models;
  double sum_ours = 0, sum_peer = 0, cpu_ours = 0, cpu_peer = 0;

  if (!cs_predict_dataset_set_target (ds, metric, target, &error))
    g_error ("bench-predict: %s", error->message);
  request.target = g_strdup_printf ("%s:%s", metric, target);
  request.groups = groups;
  request.models = g_strdup (models);
  request.protocol = CS_PREDICT_PROTOCOL_KFOLD;
  request.folds = folds;
  request.seed = 0;
  result = cs_predictor_run_dataset (ds, &request, NULL, NULL, NULL, &error);
  cs_predict_request_clear (&request);
  if (result == NULL)
    g_error ("bench-predict: %s", error->message);

  rows_path = write_rows (ds, rows, result->fold_of_row);
  peer = run_peer (name, rows_path, models, target, 0, parser);
  peer_models = json_object_get_object_member (peer, "models");
  g_unlink (rows_path);
  if (ds->regression)
    {
      print_regression (name, metric, result, peer, folds);
      return;
    }

  printf ("\n%s: %u rows, %s terciles (thresholds %.6g, %.6g), %u folds, %u features (fold 1); "
          "peer labels agree on %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " rows, peer features %" G_GINT64_FORMAT "\n",
          name, result->n_clips, metric, result->thresholds[0], result->thresholds[1], folds,
          result->n_features, json_object_get_int_member (peer, "labels_agree"),
          json_object_get_int_member (peer, "rows"), json_object_get_int_member (peer, "n_features"));
  printf ("| model | macro-F1 ours | macro-F1 peer | Δ points | fit s ours | fit s peer | fit ratio ours/peer "
          "| fit CPU s ours | fit CPU s peer | CPU ratio |\n");
  printf ("|---|---|---|---|---|---|---|---|---|---|\n");
  for (guint m = 0; m < result->models->len; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);
      JsonObject *p = json_object_get_object_member (peer_models, model->name);
      double fit = 0, f1 = model->mean[CS_PM_MACRO_F1];
      double peer_f1 = json_object_get_double_member (p, "macro_f1");
      double peer_fit = json_object_get_double_member (p, "fit_s");
      double cpu = model->fit_cpu_s, peer_cpu = json_object_get_double_member (p, "fit_cpu_s");

      for (guint f = 0; f < model->n_folds; f++)
        fit += model->folds[CS_PM_FIT_S][f];
      sum_ours += fit;
      sum_peer += peer_fit;
      cpu_ours += cpu;
      cpu_peer += peer_cpu;
      printf ("| %s | %.4f | %.4f | %+.2f | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f |\n", model->name, f1, peer_f1,
              100 * (f1 - peer_f1), fit, peer_fit, ratio (fit, peer_fit), cpu, peer_cpu, ratio (cpu, peer_cpu));
    }
  printf ("| all | | | | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f |\n", sum_ours, sum_peer, ratio (sum_ours, sum_peer),
          cpu_ours, cpu_peer, ratio (cpu_ours, cpu_peer));
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *models = NULL;
  g_autofree char *only = NULL;
  g_autofree char *target = NULL;
  gint folds = 5;
  const GOptionEntry entries[] = {
    { "models", 0, 0, G_OPTION_ARG_STRING, &models, "Models (default all seven)", "M" },
    { "folds", 0, 0, G_OPTION_ARG_INT, &folds, "Folds (default 5)", "K" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "weibo or bilibili", "NAME" },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target, "terciles (default) or value (the number itself)", "T" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— Predict parity with scikit-learn");
  g_autoptr(GError) error = NULL;
  const char *data = g_getenv ("CS_SHARED_DATA");

  /* The product's OpenMP wait policy, for our half and (inherited) the
   * peer's: see cs-process-env.h. */
  cs_process_env_init (argv);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("bench-predict: %s", error->message);
  if (data == NULL)
    g_error ("bench-predict: set CS_SHARED_DATA to ../shared/data");
  if (target == NULL)
    target = g_strdup ("terciles");
  if (strcmp (target, "terciles") != 0 && strcmp (target, "value") != 0)
    g_error ("bench-predict: --target is terciles or value");
  if (models == NULL)
    models = g_strdup (strcmp (target, "value") == 0 ? "majority;logreg;linsvm;rbfsvm;rf;gbdt" : DEFAULT_MODELS);

  printf ("bench-predict: ours = Clipscope engine, peer = scikit-learn %s\n", "/ xgboost (Python)");
  if (only == NULL || strcmp (only, "weibo") == 0)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      Rows rows;

      rows_init (&rows);
      for (guint i = 1; i <= 11; i++)
        {
          g_autofree char *file = g_strdup_printf ("sina_cctv_list_%u.csv", i);
          g_autofree char *path = g_build_filename (data, "engagement", "weibo-cctv-2020", file, NULL);

          load_csv (path, "weibo_url", "weibo_content", "like", "pub_time", seen, &rows);
        }
      bench ("weibo-cctv-2020", &rows, "likes", target, CS_PREDICT_TEXT | CS_PREDICT_TIME, models, (guint) folds);
      rows_clear (&rows);
    }
  if (only == NULL || strcmp (only, "bilibili") == 0)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree char *path = g_build_filename (data, "engagement", "bilibili-bangumi",
                                                "scores-ss1-ss41790.csv", NULL);
      Rows rows;

      rows_init (&rows);
      load_csv (path, "season_id", "title", "views", NULL, seen, &rows);
      bench ("bilibili-bangumi", &rows, "views", target, CS_PREDICT_TEXT, models, (guint) folds);
      rows_clear (&rows);
    }
  return 0;
}
