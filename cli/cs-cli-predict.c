/* cs-cli-predict.c: clipscope-cli predict-eval PROJECT — train and compare
 * engagement classifiers (DESIGN §7); clipscope-cli predict-score PROJECT
 * --run ID --model NAME — score clips not posted yet with one of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cs-cli-common.h"

static const CsPredictMetric table_metrics[] = {
  CS_PM_ACCURACY, CS_PM_BALANCED_ACCURACY, CS_PM_MACRO_F1, CS_PM_ROC_AUC, CS_PM_LOG_LOSS,
};
static const CsPredictMetric regression_metrics[] = {
  CS_PM_MAE, CS_PM_RMSE, CS_PM_R2, CS_PM_SPEARMAN, CS_PM_RMSE_LOG, CS_PM_R2_LOG,
};

static void
print_table (const CsPredictResult *result)
{
  int label_width = (int) strlen (_("Model"));
  g_autofree char *run = g_strdup_printf ("%" G_GINT64_FORMAT, result->run_id);
  const CsPredictMetric *metrics = result->regression ? regression_metrics : table_metrics;
  guint n_metrics = result->regression ? G_N_ELEMENTS (regression_metrics) : G_N_ELEMENTS (table_metrics);

  for (guint m = 0; m < result->models->len; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);

      label_width = MAX (label_width, (int) g_utf8_strlen (model->label, -1));
    }

  printf (_("Comparison %s: %s, %s\n"), run, result->target_spec, result->protocol_json);
  printf (_("%u clips (%u without a value left out), %u features\n\n"),
          result->n_clips, result->n_dropped, result->n_features);
  if (result->regression)
    printf (_("Mean %g, median %g%s\n\n"), result->target_mean, result->target_median,
            result->log_target ? _("; models learn log1p of the count") : "");
  printf ("%-*s %8s", label_width, _("Model"), _("fit s"));
  for (guint c = 0; c < n_metrics; c++)
    if (cs_predict_metric_applies (metrics[c], result->regression, result->log_target))
      printf (result->regression ? " %19s" : " %17s", cs_predict_metric_get_name (metrics[c]));
  printf (" %9s %9s %7s\n", _("p best"), _("p base"), _("W/T/L"));

  for (guint m = 0; m < result->models->len; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);
      int pad = label_width - (int) g_utf8_strlen (model->label, -1);

      printf ("%s%*s", model->label, pad, "");
      if (g_strcmp0 (model->status, "done") != 0)
        {
          printf (" %8s  %s\n", "—", model->error ? model->error : _("failed"));
          continue;
        }
      printf (" %8.3f", model->mean[CS_PM_FIT_S]);
      for (guint c = 0; c < n_metrics; c++)
        if (!result->regression)
          printf ("   %6.4f ± %6.4f", model->mean[metrics[c]], model->sd[metrics[c]]);
        else if (cs_predict_metric_applies (metrics[c], TRUE, result->log_target))
          printf (" %8.4g ± %-8.4g", model->mean[metrics[c]], model->sd[metrics[c]]);
      printf (" %9.3g %9.3g %3u/%u/%u\n", model->p_vs_best, model->p_vs_baseline,
              model->wins, model->ties, model->losses);
    }
}

int
cs_cli_predict_eval (int    argc,
                     char **argv)
{
  g_autofree char *target = NULL;
  g_autofree char *features = NULL;
  g_autofree char *models = NULL;
  g_autofree char *protocol = NULL;
  gint folds = 5;
  gint64 seed = 0;
  gboolean json = FALSE;
  gboolean no_explain = FALSE;
  const GOptionEntry entries[] = {
    { "target", 0, 0, G_OPTION_ARG_STRING, &target,
      N_("What to predict: METRIC:terciles, METRIC:>=X, METRIC:X,Y or METRIC:value, the number itself "
         "(default likes:terciles)"), N_("TARGET") },
    { "features", 0, 0, G_OPTION_ARG_STRING, &features,
      N_("Feature groups: text, time, content, duration (default text,time)"), N_("GROUPS") },
    { "models", 0, 0, G_OPTION_ARG_STRING, &models,
      N_("Models and settings, as in “majority;nb;logreg:C=1;rbfsvm;rf;gbdt:rounds=200” "
         "(for METRIC:value every model but nb, which predicts classes only)"), N_("MODELS") },
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol,
      N_("kfold (default) or time:FRACTION (train on older clips, test on the newest FRACTION)"),
      N_("PROTOCOL") },
    { "folds", 0, 0, G_OPTION_ARG_INT, &folds,
      N_("Folds of cross-validation, stratified for classes (default 5)"), N_("K") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("Seed for folds and models (stored with the result)"), N_("S") },
    { "no-explain", 0, 0, G_OPTION_ARG_NONE, &no_explain,
      N_("Skip permutation importance and SHAP"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as one JSON document"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsPredictResult) result = NULL;
  CsPredictRequest request = { 0 };
  guint n_failed = 0;
  const CsPredictModelResult *first_failed = NULL;

  context = g_option_context_new (_("PROJECT — train and compare engagement models"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cs_cli_fail_error (error);
  if (argc != 2)
    return cs_cli_fail (_("predict-eval needs exactly one PROJECT; run “clipscope-cli predict-eval --help”"));
  if (seed < 0)
    return cs_cli_fail (_("--seed must be zero or more"));
  if (folds < 2)
    return cs_cli_fail (_("--folds must be at least 2"));

  if (!cs_predict_parse_groups (features ? features : "text,time", &request.groups, &error))
    return cs_cli_fail_error (error);
  request.protocol = CS_PREDICT_PROTOCOL_KFOLD;
  request.test_fraction = 0.2;
  if (protocol != NULL && g_str_has_prefix (protocol, "time"))
    {
      request.protocol = CS_PREDICT_PROTOCOL_TIME_SPLIT;
      if (protocol[4] == ':')
        request.test_fraction = g_ascii_strtod (protocol + 5, NULL);
      else if (protocol[4] != '\0')
        return cs_cli_fail (_("Unknown protocol “%s”: use kfold or time:FRACTION"), protocol);
    }
  else if (protocol != NULL && strcmp (protocol, "kfold") != 0)
    return cs_cli_fail (_("Unknown protocol “%s”: use kfold or time:FRACTION"), protocol);
  request.target = g_strdup (target ? target : "likes:terciles");
  if (models != NULL)
    request.models = g_strdup (models);
  else if (g_str_has_suffix (request.target, ":value"))
    request.models = g_strdup ("majority;logreg;linsvm;rbfsvm;rf;gbdt");
  else
    request.models = g_strdup ("majority;nb;logreg;linsvm;rbfsvm;rf;gbdt");
  request.folds = (guint) folds;
  request.seed = (guint64) seed;
  request.explain = !no_explain;

  project = cs_cli_open_project (argv[1], &error);
  if (project != NULL)
    store = cs_project_open_store (project, &error);
  if (store != NULL)
    result = cs_predictor_run (store, &request, cs_cli_progress, NULL, cs_cli_get_cancellable (), &error);
  cs_predict_request_clear (&request);
  cs_cli_progress_done ();
  if (result == NULL)
    return cs_cli_fail_error (error);

  if (json)
    {
      g_autofree char *text = cs_predict_result_to_json (result);

      printf ("%s\n", text);
    }
  else
    print_table (result);

  for (guint m = 0; m < result->models->len; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);

      if (g_strcmp0 (model->status, "done") != 0 && n_failed++ == 0)
        first_failed = model;
    }
  if (n_failed > 0)
    return cs_cli_fail (g_dngettext (GETTEXT_PACKAGE, "%s failed: %s (%u model failed)",
                                     "%s failed: %s (%u models failed)", n_failed),
                        first_failed->label, first_failed->error ? first_failed->error : "?", n_failed);
  return 0;
}

/* "12,15,40" → clip ids; FALSE on anything else. */
static gboolean
parse_ids (const char  *text,
           GArray      *ids)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id;

      if (!g_ascii_string_to_signed (g_strstrip (parts[i]), 10, 1, G_MAXINT64, &id, NULL))
        return FALSE;
      g_array_append_val (ids, id);
    }
  return ids->len > 0;
}

static void
print_scores (const CsPredictScoreResult *result)
{
  printf (_("%s from comparison %" PRId64 ", fitted on %u clips (%s)\n"),
          result->label, result->run_id, result->n_train, result->target_spec);
  printf ("%s\n\n", result->reasons_note);
  for (guint i = 0; i < result->scores->len; i++)
    {
      const CsPredictScore *score = g_ptr_array_index (result->scores, i);
      g_autofree char *reasons = cs_predict_reasons_to_text (score->reasons);

      const char *title = score->title ? score->title : _("(no title)");

      /* A number: whole units once they are large, four digits below. */
      if (result->regression)
        printf (fabs (score->value) >= 1000 ? "%" G_GINT64_FORMAT "  %s  %.0f  %s\n"
                                            : "%" G_GINT64_FORMAT "  %s  %.4g  %s\n",
                score->clip_id, title, score->value, reasons);
      else
        printf ("%" G_GINT64_FORMAT "  %s  %s %.3f  %s\n", score->clip_id, title,
                result->class_names[score->predicted], score->proba[score->predicted], reasons);
    }
}

int
cs_cli_predict_score (int    argc,
                      char **argv)
{
  gint64 run_id = 0;
  g_autofree char *model = NULL;
  g_autofree char *clips = NULL;
  gint n_reasons = CS_PREDICT_N_REASONS;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "run", 0, 0, G_OPTION_ARG_INT64, &run_id,
      N_("Id of a finished prediction comparison (predict-eval prints it)"), N_("ID") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model,
      N_("A model of that comparison: majority, nb, logreg, linsvm, rbfsvm, rf or gbdt"), N_("NAME") },
    { "clips", 0, 0, G_OPTION_ARG_STRING, &clips,
      N_("Only these clips (default: every clip without statistics)"), N_("ID,…") },
    { "reasons", 0, 0, G_OPTION_ARG_INT, &n_reasons,
      N_("Reasons per clip (default 3)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as one JSON document"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsPredictScoreResult) result = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  context = g_option_context_new (_("PROJECT — predict the engagement class, or the number, of clips not posted yet"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cs_cli_fail_error (error);
  if (argc != 2)
    return cs_cli_fail (_("predict-score needs exactly one PROJECT; run “clipscope-cli predict-score --help”"));
  if (run_id <= 0)
    return cs_cli_fail (_("predict-score needs --run ID, the id of a finished comparison (predict-eval prints it)"));
  if (model == NULL || model[0] == '\0')
    return cs_cli_fail (_("predict-score needs --model NAME, one of the models of that comparison"));
  if (clips != NULL && !parse_ids (clips, ids))
    return cs_cli_fail (_("Cannot read --clips “%s”: give clip ids separated by commas, like 12,15,40"), clips);
  if (n_reasons < 0 || n_reasons > 100)
    return cs_cli_fail (_("--reasons must be between 0 and 100"));

  project = cs_cli_open_project (argv[1], &error);
  if (project != NULL)
    store = cs_project_open_store (project, &error);
  if (store != NULL)
    result = cs_predict_score (store, run_id, model, (const gint64 *) (gpointer) ids->data, ids->len,
                               (guint) n_reasons, cs_cli_progress, NULL, cs_cli_get_cancellable (), &error);
  cs_cli_progress_done ();
  if (result == NULL)
    return cs_cli_fail_error (error);

  if (json)
    {
      g_autofree char *text = cs_predict_score_result_to_json (result);

      printf ("%s\n", text);
    }
  else
    print_scores (result);
  return 0;
}
