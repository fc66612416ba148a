/* cs-recommend-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cs-bar-layer.h"
#include "cs-chart-view.h"
#include "cs-compat.h"
#include "cs-eval-export.h"
#include "cs-line-layer.h"
#include "cs-page-export.h"
#include "cs-recommend-inspect.h"
#include "cs-recommend-page.h"
#include "cs-report-run.h"
#include "cs-significance-layer.h"

struct _CsRecommendPage
{
  AdwBin           parent_instance;

  CsProject       *project;
  CsJobList       *jobs;
  CsJob           *job;          /* the running comparison */
  CsEvalResult    *result;       /* the comparison shown */
  CsChart         *chart;
  CsBarLayer      *bars;
  CsChart         *curve;        /* metric@K, one line per model */
  CsLineLayer     *lines;
  CsChart         *significance; /* every pair of models at one metric and K */
  CsSignificanceLayer *pairs;
  GCancellable    *cancellable;  /* for loads; replaced on each refresh */
  GBindingGroup   *job_bindings;

  GtkStack        *stack;
  AdwComboRow     *positives_row;
  AdwActionRow    *watch_row;
  GtkSpinButton   *watch_spin;
  AdwExpanderRow  *weights_row;
  GtkSpinButton   *weight_spins[5]; /* in weight_kinds[] order */
  AdwComboRow     *protocol_row;
  GtkSpinButton   *k_spin;
  GtkSpinButton   *seed_spin;
  GtkSwitch       *tune_switch;
  AdwActionRow    *folds_row;
  GtkSpinButton   *folds_spin;
  AdwPreferencesGroup *models_group;
  GPtrArray       *model_rows;   /* ModelRow*, in models[] order */
  GtkWidget       *run_button;
  GtkWidget       *cancel_button;
  GtkProgressBar  *progress;
  GtkWidget       *results_box;
  GtkLabel        *summary_label;
  GtkGrid         *table;
  CsChartView     *chart_view;
  GtkWidget       *export_button;
  GtkLabel        *title_label;
  GtkWidget       *curve_box;
  CsChartView     *curve_view;
  GtkToggleButton *curve_ndcg_button;
  GtkToggleButton *curve_recall_button;
  GtkWidget       *significance_box;
  CsChartView     *significance_view;
  GtkDropDown     *significance_metric_dropdown;
  GtkDropDown     *significance_k_dropdown;
  GtkDropDown     *significance_test_dropdown;
  gboolean         filling_significance; /* dropdowns being refilled */
  guint            significance_k; /* the K last shown, kept across comparisons */
  CsRecommendInspect *inspect;
  GtkListBox      *history_list;
  GtkPopover      *history_popover;
  GPtrArray       *history;      /* CsEvalRunInfo*, newest first; NULL until read */
  guint            loading;      /* reads of the project under way */
};

G_DEFINE_FINAL_TYPE (CsRecommendPage, cs_recommend_page, ADW_TYPE_BIN)

/* The models the form offers, with what each does in a shop owner's words;
 * their settings come from the engine (GObject properties). */
static const struct {
  const char *name;
  const char *description;
  gboolean    enabled;
} models[] = {
  { "pop", N_("Everyone gets the most watched clips they have not seen: the baseline to beat"), TRUE },
  { "itemknn", N_("Clips watched by the same people as the viewer’s clips"), TRUE },
  { "userknn", N_("What viewers with a similar history watched"), FALSE },
  { "ease", N_("A linear model of which clips go together, solved exactly; strong on small catalogues"), TRUE },
  { "ials", N_("Taste vectors for viewers and clips learnt from what was watched (alternating least squares)"), FALSE },
  { "bpr", N_("Taste vectors trained to rank watched clips above the others (BPR)"), FALSE },
  { "content", N_("Clips whose titles, hashtags and look resemble the viewer’s clips; can suggest clips nobody has watched yet"), FALSE },
};

typedef struct
{
  const char     *name;
  AdwExpanderRow *row;
  GPtrArray      *pspecs;   /* GParamSpec*, the settings shown */
  GPtrArray      *spins;    /* GtkSpinButton*, matching pspecs */
  gboolean        seeded;   /* has a "seed" setting: the form's seed goes there */
} ModelRow;

static void
model_row_free (gpointer data)
{
  ModelRow *row = data;

  g_clear_pointer (&row->pspecs, g_ptr_array_unref);
  g_clear_pointer (&row->spins, g_ptr_array_unref);
  g_free (row);
}

/* In the order of the positives combo row; "watch" and "weighted" take
 * their numbers from the rows under it. */
static const char *positives_rules[] = { "view", "watch", "like", "share", "comment", "follow", "weighted" };
enum { POSITIVES_WATCH = 1, POSITIVES_WEIGHTED = 6 };

/* The weighted rule's event kinds, with the weights the form starts from. */
static const struct
{
  const char *kind;
  const char *title;
  double      weight;
} weight_kinds[] = {
  { "view", N_("View"), 1 },
  { "like", N_("Like"), 3 },
  { "comment", N_("Comment"), 3 },
  { "share", N_("Share"), 5 },
  { "follow", N_("Follow"), 5 },
};
/* The random holdout's and k-fold's seed is the form's seed, and k-fold's
 * number of folds the folds row's, appended when a run starts. */
static const char *protocols[] = { "temporal", "leave-last-out", "random:0.2", "kfold" };
#define PROTOCOL_KFOLD 3

/* Columns of the results table: metric name in the engine, and header. */
static const struct {
  const char *metric;
  const char *label;
} table_metrics[] = {
  { "ndcg", N_("NDCG") },
  { "recall", N_("Recall") },
  { "precision", N_("Precision") },
  { "hr", N_("Hit rate") },
  { "map", N_("MAP") },
  { "mrr", N_("MRR") },
  { "coverage", N_("Coverage") },
};

GtkWidget *
cs_recommend_page_new (CsJobList *jobs)
{
  CsRecommendPage *self = g_object_new (CS_TYPE_RECOMMEND_PAGE, NULL);

  self->jobs = g_object_ref (jobs);
  return GTK_WIDGET (self);
}

const CsEvalResult *
cs_recommend_page_get_result (CsRecommendPage *self)
{
  g_return_val_if_fail (CS_IS_RECOMMEND_PAGE (self), NULL);

  return self->result;
}

CsChart *
cs_recommend_page_get_chart (CsRecommendPage *self)
{
  g_return_val_if_fail (CS_IS_RECOMMEND_PAGE (self), NULL);

  return self->chart;
}

static void
form_changed_cb (CsRecommendPage *self)
{
  gboolean any_model = FALSE;

  for (guint i = 0; self->model_rows != NULL && i < self->model_rows->len; i++)
    {
      ModelRow *row = g_ptr_array_index (self->model_rows, i);

      any_model |= adw_expander_row_get_enable_expansion (row->row);
    }
  gtk_widget_set_sensitive (self->run_button, any_model && self->job == NULL);
}

static GtkWidget *
setting_spin (GParamSpec *pspec)
{
  GtkWidget *spin;

  if (G_IS_PARAM_SPEC_UINT (pspec))
    {
      GParamSpecUInt *u = G_PARAM_SPEC_UINT (pspec);

      spin = gtk_spin_button_new_with_range (u->minimum, MIN (u->maximum, 1e9), 1);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), u->default_value);
    }
  else if (G_IS_PARAM_SPEC_INT (pspec))
    {
      GParamSpecInt *i = G_PARAM_SPEC_INT (pspec);

      spin = gtk_spin_button_new_with_range (i->minimum, MIN (i->maximum, 1e9), 1);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), i->default_value);
    }
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      GParamSpecDouble *d = G_PARAM_SPEC_DOUBLE (pspec);
      double step = d->default_value > 0.0 ? pow (10.0, floor (log10 (d->default_value))) : 0.01;

      spin = gtk_spin_button_new_with_range (d->minimum, MIN (d->maximum, 1e9), step);
      /* Enough digits for the default and one step below it. */
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin),
                                  (guint) CLAMP (-floor (log10 (step)) + 1, 0, 6));
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), d->default_value);
    }
  else
    return NULL;

  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  return spin;
}

/* One switchable row per model; its settings inside, from the engine. */
static void
build_model_rows (CsRecommendPage *self)
{
  self->model_rows = g_ptr_array_new_with_free_func (model_row_free);

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(CsRecommender) model = cs_recommender_new_from_spec (models[i].name, NULL);
      g_autofree GParamSpec **pspecs = NULL;
      ModelRow *row;
      guint n_pspecs;

      if (model == NULL)
        continue;

      row = g_new0 (ModelRow, 1);
      row->name = models[i].name;
      row->pspecs = g_ptr_array_new ();
      row->spins = g_ptr_array_new ();
      row->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), cs_recommender_get_display_name (model));
      adw_expander_row_set_subtitle (row->row, _(models[i].description));
      adw_expander_row_set_show_enable_switch (row->row, TRUE);
      adw_expander_row_set_enable_expansion (row->row, models[i].enabled);
      adw_expander_row_set_expanded (row->row, FALSE);
      g_signal_connect_object (row->row, "notify::enable-expansion", G_CALLBACK (form_changed_cb),
                               self, G_CONNECT_SWAPPED);

      pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (model), &n_pspecs);
      for (guint p = 0; p < n_pspecs; p++)
        {
          GtkWidget *setting, *spin;

          if (pspecs[p]->owner_type == CS_TYPE_RECOMMENDER || !(pspecs[p]->flags & G_PARAM_WRITABLE))
            continue;
          if (g_str_equal (pspecs[p]->name, "seed"))
            {
              row->seeded = TRUE;
              continue;
            }
          spin = setting_spin (pspecs[p]);
          if (spin == NULL)
            continue;
          setting = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (setting), g_param_spec_get_nick (pspecs[p]));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (setting), g_param_spec_get_blurb (pspecs[p]));
          adw_action_row_add_suffix (ADW_ACTION_ROW (setting), spin);
          gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          g_param_spec_get_nick (pspecs[p]), -1);
          adw_expander_row_add_row (row->row, setting);
          g_ptr_array_add (row->pspecs, pspecs[p]);
          g_ptr_array_add (row->spins, spin);
        }

      adw_preferences_group_add (self->models_group, GTK_WIDGET (row->row));
      g_ptr_array_add (self->model_rows, row);
    }
}

/* "pop;itemknn:k=100;ials:factors=64,…,seed=42" from the switched-on rows. */
static char *
models_spec (CsRecommendPage *self)
{
  g_autoptr(GString) spec = g_string_new (NULL);
  guint64 seed = (guint64) gtk_spin_button_get_value (self->seed_spin);

  for (guint i = 0; i < self->model_rows->len; i++)
    {
      ModelRow *row = g_ptr_array_index (self->model_rows, i);
      char sep = ':';

      if (!adw_expander_row_get_enable_expansion (row->row))
        continue;
      if (spec->len > 0)
        g_string_append_c (spec, ';');
      g_string_append (spec, row->name);
      for (guint p = 0; p < row->pspecs->len; p++)
        {
          GParamSpec *pspec = g_ptr_array_index (row->pspecs, p);
          GtkSpinButton *spin = g_ptr_array_index (row->spins, p);
          char value[G_ASCII_DTOSTR_BUF_SIZE];

          if (G_IS_PARAM_SPEC_DOUBLE (pspec))
            g_ascii_formatd (value, sizeof value, "%.6g", gtk_spin_button_get_value (spin));
          else
            g_snprintf (value, sizeof value, "%d", gtk_spin_button_get_value_as_int (spin));
          g_string_append_printf (spec, "%c%s=%s", sep, pspec->name, value);
          sep = ',';
        }
      if (row->seeded)
        g_string_append_printf (spec, "%cseed=%" G_GUINT64_FORMAT, sep, seed);
    }
  return g_string_free (g_steal_pointer (&spec), FALSE);
}

void
cs_recommend_page_set_model_enabled (CsRecommendPage *self,
                                     const char      *name,
                                     gboolean         enabled)
{
  g_return_if_fail (CS_IS_RECOMMEND_PAGE (self));

  for (guint i = 0; i < self->model_rows->len; i++)
    {
      ModelRow *row = g_ptr_array_index (self->model_rows, i);

      if (g_str_equal (row->name, name))
        adw_expander_row_set_enable_expansion (row->row, enabled);
    }
}


static void
positives_changed_cb (CsRecommendPage *self)
{
  guint i = adw_combo_row_get_selected (self->positives_row);

  gtk_widget_set_visible (GTK_WIDGET (self->watch_row), i == POSITIVES_WATCH);
  gtk_widget_set_visible (GTK_WIDGET (self->weights_row), i == POSITIVES_WEIGHTED);
}

/* One spin row per event kind inside the Weights row. */
static void
build_weight_rows (CsRecommendPage *self)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (weight_kinds) == G_N_ELEMENTS (((CsRecommendPage *) NULL)->weight_spins));

  for (guint i = 0; i < G_N_ELEMENTS (weight_kinds); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (0, 100, 0.5);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(weight_kinds[i].title));
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 1);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), weight_kinds[i].weight);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(weight_kinds[i].title), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_expander_row_add_row (self->weights_row, row);
      self->weight_spins[i] = GTK_SPIN_BUTTON (spin);
    }
}

/* The positives rule the form describes, as clipscope-cli takes it:
 * "like", "watch:0.5", "weighted:view=1,like=3". NULL when every weight
 * is zero. */
static char *
positives_rule (CsRecommendPage *self)
{
  guint i = MIN (adw_combo_row_get_selected (self->positives_row), G_N_ELEMENTS (positives_rules) - 1);
  g_autoptr(GString) rule = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (i == POSITIVES_WATCH)
    return g_strdup_printf ("watch:%s",
                            g_ascii_formatd (number, sizeof number, "%g",
                                             gtk_spin_button_get_value (self->watch_spin) / 100.0));
  if (i != POSITIVES_WEIGHTED)
    return g_strdup (positives_rules[i]);

  rule = g_string_new ("weighted:");
  for (guint k = 0; k < G_N_ELEMENTS (weight_kinds); k++)
    {
      double w = gtk_spin_button_get_value (self->weight_spins[k]);

      if (w <= 0)
        continue;
      g_string_append_printf (rule, "%s%s=%s", g_str_has_suffix (rule->str, ":") ? "" : ",",
                              weight_kinds[k].kind, g_ascii_formatd (number, sizeof number, "%g", w));
    }
  if (g_str_has_suffix (rule->str, ":"))
    return NULL;
  return g_string_free (g_steal_pointer (&rule), FALSE);
}

static void
protocol_changed_cb (CsRecommendPage *self)
{
  static const char *explanations[] = {
    /* xgettext:no-c-format */
    N_("The oldest 80 % of interactions train; the newest 20 % test"),
    N_("Each viewer’s latest clip tests; everything before it trains"),
    /* xgettext:no-c-format */
    N_("A random 20 % of each viewer’s clips test, drawn with the seed below; the rest train"),
  };
  guint i = MIN (adw_combo_row_get_selected (self->protocol_row), G_N_ELEMENTS (protocols) - 1);

  gtk_widget_set_visible (GTK_WIDGET (self->folds_row), i == PROTOCOL_KFOLD);
  if (i == PROTOCOL_KFOLD)
    {
      guint folds = (guint) gtk_spin_button_get_value_as_int (self->folds_spin);
      g_autofree char *text =
        /* Translators: %u is the number of folds (2 to 20). */
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "Each viewer’s clips dealt into %u fold with the seed below; each fold tests once",
                                      "Each viewer’s clips dealt into %u folds with the seed below; each fold tests once",
                                      folds),
                         folds);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->protocol_row), text);
      return;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->protocol_row), _(explanations[i]));
}

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

/* "iALS (alpha=1, factors=64, …)": the name as a heading, the settings
 * under it, small and wrapped, so five models still fit side by side. */
static GtkWidget *
model_header (const char *label)
{
  const char *paren = strstr (label, " (");
  g_autofree char *name = paren ? g_strndup (label, paren - label) : g_strdup (label);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_set_valign (box, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), cell (name, TRUE, TRUE));
  if (paren != NULL)
    {
      g_autofree char *settings = g_strndup (paren + 2, strlen (paren + 2) - (g_str_has_suffix (paren, ")") ? 1 : 0));
      GtkWidget *sub = cell (settings, FALSE, TRUE);

      gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (sub), 24);
      gtk_label_set_justify (GTK_LABEL (sub), GTK_JUSTIFY_RIGHT);
      gtk_widget_add_css_class (sub, "caption");
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_box_append (GTK_BOX (box), sub);
    }
  gtk_widget_set_tooltip_text (box, label);
  return box;
}

static guint
result_k (const CsEvalResult *result)
{
  /* The K the user asked for; the curve's other Ks are not in @ks. */
  if (result->n_ks > 0)
    return result->ks[0];
  if (result->models->len > 0)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, 0);
      GHashTableIter iter;
      gpointer key;
      guint best = 0;

      g_hash_table_iter_init (&iter, model->metrics);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          const char *at = strchr (key, '@');
          guint k = at ? (guint) g_ascii_strtoull (at + 1, NULL, 10) : 0;

          if (g_str_has_prefix (key, "ndcg@") && k > 0 && (best == 0 || k < best))
            best = k;
        }
      if (best > 0)
        return best;
    }
  return 10;
}

static void
show_result (CsRecommendPage *self)
{
  const CsEvalResult *result = self->result;
  g_autofree char *protocol = NULL;
  g_autofree char *positives = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *ndcg_key = NULL;
  g_autofree char *recall_key = NULL;
  g_autofree char *ndcg_label = NULL;
  g_autofree char *recall_label = NULL;
  g_autoptr(GPtrArray) series = g_ptr_array_new ();
  g_autofree double *values = NULL;
  g_autofree double *low = NULL;
  g_autofree double *high = NULL;
  const char *categories[2];
  guint n_models, k, row;

  gtk_widget_set_visible (self->results_box, result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-table", result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-chart", result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-report", result != NULL);
  if (result == NULL)
    return;

  k = result_k (result);
  n_models = result->models->len;
  protocol = cs_eval_result_describe_protocol (result);
  positives = cs_eval_result_describe_positives (result);
  {
    g_autofree char *train = cs_format_count (result->train_pairs);
    g_autofree char *test = cs_format_count (result->test_pairs);
    g_autofree char *viewers = cs_format_count (result->test_viewers);
    g_autofree char *clips = cs_format_count (result->n_clips);

    /* Translators: the protocol, then what counts as interest, then counts. */
    summary = g_strdup_printf (_("%s. %s. %s training and %s test interactions; "
                                 "%s viewers tested on %s clips. For every metric, higher is better."),
                               protocol, positives, train, test, viewers, clips);
  }
  if (self->project != NULL && cs_project_get_simulated (self->project))
    {
      g_autofree char *tmp = g_steal_pointer (&summary);
      summary = g_strdup_printf ("%s %s", tmp, _("These are simulated data."));
    }
  gtk_label_set_label (self->summary_label, summary);

  /* The table: one column per model, one row per metric at K (it stays
   * narrow as metrics grow), then training time; the best value of each
   * metric row is bold. */
  grid_clear (self->table);
  gtk_grid_attach (self->table, cell (_("Metric"), TRUE, FALSE), 0, 0, 1, 1);
  for (guint m = 0; m < n_models; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);

      gtk_grid_attach (self->table, model_header (model->label), (int) m + 1, 0, 1, 1);
    }
  for (guint r = 0; r < G_N_ELEMENTS (table_metrics); r++)
    {
      g_autofree char *key = g_strdup_printf ("%s@%u", table_metrics[r].metric, k);
      g_autofree char *name = g_strdup_printf ("%s@%u", _(table_metrics[r].label), k);
      g_autofree char *best_text = NULL;
      double best = -INFINITY;

      for (guint m = 0; m < n_models; m++)
        {
          double v = cs_eval_model_result_get (g_ptr_array_index (result->models, m), key);
          if (!isnan (v))
            best = MAX (best, v);
        }
      /* Values that print the same as the best are as good as the best. */
      if (isfinite (best))
        best_text = g_strdup_printf ("%.4f", best);

      gtk_grid_attach (self->table, cell (name, FALSE, FALSE), 0, (int) r + 1, 1, 1);
      for (guint m = 0; m < n_models; m++)
        {
          const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
          double v = cs_eval_model_result_get (model, key);
          g_autofree char *text = isnan (v) ? g_strdup ("—") : g_strdup_printf ("%.4f", v);
          g_autofree char *sd_key = g_strdup_printf ("%s_sd@%u", table_metrics[r].metric, k);
          double sd = cs_eval_model_result_get (model, sd_key);
          g_autofree char *shown = NULL;
          g_autofree char *lo_key = g_strdup_printf ("%s_lo@%u", table_metrics[r].metric, k);
          g_autofree char *hi_key = g_strdup_printf ("%s_hi@%u", table_metrics[r].metric, k);
          double lo = cs_eval_model_result_get (model, lo_key);
          double hi = cs_eval_model_result_get (model, hi_key);
          GtkWidget *label, *box;

          /* k-fold: the mean ± the standard deviation over the folds. */
          if (result->n_folds > 1 && !isnan (v) && !isnan (sd))
            /* Translators: a mean ± a standard deviation. */
            shown = g_strdup_printf (_("%.4f ± %.4f"), v, sd);
          label = cell (shown != NULL ? shown : text, FALSE, TRUE);
          if (shown != NULL)
            {
              g_autofree char *tip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "Mean over test viewers ± standard deviation over the %u fold",
                                                                   "Mean over test viewers ± standard deviation over the %u folds",
                                                                   result->n_folds),
                                                      result->n_folds);

              gtk_widget_set_tooltip_text (label, tip);
            }
          box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

          if (n_models > 1 && g_strcmp0 (text, best_text) == 0)
            gtk_widget_add_css_class (label, "best-value");
          gtk_box_append (GTK_BOX (box), label);
          /* The 95 % bootstrap interval over test viewers, under the mean. */
          if (isfinite (lo) && isfinite (hi))
            {
              /* Translators: a 95 % confidence interval, lower and upper bound. */
              g_autofree char *interval = g_strdup_printf (_("%.4f – %.4f"), lo, hi);
              GtkWidget *sub = cell (interval, FALSE, TRUE);

              gtk_widget_add_css_class (sub, "caption");
              gtk_widget_add_css_class (sub, "dim-label");
              gtk_widget_set_tooltip_text (sub, _("95 % bootstrap interval over test viewers"));
              gtk_box_append (GTK_BOX (box), sub);
            }
          gtk_grid_attach (self->table, box, (int) m + 1, (int) r + 1, 1, 1);
        }
    }
  row = G_N_ELEMENTS (table_metrics) + 1;
  gtk_grid_attach (self->table, cell (_("Training time"), FALSE, FALSE), 0, row, 1, 1);
  for (guint m = 0; m < n_models; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      g_autofree char *fit = g_strdup_printf (_("%.2f s"), model->fit_s);

      gtk_grid_attach (self->table, cell (fit, FALSE, TRUE), (int) m + 1, row, 1, 1);
    }
  row++;

  /* Comparisons stored before memory was measured have none: no row. */
  {
    gboolean any = FALSE;

    for (guint m = 0; m < n_models; m++)
      any |= isfinite (((CsEvalModelResult *) g_ptr_array_index (result->models, m))->peak_rss_mb);
    if (any)
      {
        GtkWidget *name = cell (_("Peak memory"), FALSE, FALSE);

        gtk_widget_set_tooltip_text (name, _("The most memory Clipscope held while the model trained and "
                                             "scored, the project's data included"));
        gtk_grid_attach (self->table, name, 0, row, 1, 1);
        for (guint m = 0; m < n_models; m++)
          {
            const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
            g_autofree char *mb = isfinite (model->peak_rss_mb)
                                  ? g_strdup_printf (_("%.0f MB"), model->peak_rss_mb)
                                  : g_strdup ("—");

            gtk_grid_attach (self->table, cell (mb, FALSE, TRUE), (int) m + 1, row, 1, 1);
          }
        row++;
      }
  }

  /* Against the baseline, per viewer: NDCG@K's paired t-test with Holm's
   * correction over the models compared, and wins / ties / losses. */
  if (result->baseline >= 0 && (guint) result->baseline < n_models && n_models > 1)
    {
      const CsEvalModelResult *baseline = g_ptr_array_index (result->models, result->baseline);
      g_autofree char *p_key = g_strdup_printf ("ndcg_p_holm@%u", k);
      g_autofree char *wins_key = g_strdup_printf ("ndcg_wins@%u", k);
      g_autofree char *ties_key = g_strdup_printf ("ndcg_ties@%u", k);
      g_autofree char *losses_key = g_strdup_printf ("ndcg_losses@%u", k);
      /* Translators: table row, "NDCG@10 p vs Popularity" */
      g_autofree char *p_name = g_strdup_printf (_("NDCG@%u p vs %s"), k, baseline->label);
      g_autofree char *wtl_name = g_strdup (_("Viewers better / same / worse"));
      GtkWidget *p_cell = cell (p_name, FALSE, FALSE);
      GtkWidget *wtl_cell = cell (wtl_name, FALSE, FALSE);

      gtk_widget_set_tooltip_text (p_cell, _("Paired t-test over test viewers, adjusted for the number of models compared (Holm). Below 0.05: the difference is unlikely to be chance."));
      {
        /* Translators: tooltip; %s is the baseline model */
        g_autofree char *tip = g_strdup_printf (_("Test viewers for whom this model’s NDCG is higher, equal or lower than %s’s"),
                                                baseline->label);

        gtk_widget_set_tooltip_text (wtl_cell, tip);
      }
      gtk_grid_attach (self->table, p_cell, 0, row, 1, 1);
      gtk_grid_attach (self->table, wtl_cell, 0, row + 1, 1, 1);
      for (guint m = 0; m < n_models; m++)
        {
          const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
          double p = cs_eval_model_result_get (model, p_key);
          double wins = cs_eval_model_result_get (model, wins_key);
          double ties = cs_eval_model_result_get (model, ties_key);
          double losses = cs_eval_model_result_get (model, losses_key);
          g_autofree char *p_text = NULL;
          g_autofree char *wtl_text = NULL;
          GtkWidget *label;

          if ((int) m == result->baseline)
            p_text = g_strdup (_("baseline")), wtl_text = g_strdup ("—");
          else
            {
              p_text = isnan (p) ? g_strdup ("—") : p < 0.001 ? g_strdup ("< 0.001") : g_strdup_printf ("%.3f", p);
              wtl_text = isnan (wins) ? g_strdup ("—")
                                      : g_strdup_printf ("%.0f / %.0f / %.0f", wins, ties, losses);
            }
          label = cell (p_text, FALSE, TRUE);
          if (!isnan (p) && p < 0.05 && (int) m != result->baseline)
            gtk_widget_add_css_class (label, "best-value");
          gtk_grid_attach (self->table, label, (int) m + 1, row, 1, 1);
          gtk_grid_attach (self->table, cell (wtl_text, FALSE, TRUE), (int) m + 1, row + 1, 1, 1);
        }
      row += 2;

      /* k-fold: the corrected resampled t-test over the folds as well. */
      if (result->n_folds > 1)
        {
          g_autofree char *nb_key = g_strdup_printf ("ndcg_nb_p@%u", k);
          /* Translators: table row, "NDCG@10 p over folds" */
          g_autofree char *nb_name = g_strdup_printf (_("NDCG@%u p over folds"), k);
          GtkWidget *nb_cell = cell (nb_name, FALSE, FALSE);

          gtk_widget_set_tooltip_text (nb_cell, _("Corrected resampled t-test (Nadeau and Bengio) of the fold means "
                                                  "against the baseline; it allows for folds sharing training data"));
          gtk_grid_attach (self->table, nb_cell, 0, row, 1, 1);
          for (guint m = 0; m < n_models; m++)
            {
              double p = cs_eval_model_result_get (g_ptr_array_index (result->models, m), nb_key);
              g_autofree char *p_text = (int) m == result->baseline ? g_strdup (_("baseline"))
                                        : isnan (p) ? g_strdup ("—")
                                        : p < 0.001 ? g_strdup ("< 0.001") : g_strdup_printf ("%.3f", p);

              gtk_grid_attach (self->table, cell (p_text, FALSE, TRUE), (int) m + 1, row, 1, 1);
            }
        }
    }

  /* The chart: NDCG@K and Recall@K, one bar per model. */
  ndcg_key = g_strdup_printf ("ndcg@%u", k);
  recall_key = g_strdup_printf ("recall@%u", k);
  ndcg_label = g_strdup_printf ("NDCG@%u", k);
  recall_label = g_strdup_printf (_("Recall@%u"), k);
  categories[0] = ndcg_label;
  categories[1] = recall_label;
  values = g_new0 (double, 2 * n_models);
  low = g_new0 (double, 2 * n_models);
  high = g_new0 (double, 2 * n_models);
  for (guint m = 0; m < n_models; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      const char *metric_names[2] = { "ndcg", "recall" };

      g_ptr_array_add (series, model->label);
      values[0 * n_models + m] = cs_eval_model_result_get (model, ndcg_key);
      values[1 * n_models + m] = cs_eval_model_result_get (model, recall_key);
      /* Whiskers: the 95 % bootstrap interval (NaN when not computed). */
      for (guint c = 0; c < 2; c++)
        {
          g_autofree char *lo_key = g_strdup_printf ("%s_lo@%u", metric_names[c], k);
          g_autofree char *hi_key = g_strdup_printf ("%s_hi@%u", metric_names[c], k);

          low[c * n_models + m] = cs_eval_model_result_get (model, lo_key);
          high[c * n_models + m] = cs_eval_model_result_get (model, hi_key);
        }
    }
  cs_bar_layer_set_data (self->bars, categories, 2,
                         (const char * const *) series->pdata, n_models,
                         values, low, high);
}

static void show_history (CsRecommendPage *self);
static void start_load (CsRecommendPage *self, gint64 run_id);

/* NDCG@K or Recall@K against K, one line per model that finished; the
 * table's K is one of the points. Runs stored without a curve have none. */
static void
show_curve (CsRecommendPage *self)
{
  const CsEvalResult *result = self->result;
  gboolean ndcg = gtk_toggle_button_get_active (self->curve_ndcg_button);
  const char *metric = ndcg ? "ndcg" : "recall";

  cs_line_layer_clear (self->lines);
  gtk_widget_set_visible (self->curve_box, result != NULL && result->n_curve_ks > 1);
  if (result == NULL || result->n_curve_ks <= 1)
    return;

  cs_chart_set_title (self->curve,
                      ndcg ? _("NDCG by list length") : _("Recall by list length"));
  cs_chart_set_y_label (self->curve, ndcg ? _("NDCG@K") : _("Recall@K"));
  for (guint m = 0; m < result->models->len; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      g_autofree double *x = g_new (double, result->n_curve_ks);
      g_autofree double *y = g_new (double, result->n_curve_ks);
      gsize n = 0;

      for (guint i = 0; i < result->n_curve_ks; i++)
        {
          g_autofree char *key = g_strdup_printf ("%s@%u", metric, result->curve_ks[i]);
          double v = cs_eval_model_result_get (model, key);

          if (isnan (v))
            continue;
          x[n] = result->curve_ks[i];
          y[n] = v;
          n++;
        }
      if (n > 0)
        cs_line_layer_add_series (self->lines, model->label, x, y, n);
    }
}

static void
curve_metric_toggled_cb (CsRecommendPage *self)
{
  show_curve (self);
}

CsChart *
cs_recommend_page_get_curve (CsRecommendPage *self)
{
  g_return_val_if_fail (CS_IS_RECOMMEND_PAGE (self), NULL);

  return self->curve;
}

void
cs_recommend_page_set_curve_metric (CsRecommendPage *self,
                                    const char      *metric)
{
  g_return_if_fail (CS_IS_RECOMMEND_PAGE (self));

  gtk_toggle_button_set_active (g_strcmp0 (metric, "recall") == 0 ? self->curve_recall_button
                                                                  : self->curve_ndcg_button, TRUE);
}

/* The metrics of the significance matrix, in its dropdown's order: every
 * per-viewer metric (coverage is one number per model, not per viewer). */
static const CsMetric significance_metrics[] = {
  CS_METRIC_NDCG, CS_METRIC_RECALL, CS_METRIC_PRECISION, CS_METRIC_HR,
  CS_METRIC_MAP, CS_METRIC_MRR, CS_METRIC_NOVELTY,
};

/* The models × models grid at the metric, K and test chosen above it.
 * Comparisons stored before the matrix was kept have none: no grid. */
static void
show_significance (CsRecommendPage *self)
{
  const CsEvalResult *result = self->result;
  guint mi = gtk_drop_down_get_selected (self->significance_metric_dropdown);
  guint ki = gtk_drop_down_get_selected (self->significance_k_dropdown);
  gboolean wilcoxon = gtk_drop_down_get_selected (self->significance_test_dropdown) == 1;
  const CsSignificanceMatrix *matrix = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *metric = NULL;
  g_autofree char *title = NULL;
  CsMetric chosen;

  /* The dropdowns notify while the template is built, before the chart. */
  if (self->filling_significance || self->pairs == NULL)
    return;
  if (result != NULL && mi < G_N_ELEMENTS (significance_metrics) && ki < result->n_ks)
    matrix = cs_eval_result_get_significance (result, significance_metrics[mi], result->ks[ki]);
  gtk_widget_set_visible (self->significance_box, matrix != NULL && matrix->n_models >= 2);
  if (matrix == NULL || matrix->n_models < 2)
    {
      cs_significance_layer_set_data (self->pairs, NULL, 0, NULL, NULL, 0.05);
      return;
    }

  chosen = significance_metrics[mi];
  self->significance_k = result->ks[ki];
  for (guint m = 0; m < result->models->len; m++)
    g_ptr_array_add (labels, ((CsEvalModelResult *) g_ptr_array_index (result->models, m))->label);
  metric = g_strdup_printf ("%s@%u", cs_metric_get_label (chosen), result->ks[ki]);
  /* Translators: title of the significance matrix, %s is a metric such as NDCG@10. */
  title = g_strdup_printf (_("%s: is the row model better than the column model?"), metric);
  cs_chart_set_title (self->significance, title);
  cs_significance_layer_set_labels (self->pairs, metric,
                                    wilcoxon ? _("Wilcoxon signed-rank test, Holm-adjusted")
                                             : _("paired t-test, Holm-adjusted"));
  cs_significance_layer_set_data (self->pairs, (const char * const *) labels->pdata, labels->len,
                                  matrix->mean_diff, wilcoxon ? matrix->w_p_holm : matrix->t_p_holm,
                                  0.05);
}

/* The K dropdown lists the cut-offs of the comparison shown. */
static void
fill_significance_choices (CsRecommendPage *self)
{
  g_autoptr(GtkStringList) ks = gtk_string_list_new (NULL);
  guint selected = 0;

  /* Keep the K the user chose when the next comparison has it too. */
  for (guint i = 0; self->result != NULL && i < self->result->n_ks; i++)
    {
      /* Translators: a list length in the significance matrix's K dropdown. */
      g_autofree char *text = g_strdup_printf (_("K = %u"), self->result->ks[i]);

      gtk_string_list_append (ks, text);
      if (self->result->ks[i] == self->significance_k)
        selected = i;
    }
  self->filling_significance = TRUE;
  gtk_drop_down_set_model (self->significance_k_dropdown, G_LIST_MODEL (ks));
  gtk_drop_down_set_selected (self->significance_k_dropdown, selected);
  self->filling_significance = FALSE;
  show_significance (self);
}

static void
significance_changed_cb (CsRecommendPage *self)
{
  show_significance (self);
}

CsChart *
cs_recommend_page_get_significance (CsRecommendPage *self)
{
  g_return_val_if_fail (CS_IS_RECOMMEND_PAGE (self), NULL);

  return self->significance;
}

void
cs_recommend_page_set_significance (CsRecommendPage *self,
                                    const char      *metric,
                                    guint            k,
                                    gboolean         wilcoxon)
{
  CsMetric chosen;

  g_return_if_fail (CS_IS_RECOMMEND_PAGE (self));

  chosen = cs_metric_from_name (metric);
  for (guint i = 0; i < G_N_ELEMENTS (significance_metrics); i++)
    if (significance_metrics[i] == chosen)
      gtk_drop_down_set_selected (self->significance_metric_dropdown, i);
  for (guint i = 0; self->result != NULL && i < self->result->n_ks; i++)
    if (self->result->ks[i] == k)
      gtk_drop_down_set_selected (self->significance_k_dropdown, i);
  gtk_drop_down_set_selected (self->significance_test_dropdown, wilcoxon ? 1 : 0);
}

static void
set_result (CsRecommendPage *self,
            CsEvalResult    *result)
{
  g_clear_pointer (&self->result, cs_eval_result_free);
  self->result = result;
  show_result (self);
  show_curve (self);
  fill_significance_choices (self);
  show_history (self);
  cs_recommend_inspect_set_run (self->inspect, self->project ? cs_project_get_path (self->project) : NULL,
                                result ? result->run_id : 0);
}

CsRecommendInspect *
cs_recommend_page_get_inspect (CsRecommendPage *self)
{
  g_return_val_if_fail (CS_IS_RECOMMEND_PAGE (self), NULL);

  return self->inspect;
}

typedef struct
{
  char          *project_path;
  CsEvalRequest  request;
  CsEvalResult  *result;
  gint64         run_id;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  g_free (run->project_path);
  cs_eval_request_clear (&run->request);
  g_clear_pointer (&run->result, cs_eval_result_free);
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
  g_autofree char *viewers = NULL;

  store = cs_store_open (run->project_path, CS_STORE_OPEN_EXISTING, error);
  if (store == NULL)
    return FALSE;
  run->result = cs_evaluator_run (store, &run->request, cs_job_progress_func, job, cancellable, error);
  if (run->result == NULL)
    return FALSE;

  viewers = cs_format_count (run->result->test_viewers);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Compared %u model on %s viewers",
                                          "Compared %u models on %s viewers",
                                          run->result->models->len),
                             run->result->models->len, viewers);
  cs_job_update (job, 1.0, message);
  return TRUE;
}

static void
set_running (CsRecommendPage *self,
             CsJob           *job)
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
  g_autoptr(CsRecommendPage) self = user_data;
  g_autoptr(CsJob) job = g_object_ref (CS_JOB (object));
  RunData *run = g_object_get_data (object, "cs-run");
  g_autoptr(GError) error = NULL;

  set_running (self, NULL);
  /* Failures and cancels reach the user through the window's toast. */
  if (cs_job_run_finish (job, result, &error))
    {
      set_result (self, g_steal_pointer (&run->result));
      start_load (self, -1);
      if (self->project != NULL)
        cs_project_refresh_async (self->project, NULL, NULL, NULL);
    }
}

void
cs_recommend_page_run (CsRecommendPage *self)
{
  g_autoptr(CsJob) job = NULL;
  g_autofree char *models_text = NULL;
  g_autofree char *positives = NULL;
  RunData *run;
  guint protocol;

  g_return_if_fail (CS_IS_RECOMMEND_PAGE (self));

  if (self->project == NULL || self->job != NULL)
    return;

  models_text = models_spec (self);
  if (models_text[0] == '\0')
    return;

  positives = positives_rule (self);
  if (positives == NULL)
    {
      cs_page_toast (GTK_WIDGET (self), _("Give at least one kind of event a weight above zero"));
      return;
    }
  protocol = MIN (adw_combo_row_get_selected (self->protocol_row), G_N_ELEMENTS (protocols) - 1);

  run = g_new0 (RunData, 1);
  run->project_path = g_strdup (cs_project_get_path (self->project));
  run->request.seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  if (protocol == PROTOCOL_KFOLD)
    run->request.protocol = g_strdup_printf ("kfold:%d:%" G_GUINT64_FORMAT,
                                             gtk_spin_button_get_value_as_int (self->folds_spin),
                                             run->request.seed);
  else if (g_str_has_prefix (protocols[protocol], "random"))
    run->request.protocol = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, protocols[protocol], run->request.seed);
  else
    run->request.protocol = g_strdup (protocols[protocol]);
  run->request.positives = g_steal_pointer (&positives);
  run->request.models = g_steal_pointer (&models_text);
  run->request.n_ks = 1;
  run->request.ks = g_new (guint, 1);
  run->request.ks[0] = (guint) gtk_spin_button_get_value_as_int (self->k_spin);
  run->request.seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  run->request.curve = TRUE;
  /* Inspect reads the kept models instead of training them again. */
  run->request.store_state = TRUE;
  run->request.tune = gtk_switch_get_active (self->tune_switch);

  job = cs_job_new (_("Comparing recommenders"));
  /* The job owns the run data; the page reads the result when it is done. */
  g_object_set_data_full (G_OBJECT (job), "cs-run", run, run_data_free);
  cs_job_list_add (self->jobs, job);
  set_running (self, job);
  cs_job_run_async (job, run_job_func, run, NULL, run_done_cb, g_object_ref (self));
}

static void
run_clicked_cb (CsRecommendPage *self)
{
  cs_recommend_page_run (self);
}

static void
cancel_clicked_cb (CsRecommendPage *self)
{
  if (self->job != NULL)
    cs_job_cancel (self->job);
}

/* ---- Reading and history ------------------------------------------------ */

/* Reads happen on a worker thread: the comparison asked for (the newest
 * when 0, none when -1) and the list of stored comparisons. */
typedef struct
{
  char          *project_path;
  gint64         run_id;
  CsEvalResult  *result;
  GPtrArray     *history;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->project_path);
  g_clear_pointer (&load->result, cs_eval_result_free);
  g_clear_pointer (&load->history, g_ptr_array_unref);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  g_autoptr(CsStore) store = NULL;
  GError *error = NULL;
  gint64 id = load->run_id;

  store = cs_store_open (load->project_path, CS_STORE_OPEN_EXISTING, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (id == 0)
    id = cs_eval_result_latest_id (store);
  if (id > 0 && (load->result = cs_eval_result_load (store, id, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  load->history = cs_eval_result_list (store, &error);
  if (load->history == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void history_delete_clicked_cb (GtkButton *button, CsRecommendPage *self);

static char *
format_time (gint64 unix_s)
{
  g_autoptr(GDateTime) dt = unix_s > 0 ? g_date_time_new_from_unix_local (unix_s) : NULL;

  /* Translators: date and time of a comparison in the history, see g_date_time_format(). */
  return dt != NULL ? g_date_time_format (dt, _("%e %b %Y, %H:%M")) : g_strdup ("?");
}

static char *
protocol_short (const char *protocol_json)
{
  g_autoptr(JsonNode) node = json_from_string (protocol_json, NULL);
  const char *name = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    name = json_object_get_string_member_with_default (json_node_get_object (node), "name", NULL);
  if (g_strcmp0 (name, "temporal") == 0)
    return g_strdup (_("Temporal split"));
  if (g_strcmp0 (name, "leave-last-out") == 0)
    return g_strdup (_("Leave last out"));
  if (g_strcmp0 (name, "random") == 0)
    return g_strdup (_("Random holdout"));
  if (g_strcmp0 (name, "kfold") == 0)
    return g_strdup (_("K-fold by viewer"));
  return g_strdup (name != NULL ? name : "?");
}

/* "Comparison 3", as the history and the results heading name it. */
static char *
comparison_name (gint64 run_id)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);

  /* Translators: %s is the number of a stored comparison. */
  return g_strdup_printf (_("Comparison %s"), number);
}

static void
update_title (CsRecommendPage *self)
{
  g_autofree char *title = NULL;

  if (self->result == NULL)
    return;
  for (guint i = 0; self->history != NULL && i < self->history->len; i++)
    {
      const CsEvalRunInfo *info = g_ptr_array_index (self->history, i);

      if (info->run_id == self->result->run_id)
        {
          g_autofree char *name = comparison_name (info->run_id);
          g_autofree char *when = format_time (info->finished_at);

          title = g_strdup_printf ("%s · %s", name, g_strstrip (when));
          break;
        }
    }
  gtk_label_set_label (self->title_label, title != NULL ? title : _("Latest Comparison"));
}

/* One row per stored comparison: name and time, then the models and the
 * settings; a delete button at the end; the one shown has a check mark. */
static void
show_history (CsRecommendPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);

  gtk_widget_set_sensitive (GTK_WIDGET (self->history_list), self->history != NULL && self->history->len > 0);
  for (guint i = 0; self->history != NULL && i < self->history->len; i++)
    {
      const CsEvalRunInfo *info = g_ptr_array_index (self->history, i);
      g_autofree char *name = comparison_name (info->run_id);
      g_autofree char *when = format_time (info->finished_at);
      g_autofree char *protocol = protocol_short (info->protocol_json);
      g_autofree char *viewers = cs_format_count (info->test_viewers);
      g_autofree char *title = g_strdup_printf ("%s · %s", name, g_strstrip (when));
      /* Translators: history subtitle: models; protocol; list length; test viewers. */
      g_autofree char *subtitle = g_strdup_printf (_("%s\n%s, K = %u, %s test viewers"),
                                                   info->models, protocol, info->k, viewers);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *remove_tip = g_strdup_printf (_("Delete %s"), name);

      /* Before the texts: with markup on, a title such as "Q&A" would be
       * parsed (and refused) when set. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      if (self->result != NULL && self->result->run_id == info->run_id)
        {
          GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

          gtk_widget_set_tooltip_text (check, _("Shown now"));
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
        }
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, remove_tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_tip, -1);
      g_object_set_data_full (G_OBJECT (remove), "cs-run-id", g_memdup2 (&info->run_id, sizeof info->run_id), g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (history_delete_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      g_object_set_data_full (G_OBJECT (row), "cs-run-id", g_memdup2 (&info->run_id, sizeof info->run_id), g_free);
      gtk_list_box_append (self->history_list, row);
    }
  /* Wrapped rows make a scrolled window guess its natural height too low;
   * room for up to four rows, then it scrolls. */
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (self->history_list),
                                                                                             GTK_TYPE_SCROLLED_WINDOW)),
                                              self->history != NULL ? (int) MIN (self->history->len, 4) * 92 : -1);
  if (self->history != NULL && self->history->len == 0)
    {
      GtkWidget *empty = gtk_label_new (_("No stored comparisons"));

      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_set_margin_top (empty, 12);
      gtk_widget_set_margin_bottom (empty, 12);
      gtk_list_box_append (self->history_list, empty);
    }
  update_title (self);
}

static gboolean
same_history (const GPtrArray *a,
              const GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (((CsEvalRunInfo *) g_ptr_array_index (a, i))->run_id != ((CsEvalRunInfo *) g_ptr_array_index (b, i))->run_id)
      return FALSE;
  return TRUE;
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CsRecommendPage *self = CS_RECOMMEND_PAGE (object);
  LoadData *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean changed;

  self->loading--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (load->run_id > 0)
        cs_page_show_save_error (GTK_WIDGET (self), _("Could Not Open the Comparison"), error);
      else
        g_warning ("Could not read the stored comparisons: %s", error->message);
      return;
    }
  changed = !same_history (self->history, load->history);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  self->history = g_steal_pointer (&load->history);
  /* A running comparison shows itself when it is done. */
  if (load->run_id >= 0 && self->job == NULL)
    set_result (self, g_steal_pointer (&load->result));
  else if (changed)
    /* Rebuilding an open popover's rows would leave it at its old size. */
    show_history (self);
}

/* Reads comparison @run_id (0: the newest, -1: none) and the history. */
static void
start_load (CsRecommendPage *self,
            gint64           run_id)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  if (self->project == NULL)
    return;
  load = g_new0 (LoadData, 1);
  load->project_path = g_strdup (cs_project_get_path (self->project));
  load->run_id = run_id;
  task = g_task_new (self, self->cancellable, load_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, load, load_data_free);
  self->loading++;
  g_task_run_in_thread (task, load_thread);
}

void
cs_recommend_page_refresh (CsRecommendPage *self)
{
  const CsProjectCounts *counts;

  g_return_if_fail (CS_IS_RECOMMEND_PAGE (self));

  if (self->project == NULL)
    return;

  counts = cs_project_get_counts (self->project);
  gtk_stack_set_visible_child_name (self->stack, counts->n_events > 0 ? "main" : "empty");
  start_load (self, self->result == NULL && counts->n_runs > 0 ? 0 : -1);
}

void
cs_recommend_page_open_comparison (CsRecommendPage *self,
                                   gint64           run_id)
{
  g_return_if_fail (CS_IS_RECOMMEND_PAGE (self));
  g_return_if_fail (run_id > 0);

  start_load (self, run_id);
}

const GPtrArray *
cs_recommend_page_get_history (CsRecommendPage *self)
{
  g_return_val_if_fail (CS_IS_RECOMMEND_PAGE (self), NULL);

  return self->history;
}

gboolean
cs_recommend_page_is_loading (CsRecommendPage *self)
{
  g_return_val_if_fail (CS_IS_RECOMMEND_PAGE (self), FALSE);

  return self->loading > 0;
}

static void
history_shown_cb (CsRecommendPage *self)
{
  /* Another window or the command line may have added runs meanwhile. */
  start_load (self, -1);
}

static void
history_row_activated_cb (CsRecommendPage *self,
                          GtkListBoxRow   *row)
{
  const gint64 *id = g_object_get_data (G_OBJECT (row), "cs-run-id");

  if (id == NULL)
    return;
  gtk_popover_popdown (self->history_popover);
  if (self->result == NULL || self->result->run_id != *id)
    cs_recommend_page_open_comparison (self, *id);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LoadData *load = task_data;
  g_autoptr(CsStore) store = NULL;
  GError *error = NULL;

  store = cs_store_open (load->project_path, CS_STORE_OPEN_EXISTING, &error);
  if (store == NULL || !cs_eval_result_delete (store, load->run_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
delete_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CsRecommendPage *self = CS_RECOMMEND_PAGE (object);
  LoadData *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->loading--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      cs_page_show_save_error (GTK_WIDGET (self), _("Could Not Delete the Comparison"), error);
      return;
    }
  {
    g_autofree char *name = comparison_name (load->run_id);
    /* Translators: %s is "Comparison 3". */
    g_autofree char *message = g_strdup_printf (_("Deleted %s"), name);

    cs_page_toast (GTK_WIDGET (self), message);
  }
  /* The comparison shown is gone: show the newest left, if any. */
  if (self->result != NULL && self->result->run_id == load->run_id)
    {
      set_result (self, NULL);
      start_load (self, 0);
    }
  else
    start_load (self, -1);
  if (self->project != NULL)
    cs_project_refresh_async (self->project, NULL, NULL, NULL);
}

void
cs_recommend_page_delete_comparison (CsRecommendPage *self,
                                     gint64           run_id)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (CS_IS_RECOMMEND_PAGE (self));

  if (self->project == NULL)
    return;
  load = g_new0 (LoadData, 1);
  load->project_path = g_strdup (cs_project_get_path (self->project));
  load->run_id = run_id;
  task = g_task_new (self, NULL, delete_done_cb, NULL);
  g_task_set_source_tag (task, cs_recommend_page_delete_comparison);
  g_task_set_task_data (task, load, load_data_free);
  self->loading++;
  g_task_run_in_thread (task, delete_thread);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  CsRecommendPage *self = CS_RECOMMEND_PAGE (user_data);
  const gint64 *id = g_object_get_data (G_OBJECT (dialog), "cs-run-id");

  if (g_str_equal (response, "delete") && id != NULL)
    cs_recommend_page_delete_comparison (self, *id);
}

/* Deleting cannot be undone (the models' metrics go too), so ask first. */
static void
history_delete_clicked_cb (GtkButton       *button,
                           CsRecommendPage *self)
{
  const gint64 *id = g_object_get_data (G_OBJECT (button), "cs-run-id");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (id == NULL)
    return;
  name = comparison_name (*id);
  /* Translators: %s is "Comparison 3". */
  heading = g_strdup_printf (_("Delete %s?"), name);
  gtk_popover_popdown (self->history_popover);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("Its table, charts and the models’ scores are removed from the project. "
                                     "This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "cs-run-id", g_memdup2 (id, sizeof *id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
cs_recommend_page_set_project (CsRecommendPage *self,
                               CsProject       *project)
{
  g_return_if_fail (CS_IS_RECOMMEND_PAGE (self));

  if (!g_set_object (&self->project, project))
    return;

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_clear_pointer (&self->history, g_ptr_array_unref);
  set_result (self, NULL);
  cs_recommend_page_refresh (self);
}

/* ---- Exports --------------------------------------------------------------- */

/* "Demo comparison 3" as a file name, without characters that some file
 * systems refuse. */
static char *
suggested_name (CsRecommendPage *self,
                const char      *what,
                const char      *extension)
{
  const char *title = self->project != NULL ? cs_project_get_title (self->project) : NULL;
  g_autofree char *name = NULL;

  name = g_strdup_printf ("%s%s%s %" G_GINT64_FORMAT ".%s", title ? title : "", title ? " " : "",
                          what, self->result ? self->result->run_id : 0, extension);
  g_strdelimit (name, "/\\:*?\"<>|", '-');
  return g_steal_pointer (&name);
}

static void
start_export (CsRecommendPage     *self,
              GFile               *file,
              gboolean             report,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  const char *heading = report ? _("Could Not Save the Report") : _("Could Not Save the Table");

  if (self->result == NULL || (report && self->project == NULL))
    cs_page_export_fail (GTK_WIDGET (self), heading,
                         g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                              _("There is no comparison to export yet")),
                         cancellable, callback, user_data);
  else if (report)
    cs_page_export_report_async (GTK_WIDGET (self), self->project, self->result->run_id, file,
                                 cancellable, callback, user_data);
  else
    {
      char *csv = cs_eval_result_to_csv (self->result);
      g_autoptr(GBytes) bytes = g_bytes_new_take (csv, strlen (csv));

      cs_page_save_bytes_async (GTK_WIDGET (self), file, bytes, heading, cancellable, callback, user_data);
    }
}

void
cs_recommend_page_export_table_async (CsRecommendPage     *self,
                                      GFile               *file,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (CS_IS_RECOMMEND_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  start_export (self, file, FALSE, cancellable, callback, user_data);
}

void
cs_recommend_page_export_report_async (CsRecommendPage     *self,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (CS_IS_RECOMMEND_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  start_export (self, file, TRUE, cancellable, callback, user_data);
}

gboolean
cs_recommend_page_export_finish (CsRecommendPage  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (CS_IS_RECOMMEND_PAGE (self), FALSE);

  return cs_page_export_finish (GTK_WIDGET (self), result, error);
}

static void
table_file_chosen_cb (GFile    *file,
                      gpointer  user_data)
{
  g_autoptr(CsRecommendPage) self = user_data;
  g_autoptr(GFile) target = NULL;

  if (file == NULL)
    return;
  target = cs_compat_with_extension (file, ".csv");
  cs_recommend_page_export_table_async (self, target, NULL, NULL, NULL);
}

static void
report_file_chosen_cb (GFile    *file,
                       gpointer  user_data)
{
  g_autoptr(CsRecommendPage) self = user_data;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_autoptr(GFile) target = NULL;

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
  cs_recommend_page_export_report_async (self, target, NULL, NULL, NULL);
}

static GtkWindow *
parent_window (CsRecommendPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
export_table_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CsRecommendPage *self = CS_RECOMMEND_PAGE (widget);
  /* Translators: file name (without number and extension) of an exported table. */
  g_autofree char *name = suggested_name (self, _("comparison"), "csv");

  cs_compat_save_file (parent_window (self), _("Save Table as CSV"), name, CS_FILE_FILTER_TABLE,
                       table_file_chosen_cb, g_object_ref (self));
}

static void
export_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CsRecommendPage *self = CS_RECOMMEND_PAGE (widget);
  /* Translators: file name (without number and extension) of a report. */
  g_autofree char *name = suggested_name (self, _("report"), "pdf");

  cs_compat_save_file (parent_window (self), _("Save Report"), name, CS_FILE_FILTER_REPORT,
                       report_file_chosen_cb, g_object_ref (self));
}

/* The chart view has its own export (chooser, errors); the menu reuses it. */
static void
export_chart_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CsRecommendPage *self = CS_RECOMMEND_PAGE (widget);

  gtk_widget_activate_action_variant (GTK_WIDGET (self->chart_view), "chart.export", parameter);
}

static void
cs_recommend_page_dispose (GObject *object)
{
  CsRecommendPage *self = CS_RECOMMEND_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->model_rows, g_ptr_array_unref);
  /* AdwBin keeps its own pointer to the template's top child; drop it first
   * or AdwBin would unparent a widget the template already disposed. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_RECOMMEND_PAGE);

  g_clear_object (&self->job_bindings);
  g_clear_object (&self->job);
  g_clear_object (&self->project);
  g_clear_object (&self->jobs);
  g_clear_object (&self->bars);
  g_clear_object (&self->chart);
  g_clear_object (&self->lines);
  g_clear_object (&self->curve);
  g_clear_object (&self->pairs);
  g_clear_object (&self->significance);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->result, cs_eval_result_free);
  g_clear_pointer (&self->history, g_ptr_array_unref);

  G_OBJECT_CLASS (cs_recommend_page_parent_class)->dispose (object);
}

static void
cs_recommend_page_class_init (CsRecommendPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_recommend_page_dispose;

  g_type_ensure (CS_TYPE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipscope/Clipscope/ui/cs-recommend-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, positives_row);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, watch_row);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, watch_spin);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, weights_row);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, k_spin);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, tune_switch);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, folds_row);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, folds_spin);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, models_group);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, progress);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, results_box);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, table);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, chart_view);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, curve_box);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, curve_view);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, curve_ndcg_button);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, curve_recall_button);
  gtk_widget_class_bind_template_callback (widget_class, curve_metric_toggled_cb);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, significance_box);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, significance_view);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, significance_metric_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, significance_k_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, significance_test_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, significance_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, CsRecommendPage, history_popover);
  gtk_widget_class_bind_template_callback (widget_class, history_shown_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, protocol_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, positives_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, run_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  gtk_widget_class_install_action (widget_class, "page.export-table", NULL, export_table_action);
  gtk_widget_class_install_action (widget_class, "page.export-chart", "s", export_chart_action);
  gtk_widget_class_install_action (widget_class, "page.export-report", NULL, export_report_action);
}

static void
cs_recommend_page_init (CsRecommendPage *self)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  gtk_widget_init_template (GTK_WIDGET (self));
  build_model_rows (self);
  build_weight_rows (self);

  positives_changed_cb (self);
  protocol_changed_cb (self);
  gtk_spin_button_set_value (self->k_spin, g_settings_get_uint (settings, "default-k"));
  gtk_spin_button_set_value (self->seed_spin, g_settings_get_uint (settings, "default-seed"));

  self->cancellable = g_cancellable_new ();
  self->chart = cs_chart_new ();
  cs_chart_set_title (self->chart, _("How often each model’s list finds what viewers watched next"));
  cs_chart_set_y_label (self->chart, _("Score (higher is better)"));
  self->bars = cs_bar_layer_new ();
  cs_bar_layer_set_value_format (self->bars, "%.3g");
  cs_chart_add_layer (self->chart, CS_CHART_LAYER (self->bars));
  cs_chart_view_set_chart (self->chart_view, self->chart);
  g_signal_connect_object (self->chart_view, "exported", G_CALLBACK (cs_page_toast_saved), self,
                           G_CONNECT_SWAPPED);
  self->inspect = CS_RECOMMEND_INSPECT (cs_recommend_inspect_new ());
  gtk_widget_set_margin_top (GTK_WIDGET (self->inspect), 12);
  gtk_box_append (GTK_BOX (self->results_box), GTK_WIDGET (self->inspect));
  self->curve = cs_chart_new ();
  cs_chart_set_x_label (self->curve, _("List length (K)"));
  self->lines = cs_line_layer_new ();
  cs_line_layer_set_markers (self->lines, TRUE);
  cs_chart_add_layer (self->curve, CS_CHART_LAYER (self->lines));
  cs_chart_view_set_chart (self->curve_view, self->curve);
  g_signal_connect_object (self->curve_view, "exported", G_CALLBACK (cs_page_toast_saved), self,
                           G_CONNECT_SWAPPED);
  {
    g_autoptr(GtkStringList) metrics = gtk_string_list_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (significance_metrics); i++)
      gtk_string_list_append (metrics, cs_metric_get_label (significance_metrics[i]));
    gtk_drop_down_set_model (self->significance_metric_dropdown, G_LIST_MODEL (metrics));
  }
  self->significance = cs_chart_new ();
  cs_chart_set_y_label (self->significance, _("Row model"));
  cs_chart_set_x_label (self->significance, _("Column model; p adjusted for all pairs, significant below 0.05"));
  self->pairs = cs_significance_layer_new ();
  cs_chart_add_layer (self->significance, CS_CHART_LAYER (self->pairs));
  cs_chart_view_set_chart (self->significance_view, self->significance);
  g_signal_connect_object (self->significance_view, "exported", G_CALLBACK (cs_page_toast_saved), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_visible (self->significance_box, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-table", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-chart", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-report", FALSE);

  self->job_bindings = g_binding_group_new ();
  g_binding_group_bind (self->job_bindings, "fraction", self->progress, "fraction", G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->job_bindings, "message", self->progress, "text", G_BINDING_SYNC_CREATE);
}
