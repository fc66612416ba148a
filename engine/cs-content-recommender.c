/* cs-content-recommender.c
 *
 * Scoring builds the viewer's profile (a dense text part over the vocabulary
 * and the features part) and then walks every clip's sparse text row: the
 * cost is the vocabulary plus all clips' terms per viewer, small next to a
 * dense clips × clips model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cs-content-recommender.h"
#include "cs-error.h"
#include "cs-predict-features.h"
#include "cs-recommender-private.h"

struct _CsContentRecommender
{
  CsRecommender parent_instance;

  double  text_weight;
  double  feature_weight;
  guint   min_df;

  CsCsr  *text;        /* clips × terms, text_weight · t_j */
  float  *features;    /* clips × n_features, feature_weight · z_j / √m */
  guint   n_features;
  double *norms;       /* ‖v_j‖ */
};

G_DEFINE_FINAL_TYPE (CsContentRecommender, cs_content_recommender, CS_TYPE_RECOMMENDER)

enum {
  PROP_0,
  PROP_TEXT_WEIGHT,
  PROP_FEATURE_WEIGHT,
  PROP_MIN_DF,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_state (CsContentRecommender *self)
{
  g_clear_pointer (&self->text, cs_csr_free);
  g_clear_pointer (&self->features, g_free);
  g_clear_pointer (&self->norms, g_free);
  self->n_features = 0;
}

static void
compute_norms (CsContentRecommender *self)
{
  const CsCsr *t = self->text;

  g_free (self->norms);
  self->norms = g_new (double, MAX (t->n_rows, 1));
  for (gint32 j = 0; j < t->n_rows; j++)
    {
      const float *f = &self->features[(gsize) j * self->n_features];
      double sum = 0;

      for (gint32 a = t->row_ptr[j]; a < t->row_ptr[j + 1]; a++)
        sum += (double) t->values[a] * t->values[a];
      for (guint k = 0; k < self->n_features; k++)
        sum += (double) f[k] * f[k];
      self->norms[j] = sqrt (sum);
    }
}

static gboolean
cs_content_recommender_fit (CsRecommender   *recommender,
                            const CsCsr     *train,
                            CsProgressFunc   progress,
                            gpointer         progress_data,
                            GCancellable    *cancellable,
                            GError         **error)
{
  CsContentRecommender *self = CS_CONTENT_RECOMMENDER (recommender);
  const CsPredictDataset *rows = cs_clip_content_get_rows (cs_recommender_get_clip_content (recommender));
  guint n = (guint) train->n_cols;
  g_autofree guint *kept = g_new (guint, MAX (rows->n_content, 1));
  g_autofree double *mean = g_new (double, MAX (rows->n_content, 1));
  g_autofree double *sd = g_new (double, MAX (rows->n_content, 1));
  double scale;
  gboolean any = FALSE;

  clear_state (self);

  self->text = cs_text_tfidf (rows->tokens, n, self->min_df);
  for (gint32 a = 0; a < cs_csr_get_nnz (self->text); a++)
    self->text->values[a] = (float) (self->text->values[a] * self->text_weight);
  if (progress)
    progress (0.5, NULL, progress_data);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* z-scores over the clips that have the feature (two passes, in double). */
  for (guint k = 0; k < rows->n_content; k++)
    {
      double sum = 0, ss = 0;
      guint count = 0;

      for (guint j = 0; j < n; j++)
        {
          double x = rows->content[(gsize) j * rows->n_content + k];

          if (isfinite (x))
            {
              sum += x;
              count++;
            }
        }
      if (count == 0)
        continue;
      mean[self->n_features] = sum / count;
      for (guint j = 0; j < n; j++)
        {
          double x = rows->content[(gsize) j * rows->n_content + k];

          if (isfinite (x))
            ss += (x - mean[self->n_features]) * (x - mean[self->n_features]);
        }
      sd[self->n_features] = sqrt (ss / count);
      if (!(sd[self->n_features] > 0))
        continue;
      kept[self->n_features++] = k;
    }

  scale = self->n_features > 0 ? self->feature_weight / sqrt (self->n_features) : 0;
  self->features = g_new0 (float, (gsize) MAX (n, 1) * MAX (self->n_features, 1));
  for (guint j = 0; j < n; j++)
    for (guint f = 0; f < self->n_features; f++)
      {
        double x = rows->content[(gsize) j * rows->n_content + kept[f]];

        if (isfinite (x))
          self->features[(gsize) j * self->n_features + f] = (float) (scale * (x - mean[f]) / sd[f]);
      }

  compute_norms (self);
  for (guint j = 0; j < n && !any; j++)
    any = self->norms[j] > 0;
  if (!any)
    {
      clear_state (self);
      g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                           _("Content-based needs the clips’ titles, captions, hashtags or content "
                             "features, and these clips have none (with these settings): import clip "
                             "texts or the video files, or lower min_df"));
      return FALSE;
    }

  if (progress)
    progress (1.0, NULL, progress_data);
  return TRUE;
}

static void
cs_content_recommender_score (CsRecommender *recommender,
                              gint32         viewer,
                              float         *scores)
{
  CsContentRecommender *self = CS_CONTENT_RECOMMENDER (recommender);
  const CsCsr *train = cs_recommender_get_train (recommender);
  const CsCsr *t = self->text;
  guint m = self->n_features;
  g_autofree double *p_text = g_new0 (double, MAX (t->n_cols, 1));
  g_autofree double *p_feat = g_new0 (double, MAX (m, 1));
  gint32 n_seen = cs_csr_row_length (train, viewer);
  double p_norm = 0;

  for (gint32 b = train->row_ptr[viewer]; b < train->row_ptr[viewer + 1]; b++)
    {
      gint32 i = train->col_idx[b];

      for (gint32 a = t->row_ptr[i]; a < t->row_ptr[i + 1]; a++)
        p_text[t->col_idx[a]] += t->values[a];
      for (guint f = 0; f < m; f++)
        p_feat[f] += self->features[(gsize) i * m + f];
    }
  for (gint32 c = 0; c < t->n_cols; c++)
    {
      p_text[c] /= MAX (n_seen, 1);
      p_norm += p_text[c] * p_text[c];
    }
  for (guint f = 0; f < m; f++)
    {
      p_feat[f] /= MAX (n_seen, 1);
      p_norm += p_feat[f] * p_feat[f];
    }
  p_norm = sqrt (p_norm);

  for (gint32 j = 0; j < t->n_rows; j++)
    {
      double dot = 0;

      if (p_norm == 0 || self->norms[j] == 0)
        {
          scores[j] = 0;
          continue;
        }
      for (gint32 a = t->row_ptr[j]; a < t->row_ptr[j + 1]; a++)
        dot += p_text[t->col_idx[a]] * t->values[a];
      for (guint f = 0; f < m; f++)
        dot += p_feat[f] * self->features[(gsize) j * m + f];
      scores[j] = (float) (dot / (p_norm * self->norms[j]));
    }
}

static gboolean
cs_content_recommender_save_state (CsRecommender  *recommender,
                                   CsStateWriter  *writer,
                                   GError        **error)
{
  CsContentRecommender *self = CS_CONTENT_RECOMMENDER (recommender);

  _cs_state_put_csr (writer, self->text, TRUE);
  _cs_state_put_u32 (writer, self->n_features);
  _cs_state_put_f32s (writer, self->features, (gsize) self->text->n_rows * self->n_features);
  return TRUE;
}

static gboolean
cs_content_recommender_load_state (CsRecommender  *recommender,
                                   const CsCsr    *train,
                                   CsStateReader  *reader,
                                   GError        **error)
{
  CsContentRecommender *self = CS_CONTENT_RECOMMENDER (recommender);
  guint32 m = 0;

  clear_state (self);
  self->text = _cs_state_get_csr (reader, error);
  if (self->text == NULL ||
      !_cs_state_check (reader, self->text->n_rows == train->n_cols, error) ||
      !_cs_state_get_u32 (reader, &m, error) ||
      !_cs_state_check (reader, m < 1u << 20, error))
    return FALSE;
  self->n_features = m;
  if (m == 0)
    self->features = g_new0 (float, 1);
  else if (!_cs_state_get_f32s (reader, &self->features, (gsize) train->n_cols * m, error))
    return FALSE;
  /* The same sums over the same floats as after fit(). */
  compute_norms (self);
  return TRUE;
}

static void
cs_content_recommender_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CsContentRecommender *self = CS_CONTENT_RECOMMENDER (object);

  switch (prop_id)
    {
    case PROP_TEXT_WEIGHT:
      g_value_set_double (value, self->text_weight);
      break;
    case PROP_FEATURE_WEIGHT:
      g_value_set_double (value, self->feature_weight);
      break;
    case PROP_MIN_DF:
      g_value_set_uint (value, self->min_df);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_content_recommender_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CsContentRecommender *self = CS_CONTENT_RECOMMENDER (object);

  switch (prop_id)
    {
    case PROP_TEXT_WEIGHT:
      self->text_weight = g_value_get_double (value);
      break;
    case PROP_FEATURE_WEIGHT:
      self->feature_weight = g_value_get_double (value);
      break;
    case PROP_MIN_DF:
      self->min_df = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_content_recommender_finalize (GObject *object)
{
  clear_state (CS_CONTENT_RECOMMENDER (object));
  G_OBJECT_CLASS (cs_content_recommender_parent_class)->finalize (object);
}

static void
cs_content_recommender_class_init (CsContentRecommenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CsRecommenderClass *recommender_class = CS_RECOMMENDER_CLASS (klass);

  object_class->get_property = cs_content_recommender_get_property;
  object_class->set_property = cs_content_recommender_set_property;
  object_class->finalize = cs_content_recommender_finalize;

  recommender_class->name = "content";
  recommender_class->display_name = N_("Content-based");
  recommender_class->fit = cs_content_recommender_fit;
  recommender_class->score = cs_content_recommender_score;
  recommender_class->save_state = cs_content_recommender_save_state;
  recommender_class->load_state = cs_content_recommender_load_state;
  recommender_class->flags = CS_RECOMMENDER_NEEDS_CLIP_CONTENT | CS_RECOMMENDER_RANKS_COLD_CLIPS;

  properties[PROP_TEXT_WEIGHT] =
    g_param_spec_double ("text-weight",
                         _("Text weight"),
                         _("Weight of the clip text (TF-IDF of titles, captions and hashtags)"),
                         0.0, 100.0, CS_CONTENT_DEFAULT_TEXT_WEIGHT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FEATURE_WEIGHT] =
    g_param_spec_double ("feature-weight",
                         _("Feature weight"),
                         _("Weight of the content features of the video (brightness, motion …)"),
                         0.0, 100.0, CS_CONTENT_DEFAULT_FEATURE_WEIGHT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIN_DF] =
    g_param_spec_uint ("min-df",
                       _("Minimum clips per word"),
                       _("A word or word pair counts when at least this many clips use it"),
                       1, 1000000, CS_CONTENT_DEFAULT_MIN_DF,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cs_content_recommender_init (CsContentRecommender *self)
{
  self->text_weight = CS_CONTENT_DEFAULT_TEXT_WEIGHT;
  self->feature_weight = CS_CONTENT_DEFAULT_FEATURE_WEIGHT;
  self->min_df = CS_CONTENT_DEFAULT_MIN_DF;
}

CsRecommender *
cs_content_recommender_new (void)
{
  return g_object_new (CS_TYPE_CONTENT_RECOMMENDER, NULL);
}
