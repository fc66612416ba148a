/* cs-frame-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "cs-error.h"
#include "cs-frame-sampler.h"
#include "cs-frame-set.h"
#include "cs-media-probe.h"

static void
skip_free (CsFrameSetSkip *skip)
{
  g_free (skip->reason);
  g_free (skip);
}

void
cs_frame_set_info_free (CsFrameSetInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->skipped, g_ptr_array_unref);
  g_free (info);
}

void
cs_frame_tensor_free (CsFrameTensor *tensor)
{
  if (tensor == NULL)
    return;
  g_free (tensor->data);
  g_free (tensor->labels);
  g_free (tensor->clip_ids);
  g_free (tensor);
}

gboolean
cs_frame_set_size_supported (int size)
{
  return size == 32 || size == 64;
}

static void
add_skip (GPtrArray *skipped, gint64 clip_id, const char *reason)
{
  CsFrameSetSkip *skip = g_new0 (CsFrameSetSkip, 1);

  skip->clip_id = clip_id;
  skip->reason = g_strdup (reason);
  g_ptr_array_add (skipped, skip);
}

static char *
ids_json (GArray *ids)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (ids, gint64, i));
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static GArray *
resolve_clips (CsStore *store, GArray *clip_ids, GError **error)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  if (clip_ids != NULL && clip_ids->len > 0)
    {
      g_array_append_vals (ids, clip_ids->data, clip_ids->len);
      return ids;
    }
  stmt = cs_store_prepare (store, "SELECT id FROM clips WHERE path IS NOT NULL ORDER BY id", error);
  if (stmt == NULL)
    {
      g_array_unref (ids);
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  return ids;
}

/* The centre square of @frame, area-averaged to @size × @size, packed. */
static guint8 *
crop_square (const CsSampledFrame *frame, int size)
{
  int side = MIN (frame->width, frame->height);
  CsSampledFrame view = {
    .width = side,
    .height = side,
    .stride = frame->stride,
    .data = frame->data + (gsize) ((frame->height - side) / 2) * frame->stride +
            3 * ((frame->width - side) / 2),
  };
  g_autoptr(CsSampledFrame) scaled = NULL;
  guint8 *out;

  if (side == size)
    scaled = NULL;
  else
    scaled = cs_sampled_frame_scale (&view, size);
  out = g_malloc ((gsize) 3 * size * size);
  for (int y = 0; y < size; y++)
    {
      /* A frame smaller than @size (never enlarged by the scaler) is
       * repeated nearest-neighbour. */
      const CsSampledFrame *src = scaled ? scaled : &view;
      int sy = (int) ((gint64) y * src->height / size);

      for (int x = 0; x < size; x++)
        {
          int sx = (int) ((gint64) x * src->width / size);

          memcpy (out + 3 * ((gsize) y * size + x), src->data + (gsize) sy * src->stride + 3 * sx, 3);
        }
    }
  return out;
}

typedef struct
{
  gint64  clip_id;
  gint64  time_ms;
  int     label;
  guint8 *rgb;
} Pending;

static void
pending_free (Pending *p)
{
  g_free (p->rgb);
  g_free (p);
}

/* Samples one clip; FALSE with @error when it cannot be decoded. */
static gboolean
sample_clip (const char    *path,
             gint64         clip_id,
             int            size,
             double         rate,
             int            max_per_clip,
             int            label,
             GPtrArray     *pending,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(CsMediaInfo) info = NULL;
  g_autoptr(GPtrArray) frames = NULL;
  g_autofree gint64 *times = NULL;
  guint n = 0;
  int long_side;

  info = cs_media_probe (path, cancellable, error);
  if (info == NULL)
    return FALSE;
  if (info->width <= 0 || info->height <= 0 || info->duration_ms <= 0)
    {
      g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_FAILED,
                   _("The clip has no picture to sample; re-export it as a video file."));
      return FALSE;
    }

  {
    double period_ms = 1000.0 / rate;
    guint want = (guint) MAX (1.0, floor (info->duration_ms / period_ms));

    if (want > (guint) max_per_clip)
      {
        want = max_per_clip;
        period_ms = (double) info->duration_ms / want;
      }
    times = g_new (gint64, want);
    for (guint i = 0; i < want; i++)
      times[n++] = (gint64) ((i + 0.5) * period_ms);
  }

  /* Decode at about twice the size on the short side, so the area average
   * down to @size does the anti-aliasing. */
  long_side = (int) ceil (2.0 * size * MAX (info->width, info->height) / MIN (info->width, info->height));
  frames = cs_frame_sampler_sample (info, times, n, long_side, cancellable, error);
  if (frames == NULL)
    return FALSE;
  for (guint i = 0; i < frames->len; i++)
    {
      const CsSampledFrame *f = g_ptr_array_index (frames, i);
      Pending *p = g_new0 (Pending, 1);

      p->clip_id = clip_id;
      p->time_ms = f->time_ms;
      p->label = label;
      p->rgb = crop_square (f, size);
      g_ptr_array_add (pending, p);
    }
  return TRUE;
}

static char *
skipped_json (GPtrArray *skipped)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < skipped->len; i++)
    {
      CsFrameSetSkip *s = g_ptr_array_index (skipped, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "clip_id");
      json_builder_add_int_value (b, s->clip_id);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, s->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

CsFrameSetInfo *
cs_frame_set_build (CsStore        *store,
                    GArray         *clip_ids,
                    int             size,
                    double          rate,
                    int             max_per_clip,
                    GHashTable     *labels,
                    CsProgressFunc  progress,
                    gpointer        progress_data,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autoptr(CsFrameSetInfo) info = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  g_autoptr(GHashTable) clips_with_frames = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree char *clips = NULL;
  g_autofree char *skipped = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  if (!cs_frame_set_size_supported (size))
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("Frames of %d×%d pixels are not supported; choose 32 or 64."), size, size);
      return NULL;
    }
  if (!(rate > 0.0) || rate > 60.0 || max_per_clip < 1)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("Sample between 0.01 and 60 frames per second, at least one per clip."));
      return NULL;
    }
  ids = resolve_clips (store, clip_ids, error);
  if (ids == NULL)
    return NULL;
  if (ids->len == 0)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("The project has no video clips to sample frames from; import clips first."));
      return NULL;
    }

  info = g_new0 (CsFrameSetInfo, 1);
  info->size = size;
  info->rate = rate;
  info->max_per_clip = max_per_clip;
  info->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) skip_free);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 clip_id = g_array_index (ids, gint64, i);
      g_autofree char *path = NULL;
      g_autoptr(GError) local_error = NULL;
      int label = -1;
      guint before = pending->len;

      if (progress)
        {
          g_autofree char *msg = g_strdup_printf (_("Sampling frames from clip %u of %u"), i + 1, ids->len);

          progress ((double) i / ids->len, msg, progress_data);
        }
      stmt = cs_store_prepare (store, "SELECT path FROM clips WHERE id = ?", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, clip_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
            path = g_strdup ("");
          else
            path = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        }
      sqlite3_reset (stmt);
      if (path == NULL)
        {
          g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                       _("The project has no clip %" PRId64 "; list the clips to see their ids."),
                       clip_id);
          return NULL;
        }
      if (*path == '\0')
        {
          add_skip (info->skipped, clip_id,
                    _("The clip is known only from a log and has no video file; import its video first."));
          continue;
        }
      if (labels != NULL)
        label = GPOINTER_TO_INT (g_hash_table_lookup (labels, &clip_id)) - 1;

      if (!sample_clip (path, clip_id, size, rate, max_per_clip, label, pending, cancellable, &local_error))
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          add_skip (info->skipped, clip_id, local_error->message);
          continue;
        }
      if (pending->len > before)
        info->n_clips++;
    }

  if (pending->len == 0)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("No frame could be decoded from the chosen clips (%u skipped); check that their files play."),
                   info->skipped->len);
      return NULL;
    }

  clips = ids_json (ids);
  skipped = skipped_json (info->skipped);
  if (!cs_store_begin (store, error))
    return NULL;
  stmt = cs_store_prepare (store,
                           "INSERT INTO frame_sets (size, rate, max_per_clip, clips, skipped, n_frames)"
                           " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int (stmt, 1, size);
  sqlite3_bind_double (stmt, 2, rate);
  sqlite3_bind_int (stmt, 3, max_per_clip);
  sqlite3_bind_text (stmt, 4, clips, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, skipped, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, (int) pending->len);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      cs_store_set_error (store, error, _("Saving the frame set"));
      goto fail;
    }
  sqlite3_reset (stmt);
  info->id = sqlite3_last_insert_rowid (cs_store_get_db (store));

  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = g_ptr_array_index (pending, i);

      stmt = cs_store_prepare (store,
                               "INSERT INTO frames (clip_id, time_ms, kind, width, height, data, frame_set_id, label)"
                               " VALUES (?, ?, 'train', ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, p->clip_id);
      sqlite3_bind_int64 (stmt, 2, p->time_ms);
      sqlite3_bind_int (stmt, 3, size);
      sqlite3_bind_int (stmt, 4, size);
      sqlite3_bind_blob (stmt, 5, p->rgb, 3 * size * size, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, info->id);
      if (p->label >= 0)
        sqlite3_bind_int (stmt, 7, p->label);
      else
        sqlite3_bind_null (stmt, 7);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          cs_store_set_error (store, error, _("Saving the frame set"));
          goto fail;
        }
      sqlite3_reset (stmt);
    }
  if (!cs_store_commit (store, error))
    goto fail;
  info->n_frames = pending->len;
  if (progress)
    progress (1.0, NULL, progress_data);
  return g_steal_pointer (&info);

fail:
  cs_store_rollback (store);
  return NULL;
}

gint64
cs_frame_set_find (CsStore *store,
                   GArray  *clip_ids,
                   int      size,
                   double   rate,
                   int      max_per_clip)
{
  g_autoptr(GArray) ids = resolve_clips (store, clip_ids, NULL);
  g_autofree char *clips = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  if (ids == NULL)
    return 0;
  clips = ids_json (ids);
  stmt = cs_store_prepare (store,
                           "SELECT id FROM frame_sets WHERE clips = ? AND size = ? AND rate = ?"
                           " AND max_per_clip = ? AND n_frames > 0 ORDER BY id DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, clips, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, size);
  sqlite3_bind_double (stmt, 3, rate);
  sqlite3_bind_int (stmt, 4, max_per_clip);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

CsFrameSetInfo *
cs_frame_set_get_info (CsStore  *store,
                       gint64    frame_set_id,
                       GError  **error)
{
  g_autoptr(CsFrameSetInfo) info = g_new0 (CsFrameSetInfo, 1);
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = cs_store_prepare (store,
                           "SELECT size, rate, max_per_clip, n_frames, skipped,"
                           " (SELECT count(DISTINCT clip_id) FROM frames WHERE frame_set_id = frame_sets.id)"
                           " FROM frame_sets WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  info->id = frame_set_id;
  info->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) skip_free);
  sqlite3_bind_int64 (stmt, 1, frame_set_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = NULL;

      found = TRUE;
      info->size = sqlite3_column_int (stmt, 0);
      info->rate = sqlite3_column_double (stmt, 1);
      info->max_per_clip = sqlite3_column_int (stmt, 2);
      info->n_frames = sqlite3_column_int (stmt, 3);
      info->n_clips = sqlite3_column_int (stmt, 5);
      if (sqlite3_column_type (stmt, 4) == SQLITE_TEXT)
        node = json_from_string ((const char *) sqlite3_column_text (stmt, 4), NULL);
      if (node && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *a = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              JsonObject *o = json_array_get_object_element (a, i);

              add_skip (info->skipped, json_object_get_int_member (o, "clip_id"),
                        json_object_get_string_member (o, "reason"));
            }
        }
    }
  sqlite3_reset (stmt);
  if (!found)
    {
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                   _("The project has no frame set %" PRId64 "."), frame_set_id);
      return NULL;
    }
  return g_steal_pointer (&info);
}

CsFrameTensor *
cs_frame_set_load (CsStore  *store,
                   gint64    frame_set_id,
                   GError  **error)
{
  g_autoptr(CsFrameSetInfo) info = cs_frame_set_get_info (store, frame_set_id, error);
  g_autoptr(CsFrameTensor) t = NULL;
  sqlite3_stmt *stmt;
  gsize plane, per;
  int i = 0;

  if (info == NULL)
    return NULL;
  t = g_new0 (CsFrameTensor, 1);
  t->size = info->size;
  plane = (gsize) info->size * info->size;
  per = 3 * plane;
  t->data = g_new (float, per * MAX (info->n_frames, 1));
  t->labels = g_new (int, MAX (info->n_frames, 1));
  t->clip_ids = g_new (gint64, MAX (info->n_frames, 1));

  stmt = cs_store_prepare (store,
                           "SELECT clip_id, label, data FROM frames WHERE frame_set_id = ?"
                           " ORDER BY clip_id, time_ms, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, frame_set_id);
  while (sqlite3_step (stmt) == SQLITE_ROW && i < (int) info->n_frames)
    {
      const guint8 *rgb = sqlite3_column_blob (stmt, 2);
      float *dst = t->data + per * i;

      if (rgb == NULL || (gsize) sqlite3_column_bytes (stmt, 2) != per)
        continue;
      t->clip_ids[i] = sqlite3_column_int64 (stmt, 0);
      t->labels[i] = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 1);
      for (gsize p = 0; p < plane; p++)
        for (int c = 0; c < 3; c++)
          dst[c * plane + p] = rgb[3 * p + c] / 127.5f - 1.0f;
      i++;
    }
  sqlite3_reset (stmt);
  t->n = i;
  return g_steal_pointer (&t);
}
