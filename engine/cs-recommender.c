/* cs-recommender.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "cs-bpr.h"
#include "cs-content-recommender.h"
#include "cs-ease.h"
#include "cs-error.h"
#include "cs-ials.h"
#include "cs-item-knn.h"
#include "cs-metrics.h"
#include "cs-popularity.h"
#include "cs-recommender.h"
#include "cs-recommender-private.h"
#include "cs-user-knn.h"

typedef struct
{
  const CsCsr *train;
  gboolean     fitted;
  /* Clips without a training pair, ascending: not candidates (see
   * cs_recommender_recommend). */
  GArray      *cold;
  CsClipContent *content;
  CsCsr       *owned_train;  /* a loaded model's training matrix */
} CsRecommenderPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CsRecommender, cs_recommender, G_TYPE_OBJECT)

/* Hyperparameters are the properties subclasses install. */
static GParamSpec **
list_params (CsRecommender *self,
             guint         *n_params)
{
  g_autofree GParamSpec **all = NULL;
  GParamSpec **params;
  guint n_all = 0, n = 0;

  all = g_object_class_list_properties (G_OBJECT_GET_CLASS (self), &n_all);
  params = g_new0 (GParamSpec *, n_all + 1);
  for (guint i = 0; i < n_all; i++)
    if (all[i]->owner_type != CS_TYPE_RECOMMENDER &&
        g_type_is_a (all[i]->owner_type, CS_TYPE_RECOMMENDER) &&
        (all[i]->flags & G_PARAM_READWRITE) == G_PARAM_READWRITE)
      params[n++] = all[i];

  /* Sorted by name so stored JSON and labels never depend on hash order. */
  for (guint a = 1; a < n; a++)
    for (guint b = a; b > 0 && strcmp (params[b - 1]->name, params[b]->name) > 0; b--)
      {
        GParamSpec *tmp = params[b];
        params[b] = params[b - 1];
        params[b - 1] = tmp;
      }

  *n_params = n;
  return params;
}

/* Property names use '-', stored keys '_' (JSON friendly). */
static char *
key_from_property (const char *name)
{
  char *key = g_strdup (name);

  g_strdelimit (key, "-", '_');
  return key;
}

static char *
value_to_text (const GValue *value)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_UINT:
      return g_strdup_printf ("%u", g_value_get_uint (value));
    case G_TYPE_INT:
      return g_strdup_printf ("%d", g_value_get_int (value));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", g_value_get_double (value)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (g_value_get_boolean (value) ? "true" : "false");
    case G_TYPE_STRING:
      return g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
    default:
      return g_strdup ("?");
    }
}

static void
cs_recommender_finalize (GObject *object)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (CS_RECOMMENDER (object));

  g_clear_pointer (&priv->cold, g_array_unref);
  g_clear_pointer (&priv->content, cs_clip_content_unref);
  g_clear_pointer (&priv->owned_train, cs_csr_free);

  G_OBJECT_CLASS (cs_recommender_parent_class)->finalize (object);
}

static void cs_recommender_real_score_many (CsRecommender *self,
                                            const gint32  *viewers,
                                            guint          n_viewers,
                                            float         *scores);

static void
cs_recommender_class_init (CsRecommenderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cs_recommender_finalize;
  klass->score_many = cs_recommender_real_score_many;
}

static void
cs_recommender_init (CsRecommender *self)
{
}

const char *
cs_recommender_get_name (CsRecommender *self)
{
  g_return_val_if_fail (CS_IS_RECOMMENDER (self), NULL);
  return CS_RECOMMENDER_GET_CLASS (self)->name;
}

const char *
cs_recommender_get_display_name (CsRecommender *self)
{
  CsRecommenderClass *klass;

  g_return_val_if_fail (CS_IS_RECOMMENDER (self), NULL);

  klass = CS_RECOMMENDER_GET_CLASS (self);
  return klass->display_name ? _(klass->display_name) : klass->name;
}

char *
cs_recommender_get_label (CsRecommender *self)
{
  CsRecommenderClass *klass;
  g_autofree GParamSpec **params = NULL;
  g_autoptr(GString) label = NULL;
  guint n = 0;

  g_return_val_if_fail (CS_IS_RECOMMENDER (self), NULL);

  klass = CS_RECOMMENDER_GET_CLASS (self);
  if (klass->get_label)
    return klass->get_label (self);

  label = g_string_new (cs_recommender_get_display_name (self));
  params = list_params (self, &n);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *text = NULL;
      g_autofree char *key = key_from_property (params[i]->name);

      g_value_init (&value, params[i]->value_type);
      g_object_get_property (G_OBJECT (self), params[i]->name, &value);
      text = value_to_text (&value);
      g_string_append_printf (label, "%s%s=%s", i == 0 ? " (" : ", ", key, text);
    }
  if (n > 0)
    g_string_append_c (label, ')');
  return g_string_free (g_steal_pointer (&label), FALSE);
}

char *
cs_recommender_get_params_json (CsRecommender *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree GParamSpec **params = NULL;
  guint n = 0;

  g_return_val_if_fail (CS_IS_RECOMMENDER (self), NULL);

  params = list_params (self, &n);
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *key = key_from_property (params[i]->name);

      g_value_init (&value, params[i]->value_type);
      g_object_get_property (G_OBJECT (self), params[i]->name, &value);
      json_builder_set_member_name (builder, key);
      switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (&value)))
        {
        case G_TYPE_UINT:
          json_builder_add_int_value (builder, g_value_get_uint (&value));
          break;
        case G_TYPE_INT:
          json_builder_add_int_value (builder, g_value_get_int (&value));
          break;
        case G_TYPE_DOUBLE:
          json_builder_add_double_value (builder, g_value_get_double (&value));
          break;
        case G_TYPE_BOOLEAN:
          json_builder_add_boolean_value (builder, g_value_get_boolean (&value));
          break;
        default:
          {
            g_autofree char *text = value_to_text (&value);

            json_builder_add_string_value (builder, text);
          }
          break;
        }
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static GParamSpec *
find_param (CsRecommender *self,
            const char    *key)
{
  g_autofree GParamSpec **params = NULL;
  g_autofree char *wanted = key_from_property (key);
  guint n = 0;

  params = list_params (self, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = key_from_property (params[i]->name);

      if (g_ascii_strcasecmp (name, wanted) == 0)
        return params[i];
    }
  return NULL;
}

static char *
list_param_keys (CsRecommender *self)
{
  g_autofree GParamSpec **params = NULL;
  g_autoptr(GString) keys = g_string_new (NULL);
  guint n = 0;

  params = list_params (self, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = key_from_property (params[i]->name);

      g_string_append_printf (keys, "%s%s", i ? ", " : "", key);
    }
  return g_string_free (g_steal_pointer (&keys), FALSE);
}

gboolean
cs_recommender_set_param (CsRecommender  *self,
                          const char     *key,
                          const char     *value,
                          GError        **error)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;
  const char *model;
  GParamSpec *pspec;
  char *end = NULL;

  g_return_val_if_fail (CS_IS_RECOMMENDER (self), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  model = cs_recommender_get_display_name (self);
  pspec = find_param (self, key);
  if (pspec == NULL)
    {
      g_autofree char *keys = list_param_keys (self);

      if (*keys == '\0')
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                     _("%s has no settings (got “%s”)"), model, key);
      else
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                     _("%s has no setting “%s”; its settings are: %s"), model, key, keys);
      return FALSE;
    }

  g_value_init (&gvalue, pspec->value_type);
  errno = 0;
  switch (G_TYPE_FUNDAMENTAL (pspec->value_type))
    {
    case G_TYPE_UINT:
      {
        GParamSpecUInt *p = G_PARAM_SPEC_UINT (pspec);
        guint64 v = 0;

        if (!g_ascii_string_to_unsigned (value, 10, p->minimum, p->maximum, &v, NULL))
          {
            g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                         _("%s: “%s” must be a whole number from %u to %u (got “%s”)"),
                         model, key, p->minimum, p->maximum, value);
            return FALSE;
          }
        g_value_set_uint (&gvalue, (guint) v);
      }
      break;
    case G_TYPE_INT:
      {
        GParamSpecInt *p = G_PARAM_SPEC_INT (pspec);
        gint64 v = 0;

        if (!g_ascii_string_to_signed (value, 10, p->minimum, p->maximum, &v, NULL))
          {
            g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                         _("%s: “%s” must be a whole number from %d to %d (got “%s”)"),
                         model, key, p->minimum, p->maximum, value);
            return FALSE;
          }
        g_value_set_int (&gvalue, (gint) v);
      }
      break;
    case G_TYPE_DOUBLE:
      {
        GParamSpecDouble *p = G_PARAM_SPEC_DOUBLE (pspec);
        double v = g_ascii_strtod (value, &end);

        if (end == value || *end != '\0' || errno != 0 || !(v >= p->minimum && v <= p->maximum))
          {
            g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                         _("%s: “%s” must be a number from %g to %g (got “%s”)"),
                         model, key, p->minimum, p->maximum, value);
            return FALSE;
          }
        g_value_set_double (&gvalue, v);
      }
      break;
    case G_TYPE_BOOLEAN:
      if (g_ascii_strcasecmp (value, "true") == 0 || strcmp (value, "1") == 0 ||
          g_ascii_strcasecmp (value, "yes") == 0)
        g_value_set_boolean (&gvalue, TRUE);
      else if (g_ascii_strcasecmp (value, "false") == 0 || strcmp (value, "0") == 0 ||
               g_ascii_strcasecmp (value, "no") == 0)
        g_value_set_boolean (&gvalue, FALSE);
      else
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("%s: “%s” must be true or false (got “%s”)"), model, key, value);
          return FALSE;
        }
      break;
    case G_TYPE_STRING:
      g_value_set_string (&gvalue, value);
      break;
    default:
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("%s: “%s” cannot be set from text"), model, key);
      return FALSE;
    }

  g_object_set_property (G_OBJECT (self), pspec->name, &gvalue);
  return TRUE;
}

static void
set_fitted (CsRecommender *self,
            const CsCsr   *train)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);

  priv->train = train;
  priv->fitted = TRUE;

  /* A clip nobody watched in training can never be a test hit for a model
   * that learns from the pairs alone (leave-last-out keeps such test pairs,
   * the other protocols drop them), and coverage counts against the
   * training clips: so their ranked catalogue is the training clips. Models
   * that score from the clips' content (CS_RECOMMENDER_RANKS_COLD_CLIPS)
   * rank them too. */
  {
    g_autofree guint8 *watched = g_new0 (guint8, MAX (train->n_cols, 1));

    for (gint64 i = 0; i < train->row_ptr[train->n_rows]; i++)
      watched[train->col_idx[i]] = 1;
    g_clear_pointer (&priv->cold, g_array_unref);
    priv->cold = g_array_new (FALSE, FALSE, sizeof (gint32));
    if (!(CS_RECOMMENDER_GET_CLASS (self)->flags & CS_RECOMMENDER_RANKS_COLD_CLIPS))
      for (gint32 j = 0; j < train->n_cols; j++)
        if (!watched[j])
          g_array_append_val (priv->cold, j);
  }
}

gboolean
cs_recommender_fit (CsRecommender   *self,
                    const CsCsr     *train,
                    CsProgressFunc   progress,
                    gpointer         progress_data,
                    GCancellable    *cancellable,
                    GError         **error)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);

  g_return_val_if_fail (CS_IS_RECOMMENDER (self), FALSE);
  g_return_val_if_fail (train != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  priv->fitted = FALSE;
  priv->train = NULL;
  g_clear_pointer (&priv->owned_train, cs_csr_free);
  if ((CS_RECOMMENDER_GET_CLASS (self)->flags & CS_RECOMMENDER_NEEDS_CLIP_CONTENT) &&
      (priv->content == NULL || cs_clip_content_get_n_clips (priv->content) != (guint) train->n_cols))
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("%s needs the clips’ texts and features, and none were given for these clips"),
                   cs_recommender_get_display_name (self));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!CS_RECOMMENDER_GET_CLASS (self)->fit (self, train, progress, progress_data,
                                             cancellable, error))
    return FALSE;
  set_fitted (self, train);
  return TRUE;
}

gboolean
cs_recommender_is_fitted (CsRecommender *self)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);

  g_return_val_if_fail (CS_IS_RECOMMENDER (self), FALSE);
  return priv->fitted;
}

const CsCsr *
cs_recommender_get_train (CsRecommender *self)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);

  g_return_val_if_fail (CS_IS_RECOMMENDER (self), NULL);
  return priv->train;
}

gint32
cs_recommender_get_n_clips (CsRecommender *self)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);

  g_return_val_if_fail (CS_IS_RECOMMENDER (self), 0);
  return priv->train ? priv->train->n_cols : 0;
}

void
cs_recommender_score (CsRecommender *self,
                      gint32         viewer,
                      float         *scores)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);

  g_return_if_fail (CS_IS_RECOMMENDER (self));
  g_return_if_fail (priv->fitted);
  g_return_if_fail (viewer >= 0 && viewer < priv->train->n_rows);
  g_return_if_fail (scores != NULL);

  CS_RECOMMENDER_GET_CLASS (self)->score (self, viewer, scores);
}

/* The top @k of @scores among the clips @viewer has not seen (nor cold ones). */
static guint
rank_unseen (CsRecommender *self,
             gint32         viewer,
             float         *scores,
             guint          k,
             gint32        *out)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);
  const CsCsr *train = priv->train;

  if (priv->cold->len == 0)
    return cs_rank_top_k (scores, train->n_cols,
                          &train->col_idx[train->row_ptr[viewer]],
                          (guint) cs_csr_row_length (train, viewer),
                          k, out);

  {
    /* Leave out the viewer's training clips and the cold clips: merge the
     * two ascending lists (they never share a clip). */
    const gint32 *seen = &train->col_idx[train->row_ptr[viewer]];
    guint n_seen = (guint) cs_csr_row_length (train, viewer);
    const gint32 *cold = (const gint32 *) (gpointer) priv->cold->data;
    guint n_cold = priv->cold->len;
    g_autofree gint32 *excluded = g_new (gint32, n_seen + n_cold);
    guint a = 0, b = 0, n = 0;

    while (a < n_seen || b < n_cold)
      {
        if (b == n_cold || (a < n_seen && seen[a] < cold[b]))
          excluded[n++] = seen[a++];
        else
          excluded[n++] = cold[b++];
      }
    return cs_rank_top_k (scores, train->n_cols, excluded, n, k, out);
  }
}

guint
cs_recommender_recommend (CsRecommender *self,
                          gint32         viewer,
                          guint          k,
                          float         *scratch,
                          gint32        *out)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);

  g_return_val_if_fail (CS_IS_RECOMMENDER (self), 0);
  g_return_val_if_fail (priv->fitted, 0);
  g_return_val_if_fail (viewer >= 0 && viewer < priv->train->n_rows, 0);

  CS_RECOMMENDER_GET_CLASS (self)->score (self, viewer, scratch);
  return rank_unseen (self, viewer, scratch, k, out);
}

static void
cs_recommender_real_score_many (CsRecommender *self,
                                const gint32  *viewers,
                                guint          n_viewers,
                                float         *scores)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);

  for (guint i = 0; i < n_viewers; i++)
    CS_RECOMMENDER_GET_CLASS (self)->score (self, viewers[i], &scores[(gsize) i * priv->train->n_cols]);
}

void
cs_recommender_recommend_many (CsRecommender *self,
                               const gint32  *viewers,
                               guint          n_viewers,
                               guint          k,
                               float         *scratch,
                               gint32        *out,
                               guint         *n_out)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);
  gsize n_clips;

  g_return_if_fail (CS_IS_RECOMMENDER (self));
  g_return_if_fail (priv->fitted);
  g_return_if_fail (n_viewers <= CS_RECOMMENDER_MAX_BATCH);
  for (guint i = 0; i < n_viewers; i++)
    g_return_if_fail (viewers[i] >= 0 && viewers[i] < priv->train->n_rows);

  n_clips = (gsize) priv->train->n_cols;
  CS_RECOMMENDER_GET_CLASS (self)->score_many (self, viewers, n_viewers, scratch);
  for (guint i = 0; i < n_viewers; i++)
    n_out[i] = rank_unseen (self, viewers[i], &scratch[i * n_clips], k, &out[(gsize) i * k]);
}

void
cs_recommender_set_clip_content (CsRecommender *self,
                                 CsClipContent *content)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);

  g_return_if_fail (CS_IS_RECOMMENDER (self));

  if (content)
    cs_clip_content_ref (content);
  g_clear_pointer (&priv->content, cs_clip_content_unref);
  priv->content = content;
}

CsClipContent *
cs_recommender_get_clip_content (CsRecommender *self)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);

  g_return_val_if_fail (CS_IS_RECOMMENDER (self), NULL);
  return priv->content;
}

gboolean
cs_recommender_needs_clip_content (CsRecommender *self)
{
  g_return_val_if_fail (CS_IS_RECOMMENDER (self), FALSE);
  return (CS_RECOMMENDER_GET_CLASS (self)->flags & CS_RECOMMENDER_NEEDS_CLIP_CONTENT) != 0;
}

gboolean
cs_recommender_ranks_cold_clips (CsRecommender *self)
{
  g_return_val_if_fail (CS_IS_RECOMMENDER (self), FALSE);
  return (CS_RECOMMENDER_GET_CLASS (self)->flags & CS_RECOMMENDER_RANKS_COLD_CLIPS) != 0;
}

/* ---- Trained state ------------------------------------------------------ */

void
_cs_state_put_u32 (CsStateWriter *w,
                   guint32        v)
{
  guint32 le = GUINT32_TO_LE (v);

  g_byte_array_append (w->bytes, (const guint8 *) &le, 4);
}

void
_cs_state_put_string (CsStateWriter *w,
                      const char    *s)
{
  gsize len = s ? strlen (s) : 0;

  _cs_state_put_u32 (w, (guint32) len);
  g_byte_array_append (w->bytes, (const guint8 *) (s ? s : ""), (guint) len);
}

void
_cs_state_put_u32s (CsStateWriter *w,
                    const guint32 *v,
                    gsize          n)
{
  gsize start = w->bytes->len;

  g_byte_array_set_size (w->bytes, (guint) (start + n * 4));
  for (gsize i = 0; i < n; i++)
    {
      guint32 le = GUINT32_TO_LE (v[i]);

      memcpy (w->bytes->data + start + i * 4, &le, 4);
    }
}

void
_cs_state_put_i32s (CsStateWriter *w,
                    const gint32  *v,
                    gsize          n)
{
  G_STATIC_ASSERT (sizeof (gint32) == sizeof (guint32));
  _cs_state_put_u32s (w, (const guint32 *) v, n);
}

void
_cs_state_put_f32s (CsStateWriter *w,
                    const float   *v,
                    gsize          n)
{
  G_STATIC_ASSERT (sizeof (float) == sizeof (guint32));
  _cs_state_put_u32s (w, (const guint32 *) (gconstpointer) v, n);
}

void
_cs_state_put_f64s (CsStateWriter *w,
                    const double  *v,
                    gsize          n)
{
  gsize start = w->bytes->len;

  G_STATIC_ASSERT (sizeof (double) == sizeof (guint64));
  g_byte_array_set_size (w->bytes, (guint) (start + n * 8));
  for (gsize i = 0; i < n; i++)
    {
      guint64 bits;

      memcpy (&bits, &v[i], 8);
      bits = GUINT64_TO_LE (bits);
      memcpy (w->bytes->data + start + i * 8, &bits, 8);
    }
}

void
_cs_state_put_csr (CsStateWriter *w,
                   const CsCsr   *m,
                   gboolean       always_values)
{
  gint32 nnz = cs_csr_get_nnz (m);
  gboolean has_values = always_values;

  for (gint32 a = 0; a < nnz && !has_values; a++)
    has_values = m->values[a] != 1.0f;
  _cs_state_put_u32 (w, (guint32) m->n_rows);
  _cs_state_put_u32 (w, (guint32) m->n_cols);
  _cs_state_put_u32 (w, (guint32) nnz);
  _cs_state_put_i32s (w, m->row_ptr, (gsize) m->n_rows + 1);
  _cs_state_put_i32s (w, m->col_idx, (gsize) nnz);
  _cs_state_put_u32 (w, has_values);
  if (has_values)
    _cs_state_put_f32s (w, m->values, (gsize) nnz);
}

static gboolean
state_damaged (CsStateReader  *r,
               GError        **error)
{
  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
               _("The kept state of %s is damaged or from another version of Clipscope: "
                 "run the comparison again to keep it anew"),
               r->model ? r->model : _("a model"));
  return FALSE;
}

gboolean
_cs_state_check (CsStateReader  *r,
                 gboolean        ok,
                 GError        **error)
{
  return ok ? TRUE : state_damaged (r, error);
}

static gboolean
take (CsStateReader  *r,
      gsize           n_items,
      gsize           item_size,
      const guint8  **out,
      GError        **error)
{
  if (item_size != 0 && n_items > (r->len - r->pos) / item_size)
    return state_damaged (r, error);
  *out = r->data + r->pos;
  r->pos += n_items * item_size;
  return TRUE;
}

gboolean
_cs_state_get_u32 (CsStateReader  *r,
                   guint32        *v,
                   GError        **error)
{
  const guint8 *p = NULL;
  guint32 le;

  if (!take (r, 1, 4, &p, error))
    return FALSE;
  memcpy (&le, p, 4);
  *v = GUINT32_FROM_LE (le);
  return TRUE;
}

gboolean
_cs_state_get_string (CsStateReader  *r,
                      char          **s,
                      GError        **error)
{
  const guint8 *p = NULL;
  guint32 len;

  if (!_cs_state_get_u32 (r, &len, error) || !take (r, len, 1, &p, error))
    return FALSE;
  *s = g_strndup ((const char *) p, len);
  return TRUE;
}

static gboolean
get_u32s (CsStateReader  *r,
          guint32       **v,
          gsize           n,
          GError        **error)
{
  const guint8 *p = NULL;

  if (!take (r, n, 4, &p, error))
    return FALSE;
  *v = g_new (guint32, MAX (n, 1));
  memcpy (*v, p, n * 4);
  for (gsize i = 0; i < n; i++)
    (*v)[i] = GUINT32_FROM_LE ((*v)[i]);
  return TRUE;
}

gboolean
_cs_state_get_i32s (CsStateReader  *r,
                    gint32        **v,
                    gsize           n,
                    GError        **error)
{
  return get_u32s (r, (guint32 **) v, n, error);
}

gboolean
_cs_state_get_f32s (CsStateReader  *r,
                    float         **v,
                    gsize           n,
                    GError        **error)
{
  return get_u32s (r, (guint32 **) (gpointer) v, n, error);
}

gboolean
_cs_state_get_f64s (CsStateReader  *r,
                    double        **v,
                    gsize           n,
                    GError        **error)
{
  const guint8 *p = NULL;

  if (!take (r, n, 8, &p, error))
    return FALSE;
  *v = g_new (double, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      guint64 bits;

      memcpy (&bits, p + i * 8, 8);
      bits = GUINT64_FROM_LE (bits);
      memcpy (&(*v)[i], &bits, 8);
    }
  return TRUE;
}

CsCsr *
_cs_state_get_csr (CsStateReader  *r,
                   GError        **error)
{
  g_autoptr(CsCsr) m = NULL;
  guint32 n_rows, n_cols, nnz, has_values;
  const guint8 *p = NULL;

  if (!_cs_state_get_u32 (r, &n_rows, error) || !_cs_state_get_u32 (r, &n_cols, error) ||
      !_cs_state_get_u32 (r, &nnz, error))
    return NULL;
  if (n_rows > G_MAXINT32 || n_cols > G_MAXINT32 || nnz > G_MAXINT32 ||
      (gsize) n_rows + 1 > (r->len - r->pos) / 4 || nnz > (r->len - r->pos) / 4)
    {
      state_damaged (r, error);
      return NULL;
    }
  m = cs_csr_new ((gint32) n_rows, (gint32) n_cols, (gint32) nnz);
  if (!take (r, (gsize) n_rows + 1, 4, &p, error))
    return NULL;
  for (guint32 i = 0; i <= n_rows; i++)
    {
      guint32 le;

      memcpy (&le, p + (gsize) i * 4, 4);
      m->row_ptr[i] = (gint32) GUINT32_FROM_LE (le);
    }
  if (!take (r, nnz, 4, &p, error))
    return NULL;
  for (guint32 a = 0; a < nnz; a++)
    {
      guint32 le;

      memcpy (&le, p + (gsize) a * 4, 4);
      m->col_idx[a] = (gint32) GUINT32_FROM_LE (le);
    }
  if (!_cs_state_get_u32 (r, &has_values, error))
    return NULL;
  if (has_values)
    {
      if (!take (r, nnz, 4, &p, error))
        return NULL;
      for (guint32 a = 0; a < nnz; a++)
        {
          guint32 le;

          memcpy (&le, p + (gsize) a * 4, 4);
          le = GUINT32_FROM_LE (le);
          memcpy (&m->values[a], &le, 4);
        }
    }
  else
    for (guint32 a = 0; a < nnz; a++)
      m->values[a] = 1.0f;

  /* Everything score() indexes with must be in range. */
  if (m->row_ptr[0] != 0 || m->row_ptr[n_rows] != (gint32) nnz)
    {
      state_damaged (r, error);
      return NULL;
    }
  for (guint32 i = 0; i < n_rows; i++)
    {
      if (m->row_ptr[i + 1] < m->row_ptr[i])
        {
          state_damaged (r, error);
          return NULL;
        }
      for (gint32 a = m->row_ptr[i]; a < m->row_ptr[i + 1]; a++)
        if (m->col_idx[a] < 0 || m->col_idx[a] >= (gint32) n_cols ||
            (a > m->row_ptr[i] && m->col_idx[a] <= m->col_idx[a - 1]))
          {
            state_damaged (r, error);
            return NULL;
          }
    }
  return g_steal_pointer (&m);
}

#define STATE_MAGIC "CSMS"

GBytes *
cs_recommender_save_state (CsRecommender  *self,
                           GError        **error)
{
  CsRecommenderPrivate *priv = cs_recommender_get_instance_private (self);
  CsRecommenderClass *klass;
  g_autofree char *params = NULL;
  CsStateWriter writer;

  g_return_val_if_fail (CS_IS_RECOMMENDER (self), NULL);

  klass = CS_RECOMMENDER_GET_CLASS (self);
  if (!priv->fitted || klass->save_state == NULL)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   priv->fitted ? _("%s cannot keep its trained state")
                                : _("%s is not trained yet, so it has no state to keep"),
                   cs_recommender_get_display_name (self));
      return NULL;
    }

  writer.bytes = g_byte_array_new ();
  g_byte_array_append (writer.bytes, (const guint8 *) STATE_MAGIC, 4);
  _cs_state_put_u32 (&writer, CS_RECOMMENDER_STATE_VERSION);
  _cs_state_put_string (&writer, klass->name);
  params = cs_recommender_get_params_json (self);
  _cs_state_put_string (&writer, params);
  _cs_state_put_csr (&writer, priv->train, FALSE);
  if (!klass->save_state (self, &writer, error))
    {
      g_byte_array_unref (writer.bytes);
      return NULL;
    }
  return g_byte_array_free_to_bytes (writer.bytes);
}

CsRecommender *
cs_recommender_load_state (GBytes  *state,
                           GError **error)
{
  g_autoptr(CsRecommender) model = NULL;
  g_autoptr(CsCsr) train = NULL;
  g_autofree char *name = NULL;
  g_autofree char *params = NULL;
  CsRecommenderPrivate *priv;
  CsRecommenderClass *klass;
  CsStateReader reader = { 0 };
  guint32 version = 0;
  gsize len = 0;

  g_return_val_if_fail (state != NULL, NULL);

  reader.data = g_bytes_get_data (state, &len);
  reader.len = len;
  if (len < 4 || memcmp (reader.data, STATE_MAGIC, 4) != 0)
    {
      state_damaged (&reader, error);
      return NULL;
    }
  reader.pos = 4;
  if (!_cs_state_get_u32 (&reader, &version, error))
    return NULL;
  if (version != CS_RECOMMENDER_STATE_VERSION)
    {
      state_damaged (&reader, error);
      return NULL;
    }
  if (!_cs_state_get_string (&reader, &name, error) ||
      !_cs_state_get_string (&reader, &params, error))
    return NULL;

  model = cs_recommender_new_from_json (name, params, error);
  if (model == NULL)
    return NULL;
  klass = CS_RECOMMENDER_GET_CLASS (model);
  reader.model = cs_recommender_get_display_name (model);
  if (klass->load_state == NULL)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("%s cannot keep its trained state"), reader.model);
      return NULL;
    }
  train = _cs_state_get_csr (&reader, error);
  if (train == NULL)
    return NULL;
  if (!klass->load_state (model, train, &reader, error))
    return NULL;
  if (reader.pos != reader.len)
    {
      state_damaged (&reader, error);
      return NULL;
    }

  priv = cs_recommender_get_instance_private (model);
  priv->owned_train = g_steal_pointer (&train);
  set_fitted (model, priv->owned_train);
  return g_steal_pointer (&model);
}

gboolean
cs_recommender_store_state (CsStore  *store,
                            gint64    run_id,
                            GBytes   *state,
                            GError  **error)
{
  sqlite3_stmt *stmt;
  gsize len = 0;
  gconstpointer data;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  data = g_bytes_get_data (state, &len);
  stmt = cs_store_prepare (store,
                           "INSERT OR REPLACE INTO model_states (run_id, format, bytes) VALUES (?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_text (stmt, 2, CS_RECOMMENDER_STATE_FORMAT, -1, SQLITE_STATIC);
  sqlite3_bind_blob64 (stmt, 3, data ? data : "", len, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("Could not keep the trained model"));
  return TRUE;
}

CsRecommender *
cs_recommender_load_from_run (CsStore  *store,
                              gint64    run_id,
                              GError  **error)
{
  g_autoptr(GBytes) state = NULL;
  g_autofree char *format = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  stmt = cs_store_prepare (store, "SELECT format, bytes FROM model_states WHERE run_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      format = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      state = g_bytes_new (sqlite3_column_blob (stmt, 1), (gsize) sqlite3_column_bytes (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("Could not read the kept model"));
      return NULL;
    }
  if (state == NULL)
    {
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                   _("This comparison did not keep its trained models: run it again with "
                     "“Keep trained models” (clipscope-cli evaluate --keep-models)"));
      return NULL;
    }
  if (g_strcmp0 (format, CS_RECOMMENDER_STATE_FORMAT) != 0)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("This model was kept in a format this version of Clipscope cannot read "
                     "(“%s”): run the comparison again"), format ? format : "");
      return NULL;
    }
  return cs_recommender_load_state (state, error);
}

/* ---- Factory ------------------------------------------------------------ */

static const struct
{
  const char *name;
  GType     (*get_type) (void);
} registry[] = {
  { "pop",        cs_popularity_get_type },
  { "popularity", cs_popularity_get_type },
  { "itemknn",    cs_item_knn_get_type },
  { "item-knn",   cs_item_knn_get_type },
  { "userknn",    cs_user_knn_get_type },
  { "user-knn",   cs_user_knn_get_type },
  { "ease",       cs_ease_get_type },
  { "ials",       cs_ials_get_type },
  { "wrmf",       cs_ials_get_type },
  { "bpr",        cs_bpr_get_type },
  { "content",    cs_content_recommender_get_type },
};

const char * const *
cs_recommender_list_names (void)
{
  static const char * const names[] = { "pop", "itemknn", "userknn", "ease", "ials", "bpr", "content", NULL };

  return names;
}

static GMutex extra_lock;
static GHashTable *extra_models;  /* lower-case name → GType */

void
cs_recommender_register (const char *name,
                         GType       type)
{
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (g_type_is_a (type, CS_TYPE_RECOMMENDER));

  for (guint i = 0; i < G_N_ELEMENTS (registry); i++)
    g_return_if_fail (g_ascii_strcasecmp (name, registry[i].name) != 0);

  g_mutex_lock (&extra_lock);
  if (extra_models == NULL)
    extra_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_replace (extra_models, g_ascii_strdown (name, -1), GSIZE_TO_POINTER (type));
  g_mutex_unlock (&extra_lock);
}

static CsRecommender *
new_by_name (const char  *name,
             GError     **error)
{
  GType extra = G_TYPE_INVALID;

  for (guint i = 0; i < G_N_ELEMENTS (registry); i++)
    if (g_ascii_strcasecmp (name, registry[i].name) == 0)
      return g_object_new (registry[i].get_type (), NULL);

  g_mutex_lock (&extra_lock);
  if (extra_models != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);

      extra = GPOINTER_TO_SIZE (g_hash_table_lookup (extra_models, lower));
    }
  g_mutex_unlock (&extra_lock);
  if (extra != G_TYPE_INVALID)
    return g_object_new (extra, NULL);

  {
    g_autofree char *names = g_strjoinv (", ", (char **) cs_recommender_list_names ());

    g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_UNKNOWN_MODEL,
                 _("Unknown model “%s”; the models are: %s"), name, names);
  }
  return NULL;
}

CsRecommender *
cs_recommender_new_from_spec (const char  *spec,
                              GError     **error)
{
  g_autofree char *copy = NULL;
  g_autoptr(CsRecommender) model = NULL;
  g_auto(GStrv) settings = NULL;
  char *colon;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = g_strstrip (g_strdup (spec));
  colon = strchr (copy, ':');
  if (colon)
    *colon = '\0';
  g_strstrip (copy);
  if (*copy == '\0')
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_UNKNOWN_MODEL,
                   _("A model spec has no model name (got “%s”)"), spec);
      return NULL;
    }

  model = new_by_name (copy, error);
  if (model == NULL)
    return NULL;
  if (colon == NULL)
    return g_steal_pointer (&model);

  settings = g_strsplit (colon + 1, ",", -1);
  for (guint i = 0; settings[i]; i++)
    {
      char *setting = g_strstrip (settings[i]);
      char *eq = strchr (setting, '=');

      if (*setting == '\0')
        continue;
      if (eq == NULL)
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("%s: settings are written NAME=VALUE, as in “itemknn:k=100” (got “%s”)"),
                       cs_recommender_get_display_name (model), setting);
          return NULL;
        }
      *eq = '\0';
      if (!cs_recommender_set_param (model, g_strstrip (setting), g_strstrip (eq + 1), error))
        return NULL;
    }
  return g_steal_pointer (&model);
}

GPtrArray *
cs_recommender_parse_models (const char  *spec,
                             GError     **error)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  parts = g_strsplit (spec, ";", -1);
  for (guint i = 0; parts[i]; i++)
    {
      CsRecommender *model;

      if (*g_strstrip (parts[i]) == '\0')
        continue;
      model = cs_recommender_new_from_spec (parts[i], error);
      if (model == NULL)
        return NULL;
      g_ptr_array_add (models, model);
    }

  if (models->len == 0)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_UNKNOWN_MODEL,
                   _("No models given; list them as in “pop;itemknn:k=100”"));
      return NULL;
    }
  return g_steal_pointer (&models);
}

CsRecommender *
cs_recommender_new_from_json (const char  *name,
                              const char  *params_json,
                              GError     **error)
{
  g_autoptr(CsRecommender) model = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  model = new_by_name (name, error);
  if (model == NULL)
    return NULL;
  if (params_json == NULL || *params_json == '\0')
    return g_steal_pointer (&model);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, params_json, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("%s: stored settings are not a JSON object"),
                   cs_recommender_get_display_name (model));
      return NULL;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      g_autofree char *text = NULL;

      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            text = g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
          }
          break;
        case G_TYPE_BOOLEAN:
          text = g_strdup (json_node_get_boolean (node) ? "true" : "false");
          break;
        default:
          text = g_strdup (json_node_get_string (node));
          break;
        }
      if (text && !cs_recommender_set_param (model, l->data, text, error))
        return NULL;
    }
  return g_steal_pointer (&model);
}
