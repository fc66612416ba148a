/* test-window.c: the real window under Xvfb — open the demo, visit every
 * page, run the slice (import an event log, compare two recommenders) end
 * to end, and refuse a file that is not a project without losing anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <math.h>

#include "cs-application.h"
#include "cs-bar-layer.h"
#include "cs-clip-card.h"
#include "cs-line-layer.h"
#include "cs-significance-layer.h"
#include "cs-clips-page.h"
#include "cs-generate-page.h"
#include "cs-window.h"
#include "cs-window-private.h"
#include "cs-import-review.h"

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data,
          double    timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static gboolean
has_project (gpointer data)
{
  return cs_window_get_project (data) != NULL && !_cs_window_is_busy (data);
}

static gboolean
not_busy (gpointer data)
{
  return !_cs_window_is_busy (data);
}

static gboolean
no_jobs (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (cs_window_get_jobs (data))) == 0;
}

static gboolean
has_events (gpointer data)
{
  CsProject *project = cs_window_get_project (data);

  return project != NULL && cs_project_get_counts (project)->n_events > 0;
}

static gboolean
has_result (gpointer data)
{
  return cs_recommend_page_get_result (_cs_window_get_recommend_page (data)) != NULL;
}

static gboolean
audience_shown (gpointer data)
{
  CsAudiencePage *page = _cs_window_get_audience_page (data);

  return !cs_audience_page_is_busy (page) && cs_audience_page_get_result (page) != NULL;
}

/* One number from the project file, read with a connection of our own. */
static double
sql_number (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* The app's workers may be opening the project at the same moment. */
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The Audience page's KPI cards show what plain SQL over the events says. */
static void
check_audience_page (CsWindow *window)
{
  const char *path = cs_project_get_path (cs_window_get_project (window));
  CsAudiencePage *page = _cs_window_get_audience_page (window);
  double views = sql_number (path, "SELECT COUNT(*) FROM events WHERE kind = 1");
  double viewers = sql_number (path, "SELECT COUNT(DISTINCT viewer_id) FROM events");
  double completed = sql_number (path,
                                 "SELECT 100.0 * SUM(e.watch_ms * 100 >= 90 * c.duration_ms) / COUNT(*)"
                                 " FROM events e JOIN clips c ON c.id = e.clip_id"
                                 " WHERE e.kind = 1 AND e.watch_ms IS NOT NULL AND c.duration_ms > 0");
  g_autofree char *views_text = cs_format_count ((gint64) views);
  g_autofree char *viewers_text = cs_format_count ((gint64) viewers);
  g_autofree char *completion_text = g_strdup_printf ("%.1f\u00a0%%", completed);

  cs_window_show_page (window, "audience");
  g_assert_true (wait_for (audience_shown, window, 60));
  g_assert_cmpint (cs_audience_page_get_result (page)->source, ==, CS_AUDIENCE_SOURCE_EVENTS);
  g_assert_cmpfloat (views, >, 0);
  g_assert_cmpstr (cs_audience_page_get_kpi_text (page, 0), ==, views_text);
  g_assert_cmpstr (cs_audience_page_get_kpi_text (page, 1), ==, viewers_text);
  g_assert_cmpstr (cs_audience_page_get_kpi_text (page, 3), ==, completion_text);
}

static GtkWindow *
find_dialog (CsWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == GTK_WINDOW (window))
        return w;
    }
  return NULL;
}

static gboolean
has_dialog (gpointer data)
{
  return find_dialog (data) != NULL;
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_cards (GtkWidget *root,
               GPtrArray *titles)
{
  if (CS_IS_CLIP_CARD (root))
    {
      CsClip *clip = cs_clip_card_get_clip (CS_CLIP_CARD (root));

      if (clip != NULL && gtk_widget_get_mapped (root))
        g_ptr_array_add (titles, g_strdup (cs_clip_get_title (clip)));
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cards (child, titles);
}

static gboolean
clips_loaded (gpointer data)
{
  return !cs_clips_page_is_loading (data) &&
         g_list_model_get_n_items (cs_clips_page_get_model (data)) > 0;
}

static gboolean
four_cards (gpointer data)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);

  collect_cards (cs_clips_page_get_grid (data), titles);
  return titles->len == 4;
}

static gboolean
stream_prepared (gpointer data)
{
  GtkMediaStream *stream = cs_video_preview_get_stream (data);

  return stream != NULL && gtk_media_stream_is_prepared (stream) &&
         gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (stream)) > 0;
}

/* The spread of luma over the current frame: 0 for a blank picture. */
static int
frame_luma_range (GtkWidget    *widget,
                  GdkPaintable *paintable)
{
  g_autoptr(GdkPaintable) image = gdk_paintable_get_current_image (paintable);
  int w = gdk_paintable_get_intrinsic_width (image);
  int h = gdk_paintable_get_intrinsic_height (image);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  int lo = 255, hi = 0;

  if (w <= 0 || h <= 0)
    return 0;
  gdk_paintable_snapshot (image, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_to_node (snapshot);
  if (node == NULL)
    return 0;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  pixels = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, pixels, (gsize) w * 4);
  for (int i = 0; i < w * h; i++)
    {
      /* Cairo ARGB32 in memory order B, G, R, A. */
      int y = (pixels[i * 4 + 2] * 299 + pixels[i * 4 + 1] * 587 + pixels[i * 4] * 114) / 1000;
      lo = MIN (lo, y);
      hi = MAX (hi, y);
    }
  return hi - lo;
}

typedef struct
{
  GtkWidget    *widget;
  GdkPaintable *paintable;
} FrameCheck;

typedef struct
{
  GtkMediaStream *stream;
  gint64          from;
} StreamMove;

static gboolean
stream_moved (gpointer data)
{
  StreamMove *move = data;

  return gtk_media_stream_get_timestamp (move->stream) >= move->from + 2 * G_USEC_PER_SEC / 25 - 1000;
}

static gboolean
frame_not_blank (gpointer data)
{
  FrameCheck *check = data;

  return frame_luma_range (check->widget, check->paintable) > 24;
}

/* The Clips page on the small demo: one card per clip with the project's
 * titles, and the first clip's details with a playing preview. */
static gboolean
has_details (gpointer data)
{
  return cs_clips_page_get_details (data) != NULL;
}

static void
check_clips_page (CsWindow *window)
{
  CsProject *project = cs_window_get_project (window);
  CsClipsPage *page = CS_CLIPS_PAGE (find_widget (GTK_WIDGET (window), CS_TYPE_CLIPS_PAGE));
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsClip) first = NULL;
  g_autofree char *duration = NULL;
  CsVideoPreview *preview;
  FrameCheck check;

  g_assert_nonnull (page);
  cs_window_show_page (window, "clips");
  g_assert_true (wait_for (clips_loaded, page, 30));
  g_assert_cmpuint (g_list_model_get_n_items (cs_clips_page_get_model (page)), ==, 4);

  /* The demo generator makes the titles: read them from the project. */
  {
    g_autoptr(CsStore) store = cs_store_open (cs_project_get_path (project), CS_STORE_READ_ONLY, &error);
    sqlite3_stmt *stmt;

    g_assert_no_error (error);
    stmt = cs_store_prepare (store, "SELECT title FROM clips ORDER BY id", &error);
    g_assert_no_error (error);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (expected, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    sqlite3_reset (stmt);
  }
  g_assert_cmpuint (expected->len, ==, 4);

  g_assert_true (wait_for (four_cards, page, 10));
  collect_cards (cs_clips_page_get_grid (page), shown);
  g_assert_cmpuint (shown->len, ==, 4);
  for (guint i = 0; i < expected->len; i++)
    {
      g_assert_true (g_ptr_array_find_with_equal_func (shown, expected->pdata[i], g_str_equal, NULL));
      g_assert_true (g_ptr_array_find_with_equal_func (expected, shown->pdata[i], g_str_equal, NULL));
    }

  /* Selecting the first clip opens the details with its duration. */
  first = g_list_model_get_item (cs_clips_page_get_model (page), 0);
  cs_clips_page_select (page, 0);
  g_assert_true (cs_clips_page_get_selected (page) == first);
  g_assert_true (cs_clips_page_get_detail_shown (page));
  duration = cs_clip_format_duration (cs_clip_get_duration_ms (first));
  g_assert_cmpstr (cs_clips_page_get_detail_duration (page), ==, duration);

  /* The retention curve under the player: every view of the clip with a
   * watch time, counted here in SQL; at 0 % all of them are watching. */
  {
    g_autoptr(CsStore) store = cs_store_open (cs_project_get_path (project), CS_STORE_READ_ONLY, &error);
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM events WHERE kind = 1 AND watch_ms IS NOT NULL"
                                            " AND clip_id = %" G_GINT64_FORMAT, cs_clip_get_id (first));
    const CsClipDetails *details;

    g_assert_no_error (error);
    g_assert_true (wait_for (has_details, page, 30));
    details = cs_clips_page_get_details (page);
    g_assert_cmpint ((gint64) details->retention_views, ==, cs_store_query_int (store, sql, -1));
    g_assert_cmpint (details->retention_views, >, 0);
    g_assert_cmpfloat (details->retention[0], ==, 1.0);
  }

  /* The preview prepares the file and shows a frame that is not blank. */
  preview = cs_clips_page_get_preview (page);
  g_assert_true (wait_for (stream_prepared, preview, 30));
  check.widget = GTK_WIDGET (preview);
  check.paintable = GDK_PAINTABLE (cs_video_preview_get_stream (preview));
  g_assert_true (wait_for (frame_not_blank, &check, 30));
  g_test_message ("preview frame %dx%d, luma range %d",
                  gdk_paintable_get_intrinsic_width (check.paintable),
                  gdk_paintable_get_intrinsic_height (check.paintable),
                  frame_luma_range (check.widget, check.paintable));

  /* Two frame steps forward, paused: 2/25 s further. */
  {
    GtkMediaStream *stream = cs_video_preview_get_stream (preview);
    StreamMove before = { stream, gtk_media_stream_get_timestamp (stream) };

    cs_video_preview_step (preview, 2);
    g_assert_false (gtk_media_stream_get_playing (stream));
    g_assert_true (wait_for (stream_moved, &before, 10));
  }

  cs_clips_page_select (page, GTK_INVALID_LIST_POSITION);
  g_assert_false (cs_clips_page_get_detail_shown (page));
}

/* One application for the whole program, as in the real app. */
static CsApplication *app;

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **error = user_data;
  GError *local = NULL;

  /* Success is marked with a stand-in error, so the wait can tell. */
  if (cs_recommend_page_export_finish (CS_RECOMMEND_PAGE (object), result, &local))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
  else
    *error = local;
}

static void
predict_report_done_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GError **error = user_data;
  GError *local = NULL;

  if (cs_predict_page_export_report_finish (CS_PREDICT_PAGE (object), result, &local))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
  else
    *error = local;
}

static gboolean
export_finished (gpointer data)
{
  return *(GError **) data != NULL;
}

/* The Export menu's table and report, written on a worker thread. */
static void
check_exports (CsRecommendPage *page,
               const char      *dir)
{
  g_autofree char *csv = g_build_filename (dir, "table.csv", NULL);
  g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "report.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv);
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  GError *error = NULL;

  cs_recommend_page_export_table_async (page, csv_file, NULL, export_done_cb, &error);
  g_assert_true (wait_for (export_finished, &error, 30));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "model,label,metric,k,mean,ci_lo,ci_hi,sd,p_holm\r\npop,Popularity,ndcg,1,0.66666666666666"));

  cs_recommend_page_export_report_async (page, pdf_file, NULL, export_done_cb, &error);
  g_assert_true (wait_for (export_finished, &error, 30));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (pdf, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "%PDF-"));

  /* An unwritable place: the error reaches the caller (and a dialog). */
  cs_recommend_page_export_report_async (page, bad_file, NULL, export_done_cb, &error);
  g_assert_true (wait_for (export_finished, &error, 30));
  g_assert_nonnull (strstr (error->message, "report.pdf"));
  g_clear_error (&error);
  {
    GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (page), CS_TYPE_WINDOW);

    g_assert_true (wait_for (has_dialog, window, 30));
    gtk_window_destroy (find_dialog (CS_WINDOW (window)));
  }
  g_unlink (csv);
  g_unlink (pdf);
}

static void
make_app (void)
{
  g_autoptr(GError) error = NULL;

  app = cs_application_new ();
  /* A test must never hand its work to a running Clipscope. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
}

static void
test_demo_pages (void)
{
  g_autofree char *demo = cs_demo_default_path ();
  g_autofree char *dir = g_path_get_dirname (demo);
  g_autoptr(GError) error = NULL;
  static const char *names[] = { "clips", "audience", "recommend", "predict", "generate" };
  CsDemoOptions options;
  CsWindow *window;
  CsProject *project;

  /* A small demo keeps the test quick; the window opens it as it opens the
   * full one. */
  cs_demo_options_init (&options);
  options.n_clips = 4;
  options.n_viewers = 60;
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (cs_demo_create (demo, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  window = cs_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_demo (window);
  g_assert_true (wait_for (has_project, window, 30));

  project = cs_window_get_project (window);
  g_assert_true (cs_project_get_simulated (project));
  g_assert_cmpstr (cs_project_get_title (project), ==, "Demo");
  g_assert_cmpint (cs_project_get_counts (project)->n_clips, ==, 4);
  g_assert_cmpint (cs_project_get_counts (project)->n_viewers, ==, 60);
  g_assert_cmpint (cs_project_get_counts (project)->n_events, >, 0);

  check_clips_page (window);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", names[i]);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_cmpstr (cs_window_get_page (window), ==, names[i]);
    }
  check_audience_page (window);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A hand-made log of 15 views (see the comment in test_slice). */
static const char slice_log[] =
  "user_id\titem_id\ttimestamp\n"
  "v1\tc1\t1001\n" "v2\tc1\t1002\n" "v3\tc1\t1003\n" "v4\tc1\t1004\n"
  "v1\tc2\t1005\n" "v2\tc2\t1006\n" "v3\tc2\t1007\n"
  "v3\tc3\t1008\n" "v4\tc3\t1009\n"
  "v4\tc4\t1010\n" "v5\tc4\t1011\n" "v5\tc5\t1012\n"
  "v1\tc4\t1013\n" "v2\tc3\t1014\n" "v5\tc1\t1015\n";

static gboolean
page_idle (gpointer data)
{
  return !cs_recommend_page_is_loading (data);
}

static guint
history_length (CsRecommendPage *page)
{
  const GPtrArray *history = cs_recommend_page_get_history (page);

  return history != NULL ? history->len : 0;
}

/* The combo row titled @title under @root. */
static AdwComboRow *
find_combo_row (GtkWidget  *root,
                const char *title)
{
  if (ADW_IS_COMBO_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return ADW_COMBO_ROW (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwComboRow *found = find_combo_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether a label under @root shows text containing @text. */
static gboolean
has_label_text (GtkWidget  *root,
                const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_text (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
history_has_three (gpointer data)
{
  return !cs_recommend_page_is_loading (data) && history_length (data) == 3;
}

static gboolean
history_has_four (gpointer data)
{
  return !cs_recommend_page_is_loading (data) && history_length (data) == 4;
}

static gboolean
history_has_five (gpointer data)
{
  return !cs_recommend_page_is_loading (data) && history_length (data) == 5;
}

/* The preferences row titled @title under @root. */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
history_has_two (gpointer data)
{
  return page_idle (data) && history_length (data) == 2;
}

typedef struct
{
  CsRecommendPage *page;
  gint64           id;
} Shown;

static gboolean
shows_run (gpointer data)
{
  Shown *shown = data;
  const CsEvalResult *result = cs_recommend_page_get_result (shown->page);

  return page_idle (shown->page) && result != NULL && result->run_id == shown->id;
}

/* A second comparison joins the history; the first one reopens, with its
 * own numbers, and deleting it leaves the second, shown again. */
static void
check_history (CsWindow        *window,
               CsRecommendPage *page)
{
  const GPtrArray *history;
  const CsEvalRunInfo *info;
  gint64 first = cs_recommend_page_get_result (page)->run_id;
  gint64 second;
  Shown shown = { page, 0 };

  g_assert_true (wait_for (page_idle, page, 30));
  g_assert_cmpuint (history_length (page), ==, 1);

  /* The second run: Popularity alone, so the two differ. */
  cs_recommend_page_set_model_enabled (page, "itemknn", FALSE);
  cs_recommend_page_run (page);
  g_assert_true (wait_for (no_jobs, window, 60));
  g_assert_true (wait_for (history_has_two, page, 30));
  second = cs_recommend_page_get_result (page)->run_id;
  g_assert_cmpint (second, >, first);
  g_assert_cmpuint (cs_recommend_page_get_result (page)->models->len, ==, 1);

  history = cs_recommend_page_get_history (page);
  info = g_ptr_array_index (history, 0);
  g_assert_cmpint (info->run_id, ==, second);
  g_assert_cmpstr (info->models, ==, "Popularity");
  info = g_ptr_array_index (history, 1);
  g_assert_cmpint (info->run_id, ==, first);
  g_assert_cmpuint (info->n_models, ==, 2);
  g_assert_cmpuint (info->k, ==, 1);
  g_assert_cmpint (info->test_viewers, ==, 3);

  /* Reopen the older: ItemKNN's NDCG@1 is 1/3 again (see test_slice). */
  cs_recommend_page_open_comparison (page, first);
  shown.id = first;
  g_assert_true (wait_for (shows_run, &shown, 30));
  g_assert_cmpuint (cs_recommend_page_get_result (page)->models->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (g_ptr_array_index (cs_recommend_page_get_result (page)->models, 1),
                                                            "ndcg@1"), 1.0 / 3.0, 1e-6);

  cs_recommend_page_delete_comparison (page, first);
  shown.id = second;
  g_assert_true (wait_for (shows_run, &shown, 30));
  g_assert_cmpuint (history_length (page), ==, 1);
  g_assert_cmpint (((CsEvalRunInfo *) g_ptr_array_index (cs_recommend_page_get_history (page), 0))->run_id,
                   ==, second);
  g_assert_cmpfloat (sql_number (cs_project_get_path (cs_window_get_project (window)),
                                 "SELECT count(*) FROM runs"), ==, 2);  /* the second and its model */

  /* Put the older one back for the rest of the test: the same run again. */
  cs_recommend_page_set_model_enabled (page, "itemknn", TRUE);
  cs_recommend_page_run (page);
  g_assert_true (wait_for (no_jobs, window, 60));
  g_assert_true (wait_for (history_has_two, page, 30));
}

/* The metric@K curve, one line per model, agrees with the table at the
 * K asked for. By hand (see test_slice): every test viewer has seen 2 of
 * the 5 clips, so from K = 3 on each list holds all 3 unseen clips and
 * recall is 1; at K = 2 both models' lists also hold the held-out clip
 * (Popularity c3,c4 for v1 and v2, c1,c2 for v5; ItemKNN c3,c4 / c3,c1). */
static void
check_curve (CsRecommendPage *page)
{
  g_autoptr(CsChartLayer) layer = g_list_model_get_item (cs_chart_get_layers (cs_recommend_page_get_curve (page)), 0);
  CsLineLayer *lines = CS_LINE_LAYER (layer);
  static const double ks[] = { 1, 2, 3, 5, 10, 15, 20, 30, 40, 50 };
  const double at_1[] = { 2.0 / 3.0, 1.0 / 3.0 };

  for (int metric = 0; metric < 2; metric++)
    {
      cs_recommend_page_set_curve_metric (page, metric == 0 ? "ndcg" : "recall");
      g_assert_cmpuint (cs_line_layer_get_n_series (lines), ==, 2);
      for (guint m = 0; m < 2; m++)
        {
          const CsEvalModelResult *model = g_ptr_array_index (cs_recommend_page_get_result (page)->models, m);
          gsize n = 0;
          const double *x = cs_line_layer_get_x (lines, m, &n);
          const double *y = cs_line_layer_get_y (lines, m, NULL);

          g_assert_cmpstr (cs_line_layer_get_series_name (lines, m), ==, model->label);
          g_assert_cmpmem (x, n * sizeof (double), ks, sizeof ks);
          /* K = 1, the table's K: the same as the table (and the bars). */
          g_assert_cmpfloat_with_epsilon (y[0], at_1[m], 1e-9);
          g_assert_cmpfloat (y[0], ==, cs_eval_model_result_get (model, metric == 0 ? "ndcg@1" : "recall@1"));
          /* NDCG@2: a hit in second place counts 1/log2(3); Popularity has
           * one (v1), ItemKNN two (v1, v5). */
          if (metric == 0)
            g_assert_cmpfloat_with_epsilon (y[1], m == 0 ? (2.0 + 1.0 / log2 (3.0)) / 3.0
                                                          : (1.0 + 2.0 / log2 (3.0)) / 3.0, 1e-9);
          if (metric == 1)
            for (gsize i = 1; i < n; i++)
              g_assert_cmpfloat_with_epsilon (y[i], 1.0, 1e-9);
        }
    }
  cs_recommend_page_set_curve_metric (page, "ndcg");
}

/* The significance matrix of the two models: with one pair, Holm changes
 * nothing, so each cell's p is the table's p against the baseline. */
static void
check_significance (CsRecommendPage *page)
{
  g_autoptr(CsChartLayer) layer = g_list_model_get_item (cs_chart_get_layers (cs_recommend_page_get_significance (page)), 0);
  CsSignificanceLayer *pairs = CS_SIGNIFICANCE_LAYER (layer);
  const CsEvalModelResult *knn = g_ptr_array_index (cs_recommend_page_get_result (page)->models, 1);
  g_autofree char *description = NULL;

  for (int test = 0; test < 2; test++)
    {
      double p = cs_eval_model_result_get (knn, test == 0 ? "ndcg_p_holm@1" : "ndcg_wilcoxon_p_holm@1");

      cs_recommend_page_set_significance (page, "ndcg", 1, test == 1);
      g_assert_false (isnan (p));
      g_assert_cmpfloat (cs_significance_layer_get_p (pairs, 1, 0), ==, p);
      g_assert_cmpfloat (cs_significance_layer_get_p (pairs, 0, 1), ==, p);
      g_assert_cmpint (cs_significance_layer_get_verdict (pairs, 0, 0), ==, CS_SIGNIFICANCE_NONE);
      /* Three viewers cannot make a difference significant. */
      g_assert_cmpint (cs_significance_layer_get_verdict (pairs, 1, 0), ==, CS_SIGNIFICANCE_NOT_SIGNIFICANT);
    }
  description = cs_chart_describe (cs_recommend_page_get_significance (page));
  g_assert_nonnull (strstr (description, "no significant difference in NDCG@1"));
  cs_recommend_page_set_significance (page, "ndcg", 1, FALSE);
}

typedef struct
{
  CsRecommendInspect *inspect;
  const char         *viewer;
} Inspected;

static gboolean
inspected (gpointer data)
{
  Inspected *i = data;
  const CsEvalInspection *inspection = cs_recommend_inspect_get_inspection (i->inspect);

  return !cs_recommend_inspect_is_busy (i->inspect) && inspection != NULL &&
         g_strcmp0 (inspection->viewer_id, i->viewer) == 0;
}

static void
assert_clip_ids (GPtrArray  *clips,
                 const char *expected)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < clips->len; i++)
    g_string_append_printf (ids, "%s%s", i ? " " : "", cs_clip_get_external_id (g_ptr_array_index (clips, i)));
  g_assert_cmpstr (ids->str, ==, expected);
}

/* Inspect, at K = 1, by hand (the lists of test_slice's comment): v1 has
 * watched c1 (t 1001) then c2 (1005) and watches c4 next; both models offer
 * c3, a miss. v5 watched c4, c5 and watches c1 next: Popularity offers c1,
 * a hit, ItemKNN c3, a miss. */
static void
check_inspect (CsRecommendPage *page)
{
  Inspected i = { cs_recommend_page_get_inspect (page), "v1" };
  const CsEvalInspection *inspection;
  const CsEvalInspectList *pop, *knn;

  cs_recommend_inspect_start (i.inspect);
  g_assert_true (wait_for (inspected, &i, 60));
  inspection = cs_recommend_inspect_get_inspection (i.inspect);
  g_assert_cmpuint (inspection->k, ==, 1);
  assert_clip_ids (inspection->train, "c1 c2");
  assert_clip_ids (inspection->test, "c4");
  g_assert_cmpuint (inspection->models->len, ==, 2);
  pop = g_ptr_array_index (inspection->models, 0);
  knn = g_ptr_array_index (inspection->models, 1);
  assert_clip_ids (pop->clips, "c3");
  assert_clip_ids (knn->clips, "c3");
  g_assert_false (pop->hits[0]);
  g_assert_false (knn->hits[0]);

  i.viewer = "v5";
  cs_recommend_inspect_show_viewer (i.inspect, "v5");
  g_assert_true (wait_for (inspected, &i, 30));
  inspection = cs_recommend_inspect_get_inspection (i.inspect);
  assert_clip_ids (inspection->train, "c4 c5");
  assert_clip_ids (inspection->test, "c1");
  pop = g_ptr_array_index (inspection->models, 0);
  knn = g_ptr_array_index (inspection->models, 1);
  assert_clip_ids (pop->clips, "c1");
  assert_clip_ids (knn->clips, "c3");
  g_assert_true (pop->hits[0]);
  g_assert_cmpuint (pop->n_hits, ==, 1);
  g_assert_false (knn->hits[0]);
  g_assert_cmpuint (knn->n_hits, ==, 0);
}

static void
test_slice (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *tmp = g_dir_make_tmp ("cs-app-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "Shop.clipscope", NULL);
  g_autofree char *log = g_build_filename (tmp, "views.tsv", NULL);
  g_autofree char *bogus = g_build_filename (tmp, "notes.clipscope", NULL);
  g_autofree char *bogus_after = NULL;
  g_autoptr(CsProject) created = NULL;
  g_autoptr(GFile) log_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsChartLayer) layer = NULL;
  CsRecommendPage *page;
  const CsEvalResult *result;
  CsBarLayer *bars;
  CsWindow *window;
  CsProject *project;
  GtkWindow *dialog;

  /* K = 1 makes the two models differ on this log. */
  g_settings_set_uint (settings, "default-k", 1);

  created = cs_project_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (log, slice_log, -1, NULL));
  log_file = g_file_new_for_path (log);

  window = cs_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_path (window, path);
  g_assert_true (wait_for (has_project, window, 30));

  cs_window_show_page (window, "recommend");
  cs_window_import_events (window, log_file);
  g_assert_true (wait_for (no_jobs, window, 30));
  g_assert_true (wait_for (has_events, window, 30));
  project = cs_window_get_project (window);
  g_assert_cmpint (cs_project_get_counts (project)->n_events, ==, 15);
  g_assert_cmpint (cs_project_get_counts (project)->n_viewers, ==, 5);
  g_assert_cmpint (cs_project_get_counts (project)->n_clips, ==, 5);

  page = _cs_window_get_recommend_page (window);
  /* The hand-worked numbers below are for Popularity and ItemKNN. */
  cs_recommend_page_set_model_enabled (page, "ease", FALSE);
  cs_recommend_page_run (page);
  g_assert_true (wait_for (has_result, window, 60));
  g_assert_true (wait_for (no_jobs, window, 30));

  /* The temporal split puts the first 12 views (by time) in training and
   * tests (v1,c4), (v2,c3), (v5,c1). Training popularity: c1 4, c2 3,
   * c3 2, c4 2, c5 1.
   * Popularity@1: v1 has seen c1,c2 → c3 (tie with c4, lower index) miss;
   * v2 → c3 hit; v5 has seen c4,c5 → c1 hit: NDCG = recall = 2/3.
   * ItemKNN cosines: s(1,3)=2/√8, s(2,3)=1/√6, s(1,4)=1/√8, s(3,4)=1/2,
   * s(4,5)=1/√2, s(1,2)=3/√12. v1,v2 (c1,c2): c3 1.115 > c4 0.354 → c3:
   * v1 miss, v2 hit. v5 (c4,c5): c3 0.5 > c1 0.354 > c2 0 → c3, miss.
   * NDCG = recall = 1/3. */
  result = cs_recommend_page_get_result (page);
  g_assert_cmpint (result->models->len, ==, 2);
  g_assert_cmpint (result->train_pairs, ==, 12);
  g_assert_cmpint (result->test_pairs, ==, 3);
  g_assert_cmpint (result->test_viewers, ==, 3);

  layer = g_list_model_get_item (cs_chart_get_layers (cs_recommend_page_get_chart (page)), 0);
  bars = CS_BAR_LAYER (layer);
  g_assert_cmpfloat_with_epsilon (cs_bar_layer_get_value (bars, 0, 0), 2.0 / 3.0, 1e-6);  /* NDCG@1, Popularity */
  g_assert_cmpfloat_with_epsilon (cs_bar_layer_get_value (bars, 0, 1), 1.0 / 3.0, 1e-6);  /* NDCG@1, ItemKNN */
  g_assert_cmpfloat_with_epsilon (cs_bar_layer_get_value (bars, 1, 0), 2.0 / 3.0, 1e-6);  /* Recall@1, Popularity */
  g_assert_cmpfloat_with_epsilon (cs_bar_layer_get_value (bars, 1, 1), 1.0 / 3.0, 1e-6);  /* Recall@1, ItemKNN */

  check_curve (page);
  check_significance (page);
  check_inspect (page);
  check_exports (page, tmp);
  check_history (window, page);

  /* Bad input: a text file named like a project is refused with a clear
   * message, left untouched, and the open project stays open. */
  g_assert_true (g_file_set_contents (bogus, "shopping list\n", -1, NULL));
  cs_window_open_path (window, bogus);
  g_assert_true (wait_for (has_dialog, window, 30));
  g_assert_true (wait_for (not_busy, window, 30));
  dialog = find_dialog (window);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "not a Clipscope project"));
  gtk_window_destroy (dialog);
  g_assert_true (g_file_get_contents (bogus, &bogus_after, NULL, NULL));
  g_assert_cmpstr (bogus_after, ==, "shopping list\n");
  g_assert_true (cs_window_get_project (window) == project);

  /* Reopening the project shows the stored comparison again. */
  cs_window_open_path (window, path);
  g_assert_true (wait_for (has_project, window, 30));
  g_assert_true (cs_window_get_project (window) != project);
  g_assert_true (wait_for (has_result, window, 30));
  result = cs_recommend_page_get_result (page);
  g_assert_cmpint (result->models->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (g_ptr_array_index (result->models, 0), "ndcg@1"),
                                  2.0 / 3.0, 1e-6);

  /* Random holdout with the form's seed: every viewer has 3 pairs, so
   * round (0.2 · 3) = 1 each is held out and 10 pairs train. Only v5 watched
   * c5, so if c5 is held out it is dropped: 4 or 5 test pairs, one per
   * test viewer. */
  {
    g_autofree char *expected = g_strdup_printf ("{\"name\":\"random\",\"test_fraction\":0.2,\"seed\":%u,"
                                                 "\"positives\":\"view\"}",
                                                 g_settings_get_uint (settings, "default-seed"));
    g_autofree char *described = g_strdup_printf ("a random 20 %% of each viewer’s clips test (seed %u)",
                                                  g_settings_get_uint (settings, "default-seed"));
    AdwComboRow *protocol_row = find_combo_row (GTK_WIDGET (page), "Evaluation");

    g_assert_nonnull (protocol_row);
    adw_combo_row_set_selected (protocol_row, 2);
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (protocol_row)), "random 20 %"));
    cs_recommend_page_run (page);
    g_assert_true (wait_for (no_jobs, window, 60));
    g_assert_true (wait_for (history_has_three, page, 30));
    result = cs_recommend_page_get_result (page);
    g_assert_cmpstr (result->protocol_json, ==, expected);
    g_assert_cmpint (result->train_pairs, ==, 10);
    g_assert_cmpint (result->test_pairs, >=, 4);
    g_assert_cmpint (result->test_pairs, <=, 5);
    g_assert_cmpint (result->test_viewers, ==, result->test_pairs);
    g_assert_true (has_label_text (GTK_WIDGET (page), described));
  }

  /* K-fold by viewer, 3 folds: each viewer's 3 pairs go one to each fold, so
   * every fold trains on 10 pairs and holds out one pair of each of the 5
   * viewers: 15 over the folds, of which v5's c5 (nobody else watched it) is
   * always dropped as a cold clip, and any other held-out pair whose clip
   * all its viewers hold out in the same fold. The table shows mean ± sd. */
  {
    g_autofree char *expected = g_strdup_printf ("{\"name\":\"kfold\",\"folds\":3,\"seed\":%u,"
                                                 "\"positives\":\"view\"}",
                                                 g_settings_get_uint (settings, "default-seed"));
    AdwComboRow *protocol_row = find_combo_row (GTK_WIDGET (page), "Evaluation");
    GtkWidget *folds_row = find_row (GTK_WIDGET (page), "Folds");

    g_assert_nonnull (folds_row);
    g_assert_false (gtk_widget_get_visible (folds_row));
    adw_combo_row_set_selected (protocol_row, 3);
    g_assert_true (gtk_widget_get_visible (folds_row));
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_widget (folds_row, GTK_TYPE_SPIN_BUTTON)), 3);
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (protocol_row)), "into 3 folds"));
    cs_recommend_page_run (page);
    g_assert_true (wait_for (no_jobs, window, 60));
    g_assert_true (wait_for (history_has_four, page, 30));
    result = cs_recommend_page_get_result (page);
    g_assert_cmpstr (result->protocol_json, ==, expected);
    g_assert_cmpuint (result->n_folds, ==, 3);
    g_assert_cmpint (result->train_pairs, ==, 10);
    {
      gint64 dropped = 0;

      for (guint fold = 0; fold < 3; fold++)
        {
          g_assert_cmpint (result->folds[fold].train_pairs, ==, 10);
          dropped += result->folds[fold].dropped_cold_clip;
        }
      g_assert_cmpint (dropped, >=, 1);
      g_assert_cmpint (result->test_pairs, ==, 15 - dropped);
    }
    g_assert_cmpint (result->test_viewers, ==, 5);
    g_assert_true (has_label_text (GTK_WIDGET (page), "K-fold by viewer: each viewer’s clips dealt into 3 folds"));
    g_assert_true (has_label_text (GTK_WIDGET (page), " ± "));
    g_assert_true (has_label_text (GTK_WIDGET (page), "p over folds"));
    adw_combo_row_set_selected (protocol_row, 0);
    g_assert_false (gtk_widget_get_visible (folds_row));
  }

  /* Interest from a weighted mix: the rows for the weights show, and the
   * rule reaches the run. Every event of this log is a view, so the split
   * is the temporal one above: 12 training and 3 test pairs. */
  {
    AdwComboRow *positives_row = find_combo_row (GTK_WIDGET (page), "Counts as Interest");
    GtkWidget *watch_row = find_row (GTK_WIDGET (page), "Share of the Clip Watched");
    GtkWidget *weights_row = find_row (GTK_WIDGET (page), "Weights");
    GtkWidget *like_row = find_row (GTK_WIDGET (page), "Like");

    g_assert_nonnull (positives_row);
    g_assert_nonnull (like_row);
    g_assert_false (gtk_widget_get_visible (watch_row));
    g_assert_false (gtk_widget_get_visible (weights_row));
    adw_combo_row_set_selected (positives_row, 1);
    g_assert_true (gtk_widget_get_visible (watch_row));
    g_assert_false (gtk_widget_get_visible (weights_row));
    adw_combo_row_set_selected (positives_row, 6);
    g_assert_false (gtk_widget_get_visible (watch_row));
    g_assert_true (gtk_widget_get_visible (weights_row));
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_widget (like_row, GTK_TYPE_SPIN_BUTTON)), 4);
    cs_recommend_page_run (page);
    g_assert_true (wait_for (no_jobs, window, 60));
    g_assert_true (wait_for (history_has_five, page, 30));
    result = cs_recommend_page_get_result (page);
    g_assert_cmpstr (result->protocol_json, ==,
                     "{\"name\":\"temporal\",\"train_fraction\":0.8,"
                     "\"positives\":\"weighted:view=1,like=4,comment=3,share=5,follow=5\"}");
    g_assert_cmpint (result->train_pairs, ==, 12);
    g_assert_cmpint (result->test_pairs, ==, 3);
    g_assert_true (has_label_text (GTK_WIDGET (page), "Weighted interest: view 1, like 4, comment 3, share 5, follow 5"));
    adw_combo_row_set_selected (positives_row, 0);
    g_assert_false (gtk_widget_get_visible (weights_row));
  }

  /* The last project and the window size are remembered. */
  {
    g_autofree char *last = g_settings_get_string (settings, "last-project");
    g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-projects");

    g_assert_cmpstr (last, ==, cs_project_get_path (cs_window_get_project (window)));
    g_assert_true (g_strv_contains ((const char * const *) recent, last));
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);

  g_settings_reset (settings, "default-k");
}

static GtkDropTarget *
find_drop_target (GtkWidget *root)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (root);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropTarget *found = find_drop_target (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  CsClipsPage *page;
  guint        n;
} ClipCount;

static gboolean
has_n_clips (gpointer data)
{
  ClipCount *count = data;

  return !cs_clips_page_is_loading (count->page) &&
         g_list_model_get_n_items (cs_clips_page_get_model (count->page)) == count->n;
}


/* Dropping a folder of real clips on the window imports them as one job;
 * the grid shows them with their thumbnails, and a selected clip shows its
 * features, cover suggestions and a frame that is not blank. */
/* Every value the detail pane's reveal-progress takes: AdwFlap 1.2 goes
 * through NaN when a reveal starts before its first allocation. */
typedef struct {
  AdwFlap *flap;
  guint    changes;
  guint    not_finite;
  int      first_width;   /* the pane's width when it started to move */
} RevealWatch;

static void
reveal_progress_cb (AdwFlap     *flap,
                    GParamSpec  *pspec,
                    RevealWatch *watch)
{
  if (watch->changes++ == 0)
    watch->first_width = gtk_widget_get_width (GTK_WIDGET (flap));
  if (!isfinite (adw_flap_get_reveal_progress (flap)))
    watch->not_finite++;
}

static gboolean
pane_revealed (gpointer data)
{
  RevealWatch *watch = data;

  return adw_flap_get_reveal_progress (watch->flap) == 1.0;
}

static void
test_import_clips (void)
{
  const char *shared = g_getenv ("CS_SHARED_DATA");
  g_autofree char *folder = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("cs-app-clips-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "Clips.clipscope", NULL);
  g_autoptr(CsProject) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  GdkFileList *files;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(CsClip) clip = NULL;
  const CsClipDetails *details;
  GtkDropTarget *drop;
  CsClipsPage *page;
  CsVideoPreview *preview;
  CsWindow *window;
  ClipCount count;
  FrameCheck check;
  RevealWatch watch = { 0 };
  gboolean accepted = FALSE;
  GSList *list;

  g_assert_nonnull (shared);
  folder = g_build_filename (shared, "videos", "mdn-cc0", NULL);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));

  created = cs_project_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);

  window = cs_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_path (window, path);
  g_assert_true (wait_for (has_project, window, 30));
  page = CS_CLIPS_PAGE (find_widget (GTK_WIDGET (window), CS_TYPE_CLIPS_PAGE));
  cs_window_show_page (window, "clips");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (cs_clips_page_get_model (page)), ==, 0);
  watch.flap = ADW_FLAP (find_widget (GTK_WIDGET (page), ADW_TYPE_FLAP));
  g_assert_nonnull (watch.flap);
  g_signal_connect (watch.flap, "notify::reveal-progress", G_CALLBACK (reveal_progress_cb), &watch);

  drop = find_drop_target (GTK_WIDGET (window));
  g_assert_nonnull (drop);
  file = g_file_new_for_path (folder);
  list = g_slist_prepend (NULL, file);
  files = gdk_file_list_new_from_list (list);
  g_slist_free (list);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, files);
  g_signal_emit_by_name (drop, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cs_window_get_jobs (window))), ==, 1);
  g_assert_true (wait_for (no_jobs, window, 120));
  count.page = page;
  count.n = 6;
  g_assert_true (wait_for (has_n_clips, &count, 30));

  clip = g_list_model_get_item (cs_clips_page_get_model (page), 0);
  g_assert_nonnull (cs_clip_get_thumbnail (clip));
  g_assert_nonnull (cs_clip_get_path (clip));
  g_assert_cmpint (cs_clip_get_duration_ms (clip), >, 0);

  /* Selected in the same turn as the grid replaced the empty state: the
   * pane opens once the grid is laid out, sliding in through finite
   * positions only. */
  g_test_message ("detail pane width when selecting: %d", gtk_widget_get_width (GTK_WIDGET (watch.flap)));
  cs_clips_page_select (page, 0);
  g_assert_true (cs_clips_page_get_detail_shown (page));
  g_assert_true (wait_for (pane_revealed, &watch, 30));
  g_assert_cmpuint (watch.changes, >, 0);
  g_assert_cmpint (watch.first_width, >, 0);
  g_assert_cmpuint (watch.not_finite, ==, 0);
  g_signal_handlers_disconnect_by_data (watch.flap, &watch);

  g_assert_true (wait_for (has_details, page, 30));
  details = cs_clips_page_get_details (page);
  g_assert_cmpuint (details->features->len, >, 0);
  g_assert_cmpuint (details->thumbnails->len, >, 0);
  g_assert_cmpuint (details->covers->len, >, 0);
  g_assert_false (isnan (cs_clip_details_get_feature ((CsClipDetails *) details, "brightness")));

  preview = cs_clips_page_get_preview (page);
  g_assert_true (wait_for (stream_prepared, preview, 30));
  check.widget = GTK_WIDGET (preview);
  check.paintable = GDK_PAINTABLE (cs_video_preview_get_stream (preview));
  g_assert_true (wait_for (frame_not_blank, &check, 30));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
generate_shown (gpointer data)
{
  CsGeneratePage *page = data;

  return !cs_generate_page_is_running (page) && cs_generate_page_get_grid (page) != NULL &&
         strstr (cs_generate_page_get_quality_text (page), "Fréchet") != NULL;
}

static gboolean
strip_shown (gpointer data)
{
  return cs_generate_page_get_strip (data) != NULL;
}

static gboolean
nearest_shown (gpointer data)
{
  return strstr (cs_generate_page_get_nearest_text (data), "mean difference") != NULL;
}

/* The page's form, not its "import clips" empty state, is on screen. */
static gint64 generate_after_run;

static gboolean
generate_newer_shown (gpointer data)
{
  return cs_generate_page_get_run_id (data) > generate_after_run && generate_shown (data);
}

static gboolean
generate_form_ready (gpointer data)
{
  GtkWidget *stack = adw_bin_get_child (ADW_BIN (data));

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "main") == 0;
}

/* Generate on two real clips: a 32×32 VAE for 6 steps of 4 frames, started
 * from the page; the page then shows the stored samples, a loss curve with
 * one point per step and the stored Fréchet figure. */
static void
test_generate (void)
{
  const char *shared = g_getenv ("CS_SHARED_DATA");
  g_autofree char *tmp = g_dir_make_tmp ("cs-app-generate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "Generate.clipscope", NULL);
  g_autofree char *flower = NULL;
  g_autofree char *friday = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsClipImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[3];
  CsGeneratePage *page;
  CsWindow *window;
  GdkTexture *grid;
  gint64 run_id;
  double frechet, points;

  g_assert_nonnull (shared);
  flower = g_build_filename (shared, "videos", "mdn-cc0", "flower.mp4", NULL);
  friday = g_build_filename (shared, "videos", "mdn-cc0", "friday.mp4", NULL);
  paths[0] = flower;
  paths[1] = friday;
  paths[2] = NULL;
  store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  report = cs_clip_import_run (store, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  window = cs_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_path (window, path);
  g_assert_true (wait_for (has_project, window, 30));
  cs_window_show_page (window, "generate");
  page = CS_GENERATE_PAGE (find_widget (GTK_WIDGET (window), CS_TYPE_GENERATE_PAGE));
  g_assert_nonnull (page);
  g_assert_true (wait_for (generate_form_ready, page, 30));
  g_assert_cmpint (cs_generate_page_get_run_id (page), ==, 0);

  /* 5.1 s + 6.2 s of video at 2 frames a second: 10 + 12 frames, 2 held out. */
  cs_generate_page_set_form (page, CS_GEN_VAE, 32, 2.0, 6, 4, 7);
  cs_generate_page_start (page);
  g_assert_true (cs_generate_page_is_running (page));
  g_assert_true (wait_for (no_jobs, window, 300));
  g_assert_true (wait_for (generate_shown, page, 60));

  run_id = cs_generate_page_get_run_id (page);
  g_assert_cmpint (run_id, >, 0);
  grid = cs_generate_page_get_grid (page);
  /* 8 × 8 frames of 32 pixels with 2-pixel gutters around each. */
  g_assert_cmpint (gdk_texture_get_width (grid), ==, 8 * 32 + 9 * 2);

  /* Sample 1 beside its nearest training frame, compared on a worker. */
  g_assert_true (wait_for (nearest_shown, page, 30));
  g_assert_true (g_str_has_prefix (cs_generate_page_get_nearest_text (page), "Left: sample 1."));

  /* Eight frames between two latent points, decoded from the checkpoint. */
  g_assert_true (wait_for (strip_shown, page, 30));
  g_assert_cmpint (gdk_texture_get_width (cs_generate_page_get_strip (page)), ==, 8 * 32 + 9 * 2);
  g_assert_cmpint (gdk_texture_get_height (cs_generate_page_get_strip (page)), ==, 32 + 2 * 2);

  sql = g_strdup_printf ("SELECT length(x) / 8 FROM curves WHERE run_id = %" G_GINT64_FORMAT " AND name = 'recon'", run_id);
  points = sql_number (path, sql);
  g_assert_cmpfloat (points, ==, 6);
  g_assert_cmpuint (cs_generate_page_get_n_points (page), ==, 6);

  g_free (sql);
  sql = g_strdup_printf ("SELECT value FROM metrics WHERE run_id = %" G_GINT64_FORMAT
                         " AND name = 'frechet_pixel_projection'", run_id);
  frechet = sql_number (path, sql);
  g_assert_true (isfinite (frechet));
  expected = g_strdup_printf ("Fréchet pixel-projection distance: %.4g ", frechet);
  g_assert_nonnull (strstr (cs_generate_page_get_quality_text (page), expected));

  /* "Sample Where the Frames Lie" is on by default for a VAE, off for a GAN. */
  g_free (sql);
  sql = g_strdup_printf ("SELECT json_extract(params, '$.prior') = 'fitted' FROM runs WHERE id = %" G_GINT64_FORMAT,
                         run_id);
  g_assert_cmpfloat (sql_number (path, sql), ==, 1);
  {
    GtkWidget *prior_row = find_row (GTK_WIDGET (page), "Sample Where the Frames Lie");
    AdwComboRow *model_row = find_combo_row (GTK_WIDGET (page), "Model");

    g_assert_true (gtk_widget_get_visible (prior_row));
    adw_combo_row_set_selected (model_row, 1);
    g_assert_false (gtk_widget_get_visible (prior_row));
    adw_combo_row_set_selected (model_row, 0);
    g_assert_true (gtk_widget_get_visible (prior_row));
  }

  /* Conditioned on views: flower has 10, friday 1000 and a clip without
   * video 100, one per tercile. The grid has a row of 8 per class, shown
   * with a 96-pixel column of row names (Low, Medium, High) on its left. */
  store = cs_store_open (path, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cs_store_exec (store, "INSERT INTO clips (external_id) VALUES ('no-video');"
                                       "INSERT INTO clip_stats (clip_id, views) SELECT id, CASE"
                                       " WHEN path LIKE '%flower.mp4' THEN 10 WHEN path LIKE '%friday.mp4'"
                                       " THEN 1000 ELSE 100 END FROM clips", &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  cs_generate_page_set_condition (page, "views");
  cs_generate_page_start (page);
  g_assert_true (cs_generate_page_is_running (page));
  g_assert_true (wait_for (no_jobs, window, 300));
  generate_after_run = run_id;
  g_assert_true (wait_for (generate_newer_shown, page, 60));
  grid = cs_generate_page_get_grid (page);
  g_assert_cmpint (gdk_texture_get_width (grid), ==, 96 + 8 * 32 + 9 * 2);
  g_assert_cmpint (gdk_texture_get_height (grid), ==, 3 * 32 + 4 * 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
dialog_ready (gpointer data)
{
  return cs_import_dialog_is_ready (data);
}

static GtkWidget *
find_button_with_label (GtkWidget  *root,
                        const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The visible label styled as an error, as a user sees it. */
static GtkLabel *
find_visible_error_label (GtkWidget *root)
{
  if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, "error") &&
      gtk_widget_get_visible (root))
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_visible_error_label (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The mapping step: a Chinese export is read, each field gets the right
 * column from its header, a required field left out blocks the import with
 * a message naming it, and the user's choice (a column the guess left out)
 * reaches the project. */
static void
test_import_dialog (void)
{
  static const char table[] =
    "备注,用户ID,作品ID,观看时间,观看时长\n"
    "好看,u1,c1,2024-03-01 10:00:00,12\n"
    "一般,u2,c1,2024-03-01 11:00:00,3\n"
    "喜欢,u1,c2,2024-03-02 09:30:00,40\n";
  g_autofree char *tmp = g_dir_make_tmp ("cs-app-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "Map.clipscope", NULL);
  g_autofree char *csv = g_build_filename (tmp, "作品数据.csv", NULL);
  g_autoptr(CsProject) created = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  CsImportDialog *dialog;
  CsWindow *window;
  GtkWidget *import_button;
  GtkLabel *problem;

  created = cs_project_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (csv, table, -1, NULL));
  file = g_file_new_for_path (csv);

  window = cs_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_path (window, path);
  g_assert_true (wait_for (has_project, window, 30));

  dialog = cs_window_choose_columns (window, file, CS_TABLE_KIND_EVENTS);
  g_assert_nonnull (dialog);
  g_assert_true (wait_for (dialog_ready, dialog, 30));

  g_assert_cmpstr (cs_import_dialog_get_column (dialog, "viewer"), ==, "用户ID");
  g_assert_cmpstr (cs_import_dialog_get_column (dialog, "clip"), ==, "作品ID");
  g_assert_cmpstr (cs_import_dialog_get_column (dialog, "time"), ==, "观看时间");
  g_assert_cmpstr (cs_import_dialog_get_column (dialog, "watch_time"), ==, "观看时长");
  g_assert_null (cs_import_dialog_get_column (dialog, "text"));

  import_button = find_button_with_label (GTK_WIDGET (dialog), "_Import");
  g_assert_null (find_visible_error_label (GTK_WIDGET (dialog)));
  g_assert_true (gtk_widget_get_sensitive (import_button));

  /* Without a clip column nothing can be imported, and the dialog says why. */
  cs_import_dialog_set_column (dialog, "clip", NULL);
  g_assert_false (gtk_widget_get_sensitive (import_button));
  problem = find_visible_error_label (GTK_WIDGET (dialog));
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (gtk_label_get_text (problem), "Clip"));

  cs_import_dialog_set_column (dialog, "clip", "作品ID");
  cs_import_dialog_set_column (dialog, "text", "备注");
  g_assert_true (gtk_widget_get_sensitive (import_button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.import", NULL));

  g_assert_true (wait_for (has_events, window, 30));
  g_assert_true (wait_for (no_jobs, window, 30));
  g_assert_cmpint (cs_project_get_counts (cs_window_get_project (window))->n_events, ==, 3);

  store = cs_store_open (path, CS_STORE_READ_ONLY, &error);
  g_assert_no_error (error);
  /* 12 + 3 + 40 seconds watched; the three notes stored as comment text. */
  g_assert_cmpint (cs_store_query_int (store, "SELECT sum(watch_ms) FROM events", -1), ==, 55000);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM events WHERE text IN ('好看','一般','喜欢')", -1), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_review (gpointer data)
{
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (CS_IS_IMPORT_REVIEW (l->data) && gtk_widget_get_visible (l->data))
      {
        *(CsImportReview **) data = l->data;
        g_list_free (l);
        return TRUE;
      }
  return FALSE;
}

static gboolean
no_events (gpointer data)
{
  CsProject *project = cs_window_get_project (data);

  return project != NULL && cs_project_get_counts (project)->n_events == 0;
}

/* Clip stats as a Chinese creator centre exports them: the dialog offers
 * the right columns, counts like "1.4万" are read, and a row that cannot be
 * read opens the review, whose Roll Back leaves the project as before. */
static void
test_import_stats_and_rollback (void)
{
  static const char stats[] =
    "作品名称,播放量,点赞,发布时间\n"
    "奶茶新品,1.4万,320,5月31日 23:54\n"
    "门店日常,8600,95,6月1日 08:10\n"
    "开箱,12abc,7,6月2日 12:00\n";
  static const char events[] =
    "user_id,item_id,timestamp\n"
    "u1,c1,1590940440\n"
    "u2,c1,1590940500\n"
    "u3,c2,not a time\n";
  g_autofree char *tmp = g_dir_make_tmp ("cs-app-stats-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "Stats.clipscope", NULL);
  g_autofree char *stats_csv = g_build_filename (tmp, "作品数据.csv", NULL);
  g_autofree char *events_csv = g_build_filename (tmp, "events.csv", NULL);
  g_autoptr(CsProject) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) stats_file = NULL;
  g_autoptr(GFile) events_file = NULL;
  CsImportReview *review = NULL;
  CsImportDialog *dialog;
  CsWindow *window;

  created = cs_project_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (stats_csv, stats, -1, NULL));
  g_assert_true (g_file_set_contents (events_csv, events, -1, NULL));
  stats_file = g_file_new_for_path (stats_csv);
  events_file = g_file_new_for_path (events_csv);

  window = cs_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_path (window, path);
  g_assert_true (wait_for (has_project, window, 30));

  dialog = cs_window_choose_columns (window, stats_file, CS_TABLE_KIND_STATS);
  g_assert_true (wait_for (dialog_ready, dialog, 30));
  g_assert_cmpstr (cs_import_dialog_get_column (dialog, "title"), ==, "作品名称");
  g_assert_cmpstr (cs_import_dialog_get_column (dialog, "views"), ==, "播放量");
  g_assert_cmpstr (cs_import_dialog_get_column (dialog, "likes"), ==, "点赞");
  g_assert_cmpstr (cs_import_dialog_get_column (dialog, "post_time"), ==, "发布时间");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.import", NULL));

  /* "12abc" is refused: the review lists it, Keep leaves the two others. */
  g_assert_true (wait_for (has_review, &review, 30));
  g_assert_cmpuint (cs_import_review_get_n_listed (review), ==, 1);
  /* The project had no clips: both titles are new clips, listed for review. */
  g_assert_cmpuint (cs_import_review_get_n_unmatched (review), ==, 2);
  gtk_window_close (GTK_WINDOW (review));
  g_assert_true (wait_for (no_jobs, window, 30));
  {
    g_autoptr(CsStore) store = cs_store_open (path, CS_STORE_READ_ONLY, &error);

    g_assert_no_error (error);
    /* 1.4万 = 14,000 and 8,600 views. */
    g_assert_cmpint (cs_store_query_int (store, "SELECT sum(views) FROM clip_stats", -1), ==, 22600);
    g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM import_rejects", -1), ==, 1);
    /* The dialog's zone (this computer's) and year (this year) are the
     * project's now, and "5月31日 23:54" was read in them. */
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) posted = g_date_time_new_local (g_date_time_get_year (now), 5, 31, 23, 54, 0);
      g_autofree char *zone = cs_store_get_setting (store, "time_zone");

      g_assert_cmpstr (zone, ==, g_time_zone_get_identifier (local));
      g_assert_cmpint (cs_store_query_int (store, "SELECT posted_at FROM clips WHERE title = '奶茶新品'", -1),
                       ==, g_date_time_to_unix (posted));
    }
  }

  /* An event log with a bad time: Roll Back removes what it added. */
  review = NULL;
  cs_window_import_events (window, events_file);
  g_assert_true (wait_for (has_review, &review, 30));
  g_assert_true (wait_for (has_events, window, 30));
  g_assert_cmpint (cs_project_get_counts (cs_window_get_project (window))->n_events, ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review), "review.rollback", NULL));
  g_assert_true (wait_for (no_events, window, 30));
  g_assert_true (wait_for (no_jobs, window, 30));
  {
    g_autoptr(CsStore) store = cs_store_open (path, CS_STORE_READ_ONLY, &error);

    g_assert_no_error (error);
    g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM viewers", -1), ==, 0);
    /* The stats import stays. */
    g_assert_cmpint (cs_store_query_int (store, "SELECT sum(views) FROM clip_stats", -1), ==, 22600);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Like G_TEST_OPTION_ISOLATE_DIRS, but keeps XDG_DATA_DIRS: without the
 * system MIME database gdk-pixbuf cannot recognise SVG icons that start with
 * an XML declaration. */
static gboolean
predict_done (gpointer data)
{
  CsPredictPage *page = _cs_window_get_predict_page (data);

  return cs_predict_page_get_result (page) != NULL && no_jobs (data);
}

static const char *
predict_state (CsWindow *window)
{
  GtkWidget *stack = adw_bin_get_child (ADW_BIN (_cs_window_get_predict_page (window)));

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static gboolean
predict_has_data (gpointer data)
{
  return g_strcmp0 (predict_state (data), "main") == 0;
}

static gboolean
predict_reloaded (gpointer data)
{
  return cs_predict_page_get_result (_cs_window_get_predict_page (data)) != NULL;
}

static gboolean
predict_scored (gpointer data)
{
  return cs_predict_page_get_scores (_cs_window_get_predict_page (data)) != NULL && no_jobs (data);
}

typedef struct
{
  GtkWidget  *page;
  const char *text;
} ScoreShown;

static gboolean
score_shown (gpointer data)
{
  ScoreShown *shown = data;

  return has_label_text (shown->page, shown->text);
}

static GtkWindow *
find_toplevel (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (window), title) == 0)
        return window;
    }
  return NULL;
}

static gboolean
cell_window_shown (gpointer data)
{
  return find_toplevel (data) != NULL;
}

/* Rows of the first list box under @widget, or -1 without one. */
static int
list_rows (GtkWidget *widget)
{
  int n = 0;

  if (GTK_IS_LIST_BOX (widget))
    {
      for (GtkWidget *row = gtk_widget_get_first_child (widget); row; row = gtk_widget_get_next_sibling (row))
        n += GTK_IS_LIST_BOX_ROW (row);
      return n;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if ((n = list_rows (child)) >= 0)
      return n;
  return -1;
}

/* A demo of 18 clips and 60 viewers at @demo. */
static void
create_predict_demo (const char *demo)
{
  g_autoptr(GError) error = NULL;
  CsDemoOptions options;

  cs_demo_options_init (&options);
  options.n_clips = 18;
  options.n_viewers = 60;
  g_assert_true (cs_demo_create (demo, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A narrow window on @demo's Predict page, once it knows there are data. */
static CsWindow *
open_predict_page (const char *demo)
{
  CsWindow *window = cs_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_path (window, demo);
  g_assert_true (wait_for (has_project, window, 30));
  cs_window_show_page (window, "predict");
  g_assert_true (wait_for (predict_has_data, window, 30));
  return window;
}

/* A new window on @demo, once its newest comparison is loaded. */
static CsWindow *
reopen_predict (const char *demo)
{
  CsWindow *window = cs_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_path (window, demo);
  g_assert_true (wait_for (has_project, window, 30));
  g_assert_true (wait_for (predict_reloaded, window, 30));
  return window;
}

/* The Predict page on a demo of 18 clips: majority and Naive Bayes over 3
 * stratified folds of views in thirds. The folds depend on the class counts
 * alone (cs-predictor.h): each class's rows are dealt round-robin to the
 * folds, starting where the previous class stopped. The majority baseline
 * predicts the class with the most training rows (ties to the lower class),
 * so its accuracy in a fold is that class's share of the test fold; the
 * table shows the mean ± sd over the folds. */
/* The file is there and ends a line (it is written in one go, but may
 * exist empty a moment before). */
static gboolean
file_written (gpointer data)
{
  g_autofree char *text = NULL;
  gsize len = 0;

  return g_file_get_contents (data, &text, &len, NULL) && len > 0 && text[len - 1] == '\n';
}

static void
test_predict_page (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-predict-XXXXXX", NULL);
  g_autofree char *demo = g_build_filename (dir, "Demo.clipscope", NULL);
  g_autofree char *empty = g_build_filename (dir, "Empty.clipscope", NULL);
  g_autoptr(CsProject) created = NULL;
  g_autoptr(GError) error = NULL;
  CsWindow *window;
  CsPredictPage *page;
  const CsPredictResult *result;
  const CsPredictModelResult *majority;
  GtkWidget *label;
  g_autofree char *expected_text = NULL;
  guint largest = 0, n = 0;
  double mean = 0.0, sd = 0.0, share;
  gint64 run_id;

  create_predict_demo (demo);

  window = open_predict_page (demo);

  page = _cs_window_get_predict_page (window);
  g_assert_null (cs_predict_page_get_result (page));
  cs_predict_page_set_model_enabled (page, "logreg", FALSE);
  cs_predict_page_set_folds (page, 3);
  cs_predict_page_run (page);
  g_assert_true (wait_for (predict_done, window, 120));

  result = cs_predict_page_get_result (page);
  g_assert_cmpint (result->models->len, ==, 2);
  g_assert_cmpint (result->n_folds, ==, 3);
  g_assert_cmpstr (result->target_spec, ==, "views:terciles");
  for (guint c = 0; c < result->n_classes; c++)
    {
      largest = MAX (largest, result->class_counts[c]);
      n += result->class_counts[c];
    }
  g_assert_cmpuint (n, ==, result->n_clips);

  majority = g_ptr_array_index (result->models, 0);
  g_assert_cmpstr (majority->name, ==, "majority");
  {
    guint test[3][CS_PREDICT_MAX_CLASSES] = { { 0 } };
    guint start = 0;
    double acc[3];

    for (guint c = 0; c < result->n_classes; c++)
      {
        for (guint i = 0; i < result->class_counts[c]; i++)
          test[(start + i) % 3][c]++;
        start = (start + result->class_counts[c]) % 3;
      }
    for (guint f = 0; f < 3; f++)
      {
        guint predicted = 0, n_test = 0;

        for (guint c = 0; c < result->n_classes; c++)
          {
            n_test += test[f][c];
            if (result->class_counts[c] - test[f][c] > result->class_counts[predicted] - test[f][predicted])
              predicted = c;
          }
        acc[f] = (double) test[f][predicted] / n_test;
        mean += acc[f] / 3.0;
      }
    for (guint f = 0; f < 3; f++)
      sd += (acc[f] - mean) * (acc[f] - mean) / 2.0;
    sd = sqrt (sd);
  }
  share = (double) largest / n;

  /* Row of accuracy, column of the first model. */
  label = gtk_grid_get_child_at (cs_predict_page_get_table (page), 1, CS_PM_ACCURACY + 1);
  g_assert_true (GTK_IS_LABEL (label));
  expected_text = g_strdup_printf ("%.3f ± %.3f", mean, sd);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, expected_text);
  g_test_message ("majority accuracy %s; the largest class has %u of %u clips (%.3f)", expected_text, largest, n, share);

  /* Reopening the project shows the stored comparison again. */
  run_id = result->run_id;
  gtk_window_destroy (GTK_WINDOW (window));
  window = reopen_predict (demo);
  result = cs_predict_page_get_result (_cs_window_get_predict_page (window));
  g_assert_cmpint (result->run_id, ==, run_id);
  label = gtk_grid_get_child_at (cs_predict_page_get_table (_cs_window_get_predict_page (window)), 1, CS_PM_ACCURACY + 1);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, expected_text);

  /* The largest cell of the best model's confusion matrix opens a window
   * with one row per clip in it. */
  {
    const CsPredictModelResult *best = cs_predict_result_find_model (result, result->best);
    guint C = result->n_classes, cell = 0;
    g_autofree char *title = NULL;
    GtkWindow *cell_window;

    g_assert_nonnull (best);
    for (guint k = 1; k < C * C; k++)
      if (best->confusion[k] > best->confusion[cell])
        cell = k;
    title = g_strdup_printf ("%s, predicted %s", result->class_names[cell / C], result->class_names[cell % C]);
    cs_predict_page_open_cell (_cs_window_get_predict_page (window), cell / C, cell % C);
    g_assert_true (wait_for (cell_window_shown, title, 30));
    cell_window = find_toplevel (title);
    g_assert_cmpint (list_rows (GTK_WIDGET (cell_window)), ==, (int) best->confusion[cell]);
    gtk_window_destroy (cell_window);
  }

  /* Under the matrix, the best model class by class: each class's clips
   * (its row's sum), precision (diagonal over the column's sum), recall
   * (over the row's sum) and F1 (2·TP over both sums). */
  {
    const CsPredictModelResult *best = cs_predict_result_find_model (result, result->best);
    GtkGrid *grid = cs_predict_page_get_class_table (_cs_window_get_predict_page (window));
    guint C = result->n_classes;

    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (grid)));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (grid, 2, 0))), ==, "Precision");
    for (guint c = 0; c < C; c++)
      {
        guint truly = 0, named = 0, tp = best->confusion[c * C + c];
        g_autofree char *clips = NULL, *precision = NULL, *recall = NULL, *f1 = NULL;

        for (guint k = 0; k < C; k++)
          {
            truly += best->confusion[c * C + k];
            named += best->confusion[k * C + c];
          }
        clips = g_strdup_printf ("%u", truly);
        precision = g_strdup_printf ("%.3f", named > 0 ? (double) tp / named : 0.0);
        recall = g_strdup_printf ("%.3f", truly > 0 ? (double) tp / truly : 0.0);
        f1 = g_strdup_printf ("%.3f", truly + named > 0 ? 2.0 * tp / (truly + named) : 0.0);
        g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (grid, 0, (int) c + 1))), ==,
                         result->class_names[c]);
        g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (grid, 1, (int) c + 1))), ==, clips);
        g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (grid, 2, (int) c + 1))), ==, precision);
        g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (grid, 3, (int) c + 1))), ==, recall);
        g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (grid, 4, (int) c + 1))), ==, f1);
      }
  }

  /* Export → Table as CSV: the header, then the first model's accuracy
   * with its mean as the table shows it. */
  {
    g_autofree char *csv = g_build_filename (dir, "predict.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (csv);
    const CsPredictModelResult *first = g_ptr_array_index (result->models, 0);
    g_autofree char *expected = g_strdup_printf ("model,label,metric,mean,sd,fold_1,fold_2,fold_3\r\n%s,", first->name);
    g_autofree char *text = NULL;

    cs_predict_page_export_table (_cs_window_get_predict_page (window), file);
    g_assert_true (wait_for (file_written, csv, 30));
    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, expected));
    g_assert_nonnull (strstr (text, ",accuracy,"));
    g_assert_nonnull (strstr (text, ",macro_f1_p_vs_best,"));
  }

  /* Export → Report as PDF, on a worker thread; a missing folder is an
   * error that names the file. */
  {
    g_autofree char *pdf = g_build_filename (dir, "predict.pdf", NULL);
    g_autofree char *bad = g_build_filename (dir, "missing", "predict.pdf", NULL);
    g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf);
    g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
    g_autofree char *text = NULL;
    GError *done = NULL;

    cs_predict_page_export_report_async (_cs_window_get_predict_page (window), pdf_file, NULL,
                                         predict_report_done_cb, &done);
    g_assert_true (wait_for (export_finished, &done, 60));
    g_assert_error (done, G_IO_ERROR, G_IO_ERROR_EXISTS);
    g_clear_error (&done);
    g_assert_true (g_file_get_contents (pdf, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, "%PDF-"));

    cs_predict_page_export_report_async (_cs_window_get_predict_page (window), bad_file, NULL,
                                         predict_report_done_cb, &done);
    g_assert_true (wait_for (export_finished, &done, 30));
    g_assert_nonnull (strstr (done->message, "predict.pdf"));
    g_clear_error (&done);
    g_assert_true (wait_for (has_dialog, window, 30));
    gtk_window_destroy (find_dialog (CS_WINDOW (window)));
  }

  /* Two clips lose their events: Score New Clips lists exactly those. */
  {
    g_autoptr(CsStore) store = cs_store_open (demo, CS_STORE_OPEN_EXISTING, &error);
    const CsPredictScoreResult *scores;

    g_assert_no_error (error);
    g_assert_true (cs_store_exec (store, "DELETE FROM events WHERE clip_id IN (3, 7)", &error));
    g_assert_no_error (error);
    cs_predict_page_score (_cs_window_get_predict_page (window), "nb");
    g_assert_true (wait_for (predict_scored, window, 60));
    scores = cs_predict_page_get_scores (_cs_window_get_predict_page (window));
    g_assert_cmpuint (scores->scores->len, ==, 2);
    g_assert_cmpint (((CsPredictScore *) scores->scores->pdata[0])->clip_id, ==, 3);
    g_assert_cmpint (((CsPredictScore *) scores->scores->pdata[1])->clip_id, ==, 7);
    g_assert_cmpuint (scores->n_train, ==, result->n_clips - 2);
  }

  gtk_window_destroy (GTK_WINDOW (window));

  /* A project without clip statistics or events offers the imports. */
  created = cs_project_open (empty, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  window = cs_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_path (window, empty);
  g_assert_true (wait_for (has_project, window, 30));
  cs_window_show_page (window, "predict");
  g_assert_false (wait_for (predict_has_data, window, 2));
  g_assert_cmpstr (predict_state (window), ==, "empty");
  g_assert_null (cs_predict_page_get_result (_cs_window_get_predict_page (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The number itself: the same 18-clip demo, views as a number over 3 folds.
 * Naive Bayes is on in the form but has no form for a number, so it sits
 * out. The training-mean baseline predicts, for a clip, e^m − 1 with m the
 * mean of ln (1 + views) over the other folds' clips (the models learn
 * log1p of a count); its MAE per fold, mean ± sd, is worked out here from
 * the view events and each clip's fold. Scoring two clips stripped of their
 * events gives each that baseline over the other 16. */
static void
test_predict_number (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-predict-XXXXXX", NULL);
  g_autofree char *demo = g_build_filename (dir, "Demo.clipscope", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) views = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *expected_text = NULL;
  CsWindow *window;
  CsPredictPage *page;
  const CsPredictResult *result;
  const CsPredictModelResult *mean_model;
  GtkWidget *label;
  double mae[3], mean = 0, sd = 0;
  gint64 run_id;

  create_predict_demo (demo);
  {
    g_autoptr(CsStore) store = cs_store_open (demo, CS_STORE_OPEN_EXISTING, &error);
    sqlite3_stmt *stmt;

    g_assert_no_error (error);
    stmt = cs_store_prepare (store, "SELECT clip_id, sum(kind = 1) FROM events GROUP BY clip_id", &error);
    g_assert_no_error (error);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_hash_table_insert (views, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)),
                           GINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
    sqlite3_reset (stmt);
  }

  window = open_predict_page (demo);

  page = _cs_window_get_predict_page (window);
  cs_predict_page_set_target (page, "views:value");
  cs_predict_page_set_folds (page, 3);
  cs_predict_page_run (page);
  g_assert_true (wait_for (predict_done, window, 120));

  result = cs_predict_page_get_result (page);
  g_assert_cmpstr (result->target_spec, ==, "views:value");
  g_assert_true (result->regression && result->log_target);
  g_assert_cmpint (result->models->len, ==, 2);
  mean_model = g_ptr_array_index (result->models, 0);
  g_assert_cmpstr (mean_model->name, ==, "majority");
  g_assert_cmpstr (((CsPredictModelResult *) g_ptr_array_index (result->models, 1))->name, ==, "logreg");
  g_assert_cmpuint (mean_model->clips->len, ==, g_hash_table_size (views));
  /* A number has no classes to list. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cs_predict_page_get_class_table (page))));

  for (guint f = 0; f < 3; f++)
    {
      double train = 0, err = 0;
      guint n_train = 0, n_test = 0;
      double predicted;

      for (guint i = 0; i < mean_model->clips->len; i++)
        {
          const CsPredictClip *clip = g_ptr_array_index (mean_model->clips, i);

          if (clip->fold != f)
            {
              train += log1p (GPOINTER_TO_INT (g_hash_table_lookup (views, &clip->clip_id)));
              n_train++;
            }
        }
      predicted = expm1 (train / n_train);
      for (guint i = 0; i < mean_model->clips->len; i++)
        {
          const CsPredictClip *clip = g_ptr_array_index (mean_model->clips, i);

          if (clip->fold == f)
            {
              err += fabs (GPOINTER_TO_INT (g_hash_table_lookup (views, &clip->clip_id)) - predicted);
              n_test++;
            }
        }
      mae[f] = err / n_test;
      mean += mae[f] / 3;
    }
  for (guint f = 0; f < 3; f++)
    sd += (mae[f] - mean) * (mae[f] - mean) / 2;
  /* An error of a few views is shown to two decimals, the mean and its sd
   * alike. */
  g_assert_cmpfloat (mean, >=, 1);
  g_assert_cmpfloat (mean, <, 10);
  expected_text = g_strdup_printf ("%.2f ± %.2f", mean, sqrt (sd));

  /* Row 1 is MAE, column 1 the baseline. */
  label = gtk_grid_get_child_at (cs_predict_page_get_table (page), 0, 1);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "MAE");
  label = gtk_grid_get_child_at (cs_predict_page_get_table (page), 1, 1);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, expected_text);

  /* Reopened from the history, it is the same comparison. */
  run_id = result->run_id;
  gtk_window_destroy (GTK_WINDOW (window));
  window = reopen_predict (demo);
  result = cs_predict_page_get_result (_cs_window_get_predict_page (window));
  g_assert_cmpint (result->run_id, ==, run_id);
  g_assert_true (result->regression);
  label = gtk_grid_get_child_at (cs_predict_page_get_table (_cs_window_get_predict_page (window)), 1, 1);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, expected_text);

  /* Two clips lose their events: Score New Clips gives each the baseline's
   * number, e^m − 1 with m the mean ln (1 + views) of the other 16 clips,
   * shown as "≈ N views". */
  {
    g_autoptr(CsStore) store = cs_store_open (demo, CS_STORE_OPEN_EXISTING, &error);
    g_autofree char *count = NULL;
    g_autofree char *shown = NULL;
    const CsPredictScoreResult *scores;
    GHashTableIter iter;
    gpointer key, value;
    double log_sum = 0, predicted;
    guint n = 0;

    g_assert_no_error (error);
    g_assert_true (cs_store_exec (store, "DELETE FROM events WHERE clip_id IN (3, 7)", &error));
    g_assert_no_error (error);
    g_hash_table_iter_init (&iter, views);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (*(gint64 *) key != 3 && *(gint64 *) key != 7)
        {
          log_sum += log1p (GPOINTER_TO_INT (value));
          n++;
        }
    predicted = expm1 (log_sum / n);
    page = _cs_window_get_predict_page (window);
    cs_predict_page_score (page, "majority");
    g_assert_true (wait_for (predict_scored, window, 60));
    scores = cs_predict_page_get_scores (page);
    g_assert_true (scores->regression);
    g_assert_cmpuint (scores->scores->len, ==, 2);
    g_assert_cmpuint (scores->n_train, ==, n);
    for (guint i = 0; i < 2; i++)
      g_assert_cmpfloat_with_epsilon (((CsPredictScore *) scores->scores->pdata[i])->value, predicted, 1e-9 * predicted);
    count = cs_format_count (llround (predicted));
    shown = g_strdup_printf ("≈ %s views", count);
    /* The rows come once the clip list (titles, thumbnails) is loaded. */
    g_assert_true (wait_for (score_shown, &(ScoreShown) { GTK_WIDGET (page), shown }, 30));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
isolate_user_dirs (void)
{
  static const char *vars[] = { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };
  g_autofree char *root = g_dir_make_tmp ("cs-test-window-XXXXXX", NULL);

  g_assert_nonnull (root);
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (root, vars[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (vars[i], dir, TRUE);
    }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  isolate_user_dirs ();
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  make_app ();
  g_test_add_func ("/app/window/demo-pages", test_demo_pages);
  g_test_add_func ("/app/window/slice", test_slice);
  g_test_add_func ("/app/window/predict", test_predict_page);
  g_test_add_func ("/app/window/predict-number", test_predict_number);
  g_test_add_func ("/app/window/import-clips", test_import_clips);
  g_test_add_func ("/app/window/generate", test_generate);
  g_test_add_func ("/app/window/import-dialog", test_import_dialog);
  g_test_add_func ("/app/window/import-stats-rollback", test_import_stats_and_rollback);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
