/* cs-classifier.c: settings and dispatch shared by the Predict models.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cs-classifier.h"
#include "cs-error.h"
#include "cs-parallel.h"

typedef struct
{
  const char *name;
  const char *label;
  const char *regression_label;
  gboolean  (*init) (CsClassifier *self, GError **error);
} ModelInfo;

static const ModelInfo models[] = {
  { "majority", N_("Majority class"),         N_("Training mean"),          _cs_majority_init },
  { "nb",       N_("Naive Bayes"),            N_("Naive Bayes"),            _cs_naive_bayes_init },
  { "logreg",   N_("Logistic regression"),    N_("Ridge regression"),       _cs_linear_init },
  { "linsvm",   N_("Linear SVM"),             N_("Linear SVR"),             _cs_linear_init },
  { "rbfsvm",   N_("RBF SVM"),                N_("RBF SVR"),                _cs_rbf_svm_init },
  { "rf",       N_("Random forest"),          N_("Random forest"),          _cs_trees_init },
  { "gbdt",     N_("Gradient-boosted trees"), N_("Gradient-boosted trees"), _cs_trees_init },
};

static const ModelInfo *
find_model (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (g_strcmp0 (models[i].name, name) == 0)
      return &models[i];
  return NULL;
}

static void
set_unknown_model (GError    **error,
                   const char *name)
{
  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_UNKNOWN_MODEL,
               _("Unknown model “%s”: use majority, nb, logreg, linsvm, rbfsvm, rf or gbdt"), name);
}

void
cs_model_spec_free (CsModelSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->name);
  g_free (spec->params);
  g_free (spec);
}

GPtrArray *
cs_classifier_parse_specs (const char  *spec,
                           GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_model_spec_free);
  g_auto(GStrv) parts = g_strsplit (spec ? spec : "", ";", -1);

  for (guint i = 0; parts[i]; i++)
    {
      char *part = g_strstrip (parts[i]);
      char *colon = strchr (part, ':');
      CsModelSpec *model;

      if (*part == '\0')
        continue;
      if (colon)
        *colon = '\0';
      if (find_model (g_strstrip (part)) == NULL)
        {
          set_unknown_model (error, part);
          return NULL;
        }
      model = g_new0 (CsModelSpec, 1);
      model->name = g_strdup (part);
      model->params = colon && colon[1] ? g_strdup (g_strstrip (colon + 1)) : NULL;
      g_ptr_array_add (out, model);
    }
  if (out->len == 0)
    {
      g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                           _("No models given: name at least one, as in “majority;logreg”"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

CsClassifier *
cs_classifier_new (const char  *name,
                   const char  *params,
                   guint        n_classes,
                   guint64      seed,
                   GError     **error)
{
  const ModelInfo *info = find_model (name);
  g_autoptr(CsClassifier) self = NULL;
  g_auto(GStrv) pairs = NULL;

  if (info == NULL)
    {
      set_unknown_model (error, name);
      return NULL;
    }
  self = g_new0 (CsClassifier, 1);
  self->name = g_strdup (name);
  self->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->resolved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->regression = n_classes == CS_CLASSIFIER_REGRESSION;
  self->n_classes = self->regression ? 1 : n_classes;
  self->y_scale = 1.0;
  self->seed = seed;
  self->n_threads = cs_parallel_get_n_workers (G_MAXINT32, 1);

  pairs = g_strsplit (params ? params : "", ",", -1);
  for (guint i = 0; pairs[i]; i++)
    {
      char *pair = g_strstrip (pairs[i]);
      char *eq = strchr (pair, '=');

      if (*pair == '\0')
        continue;
      if (eq == NULL || eq == pair || eq[1] == '\0')
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("Cannot read the setting “%s” of %s: write it as key=value"), pair, name);
          return NULL;
        }
      *eq = '\0';
      g_hash_table_insert (self->params, g_strdup (g_strstrip (pair)), g_strdup (g_strstrip (eq + 1)));
    }
  if (!info->init (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
cs_classifier_free (CsClassifier *self)
{
  if (self == NULL)
    return;
  if (self->klass && self->klass->finalize)
    self->klass->finalize (self);
  g_free (self->name);
  g_clear_pointer (&self->params, g_hash_table_unref);
  g_clear_pointer (&self->resolved, g_hash_table_unref);
  g_free (self);
}

gboolean
cs_classifier_fit (CsClassifier  *self,
                   const CsCsr   *x,
                   const guint   *y,
                   GError       **error)
{
  g_return_val_if_fail (self != NULL && x != NULL && y != NULL, FALSE);
  if (x->n_rows == 0)
    {
      g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                           _("No training clips: the protocol left none for training"));
      return FALSE;
    }
  self->n_cols = x->n_cols;
  return self->klass->fit (self, x, y, error);
}

gboolean
cs_classifier_predict_proba (CsClassifier  *self,
                             const CsCsr   *x,
                             double        *proba,
                             GError       **error)
{
  g_return_val_if_fail (self != NULL && x != NULL && proba != NULL, FALSE);
  g_return_val_if_fail (!self->regression, FALSE);
  g_return_val_if_fail (x->n_cols == self->n_cols, FALSE);
  return self->klass->predict_proba (self, x, proba, error);
}

gboolean
cs_classifier_fit_values (CsClassifier  *self,
                          const CsCsr   *x,
                          const double  *y,
                          GError       **error)
{
  g_autofree double *z = NULL;
  double mean = 0, var = 0;

  g_return_val_if_fail (self != NULL && x != NULL && y != NULL, FALSE);
  g_return_val_if_fail (self->regression, FALSE);
  if (self->klass->fit_values == NULL)
    {
      g_autofree char *label = cs_classifier_label (self);

      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                   _("%s predicts classes, not a number: leave it out, or predict classes "
                     "(terciles or thresholds)"), label);
      return FALSE;
    }
  if (x->n_rows == 0)
    {
      g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                           _("No training clips: the protocol left none for training"));
      return FALSE;
    }
  for (gint32 i = 0; i < x->n_rows; i++)
    mean += y[i] / x->n_rows;
  for (gint32 i = 0; i < x->n_rows; i++)
    var += (y[i] - mean) * (y[i] - mean) / x->n_rows;
  self->y_mean = mean;
  self->y_scale = var > 0 ? sqrt (var) : 1.0;
  z = g_new (double, x->n_rows);
  for (gint32 i = 0; i < x->n_rows; i++)
    z[i] = (y[i] - mean) / self->y_scale;
  self->n_cols = x->n_cols;
  return self->klass->fit_values (self, x, z, error);
}

gboolean
cs_classifier_predict_values (CsClassifier  *self,
                              const CsCsr   *x,
                              double        *out,
                              GError       **error)
{
  g_return_val_if_fail (self != NULL && x != NULL && out != NULL, FALSE);
  g_return_val_if_fail (self->regression, FALSE);
  g_return_val_if_fail (x->n_cols == self->n_cols, FALSE);
  if (!self->klass->predict_proba (self, x, out, error))
    return FALSE;
  for (gint32 i = 0; i < x->n_rows; i++)
    out[i] = self->y_mean + self->y_scale * out[i];
  return TRUE;
}

gboolean
cs_classifier_has_contributions (CsClassifier *self)
{
  return self->klass->contributions != NULL;
}

CsContributionKind
cs_classifier_get_contribution_kind (CsClassifier *self)
{
  return self->klass->contributions != NULL ? self->klass->contribution_kind : CS_CONTRIBUTIONS_NONE;
}

float *
cs_classifier_contributions (CsClassifier  *self,
                             const CsCsr   *x,
                             GError       **error)
{
  float *out;

  g_return_val_if_fail (cs_classifier_has_contributions (self), NULL);
  out = self->klass->contributions (self, x, error);
  /* A regressor's contributions add up to its standardised prediction:
   * scale them (and the bias, which takes the mean) to the target's. */
  if (out != NULL && self->regression)
    for (gint32 i = 0; i < x->n_rows; i++)
      {
        float *row = out + (gsize) i * (self->n_cols + 1);

        for (gint32 j = 0; j <= self->n_cols; j++)
          row[j] = (float) (row[j] * self->y_scale);
        row[self->n_cols] = (float) (row[self->n_cols] + self->y_mean);
      }
  return out;
}

void
cs_classifier_argmax (const double *proba,
                      guint         n_rows,
                      guint         n_classes,
                      guint        *out)
{
  for (guint i = 0; i < n_rows; i++)
    {
      const double *p = proba + (gsize) i * n_classes;
      guint best = 0;

      for (guint c = 1; c < n_classes; c++)
        if (p[c] > p[best])
          best = c;
      out[i] = best;
    }
}

void
cs_classifier_softmax (double *scores,
                       guint   n)
{
  double max = -INFINITY, sum = 0;

  for (guint c = 0; c < n; c++)
    max = MAX (max, scores[c]);
  for (guint c = 0; c < n; c++)
    sum += scores[c] = exp (scores[c] - max);
  for (guint c = 0; c < n; c++)
    scores[c] /= sum;
}

gboolean
cs_classifier_get_double (CsClassifier  *self,
                          const char    *key,
                          double         fallback,
                          double         min,
                          double         max,
                          double        *out,
                          GError       **error)
{
  const char *text = g_hash_table_lookup (self->params, key);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char *end;

  *out = fallback;
  if (text != NULL)
    {
      *out = g_ascii_strtod (text, &end);
      if (end == text || *end != '\0' || !isfinite (*out) || *out < min || *out > max)
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("The setting %s=%s of %s is not a number from %g to %g"),
                       key, text, self->name, min, max);
          return FALSE;
        }
    }
  g_hash_table_insert (self->resolved, g_strdup (key),
                       g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.10g", *out)));
  return TRUE;
}

gboolean
cs_classifier_check_keys (CsClassifier       *self,
                          const char * const *known,
                          GError            **error)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->params);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_strv_contains (known, key))
      {
        g_autofree char *list = g_strjoinv (", ", (char **) known);

        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                     *known ? _("%s has no setting “%s”; its settings are %s")
                            : _("%s has no setting “%s”; it takes none%s"),
                     self->name, (const char *) key, list);
        return FALSE;
      }
  return TRUE;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);

  g_ptr_array_sort (keys, compare_keys);
  return keys;
}

char *
cs_classifier_params_json (CsClassifier *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) keys = sorted_keys (self->resolved);

  json_builder_begin_object (b);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const char *value = g_hash_table_lookup (self->resolved, key);
      char *end;
      double number = g_ascii_strtod (value, &end);

      json_builder_set_member_name (b, key);
      if (end != value && *end == '\0')
        json_builder_add_double_value (b, number);
      else
        json_builder_add_string_value (b, value);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

char *
cs_classifier_label (CsClassifier *self)
{
  const ModelInfo *info = find_model (self->name);
  g_autoptr(GPtrArray) keys = sorted_keys (self->params);
  GString *label = g_string_new (self->regression ? _(info->regression_label) : _(info->label));

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      g_string_append_printf (label, "%s%s=%s", i == 0 ? " (" : ", ", key,
                              (const char *) g_hash_table_lookup (self->params, key));
    }
  if (keys->len > 0)
    g_string_append_c (label, ')');
  return g_string_free (label, FALSE);
}
