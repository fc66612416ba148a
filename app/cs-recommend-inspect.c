/* cs-recommend-inspect.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cs-clip-card.h"
#include "cs-recommend-inspect.h"

#define CARD_WIDTH 132

struct _CsRecommendInspect
{
  GtkBox         parent_instance;

  char          *project_path;
  gint64         run_id;
  GHashTable    *inspectors;   /* run id → shared Inspector, kept while the widget lives */
  CsEvalInspection *inspection;
  GCancellable  *cancellable;
  guint          busy;

  GtkWidget     *start_button;
  GtkWidget     *spinner;
  GtkLabel      *status;
  GtkDropDown   *viewers;
  GtkStringList *viewer_ids;
  GtkWidget     *lists;        /* box of rows, rebuilt per viewer */
  gboolean       filling;      /* setting the drop-down's model */
};

G_DEFINE_FINAL_TYPE (CsRecommendInspect, cs_recommend_inspect, GTK_TYPE_BOX)

/* An inspector shared between the widget and the workers using it. */
typedef struct
{
  CsEvalInspector *inspector;
} Inspector;

static void
inspector_clear (gpointer data)
{
  cs_eval_inspector_free (((Inspector *) data)->inspector);
}

static void
inspector_unref (gpointer data)
{
  g_rc_box_release_full (data, inspector_clear);
}

GtkWidget *
cs_recommend_inspect_new (void)
{
  return g_object_new (CS_TYPE_RECOMMEND_INSPECT, NULL);
}

const CsEvalInspection *
cs_recommend_inspect_get_inspection (CsRecommendInspect *self)
{
  g_return_val_if_fail (CS_IS_RECOMMEND_INSPECT (self), NULL);

  return self->inspection;
}

gboolean
cs_recommend_inspect_is_busy (CsRecommendInspect *self)
{
  g_return_val_if_fail (CS_IS_RECOMMEND_INSPECT (self), FALSE);

  return self->busy > 0;
}

static void
set_busy (CsRecommendInspect *self,
          int                 delta,
          const char         *status)
{
  self->busy += delta;
  gtk_widget_set_visible (self->spinner, self->busy > 0);
  g_object_set (self->spinner, "spinning", self->busy > 0, NULL);
  gtk_widget_set_sensitive (self->start_button, self->busy == 0 && self->run_id > 0);
  if (status != NULL)
    gtk_label_set_label (self->status, status);
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

/* A row of clip cards that scrolls sideways; @hits marks clips watched next. */
static GtkWidget *
clip_row (const char *title,
          const char *subtitle,
          GPtrArray  *clips,
          const gboolean *hits)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *cards = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);
  if (subtitle != NULL)
    {
      GtkWidget *sub = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (box), sub);
    }
  for (guint i = 0; i < clips->len; i++)
    {
      GtkWidget *item = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *card = cs_clip_card_new ();

      cs_clip_card_set_clip (CS_CLIP_CARD (card), g_ptr_array_index (clips, i));
      gtk_widget_set_size_request (card, CARD_WIDTH, -1);
      gtk_box_append (GTK_BOX (item), card);
      if (hits != NULL)
        {
          /* Translators: under a recommended clip the viewer did watch in the test period. */
          GtkWidget *mark = gtk_label_new (hits[i] ? _("✓ Watched next") : "");

          if (hits[i])
            {
              gtk_widget_add_css_class (mark, "success");
              gtk_widget_add_css_class (mark, "heading");
              gtk_widget_set_tooltip_text (mark, _("The viewer watched this clip in the test period: a hit"));
              gtk_widget_add_css_class (card, "inspect-hit");
            }
          gtk_box_append (GTK_BOX (item), mark);
        }
      gtk_box_append (GTK_BOX (cards), item);
    }
  if (clips->len == 0)
    {
      GtkWidget *empty = gtk_label_new (_("No clips"));

      gtk_widget_add_css_class (empty, "dim-label");
      gtk_box_append (GTK_BOX (cards), empty);
    }
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), cards);
  gtk_box_append (GTK_BOX (box), scroller);
  return box;
}

static void
show_inspection (CsRecommendInspect *self)
{
  const CsEvalInspection *inspection = self->inspection;

  clear_box (self->lists);
  if (inspection == NULL)
    return;

  {
    g_autofree char *sub = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%u clip the models learnt from, oldest first",
                                                         "%u clips the models learnt from, oldest first",
                                                         inspection->train->len),
                                            inspection->train->len);

    gtk_box_append (GTK_BOX (self->lists), clip_row (_("Watched Before (Training)"), sub, inspection->train, NULL));
  }
  gtk_box_append (GTK_BOX (self->lists), clip_row (_("Watched Next (Test)"), NULL, inspection->test, NULL));
  for (guint m = 0; m < inspection->models->len; m++)
    {
      const CsEvalInspectList *list = g_ptr_array_index (inspection->models, m);
      g_autofree char *sub = NULL;

      if (list->error != NULL)
        sub = g_strdup (list->error);
      else
        /* Translators: "2 of its top 10 are clips the viewer watched next" */
        sub = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u of its top %u is a clip the viewer watched next",
                                            "%u of its top %u are clips the viewer watched next",
                                            list->n_hits),
                               list->n_hits, inspection->k);
      gtk_box_append (GTK_BOX (self->lists), clip_row (list->label, sub, list->clips, list->hits));
    }
}

/* ---- Ranking one viewer ------------------------------------------------------ */

typedef struct
{
  char      *project_path;
  Inspector *inspector;
  char      *viewer_id;
} ViewerData;

static void
viewer_data_free (gpointer data)
{
  ViewerData *vd = data;

  g_free (vd->project_path);
  g_clear_pointer (&vd->inspector, inspector_unref);
  g_free (vd->viewer_id);
  g_free (vd);
}

static void
viewer_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ViewerData *vd = task_data;
  g_autoptr(CsStore) store = NULL;
  CsEvalInspection *inspection;
  GError *error = NULL;

  store = cs_store_open (vd->project_path, CS_STORE_OPEN_EXISTING, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  inspection = cs_eval_inspector_inspect (vd->inspector->inspector, store, vd->viewer_id, 0, &error);
  if (inspection == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, inspection, (GDestroyNotify) cs_eval_inspection_free);
}

static void
viewer_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CsRecommendInspect *self = CS_RECOMMEND_INSPECT (object);
  g_autoptr(GError) error = NULL;
  CsEvalInspection *inspection = g_task_propagate_pointer (G_TASK (result), &error);

  set_busy (self, -1, NULL);
  if (inspection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->status, error->message);
      return;
    }
  g_clear_pointer (&self->inspection, cs_eval_inspection_free);
  self->inspection = inspection;
  gtk_label_set_label (self->status, "");
  show_inspection (self);
}

void
cs_recommend_inspect_show_viewer (CsRecommendInspect *self,
                                  const char         *viewer_id)
{
  g_autoptr(GTask) task = NULL;
  Inspector *inspector;
  ViewerData *vd;

  g_return_if_fail (CS_IS_RECOMMEND_INSPECT (self));
  g_return_if_fail (viewer_id != NULL);

  inspector = g_hash_table_lookup (self->inspectors, &self->run_id);
  if (inspector == NULL)
    return;
  vd = g_new0 (ViewerData, 1);
  vd->project_path = g_strdup (self->project_path);
  vd->inspector = g_rc_box_acquire (inspector);
  vd->viewer_id = g_strdup (viewer_id);
  task = g_task_new (self, self->cancellable, viewer_done_cb, NULL);
  g_task_set_source_tag (task, cs_recommend_inspect_show_viewer);
  g_task_set_task_data (task, vd, viewer_data_free);
  set_busy (self, 1, NULL);
  g_task_run_in_thread (task, viewer_thread);
}

static void
viewer_selected_cb (CsRecommendInspect *self)
{
  guint i = gtk_drop_down_get_selected (self->viewers);

  if (self->filling || i == GTK_INVALID_LIST_POSITION)
    return;
  cs_recommend_inspect_show_viewer (self, gtk_string_list_get_string (self->viewer_ids, i));
}

/* ---- Fitting the comparison's models --------------------------------------- */

typedef struct
{
  char   *project_path;
  gint64  run_id;
} FitData;

static void
fit_data_free (gpointer data)
{
  FitData *fd = data;

  g_free (fd->project_path);
  g_free (fd);
}

static void
fit_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  FitData *fd = task_data;
  g_autoptr(CsStore) store = NULL;
  Inspector *inspector;
  CsEvalInspector *made;
  GError *error = NULL;

  store = cs_store_open (fd->project_path, CS_STORE_OPEN_EXISTING, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  made = cs_eval_inspector_new (store, fd->run_id, NULL, NULL, cancellable, &error);
  if (made == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  inspector = g_rc_box_new0 (Inspector);
  inspector->inspector = made;
  g_task_return_pointer (task, inspector, inspector_unref);
}

static void
fill_viewers (CsRecommendInspect *self,
              Inspector          *inspector)
{
  guint n = 0;
  const char * const *ids = cs_eval_inspector_get_test_viewers (inspector->inspector, &n);

  self->filling = TRUE;
  gtk_string_list_splice (self->viewer_ids, 0, g_list_model_get_n_items (G_LIST_MODEL (self->viewer_ids)),
                          ids);
  self->filling = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->viewers), n > 0);
  if (n > 0)
    {
      gtk_drop_down_set_selected (self->viewers, 0);
      cs_recommend_inspect_show_viewer (self, ids[0]);
    }
}

static void
fit_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CsRecommendInspect *self = CS_RECOMMEND_INSPECT (object);
  FitData *fd = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  Inspector *inspector = g_task_propagate_pointer (G_TASK (result), &error);

  set_busy (self, -1, NULL);
  if (inspector == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->status, error->message);
      return;
    }
  g_hash_table_insert (self->inspectors, g_memdup2 (&fd->run_id, sizeof fd->run_id), inspector);
  if (fd->run_id == self->run_id)
    fill_viewers (self, inspector);
}

void
cs_recommend_inspect_start (CsRecommendInspect *self)
{
  g_autoptr(GTask) task = NULL;
  Inspector *inspector;
  FitData *fd;

  g_return_if_fail (CS_IS_RECOMMEND_INSPECT (self));

  if (self->project_path == NULL || self->run_id <= 0)
    return;
  inspector = g_hash_table_lookup (self->inspectors, &self->run_id);
  if (inspector != NULL)
    {
      fill_viewers (self, inspector);
      return;
    }
  fd = g_new0 (FitData, 1);
  fd->project_path = g_strdup (self->project_path);
  fd->run_id = self->run_id;
  task = g_task_new (self, self->cancellable, fit_done_cb, NULL);
  g_task_set_source_tag (task, cs_recommend_inspect_start);
  g_task_set_task_data (task, fd, fit_data_free);
  /* Kept models load in a moment; older comparisons train theirs again. */
  set_busy (self, 1, _("Loading the comparison’s models…"));
  g_task_run_in_thread (task, fit_thread);
}

void
cs_recommend_inspect_set_run (CsRecommendInspect *self,
                              const char         *project_path,
                              gint64              run_id)
{
  g_return_if_fail (CS_IS_RECOMMEND_INSPECT (self));

  if (g_strcmp0 (project_path, self->project_path) != 0)
    {
      /* Another project: its runs have other data. */
      g_hash_table_remove_all (self->inspectors);
      g_free (self->project_path);
      self->project_path = g_strdup (project_path);
    }
  else if (run_id == self->run_id)
    return;
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  self->run_id = run_id;
  g_clear_pointer (&self->inspection, cs_eval_inspection_free);
  show_inspection (self);
  self->filling = TRUE;
  gtk_string_list_splice (self->viewer_ids, 0, g_list_model_get_n_items (G_LIST_MODEL (self->viewer_ids)), NULL);
  self->filling = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->viewers), FALSE);
  set_busy (self, 0, "");
  if (g_hash_table_contains (self->inspectors, &run_id))
    cs_recommend_inspect_start (self);
}

static void
start_clicked_cb (CsRecommendInspect *self)
{
  cs_recommend_inspect_start (self);
}

static void
cs_recommend_inspect_dispose (GObject *object)
{
  CsRecommendInspect *self = CS_RECOMMEND_INSPECT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->inspectors, g_hash_table_unref);
  g_clear_pointer (&self->inspection, cs_eval_inspection_free);
  g_clear_pointer (&self->project_path, g_free);

  G_OBJECT_CLASS (cs_recommend_inspect_parent_class)->dispose (object);
}

static void
cs_recommend_inspect_class_init (CsRecommendInspectClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cs_recommend_inspect_dispose;
}

static void
cs_recommend_inspect_init (CsRecommendInspect *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = gtk_label_new (_("Inspect a Viewer"));
  GtkWidget *subtitle = gtk_label_new (_("Each model’s list for one test viewer, next to what they watched"));
  g_autoptr(GtkExpression) expression = NULL;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  self->inspectors = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, inspector_unref);
  self->cancellable = g_cancellable_new ();

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_box_append (GTK_BOX (title_box), title);
  gtk_box_append (GTK_BOX (title_box), subtitle);
  /* The controls go on their own line, so a phone-sized window fits. */
  gtk_box_append (GTK_BOX (self), title_box);
  gtk_widget_set_halign (header, GTK_ALIGN_END);

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_box_append (GTK_BOX (header), self->spinner);

  self->viewer_ids = gtk_string_list_new (NULL);
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  self->viewers = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->viewer_ids)),
                                                    g_steal_pointer (&expression)));
  g_object_unref (self->viewer_ids);   /* the drop-down keeps it */
  gtk_drop_down_set_enable_search (self->viewers, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->viewers), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->viewers), _("Test viewer (type to search their id)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->viewers), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Viewer"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->viewers), FALSE);
  g_signal_connect_object (self->viewers, "notify::selected", G_CALLBACK (viewer_selected_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->viewers));

  self->start_button = gtk_button_new_with_mnemonic (_("_Inspect"));
  gtk_widget_set_valign (self->start_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->start_button, _("Train this comparison’s models again to see each viewer’s lists"));
  g_signal_connect_object (self->start_button, "clicked", G_CALLBACK (start_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (header), self->start_button);
  gtk_box_append (GTK_BOX (self), header);

  self->status = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->status));

  self->lists = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_box_append (GTK_BOX (self), self->lists);
  set_busy (self, 0, NULL);
}
