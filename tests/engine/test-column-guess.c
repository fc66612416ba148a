/* test-column-guess.c: guessing and saving column mappings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cs-column-guess.h"
#include "cs-store.h"

/* The column name guessed for @field, or NULL. */
static const char *
guessed (GPtrArray          *guesses,
         const char * const *header,
         const char         *field)
{
  for (guint i = 0; i < guesses->len; i++)
    {
      CsColumnGuess *guess = g_ptr_array_index (guesses, i);

      if (strcmp (guess->field, field) == 0)
        {
          if (guess->column < 0)
            {
              g_assert_cmpfloat (guess->confidence, ==, 0);
              return NULL;
            }
          g_assert_nonnull (guess->reason);
          g_assert_cmpfloat (guess->confidence, >, 0);
          g_assert_cmpfloat (guess->confidence, <=, 1);
          return header[guess->column];
        }
    }
  g_error ("no guess for the field %s", field);
  return NULL;
}

static double
confidence (GPtrArray  *guesses,
            const char *field)
{
  for (guint i = 0; i < guesses->len; i++)
    {
      CsColumnGuess *guess = g_ptr_array_index (guesses, i);

      if (strcmp (guess->field, field) == 0)
        return guess->confidence;
    }
  return -1;
}

static void
test_normalise (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "  User ID:token ", "user_id" },
    { "item_id:token", "item_id" },
    { "播放量（次）", "播放量" },
    { "完播率(%)", "完播率" },
    { "ＵＩＤ", "uid" },
    { "Avg. Watch-Time", "avg_watch_time" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = cs_column_normalise_header (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_events_header (void)
{
  const char *header[] = { "user_id:token", "item_id:token", "rating:float", "timestamp:float", NULL };
  const char *chinese[] = { "用户ID", "作品ID", "观看时间", "行为", "观看时长", "评论内容", NULL };
  g_autoptr(GPtrArray) guesses = cs_column_guess (CS_TABLE_EVENTS, header, NULL, 0);
  g_autoptr(GPtrArray) guesses_zh = cs_column_guess (CS_TABLE_EVENTS, chinese, NULL, 0);
  g_autoptr(GHashTable) mapping = NULL;

  /* RecBole atomic headers. */
  g_assert_cmpuint (guesses->len, ==, 7);
  g_assert_cmpstr (guessed (guesses, header, "viewer"), ==, "user_id:token");
  g_assert_cmpstr (guessed (guesses, header, "clip"), ==, "item_id:token");
  g_assert_cmpstr (guessed (guesses, header, "time"), ==, "timestamp:float");
  g_assert_cmpstr (guessed (guesses, header, "value"), ==, "rating:float");
  g_assert_null (guessed (guesses, header, "event"));
  g_assert_cmpfloat (confidence (guesses, "viewer"), ==, 0.95);

  g_assert_cmpstr (guessed (guesses_zh, chinese, "viewer"), ==, "用户ID");
  g_assert_cmpstr (guessed (guesses_zh, chinese, "clip"), ==, "作品ID");
  g_assert_cmpstr (guessed (guesses_zh, chinese, "time"), ==, "观看时间");
  g_assert_cmpstr (guessed (guesses_zh, chinese, "event"), ==, "行为");
  g_assert_cmpstr (guessed (guesses_zh, chinese, "watch_time"), ==, "观看时长");
  g_assert_cmpstr (guessed (guesses_zh, chinese, "text"), ==, "评论内容");

  mapping = cs_column_guesses_to_mapping (guesses, header);
  g_assert_cmpuint (g_hash_table_size (mapping), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (mapping, "viewer"), ==, "user_id:token");
}

static void
test_stats_header (void)
{
  /* The issue's examples, English and Chinese. */
  const char *english[] = { "video_id", "title", "pub_time", "plays", "like", "comment", "forward",
                            "Completion Rate", "avg_watch_time", "followers_gained", "duration", NULL };
  const char *chinese[] = { "作品ID", "作品名称", "发布时间", "播放量", "点赞", "评论", "转发",
                            "完播率（%）", "平均播放时长", "涨粉", "收藏", "话题", "文案", NULL };
  /* Weibo's export: names that only partly match. */
  const char *weibo[] = { "", "pub_time", "weibo_content", "forward", "comment", "like",
                          "weibo_url", "weibo_topic", NULL };
  g_autoptr(GPtrArray) en = cs_column_guess (CS_TABLE_STATS, english, NULL, 0);
  g_autoptr(GPtrArray) zh = cs_column_guess (CS_TABLE_STATS, chinese, NULL, 0);
  g_autoptr(GPtrArray) wb = cs_column_guess (CS_TABLE_STATS, weibo, NULL, 0);

  g_assert_cmpuint (en->len, ==, 15);
  g_assert_cmpstr (guessed (en, english, "clip"), ==, "video_id");
  g_assert_cmpstr (guessed (en, english, "title"), ==, "title");
  g_assert_cmpstr (guessed (en, english, "post_time"), ==, "pub_time");
  g_assert_cmpstr (guessed (en, english, "views"), ==, "plays");
  g_assert_cmpstr (guessed (en, english, "likes"), ==, "like");
  g_assert_cmpstr (guessed (en, english, "comments"), ==, "comment");
  g_assert_cmpstr (guessed (en, english, "shares"), ==, "forward");
  g_assert_cmpstr (guessed (en, english, "completion_rate"), ==, "Completion Rate");
  g_assert_cmpstr (guessed (en, english, "avg_watch_time"), ==, "avg_watch_time");
  g_assert_cmpstr (guessed (en, english, "followers"), ==, "followers_gained");
  g_assert_cmpstr (guessed (en, english, "duration"), ==, "duration");
  g_assert_null (guessed (en, english, "saves"));

  g_assert_cmpstr (guessed (zh, chinese, "clip"), ==, "作品ID");
  g_assert_cmpstr (guessed (zh, chinese, "title"), ==, "作品名称");
  g_assert_cmpstr (guessed (zh, chinese, "post_time"), ==, "发布时间");
  g_assert_cmpstr (guessed (zh, chinese, "views"), ==, "播放量");
  g_assert_cmpstr (guessed (zh, chinese, "likes"), ==, "点赞");
  g_assert_cmpstr (guessed (zh, chinese, "comments"), ==, "评论");
  g_assert_cmpstr (guessed (zh, chinese, "shares"), ==, "转发");
  g_assert_cmpstr (guessed (zh, chinese, "completion_rate"), ==, "完播率（%）");
  g_assert_cmpstr (guessed (zh, chinese, "avg_watch_time"), ==, "平均播放时长");
  g_assert_cmpstr (guessed (zh, chinese, "followers"), ==, "涨粉");
  g_assert_cmpstr (guessed (zh, chinese, "saves"), ==, "收藏");
  g_assert_cmpstr (guessed (zh, chinese, "hashtags"), ==, "话题");
  g_assert_cmpstr (guessed (zh, chinese, "caption"), ==, "文案");
  /* "平均播放时长" holds "时长" but is taken by the better match. */
  g_assert_null (guessed (zh, chinese, "duration"));

  g_assert_cmpstr (guessed (wb, weibo, "clip"), ==, "weibo_url");
  g_assert_cmpstr (guessed (wb, weibo, "caption"), ==, "weibo_content");
  g_assert_cmpstr (guessed (wb, weibo, "hashtags"), ==, "weibo_topic");
  g_assert_cmpstr (guessed (wb, weibo, "post_time"), ==, "pub_time");
  g_assert_cmpstr (guessed (wb, weibo, "shares"), ==, "forward");
  g_assert_cmpfloat (confidence (wb, "clip"), ==, 0.7);
  g_assert_cmpfloat (confidence (wb, "post_time"), ==, 0.95);
  g_assert_null (guessed (wb, weibo, "title"));
}

static void
test_stats_values (void)
{
  /* Nothing in these names says anything: the values do. */
  const char *header[] = { "a", "b", "c", "d", "e", "f", NULL };
  const char *row1[] = { "v1001", "2020-05-31 23:54", "我们的春节：一家人在一起包饺子的故事，温暖又热闹", "#春节#", "35.2%", "120", NULL };
  const char *row2[] = { "v1002", "2020/6/1 08:00", "Making dumplings with the whole family on a snowy night", "#family #food", "12%", "98", NULL };
  const char *row3[] = { "v1003", "2020年6月2日 12:30", "一个足够长的标题，描述这段视频里发生的所有事情和细节", "#雪#", "0.5%", "77", NULL };
  const char * const *rows[] = { row1, row2, row3 };
  g_autoptr(GPtrArray) guesses = cs_column_guess (CS_TABLE_STATS, header, rows, 3);

  g_assert_cmpstr (guessed (guesses, header, "clip"), ==, "a");
  g_assert_cmpstr (guessed (guesses, header, "post_time"), ==, "b");
  g_assert_cmpstr (guessed (guesses, header, "caption"), ==, "c");
  g_assert_cmpstr (guessed (guesses, header, "hashtags"), ==, "d");
  g_assert_cmpstr (guessed (guesses, header, "completion_rate"), ==, "e");
  /* Counts alone are only a weak guess for views: the largest column. */
  g_assert_cmpstr (guessed (guesses, header, "views"), ==, "f");
  g_assert_cmpfloat (confidence (guesses, "views"), <, CS_COLUMN_GUESS_APPLY);
  g_assert_cmpfloat (confidence (guesses, "post_time"), <, 0.7);

  {
    /* A header match wins over values, and a column is used once. */
    const char *named[] = { "id", "发布时间", "c", "d", "e", "播放量", NULL };
    g_autoptr(GPtrArray) mixed = cs_column_guess (CS_TABLE_STATS, named, rows, 3);

    g_assert_cmpstr (guessed (mixed, named, "clip"), ==, "id");
    g_assert_cmpstr (guessed (mixed, named, "post_time"), ==, "发布时间");
    g_assert_cmpstr (guessed (mixed, named, "views"), ==, "播放量");
    g_assert_cmpstr (guessed (mixed, named, "caption"), ==, "c");
  }
}

static void
test_counts (void)
{
  /* Row numbers are not counts; of the counts, the largest is views. */
  const char *header[] = { "", "n1", "n2", "n3", NULL };
  const char *row1[] = { "0", "5", "1200", "7", NULL };
  const char *row2[] = { "1", "3", "1.4万", "9", NULL };
  const char *row3[] = { "2", "4", "800", "2", NULL };
  const char * const *rows[] = { row1, row2, row3 };
  g_autoptr(GPtrArray) guesses = cs_column_guess (CS_TABLE_STATS, header, rows, 3);

  g_assert_cmpstr (guessed (guesses, header, "views"), ==, "n2");
  g_assert_cmpfloat (confidence (guesses, "views"), ==, 0.2);
}

static void
test_events_values (void)
{
  const char *header[] = { "x", "y", "z", "w", NULL };
  const char *row1[] = { "17", "3", "1590940440", "1:23", NULL };
  const char *row2[] = { "17", "5", "2020-05-31 23:54", "12.5s", NULL };
  const char * const *rows[] = { row1, row2 };
  g_autoptr(GPtrArray) guesses = cs_column_guess (CS_TABLE_EVENTS, header, rows, 2);

  g_assert_cmpstr (guessed (guesses, header, "watch_time"), ==, "w");

  g_assert_cmpstr (guessed (guesses, header, "viewer"), ==, "x");
  g_assert_cmpstr (guessed (guesses, header, "clip"), ==, "y");
  /* Unix seconds are numbers: not taken as times from the values alone. */
  g_assert_null (guessed (guesses, header, "time"));
}

static void
test_saved (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("clipscope-guess-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "p.clipscope", NULL);
  g_autoptr(CsStore) store = NULL;
  const char *header[] = { "作品ID", " 播放量 ", "Likes", NULL };
  const char *same[] = { "作品id", "播放量", "LIKES", NULL };
  const char *other[] = { "作品ID", "播放量", NULL };
  g_autoptr(GHashTable) mapping = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) loaded = NULL;
  g_autoptr(GHashTable) none = NULL;
  g_autofree char *signature = cs_column_signature (header);

  g_assert_no_error (error);
  store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (signature, ==, "作品id\t播放量\tlikes");

  g_hash_table_insert (mapping, "clip", "作品ID");
  g_hash_table_insert (mapping, "views", "Likes");   /* a user's correction */
  g_hash_table_insert (mapping, "likes", "gone");    /* not in the header any more */
  g_assert_true (cs_column_mapping_save (store, CS_TABLE_STATS, header, mapping, &error));
  g_assert_no_error (error);
  /* Saving again replaces. */
  g_assert_true (cs_column_mapping_save (store, CS_TABLE_STATS, header, mapping, &error));
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM column_mappings", -1), ==, 1);

  loaded = cs_column_mapping_load (store, CS_TABLE_STATS, header, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (g_hash_table_size (loaded), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (loaded, "clip"), ==, "作品ID");
  g_assert_cmpstr (g_hash_table_lookup (loaded, "views"), ==, "Likes");
  g_clear_pointer (&loaded, g_hash_table_unref);

  /* Only the same kind and the same header (up to case and spaces). */
  loaded = cs_column_mapping_load (store, CS_TABLE_STATS, same, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (g_hash_table_lookup (loaded, "clip"), ==, "作品id");
  g_assert_cmpstr (g_hash_table_lookup (loaded, "views"), ==, "LIKES");
  g_clear_pointer (&loaded, g_hash_table_unref);
  none = cs_column_mapping_load (store, CS_TABLE_EVENTS, header, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  g_clear_pointer (&none, g_hash_table_unref);
  none = cs_column_mapping_load (store, CS_TABLE_STATS, other, &error);
  g_assert_null (none);

  g_clear_object (&store);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/column-guess/normalise", test_normalise);
  g_test_add_func ("/column-guess/events-header", test_events_header);
  g_test_add_func ("/column-guess/stats-header", test_stats_header);
  g_test_add_func ("/column-guess/stats-values", test_stats_values);
  g_test_add_func ("/column-guess/events-values", test_events_values);
  g_test_add_func ("/column-guess/counts", test_counts);
  g_test_add_func ("/column-guess/saved", test_saved);

  return g_test_run ();
}
