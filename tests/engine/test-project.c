/* test-project.c: opening projects off the main thread, counts and refresh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

#include "cs-error.h"
#include "cs-project.h"

typedef struct
{
  char         *dir;
  GMainContext *context;
  GAsyncResult *result;
  GThread      *main_thread;
  GThread      *callback_thread;
  guint         n_changed;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("clipscope-project-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->context = g_main_context_ref_thread_default ();
  fixture->main_thread = g_thread_self ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  GDir *dir;
  const char *name;

  g_clear_object (&fixture->result);
  g_main_context_unref (fixture->context);

  g_chmod (fixture->dir, 0700);
  dir = g_dir_open (fixture->dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_dir_close (dir);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

static void
store_exec (CsStore    *store,
            const char *sql)
{
  g_autoptr(GError) error = NULL;

  cs_store_exec (store, sql, &error);
  g_assert_no_error (error);
}

/* A small shop: 3 clips, 2 viewers, 5 events, and 2 comparisons of which
 * the first compared 2 models. */
static char *
make_project (Fixture    *fixture,
              const char *name,
              gboolean    simulated)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = cs_store_open (path, CS_STORE_CREATE, &error);

  g_assert_no_error (error);
  store_exec (store,
              "BEGIN;"
              "INSERT INTO clips (id, external_id, title) VALUES"
              "  (1, 'c1', 'Croissant'), (2, 'c2', 'Baguette'), (3, 'c3', 'Tart');"
              "INSERT INTO viewers (id, external_id) VALUES (1, 'v1'), (2, 'v2');"
              "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES"
              "  (1, 1, 100, 1), (1, 2, 200, 1), (1, 2, 210, 2), (2, 3, 300, 1), (2, 1, 400, 4);"
              "INSERT INTO runs (id, parent_id, task, model) VALUES"
              "  (1, NULL, 'recommend', NULL),"
              "  (2, 1, 'recommend', 'popularity'),"
              "  (3, 1, 'recommend', 'itemknn'),"
              "  (4, NULL, 'recommend', NULL);"
              "COMMIT;");
  if (simulated)
    {
      cs_store_set_setting (store, "simulated", "1", &error);
      g_assert_no_error (error);
    }

  return path;
}

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_null (fixture->result);
  fixture->result = g_object_ref (result);
  fixture->callback_thread = g_thread_self ();
}

static void
wait_for_result (Fixture *fixture)
{
  while (fixture->result == NULL)
    g_main_context_iteration (fixture->context, TRUE);
  /* Callbacks reach the main thread, where the window lives. */
  g_assert_true (fixture->callback_thread == fixture->main_thread);
}

static void
changed_cb (CsProject *project,
            Fixture   *fixture)
{
  g_assert_true (g_thread_self () == fixture->main_thread);
  fixture->n_changed++;
}

static void
test_open_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = make_project (fixture, "Bakery Spring.clipscope", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autofree char *prop_path = NULL;
  g_autofree char *prop_title = NULL;
  gboolean prop_simulated = FALSE;
  gboolean prop_read_only = TRUE;
  const CsProjectCounts *counts;

  cs_project_open_async (path, CS_STORE_OPEN_EXISTING, NULL, async_done_cb, fixture);
  wait_for_result (fixture);
  project = cs_project_open_finish (fixture->result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);

  g_assert_cmpstr (cs_project_get_title (project), ==, "Bakery Spring");
  g_assert_cmpstr (cs_project_get_path (project), ==, path);
  g_assert_true (cs_project_get_simulated (project));
  g_assert_false (cs_project_get_read_only (project));

  counts = cs_project_get_counts (project);
  g_assert_cmpint (counts->n_clips, ==, 3);
  g_assert_cmpint (counts->n_viewers, ==, 2);
  g_assert_cmpint (counts->n_events, ==, 5);
  g_assert_cmpint (counts->n_runs, ==, 2);

  g_object_get (project,
                "path", &prop_path,
                "title", &prop_title,
                "simulated", &prop_simulated,
                "read-only", &prop_read_only,
                NULL);
  g_assert_cmpstr (prop_path, ==, path);
  g_assert_cmpstr (prop_title, ==, "Bakery Spring");
  g_assert_true (prop_simulated);
  g_assert_false (prop_read_only);
}

static void
test_open_failures (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "Gone.clipscope", NULL);
  g_autofree char *text = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CsProject *project;

  cs_project_open_async (missing, CS_STORE_OPEN_EXISTING, NULL, async_done_cb, fixture);
  wait_for_result (fixture);
  project = cs_project_open_finish (fixture->result, &error);
  g_assert_null (project);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&fixture->result);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  g_file_set_contents (text, "Buy flour\n", -1, &error);
  g_assert_no_error (error);
  project = cs_project_open (text, CS_STORE_OPEN_EXISTING, &error);
  g_assert_null (project);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_A_PROJECT);
  g_assert_cmpstr (error->message, ==, "“notes.txt” is not a Clipscope project. Open a project that Clipscope made, or create a new one.");
  g_clear_error (&error);

  /* The window cancels what it started when it closes. */
  g_cancellable_cancel (cancellable);
  cs_project_open_async (missing, CS_STORE_CREATE, cancellable, async_done_cb, fixture);
  wait_for_result (fixture);
  project = cs_project_open_finish (fixture->result, &error);
  g_assert_null (project);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static void
test_create_and_title (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "新品.clipscope", NULL);
  g_autofree char *plain = g_build_filename (fixture->dir, "Tea shop", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsProject) other = NULL;
  const CsProjectCounts *counts;

  project = cs_project_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cs_project_get_title (project), ==, "新品");
  g_assert_false (cs_project_get_simulated (project));
  counts = cs_project_get_counts (project);
  g_assert_cmpint (counts->n_clips, ==, 0);
  g_assert_cmpint (counts->n_viewers, ==, 0);
  g_assert_cmpint (counts->n_events, ==, 0);
  g_assert_cmpint (counts->n_runs, ==, 0);

  other = cs_project_open (plain, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cs_project_get_title (other), ==, "Tea shop");
}

typedef struct
{
  CsProject *project;
  GError    *error;
} WorkerData;

/* What an import job does: its own connection, on its own thread. */
static gpointer
add_clip_thread (gpointer user_data)
{
  WorkerData *worker = user_data;
  g_autoptr(CsStore) store = cs_project_open_store (worker->project, &worker->error);

  if (store == NULL)
    return NULL;
  if (cs_store_begin (store, &worker->error) &&
      cs_store_exec (store, "INSERT INTO clips (external_id) VALUES ('c4');"
                            "INSERT INTO viewers (external_id) VALUES ('v3');", &worker->error))
    cs_store_commit (store, &worker->error);

  return NULL;
}

static void
test_refresh (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = make_project (fixture, "Refresh.clipscope", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  WorkerData worker = { NULL, };
  const CsProjectCounts *counts;
  GThread *thread;

  project = cs_project_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_signal_connect (project, "changed", G_CALLBACK (changed_cb), fixture);
  counts = cs_project_get_counts (project);
  g_assert_cmpint (counts->n_clips, ==, 3);

  worker.project = project;
  thread = g_thread_new ("import", add_clip_thread, &worker);
  g_thread_join (thread);
  g_assert_no_error (worker.error);

  /* Nothing changes behind the window's back... */
  g_assert_cmpint (counts->n_clips, ==, 3);
  g_assert_cmpuint (fixture->n_changed, ==, 0);

  /* ...until it asks, and then it hears about it on the main thread. */
  cs_project_refresh_async (project, NULL, async_done_cb, fixture);
  g_assert_cmpuint (fixture->n_changed, ==, 0);
  wait_for_result (fixture);
  g_assert_true (cs_project_refresh_finish (project, fixture->result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  g_assert_cmpint (counts->n_clips, ==, 4);
  g_assert_cmpint (counts->n_viewers, ==, 3);
  g_assert_cmpint (counts->n_events, ==, 5);
  g_assert_cmpint (counts->n_runs, ==, 2);

  /* The blocking variant, as the CLI uses it, with its own connection. */
  store = cs_project_open_store (project, &error);
  g_assert_no_error (error);
  store_exec (store, "DELETE FROM runs WHERE id = 4");
  g_assert_true (cs_project_refresh (project, store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts->n_runs, ==, 1);
  g_assert_cmpint (counts->n_clips, ==, 4);
  g_assert_cmpuint (fixture->n_changed, ==, 1);

  /* A project whose file went away says so instead of showing stale counts. */
  g_clear_object (&store);
  g_clear_object (&fixture->result);
  g_assert_cmpint (g_unlink (path), ==, 0);
  cs_project_refresh_async (project, NULL, async_done_cb, fixture);
  wait_for_result (fixture);
  g_assert_false (cs_project_refresh_finish (project, fixture->result, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  g_assert_cmpint (counts->n_runs, ==, 1);
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = make_project (fixture, "Archive.clipscope", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  gboolean read_only = FALSE;

  project = cs_project_open (path, CS_STORE_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (cs_project_get_read_only (project));
  g_object_get (project, "read-only", &read_only, NULL);
  g_assert_true (read_only);
  g_assert_cmpint (cs_project_get_counts (project)->n_events, ==, 5);

  /* Workers of a read-only project get read-only connections. */
  store = cs_project_open_store (project, &error);
  g_assert_no_error (error);
  g_assert_true (cs_store_is_read_only (store));
  g_assert_false (cs_store_begin (store, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/engine/project/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("open-async", test_open_async);
  ADD ("open-failures", test_open_failures);
  ADD ("create-and-title", test_create_and_title);
  ADD ("refresh", test_refresh);
  ADD ("read-only", test_read_only);

#undef ADD

  return g_test_run ();
}
