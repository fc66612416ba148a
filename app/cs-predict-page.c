/* cs-predict-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cs-chart-view.h"
#include "cs-compat.h"
#include "cs-predict-charts.h"
#include "cs-predict-clips.h"
#include "cs-page-export.h"
#include "cs-predict-page.h"
#include "cs-predict-export.h"
#include "cs-report-run.h"

struct _CsPredictPage
{
  AdwBin           parent_instance;

  CsProject       *project;
  CsJobList       *jobs;
  CsJob           *job;
  CsPredictResult *result;
  GCancellable    *cancellable;
  GBindingGroup   *job_bindings;
  gboolean         has_data;

  CsPredictCharts  charts;         /* in the order they stack */
  CsChartView     *views[CS_PREDICT_N_CHARTS];
  GtkLabel        *cell_label;
  GtkGrid         *class_grid;   /* the model in detail class by class */

  GtkStack        *stack;
  AdwComboRow     *target_row;
  AdwComboRow     *classes_row;
  GtkWidget       *threshold_row;
  GtkSpinButton   *threshold_spin;
  AdwComboRow     *protocol_row;
  GtkWidget       *folds_row;
  GtkSpinButton   *folds_spin;
  GtkSpinButton   *seed_spin;
  AdwPreferencesGroup *groups_group;
  AdwPreferencesGroup *models_group;
  GtkSwitch       *group_switches[4];
  GtkSwitch       *explain_switch;
  GPtrArray       *model_rows;
  GtkWidget       *run_button;
  GtkWidget       *cancel_button;
  GtkProgressBar  *progress;
  GtkWidget       *results_box;
  GtkLabel        *summary_label;
  GtkGrid         *table;
  AdwComboRow     *detail_row;
  GtkBox          *charts_box;
  GtkWidget       *export_button;

  /* Titles and thumbnails for lists of clips, loaded when first needed. */
  CsClipList      *clip_list;
  GCancellable    *clip_list_cancellable;
  gint             pending_truth;     /* a clicked cell waiting for them, or -1 */
  gint             pending_predicted;

  /* Score new clips */
  GtkWidget       *score_group;
  AdwComboRow     *score_model_row;
  GPtrArray       *score_models;      /* model names, in the combo's order */
  GtkWidget       *score_button;
  GtkLabel        *score_note;
  GtkListBox      *score_list;
  CsJob           *score_job;
  CsPredictScoreResult *scores;
};

G_DEFINE_FINAL_TYPE (CsPredictPage, cs_predict_page, ADW_TYPE_BIN)

static void show_scores         (CsPredictPage *self);
static void update_score_models (CsPredictPage *self);

/* In the order of the target combo row (cs-predict-dataset.h's metrics). */
static const char *target_metrics[] = {
  "views", "likes", "comments", "shares", "like_rate", "comment_rate", "share_rate",
  "completion_rate", "avg_watch_s",
};

/* The feature groups in the form's order (cs-predict-table.h names them). */
static const CsPredictGroups feature_groups[] = {
  CS_PREDICT_TEXT, CS_PREDICT_TIME, CS_PREDICT_CONTENT, CS_PREDICT_DURATION,
};

/* The classifiers of cs-classifier.h; settings the form offers, with the
 * engine's defaults (the classifier API has no list of its settings). */
typedef struct
{
  const char *key;
  const char *title;
  double      value, min, max, step;
  guint       digits;
} Setting;

static const struct {
  const char *name;
  const char *description;
  const char *regression;   /* for a number; NULL: the model has no such form */
  gboolean    enabled;
  Setting     settings[2];
} models[] = {
  { "majority", N_("Every clip gets the most common class: the baseline to beat"),
    N_("Every clip gets the training clips’ mean: the baseline to beat"), TRUE, { { NULL } } },
  { "nb", N_("Counts which words go with which class (multinomial)"), NULL, TRUE, { { NULL } } },
  { "logreg", N_("A weighted sum of the features per class"),
    N_("A weighted sum of the features (ridge)"), TRUE,
    { { "C", N_("Inverse regularisation (C)"), 1, 0.001, 1000, 0.1, 3 } } },
  { "linsvm", N_("A linear boundary with the widest margin"),
    N_("A weighted sum that ignores small errors (linear SVR)"), FALSE,
    { { "C", N_("Inverse regularisation (C)"), 1, 0.001, 1000, 0.1, 3 } } },
  { "rbfsvm", N_("A curved boundary through similar clips; slow on many clips"),
    N_("A curved surface through similar clips; slow on many clips"), FALSE,
    { { "C", N_("Inverse regularisation (C)"), 1, 0.001, 1000, 0.1, 3 } } },
  { "rf", N_("Many decision trees on random parts of the data, voting"),
    N_("Many decision trees on random parts of the data, averaged"), FALSE,
    { { "trees", N_("Trees"), 100, 1, 1000, 10, 0 }, { "depth", N_("Depth"), 8, 1, 20, 1, 0 } } },
  { "gbdt", N_("Trees added one by one, each fixing the last ones’ mistakes"),
    N_("Trees added one by one, each fixing the last ones’ mistakes"), FALSE,
    { { "rounds", N_("Rounds"), 100, 1, 1000, 10, 0 }, { "depth", N_("Depth"), 6, 1, 20, 1, 0 } } },
};

/* The form's "Classes" choices. */
enum
{
  CLASSES_TERCILES,
  CLASSES_THRESHOLD,
  CLASSES_NUMBER,
};

typedef struct
{
  guint           index;     /* into models[] */
  AdwExpanderRow *row;
  GtkSpinButton  *spins[2];
} ModelRow;

GtkWidget *
cs_predict_page_new (CsJobList *jobs)
{
  CsPredictPage *self = g_object_new (CS_TYPE_PREDICT_PAGE, NULL);

  self->jobs = g_object_ref (jobs);
  return GTK_WIDGET (self);
}

const CsPredictResult *
cs_predict_page_get_result (CsPredictPage *self)
{
  g_return_val_if_fail (CS_IS_PREDICT_PAGE (self), NULL);
  return self->result;
}

GtkGrid *
cs_predict_page_get_class_table (CsPredictPage *self)
{
  g_return_val_if_fail (CS_IS_PREDICT_PAGE (self), NULL);

  return self->class_grid;
}

GtkGrid *
cs_predict_page_get_table (CsPredictPage *self)
{
  g_return_val_if_fail (CS_IS_PREDICT_PAGE (self), NULL);
  return self->table;
}

static void
form_changed_cb (CsPredictPage *self)
{
  gboolean any_model = FALSE;
  gboolean threshold = adw_combo_row_get_selected (self->classes_row) == CLASSES_THRESHOLD;
  gboolean number = adw_combo_row_get_selected (self->classes_row) == CLASSES_NUMBER;
  gboolean kfold = adw_combo_row_get_selected (self->protocol_row) == 0;

  /* Each row tells what the model does for this kind of target; Naive
   * Bayes has no form for a number and sits out. */
  for (guint i = 0; self->model_rows != NULL && i < self->model_rows->len; i++)
    {
      ModelRow *model = g_ptr_array_index (self->model_rows, i);
      gboolean usable = !number || models[model->index].regression != NULL;
      g_autoptr(CsClassifier) classifier = cs_classifier_new (models[model->index].name, NULL,
                                                              number ? CS_CLASSIFIER_REGRESSION : 2, 0, NULL);

      if (classifier != NULL)
        {
          g_autofree char *label = cs_classifier_label (classifier);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (model->row), label);
        }
      adw_expander_row_set_subtitle (model->row, !usable ? _("Predicts classes only, not a number")
                                                 : number ? _(models[model->index].regression)
                                                 : _(models[model->index].description));
      gtk_widget_set_sensitive (GTK_WIDGET (model->row), usable);
      any_model |= usable && adw_expander_row_get_enable_expansion (model->row);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->target_row),
                               number ? _("The engagement number itself")
                                      : _("The engagement number sorted into classes"));
  /* A number has no classes to stratify by. */
  {
    GtkStringList *protocols = GTK_STRING_LIST (adw_combo_row_get_model (self->protocol_row));
    const char *kfold_name = number ? _("K-fold") : _("Stratified k-fold");
    guint selected = adw_combo_row_get_selected (self->protocol_row);

    if (g_strcmp0 (gtk_string_list_get_string (protocols, 0), kfold_name) != 0)
      {
        const char * const names[] = { kfold_name, NULL };

        g_signal_handlers_block_by_func (self->protocol_row, form_changed_cb, self);
        gtk_string_list_splice (protocols, 0, 1, names);
        adw_combo_row_set_selected (self->protocol_row, selected);
        g_signal_handlers_unblock_by_func (self->protocol_row, form_changed_cb, self);
      }
  }
  gtk_widget_set_visible (self->threshold_row, threshold);
  gtk_widget_set_visible (self->folds_row, kfold);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->protocol_row),
                               kfold && number ? _("The clips are shuffled and dealt evenly to the folds")
                               : kfold ? _("Each class’s clips are dealt evenly to the folds")
                                     /* xgettext:no-c-format */
                                     : _("The newest 20 % of clips test; the older ones train"));
  gtk_widget_set_sensitive (self->run_button, any_model && self->job == NULL);
}

static void
build_form (CsPredictPage *self)
{
  GtkWidget *row;

  for (guint i = 0; i < G_N_ELEMENTS (feature_groups); i++)
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cs_predict_group_get_title (feature_groups[i]));
      if (cs_predict_group_get_description (feature_groups[i]) != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), cs_predict_group_get_description (feature_groups[i]));
      self->group_switches[i] = GTK_SWITCH (gtk_switch_new ());
      gtk_switch_set_active (self->group_switches[i], TRUE);
      gtk_widget_set_valign (GTK_WIDGET (self->group_switches[i]), GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->group_switches[i]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cs_predict_group_get_title (feature_groups[i]), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->group_switches[i]));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->group_switches[i]));
      adw_preferences_group_add (self->groups_group, row);
    }
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Explain the Models"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Which features matter (permutation importance, SHAP for trees); takes longer"));
  self->explain_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_switch_set_active (self->explain_switch, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->explain_switch), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->explain_switch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Explain the Models"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->explain_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->explain_switch));
  adw_preferences_group_add (self->groups_group, row);

  /* Titles and subtitles come from form_changed_cb. */
  self->model_rows = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      ModelRow *model = g_new0 (ModelRow, 1);

      model->index = i;
      model->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
      adw_expander_row_set_show_enable_switch (model->row, TRUE);
      adw_expander_row_set_enable_expansion (model->row, models[i].enabled);
      adw_expander_row_set_expanded (model->row, FALSE);
      g_signal_connect_object (model->row, "notify::enable-expansion", G_CALLBACK (form_changed_cb),
                               self, G_CONNECT_SWAPPED);
      for (guint s = 0; s < G_N_ELEMENTS (models[i].settings) && models[i].settings[s].key != NULL; s++)
        {
          const Setting *setting = &models[i].settings[s];
          GtkWidget *spin = gtk_spin_button_new_with_range (setting->min, setting->max, setting->step);
          GtkWidget *srow = adw_action_row_new ();

          gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), setting->digits);
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), setting->value);
          gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, _(setting->title), -1);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (srow), _(setting->title));
          adw_action_row_add_suffix (ADW_ACTION_ROW (srow), spin);
          adw_expander_row_add_row (model->row, srow);
          model->spins[s] = GTK_SPIN_BUTTON (spin);
        }
      adw_preferences_group_add (self->models_group, GTK_WIDGET (model->row));
      g_ptr_array_add (self->model_rows, model);
    }
}

/* "majority;nb;logreg:C=1" from the switched-on rows. */
static char *
models_spec (CsPredictPage *self)
{
  g_autoptr(GString) spec = g_string_new (NULL);

  for (guint i = 0; i < self->model_rows->len; i++)
    {
      ModelRow *model = g_ptr_array_index (self->model_rows, i);
      char sep = ':';

      if (!adw_expander_row_get_enable_expansion (model->row) ||
          !gtk_widget_get_sensitive (GTK_WIDGET (model->row)))
        continue;
      if (spec->len > 0)
        g_string_append_c (spec, ';');
      g_string_append (spec, models[model->index].name);
      for (guint s = 0; s < G_N_ELEMENTS (model->spins) && model->spins[s] != NULL; s++)
        {
          char value[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (value, sizeof value, "%.6g", gtk_spin_button_get_value (model->spins[s]));
          g_string_append_printf (spec, "%c%s=%s", sep, models[model->index].settings[s].key, value);
          sep = ',';
        }
    }
  return g_string_free (g_steal_pointer (&spec), FALSE);
}

void
cs_predict_page_set_model_enabled (CsPredictPage *self,
                                   const char    *name,
                                   gboolean       enabled)
{
  g_return_if_fail (CS_IS_PREDICT_PAGE (self));

  for (guint i = 0; i < self->model_rows->len; i++)
    {
      ModelRow *model = g_ptr_array_index (self->model_rows, i);

      if (g_str_equal (models[model->index].name, name))
        adw_expander_row_set_enable_expansion (model->row, enabled);
    }
}

void
cs_predict_page_set_target (CsPredictPage *self,
                            const char    *spec)
{
  g_auto(GStrv) parts = NULL;

  g_return_if_fail (CS_IS_PREDICT_PAGE (self));
  g_return_if_fail (spec != NULL);

  parts = g_strsplit (spec, ":", 2);
  if (parts[0] == NULL || parts[1] == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (target_metrics); i++)
    if (g_str_equal (parts[0], target_metrics[i]))
      {
        adw_combo_row_set_selected (self->target_row, i);
        if (g_str_equal (parts[1], "terciles"))
          adw_combo_row_set_selected (self->classes_row, CLASSES_TERCILES);
        else if (g_str_equal (parts[1], "value"))
          adw_combo_row_set_selected (self->classes_row, CLASSES_NUMBER);
        else if (g_str_has_prefix (parts[1], ">="))
          {
            adw_combo_row_set_selected (self->classes_row, CLASSES_THRESHOLD);
            gtk_spin_button_set_value (self->threshold_spin, g_ascii_strtod (parts[1] + 2, NULL));
          }
      }
}

void
cs_predict_page_set_folds (CsPredictPage *self,
                           guint          folds)
{
  g_return_if_fail (CS_IS_PREDICT_PAGE (self));

  adw_combo_row_set_selected (self->protocol_row, 0);
  gtk_spin_button_set_value (self->folds_spin, folds);
}

/* ---- Results --------------------------------------------------------------- */

static void
grid_clear (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static GtkWidget *
cell (const char *text,
      gboolean    header,
      gboolean    numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
show_table (CsPredictPage *self)
{
  const CsPredictResult *result = self->result;
  g_autoptr(GPtrArray) rows = cs_predict_result_get_table (result);
  guint n_models = result->models->len;

  grid_clear (self->table);
  gtk_grid_attach (self->table, cell (_("Metric"), TRUE, FALSE), 0, 0, 1, 1);
  for (guint m = 0; m < n_models; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);
      GtkWidget *header = cell (model->label, TRUE, TRUE);

      gtk_label_set_wrap (GTK_LABEL (header), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (header), 14);
      gtk_label_set_justify (GTK_LABEL (header), GTK_JUSTIFY_RIGHT);
      gtk_widget_set_valign (header, GTK_ALIGN_END);
      gtk_grid_attach (self->table, header, (int) m + 1, 0, 1, 1);
    }

  for (guint r = 0; r < rows->len; r++)
    {
      const CsPredictTableRow *row = g_ptr_array_index (rows, r);
      GtkWidget *label = cell (row->title, FALSE, FALSE);

      if (row->tip != NULL)
        gtk_widget_set_tooltip_text (label, row->tip);
      gtk_grid_attach (self->table, label, 0, (int) r + 1, 1, 1);
      for (guint m = 0; m < n_models; m++)
        {
          GtkWidget *value = cell (row->cells[m], FALSE, TRUE);

          if (row->emphasis[m])
            gtk_widget_add_css_class (value, "best-value");
          gtk_grid_attach (self->table, value, (int) m + 1, (int) r + 1, 1, 1);
        }
    }
}

static const CsPredictModelResult *
detail_model (CsPredictPage *self)
{
  guint i = adw_combo_row_get_selected (self->detail_row);

  if (self->result == NULL || i >= self->result->models->len)
    return NULL;
  return g_ptr_array_index (self->result->models, i);
}

/* Under the confusion matrix: each class's test clips, precision, recall
 * and F1 for the model in detail (as the report's "Class by class"). */
static void
show_classes (CsPredictPage              *self,
              const CsPredictModelResult *model)
{
  const char *headings[] = { _("Class"), _("Test clips"), _("Precision"), _("Recall"), _("F1") };
  guint C;

  grid_clear (self->class_grid);
  gtk_widget_set_visible (GTK_WIDGET (self->class_grid), model != NULL && model->confusion != NULL &&
                                                          !self->result->regression);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->class_grid)))
    return;
  C = self->result->n_classes;
  for (guint j = 0; j < G_N_ELEMENTS (headings); j++)
    gtk_grid_attach (self->class_grid, cell (headings[j], TRUE, j > 0), (int) j, 0, 1, 1);
  for (guint c = 0; c < C; c++)
    {
      double values[3];
      guint support = cs_metric_class_scores (model->confusion, C, c, &values[0], &values[1], &values[2]);
      g_autofree char *clips = g_strdup_printf ("%u", support);

      gtk_grid_attach (self->class_grid, cell (self->result->class_names[c], FALSE, FALSE), 0, (int) c + 1, 1, 1);
      gtk_grid_attach (self->class_grid, cell (clips, FALSE, TRUE), 1, (int) c + 1, 1, 1);
      for (guint j = 0; j < 3; j++)
        {
          g_autofree char *text = g_strdup_printf ("%.3f", values[j]);

          gtk_grid_attach (self->class_grid, cell (text, FALSE, TRUE), (int) j + 2, (int) c + 1, 1, 1);
        }
    }
}

static void
show_detail (CsPredictPage *self)
{
  const CsPredictModelResult *model = detail_model (self);

  gtk_widget_set_visible (GTK_WIDGET (self->cell_label), FALSE);
  show_classes (self, model);
  cs_predict_charts_show_model (&self->charts, self->result, model);
  if (model == NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->views[CS_PREDICT_CHART_IMPORTANCE]),
                          model->importance != NULL && model->importance->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->views[CS_PREDICT_CHART_SHAP]), model->shap != NULL && model->shap->len > 0);
}

static void
detail_changed_cb (CsPredictPage *self)
{
  show_detail (self);
}

static void
show_result (CsPredictPage *self)
{
  const CsPredictResult *result = self->result;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *summary = NULL;
  guint best = 0;

  gtk_widget_set_visible (self->results_box, result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-json", result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-table", result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-chart", result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-report", result != NULL);
  if (result == NULL)
    return;

  summary = cs_predict_result_describe (result);
  if (self->project != NULL && cs_project_get_simulated (self->project))
    {
      g_autofree char *tmp = g_steal_pointer (&summary);
      summary = g_strdup_printf ("%s %s", tmp, _("These are simulated data."));
    }
  gtk_label_set_label (self->summary_label, summary);
  /* Classes get curves and a confusion matrix; a number its scatter. */
  for (guint i = CS_PREDICT_CHART_ROC; i <= CS_PREDICT_CHART_CONFUSION; i++)
    gtk_widget_set_visible (GTK_WIDGET (self->views[i]), !result->regression);
  gtk_widget_set_visible (GTK_WIDGET (self->views[CS_PREDICT_CHART_SCATTER]), result->regression);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->detail_row),
                               result->regression ? _("The scatter and importance below are this model’s")
                                                  : _("Curves, confusion matrix and importance below are this model’s"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->score_group),
                                         result->regression
                                         ? _("Predict the number of clips without statistics (not posted yet): "
                                             "the chosen model is fitted again, with the same features and "
                                             "settings, on every clip that has a value.")
                                         : _("Predict the class of clips without statistics (not posted yet): "
                                             "the chosen model is fitted again, with the same features and "
                                             "settings, on every clip that has a value."));
  show_table (self);
  cs_predict_charts_show_result (&self->charts, result);
  update_score_models (self);

  for (guint m = 0; m < result->models->len; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);

      gtk_string_list_append (names, model->label);
      if (g_strcmp0 (model->name, result->best) == 0)
        best = m;
    }
  /* The best model in detail first. */
  g_signal_handlers_block_by_func (self->detail_row, detail_changed_cb, self);
  adw_combo_row_set_model (self->detail_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->detail_row, best);
  g_signal_handlers_unblock_by_func (self->detail_row, detail_changed_cb, self);
  show_detail (self);
}

static void
set_result (CsPredictPage   *self,
            CsPredictResult *result)
{
  g_clear_pointer (&self->result, cs_predict_result_free);
  self->result = result;
  show_result (self);
}

static void
show_cell (CsPredictPage *self,
           guint          truth,
           guint          predicted)
{
  const CsPredictModelResult *model = detail_model (self);
  GtkWidget *window;

  if (model == NULL)
    return;
  window = cs_predict_cell_window_new (GTK_WIDGET (self), self->clip_list, self->result, model, truth, predicted);
  gtk_window_present (GTK_WINDOW (window));
}

static void
clip_list_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CsPredictPage) self = user_data;
  g_autoptr(GError) error = NULL;
  CsClipList *list = cs_clip_list_load_finish (result, &error);

  if (list == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->clip_list_cancellable);
  /* Without the clips the lists still work, with "Clip N" for titles. */
  if (list == NULL)
    g_warning ("Could not read the clips for the lists of predictions: %s", error->message);
  g_clear_object (&self->clip_list);
  self->clip_list = list != NULL ? list : cs_clip_list_new ();
  if (self->pending_truth >= 0 && self->result != NULL)
    show_cell (self, (guint) self->pending_truth, (guint) self->pending_predicted);
  self->pending_truth = self->pending_predicted = -1;
  if (self->scores != NULL)
    show_scores (self);
}

/* Reads the project's clips on a worker, once per project. */
static gboolean
ensure_clip_list (CsPredictPage *self)
{
  if (self->clip_list != NULL)
    return TRUE;
  if (self->project == NULL)
    return FALSE;
  if (self->clip_list_cancellable == NULL)
    {
      self->clip_list_cancellable = g_cancellable_new ();
      cs_clip_list_load_async (cs_project_get_path (self->project), self->clip_list_cancellable,
                               clip_list_loaded_cb, g_object_ref (self));
    }
  return FALSE;
}

/* Another project: its clips, and scores, are not this one's. */
static void
forget_clip_list (CsPredictPage *self)
{
  g_cancellable_cancel (self->clip_list_cancellable);
  g_clear_object (&self->clip_list_cancellable);
  g_clear_object (&self->clip_list);
  self->pending_truth = self->pending_predicted = -1;
  g_clear_pointer (&self->scores, cs_predict_score_result_free);
}

/* A cell of the confusion matrix: the clips in it, in a window. */
static void
confusion_activated_cb (CsPredictPage *self,
                        CsChartLayer  *layer,
                        guint          truth,
                        guint          predicted)
{
  g_autofree char *text = NULL;
  guint count;

  if (layer != CS_CHART_LAYER (self->charts.confusion) || self->result == NULL ||
      truth >= self->result->n_classes || predicted >= self->result->n_classes)
    return;
  count = cs_confusion_matrix_layer_get_count (self->charts.confusion, truth, predicted);
  /* Translators: "4 clips were high and predicted medium (summed over the test folds)." */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u clip was %s and predicted %s (summed over the test folds).",
                                       "%u clips were %s and predicted %s (summed over the test folds).", count),
                          count, self->result->class_names[truth], self->result->class_names[predicted]);
  gtk_label_set_label (self->cell_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->cell_label), TRUE);
  if (ensure_clip_list (self))
    show_cell (self, truth, predicted);
  else
    {
      self->pending_truth = (gint) truth;
      self->pending_predicted = (gint) predicted;
    }
}

void
cs_predict_page_open_cell (CsPredictPage *self,
                           guint          truth,
                           guint          predicted)
{
  g_return_if_fail (CS_IS_PREDICT_PAGE (self));

  confusion_activated_cb (self, CS_CHART_LAYER (self->charts.confusion), truth, predicted);
}

/* ---- Running --------------------------------------------------------------- */

typedef struct
{
  char             *project_path;
  CsPredictRequest  request;
  CsPredictResult  *result;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  g_free (run->project_path);
  cs_predict_request_clear (&run->request);
  g_clear_pointer (&run->result, cs_predict_result_free);
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
  run->result = cs_predictor_run (store, &run->request, cs_job_progress_func, job, cancellable, error);
  if (run->result == NULL)
    return FALSE;
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Compared %u model on %u clips",
                                          "Compared %u models on %u clips",
                                          run->result->models->len),
                             run->result->models->len, run->result->n_clips);
  cs_job_update (job, 1.0, message);
  return TRUE;
}

static void
set_running (CsPredictPage *self,
             CsJob         *job)
{
  g_set_object (&self->job, job);
  g_binding_group_set_source (self->job_bindings, job);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), job != NULL);
  gtk_widget_set_visible (self->cancel_button, job != NULL);
  form_changed_cb (self);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CsPredictPage) self = user_data;
  g_autoptr(CsJob) job = g_object_ref (CS_JOB (object));
  RunData *run = g_object_get_data (object, "cs-run");
  g_autoptr(GError) error = NULL;

  set_running (self, NULL);
  /* Failures (too few clips, one class …) and cancels reach the user
   * through the window's toast, in the engine's words. */
  if (cs_job_run_finish (job, result, &error))
    {
      set_result (self, g_steal_pointer (&run->result));
      if (self->project != NULL)
        cs_project_refresh_async (self->project, NULL, NULL, NULL);
    }
}

static char *
target_spec (CsPredictPage *self)
{
  guint metric = MIN (adw_combo_row_get_selected (self->target_row), G_N_ELEMENTS (target_metrics) - 1);
  char value[G_ASCII_DTOSTR_BUF_SIZE];

  if (adw_combo_row_get_selected (self->classes_row) == CLASSES_TERCILES)
    return g_strdup_printf ("%s:terciles", target_metrics[metric]);
  if (adw_combo_row_get_selected (self->classes_row) == CLASSES_NUMBER)
    return g_strdup_printf ("%s:value", target_metrics[metric]);
  g_ascii_formatd (value, sizeof value, "%.6g", gtk_spin_button_get_value (self->threshold_spin));
  return g_strdup_printf ("%s:>=%s", target_metrics[metric], value);
}

void
cs_predict_page_run (CsPredictPage *self)
{
  g_autoptr(CsJob) job = NULL;
  g_autofree char *models_text = NULL;
  RunData *run;

  g_return_if_fail (CS_IS_PREDICT_PAGE (self));

  if (self->project == NULL || self->job != NULL)
    return;
  models_text = models_spec (self);
  if (models_text[0] == '\0')
    return;

  run = g_new0 (RunData, 1);
  run->project_path = g_strdup (cs_project_get_path (self->project));
  run->request.target = target_spec (self);
  run->request.models = g_steal_pointer (&models_text);
  for (guint i = 0; i < G_N_ELEMENTS (feature_groups); i++)
    if (gtk_switch_get_active (self->group_switches[i]))
      run->request.groups |= feature_groups[i];
  run->request.protocol = adw_combo_row_get_selected (self->protocol_row) == 0 ? CS_PREDICT_PROTOCOL_KFOLD
                                                                               : CS_PREDICT_PROTOCOL_TIME_SPLIT;
  run->request.folds = (guint) gtk_spin_button_get_value_as_int (self->folds_spin);
  run->request.test_fraction = 0.2;
  run->request.seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  run->request.explain = gtk_switch_get_active (self->explain_switch);

  job = cs_job_new (_("Comparing engagement models"));
  g_object_set_data_full (G_OBJECT (job), "cs-run", run, run_data_free);
  cs_job_list_add (self->jobs, job);
  set_running (self, job);
  cs_job_run_async (job, run_job_func, run, NULL, run_done_cb, g_object_ref (self));
}

static void
run_clicked_cb (CsPredictPage *self)
{
  cs_predict_page_run (self);
}

static void
cancel_clicked_cb (CsPredictPage *self)
{
  if (self->job != NULL)
    cs_job_cancel (self->job);
}

/* ---- Score new clips ------------------------------------------------------ */

static void
update_score_models (CsPredictPage *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = 0;

  g_ptr_array_set_size (self->score_models, 0);
  for (guint m = 0; self->result != NULL && m < self->result->models->len; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (self->result->models, m);

      if (g_strcmp0 (model->status, "done") != 0 || cs_predict_result_find_model (self->result, model->name) != model)
        continue;
      if (g_strcmp0 (model->name, self->result->best) == 0)
        selected = self->score_models->len;
      g_ptr_array_add (self->score_models, g_strdup (model->name));
      gtk_string_list_append (labels, model->label);
    }
  adw_combo_row_set_model (self->score_model_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->score_model_row, selected);
  gtk_widget_set_sensitive (self->score_button, self->score_models->len > 0 && self->score_job == NULL);
  /* Scores of another comparison no longer belong here. */
  if (self->scores != NULL && (self->result == NULL || self->scores->run_id != self->result->run_id))
    {
      g_clear_pointer (&self->scores, cs_predict_score_result_free);
      show_scores (self);
    }
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* A predicted number in the metric's own terms: "≈ 1,234 views", "≈ 5.2 %",
 * "≈ 12.5 s". Counts are rounded to whole ones; rates below 1 % keep two
 * significant digits, so a share rate of 0.03 % is not shown as 0. */
static char *
format_prediction (const char *metric,
                   double      v)
{
  gint64 n = isfinite (v) ? llround (v) : 0;
  gulong plural = (gulong) CLAMP (n, 0, G_MAXLONG);
  g_autofree char *count = cs_format_count (n);
  double pct = 100 * v;

  if (!isfinite (v))
    return g_strdup ("—");
  if (g_strcmp0 (metric, "views") == 0)
    /* Translators: a predicted number of views: "≈ 1,234 views" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "≈ %s view", "≈ %s views", plural), count);
  if (g_strcmp0 (metric, "likes") == 0)
    /* Translators: a predicted number of likes: "≈ 56 likes" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "≈ %s like", "≈ %s likes", plural), count);
  if (g_strcmp0 (metric, "comments") == 0)
    /* Translators: a predicted number of comments: "≈ 7 comments" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "≈ %s comment", "≈ %s comments", plural), count);
  if (g_strcmp0 (metric, "shares") == 0)
    /* Translators: a predicted number of shares: "≈ 3 shares" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "≈ %s share", "≈ %s shares", plural), count);
  if (g_strcmp0 (metric, "avg_watch_s") == 0)
    /* Translators: a predicted average watch time in seconds. */
    return g_strdup_printf (_("≈ %.1f s"), v);
  if (g_str_has_suffix (metric, "_rate"))
    /* Translators: a predicted rate as a percentage: "≈ 5.2 %" */
    return g_strdup_printf (fabs (pct) >= 1 || pct == 0 ? _("≈ %.1f %%") : _("≈ %.2g %%"), pct);
  return cs_predict_format_number (v);
}

static void
show_scores (CsPredictPage *self)
{
  const CsPredictScoreResult *scores = self->scores;
  g_autofree char *note = NULL;
  g_autofree char *value_tip = NULL;
  g_auto(GStrv) parts = NULL;

  clear_list (self->score_list);
  gtk_widget_set_visible (GTK_WIDGET (self->score_list), scores != NULL && scores->scores->len > 0);
  if (scores == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->score_note), FALSE);
      return;
    }
  if (!ensure_clip_list (self))
    return;  /* clip_list_loaded_cb comes back here */
  note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u clip scored by %s, fitted on the %u clips with a value. %s",
                                       "%u clips scored by %s, fitted on the %u clips with a value. %s",
                                       scores->scores->len),
                          scores->scores->len, scores->label, scores->n_train, scores->reasons_note);
  gtk_label_set_label (self->score_note, note);
  gtk_widget_set_visible (GTK_WIDGET (self->score_note), TRUE);
  if (scores->regression)
    {
      parts = g_strsplit (scores->target_spec, ":", 2);
      /* Translators: %s is a metric name. */
      value_tip = g_strdup_printf (_("Predicted %s"), cs_predict_target_get_title (parts[0]));
    }
  for (guint i = 0; i < MIN (scores->scores->len, CS_PREDICT_CLIPS_MAX_ROWS); i++)
    {
      const CsPredictScore *score = g_ptr_array_index (scores->scores, i);
      g_autofree char *detail = NULL;
      g_autofree char *value = NULL;

      if (scores->regression)
        {
          /* The number at the row's end; the reasons below the title. */
          value = format_prediction (parts[0], score->value);
          gtk_list_box_append (self->score_list,
                               cs_predict_clip_row_new_value (self->clip_list, score->clip_id, NULL, value,
                                                              value_tip, score->reasons));
          continue;
        }
      /* Translators: a scored clip: "predicted high" */
      detail = g_strdup_printf (_("predicted %s"), scores->class_names[score->predicted]);
      gtk_list_box_append (self->score_list,
                           cs_predict_clip_row_new (self->clip_list, score->clip_id, detail,
                                                    score->proba[score->predicted], score->reasons));
    }
  if (scores->scores->len > CS_PREDICT_CLIPS_MAX_ROWS)
    {
      g_autofree char *more = g_strdup_printf (_("And %u more clips: export them with clipscope-cli predict-score."),
                                               scores->scores->len - CS_PREDICT_CLIPS_MAX_ROWS);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      gtk_list_box_append (self->score_list, row);
    }
}

typedef struct
{
  char                 *project_path;
  gint64                run_id;
  char                 *model;
  CsPredictScoreResult *result;
} ScoreData;

static void
score_data_free (gpointer data)
{
  ScoreData *score = data;

  g_free (score->project_path);
  g_free (score->model);
  g_clear_pointer (&score->result, cs_predict_score_result_free);
  g_free (score);
}

static gboolean
score_job_func (CsJob         *job,
                gpointer       task_data,
                GCancellable  *cancellable,
                GError       **error)
{
  ScoreData *score = task_data;
  g_autoptr(CsStore) store = NULL;
  g_autofree char *message = NULL;

  store = cs_store_open (score->project_path, CS_STORE_OPEN_EXISTING, error);
  if (store == NULL)
    return FALSE;
  score->result = cs_predict_score (store, score->run_id, score->model, NULL, 0, CS_PREDICT_N_REASONS,
                                    cs_job_progress_func, job, cancellable, error);
  if (score->result == NULL)
    return FALSE;
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Scored %u new clip", "Scored %u new clips",
                                          score->result->scores->len),
                             score->result->scores->len);
  cs_job_update (job, 1.0, message);
  return TRUE;
}

static void
score_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CsPredictPage) self = user_data;
  g_autoptr(CsJob) job = g_object_ref (CS_JOB (object));
  ScoreData *score = g_object_get_data (object, "cs-score");
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->score_job);
  gtk_widget_set_sensitive (self->score_button, self->score_models->len > 0);
  if (!cs_job_run_finish (job, result, &error))
    {
      /* Also said in the window's toast; here it stays beside the button. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_label (self->score_note, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->score_note), TRUE);
        }
      return;
    }
  /* The page may show another project or comparison by now. */
  if (self->project == NULL || self->result == NULL || self->result->run_id != score->run_id ||
      g_strcmp0 (cs_project_get_path (self->project), score->project_path) != 0)
    return;
  g_clear_pointer (&self->scores, cs_predict_score_result_free);
  self->scores = g_steal_pointer (&score->result);
  show_scores (self);
}

void
cs_predict_page_score (CsPredictPage *self,
                       const char    *model)
{
  g_autoptr(CsJob) job = NULL;
  guint selected;
  ScoreData *score;

  g_return_if_fail (CS_IS_PREDICT_PAGE (self));

  selected = adw_combo_row_get_selected (self->score_model_row);
  if (self->project == NULL || self->result == NULL || self->score_job != NULL)
    return;
  if (model == NULL && selected >= self->score_models->len)
    return;
  score = g_new0 (ScoreData, 1);
  score->project_path = g_strdup (cs_project_get_path (self->project));
  score->run_id = self->result->run_id;
  score->model = g_strdup (model ? model : g_ptr_array_index (self->score_models, selected));

  job = cs_job_new (_("Scoring new clips"));
  g_object_set_data_full (G_OBJECT (job), "cs-score", score, score_data_free);
  cs_job_list_add (self->jobs, job);
  g_set_object (&self->score_job, job);
  gtk_widget_set_sensitive (self->score_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->score_note), FALSE);
  cs_job_run_async (job, score_job_func, score, NULL, score_done_cb, g_object_ref (self));
}

const CsPredictScoreResult *
cs_predict_page_get_scores (CsPredictPage *self)
{
  g_return_val_if_fail (CS_IS_PREDICT_PAGE (self), NULL);
  return self->scores;
}

static void
score_clicked_cb (CsPredictPage *self)
{
  cs_predict_page_score (self, NULL);
}

static void
build_score_section (CsPredictPage *self)
{
  GtkWidget *group = adw_preferences_group_new ();

  self->score_group = group;
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Score New Clips"));
  self->score_models = g_ptr_array_new_with_free_func (g_free);
  self->score_model_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->score_model_row), _("Model"));
  self->score_button = gtk_button_new_with_mnemonic (_("_Score"));
  gtk_widget_set_valign (self->score_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->score_button, _("Score the clips without statistics with this model"));
  g_signal_connect_object (self->score_button, "clicked", G_CALLBACK (score_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->score_model_row), self->score_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->score_model_row));
  gtk_box_append (GTK_BOX (self->results_box), group);

  self->score_note = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->score_note, TRUE);
  gtk_label_set_xalign (self->score_note, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->score_note), FALSE);
  gtk_box_append (GTK_BOX (self->results_box), GTK_WIDGET (self->score_note));

  self->score_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->score_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->score_list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->score_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Scored clips"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->score_list), FALSE);
  gtk_box_append (GTK_BOX (self->results_box), GTK_WIDGET (self->score_list));
}

/* ---- Loading --------------------------------------------------------------- */

typedef struct
{
  gboolean         has_data;
  CsPredictResult *result;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_pointer (&load->result, cs_predict_result_free);
  g_free (load);
}

/* Whether there are numbers to learn from, and the newest comparison. */
static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(CsStore) store = NULL;
  GError *error = NULL;
  LoadData *load;
  gint64 id;

  store = cs_store_open (task_data, CS_STORE_OPEN_EXISTING, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  load = g_new0 (LoadData, 1);
  load->has_data = cs_store_query_int (store, "SELECT EXISTS (SELECT 1 FROM clip_stats) "
                                              "OR EXISTS (SELECT 1 FROM events)", 0) > 0;
  id = cs_predict_result_latest_id (store);
  if (id > 0 && (load->result = cs_predict_result_load (store, id, &error)) == NULL)
    {
      load_data_free (load);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, load, load_data_free);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CsPredictPage *self = CS_PREDICT_PAGE (object);
  g_autoptr(GError) error = NULL;
  LoadData *load = g_task_propagate_pointer (G_TASK (result), &error);

  if (load == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the stored predictions: %s", error->message);
      return;
    }
  self->has_data = load->has_data || self->result != NULL;
  gtk_stack_set_visible_child_name (self->stack, self->has_data ? "main" : "empty");
  if (self->job == NULL && self->result == NULL && load->result != NULL)
    set_result (self, g_steal_pointer (&load->result));
  load_data_free (load);
}

void
cs_predict_page_refresh (CsPredictPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CS_IS_PREDICT_PAGE (self));

  if (self->project == NULL)
    return;
  /* Clips may have been imported: read them again when next needed (not
   * while a read is under way for a clicked cell). */
  if (self->clip_list_cancellable == NULL)
    g_clear_object (&self->clip_list);
  /* Events are known at once; clip statistics need a query. */
  if (cs_project_get_counts (self->project)->n_events > 0)
    gtk_stack_set_visible_child_name (self->stack, "main");

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  task = g_task_new (self, self->cancellable, load_cb, NULL);
  g_task_set_source_tag (task, cs_predict_page_refresh);
  g_task_set_task_data (task, g_strdup (cs_project_get_path (self->project)), g_free);
  g_task_run_in_thread (task, load_thread);
}

void
cs_predict_page_set_project (CsPredictPage *self,
                             CsProject     *project)
{
  g_return_if_fail (CS_IS_PREDICT_PAGE (self));

  if (!g_set_object (&self->project, project))
    return;
  forget_clip_list (self);
  show_scores (self);
  g_cancellable_cancel (self->cancellable);
  set_result (self, NULL);
  cs_predict_page_refresh (self);
}

/* ---- Exports --------------------------------------------------------------- */

/* Writes @text (taken) to @file on a worker; the toast or a dialog says
 * how it went. */
static void
save_text (CsPredictPage *self,
           GFile         *file,
           char          *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

  cs_page_save_bytes_async (GTK_WIDGET (self), file, bytes, _("Could Not Save the Results"),
                            NULL, NULL, NULL);
}

/* The Export menu's file dialog, suggesting "predict-RUN.@extension". */
static void
choose_file (CsPredictPage    *self,
             const char       *title,
             const char       *extension,
             CsFileFilterKind  filter,
             CsFileChosenFunc  callback)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = g_strdup_printf ("predict-%" G_GINT64_FORMAT ".%s",
                                           self->result ? self->result->run_id : 0, extension);

  cs_compat_save_file (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, title, name, filter, callback,
                       g_object_ref (self));
}

static void
json_file_chosen_cb (GFile    *file,
                     gpointer  user_data)
{
  g_autoptr(CsPredictPage) self = user_data;

  if (file != NULL && self->result != NULL)
    save_text (self, file, cs_predict_result_to_json (self->result));
}

void
cs_predict_page_export_table (CsPredictPage *self,
                              GFile         *file)
{
  g_return_if_fail (CS_IS_PREDICT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->result != NULL)
    save_text (self, file, cs_predict_result_to_csv (self->result));
}

static void
csv_file_chosen_cb (GFile    *file,
                    gpointer  user_data)
{
  g_autoptr(CsPredictPage) self = user_data;

  if (file != NULL)
    cs_predict_page_export_table (self, file);
}

static void
export_table_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose_file (CS_PREDICT_PAGE (widget), _("Save Table as CSV"), "csv", CS_FILE_FILTER_TABLE,
               csv_file_chosen_cb);
}

static void
export_json_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  choose_file (CS_PREDICT_PAGE (widget), _("Save Results as JSON"), "json", CS_FILE_FILTER_TABLE,
               json_file_chosen_cb);
}

/* ---- Report ---------------------------------------------------------------- */

void
cs_predict_page_export_report_async (CsPredictPage       *self,
                                     GFile               *file,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (CS_IS_PREDICT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->result == NULL || self->project == NULL)
    cs_page_export_fail (GTK_WIDGET (self), _("Could Not Save the Report"),
                         g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                              _("There is no comparison to export yet")),
                         cancellable, callback, user_data);
  else
    cs_page_export_report_async (GTK_WIDGET (self), self->project, self->result->run_id, file,
                                 cancellable, callback, user_data);
}

gboolean
cs_predict_page_export_report_finish (CsPredictPage  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (CS_IS_PREDICT_PAGE (self), FALSE);

  return cs_page_export_finish (GTK_WIDGET (self), result, error);
}

static void
report_file_chosen_cb (GFile    *file,
                       gpointer  user_data)
{
  g_autoptr(CsPredictPage) self = user_data;
  g_autoptr(GFile) target = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (file == NULL)
    return;
  target = cs_compat_with_extension (file, ".pdf");
  path = g_file_get_path (target);
  /* Say at once when the name will not do, before any work. */
  if (path != NULL && !cs_report_check_path (path, &error))
    {
      cs_page_show_save_error (GTK_WIDGET (self), _("Could Not Save the Report"), error);
      return;
    }
  cs_predict_page_export_report_async (self, target, NULL, NULL, NULL);
}

static void
export_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  choose_file (CS_PREDICT_PAGE (widget), _("Save Report"), "pdf", CS_FILE_FILTER_REPORT,
               report_file_chosen_cb);
}

/* The menu exports the macro-F1 chart; each chart has its own export too. */
static void
export_chart_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CsPredictPage *self = CS_PREDICT_PAGE (widget);

  gtk_widget_activate_action_variant (GTK_WIDGET (self->views[CS_PREDICT_CHART_PRIMARY]), "chart.export", parameter);
}

/* ---- Life ------------------------------------------------------------------ */

static void
build_charts (CsPredictPage *self)
{
  static const char *accessible[CS_PREDICT_N_CHARTS] = {
    N_("Macro-F1 chart"), N_("ROC chart"), N_("Precision–recall chart"), N_("Calibration chart"),
    N_("Confusion matrix"), N_("Feature importance chart"), N_("SHAP chart"),
    N_("Predicted against true chart"),
  };

  cs_predict_charts_init (&self->charts);
  /* Its cells open their clips here. */
  cs_chart_set_title (self->charts.charts[CS_PREDICT_CHART_CONFUSION],
                      _("Confusion matrix, all test folds (click a cell)"));
  for (guint i = 0; i < CS_PREDICT_N_CHARTS; i++)
    {
      self->views[i] = CS_CHART_VIEW (cs_chart_view_new (self->charts.charts[i]));
      gtk_widget_set_size_request (GTK_WIDGET (self->views[i]), -1,
                                   i == CS_PREDICT_CHART_CONFUSION || i == CS_PREDICT_CHART_SCATTER ? 320 : 280);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->views[i]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(accessible[i]), -1);
      g_signal_connect_object (self->views[i], "exported", G_CALLBACK (cs_page_toast_saved), self, G_CONNECT_SWAPPED);
      gtk_box_append (self->charts_box, GTK_WIDGET (self->views[i]));
      if (i == CS_PREDICT_CHART_CONFUSION)
        {
          self->class_grid = GTK_GRID (gtk_grid_new ());
          gtk_grid_set_column_spacing (self->class_grid, 24);
          gtk_grid_set_row_spacing (self->class_grid, 6);
          gtk_widget_set_margin_start (GTK_WIDGET (self->class_grid), 12);
          gtk_widget_set_margin_end (GTK_WIDGET (self->class_grid), 12);
          gtk_accessible_update_property (GTK_ACCESSIBLE (self->class_grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Precision, recall and F1 of each class"), -1);
          gtk_box_append (self->charts_box, GTK_WIDGET (self->class_grid));
          self->cell_label = GTK_LABEL (gtk_label_new (NULL));
          gtk_label_set_wrap (self->cell_label, TRUE);
          gtk_label_set_xalign (self->cell_label, 0);
          gtk_widget_set_visible (GTK_WIDGET (self->cell_label), FALSE);
          gtk_box_append (self->charts_box, GTK_WIDGET (self->cell_label));
        }
    }
  g_signal_connect_object (self->views[CS_PREDICT_CHART_CONFUSION], "item-activated",
                           G_CALLBACK (confusion_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_visible (GTK_WIDGET (self->views[CS_PREDICT_CHART_SCATTER]), FALSE);
}

static void
cs_predict_page_dispose (GObject *object)
{
  CsPredictPage *self = CS_PREDICT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->model_rows, g_ptr_array_unref);
  forget_clip_list (self);
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_PREDICT_PAGE);

  g_clear_object (&self->job_bindings);
  g_clear_object (&self->job);
  g_clear_object (&self->project);
  g_clear_object (&self->jobs);
  cs_predict_charts_clear (&self->charts);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->result, cs_predict_result_free);
  g_clear_pointer (&self->scores, cs_predict_score_result_free);
  g_clear_pointer (&self->score_models, g_ptr_array_unref);
  g_clear_object (&self->score_job);

  G_OBJECT_CLASS (cs_predict_page_parent_class)->dispose (object);
}

static void
cs_predict_page_class_init (CsPredictPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_predict_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipscope/Clipscope/ui/cs-predict-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, target_row);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, classes_row);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, threshold_row);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, folds_row);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, folds_spin);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, groups_group);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, models_group);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, progress);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, results_box);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, table);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, detail_row);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, charts_box);
  gtk_widget_class_bind_template_child (widget_class, CsPredictPage, export_button);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, detail_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, run_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  gtk_widget_class_install_action (widget_class, "page.export-json", NULL, export_json_action);
  gtk_widget_class_install_action (widget_class, "page.export-table", NULL, export_table_action);
  gtk_widget_class_install_action (widget_class, "page.export-chart", "s", export_chart_action);
  gtk_widget_class_install_action (widget_class, "page.export-report", NULL, export_report_action);
}

static void
cs_predict_page_init (CsPredictPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_form (self);
  build_charts (self);
  build_score_section (self);
  form_changed_cb (self);
  self->pending_truth = self->pending_predicted = -1;

  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-json", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-table", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-chart", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-report", FALSE);

  self->job_bindings = g_binding_group_new ();
  g_binding_group_bind (self->job_bindings, "fraction", self->progress, "fraction", G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->job_bindings, "message", self->progress, "text", G_BINDING_SYNC_CREATE);
}
