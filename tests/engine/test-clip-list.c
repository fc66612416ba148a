/* test-clip-list.c: the clip library's loader, sort and search.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "cs-clip-list.h"

/* The 8-byte PNG signature and a few more bytes with a NUL: enough to see
 * that blobs come back byte for byte. */
static const guint8 fake_png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2, 3, 0xff };

static CsStore *
make_store (char **out_dir)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-clip-list-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "Clips.clipscope", NULL);
  g_autoptr(GError) error = NULL;
  CsStore *store;
  sqlite3_stmt *stmt;

  store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (cs_store_exec (store,
                                "INSERT INTO clips (id, external_id, title, caption, hashtags, path,"
                                " duration_ms, width, height, fps, video_codec, added_at, rotation,"
                                " container, bitrate, file_size, attrs) VALUES"
                                " (1, 'b.mp4', 'Bread at dawn', 'Fresh loaves', 'bakery morning', '/v/b.mp4',"
                                "  7000, 1080, 1920, 30, 'H.264', 100, 90, 'MP4', 2000000, 1750000, NULL),"
                                " (2, 'a.webm', 'apple tart', NULL, 'bakery', '/v/a.webm',"
                                "  15000, 1920, 1080, 25, 'VP9', 300, 0, NULL, NULL, NULL, '{\"hue\":400.0}'),"
                                " (3, 'c.mov', NULL, 'Tea time', 'tea', '/v/c.mov',"
                                "  3000, 720, 720, 24, 'H.264', 200, 0, NULL, NULL, NULL, '{}')",
                                &error));
  g_assert_no_error (error);

  /* Clip 1 has a strip of two thumbnails and two covers; clip 2 none. */
  stmt = cs_store_prepare (store,
                           "INSERT INTO frames (clip_id, time_ms, kind, width, height, data, score)"
                           " VALUES (?1, ?2, ?3, 4, 3, ?4, ?5)", &error);
  g_assert_no_error (error);
  {
    static const struct { gint64 clip, time; const char *kind; double score; gsize len; } rows[] = {
      { 1, 2000, "thumbnail", NAN, 4 },
      { 1, 0, "thumbnail", NAN, G_N_ELEMENTS (fake_png) },
      { 3, 500, "thumbnail", NAN, 3 },
      { 1, 1000, "cover", 0.2, 5 },
      { 1, 3000, "cover", 0.9, 6 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      {
        sqlite3_bind_int64 (stmt, 1, rows[i].clip);
        sqlite3_bind_int64 (stmt, 2, rows[i].time);
        sqlite3_bind_text (stmt, 3, rows[i].kind, -1, SQLITE_STATIC);
        sqlite3_bind_blob (stmt, 4, fake_png, (int) rows[i].len, SQLITE_STATIC);
        if (isnan (rows[i].score))
          sqlite3_bind_null (stmt, 5);
        else
          sqlite3_bind_double (stmt, 5, rows[i].score);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
        sqlite3_reset (stmt);
      }
  }
  g_assert_true (cs_store_exec (store,
                                "INSERT INTO clip_features (clip_id, name, value) VALUES"
                                " (1, 'brightness', 0.5), (1, 'motion', 0.25), (1, 'silence_share', NULL)",
                                &error));
  g_assert_no_error (error);

  *out_dir = g_steal_pointer (&dir);
  return store;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static GPtrArray *
sorted (CsClipList *list,
        CsClipSort  sort)
{
  GPtrArray *clips = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    g_ptr_array_add (clips, g_list_model_get_item (G_LIST_MODEL (list), i));
  /* Insertion sort: three items, and it uses only cs_clip_compare. */
  for (guint i = 1; i < clips->len; i++)
    for (guint j = i; j > 0 && cs_clip_compare (clips->pdata[j - 1], clips->pdata[j], sort) > 0; j--)
      {
        gpointer tmp = clips->pdata[j];
        clips->pdata[j] = clips->pdata[j - 1];
        clips->pdata[j - 1] = tmp;
      }
  return clips;
}

static gint64
id_at (GPtrArray *clips,
       guint      i)
{
  return cs_clip_get_id (g_ptr_array_index (clips, i));
}

static void
test_load (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(CsStore) store = make_store (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsClipList) list = NULL;
  g_autoptr(GPtrArray) by_added = NULL;
  g_autoptr(GPtrArray) by_duration = NULL;
  g_autoptr(GPtrArray) by_name = NULL;
  CsClip *clip;
  GBytes *thumb;

  list = cs_clip_list_load (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == CS_TYPE_CLIP);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  clip = cs_clip_list_find (list, 1);
  g_assert_nonnull (clip);
  g_assert_cmpstr (cs_clip_get_title (clip), ==, "Bread at dawn");
  g_assert_cmpint (cs_clip_get_duration_ms (clip), ==, 7000);
  g_assert_cmpint (cs_clip_get_width (clip), ==, 1080);
  g_assert_cmpint (cs_clip_get_rotation (clip), ==, 90);
  g_assert_cmpstr (cs_clip_get_container (clip), ==, "MP4");
  g_assert_cmpint (cs_clip_get_bitrate (clip), ==, 2000000);
  g_assert_cmpint (cs_clip_get_file_size (clip), ==, 1750000);
  g_assert_cmpint (cs_clip_get_orientation (clip), ==, CS_CLIP_ORIENTATION_VERTICAL);
  g_assert_cmpfloat (cs_clip_get_hue (clip), <, 0);
  /* The first thumbnail by time, byte for byte. */
  thumb = cs_clip_get_thumbnail (clip);
  g_assert_nonnull (thumb);
  g_assert_cmpmem (g_bytes_get_data (thumb, NULL), g_bytes_get_size (thumb), fake_png, sizeof fake_png);

  clip = cs_clip_list_find (list, 2);
  g_assert_null (cs_clip_get_thumbnail (clip));
  g_assert_cmpint (cs_clip_get_orientation (clip), ==, CS_CLIP_ORIENTATION_LANDSCAPE);
  g_assert_cmpfloat_with_epsilon (cs_clip_get_hue (clip), 40.0, 1e-9);
  g_assert_null (cs_clip_get_container (clip));

  /* No title: the file name stands in. */
  clip = cs_clip_list_find (list, 3);
  g_assert_cmpstr (cs_clip_get_title (clip), ==, "c.mov");
  g_assert_cmpint (cs_clip_get_orientation (clip), ==, CS_CLIP_ORIENTATION_SQUARE);
  g_assert_cmpuint (g_bytes_get_size (cs_clip_get_thumbnail (clip)), ==, 3);
  g_assert_null (cs_clip_list_find (list, 4));

  by_added = sorted (list, CS_CLIP_SORT_ADDED);
  g_assert_cmpint (id_at (by_added, 0), ==, 2);
  g_assert_cmpint (id_at (by_added, 1), ==, 3);
  g_assert_cmpint (id_at (by_added, 2), ==, 1);
  by_duration = sorted (list, CS_CLIP_SORT_DURATION);
  g_assert_cmpint (id_at (by_duration, 0), ==, 2);
  g_assert_cmpint (id_at (by_duration, 1), ==, 1);
  g_assert_cmpint (id_at (by_duration, 2), ==, 3);
  /* Case does not matter: apple, Bread, c.mov. */
  by_name = sorted (list, CS_CLIP_SORT_NAME);
  g_assert_cmpint (id_at (by_name, 0), ==, 2);
  g_assert_cmpint (id_at (by_name, 1), ==, 1);
  g_assert_cmpint (id_at (by_name, 2), ==, 3);

  /* Search: title, caption, hashtags and file name, all words, any case. */
  g_assert_true (cs_clip_matches (cs_clip_list_find (list, 1), ""));
  g_assert_true (cs_clip_matches (cs_clip_list_find (list, 1), "BREAD"));
  g_assert_true (cs_clip_matches (cs_clip_list_find (list, 1), "loaves #morning"));
  g_assert_false (cs_clip_matches (cs_clip_list_find (list, 1), "loaves tea"));
  g_assert_true (cs_clip_matches (cs_clip_list_find (list, 2), "#bakery"));
  g_assert_false (cs_clip_matches (cs_clip_list_find (list, 3), "bakery"));
  g_assert_true (cs_clip_matches (cs_clip_list_find (list, 3), "tea"));
  g_assert_true (cs_clip_matches (cs_clip_list_find (list, 3), ".mov"));

  g_clear_object (&store);
  remove_dir (dir);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CsClipList **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cs_clip_list_load_finish (result, &error);
  g_assert_no_error (error);
}

static void
details_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CsClipDetails **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cs_clip_details_load_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async_and_details (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(CsStore) store = make_store (&dir);
  g_autofree char *path = g_strdup (cs_store_get_path (store));
  g_autoptr(CsClipList) list = NULL;
  g_autoptr(CsClipDetails) details = NULL;
  g_autoptr(CsClipDetails) empty = NULL;
  const CsStoredFrame *frame;

  cs_clip_list_load_async (path, NULL, load_cb, &list);
  while (list == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  cs_clip_details_load_async (path, 1, NULL, details_cb, &details);
  while (details == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (details->clip_id, ==, 1);
  /* A NULL value is not a measurement. */
  g_assert_cmpuint (details->features->len, ==, 2);
  g_assert_cmpfloat (cs_clip_details_get_feature (details, "brightness"), ==, 0.5);
  g_assert_cmpfloat (cs_clip_details_get_feature (details, "motion"), ==, 0.25);
  g_assert_true (isnan (cs_clip_details_get_feature (details, "silence_share")));
  g_assert_cmpuint (details->thumbnails->len, ==, 2);
  frame = g_ptr_array_index (details->thumbnails, 0);
  g_assert_cmpint (frame->time_ms, ==, 0);
  g_assert_cmpmem (g_bytes_get_data (frame->png, NULL), g_bytes_get_size (frame->png), fake_png, sizeof fake_png);
  /* Covers come best first. */
  g_assert_cmpuint (details->covers->len, ==, 2);
  frame = g_ptr_array_index (details->covers, 0);
  g_assert_cmpint (frame->time_ms, ==, 3000);
  g_assert_cmpfloat (frame->score, ==, 0.9);

  cs_clip_details_load_async (path, 2, NULL, details_cb, &empty);
  while (empty == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (empty->features->len, ==, 0);
  g_assert_cmpuint (empty->thumbnails->len, ==, 0);
  g_assert_cmpuint (empty->covers->len, ==, 0);

  g_clear_object (&store);
  remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/clip-list/load", test_load);
  g_test_add_func ("/engine/clip-list/async-and-details", test_async_and_details);

  return g_test_run ();
}
