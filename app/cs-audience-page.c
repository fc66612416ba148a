/* cs-audience-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "cs-audience-page.h"
#include "cs-bar-layer.h"
#include "cs-chart-view.h"
#include "cs-funnel-layer.h"
#include "cs-heatmap-layer.h"
#include "cs-line-layer.h"
#include "cs-page-export.h"
#include "cs-retention-layer.h"

/* Presets of the date-range drop-down, in its order: days counted back
 * from the newest day with data (0 = all time, -1 = custom). */
static const int preset_days[] = { 0, 7, 28, 90, -1 };

enum { KPI_VIEWS, KPI_VIEWERS, KPI_WATCH, KPI_COMPLETION, KPI_ENGAGEMENT, KPI_FOLLOWS, N_KPIS };

static const char *kpi_names[N_KPIS] = {
  N_("Views"), N_("Viewers"), N_("Average watch time"), N_("Completion rate"), N_("Engagement rate"), N_("Follows"),
};

typedef struct
{
  gint64  id;
  char   *name;
  gint64  duration_ms;
} ClipInfo;

struct _CsAudiencePage
{
  AdwBin            parent_instance;

  CsProject        *project;
  CsJob            *job;            /* the query running, if any */
  guint             generation;     /* of the newest query started */
  gboolean          dirty;          /* a query is due when the page shows */
  CsAudienceResult *result;
  GArray           *clips;          /* ClipInfo, in drop-down order after "All clips" */
  gboolean          filling;        /* drop-downs being refilled: no queries */

  GtkStack         *stack;
  GtkSpinner       *spinner;
  GtkLabel         *loading_label;
  GtkDropDown      *range_drop;
  GtkEntry         *from_entry;
  GtkEntry         *to_entry;
  GtkDropDown      *clip_drop;
  GtkLabel         *summary_label;
  GtkFlowBox       *kpi_box;
  GtkFlowBox       *chart_box;
  GtkDropDown      *retention_drop;
  GtkLabel         *kpi_values[N_KPIS];

  CsChart          *views_chart, *ratio_chart, *funnel_chart, *heat_chart;
  CsChart          *clips_chart, *tags_chart, *retention_chart;
  CsLineLayer      *views_line;
  CsBarLayer       *ratio_bars, *clip_bars, *tag_bars;
  CsFunnelLayer    *funnel;
  CsHeatmapLayer   *heat;
  CsRetentionLayer *retention;
  /* Charts that need an event log (hidden for clip_stats). */
  GtkWidget        *event_charts[4];
};

G_DEFINE_FINAL_TYPE (CsAudiencePage, cs_audience_page, ADW_TYPE_BIN)

static void
clip_info_clear (gpointer data)
{
  g_free (((ClipInfo *) data)->name);
}

GtkWidget *
cs_audience_page_new (void)
{
  return g_object_new (CS_TYPE_AUDIENCE_PAGE, NULL);
}

const CsAudienceResult *
cs_audience_page_get_result (CsAudiencePage *self)
{
  g_return_val_if_fail (CS_IS_AUDIENCE_PAGE (self), NULL);

  return self->result;
}

gboolean
cs_audience_page_is_busy (CsAudiencePage *self)
{
  g_return_val_if_fail (CS_IS_AUDIENCE_PAGE (self), FALSE);

  return self->job != NULL || self->dirty;
}

const char *
cs_audience_page_get_kpi_text (CsAudiencePage *self,
                               guint           index)
{
  g_return_val_if_fail (CS_IS_AUDIENCE_PAGE (self), NULL);
  g_return_val_if_fail (index < N_KPIS, NULL);

  return gtk_label_get_label (self->kpi_values[index]);
}

/* ---- The query, on a worker ------------------------------------------------ */

typedef struct
{
  char             *project_path;
  guint             generation;
  int               preset_days;    /* as preset_days[] */
  CsAudienceFilter  filter;         /* from/to already set for a custom range */
  CsAudienceResult *result;
  GArray           *clips;          /* ClipInfo */
} QueryData;

static void
query_data_free (gpointer data)
{
  QueryData *query = data;

  g_free (query->project_path);
  g_clear_pointer (&query->result, cs_audience_result_free);
  g_clear_pointer (&query->clips, g_array_unref);
  g_free (query);
}

static gboolean
query_job_func (CsJob         *job,
                gpointer       task_data,
                GCancellable  *cancellable,
                GError       **error)
{
  QueryData *query = task_data;
  g_autoptr(CsStore) store = NULL;
  sqlite3_stmt *stmt;

  store = cs_store_open (query->project_path, CS_STORE_OPEN_EXISTING, error);
  if (store == NULL)
    return FALSE;
  cs_job_update (job, -1, _("Counting views…"));
  if (!cs_audience_refresh (store, cancellable, error))
    return FALSE;

  if (query->preset_days > 0)
    {
      g_autoptr(CsAudienceResult) span = cs_audience_query (store, NULL, 0, cancellable, error);

      if (span == NULL)
        return FALSE;
      if (span->last_day >= span->first_day)
        {
          query->filter.from = cs_audience_day_start (span->last_day - query->preset_days + 1);
          query->filter.to = cs_audience_day_start (span->last_day + 1);
        }
    }
  query->result = cs_audience_query (store, &query->filter, CS_AUDIENCE_ALL, cancellable, error);
  if (query->result == NULL)
    return FALSE;

  query->clips = g_array_new (FALSE, TRUE, sizeof (ClipInfo));
  g_array_set_clear_func (query->clips, clip_info_clear);
  stmt = cs_store_prepare (store,
                           "SELECT id, COALESCE(NULLIF(title, ''), external_id) AS name, COALESCE(duration_ms, 0)"
                           " FROM clips ORDER BY name COLLATE NOCASE, id",
                           error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      ClipInfo info = { sqlite3_column_int64 (stmt, 0),
                        g_strdup ((const char *) sqlite3_column_text (stmt, 1)),
                        sqlite3_column_int64 (stmt, 2) };

      g_array_append_val (query->clips, info);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* ---- Showing a result -------------------------------------------------------- */

static char *
format_kpi (double      value,
            guint       kpi)
{
  if (isnan (value))
    return g_strdup ("—");
  switch (kpi)
    {
    case KPI_WATCH:
      /* Translators: an average watch time in seconds. */
      return g_strdup_printf (_("%.1f s"), value);
    case KPI_COMPLETION:
    case KPI_ENGAGEMENT:
      return g_strdup_printf ("%.1f\u00a0%%", 100.0 * value);
    default:
      return cs_format_count ((gint64) llround (value));
    }
}

static char *
format_day (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d") : g_strdup ("?");
}

static gint64
clip_at (CsAudiencePage *self,
         guint           position)
{
  if (position == 0 || position == GTK_INVALID_LIST_POSITION || self->clips == NULL ||
      position > self->clips->len)
    return 0;
  return g_array_index (self->clips, ClipInfo, position - 1).id;
}

static const ClipInfo *
clip_info (CsAudiencePage *self,
           gint64          id)
{
  for (guint i = 0; self->clips != NULL && i < self->clips->len; i++)
    if (g_array_index (self->clips, ClipInfo, i).id == id)
      return &g_array_index (self->clips, ClipInfo, i);
  return NULL;
}

static void
fill_clip_drops (CsAudiencePage *self,
                 GArray         *clips)
{
  gint64 chosen = clip_at (self, gtk_drop_down_get_selected (self->clip_drop));
  gint64 retention = clip_at (self, gtk_drop_down_get_selected (self->retention_drop));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) retention_names = gtk_string_list_new (NULL);
  guint chosen_pos = 0, retention_pos = 0;

  gtk_string_list_append (names, _("All clips"));
  gtk_string_list_append (retention_names, _("All clips"));
  for (guint i = 0; i < clips->len; i++)
    {
      const ClipInfo *info = &g_array_index (clips, ClipInfo, i);

      gtk_string_list_append (names, info->name);
      gtk_string_list_append (retention_names, info->name);
      if (info->id == chosen)
        chosen_pos = i + 1;
      if (info->id == retention)
        retention_pos = i + 1;
    }
  g_clear_pointer (&self->clips, g_array_unref);
  self->clips = g_array_ref (clips);

  self->filling = TRUE;
  gtk_drop_down_set_model (self->clip_drop, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->clip_drop, chosen_pos);
  gtk_drop_down_set_model (self->retention_drop, G_LIST_MODEL (retention_names));
  gtk_drop_down_set_selected (self->retention_drop, retention_pos);
  self->filling = FALSE;
}

/* The axis shortens long labels from the end; the tooltip shows all of it,
 * so the engagement rate goes last. */
static char *
row_label (const CsAudienceRow *row,
           gboolean             hashtag)
{
  if (isnan (row->engagement_rate))
    return g_strdup_printf ("%s%s", hashtag ? "#" : "", row->name);
  /* Translators: a bar's label: a clip or hashtag and its engagement rate. */
  return g_strdup_printf (_("%s%s (engagement %.1f\u00a0%%)"), hashtag ? "#" : "", row->name,
                          100.0 * row->engagement_rate);
}

static void
show_rows (CsBarLayer *bars,
           GPtrArray  *rows,
           gboolean    hashtag)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *values = g_new0 (double, MAX (rows->len, 1));
  const char *series[] = { _("Views") };

  for (guint i = 0; i < rows->len; i++)
    {
      const CsAudienceRow *row = g_ptr_array_index (rows, i);

      g_ptr_array_add (labels, row_label (row, hashtag));
      values[i] = row->views;
    }
  cs_bar_layer_set_data (bars, (const char * const *) labels->pdata, rows->len, series, 1, values, NULL, NULL);
}

static void
show_retention (CsAudiencePage *self)
{
  const CsAudienceResult *r = self->result;
  const ClipInfo *info = r != NULL ? clip_info (self, r->retention_clip_id) : NULL;
  double x[101], share[101];

  cs_line_layer_clear (CS_LINE_LAYER (self->retention));
  if (r == NULL || r->retention_views == 0)
    return;
  for (guint p = 0; p <= 100; p++)
    {
      x[p] = info != NULL && info->duration_ms > 0 ? p * info->duration_ms / 100000.0 : p;
      share[p] = r->retention[p];
    }
  cs_chart_set_axis_unit (self->retention_chart, CS_CHART_AXIS_X, info != NULL && info->duration_ms > 0 ? "s" : "%");
  cs_chart_set_x_label (self->retention_chart, info != NULL && info->duration_ms > 0
                                               ? _("Position in the clip")
                                               : _("Position in the clip, share of its length"));
  cs_retention_layer_add_curve (self->retention, info != NULL ? info->name : _("All clips"), x, share, 101);
}

static void
show_result (CsAudiencePage *self)
{
  const CsAudienceResult *r = self->result;
  gboolean events;
  g_autofree char *range = NULL;
  const char *source;

  if (r == NULL)
    return;
  if (r->source == CS_AUDIENCE_SOURCE_NONE)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "main");
  events = r->source == CS_AUDIENCE_SOURCE_EVENTS;

  {
    double kpis[N_KPIS] = { r->views, r->viewers, r->avg_watch_s, r->completion_rate, r->engagement_rate, r->follows };

    for (guint i = 0; i < N_KPIS; i++)
      {
        g_autofree char *text = format_kpi (kpis[i], i);
        g_autofree char *accessible = g_strdup_printf ("%s: %s", _(kpi_names[i]), text);

        gtk_label_set_label (self->kpi_values[i], text);
        gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self->kpi_values[i]))),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      }
  }

  /* Where the numbers come from, and for which days. */
  if (r->last_day >= r->first_day)
    {
      g_autofree char *first = format_day (cs_audience_day_start (r->first_day));
      g_autofree char *last = format_day (cs_audience_day_start (r->last_day));
      guint preset = gtk_drop_down_get_selected (self->range_drop);

      if (preset < G_N_ELEMENTS (preset_days) && preset_days[preset] == 0)
        /* Translators: the dates of the first and last day with data. */
        range = g_strdup_printf (_("all days with data, %s to %s"), first, last);
    }
  source = events ? _("From the event log") : _("From the clip statistics (no event log: viewers, retention, "
                                                 "watch ratios and the funnel need one)");
  {
    g_autofree char *text = range != NULL ? g_strdup_printf ("%s; %s.", source, range) : g_strdup_printf ("%s.", source);

    if (self->project != NULL && cs_project_get_simulated (self->project))
      {
        g_autofree char *tmp = g_steal_pointer (&text);
        text = g_strdup_printf ("%s %s", tmp, _("These are simulated data."));
      }
    gtk_label_set_label (self->summary_label, text);
  }

  for (guint i = 0; i < G_N_ELEMENTS (self->event_charts); i++)
    gtk_widget_set_visible (gtk_widget_get_parent (self->event_charts[i]), events);

  cs_chart_set_title (self->views_chart, r->weekly ? _("Views per week") : _("Views per day"));
  cs_line_layer_clear (self->views_line);
  if (r->bucket_time->len > 0)
    {
      g_autofree double *x = g_new (double, r->bucket_time->len);

      for (guint i = 0; i < r->bucket_time->len; i++)
        x[i] = (double) g_array_index (r->bucket_time, gint64, i);
      cs_line_layer_add_series (self->views_line, _("Views"), x, (const double *) r->bucket_views->data,
                                r->bucket_time->len);
    }

  {
    const char *bins[CS_AUDIENCE_RATIO_BINS] = {
      "0–10\u00a0%", "10–20\u00a0%", "20–30\u00a0%", "30–40\u00a0%", "40–50\u00a0%",
      "50–60\u00a0%", "60–70\u00a0%", "70–80\u00a0%", "80–90\u00a0%", "90–100\u00a0%",
    };
    const char *series[] = { _("Views") };
    double values[CS_AUDIENCE_RATIO_BINS];

    for (guint i = 0; i < CS_AUDIENCE_RATIO_BINS; i++)
      values[i] = (double) r->ratio_bins[i];
    cs_bar_layer_set_data (self->ratio_bars, bins, CS_AUDIENCE_RATIO_BINS, series, 1, values, NULL, NULL);
  }

  {
    const char *stages[CS_AUDIENCE_FUNNEL_STAGES] = {
      _("Watched"), _("Liked or commented"), _("Shared"), _("Followed"),
    };
    double counts[CS_AUDIENCE_FUNNEL_STAGES];

    for (guint i = 0; i < CS_AUDIENCE_FUNNEL_STAGES; i++)
      counts[i] = (double) r->funnel[i];
    cs_funnel_layer_set_data (self->funnel, stages, counts, CS_AUDIENCE_FUNNEL_STAGES);
  }

  {
    const char *days[7] = { _("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun") };
    char hour_text[24][4];
    const char *hours[24];

    for (guint h = 0; h < 24; h++)
      {
        g_snprintf (hour_text[h], sizeof hour_text[h], "%u", h);
        hours[h] = hour_text[h];
      }
    cs_chart_set_title (self->heat_chart, r->post_time_by_posting ? _("Best time to post") : _("When viewers watch"));
    cs_chart_set_x_label (self->heat_chart, r->post_time_by_posting
                                            ? _("Hour posted; colour: median views per clip")
                                            : _("Hour watched; colour: views (no post times in this range)"));
    cs_heatmap_layer_set_data (self->heat, days, 7, hours, 24, &r->heat[0][0]);
  }

  show_rows (self->clip_bars, r->top_clips, FALSE);
  show_rows (self->tag_bars, r->top_hashtags, TRUE);
  show_retention (self);
}

static void
query_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CsAudiencePage) self = user_data;
  CsJob *job = CS_JOB (object);
  QueryData *query = g_object_get_data (object, "cs-query");
  g_autoptr(GError) error = NULL;
  gboolean ok = cs_job_run_finish (job, result, &error);

  /* A newer query replaced this one: its numbers are for another filter. */
  if (query->generation != self->generation)
    return;
  g_clear_object (&self->job);
  gtk_spinner_stop (self->spinner);
  if (!ok)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not count the views: %s"), error->message);
      gtk_label_set_label (self->loading_label, text);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      return;
    }
  fill_clip_drops (self, query->clips);
  g_clear_pointer (&self->result, cs_audience_result_free);
  self->result = g_steal_pointer (&query->result);
  show_result (self);
}

/* Local day of "2026-03-01", or FALSE. */
static gboolean
parse_entry_day (GtkEntry *entry,
                 gint64   *day)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  unsigned y, m, d;
  char end;
  g_autoptr(GDateTime) time = NULL;

  if (sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &end) != 3 || !g_date_valid_dmy (d, m, y) || y < 1970)
    return FALSE;
  time = g_date_time_new_local ((int) y, (int) m, (int) d, 12, 0, 0);
  if (time == NULL)
    return FALSE;
  *day = cs_audience_local_day (g_date_time_to_unix (time));
  return TRUE;
}

void
cs_audience_page_refresh (CsAudiencePage *self)
{
  g_autoptr(CsJob) job = NULL;
  QueryData *query;
  guint preset;

  g_return_if_fail (CS_IS_AUDIENCE_PAGE (self));

  if (self->project == NULL)
    return;
  /* Only a page on screen counts: the first count of a large log takes a
   * while and writes the summaries. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  self->dirty = FALSE;

  preset = MIN (gtk_drop_down_get_selected (self->range_drop), G_N_ELEMENTS (preset_days) - 1);
  query = g_new0 (QueryData, 1);
  query->project_path = g_strdup (cs_project_get_path (self->project));
  query->preset_days = preset_days[preset];
  cs_audience_filter_init (&query->filter);
  query->filter.clip_id = clip_at (self, gtk_drop_down_get_selected (self->clip_drop));
  query->filter.retention_clip_id = clip_at (self, gtk_drop_down_get_selected (self->retention_drop));
  if (query->preset_days < 0)
    {
      gint64 first = 0, last = 0;
      gboolean from_ok = parse_entry_day (self->from_entry, &first);
      gboolean to_ok = parse_entry_day (self->to_entry, &last);
      const char *from_text = gtk_editable_get_text (GTK_EDITABLE (self->from_entry));
      const char *to_text = gtk_editable_get_text (GTK_EDITABLE (self->to_entry));

      /* An empty side is open; a wrong one keeps the charts as they are. */
      if (*from_text != '\0' && !from_ok)
        gtk_widget_add_css_class (GTK_WIDGET (self->from_entry), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
      if ((*to_text != '\0' && !to_ok) || (from_ok && to_ok && last < first))
        gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");
      if ((*from_text != '\0' && !from_ok) || (*to_text != '\0' && !to_ok) || (from_ok && to_ok && last < first))
        {
          query_data_free (query);
          return;
        }
      query->filter.from = from_ok ? cs_audience_day_start (first) : 0;
      query->filter.to = to_ok ? cs_audience_day_start (last + 1) : 0;
    }

  if (self->job != NULL)
    cs_job_cancel (self->job);
  query->generation = ++self->generation;
  job = cs_job_new (_("Counting views"));
  g_object_set_data_full (G_OBJECT (job), "cs-query", query, query_data_free);
  g_set_object (&self->job, job);
  if (self->result == NULL)
    {
      gtk_label_set_label (self->loading_label, _("Counting views…"));
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  /* Not in the window's jobs list: a filter change is not worth a toast. */
  cs_job_run_async (job, query_job_func, query, NULL, query_done_cb, g_object_ref (self));
}

static void
filter_changed_cb (CsAudiencePage *self)
{
  gboolean custom;

  if (self->filling)
    return;
  custom = gtk_drop_down_get_selected (self->range_drop) == G_N_ELEMENTS (preset_days) - 1;
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->from_entry)), custom);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->to_entry)), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->from_entry), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->to_entry), custom);
  cs_audience_page_refresh (self);
}

static void
project_changed_cb (CsAudiencePage *self)
{
  cs_audience_page_refresh (self);
}

void
cs_audience_page_set_project (CsAudiencePage *self,
                              CsProject      *project)
{
  g_return_if_fail (CS_IS_AUDIENCE_PAGE (self));

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, project_changed_cb, self);
  if (!g_set_object (&self->project, project))
    return;
  if (self->job != NULL)
    cs_job_cancel (self->job);
  g_clear_object (&self->job);
  self->generation++;
  g_clear_pointer (&self->result, cs_audience_result_free);
  g_clear_pointer (&self->clips, g_array_unref);
  if (project != NULL)
    g_signal_connect_object (project, "changed", G_CALLBACK (project_changed_cb), self, G_CONNECT_SWAPPED);
  cs_audience_page_refresh (self);
}

static void
map_cb (CsAudiencePage *self)
{
  if (self->dirty)
    cs_audience_page_refresh (self);
}

static void
retention_changed_cb (CsAudiencePage *self)
{
  if (!self->filling)
    cs_audience_page_refresh (self);
}

/* ---- Building the page ------------------------------------------------------ */

/* The flow box puts as many charts on a line as their natural widths allow;
 * a chart's natural width is its minimum here, so two share a line from
 * about 640 px and they stack below that. */
static void
narrow_measure (GtkWidget      *widget,
                GtkOrientation  orientation,
                int             for_size,
                int            *minimum,
                int            *natural,
                int            *minimum_baseline,
                int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  *minimum = *natural = 0;
  if (child == NULL)
    return;
  gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = *minimum;
}

static void
fill_allocate (GtkWidget *widget,
               int        width,
               int        height,
               int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static GtkWidget *
narrow_wrap (GtkWidget *child)
{
  GtkWidget *wrapper = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_set_layout_manager (wrapper, gtk_custom_layout_new (NULL, narrow_measure, fill_allocate));
  gtk_box_append (GTK_BOX (wrapper), child);
  return wrapper;
}

static GtkWidget *
add_chart (CsAudiencePage *self,
           CsChart        *chart,
           GtkWidget      *header)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *wrapper = narrow_wrap (box);
  GtkWidget *view = cs_chart_view_new (chart);
  gtk_widget_set_size_request (view, -1, 300);
  gtk_widget_set_hexpand (view, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, cs_chart_get_title (chart), -1);
  g_signal_connect_object (view, "exported", G_CALLBACK (cs_page_toast_saved), self, G_CONNECT_SWAPPED);
  if (header != NULL)
    gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), view);
  gtk_flow_box_append (self->chart_box, wrapper);
  return wrapper;
}

static CsChart *
new_chart (const char *title,
           const char *x_label,
           const char *y_label)
{
  CsChart *chart = cs_chart_new ();

  cs_chart_set_title (chart, title);
  if (x_label != NULL)
    cs_chart_set_x_label (chart, x_label);
  if (y_label != NULL)
    cs_chart_set_y_label (chart, y_label);
  return chart;
}

static void
build_kpis (CsAudiencePage *self)
{
  for (guint i = 0; i < N_KPIS; i++)
    {
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *value = gtk_label_new ("—");
      GtkWidget *name = gtk_label_new (_(kpi_names[i]));

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "kpi-card");
      gtk_widget_set_size_request (card, 120, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, _(kpi_names[i]), -1);
      gtk_widget_add_css_class (value, "title-2");
      gtk_widget_add_css_class (value, "numeric");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_widget_set_margin_top (value, 8);
      gtk_widget_set_margin_start (value, 12);
      gtk_widget_set_margin_end (value, 12);
      gtk_widget_set_margin_start (name, 12);
      gtk_widget_set_margin_end (name, 12);
      gtk_widget_set_margin_bottom (name, 8);
      gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (name, "caption");
      gtk_widget_add_css_class (name, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_wrap (GTK_LABEL (name), TRUE);
      gtk_box_append (GTK_BOX (card), value);
      gtk_box_append (GTK_BOX (card), name);
      gtk_flow_box_append (self->kpi_box, narrow_wrap (card));
      self->kpi_values[i] = GTK_LABEL (value);
    }
}

static void
build_charts (CsAudiencePage *self)
{
  GtkWidget *retention_header;

  self->views_chart = new_chart (_("Views per day"), NULL, _("Views"));
  cs_chart_set_axis_kind (self->views_chart, CS_CHART_AXIS_X, CS_CHART_AXIS_TIME);
  self->views_line = cs_line_layer_new ();
  cs_line_layer_set_fill (self->views_line, TRUE);
  cs_chart_add_layer (self->views_chart, CS_CHART_LAYER (self->views_line));
  self->event_charts[0] = add_chart (self, self->views_chart, NULL);

  self->ratio_chart = new_chart (_("How much of each clip was watched"), _("Share of the clip watched"), _("Views"));
  self->ratio_bars = cs_bar_layer_new ();
  cs_bar_layer_set_show_values (self->ratio_bars, FALSE);
  cs_chart_add_layer (self->ratio_chart, CS_CHART_LAYER (self->ratio_bars));
  self->event_charts[1] = add_chart (self, self->ratio_chart, NULL);

  self->funnel_chart = new_chart (_("From watching to following"), NULL, _("Viewers"));
  self->funnel = cs_funnel_layer_new ();
  cs_chart_add_layer (self->funnel_chart, CS_CHART_LAYER (self->funnel));
  self->event_charts[2] = add_chart (self, self->funnel_chart, NULL);

  self->heat_chart = new_chart (_("Best time to post"), _("Hour"), NULL);
  self->heat = cs_heatmap_layer_new ();
  cs_chart_add_layer (self->heat_chart, CS_CHART_LAYER (self->heat));
  add_chart (self, self->heat_chart, NULL);

  self->clips_chart = new_chart (_("Top clips by views"), _("Clip (point at a bar for its engagement rate)"), _("Views"));
  self->clip_bars = cs_bar_layer_new ();
  cs_chart_add_layer (self->clips_chart, CS_CHART_LAYER (self->clip_bars));
  add_chart (self, self->clips_chart, NULL);

  self->tags_chart = new_chart (_("Top hashtags by views"), _("Hashtag (point at a bar for its engagement rate)"), _("Views"));
  self->tag_bars = cs_bar_layer_new ();
  cs_chart_add_layer (self->tags_chart, CS_CHART_LAYER (self->tag_bars));
  add_chart (self, self->tags_chart, NULL);

  self->retention_chart = new_chart (_("Retention: share of views still watching"), _("Position in the clip"), NULL);
  cs_chart_set_axis_percent (self->retention_chart, CS_CHART_AXIS_Y, TRUE);
  self->retention = cs_retention_layer_new ();
  cs_chart_add_layer (self->retention_chart, CS_CHART_LAYER (self->retention));
  self->retention_drop = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_widget_set_halign (GTK_WIDGET (self->retention_drop), GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->retention_drop), _("Clip of the retention curve"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retention_drop), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Clip of the retention curve"), -1);
  g_signal_connect_object (self->retention_drop, "notify::selected", G_CALLBACK (retention_changed_cb), self,
                           G_CONNECT_SWAPPED);
  retention_header = GTK_WIDGET (self->retention_drop);
  self->event_charts[3] = add_chart (self, self->retention_chart, retention_header);
}

static void
cs_audience_page_dispose (GObject *object)
{
  CsAudiencePage *self = CS_AUDIENCE_PAGE (object);

  if (self->job != NULL)
    cs_job_cancel (self->job);
  self->generation++;
  /* AdwBin keeps its own pointer to the template's top child; drop it first
   * or AdwBin would unparent a widget the template already disposed. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_AUDIENCE_PAGE);

  g_clear_object (&self->job);
  g_clear_object (&self->project);
  g_clear_pointer (&self->result, cs_audience_result_free);
  g_clear_pointer (&self->clips, g_array_unref);
  g_clear_object (&self->views_line);
  g_clear_object (&self->ratio_bars);
  g_clear_object (&self->clip_bars);
  g_clear_object (&self->tag_bars);
  g_clear_object (&self->funnel);
  g_clear_object (&self->heat);
  g_clear_object (&self->retention);
  g_clear_object (&self->views_chart);
  g_clear_object (&self->ratio_chart);
  g_clear_object (&self->funnel_chart);
  g_clear_object (&self->heat_chart);
  g_clear_object (&self->clips_chart);
  g_clear_object (&self->tags_chart);
  g_clear_object (&self->retention_chart);

  G_OBJECT_CLASS (cs_audience_page_parent_class)->dispose (object);
}

static void
cs_audience_page_class_init (CsAudiencePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_audience_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipscope/Clipscope/ui/cs-audience-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsAudiencePage, stack);
  gtk_widget_class_bind_template_child (widget_class, CsAudiencePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CsAudiencePage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, CsAudiencePage, range_drop);
  gtk_widget_class_bind_template_child (widget_class, CsAudiencePage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, CsAudiencePage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, CsAudiencePage, clip_drop);
  gtk_widget_class_bind_template_child (widget_class, CsAudiencePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CsAudiencePage, kpi_box);
  gtk_widget_class_bind_template_child (widget_class, CsAudiencePage, chart_box);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
}

static void
cs_audience_page_init (CsAudiencePage *self)
{
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  build_kpis (self);
  build_charts (self);
  /* Until the first result names the clips. */
  {
    const char *all[] = { _("All clips"), NULL };
    g_autoptr(GtkStringList) model = gtk_string_list_new (all);
    g_autoptr(GtkStringList) retention_model = gtk_string_list_new (all);

    gtk_drop_down_set_model (self->clip_drop, G_LIST_MODEL (model));
    gtk_drop_down_set_model (self->retention_drop, G_LIST_MODEL (retention_model));
  }
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->from_entry)), FALSE);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->to_entry)), FALSE);
  self->filling = FALSE;
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
}
