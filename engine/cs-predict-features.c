/* cs-predict-features.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cs-error.h"
#include "cs-predict-features.h"

#define MIN_DF 2

typedef enum
{
  SCALE_CHARS,
  SCALE_EMOJI,
  SCALE_HASHTAGS,
  SCALE_DURATION,
  SCALE_CONTENT,  /* + content index */
} ScaledKind;

struct _CsPredictFeatures
{
  guint       groups;
  GHashTable *vocab;      /* term → column + 1 */
  double     *idf;        /* per text column */
  gint32      n_terms;
  GPtrArray  *names;      /* char*, one per column */
  GArray     *blocks;     /* CsFeatureBlock */
  /* Scaled columns: kind, first column, and the training min and max. */
  GArray     *scaled;     /* Scaled */
  gint32      hour_col, weekday_col, orientation_col;
};

typedef struct
{
  guint  kind;
  gint32 column;
  double min, max;
} Scaled;

static void
block_clear (gpointer data)
{
  g_free (((CsFeatureBlock *) data)->name);
}

void
cs_predict_features_free (CsPredictFeatures *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->vocab, g_hash_table_unref);
  g_free (self->idf);
  g_ptr_array_unref (self->names);
  g_array_unref (self->blocks);
  g_array_unref (self->scaled);
  g_free (self);
}

/* Adds 1 to @key's count in @counts, which owns its keys; takes @key. */
static void
count_term (GHashTable *counts,
            char       *key)
{
  gpointer old = NULL;

  if (g_hash_table_lookup_extended (counts, key, NULL, &old))
    g_hash_table_insert (counts, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (old) + 1));
  else
    g_hash_table_insert (counts, key, GUINT_TO_POINTER (1));
}

/* Every term of a row: tokens, then pairs of adjacent tokens. */
static void
row_terms (const CsTextTokens *tokens,
           GHashTable         *counts) /* term → count (owned keys) */
{
  if (tokens == NULL)
    return;
  for (guint t = 0; t < tokens->tokens->len; t++)
    {
      const char *token = g_ptr_array_index (tokens->tokens, t);
      char *terms[2] = { g_strdup (token), NULL };

      if (t + 1 < tokens->tokens->len)
        terms[1] = g_strconcat (token, " ", (const char *) g_ptr_array_index (tokens->tokens, t + 1), NULL);
      for (guint k = 0; k < 2 && terms[k]; k++)
        count_term (counts, terms[k]);
    }
}

static void
add_block (CsPredictFeatures *self,
           const char        *name,
           gint32             first,
           gint32             n_cols)
{
  CsFeatureBlock block = { g_strdup (name), first, n_cols };

  g_array_append_val (self->blocks, block);
}

static double
raw_value (const CsPredictDataset *ds,
           guint                   row,
           guint                   kind)
{
  const CsTextTokens *t = ds->tokens[row];

  switch (kind)
    {
    case SCALE_CHARS:    return t ? t->n_chars : 0;
    case SCALE_EMOJI:    return t ? t->n_emoji : 0;
    case SCALE_HASHTAGS: return t ? t->n_hashtags : 0;
    case SCALE_DURATION: return ds->duration_s[row];
    default:             return ds->content[(gsize) row * ds->n_content + (kind - SCALE_CONTENT)];
    }
}

static void
add_scaled (CsPredictFeatures      *self,
            const CsPredictDataset *ds,
            const guint            *rows,
            guint                   n_rows,
            guint                   kind,
            const char             *name)
{
  Scaled s = { kind, (gint32) self->names->len, INFINITY, -INFINITY };

  for (guint i = 0; i < n_rows; i++)
    {
      double v = raw_value (ds, rows[i], kind);

      if (isfinite (v))
        {
          s.min = MIN (s.min, v);
          s.max = MAX (s.max, v);
        }
    }
  g_array_append_val (self->scaled, s);
  add_block (self, name, s.column, 1);
  g_ptr_array_add (self->names, g_strdup (name));
}

static int
compare_terms (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Keeps the terms of at least @min_df of the @n_rows rows, in byte order,
 * with their idf. Returns how many rows have a term at all. */
static guint
fit_vocab (CsPredictFeatures   *self,
           CsTextTokens * const *tokens,
           const guint         *rows,
           guint                n_rows,
           guint                min_df)
{
  g_autoptr(GHashTable) df = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  guint n_with_text = 0;

  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      row_terms (tokens[rows ? rows[i] : i], counts);
      n_with_text += g_hash_table_size (counts) > 0;
      g_hash_table_iter_init (&iter, counts);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        count_term (df, g_strdup (key));
    }

  g_hash_table_iter_init (&iter, df);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) >= min_df)
      g_ptr_array_add (kept, key);
  g_ptr_array_sort (kept, compare_terms);

  self->n_terms = (gint32) kept->len;
  self->idf = g_new (double, MAX (kept->len, 1));
  self->vocab = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint t = 0; t < kept->len; t++)
    {
      const char *term = g_ptr_array_index (kept, t);
      guint d = GPOINTER_TO_UINT (g_hash_table_lookup (df, term));

      self->idf[t] = log ((1.0 + n_rows) / (1.0 + d)) + 1.0;
      g_hash_table_insert (self->vocab, g_strdup (term), GINT_TO_POINTER (t + 1));
      g_ptr_array_add (self->names, g_strdup (term));
    }
  return n_with_text;
}

static gboolean
fit_text (CsPredictFeatures      *self,
          const CsPredictDataset *ds,
          const guint            *rows,
          guint                   n_rows,
          GError                **error)
{
  if (fit_vocab (self, ds->tokens, rows, n_rows, MIN_DF) == 0)
    {
      g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                           _("The clips have no words in their titles, captions or hashtags: "
                             "import clip texts or leave the text features out"));
      return FALSE;
    }
  if (self->n_terms > 0)
    add_block (self, "words", 0, self->n_terms);
  add_scaled (self, ds, rows, n_rows, SCALE_CHARS, "text_chars");
  add_scaled (self, ds, rows, n_rows, SCALE_EMOJI, "emoji");
  add_scaled (self, ds, rows, n_rows, SCALE_HASHTAGS, "hashtags");
  return TRUE;
}

static void
add_one_hot (CsPredictFeatures *self,
             const char        *block,
             const char * const *labels,
             guint              n)
{
  add_block (self, block, (gint32) self->names->len, (gint32) n);
  for (guint k = 0; k < n; k++)
    g_ptr_array_add (self->names, g_strdup_printf ("%s=%s", block, labels[k]));
}

CsPredictFeatures *
cs_predict_features_fit (const CsPredictDataset  *ds,
                         guint                    groups,
                         const guint             *rows,
                         guint                    n_rows,
                         GError                 **error)
{
  g_autoptr(CsPredictFeatures) self = g_new0 (CsPredictFeatures, 1);

  self->groups = groups;
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->blocks = g_array_new (FALSE, FALSE, sizeof (CsFeatureBlock));
  g_array_set_clear_func (self->blocks, block_clear);
  self->scaled = g_array_new (FALSE, FALSE, sizeof (Scaled));
  self->hour_col = self->weekday_col = self->orientation_col = -1;

  if ((groups & CS_PREDICT_TEXT) && !fit_text (self, ds, rows, n_rows, error))
    return NULL;

  if (groups & CS_PREDICT_TIME)
    {
      static const char * const hours[] = {
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
        "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23",
      };
      static const char * const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
      guint known = 0;

      for (guint i = 0; i < n_rows; i++)
        known += ds->hour[rows[i]] >= 0;
      if (known == 0)
        {
          g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                               _("No clip has a posting time: import statistics with a posting time "
                                 "or leave the time features out"));
          return NULL;
        }
      self->hour_col = (gint32) self->names->len;
      add_one_hot (self, "hour", hours, 24);
      self->weekday_col = (gint32) self->names->len;
      add_one_hot (self, "weekday", days, 7);
    }

  if (groups & CS_PREDICT_CONTENT)
    {
      guint known = 0;

      for (guint j = 0; j < ds->n_content; j++)
        for (guint i = 0; i < n_rows; i++)
          known += isfinite (ds->content[(gsize) rows[i] * ds->n_content + j]);
      if (known == 0)
        {
          g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                               _("No clip has content features: import the video files so Clipscope "
                                 "can analyse them, or leave the content features out"));
          return NULL;
        }
      for (guint j = 0; j < ds->n_content; j++)
        add_scaled (self, ds, rows, n_rows, SCALE_CONTENT + j, ds->content_names[j]);
    }

  if (groups & CS_PREDICT_DURATION)
    {
      static const char * const orientations[] = { "landscape", "square", "vertical" };
      guint known = 0;

      for (guint i = 0; i < n_rows; i++)
        known += isfinite (ds->duration_s[rows[i]]) || ds->orientation[rows[i]] >= 0;
      if (known == 0)
        {
          g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                               _("No clip has a known duration or picture size: import the video files "
                                 "or leave the duration features out"));
          return NULL;
        }
      add_scaled (self, ds, rows, n_rows, SCALE_DURATION, "duration_s");
      self->orientation_col = (gint32) self->names->len;
      add_one_hot (self, "orientation", orientations, 3);
    }

  if (self->names->len == 0)
    {
      g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                           _("The chosen features give no columns: choose more feature groups"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

typedef struct
{
  gint32 col;
  float  value;
} Entry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *x = a, *y = b;

  return (x->col > y->col) - (x->col < y->col);
}

static void
push (GArray *entries,
      gint32  col,
      double  value)
{
  Entry e = { col, (float) value };

  if (value != 0.0)
    g_array_append_val (entries, e);
}

/* Appends the L2-normalised TF-IDF entries of one row's @tokens. */
static void
text_row (const CsPredictFeatures *self,
          const CsTextTokens      *tokens,
          GArray                  *row_entries)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;
  double norm = 0;
  guint start = row_entries->len;

  row_terms (tokens, counts);
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint col = GPOINTER_TO_INT (g_hash_table_lookup (self->vocab, key)) - 1;
      double w;

      if (col < 0)
        continue;
      w = GPOINTER_TO_UINT (value) * self->idf[col];
      norm += w * w;
      push (row_entries, col, w);
    }
  norm = sqrt (norm);
  for (guint k = start; k < row_entries->len; k++)
    {
      Entry *e = &g_array_index (row_entries, Entry, k);

      e->value = (float) (e->value / norm);
    }
}

CsCsr *
cs_predict_features_transform (const CsPredictFeatures *self,
                               const CsPredictDataset  *ds,
                               const guint             *rows,
                               guint                    n_rows)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autoptr(GArray) row_entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autofree gint32 *row_ptr = g_new0 (gint32, n_rows + 1);
  CsCsr *out;

  for (guint i = 0; i < n_rows; i++)
    {
      guint r = rows[i];

      g_array_set_size (row_entries, 0);
      if (self->vocab != NULL)
        text_row (self, ds->tokens[r], row_entries);
      for (guint s = 0; s < self->scaled->len; s++)
        {
          const Scaled *sc = &g_array_index (self->scaled, Scaled, s);
          double v = raw_value (ds, r, sc->kind);

          if (!isfinite (v) || !(sc->max > sc->min))
            continue;
          push (row_entries, sc->column, CLAMP ((v - sc->min) / (sc->max - sc->min), 0.0, 1.0));
        }
      if (self->hour_col >= 0 && ds->hour[r] >= 0 && ds->hour[r] < 24)
        push (row_entries, self->hour_col + ds->hour[r], 1.0);
      if (self->weekday_col >= 0 && ds->weekday[r] >= 0 && ds->weekday[r] < 7)
        push (row_entries, self->weekday_col + ds->weekday[r], 1.0);
      if (self->orientation_col >= 0 && ds->orientation[r] >= 0 && ds->orientation[r] < 3)
        push (row_entries, self->orientation_col + ds->orientation[r], 1.0);

      g_array_sort (row_entries, compare_entries);
      g_array_append_vals (all, row_entries->data, row_entries->len);
      row_ptr[i + 1] = (gint32) all->len;
    }

  out = cs_csr_new ((gint32) n_rows, (gint32) self->names->len, (gint32) all->len);
  memcpy (out->row_ptr, row_ptr, (n_rows + 1) * sizeof (gint32));
  for (guint k = 0; k < all->len; k++)
    {
      out->col_idx[k] = g_array_index (all, Entry, k).col;
      out->values[k] = g_array_index (all, Entry, k).value;
    }
  return out;
}

gint32
cs_predict_features_get_n_cols (const CsPredictFeatures *self)
{
  return (gint32) self->names->len;
}

const char *
cs_predict_features_get_name (const CsPredictFeatures *self,
                              gint32                   column)
{
  g_return_val_if_fail (column >= 0 && column < (gint32) self->names->len, NULL);
  return g_ptr_array_index (self->names, column);
}

const CsFeatureBlock *
cs_predict_features_get_blocks (const CsPredictFeatures *self,
                                guint                   *n_blocks)
{
  *n_blocks = self->blocks->len;
  return (const CsFeatureBlock *) (gpointer) self->blocks->data;
}

CsCsr *
cs_text_tfidf (CsTextTokens * const *tokens,
               guint                n_rows,
               guint                min_df)
{
  g_autoptr(CsPredictFeatures) self = g_new0 (CsPredictFeatures, 1);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autofree gint32 *row_ptr = g_new0 (gint32, n_rows + 1);
  CsCsr *out;

  g_return_val_if_fail (tokens != NULL || n_rows == 0, NULL);

  self->names = g_ptr_array_new_with_free_func (g_free);
  self->blocks = g_array_new (FALSE, FALSE, sizeof (CsFeatureBlock));
  g_array_set_clear_func (self->blocks, block_clear);
  self->scaled = g_array_new (FALSE, FALSE, sizeof (Scaled));
  fit_vocab (self, tokens, NULL, n_rows, MAX (min_df, 1));

  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(GArray) row = g_array_new (FALSE, FALSE, sizeof (Entry));

      text_row (self, tokens[i], row);
      g_array_sort (row, compare_entries);
      g_array_append_vals (all, row->data, row->len);
      row_ptr[i + 1] = (gint32) all->len;
    }

  out = cs_csr_new ((gint32) n_rows, self->n_terms, (gint32) all->len);
  memcpy (out->row_ptr, row_ptr, (n_rows + 1) * sizeof (gint32));
  for (guint k = 0; k < all->len; k++)
    {
      out->col_idx[k] = g_array_index (all, Entry, k).col;
      out->values[k] = g_array_index (all, Entry, k).value;
    }
  return out;
}
