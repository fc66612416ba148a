/* cs-predict-reasons.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cs-predict-reasons.h"

/* Contributions held at once: 4 Mi floats (16 MiB), whatever the width. */
#define CHUNK_FLOATS (4 << 20)

void
cs_predict_reason_free (CsPredictReason *reason)
{
  if (reason == NULL)
    return;
  g_free (reason->feature);
  g_free (reason);
}

CsPredictReason *
cs_predict_reason_new (const char *feature,
                       double      value,
                       double      contribution)
{
  CsPredictReason *reason = g_new0 (CsPredictReason, 1);

  reason->feature = g_strdup (feature);
  reason->value = value;
  reason->contribution = contribution;
  return reason;
}

/* Rows first .. first+n-1 of @x. */
static CsCsr *
slice_rows (const CsCsr *x,
            gint32       first,
            gint32       n)
{
  gint32 lo = x->row_ptr[first], hi = x->row_ptr[first + n];
  CsCsr *out = cs_csr_new (n, x->n_cols, hi - lo);

  for (gint32 i = 0; i <= n; i++)
    out->row_ptr[i] = x->row_ptr[first + i] - lo;
  memcpy (out->col_idx, x->col_idx + lo, (gsize) (hi - lo) * sizeof (gint32));
  memcpy (out->values, x->values + lo, (gsize) (hi - lo) * sizeof (float));
  return out;
}

static double
value_at (const CsCsr *x,
          gint32       row,
          gint32       column)
{
  for (gint32 k = x->row_ptr[row]; k < x->row_ptr[row + 1]; k++)
    if (x->col_idx[k] == column)
      return x->values[k];
  return 0;
}

/* The @n_top largest |phi[j]|, j < n_cols, into @top (indices), in order. */
static guint
top_columns (const float *phi,
             gint32       n_cols,
             guint        n_top,
             gint32      *top)
{
  guint n = 0;

  if (n_top == 0)
    return 0;
  for (gint32 j = 0; j < n_cols; j++)
    {
      float a = fabsf (phi[j]);
      guint pos;

      if (a == 0 || !isfinite (a))
        continue;
      if (n == n_top && a <= fabsf (phi[top[n - 1]]))
        continue;
      /* Insertion keeps the list sorted; equal values stay in column order. */
      pos = n < n_top ? n++ : n - 1;
      while (pos > 0 && fabsf (phi[top[pos - 1]]) < a)
        {
          top[pos] = top[pos - 1];
          pos--;
        }
      top[pos] = j;
    }
  return n;
}

GPtrArray *
cs_predict_reasons_compute (CsClassifier            *clf,
                            const CsPredictFeatures *features,
                            const CsCsr             *x,
                            const guint             *predicted,
                            guint                    n_top,
                            double                  *abs_sum,
                            GError                 **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autofree gint32 *top = g_new (gint32, MAX (n_top, 1));
  guint C = clf->n_classes;
  gint32 F = x->n_cols, chunk;

  for (gint32 i = 0; i < x->n_rows; i++)
    g_ptr_array_add (out, g_ptr_array_new_with_free_func ((GDestroyNotify) cs_predict_reason_free));
  if (!cs_classifier_has_contributions (clf))
    return g_steal_pointer (&out);

  chunk = (gint32) MAX (1, CHUNK_FLOATS / ((gsize) C * (F + 1)));
  for (gint32 first = 0; first < x->n_rows; first += chunk)
    {
      gint32 n = MIN (chunk, x->n_rows - first);
      g_autoptr(CsCsr) part = slice_rows (x, first, n);
      g_autofree float *phi = cs_classifier_contributions (clf, part, error);

      if (phi == NULL)
        return NULL;
      for (gint32 i = 0; i < n; i++)
        {
          const float *row = phi + ((gsize) i * C + predicted[first + i]) * (F + 1);
          GPtrArray *reasons = g_ptr_array_index (out, first + i);
          guint n_found = top_columns (row, F, n_top, top);

          for (guint r = 0; r < n_found; r++)
            {
              g_autofree char *index = features ? NULL : g_strdup_printf ("column %d", top[r]);

              g_ptr_array_add (reasons,
                               cs_predict_reason_new (features ? cs_predict_features_get_name (features, top[r])
                                                               : index,
                                                      value_at (part, i, top[r]), row[top[r]]));
            }
          if (abs_sum != NULL)
            for (guint c = 0; c < C; c++)
              {
                const float *all = phi + ((gsize) i * C + c) * (F + 1);

                for (gint32 j = 0; j < F; j++)
                  abs_sum[j] += fabsf (all[j]);
              }
        }
    }
  return g_steal_pointer (&out);
}

char *
cs_predict_reasons_to_text (GPtrArray *reasons)
{
  GString *out = g_string_new (NULL);

  for (guint r = 0; reasons != NULL && r < reasons->len; r++)
    {
      const CsPredictReason *reason = g_ptr_array_index (reasons, r);
      char number[32];

      g_snprintf (number, sizeof number, "%+.3g", reason->contribution);
      if (out->len > 0)
        g_string_append (out, ", ");
      if (reason->value == 0)
        /* Translators: a feature that pushed a prediction by not being there: "#tea (absent) +0.31" */
        g_string_append_printf (out, _("%s (absent) %s"), reason->feature, number);
      else
        g_string_append_printf (out, "%s %s", reason->feature, number);
    }
  return g_string_free (out, FALSE);
}

CsContributionKind
cs_predict_reasons_kind (const char *model)
{
  g_autoptr(CsClassifier) clf = cs_classifier_new (model, NULL, 2, 0, NULL);

  return clf != NULL ? cs_classifier_get_contribution_kind (clf) : CS_CONTRIBUTIONS_NONE;
}

const char *
cs_predict_reasons_describe (const char *model)
{
  switch (cs_predict_reasons_kind (model))
    {
    case CS_CONTRIBUTIONS_SHAP:
      return _("Reasons are SHAP values (XGBoost’s TreeSHAP) on the predicted class’s raw score.");
    case CS_CONTRIBUTIONS_LINEAR:
      return _("Reasons are coefficient × feature value on the predicted class’s decision value.");
    case CS_CONTRIBUTIONS_LOG_PROB:
      return _("Reasons are each feature’s part of the predicted class’s log-probability, "
               "against the average class.");
    case CS_CONTRIBUTIONS_NONE:
    default:
      break;
    }
  if (g_strcmp0 (model, "majority") == 0)
    return _("The majority baseline predicts the same class for every clip: no feature pushes it.");
  if (g_strcmp0 (model, "rbfsvm") == 0)
    return _("An RBF SVM has no per-clip contributions: its score is a sum over support vectors, "
             "not over features. Choose another model for reasons.");
  return _("This model has no per-clip contributions.");
}

const char *
cs_predict_reasons_describe_number (const char *model,
                                    gboolean    log_target)
{
  switch (cs_predict_reasons_kind (model))
    {
    case CS_CONTRIBUTIONS_SHAP:
      return log_target ? _("Reasons are SHAP values (XGBoost’s TreeSHAP) on log(1 + the predicted number), "
                            "the scale the model learns: +0.69 about doubles the prediction.")
                        : _("Reasons are SHAP values (XGBoost’s TreeSHAP): how much each feature raised or "
                            "lowered the predicted number.");
    case CS_CONTRIBUTIONS_LINEAR:
      return log_target ? _("Reasons are coefficient × feature value on log(1 + the predicted number), "
                            "the scale the model learns: +0.69 about doubles the prediction.")
                        : _("Reasons are coefficient × feature value: how much each feature raised or "
                            "lowered the predicted number.");
    case CS_CONTRIBUTIONS_LOG_PROB:
    case CS_CONTRIBUTIONS_NONE:
    default:
      break;
    }
  if (g_strcmp0 (model, "majority") == 0)
    return _("The training mean predicts the same number for every clip: no feature pushes it.");
  if (g_strcmp0 (model, "rbfsvm") == 0)
    return _("An RBF SVR has no per-clip contributions: its prediction is a sum over support vectors, "
             "not over features. Choose another model for reasons.");
  return _("This model has no per-clip contributions.");
}

void
cs_predict_reasons_add_json (GPtrArray   *reasons,
                             JsonBuilder *builder)
{
  json_builder_begin_array (builder);
  for (guint r = 0; reasons != NULL && r < reasons->len; r++)
    {
      const CsPredictReason *reason = g_ptr_array_index (reasons, r);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "feature");
      json_builder_add_string_value (builder, reason->feature);
      json_builder_set_member_name (builder, "value");
      json_builder_add_double_value (builder, reason->value);
      json_builder_set_member_name (builder, "contribution");
      json_builder_add_double_value (builder, reason->contribution);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}
