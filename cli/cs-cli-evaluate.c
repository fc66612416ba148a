/* cs-cli-evaluate.c: clipscope-cli evaluate PROJECT — train and compare
 * recommender models under one protocol (DESIGN §7).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cs-cli-common.h"

/* Columns of the readable table, at each K (novelty is in the JSON). */
static const char * const table_metrics[] = {
  "ndcg", "recall", "precision", "hr", "map", "mrr", "coverage",
};

static char *
protocol_line (const CsEvalResult *result)
{
  g_autoptr(JsonNode) node = json_from_string (result->protocol_json, NULL);
  JsonObject *object;
  const char *name, *positives;
  double fraction;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup (result->protocol_json);

  object = json_node_get_object (node);
  name = json_object_get_string_member_with_default (object, "name", "?");
  positives = json_object_get_string_member_with_default (object, "positives", "view");
  fraction = json_object_get_double_member_with_default (object, "train_fraction", NAN);
  if (!isnan (fraction))
    return g_strdup_printf (_("%s (train fraction %g), positives: %s"), name, fraction, positives);
  if (json_object_has_member (object, "folds"))
    {
      g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                               (guint64) json_object_get_int_member (object, "seed"));

      return g_strdup_printf (_("%s (%u folds, seed %s), positives: %s; figures are means ± standard "
                                "deviations over the folds"),
                              name, (guint) json_object_get_int_member (object, "folds"), seed, positives);
    }
  return g_strdup_printf (_("%s, positives: %s"), name, positives);
}

static void
print_table (const CsEvalResult *result)
{
  g_autofree char *protocol = protocol_line (result);
  int label_width = (int) strlen (_("Model"));
  int cell_width = result->n_folds > 1 ? 13 : 12;

  for (guint m = 0; m < result->models->len; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);

      label_width = MAX (label_width, (int) g_utf8_strlen (model->label, -1));
    }

  {
    g_autofree char *run = g_strdup_printf ("%" G_GINT64_FORMAT, result->run_id);
    g_autofree char *train = g_strdup_printf ("%" G_GINT64_FORMAT, result->train_pairs);
    g_autofree char *test = g_strdup_printf ("%" G_GINT64_FORMAT, result->test_pairs);
    g_autofree char *test_viewers = g_strdup_printf ("%" G_GINT64_FORMAT, result->test_viewers);
    g_autofree char *viewers = g_strdup_printf ("%" G_GINT64_FORMAT, result->n_viewers);
    g_autofree char *clips = g_strdup_printf ("%" G_GINT64_FORMAT, result->n_clips);

    printf (_("Comparison %s: %s\n"), run, protocol);
    if (result->n_folds > 1)
      printf (_("%s training interactions per fold (mean) and %s test interactions over the %u folds; "
                "%s test viewers of %s; %s clips\n\n"),
              train, test, result->n_folds, test_viewers, viewers, clips);
    else
      printf (_("%s training and %s test interactions; %s test viewers of %s; %s clips\n\n"),
              train, test, test_viewers, viewers, clips);
  }

  printf ("%-*s %8s %8s", label_width, _("Model"), _("fit s"), _("score s"));
  for (guint ki = 0; ki < result->n_ks; ki++)
    for (guint c = 0; c < G_N_ELEMENTS (table_metrics); c++)
      {
        g_autofree char *header = g_strdup_printf ("%s@%u", table_metrics[c], result->ks[ki]);

        printf (" %*s", cell_width, header);
      }
  printf ("\n");

  for (guint m = 0; m < result->models->len; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      /* Pad by characters, not bytes, so translated labels line up. */
      int pad = label_width - (int) g_utf8_strlen (model->label, -1);

      printf ("%s%*s %8.3f", model->label, pad, "", model->fit_s);
      if (g_strcmp0 (model->status, "failed") == 0)
        {
          printf (" %8s  %s\n", "—", model->error ? model->error : _("failed"));
          continue;
        }
      printf (" %8.3f", model->score_s);
      for (guint ki = 0; ki < result->n_ks; ki++)
        for (guint c = 0; c < G_N_ELEMENTS (table_metrics); c++)
          {
            g_autofree char *key = g_strdup_printf ("%s@%u", table_metrics[c], result->ks[ki]);

            g_autofree char *sd_key = g_strdup_printf ("%s_sd@%u", table_metrics[c], result->ks[ki]);

            if (result->n_folds > 1)
              {
                /* "0.1234±0.0056": ± is 2 bytes and one column. */
                g_autofree char *cell = g_strdup_printf ("%.4f±%.4f", cs_eval_model_result_get (model, key),
                                                         cs_eval_model_result_get (model, sd_key));

                printf (" %*s", cell_width + 1, cell);
              }
            else
              printf (" %*.4f", cell_width, cs_eval_model_result_get (model, key));
          }
      printf ("\n");
    }
}

/* "k=50, lambda=0.1" from a grid point {"k":50,"lambda":0.1}. */
static char *
point_text (JsonNode *node)
{
  GString *text = g_string_new (NULL);
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_string_free (text, FALSE);
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      if (text->len > 0)
        g_string_append (text, ",");
      if (json_node_get_value_type (value) == G_TYPE_STRING)
        g_string_append_printf (text, "%s=%s", (char *) l->data, json_node_get_string (value));
      else
        g_string_append_printf (text, "%s=%s", (char *) l->data,
                                g_ascii_formatd (number, sizeof number, "%g", json_node_get_double (value)));
    }
  return g_string_free (text, FALSE);
}

/* One line per tuned model: each setting's validation score. */
static void
print_tuning (const CsEvalResult *result)
{
  for (guint m = 0; m < result->models->len; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      g_autoptr(JsonNode) node = model->tuning ? json_from_string (model->tuning, NULL) : NULL;
      g_autoptr(GString) scores = g_string_new (NULL);
      JsonObject *object;
      JsonArray *grid, *values;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      grid = json_object_get_array_member (object, "grid");
      values = json_object_get_array_member (object, "validation_ndcg");
      for (guint p = 0; grid && values && p < json_array_get_length (grid) &&
                        p < json_array_get_length (values); p++)
        {
          g_autofree char *point = point_text (json_array_get_element (grid, p));
          JsonNode *value = json_array_get_element (values, p);

          if (JSON_NODE_HOLDS_NULL (value))
            g_string_append_printf (scores, "%s%s —", scores->len ? ", " : "", point);
          else
            g_string_append_printf (scores, "%s%s %.4f", scores->len ? ", " : "", point,
                                    json_node_get_double (value));
        }
      /* Translators: a model label, the metric ("ndcg@10"), then each
       * setting tried with its score. */
      printf (_("%s: tuned on a validation split of the training interactions, %s: %s\n"), model->label,
              json_object_get_string_member_with_default (object, "metric", "?"), scores->str);
    }
}

/* --baseline: a 1-based position in the model list or a model name. */
static gboolean
find_baseline (const char  *models_spec,
               const char  *baseline,
               guint       *index,
               GError     **error)
{
  g_autoptr(GPtrArray) models = cs_recommender_parse_models (models_spec, error);
  guint64 position = 0;

  if (models == NULL)
    return FALSE;
  if (g_ascii_string_to_unsigned (baseline, 10, 1, models->len, &position, NULL))
    {
      *index = (guint) position - 1;
      return TRUE;
    }
  for (guint m = 0; m < models->len; m++)
    if (g_ascii_strcasecmp (cs_recommender_get_name (g_ptr_array_index (models, m)), baseline) == 0)
      {
        *index = m;
        return TRUE;
      }
  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
               _("--baseline “%s” is none of the models in --models; give a model name such as "
                 "“pop” or its position, 1 to %u"), baseline, models->len);
  return FALSE;
}

int
cs_cli_evaluate (int    argc,
                 char **argv)
{
  g_autofree char *protocol = NULL;
  g_autofree char *models = NULL;
  g_autofree char *ks = NULL;
  g_autofree char *positives = NULL;
  g_autofree char *baseline = NULL;
  gint64 seed = 0;
  gint bootstrap = 0;
  gboolean json = FALSE;
  gboolean keep_models = FALSE;
  gboolean tune = FALSE;
  const GOptionEntry entries[] = {
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol,
      N_("Evaluation protocol: temporal (default), leave-last-out, random:FRACTION:SEED or "
         "kfold:FOLDS:SEED (k-fold by viewer, 2 to 20 folds)"), N_("PROTOCOL") },
    { "models", 0, 0, G_OPTION_ARG_STRING, &models,
      N_("Models and settings, as in “pop;itemknn:k=100” (the default)"), N_("MODELS") },
    { "k", 0, 0, G_OPTION_ARG_STRING, &ks,
      N_("Cut-offs K, as in “10,20” (the default)"), N_("K,…") },
    { "positives", 0, 0, G_OPTION_ARG_STRING, &positives,
      N_("What counts as a positive: view (default), any, like, comment, share, follow, save, watch:RATIO, "
         "or weighted:KIND=W,… (e.g. weighted:view=1,like=3,share=5; iALS takes the summed weights as "
         "confidence, the other models only whether a pair exists)"),
      N_("RULE") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("Seed for randomised models and protocols (stored with the result)"), N_("S") },
    { "baseline", 0, 0, G_OPTION_ARG_STRING, &baseline,
      N_("Model the others are tested against: its name or position in --models (default: the first)"),
      N_("MODEL") },
    { "bootstrap", 0, 0, G_OPTION_ARG_INT, &bootstrap,
      /* xgettext:no-c-format */
      N_("Bootstrap resamples for the 95 % intervals (default 1000)"), N_("B") },
    { "keep-models", 0, 0, G_OPTION_ARG_NONE, &keep_models,
      N_("Keep each trained model in the project, so the app can inspect it without training again"),
      NULL },
    { "tune", 0, 0, G_OPTION_ARG_NONE, &tune,
      N_("Pick each model's settings from a small grid on a validation split cut from the training "
         "interactions (never the test ones) before training it; slower"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as one JSON document"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsEvalResult) result = NULL;
  CsEvalRequest request = { 0 };
  guint n_failed = 0;
  const char *first_failed = NULL;
  const char *first_error = NULL;

  context = g_option_context_new (_("PROJECT — train and compare recommender models"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cs_cli_fail_error (error);
  if (argc != 2)
    return cs_cli_fail (_("evaluate needs exactly one PROJECT; run “clipscope-cli evaluate --help”"));
  if (seed < 0)
    return cs_cli_fail (_("--seed must be zero or more"));

  request.protocol = g_strdup (protocol ? protocol : "temporal");
  request.models = g_strdup (models ? models : "pop;itemknn:k=100");
  request.positives = g_strdup (positives);
  request.seed = (guint64) seed;
  if (bootstrap < 0 || bootstrap > 1000000)
    {
      cs_eval_request_clear (&request);
      return cs_cli_fail (_("--bootstrap must be a number of resamples from 1 to 1000000"));
    }
  request.n_bootstrap = (guint) bootstrap;
  request.store_state = keep_models;
  request.tune = tune;
  if (baseline != NULL && !find_baseline (request.models, baseline, &request.baseline, &error))
    {
      cs_eval_request_clear (&request);
      return cs_cli_fail_error (error);
    }
  if (!cs_eval_parse_ks (ks ? ks : "10,20", &request.ks, &request.n_ks, &error))
    {
      cs_eval_request_clear (&request);
      return cs_cli_fail_error (error);
    }

  project = cs_cli_open_project (argv[1], &error);
  if (project != NULL)
    store = cs_project_open_store (project, &error);
  if (store != NULL)
    result = cs_evaluator_run (store, &request, cs_cli_progress, NULL,
                               cs_cli_get_cancellable (), &error);
  cs_eval_request_clear (&request);
  cs_cli_progress_done ();
  if (result == NULL)
    return cs_cli_fail_error (error);

  if (json)
    {
      g_autofree char *text = cs_eval_result_to_json (result);

      printf ("%s\n", text);
    }
  else
    {
      print_table (result);
      print_tuning (result);
    }

  for (guint m = 0; m < result->models->len; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);

      if (g_strcmp0 (model->status, "failed") == 0)
        {
          if (n_failed++ == 0)
            {
              first_failed = model->label;
              first_error = model->error;
            }
        }
    }
  if (n_failed > 0)
    return cs_cli_fail (g_dngettext (GETTEXT_PACKAGE, "%s failed: %s (%u model failed)",
                                     "%s failed: %s (%u models failed)", n_failed),
                        first_failed, first_error ? first_error : "?", n_failed);
  return 0;
}
