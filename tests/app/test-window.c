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
#include "cs-window.h"
#include "cs-window-private.h"

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

/* One application for the whole program, as in the real app. */
static CsApplication *app;

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

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", names[i]);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_cmpstr (cs_window_get_page (window), ==, names[i]);
    }

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

/* Like G_TEST_OPTION_ISOLATE_DIRS, but keeps XDG_DATA_DIRS: without the
 * system MIME database gdk-pixbuf cannot recognise SVG icons that start with
 * an XML declaration. */
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

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
