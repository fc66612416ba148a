/* cs-generate-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "cs-chart-view.h"
#include "cs-compat.h"
#include "cs-generate-page.h"
#include "cs-line-layer.h"
#include "cs-page-export.h"

/* How often the page re-reads a run in training. */
#define LIVE_INTERVAL_MS 2000

/* The curves the engine stores per run (cs-generate.c), in this order. */
enum { CURVE_D, CURVE_G, CURVE_RECON, CURVE_KL, N_CURVES };
static const char * const curve_names[N_CURVES] = { "d_loss", "g_loss", "recon", "kl" };

/* A run as stored in the project, read on a worker. */
typedef struct
{
  gint64      run_id;
  CsGenKind   kind;
  int         size;
  int         batch;
  int         steps_total;
  guint64     seed;
  gint64      frame_set_id;
  char       *status;       /* running, done, cancelled, failed */
  char       *error;
  guint       n_points;     /* steps with stored losses */
  double     *curves[N_CURVES];
  GBytes     *grid_png;
  GdkTexture *grid;         /* decoded on the worker */
  gint64      grid_step;
  int         n_classes;    /* conditioned: one grid row per class */
  char       *condition;    /* "views" or "like_rate" */
  gboolean    fitted_prior; /* VAE samples drawn from the fitted prior */
  GdkTexture *grid_shown;   /* the grid with its rows labelled (conditioned) */
  double      recon_heldout, kl_heldout, frechet, frechet_real, nearest_rms, step_s;
} RunView;

static void
run_view_free (RunView *view)
{
  if (view == NULL)
    return;
  g_free (view->status);
  g_free (view->error);
  for (guint c = 0; c < N_CURVES; c++)
    g_free (view->curves[c]);
  g_clear_pointer (&view->grid_png, g_bytes_unref);
  g_clear_object (&view->grid);
  g_clear_object (&view->grid_shown);
  g_free (view->condition);
  g_free (view);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunView, run_view_free)

struct _CsGeneratePage
{
  AdwBin           parent_instance;

  CsProject       *project;
  CsJobList       *jobs;
  CsJob           *job;          /* the running training */
  gint64           job_run_id;   /* resumed run, or 0 */
  gint64           job_after_id; /* a new run has an id above this */
  RunView         *view;         /* the run shown */
  char            *quality_text;
  GArray          *clip_ids;     /* gint64, clips with a video file */
  GPtrArray       *clip_checks;  /* GtkCheckButton*, matching clip_ids */
  CsChart         *chart;
  CsLineLayer     *lines;
  GCancellable    *cancellable;  /* for loads; replaced on each refresh */
  GCancellable    *nearest_cancellable;
  GBindingGroup   *job_bindings;
  guint            live_timer;
  gboolean         live_pending;
  GdkTexture      *sample;       /* the chosen sample, at its size */
  GBytes          *sample_png;   /* the same, for its export */
  guint            strip_path;   /* which pair of end points */
  GCancellable    *strip_cancellable;

  GtkStack        *stack;
  AdwComboRow     *model_row;
  AdwActionRow    *prior_row;
  GtkSwitch       *prior_switch;
  AdwExpanderRow  *clips_row;
  AdwExpanderRow  *condition_row;
  AdwComboRow     *metric_row;
  AdwComboRow     *size_row;
  GtkSpinButton   *rate_spin;
  GtkSpinButton   *steps_spin;
  GtkSpinButton   *batch_spin;
  GtkSpinButton   *seed_spin;
  GtkWidget       *start_button;
  GtkWidget       *resume_button;
  GtkWidget       *cancel_button;
  GtkProgressBar  *progress;
  GtkWidget       *results_box;
  GtkLabel        *results_title;
  GtkLabel        *summary_label;
  GtkPicture      *grid_picture;
  GtkLabel        *quality_label;
  CsChartView     *chart_view;
  GtkWidget       *nearest_group;
  GtkSpinButton   *sample_spin;
  GtkWidget       *nearest_box;
  GtkPicture      *sample_picture;
  GtkPicture      *nearest_picture;
  GtkLabel        *nearest_label;
  GtkWidget       *strip_group;
  GtkPicture      *strip_picture;
  GtkWidget       *export_button;
};

G_DEFINE_FINAL_TYPE (CsGeneratePage, cs_generate_page, ADW_TYPE_BIN)

static void update_nearest (CsGeneratePage *self);
static void update_strip   (CsGeneratePage *self);

/* ---- Reading runs (worker threads) ---------------------------------------- */

static double *
doubles_from_le (const void *blob, gsize bytes, guint *n)
{
  const guint64 *in = blob;
  double *out;

  *n = bytes / sizeof (guint64);
  out = g_new (double, MAX (*n, 1));
  for (guint i = 0; i < *n; i++)
    {
      guint64 bits = GUINT64_FROM_LE (in[i]);

      memcpy (&out[i], &bits, sizeof bits);
    }
  return out;
}

/* A connection of the worker's own; on failure @task has returned the error. */
static CsStore *
open_store (GTask      *task,
            const char *path)
{
  GError *error = NULL;
  CsStore *store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  return store;
}

/* The run @run_id, or with 0 the newest Generate run whose id is above
 * @after_id; NULL without error when there is none. */
/* The name of class @k of @n (the Predict terciles: low, medium, high). */
static const char *
class_name (int k, int n)
{
  if (n == 3)
    return k == 0 ? _("Low") : k == 1 ? _("Medium") : _("High");
  return NULL;
}

/* A conditioned grid has a row of samples per class (cs-generate.h): the
 * page shows it with each row's class written on its left, drawn into the
 * image so the names stay beside their rows at any zoom. */
static GdkTexture *
label_rows (GdkTexture *grid, int n_classes)
{
  int w = gdk_texture_get_width (grid), h = gdk_texture_get_height (grid);
  int rows = n_classes, label_w = 96, row_h = (h - 2) / MAX (rows, 1);
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *grid_surface, *surface;
  PangoLayout *layout;
  PangoFontDescription *font;
  cairo_t *cr;
  guchar *data;
  int stride;

  grid_surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_surface_flush (grid_surface);
  gdk_texture_download (grid, cairo_image_surface_get_data (grid_surface),
                        cairo_image_surface_get_stride (grid_surface));
  cairo_surface_mark_dirty (grid_surface);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, label_w + w, h);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_surface (cr, grid_surface, label_w, 0);
  cairo_paint (cr);
  layout = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string ("Sans Bold");
  pango_font_description_set_absolute_size (font, MAX (9, MIN (row_h / 3, 16)) * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (label_w - 8) * PANGO_SCALE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  for (int k = 0; k < rows; k++)
    {
      const char *name = class_name (k, n_classes);
      g_autofree char *fallback = name ? NULL : g_strdup_printf (_("Class %d"), k + 1);
      int th;

      pango_layout_set_text (layout, name ? name : fallback, -1);
      pango_layout_get_pixel_size (layout, NULL, &th);
      cairo_move_to (cr, 0, 2 + k * row_h + (row_h - 2 - th) / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
  pango_font_description_free (font);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (grid_surface);

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new (data, (gsize) stride * h);
  cairo_surface_destroy (surface);
  return gdk_memory_texture_new (label_w + w, h, GDK_MEMORY_DEFAULT, bytes, stride);
}

static RunView *
load_run (CsStore  *store,
          gint64    run_id,
          gint64    after_id,
          GError  **error)
{
  g_autoptr(RunView) view = g_new0 (RunView, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  sqlite3_stmt *stmt;
  const char *params = NULL;

  stmt = cs_store_prepare (store, run_id > 0
                           ? "SELECT id, model, params, seed, status, error FROM runs WHERE id = ?"
                           : "SELECT id, model, params, seed, status, error FROM runs"
                             " WHERE task = 'generate' AND id > ? ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id > 0 ? run_id : after_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  view->run_id = sqlite3_column_int64 (stmt, 0);
  if (!cs_gen_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &view->kind))
    view->kind = CS_GEN_VAE;
  params = (const char *) sqlite3_column_text (stmt, 2);
  if (params != NULL && json_parser_load_from_data (parser, params, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));

      view->size = (int) json_object_get_int_member_with_default (o, "size", 0);
      view->batch = (int) json_object_get_int_member_with_default (o, "batch", 0);
      view->steps_total = (int) json_object_get_int_member_with_default (o, "steps", 0);
      view->frame_set_id = json_object_get_int_member_with_default (o, "frame_set_id", 0);
      view->fitted_prior = g_strcmp0 (json_object_get_string_member_with_default (o, "prior", NULL),
                                      "fitted") == 0;
      if (json_object_has_member (o, "condition") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "condition")))
        {
          JsonObject *c = json_object_get_object_member (o, "condition");

          view->n_classes = (int) json_object_get_int_member_with_default (c, "n_classes", 0);
          view->condition = g_strdup (json_object_get_string_member_with_default (c, "metric", "views"));
        }
    }
  view->seed = (guint64) sqlite3_column_int64 (stmt, 3);
  view->status = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  view->error = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  sqlite3_reset (stmt);

  for (guint c = 0; c < N_CURVES; c++)
    {
      stmt = cs_store_prepare (store, "SELECT y FROM curves WHERE run_id = ? AND name = ? AND fold = -1", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, view->run_id);
      sqlite3_bind_text (stmt, 2, curve_names[c], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          guint n;

          view->curves[c] = doubles_from_le (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0), &n);
          view->n_points = c == 0 ? n : MIN (view->n_points, n);
        }
      sqlite3_reset (stmt);
    }

  stmt = cs_store_prepare (store, "SELECT step, data FROM generated_images WHERE run_id = ?"
                                  " ORDER BY step DESC, id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, view->run_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      view->grid_step = sqlite3_column_int64 (stmt, 0);
      view->grid_png = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (view->grid_png != NULL)
    {
      g_autoptr(GError) decode_error = NULL;

      view->grid = gdk_texture_new_from_bytes (view->grid_png, &decode_error);
      if (view->grid == NULL)
        g_warning ("Could not decode the samples of run %" G_GINT64_FORMAT ": %s",
                   view->run_id, decode_error->message);
      else if (view->n_classes > 0)
        view->grid_shown = label_rows (view->grid, view->n_classes);
    }

  view->recon_heldout = view->kl_heldout = view->frechet = NAN;
  view->frechet_real = view->nearest_rms = view->step_s = NAN;
  stmt = cs_store_prepare (store, "SELECT name, value FROM metrics WHERE run_id = ? AND fold = -1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, view->run_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      double value = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 1);

      if (g_strcmp0 (name, "recon_heldout") == 0)
        view->recon_heldout = value;
      else if (g_strcmp0 (name, "kl_heldout") == 0)
        view->kl_heldout = value;
      else if (g_strcmp0 (name, "frechet_pixel_projection") == 0)
        view->frechet = value;
      else if (g_strcmp0 (name, "frechet_real_heldout") == 0)
        view->frechet_real = value;
      else if (g_strcmp0 (name, "nearest_real_rms") == 0)
        view->nearest_rms = value;
      else if (g_strcmp0 (name, "step_s") == 0)
        view->step_s = value;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&view);
}

typedef struct
{
  char   *project_path;
  gint64  run_id;
  gint64  after_id;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->project_path);
  g_free (load);
}

static void
load_run_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  LoadData *load = task_data;
  g_autoptr(CsStore) store = NULL;
  GError *error = NULL;
  RunView *view;

  store = open_store (task, load->project_path);
  if (store == NULL)
    return;
  view = load_run (store, load->run_id, load->after_id, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, view, (GDestroyNotify) run_view_free);
}

/* ---- Showing a run ---------------------------------------------------------- */

static gboolean
has_value (double v)
{
  return isfinite (v);
}

static char *
quality_text (const RunView *view)
{
  GString *text = g_string_new (NULL);

  if (has_value (view->recon_heldout))
    /* Translators: figures of a VAE on frames it did not train on. */
    g_string_append_printf (text, _("Reconstruction error on held-out frames: %.4g per frame · KL: %.4g\n"),
                            view->recon_heldout, view->kl_heldout);
  if (has_value (view->frechet))
    {
      g_string_append_printf (text, _("Fréchet pixel-projection distance: %.4g (lower is closer to your frames)"),
                              view->frechet);
      if (has_value (view->frechet_real))
        g_string_append_printf (text, _("; between two sets of your real frames: %.4g, what a perfect model would approach"),
                                view->frechet_real);
      g_string_append_c (text, '\n');
    }
  if (has_value (view->nearest_rms))
    g_string_append_printf (text, _("Mean difference between a sample and its nearest training frame: %.3f "
                                    "(0 would be a copy, 2 the opposite colours)\n"), view->nearest_rms);
  if (text->len > 0)
    g_string_truncate (text, text->len - 1);
  else if (g_strcmp0 (view->status, "running") == 0)
    g_string_append (text, _("The quality figures come when training ends."));
  return g_string_free (text, FALSE);
}

static const char *
status_text (const char *status)
{
  if (g_strcmp0 (status, "running") == 0)
    return _("training");
  if (g_strcmp0 (status, "done") == 0)
    return _("done");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("stopped; the checkpoint is kept");
  if (g_strcmp0 (status, "failed") == 0)
    return _("failed");
  return status;
}

static void
update_buttons (CsGeneratePage *self)
{
  gboolean running = self->job != NULL;
  gboolean resumable = FALSE;

  if (self->view != NULL && !running && g_strcmp0 (self->view->status, "running") != 0)
    resumable = g_strcmp0 (self->view->status, "done") != 0 ||
                gtk_spin_button_get_value_as_int (self->steps_spin) > (int) self->view->n_points;
  resumable = resumable && self->view->n_points > 0;
  gtk_widget_set_sensitive (self->start_button, !running && self->project != NULL &&
                            !cs_project_get_read_only (self->project));
  gtk_widget_set_visible (self->resume_button, resumable);
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), running);
}

static void
show_run (CsGeneratePage *self)
{
  const RunView *view = self->view;
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *per_step = NULL;
  double *xs;

  g_clear_pointer (&self->quality_text, g_free);
  update_buttons (self);
  gtk_widget_set_visible (self->results_box, view != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-grid", view != NULL && view->grid_png != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-chart", view != NULL && view->n_points > 0);
  if (view == NULL)
    {
      cs_line_layer_clear (self->lines);
      gtk_picture_set_paintable (self->grid_picture, NULL);
      return;
    }

  /* Translators: "Run 4 · VAE, 32 × 32". */
  title = g_strdup_printf (_("Run %" PRId64 " · %s, %d × %d"), view->run_id,
                           view->kind == CS_GEN_VAE ? _("VAE") : _("DCGAN"), view->size, view->size);
  gtk_label_set_label (self->results_title, title);
  if (has_value (view->step_s))
    per_step = g_strdup_printf (_(", %.2f s per step"), view->step_s);
  if (view->n_classes > 0)
    {
      g_autofree char *t = g_strdup_printf (_("%s · conditioned on %s"), title,
                                            g_strcmp0 (view->condition, "like_rate") == 0 ? _("like rate") : _("views"));

      g_free (title);
      title = g_steal_pointer (&t);
      gtk_label_set_label (self->results_title, title);
    }
  /* Translators: "Step 120 of 500 (training), batch 64, seed 42, samples of step 100". */
  summary = g_strdup_printf (_("Step %u of %d (%s), batch %d, seed %" PRIu64 "%s; samples of step %" PRId64),
                             (guint) MAX ((gint64) view->n_points, view->grid_step), view->steps_total,
                             status_text (view->status), view->batch,
                             view->seed, per_step ? per_step : "", view->grid_step);
  if (view->fitted_prior)
    {
      g_autofree char *t = g_strconcat (summary, _(", drawn where the training frames lie"), NULL);

      g_free (summary);
      summary = g_steal_pointer (&t);
    }
  if (view->error != NULL)
    {
      g_autofree char *with_error = g_strconcat (summary, "\n", view->error, NULL);

      gtk_label_set_label (self->summary_label, with_error);
    }
  else
    gtk_label_set_label (self->summary_label, summary);

  gtk_picture_set_paintable (self->grid_picture,
                             GDK_PAINTABLE (view->grid_shown ? view->grid_shown : view->grid));
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->sample_spin),
                            view->n_classes > 0 ? 8 * view->n_classes : 64);

  self->quality_text = quality_text (view);
  gtk_label_set_label (self->quality_label, self->quality_text);
  gtk_widget_set_visible (GTK_WIDGET (self->quality_label), self->quality_text[0] != '\0');

  cs_line_layer_clear (self->lines);
  xs = g_new (double, MAX (view->n_points, 1));
  for (guint i = 0; i < view->n_points; i++)
    xs[i] = i + 1;
  if (view->n_points > 0 && view->kind == CS_GEN_VAE)
    {
      cs_line_layer_add_series (self->lines, _("Reconstruction"), xs, view->curves[CURVE_RECON], view->n_points);
      cs_line_layer_add_series (self->lines, _("KL"), xs, view->curves[CURVE_KL], view->n_points);
    }
  else if (view->n_points > 0)
    {
      cs_line_layer_add_series (self->lines, _("Discriminator"), xs, view->curves[CURVE_D], view->n_points);
      cs_line_layer_add_series (self->lines, _("Generator"), xs, view->curves[CURVE_G], view->n_points);
    }
  g_free (xs);
  cs_chart_set_y_label (self->chart, view->kind == CS_GEN_VAE ? _("Loss per frame") : _("Loss (binary cross-entropy)"));

  /* The comparisons wait for training to end: the grid changes meanwhile. */
  gtk_widget_set_visible (self->nearest_group, view->grid != NULL && self->job == NULL);
  gtk_widget_set_visible (self->nearest_box, view->grid != NULL && self->job == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->nearest_label), view->grid != NULL && self->job == NULL);
  update_nearest (self);
  update_strip (self);
}

static void
set_view (CsGeneratePage *self,
          RunView        *view)
{
  g_clear_pointer (&self->view, run_view_free);
  self->view = view;
  show_run (self);
}

/* ---- Live view while training ------------------------------------------- */

static void
live_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CsGeneratePage) self = user_data;
  g_autoptr(GError) error = NULL;
  RunView *view = g_task_propagate_pointer (G_TASK (result), &error);

  self->live_pending = FALSE;
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the run in training: %s", error->message);
      return;
    }
  if (view == NULL)
    return;
  if (self->job == NULL)
    {
      /* Training ended meanwhile: the final read is under way. */
      run_view_free (view);
      return;
    }
  set_view (self, view);
}

static void
start_load (CsGeneratePage      *self,
            gint64               run_id,
            gint64               after_id,
            GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load = g_new0 (LoadData, 1);

  load->project_path = g_strdup (cs_project_get_path (self->project));
  load->run_id = run_id;
  load->after_id = after_id;
  task = g_task_new (NULL, self->cancellable, callback, g_object_ref (self));
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_run_thread);
}

static gboolean
live_tick_cb (gpointer user_data)
{
  CsGeneratePage *self = user_data;

  if (!self->live_pending && self->project != NULL)
    {
      self->live_pending = TRUE;
      start_load (self, self->job_run_id, self->job_after_id, live_loaded_cb);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- Training --------------------------------------------------------------- */

typedef struct
{
  char              *project_path;
  CsGenerateRequest  request;
  CsGenerateResult  *result;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  g_free (run->project_path);
  g_clear_pointer (&run->request.clip_ids, g_array_unref);
  g_clear_pointer (&run->result, cs_generate_result_free);
  g_free (run);
}

static gboolean
run_job_func (CsJob         *job,
              gpointer       task_data,
              GCancellable  *cancellable,
              GError       **error)
{
  RunData *run = task_data;
  g_autoptr(CsStore) store = NULL;
  g_autofree char *message = NULL;

  store = cs_store_open (run->project_path, CS_STORE_OPEN_EXISTING, error);
  if (store == NULL)
    return FALSE;
  run->result = cs_generate_run (store, &run->request, cs_job_progress_func, job, cancellable, error);
  if (run->result == NULL)
    return FALSE;
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Trained for %" PRId64 " step on %d frames",
                                          "Trained for %" PRId64 " steps on %d frames",
                                          (gulong) run->result->steps),
                             run->result->steps, run->result->n_train);
  cs_job_update (job, 1.0, message);
  return TRUE;
}

static void
final_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CsGeneratePage) self = user_data;
  g_autoptr(GError) error = NULL;
  RunView *view = g_task_propagate_pointer (G_TASK (result), &error);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the trained run: %s", error->message);
      return;
    }
  if (view != NULL && self->job == NULL)
    set_view (self, view);
  else
    run_view_free (view);
}

static void
set_running (CsGeneratePage *self,
             CsJob          *job)
{
  g_set_object (&self->job, job);
  g_binding_group_set_source (self->job_bindings, job);
  g_clear_handle_id (&self->live_timer, g_source_remove);
  if (job != NULL)
    self->live_timer = g_timeout_add (LIVE_INTERVAL_MS, live_tick_cb, self);
  update_buttons (self);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CsGeneratePage) self = user_data;
  g_autoptr(CsJob) job = g_object_ref (CS_JOB (object));
  RunData *run = g_object_get_data (object, "cs-run");
  gint64 run_id = run->result != NULL ? run->result->run_id : self->job_run_id;
  gint64 after_id = self->job_after_id;

  /* Failures and cancels reach the user through the window's toast; the
   * stored run (with its last checkpoint) is shown either way. */
  cs_job_run_finish (job, result, NULL);
  set_running (self, NULL);
  if (self->project == NULL)
    return;
  start_load (self, run_id, after_id, final_loaded_cb);
  cs_project_refresh_async (self->project, NULL, NULL, NULL);
}

static const int sizes[] = { 32, 64 };

/* Only a VAE has a prior to choose. */
static void
model_changed_cb (CsGeneratePage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->prior_row), adw_combo_row_get_selected (self->model_row) != 1);
}

static void
start_job (CsGeneratePage *self,
           gint64          resume_run_id)
{
  g_autoptr(CsJob) job = NULL;
  RunData *run;
  CsGenerateRequest *r;

  if (self->project == NULL || self->job != NULL)
    return;

  run = g_new0 (RunData, 1);
  run->project_path = g_strdup (cs_project_get_path (self->project));
  r = &run->request;
  cs_generate_request_init (r);
  r->kind = adw_combo_row_get_selected (self->model_row) == 1 ? CS_GEN_DCGAN : CS_GEN_VAE;
  if (r->kind == CS_GEN_VAE)
    r->prior = gtk_switch_get_active (self->prior_switch) ? "fitted" : "standard";
  r->size = sizes[MIN (adw_combo_row_get_selected (self->size_row), G_N_ELEMENTS (sizes) - 1)];
  r->rate = gtk_spin_button_get_value (self->rate_spin);
  r->steps = gtk_spin_button_get_value_as_int (self->steps_spin);
  r->batch = gtk_spin_button_get_value_as_int (self->batch_spin);
  r->seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  /* Samples are cheap (64 images and a PNG): every 20 steps keeps the grid
   * a few seconds fresh. A checkpoint writes the whole training state (about
   * 10 MB at 32×32, 30–75 MB at 64×64), so the loss curves, saved with it,
   * come every 25 or 50 steps. */
  r->sample_every = 20;
  r->checkpoint_every = r->size == 32 ? 25 : 50;
  if (adw_expander_row_get_enable_expansion (self->condition_row))
    r->condition = adw_combo_row_get_selected (self->metric_row) == 1 ? "like_rate" : "views";
  if (adw_expander_row_get_enable_expansion (self->clips_row) && self->clip_ids != NULL)
    {
      r->clip_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = 0; i < self->clip_checks->len; i++)
        if (gtk_check_button_get_active (g_ptr_array_index (self->clip_checks, i)))
          g_array_append_val (r->clip_ids, g_array_index (self->clip_ids, gint64, i));
      if (r->clip_ids->len == 0)
        {
          cs_page_toast (GTK_WIDGET (self), _("Choose at least one clip, or switch off “Only Some Clips”"));
          run_data_free (run);
          return;
        }
    }
  if (resume_run_id > 0)
    {
      r->resume_run_id = resume_run_id;
      r->steps = MAX (r->steps, self->view != NULL ? self->view->steps_total : 0);
    }
  self->job_run_id = resume_run_id;
  self->job_after_id = self->view != NULL ? self->view->run_id : 0;

  job = cs_job_new (resume_run_id > 0 ? _("Resuming training") : _("Training a frame generator"));
  g_object_set_data_full (G_OBJECT (job), "cs-run", run, run_data_free);
  cs_job_list_add (self->jobs, job);
  set_running (self, job);
  cs_job_run_async (job, run_job_func, run, NULL, run_done_cb, g_object_ref (self));
}

void
cs_generate_page_start (CsGeneratePage *self)
{
  g_return_if_fail (CS_IS_GENERATE_PAGE (self));

  start_job (self, 0);
}

static void
start_clicked_cb (CsGeneratePage *self)
{
  start_job (self, 0);
}

static void
resume_clicked_cb (CsGeneratePage *self)
{
  if (self->view != NULL)
    start_job (self, self->view->run_id);
}

static void
cancel_clicked_cb (CsGeneratePage *self)
{
  if (self->job != NULL)
    cs_job_cancel (self->job);
}

/* ---- Nearest real frame (worker) ------------------------------------------ */

typedef struct
{
  char       *project_path;
  gint64      frame_set_id;
  int         size;
  int         index;
  GdkTexture *grid;
  GdkTexture *sample;     /* out */
  GBytes     *sample_png; /* out */
  GdkTexture *nearest;    /* out */
  double      rms;        /* out */
} NearestData;

static void
nearest_data_free (gpointer data)
{
  NearestData *n = data;

  g_free (n->project_path);
  g_clear_object (&n->grid);
  g_clear_object (&n->sample);
  g_clear_pointer (&n->sample_png, g_bytes_unref);
  g_clear_object (&n->nearest);
  g_free (n);
}

static GdkTexture *
texture_from_rgb (guint8 *rgb, int size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_take (rgb, (gsize) 3 * size * size);

  return gdk_memory_texture_new (size, size, GDK_MEMORY_R8G8B8, bytes, (gsize) 3 * size);
}

/* The sample is cut out of the stored grid (rows of 8 images of size²,
 * 2-pixel gutters: cs_gen_grid_png), so a reopened run needs no model. */
static void
nearest_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  NearestData *n = task_data;
  int size = n->size, side, rows, x0, y0;
  gsize d = (gsize) 3 * size * size;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsFrameTensor) frames = NULL;
  g_autofree guint8 *grid = NULL;
  g_autofree float *image = NULL;
  guint8 *sample_rgb, *nearest_rgb;
  GError *error = NULL;
  int best;

  side = gdk_texture_get_width (n->grid);
  rows = size > 0 ? (gdk_texture_get_height (n->grid) - 2) / (size + 2) : 0;
  if (size <= 0 || side != 8 * size + 18 || gdk_texture_get_height (n->grid) != rows * (size + 2) + 2 ||
      n->index >= 8 * rows)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The stored samples are not a grid of %d-pixel frames, 8 to a row"), size);
      return;
    }
  grid = g_malloc ((gsize) 4 * side * gdk_texture_get_height (n->grid));
  gdk_texture_download (n->grid, grid, (gsize) 4 * side);
  x0 = 2 + (n->index % 8) * (size + 2);
  y0 = 2 + (n->index / 8) * (size + 2);
  image = g_new (float, d);
  sample_rgb = g_malloc (d);
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      for (int c = 0; c < 3; c++)
        {
          /* gdk_texture_download gives B, G, R, A in memory order. */
          guint8 v = grid[((gsize) (y0 + y) * side + x0 + x) * 4 + 2 - c];

          sample_rgb[((gsize) y * size + x) * 3 + c] = v;
          image[(gsize) c * size * size + (gsize) y * size + x] = v / 127.5f - 1.0f;
        }
  n->sample = texture_from_rgb (sample_rgb, size);
  n->sample_png = gdk_texture_save_to_png_bytes (n->sample);

  store = cs_store_open (n->project_path, CS_STORE_OPEN_EXISTING, &error);
  if (store == NULL || (frames = cs_frame_set_load (store, n->frame_set_id, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (frames->size != size || frames->n == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The run’s frame set no longer matches its samples"));
      return;
    }
  best = cs_gen_nearest (image, frames->data, frames->n, d, &n->rms);
  nearest_rgb = g_malloc (d);
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      for (int c = 0; c < 3; c++)
        {
          float v = frames->data[d * best + (gsize) c * size * size + (gsize) y * size + x];

          nearest_rgb[((gsize) y * size + x) * 3 + c] = (guint8) CLAMP (lrintf ((v + 1.0f) * 127.5f), 0, 255);
        }
  n->nearest = texture_from_rgb (nearest_rgb, size);
  g_task_return_boolean (task, TRUE);
}

static void
nearest_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CsGeneratePage) self = user_data;
  NearestData *n = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_label (self->nearest_label, error->message);
      return;
    }
  g_set_object (&self->sample, n->sample);
  g_clear_pointer (&self->sample_png, g_bytes_unref);
  self->sample_png = g_bytes_ref (n->sample_png);
  gtk_picture_set_paintable (self->sample_picture, GDK_PAINTABLE (n->sample));
  gtk_picture_set_paintable (self->nearest_picture, GDK_PAINTABLE (n->nearest));
  /* Translators: the sample (left) and the most similar training frame (right). */
  text = g_strdup_printf (_("Left: sample %d. Right: the most similar of the training frames, "
                            "a mean difference of %.3f per value (0 would be a copy)."), n->index + 1, n->rms);
  gtk_label_set_label (self->nearest_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-sample", TRUE);
}

static void
update_nearest (CsGeneratePage *self)
{
  g_autoptr(GTask) task = NULL;
  NearestData *n;

  g_cancellable_cancel (self->nearest_cancellable);
  g_set_object (&self->nearest_cancellable, g_cancellable_new ());
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-sample", FALSE);
  /* While training, the grid changes every few seconds; the comparison is
   * made once training has ended. */
  if (self->view == NULL || self->view->grid == NULL || self->project == NULL ||
      self->view->frame_set_id <= 0 || self->job != NULL)
    {
      gtk_picture_set_paintable (self->sample_picture, NULL);
      gtk_picture_set_paintable (self->nearest_picture, NULL);
      gtk_label_set_label (self->nearest_label, "");
      return;
    }
  n = g_new0 (NearestData, 1);
  n->project_path = g_strdup (cs_project_get_path (self->project));
  n->frame_set_id = self->view->frame_set_id;
  n->size = self->view->size;
  n->index = CLAMP (gtk_spin_button_get_value_as_int (self->sample_spin), 1,
                    self->view->n_classes > 0 ? 8 * self->view->n_classes : 64) - 1;
  n->grid = g_object_ref (self->view->grid);
  task = g_task_new (NULL, self->nearest_cancellable, nearest_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, update_nearest);
  g_task_set_task_data (task, n, nearest_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, nearest_thread);
}

static void
sample_changed_cb (CsGeneratePage *self)
{
  update_nearest (self);
}

/* ---- Latent interpolation strip (worker) ---------------------------------- */

#define STRIP_N     8
#define STRIP_BATCH 64

typedef struct
{
  char       *project_path;
  gint64      run_id;
  CsGenKind   kind;
  int         size;
  int         batch;
  int         n_classes;
  int         row;     /* class of the strip when conditioned */
  guint64     seed;
  guint       path;
  GdkTexture *strip;   /* out */
} StripData;

static void
strip_data_free (gpointer data)
{
  StripData *strip = data;

  g_free (strip->project_path);
  g_clear_object (&strip->strip);
  g_free (strip);
}

/* Spherical interpolation, which keeps the points at the typical distance
 * from the origin of N(0, I) (a straight line passes closer to it). */
static void
slerp (const float *a,
       const float *b,
       float        t,
       int          n,
       float       *out)
{
  double dot = 0, na = 0, nb = 0, omega, s;

  for (int i = 0; i < n; i++)
    {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
  omega = acos (CLAMP (dot / sqrt (na * nb), -1.0, 1.0));
  s = sin (omega);
  for (int i = 0; i < n; i++)
    out[i] = s < 1e-6 ? (1 - t) * a[i] + t * b[i]
                      : (float) ((sin ((1 - t) * omega) * a[i] + sin (t * omega) * b[i]) / s);
}

/* The run's last checkpoint decodes the strip. The generator normalises
 * with the statistics of the batch it is given (as for the stored grids), so
 * the eight points go in with 56 other random points, as a grid of 64 does,
 * and only the eight come out. */
static void
strip_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StripData *strip = task_data;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsGenModel) model = NULL;
  g_autoptr(GBytes) state = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree float *z = NULL;
  g_autofree float *images = NULL;
  g_autofree float *ends = NULL;
  g_autofree int *labels = NULL;
  GError *error = NULL;
  sqlite3_stmt *stmt;
  CsNnRng rng;
  gsize d;
  int nz;

  store = open_store (task, strip->project_path);
  if (store == NULL)
    return;
  stmt = cs_store_prepare (store, "SELECT data FROM artifacts WHERE run_id = ? AND name = 'checkpoint'"
                                  " ORDER BY id DESC LIMIT 1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, strip->run_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    state = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  if (state == NULL)
    {
      g_task_return_new_error (task, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                               _("This run has no checkpoint yet, so nothing can be drawn from it."));
      return;
    }
  model = cs_gen_model_new (strip->kind, strip->size, strip->batch, strip->n_classes, strip->seed, &error);
  if (model == NULL || !cs_gen_model_load (model, state, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  nz = model->nz;
  d = (gsize) 3 * strip->size * strip->size;
  ends = g_new (float, (gsize) 2 * nz);
  z = g_new (float, (gsize) STRIP_BATCH * nz);
  images = g_new (float, d * STRIP_BATCH);
  cs_nn_rng_init (&rng, strip->seed * 1000003u + strip->path);
  cs_nn_rng_fill_normal (&rng, ends, (gsize) 2 * nz, 0.0f, 1.0f);
  cs_nn_rng_fill_normal (&rng, z + (gsize) STRIP_N * nz, (gsize) (STRIP_BATCH - STRIP_N) * nz, 0.0f, 1.0f);
  for (int i = 0; i < STRIP_N; i++)
    slerp (ends, ends + nz, (float) i / (STRIP_N - 1), nz, z + (gsize) i * nz);
  labels = g_new0 (int, STRIP_BATCH);
  /* The strip stays in one class; the other points spread over them. */
  for (int i = 0; i < STRIP_BATCH && strip->n_classes > 0; i++)
    labels[i] = i < STRIP_N ? strip->row : i % strip->n_classes;
  if (!cs_gen_model_generate (model, z, labels, STRIP_BATCH, images, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  png = cs_gen_grid_png (images, STRIP_N, strip->size, STRIP_N, &error);
  if (png == NULL || (strip->strip = gdk_texture_new_from_bytes (png, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
strip_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CsGeneratePage) self = user_data;
  StripData *strip = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->strip_group), error->message);
      return;
    }
  gtk_picture_set_paintable (self->strip_picture, GDK_PAINTABLE (strip->strip));
}

static void
update_strip (CsGeneratePage *self)
{
  g_autoptr(GTask) task = NULL;
  StripData *strip;
  gboolean shown;

  g_cancellable_cancel (self->strip_cancellable);
  g_set_object (&self->strip_cancellable, g_cancellable_new ());
  /* Decoding needs the checkpoint, which changes while training. */
  shown = self->view != NULL && self->job == NULL && self->project != NULL && self->view->n_points > 0;
  gtk_widget_set_visible (self->strip_group, shown);
  gtk_widget_set_visible (GTK_WIDGET (self->strip_picture), shown);
  gtk_picture_set_paintable (self->strip_picture, NULL);
  if (!shown)
    return;
  strip = g_new0 (StripData, 1);
  strip->project_path = g_strdup (cs_project_get_path (self->project));
  strip->run_id = self->view->run_id;
  strip->kind = self->view->kind;
  strip->size = self->view->size;
  strip->batch = self->view->batch;
  strip->seed = self->view->seed;
  strip->path = self->strip_path;
  /* Conditioned: New Path also moves through the classes. */
  strip->n_classes = self->view->n_classes;
  strip->row = strip->n_classes > 0 ? (int) (self->strip_path % strip->n_classes) : 0;
  task = g_task_new (NULL, self->strip_cancellable, strip_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, update_strip);
  g_task_set_task_data (task, strip, strip_data_free);
  g_task_run_in_thread (task, strip_thread);
}

static void
strip_clicked_cb (CsGeneratePage *self)
{
  self->strip_path++;
  update_strip (self);
}

/* ---- Project state ---------------------------------------------------------- */

typedef struct
{
  GArray    *clip_ids;
  GPtrArray *titles;
  RunView   *view;
} StateData;

static void
state_data_free (gpointer data)
{
  StateData *state = data;

  g_clear_pointer (&state->clip_ids, g_array_unref);
  g_clear_pointer (&state->titles, g_ptr_array_unref);
  run_view_free (state->view);
  g_free (state);
}

static void
state_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(CsStore) store = NULL;
  StateData *state;
  sqlite3_stmt *stmt;
  GError *error = NULL;

  store = open_store (task, task_data);
  if (store == NULL)
    return;
  stmt = cs_store_prepare (store, "SELECT id, coalesce(title, external_id) FROM clips"
                                  " WHERE path IS NOT NULL ORDER BY id", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  state = g_new0 (StateData, 1);
  state->clip_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  state->titles = g_ptr_array_new_with_free_func (g_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (state->clip_ids, id);
      g_ptr_array_add (state->titles, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  state->view = load_run (store, 0, 0, &error);
  if (error != NULL)
    {
      state_data_free (state);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, state, state_data_free);
}

static void
fill_clips (CsGeneratePage *self,
            StateData      *state)
{
  for (guint i = 0; i < self->clip_checks->len; i++)
    {
      GtkWidget *row = gtk_widget_get_ancestor (g_ptr_array_index (self->clip_checks, i), ADW_TYPE_ACTION_ROW);

      adw_expander_row_remove (self->clips_row, row);
    }
  g_ptr_array_set_size (self->clip_checks, 0);
  g_clear_pointer (&self->clip_ids, g_array_unref);
  self->clip_ids = g_steal_pointer (&state->clip_ids);
  for (guint i = 0; i < self->clip_ids->len; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_ptr_array_index (state->titles, i));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      g_ptr_array_index (state->titles, i), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (self->clips_row, row);
      g_ptr_array_add (self->clip_checks, check);
    }
}

static void
state_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CsGeneratePage) self = user_data;
  g_autoptr(GError) error = NULL;
  StateData *state = g_task_propagate_pointer (G_TASK (result), &error);

  if (state == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the project for Generate: %s", error->message);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, state->clip_ids->len > 0 ? "main" : "empty");
  fill_clips (self, state);
  if (self->job == NULL && state->view != NULL &&
      (self->view == NULL || self->view->run_id <= state->view->run_id))
    set_view (self, g_steal_pointer (&state->view));
  state_data_free (state);
}

void
cs_generate_page_refresh (CsGeneratePage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CS_IS_GENERATE_PAGE (self));

  if (self->project == NULL)
    return;
  task = g_task_new (NULL, self->cancellable, state_loaded_cb, g_object_ref (self));
  g_task_set_source_tag (task, cs_generate_page_refresh);
  g_task_set_task_data (task, g_strdup (cs_project_get_path (self->project)), g_free);
  g_task_run_in_thread (task, state_thread);
}

void
cs_generate_page_set_project (CsGeneratePage *self,
                              CsProject      *project)
{
  g_return_if_fail (CS_IS_GENERATE_PAGE (self));

  if (!g_set_object (&self->project, project))
    return;
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  set_view (self, NULL);
  cs_generate_page_refresh (self);
}

/* ---- Exports ---------------------------------------------------------------- */

static GtkWindow *
parent_window (CsGeneratePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

typedef struct
{
  CsGeneratePage *self;
  GBytes         *png;
} SaveData;

static void
save_data_free (SaveData *save)
{
  g_object_unref (save->self);
  g_bytes_unref (save->png);
  g_free (save);
}

static void
file_chosen_cb (GFile    *file,
                gpointer  user_data)
{
  SaveData *save = user_data;
  g_autofree char *name = NULL;
  g_autoptr(GFile) target = NULL;

  if (file == NULL)
    {
      save_data_free (save);
      return;
    }
  name = g_file_get_basename (file);
  if (name != NULL && strchr (name, '.') == NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *named = g_strconcat (name, ".png", NULL);

      target = parent != NULL ? g_file_get_child (parent, named) : g_object_ref (file);
    }
  else
    target = g_object_ref (file);
  cs_page_save_bytes_async (GTK_WIDGET (save->self), target, save->png, _("Could Not Save the Image"),
                            NULL, NULL, NULL);
  save_data_free (save);
}

static void
export_image (CsGeneratePage *self,
              GBytes         *png,
              const char     *what)
{
  SaveData *save = g_new0 (SaveData, 1);
  g_autofree char *name = NULL;

  save->self = g_object_ref (self);
  save->png = g_bytes_ref (png);
  name = g_strdup_printf ("%s %" G_GINT64_FORMAT ".png", what, self->view != NULL ? self->view->run_id : 0);
  g_strdelimit (name, "/\\:*?\"<>|", '-');
  cs_compat_save_file (parent_window (self), _("Save Image as PNG"), name, CS_FILE_FILTER_PNG,
                       file_chosen_cb, save);
}

static void
export_grid_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CsGeneratePage *self = CS_GENERATE_PAGE (widget);

  if (self->view != NULL && self->view->grid_png != NULL)
    /* Translators: file name (without number and extension) of exported samples. */
    export_image (self, self->view->grid_png, _("samples"));
}

static void
export_sample_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CsGeneratePage *self = CS_GENERATE_PAGE (widget);

  if (self->sample_png != NULL)
    /* Translators: file name (without number and extension) of one exported sample. */
    export_image (self, self->sample_png, _("sample"));
}

static void
export_chart_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CsGeneratePage *self = CS_GENERATE_PAGE (widget);

  gtk_widget_activate_action_variant (GTK_WIDGET (self->chart_view), "chart.export", parameter);
}

/* ---- Accessors -------------------------------------------------------------- */

GtkWidget *
cs_generate_page_new (CsJobList *jobs)
{
  CsGeneratePage *self = g_object_new (CS_TYPE_GENERATE_PAGE, NULL);

  self->jobs = g_object_ref (jobs);
  return GTK_WIDGET (self);
}

void
cs_generate_page_set_form (CsGeneratePage *self,
                           CsGenKind       kind,
                           int             size,
                           double          rate,
                           int             steps,
                           int             batch,
                           guint64         seed)
{
  g_return_if_fail (CS_IS_GENERATE_PAGE (self));

  adw_combo_row_set_selected (self->model_row, kind == CS_GEN_DCGAN ? 1 : 0);
  adw_combo_row_set_selected (self->size_row, size == 64 ? 1 : 0);
  gtk_spin_button_set_value (self->rate_spin, rate);
  gtk_spin_button_set_value (self->steps_spin, steps);
  gtk_spin_button_set_value (self->batch_spin, batch);
  gtk_spin_button_set_value (self->seed_spin, (double) seed);
}

void
cs_generate_page_set_condition (CsGeneratePage *self,
                                const char     *metric)
{
  g_return_if_fail (CS_IS_GENERATE_PAGE (self));

  adw_expander_row_set_enable_expansion (self->condition_row, metric != NULL);
  adw_combo_row_set_selected (self->metric_row, g_strcmp0 (metric, "like_rate") == 0 ? 1 : 0);
}

gboolean
cs_generate_page_is_running (CsGeneratePage *self)
{
  g_return_val_if_fail (CS_IS_GENERATE_PAGE (self), FALSE);

  return self->job != NULL;
}

gint64
cs_generate_page_get_run_id (CsGeneratePage *self)
{
  g_return_val_if_fail (CS_IS_GENERATE_PAGE (self), 0);

  return self->view != NULL ? self->view->run_id : 0;
}

GdkTexture *
cs_generate_page_get_grid (CsGeneratePage *self)
{
  g_return_val_if_fail (CS_IS_GENERATE_PAGE (self), NULL);

  return GDK_TEXTURE (gtk_picture_get_paintable (self->grid_picture));
}

CsChart *
cs_generate_page_get_chart (CsGeneratePage *self)
{
  g_return_val_if_fail (CS_IS_GENERATE_PAGE (self), NULL);

  return self->chart;
}

guint
cs_generate_page_get_n_points (CsGeneratePage *self)
{
  gsize n;

  g_return_val_if_fail (CS_IS_GENERATE_PAGE (self), 0);

  if (cs_line_layer_get_n_series (self->lines) == 0)
    return 0;
  cs_line_layer_get_x (self->lines, 0, &n);
  return (guint) n;
}

GdkTexture *
cs_generate_page_get_strip (CsGeneratePage *self)
{
  g_return_val_if_fail (CS_IS_GENERATE_PAGE (self), NULL);

  return GDK_TEXTURE (gtk_picture_get_paintable (self->strip_picture));
}

const char *
cs_generate_page_get_nearest_text (CsGeneratePage *self)
{
  g_return_val_if_fail (CS_IS_GENERATE_PAGE (self), NULL);

  return gtk_label_get_label (self->nearest_label);
}

const char *
cs_generate_page_get_quality_text (CsGeneratePage *self)
{
  g_return_val_if_fail (CS_IS_GENERATE_PAGE (self), NULL);

  return gtk_label_get_label (self->quality_label);
}

static void
cs_generate_page_dispose (GObject *object)
{
  CsGeneratePage *self = CS_GENERATE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->nearest_cancellable);
  g_cancellable_cancel (self->strip_cancellable);
  g_clear_handle_id (&self->live_timer, g_source_remove);
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_GENERATE_PAGE);

  g_clear_object (&self->job_bindings);
  g_clear_object (&self->job);
  g_clear_object (&self->project);
  g_clear_object (&self->jobs);
  g_clear_object (&self->lines);
  g_clear_object (&self->chart);
  g_clear_object (&self->sample);
  g_clear_pointer (&self->sample_png, g_bytes_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->nearest_cancellable);
  g_clear_object (&self->strip_cancellable);
  g_clear_pointer (&self->view, run_view_free);
  g_clear_pointer (&self->quality_text, g_free);
  g_clear_pointer (&self->clip_ids, g_array_unref);
  g_clear_pointer (&self->clip_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (cs_generate_page_parent_class)->dispose (object);
}

static void
cs_generate_page_class_init (CsGeneratePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_generate_page_dispose;

  g_type_ensure (CS_TYPE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipscope/Clipscope/ui/cs-generate-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, stack);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, model_row);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, prior_row);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, prior_switch);
  gtk_widget_class_bind_template_callback (widget_class, model_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, clips_row);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, condition_row);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, metric_row);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, size_row);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, steps_spin);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, batch_spin);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, start_button);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, progress);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, results_box);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, results_title);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, grid_picture);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, quality_label);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, chart_view);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, nearest_group);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, sample_spin);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, nearest_box);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, sample_picture);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, nearest_picture);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, nearest_label);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, strip_group);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, strip_picture);
  gtk_widget_class_bind_template_child (widget_class, CsGeneratePage, export_button);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resume_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, strip_clicked_cb);

  gtk_widget_class_install_action (widget_class, "page.export-grid", NULL, export_grid_action);
  gtk_widget_class_install_action (widget_class, "page.export-sample", NULL, export_sample_action);
  gtk_widget_class_install_action (widget_class, "page.export-chart", "s", export_chart_action);
}

static void
cs_generate_page_init (CsGeneratePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->nearest_cancellable = g_cancellable_new ();
  self->strip_cancellable = g_cancellable_new ();
  self->clip_checks = g_ptr_array_new ();
  self->chart = cs_chart_new ();
  cs_chart_set_title (self->chart, _("Training loss"));
  cs_chart_set_x_label (self->chart, _("Step"));
  cs_chart_set_y_label (self->chart, _("Loss per frame"));
  /* The first steps' losses are tens of times the later ones. */
  cs_chart_set_y_log (self->chart, TRUE);
  self->lines = cs_line_layer_new ();
  cs_chart_add_layer (self->chart, CS_CHART_LAYER (self->lines));
  cs_chart_view_set_chart (self->chart_view, self->chart);
  g_signal_connect_object (self->chart_view, "exported", G_CALLBACK (cs_page_toast_saved), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sample_spin, "value-changed", G_CALLBACK (sample_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->steps_spin, "value-changed", G_CALLBACK (update_buttons), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-grid", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-sample", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-chart", FALSE);

  self->job_bindings = g_binding_group_new ();
  g_binding_group_bind (self->job_bindings, "fraction", self->progress, "fraction", G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->job_bindings, "message", self->progress, "text", G_BINDING_SYNC_CREATE);
}
