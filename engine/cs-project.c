/* cs-project.c: a Clipscope project, one SQLite file (*.clipscope).
 *
 * A CsProject holds no database connection. SQLite connections belong to the
 * thread that opened them, and a project is shared by the main thread and the
 * workers, so cs_project_open() uses a connection of the opening thread only
 * to check the file and count its rows, and closes it before returning. Each
 * thread that needs the database opens its own with cs_project_open_store().
 * What the window shows (title, flags, counts) is kept here, so the main
 * thread never has to run a query.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cs-error.h"
#include "cs-project.h"

struct _CsProject
{
  GObject          parent_instance;

  /* Set once by open, then read by any thread. */
  char            *path;
  char            *title;
  CsStoreFlags     flags;
  gboolean         simulated;
  gboolean         read_only;

  /* Written by open, cs_project_refresh() and, on the main thread, by
   * cs_project_refresh_async(). */
  CsProjectCounts  counts;
};

G_DEFINE_FINAL_TYPE (CsProject, cs_project, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_TITLE,
  PROP_SIMULATED,
  PROP_READ_ONLY,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define PROJECT_SUFFIX ".clipscope"

static void
cs_project_finalize (GObject *object)
{
  CsProject *self = (CsProject *)object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (cs_project_parent_class)->finalize (object);
}

static void
cs_project_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CsProject *self = CS_PROJECT (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_SIMULATED:
      g_value_set_boolean (value, self->simulated);
      break;

    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_project_class_init (CsProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cs_project_finalize;
  object_class->get_property = cs_project_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIMULATED] =
    g_param_spec_boolean ("simulated", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CsProject::changed:
   *
   * Emitted on the main thread when cs_project_refresh_async() has fresh
   * counts. It is emitted even when the counts are the same, because rows may
   * have been replaced: views re-read what they show.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
cs_project_init (CsProject *self)
{
}

static char *
title_from_path (const char *path)
{
  char *name = g_filename_display_basename (path);
  gsize len = strlen (name);
  gsize suffix_len = strlen (PROJECT_SUFFIX);

  if (len > suffix_len &&
      g_ascii_strcasecmp (name + len - suffix_len, PROJECT_SUFFIX) == 0)
    name[len - suffix_len] = '\0';

  return name;
}

static gboolean
count_rows (CsStore     *store,
            const char  *sql,
            gint64      *count,
            GError     **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      cs_store_set_error (store, error, _("counting the project’s contents"));
      sqlite3_reset (stmt);
      return FALSE;
    }

  *count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
read_counts (CsStore          *store,
             CsProjectCounts  *counts,
             GError          **error)
{
  sqlite3 *db = cs_store_get_db (store);
  /* One read transaction, so the four counts describe the same moment even
   * while an import commits. A caller already in a transaction has that. */
  gboolean own_transaction = sqlite3_get_autocommit (db) != 0;
  gboolean ok;

  if (own_transaction && !cs_store_exec (store, "BEGIN", error))
    return FALSE;

  ok = count_rows (store, "SELECT count(*) FROM clips", &counts->n_clips, error) &&
       count_rows (store, "SELECT count(*) FROM viewers", &counts->n_viewers, error) &&
       count_rows (store, "SELECT count(*) FROM events", &counts->n_events, error) &&
       count_rows (store, "SELECT count(*) FROM runs WHERE parent_id IS NULL", &counts->n_runs, error);

  if (own_transaction)
    {
      if (ok)
        ok = cs_store_commit (store, error);
      else
        cs_store_rollback (store);
    }

  return ok;
}

CsProject *
cs_project_open (const char    *path,
                 CsStoreFlags   flags,
                 GError       **error)
{
  g_autoptr(CsProject) self = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autofree char *simulated = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  store = cs_store_open (path, flags, error);
  if (store == NULL)
    return NULL;

  self = g_object_new (CS_TYPE_PROJECT, NULL);
  /* Workers open their own connections later, maybe after a chdir. */
  self->path = g_canonicalize_filename (path, NULL);
  self->title = title_from_path (path);
  self->read_only = cs_store_is_read_only (store);
  /* The file exists now: later connections must not create it again. */
  self->flags = self->read_only ? CS_STORE_READ_ONLY : CS_STORE_OPEN_EXISTING;

  simulated = cs_store_get_setting (store, "simulated");
  self->simulated = g_strcmp0 (simulated, "1") == 0;

  if (!read_counts (store, &self->counts, error))
    return NULL;

  return g_steal_pointer (&self);
}

typedef struct
{
  char         *path;
  CsStoreFlags  flags;
} OpenData;

static void
open_data_free (gpointer data)
{
  OpenData *open_data = data;

  g_free (open_data->path);
  g_free (open_data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *open_data = task_data;
  GError *error = NULL;
  CsProject *project;

  if (g_task_return_error_if_cancelled (task))
    return;

  project = cs_project_open (open_data->path, open_data->flags, &error);
  if (project == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, project, g_object_unref);
}

void
cs_project_open_async (const char          *path,
                       CsStoreFlags         flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *open_data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  open_data = g_new0 (OpenData, 1);
  open_data->path = g_strdup (path);
  open_data->flags = flags;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cs_project_open_async);
  g_task_set_task_data (task, open_data, open_data_free);
  g_task_run_in_thread (task, open_thread);
}

CsProject *
cs_project_open_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cs_project_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
cs_project_get_path (CsProject *self)
{
  g_return_val_if_fail (CS_IS_PROJECT (self), NULL);

  return self->path;
}

const char *
cs_project_get_title (CsProject *self)
{
  g_return_val_if_fail (CS_IS_PROJECT (self), NULL);

  return self->title;
}

gboolean
cs_project_get_simulated (CsProject *self)
{
  g_return_val_if_fail (CS_IS_PROJECT (self), FALSE);

  return self->simulated;
}

gboolean
cs_project_get_read_only (CsProject *self)
{
  g_return_val_if_fail (CS_IS_PROJECT (self), FALSE);

  return self->read_only;
}

const CsProjectCounts *
cs_project_get_counts (CsProject *self)
{
  g_return_val_if_fail (CS_IS_PROJECT (self), NULL);

  return &self->counts;
}

CsStore *
cs_project_open_store (CsProject  *self,
                       GError    **error)
{
  g_return_val_if_fail (CS_IS_PROJECT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return cs_store_open (self->path, self->flags, error);
}

gboolean
cs_project_refresh (CsProject  *self,
                    CsStore    *store,
                    GError    **error)
{
  CsProjectCounts counts = { 0, };

  g_return_val_if_fail (CS_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (CS_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!read_counts (store, &counts, error))
    return FALSE;

  self->counts = counts;
  return TRUE;
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CsProject *self = source_object;
  g_autoptr(CsStore) store = NULL;
  g_autofree CsProjectCounts *counts = g_new0 (CsProjectCounts, 1);
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  store = cs_project_open_store (self, &error);
  if (store == NULL || !read_counts (store, counts, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&counts), g_free);
}

/* Runs in the caller's (main) context: only here are the counts stored and
 * ::changed emitted, before the caller's own callback runs. */
static void
refresh_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CsProject *self = CS_PROJECT (object);
  g_autoptr(GTask) outer = user_data;
  g_autofree CsProjectCounts *counts = NULL;
  GError *error = NULL;

  counts = g_task_propagate_pointer (G_TASK (result), &error);
  if (counts == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }

  self->counts = *counts;
  g_signal_emit (self, signals[CHANGED], 0);
  g_task_return_boolean (outer, TRUE);
}

void
cs_project_refresh_async (CsProject           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;

  g_return_if_fail (CS_IS_PROJECT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cs_project_refresh_async);

  inner = g_task_new (self, cancellable, refresh_done_cb, g_steal_pointer (&outer));
  g_task_run_in_thread (inner, refresh_thread);
}

gboolean
cs_project_refresh_finish (CsProject     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (CS_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cs_project_refresh_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
