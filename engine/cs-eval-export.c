/* cs-eval-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cs-csv-writer.h"
#include "cs-eval-export.h"
#include "cs-interactions.h"
#include "cs-metrics.h"

/* mean, then the 95 % interval, the sd over folds and the Holm-adjusted
 * paired t-test p against the baseline: empty where they do not exist. */
#define N_VALUES 5

static void
append_row (GString                 *csv,
            const CsEvalModelResult *model,
            const char              *metric,
            guint                    k,
            const double             values[N_VALUES])
{
  cs_csv_append_field (csv, model->name);
  g_string_append_c (csv, ',');
  cs_csv_append_field (csv, model->label);
  g_string_append_c (csv, ',');
  cs_csv_append_field (csv, metric);
  g_string_append_c (csv, ',');
  if (k > 0)
    g_string_append_printf (csv, "%u", k);
  for (guint i = 0; i < N_VALUES; i++)
    {
      g_string_append_c (csv, ',');
      cs_csv_append_number (csv, values[i]);
    }
  g_string_append (csv, "\r\n");
}

static double
get_statistic (const CsEvalModelResult *model,
               const char              *metric,
               const char              *suffix,
               guint                    k)
{
  g_autofree char *key = g_strdup_printf ("%s_%s@%u", metric, suffix, k);

  return cs_eval_model_result_get (model, key);
}

/* A metric no model has at any K (stored before it existed) is left out. */
static gboolean
metric_present (const CsEvalResult *result,
                CsMetric            metric)
{
  for (guint m = 0; m < result->models->len; m++)
    for (guint ki = 0; ki < result->n_ks; ki++)
      {
        g_autofree char *key = g_strdup_printf ("%s@%u", cs_metric_get_name (metric), result->ks[ki]);

        if (!isnan (cs_eval_model_result_get (g_ptr_array_index (result->models, m), key)))
          return TRUE;
      }
  return FALSE;
}

char *
cs_eval_result_to_csv (const CsEvalResult *result)
{
  GString *csv;

  g_return_val_if_fail (result != NULL, NULL);

  csv = g_string_new ("model,label,metric,k,mean,ci_lo,ci_hi,sd,p_holm\r\n");
  for (guint m = 0; m < result->models->len; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      gboolean failed = g_strcmp0 (model->status, "failed") == 0;

      for (guint metric = 0; metric < CS_N_METRICS; metric++)
        for (guint ki = 0; ki < result->n_ks && metric_present (result, (CsMetric) metric); ki++)
          {
            const char *name = cs_metric_get_name ((CsMetric) metric);
            g_autofree char *key = g_strdup_printf ("%s@%u", name, result->ks[ki]);

            const double values[N_VALUES] = {
              cs_eval_model_result_get (model, key),
              get_statistic (model, name, "lo", result->ks[ki]),
              get_statistic (model, name, "hi", result->ks[ki]),
              get_statistic (model, name, "sd", result->ks[ki]),
              get_statistic (model, name, "p_holm", result->ks[ki]),
            };

            append_row (csv, model, name, result->ks[ki], values);
          }
      append_row (csv, model, "fit_s", 0,
                  (const double[N_VALUES]) { failed && model->fit_s <= 0 ? NAN : model->fit_s, NAN, NAN, NAN, NAN });
      append_row (csv, model, "score_s", 0,
                  (const double[N_VALUES]) { failed ? NAN : model->score_s, NAN, NAN, NAN, NAN });
    }
  return g_string_free (csv, FALSE);
}

gboolean
cs_eval_result_write_csv (const CsEvalResult *result,
                          const char         *path,
                          GError            **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = cs_eval_result_to_csv (result);
  return g_file_set_contents (path, text, -1, error);
}

static JsonObject *
protocol_object (const CsEvalResult *result,
                 JsonNode          **node_out)
{
  JsonNode *node = result->protocol_json ? json_from_string (result->protocol_json, NULL) : NULL;

  *node_out = node;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

char *
cs_eval_result_get_protocol_name (const CsEvalResult *result)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_return_val_if_fail (result != NULL, NULL);

  object = protocol_object (result, &node);
  if (object == NULL)
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (object, "name", NULL));
}

char *
cs_eval_result_describe_protocol (const CsEvalResult *result)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const char *name;

  g_return_val_if_fail (result != NULL, NULL);

  object = protocol_object (result, &node);
  if (object == NULL)
    return g_strdup (_("Unknown protocol"));

  name = json_object_get_string_member_with_default (object, "name", "");
  if (g_strcmp0 (name, "temporal") == 0)
    {
      double fraction = json_object_get_double_member_with_default (object, "train_fraction", 0.8);
      int train = (int) lround (fraction * 100);

      /* Translators: %d are percentages; "%%" is a percent sign. */
      return g_strdup_printf (_("Temporal split: the oldest %d %% of interactions train, the newest %d %% test"),
                              train, 100 - train);
    }
  if (g_strcmp0 (name, "leave-last-out") == 0)
    return g_strdup (_("Leave last out: each viewer’s latest clip tests, everything before it trains"));
  if (g_strcmp0 (name, "kfold") == 0)
    {
      guint folds = (guint) json_object_get_int_member_with_default (object, "folds", 0);
      g_autofree char *seed = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               json_object_get_int_member_with_default (object, "seed", 0));

      /* Translators: %u is the number of folds, %s the seed. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "K-fold by viewer: each viewer’s clips dealt into %u fold (seed %s), "
                                           "each fold tested once while the others train; training interactions "
                                           "are per fold, test interactions over all folds",
                                           "K-fold by viewer: each viewer’s clips dealt into %u folds (seed %s), "
                                           "each fold tested once while the others train; training interactions "
                                           "are per fold, test interactions over all folds",
                                           folds),
                              folds, seed);
    }
  if (g_strcmp0 (name, "random") == 0)
    {
      double fraction = json_object_get_double_member_with_default (object, "test_fraction", 0.2);
      g_autofree char *seed = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               json_object_get_int_member_with_default (object, "seed", 0));

      /* Translators: %d is a percentage, %s the seed; "%%" is a percent sign. */
      return g_strdup_printf (_("Random holdout: a random %d %% of each viewer’s clips test (seed %s), the rest train"),
                              (int) lround (fraction * 100), seed);
    }
  return g_strdup (*name != '\0' ? name : _("Unknown protocol"));
}

/* "view=1,like=3" → "Weighted interest: view 1, like 3; …". */
static char *
describe_weights (const char *weights)
{
  static const struct
  {
    const char *kind;
    const char *label;
  } kinds[] = {
    { "view", NC_("event kind", "view") },
    { "like", NC_("event kind", "like") },
    { "comment", NC_("event kind", "comment") },
    { "share", NC_("event kind", "share") },
    { "follow", NC_("event kind", "follow") },
    { "save", NC_("event kind", "save") },
  };
  g_auto(GStrv) parts = g_strsplit (weights, ",", -1);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint p = 0; parts[p] != NULL; p++)
    {
      const char *eq = strchr (parts[p], '=');
      const char *label = parts[p];

      if (eq == NULL)
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        if (strncmp (parts[p], kinds[k].kind, (gsize) (eq - parts[p])) == 0 &&
            kinds[k].kind[eq - parts[p]] == '\0')
          label = g_dpgettext2 (GETTEXT_PACKAGE, "event kind", kinds[k].label);
      if (list->len > 0)
        g_string_append (list, _(", "));
      if (label == parts[p])
        g_string_append (list, parts[p]);
      else
        /* Translators: an event kind and its weight, e.g. "like 3". */
        g_string_append_printf (list, _("%s %s"), label, eq + 1);
    }
  /* Translators: %s is a list such as "view 1, like 3, share 5". */
  return g_strdup_printf (_("Weighted interest: %s; iALS learns more from heavier interest, "
                            "the other models only see whether there was any"), list->str);
}

char *
cs_eval_result_describe_positives (const CsEvalResult *result)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const char *rule;

  g_return_val_if_fail (result != NULL, NULL);

  object = protocol_object (result, &node);
  rule = object ? json_object_get_string_member_with_default (object, "positives", "view") : "view";

  if (g_strcmp0 (rule, "view") == 0)
    return g_strdup (_("Every view counts as interest"));
  if (g_strcmp0 (rule, "any") == 0)
    return g_strdup (_("Every event counts as interest"));
  if (g_strcmp0 (rule, "like") == 0)
    return g_strdup (_("A like counts as interest"));
  if (g_strcmp0 (rule, "comment") == 0)
    return g_strdup (_("A comment counts as interest"));
  if (g_strcmp0 (rule, "share") == 0)
    return g_strdup (_("A share counts as interest"));
  if (g_strcmp0 (rule, "follow") == 0)
    return g_strdup (_("A follow counts as interest"));
  if (g_strcmp0 (rule, "save") == 0)
    return g_strdup (_("A save counts as interest"));
  if (g_str_has_prefix (rule, "watch:"))
    {
      double ratio = g_ascii_strtod (rule + 6, NULL);

      /* Translators: %d is a percentage; "%%" is a percent sign. */
      return g_strdup_printf (_("A view counts as interest when at least %d %% of the clip was watched"),
                              (int) lround (ratio * 100));
    }
  if (cs_positive_rule_is_weighted (rule))
    return describe_weights (rule + strlen ("weighted:"));
  /* Translators: %s is a rule as typed for clipscope-cli, e.g. "like". */
  return g_strdup_printf (_("Interest rule “%s”"), rule);
}
