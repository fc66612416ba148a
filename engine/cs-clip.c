/* cs-clip.c: one clip of a project, as the clip library shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cs-audience.h"
#include "cs-clip.h"
#include "cs-error.h"

struct _CsClip
{
  GObject  parent_instance;

  gint64   id;
  char    *external_id;
  char    *title;
  char    *caption;
  char    *hashtags;
  char    *path;
  char    *content_hash;
  gint64   duration_ms;
  int      width;
  int      height;
  double   fps;
  char    *video_codec;
  char    *audio_codec;
  gboolean has_audio;
  gint64   posted_at;
  gboolean simulated;
  char    *attrs;
  gint64   added_at;
  char    *container;
  gint64   bitrate;
  int      rotation;
  gint64   file_size;
  GBytes  *thumbnail;
  double   hue;

  /* Made on the worker so that sorting and searching thousands of clips
   * costs the main thread only comparisons. */
  char    *collate_key;
  char    *search_text;
};

G_DEFINE_FINAL_TYPE (CsClip, cs_clip, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_EXTERNAL_ID,
  PROP_TITLE,
  PROP_CAPTION,
  PROP_HASHTAGS,
  PROP_PATH,
  PROP_CONTENT_HASH,
  PROP_DURATION_MS,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_FPS,
  PROP_VIDEO_CODEC,
  PROP_AUDIO_CODEC,
  PROP_HAS_AUDIO,
  PROP_POSTED_AT,
  PROP_SIMULATED,
  PROP_ATTRS,
  PROP_ADDED_AT,
  PROP_CONTAINER,
  PROP_BITRATE,
  PROP_ROTATION,
  PROP_FILE_SIZE,
  PROP_THUMBNAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cs_clip_finalize (GObject *object)
{
  CsClip *self = CS_CLIP (object);

  g_free (self->external_id);
  g_free (self->title);
  g_free (self->caption);
  g_free (self->hashtags);
  g_free (self->path);
  g_free (self->content_hash);
  g_free (self->video_codec);
  g_free (self->audio_codec);
  g_free (self->attrs);
  g_free (self->container);
  g_free (self->collate_key);
  g_free (self->search_text);
  g_clear_pointer (&self->thumbnail, g_bytes_unref);

  G_OBJECT_CLASS (cs_clip_parent_class)->finalize (object);
}

static void
cs_clip_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CsClip *self = CS_CLIP (object);

  switch (prop_id)
    {
    case PROP_ID:           g_value_set_int64 (value, self->id); break;
    case PROP_EXTERNAL_ID:  g_value_set_string (value, self->external_id); break;
    case PROP_TITLE:        g_value_set_string (value, cs_clip_get_title (self)); break;
    case PROP_CAPTION:      g_value_set_string (value, self->caption); break;
    case PROP_HASHTAGS:     g_value_set_string (value, self->hashtags); break;
    case PROP_PATH:         g_value_set_string (value, self->path); break;
    case PROP_CONTENT_HASH: g_value_set_string (value, self->content_hash); break;
    case PROP_DURATION_MS:  g_value_set_int64 (value, self->duration_ms); break;
    case PROP_WIDTH:        g_value_set_int (value, self->width); break;
    case PROP_HEIGHT:       g_value_set_int (value, self->height); break;
    case PROP_FPS:          g_value_set_double (value, self->fps); break;
    case PROP_VIDEO_CODEC:  g_value_set_string (value, self->video_codec); break;
    case PROP_AUDIO_CODEC:  g_value_set_string (value, self->audio_codec); break;
    case PROP_HAS_AUDIO:    g_value_set_boolean (value, self->has_audio); break;
    case PROP_POSTED_AT:    g_value_set_int64 (value, self->posted_at); break;
    case PROP_SIMULATED:    g_value_set_boolean (value, self->simulated); break;
    case PROP_ATTRS:        g_value_set_string (value, self->attrs); break;
    case PROP_ADDED_AT:     g_value_set_int64 (value, self->added_at); break;
    case PROP_CONTAINER:    g_value_set_string (value, self->container); break;
    case PROP_BITRATE:      g_value_set_int64 (value, self->bitrate); break;
    case PROP_ROTATION:     g_value_set_int (value, self->rotation); break;
    case PROP_FILE_SIZE:    g_value_set_int64 (value, self->file_size); break;
    case PROP_THUMBNAIL:    g_value_set_boxed (value, self->thumbnail); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_prop (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
int64_prop (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
int_prop (const char *name)
{
  return g_param_spec_int (name, NULL, NULL, G_MININT, G_MAXINT, 0,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
bool_prop (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
cs_clip_class_init (CsClipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cs_clip_finalize;
  object_class->get_property = cs_clip_get_property;

  properties[PROP_ID] = int64_prop ("id");
  properties[PROP_EXTERNAL_ID] = string_prop ("external-id");
  properties[PROP_TITLE] = string_prop ("title");
  properties[PROP_CAPTION] = string_prop ("caption");
  properties[PROP_HASHTAGS] = string_prop ("hashtags");
  properties[PROP_PATH] = string_prop ("path");
  properties[PROP_CONTENT_HASH] = string_prop ("content-hash");
  properties[PROP_DURATION_MS] = int64_prop ("duration-ms");
  properties[PROP_WIDTH] = int_prop ("width");
  properties[PROP_HEIGHT] = int_prop ("height");
  properties[PROP_FPS] = g_param_spec_double ("fps", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIDEO_CODEC] = string_prop ("video-codec");
  properties[PROP_AUDIO_CODEC] = string_prop ("audio-codec");
  properties[PROP_HAS_AUDIO] = bool_prop ("has-audio");
  properties[PROP_POSTED_AT] = int64_prop ("posted-at");
  properties[PROP_SIMULATED] = bool_prop ("simulated");
  properties[PROP_ATTRS] = string_prop ("attrs");
  properties[PROP_ADDED_AT] = int64_prop ("added-at");
  properties[PROP_CONTAINER] = string_prop ("container");
  properties[PROP_BITRATE] = int64_prop ("bitrate");
  properties[PROP_ROTATION] = int_prop ("rotation");
  properties[PROP_FILE_SIZE] = int64_prop ("file-size");
  properties[PROP_THUMBNAIL] = g_param_spec_boxed ("thumbnail", NULL, NULL, G_TYPE_BYTES,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cs_clip_init (CsClip *self)
{
  self->hue = -1;
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static double
attrs_hue (const char *attrs)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *object;

  if (attrs == NULL || strstr (attrs, "\"hue\"") == NULL)
    return -1;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, attrs, -1, NULL))
    return -1;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return -1;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "hue"))
    return -1;
  return fmod (fmod (json_object_get_double_member (object, "hue"), 360.0) + 360.0, 360.0);
}

CsClip *
_cs_clip_new_from_row (sqlite3_stmt *stmt)
{
  CsClip *self = g_object_new (CS_TYPE_CLIP, NULL);
  g_autofree char *folded = NULL;
  GString *search;

  self->id = sqlite3_column_int64 (stmt, 0);
  self->external_id = column_text (stmt, 1);
  self->title = column_text (stmt, 2);
  self->caption = column_text (stmt, 3);
  self->hashtags = column_text (stmt, 4);
  self->path = column_text (stmt, 5);
  self->content_hash = column_text (stmt, 6);
  self->duration_ms = sqlite3_column_int64 (stmt, 7);
  self->width = sqlite3_column_int (stmt, 8);
  self->height = sqlite3_column_int (stmt, 9);
  self->fps = sqlite3_column_double (stmt, 10);
  self->video_codec = column_text (stmt, 11);
  self->audio_codec = column_text (stmt, 12);
  self->has_audio = sqlite3_column_int (stmt, 13) != 0;
  self->posted_at = sqlite3_column_int64 (stmt, 14);
  self->simulated = sqlite3_column_int (stmt, 15) != 0;
  self->attrs = column_text (stmt, 16);
  self->added_at = sqlite3_column_int64 (stmt, 17);
  self->container = column_text (stmt, 18);
  self->bitrate = sqlite3_column_int64 (stmt, 19);
  self->rotation = ((sqlite3_column_int (stmt, 20) % 360) + 360) % 360;
  self->file_size = sqlite3_column_int64 (stmt, 21);
  self->hue = attrs_hue (self->attrs);

  if (self->title != NULL && self->title[0] == '\0')
    g_clear_pointer (&self->title, g_free);
  if (self->external_id == NULL)
    self->external_id = g_strdup ("");

  folded = g_utf8_casefold (cs_clip_get_title (self), -1);
  self->collate_key = g_utf8_collate_key (folded, -1);

  search = g_string_new (NULL);
  g_string_append_printf (search, "%s\n%s\n%s\n%s",
                          cs_clip_get_title (self),
                          self->caption ? self->caption : "",
                          self->hashtags ? self->hashtags : "",
                          self->external_id);
  self->search_text = g_utf8_casefold (search->str, -1);
  g_string_free (search, TRUE);
  return self;
}

void
_cs_clip_set_thumbnail (CsClip *self,
                        GBytes *png)
{
  g_clear_pointer (&self->thumbnail, g_bytes_unref);
  self->thumbnail = png ? g_bytes_ref (png) : NULL;
}

gint64
cs_clip_get_id (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), 0);

  return self->id;
}

const char *
cs_clip_get_external_id (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), NULL);

  return self->external_id;
}

const char *
cs_clip_get_caption (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), NULL);

  return self->caption;
}

const char *
cs_clip_get_hashtags (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), NULL);

  return self->hashtags;
}

const char *
cs_clip_get_path (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), NULL);

  return self->path;
}

const char *
cs_clip_get_content_hash (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), NULL);

  return self->content_hash;
}

gint64
cs_clip_get_duration_ms (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), 0);

  return self->duration_ms;
}

int
cs_clip_get_width (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), 0);

  return self->width;
}

int
cs_clip_get_height (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), 0);

  return self->height;
}

double
cs_clip_get_fps (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), 0);

  return self->fps;
}

const char *
cs_clip_get_video_codec (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), NULL);

  return self->video_codec;
}

const char *
cs_clip_get_audio_codec (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), NULL);

  return self->audio_codec;
}

gboolean
cs_clip_get_has_audio (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), FALSE);

  return self->has_audio;
}

gint64
cs_clip_get_posted_at (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), 0);

  return self->posted_at;
}

gboolean
cs_clip_get_simulated (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), FALSE);

  return self->simulated;
}

const char *
cs_clip_get_attrs (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), NULL);

  return self->attrs;
}

gint64
cs_clip_get_added_at (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), 0);

  return self->added_at;
}

const char *
cs_clip_get_container (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), NULL);

  return self->container;
}

gint64
cs_clip_get_bitrate (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), 0);

  return self->bitrate;
}

int
cs_clip_get_rotation (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), 0);

  return self->rotation;
}

gint64
cs_clip_get_file_size (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), 0);

  return self->file_size;
}

GBytes *
cs_clip_get_thumbnail (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), NULL);

  return self->thumbnail;
}

double
cs_clip_get_hue (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), -1);

  return self->hue;
}


const char *
cs_clip_get_title (CsClip *self)
{
  g_return_val_if_fail (CS_IS_CLIP (self), NULL);

  return self->title != NULL ? self->title : self->external_id;
}

CsClipOrientation
cs_clip_get_orientation (CsClip *self)
{
  double ratio;

  g_return_val_if_fail (CS_IS_CLIP (self), CS_CLIP_ORIENTATION_UNKNOWN);

  if (self->width <= 0 || self->height <= 0)
    return CS_CLIP_ORIENTATION_UNKNOWN;
  ratio = (double) self->width / self->height;
  if (ratio >= 1 / 1.1 && ratio <= 1.1)
    return CS_CLIP_ORIENTATION_SQUARE;
  return self->width < self->height ? CS_CLIP_ORIENTATION_VERTICAL : CS_CLIP_ORIENTATION_LANDSCAPE;
}

gboolean
cs_clip_matches (CsClip     *self,
                 const char *query)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (CS_IS_CLIP (self), FALSE);

  if (query == NULL || query[0] == '\0')
    return TRUE;
  folded = g_utf8_casefold (query, -1);
  words = g_strsplit_set (folded, " \t\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i][0] == '#' ? words[i] + 1 : words[i];

      if (word[0] != '\0' && strstr (self->search_text, word) == NULL)
        return FALSE;
    }
  return TRUE;
}

static int
cmp_int64 (gint64 a,
           gint64 b)
{
  return a < b ? -1 : a > b;
}

int
cs_clip_compare (CsClip     *a,
                 CsClip     *b,
                 CsClipSort  sort)
{
  int r = 0;

  g_return_val_if_fail (CS_IS_CLIP (a) && CS_IS_CLIP (b), 0);

  switch (sort)
    {
    case CS_CLIP_SORT_ADDED:
      r = cmp_int64 (b->added_at, a->added_at);
      if (r == 0)
        r = cmp_int64 (b->id, a->id);
      break;

    case CS_CLIP_SORT_DURATION:
      r = cmp_int64 (b->duration_ms, a->duration_ms);
      break;

    case CS_CLIP_SORT_NAME:
      r = strcmp (a->collate_key, b->collate_key);
      break;

    default:
      g_return_val_if_reached (0);
    }
  /* A total order, so that equal keys keep a stable place. */
  return r != 0 ? r : cmp_int64 (a->id, b->id);
}

/* Details */

static void
frame_free (gpointer data)
{
  CsStoredFrame *frame = data;

  g_clear_pointer (&frame->png, g_bytes_unref);
  g_free (frame);
}

static void
feature_clear (gpointer data)
{
  CsClipFeature *feature = data;

  g_clear_pointer (&feature->name, g_free);
}

void
cs_clip_details_free (CsClipDetails *details)
{
  if (details == NULL)
    return;
  g_clear_pointer (&details->features, g_array_unref);
  g_clear_pointer (&details->thumbnails, g_ptr_array_unref);
  g_clear_pointer (&details->covers, g_ptr_array_unref);
  g_free (details);
}

double
cs_clip_details_get_feature (CsClipDetails *details,
                             const char    *name)
{
  g_return_val_if_fail (details != NULL, NAN);

  for (guint i = 0; i < details->features->len; i++)
    {
      const CsClipFeature *feature = &g_array_index (details->features, CsClipFeature, i);

      if (g_str_equal (feature->name, name))
        return feature->value;
    }
  return NAN;
}

static gboolean
read_frames (CsStore    *store,
             const char *sql,
             gint64      clip_id,
             GPtrArray  *out,
             GError    **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, clip_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CsStoredFrame *frame = g_new0 (CsStoredFrame, 1);

      frame->time_ms = sqlite3_column_int64 (stmt, 0);
      frame->width = sqlite3_column_int (stmt, 1);
      frame->height = sqlite3_column_int (stmt, 2);
      frame->score = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 3);
      frame->png = g_bytes_new (sqlite3_column_blob (stmt, 4), (gsize) sqlite3_column_bytes (stmt, 4));
      frame->id = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (out, frame);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("reading the clip’s frames"));
  return TRUE;
}

CsClipDetails *
cs_clip_details_load (CsStore  *store,
                      gint64    clip_id,
                      GError  **error)
{
  g_autoptr(CsClipDetails) details = g_new0 (CsClipDetails, 1);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  details->clip_id = clip_id;
  details->features = g_array_new (FALSE, TRUE, sizeof (CsClipFeature));
  g_array_set_clear_func (details->features, feature_clear);
  details->thumbnails = g_ptr_array_new_with_free_func (frame_free);
  details->covers = g_ptr_array_new_with_free_func (frame_free);

  stmt = cs_store_prepare (store, "SELECT name, value FROM clip_features WHERE clip_id = ?1 ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, clip_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CsClipFeature feature;

      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
        continue;
      feature.name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      feature.value = sqlite3_column_double (stmt, 1);
      g_array_append_val (details->features, feature);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("reading the clip’s features"));
      return NULL;
    }

  if (!read_frames (store,
                    "SELECT time_ms, width, height, score, data, id FROM frames"
                    " WHERE clip_id = ?1 AND kind = 'thumbnail' ORDER BY time_ms, id",
                    clip_id, details->thumbnails, error) ||
      !read_frames (store,
                    "SELECT time_ms, width, height, score, data, id FROM frames"
                    " WHERE clip_id = ?1 AND kind = 'cover'"
                    " ORDER BY score IS NULL, score DESC, time_ms LIMIT 3",
                    clip_id, details->covers, error))
    return NULL;

  return g_steal_pointer (&details);
}

typedef struct
{
  char   *path;
  gint64  clip_id;
} DetailsData;

static void
details_data_free (gpointer data)
{
  DetailsData *d = data;

  g_free (d->path);
  g_free (d);
}

static void
details_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DetailsData *d = task_data;
  g_autoptr(CsStore) store = NULL;
  GError *error = NULL;
  CsClipDetails *details;

  if (g_task_return_error_if_cancelled (task))
    return;
  store = cs_store_open (d->path, CS_STORE_OPEN_EXISTING, &error);
  if (store == NULL || (details = cs_clip_details_load (store, d->clip_id, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The retention curve from the dashboard's summaries; without them (a
   * busy or read-only project) the details come without it. */
  if (cs_audience_refresh (store, cancellable, NULL))
    {
      CsAudienceFilter filter;
      g_autoptr(CsAudienceResult) audience = NULL;

      cs_audience_filter_init (&filter);
      filter.retention_clip_id = d->clip_id;
      audience = cs_audience_query (store, &filter, CS_AUDIENCE_RETENTION, cancellable, NULL);
      if (audience != NULL && audience->retention_clip_id == d->clip_id)
        {
          details->retention_views = audience->retention_views;
          memcpy (details->retention, audience->retention, sizeof details->retention);
        }
    }
  g_task_return_pointer (task, details, (GDestroyNotify) cs_clip_details_free);
}

void
cs_clip_details_load_async (const char          *project_path,
                            gint64               clip_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DetailsData *d;

  g_return_if_fail (project_path != NULL);

  d = g_new0 (DetailsData, 1);
  d->path = g_strdup (project_path);
  d->clip_id = clip_id;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cs_clip_details_load_async);
  g_task_set_task_data (task, d, details_data_free);
  g_task_run_in_thread (task, details_thread);
}

CsClipDetails *
cs_clip_details_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cs_clip_details_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
