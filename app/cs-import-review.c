/* cs-import-review.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "cs-import-review.h"

struct _CsImportReview
{
  AdwWindow       parent_instance;

  gint64          import_id;
  guint           n_listed;
  guint           n_unmatched;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkLabel       *summary_label;
  GtkListBox     *rejects_list;
  GtkLabel       *more_label;
  AdwPreferencesGroup *unmatched_group;
};

G_DEFINE_FINAL_TYPE (CsImportReview, cs_import_review, ADW_TYPE_WINDOW)

enum {
  SIGNAL_ROLLBACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
rollback_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  CsImportReview *self = CS_IMPORT_REVIEW (widget);

  g_signal_emit (self, signals[SIGNAL_ROLLBACK], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
cs_import_review_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_IMPORT_REVIEW);

  G_OBJECT_CLASS (cs_import_review_parent_class)->dispose (object);
}

static void
cs_import_review_class_init (CsImportReviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_import_review_dispose;

  /* The user chose to remove everything the import added. */
  signals[SIGNAL_ROLLBACK] = g_signal_new ("rollback", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipscope/Clipscope/ui/cs-import-review.ui");
  gtk_widget_class_bind_template_child (widget_class, CsImportReview, window_title);
  gtk_widget_class_bind_template_child (widget_class, CsImportReview, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CsImportReview, rejects_list);
  gtk_widget_class_bind_template_child (widget_class, CsImportReview, more_label);
  gtk_widget_class_bind_template_child (widget_class, CsImportReview, unmatched_group);

  gtk_widget_class_install_action (widget_class, "review.rollback", NULL, rollback_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cs_import_review_init (CsImportReview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static GtkWidget *
reject_row (const CsImportReject *reject)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_markup_escape_text (reject->reason, -1);
  g_autofree char *raw = g_strdelimit (g_strdup (reject->raw != NULL ? reject->raw : ""), "\r\n\t", ' ');
  g_autofree char *raw_escaped = g_markup_escape_text (raw, -1);
  /* Translators: where a rejected row is in the file and what it said */
  g_autofree char *subtitle = g_strdup_printf (_("Line %" PRId64 ": %s"), reject->line, raw_escaped);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  return row;
}

CsImportReview *
cs_import_review_new (GtkWindow            *parent,
                      const char           *source_name,
                      const CsImportReport *report,
                      GPtrArray            *unmatched)
{
  CsImportReview *self;
  g_autofree char *rejected = NULL;
  g_autofree char *read = NULL;
  g_autofree char *imported = NULL;
  g_autofree char *summary = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  self = g_object_new (CS_TYPE_IMPORT_REVIEW, "transient-for", parent, NULL);
  self->import_id = report->import_id;
  adw_window_title_set_subtitle (self->window_title, source_name);

  rejected = cs_format_count (report->rows_rejected);
  read = cs_format_count (report->rows_read);
  imported = cs_format_count (report->rows_imported);
  if (report->rows_rejected == 0)
    {
      /* Only references to review: every row is in. */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "All %s rows were imported. Check the clips below: they matched none of the project’s clips.",
                                                            "All %s rows were imported. Check the clips below: they matched none of the project’s clips.",
                                                            (gulong) report->rows_imported),
                                               imported);

      gtk_label_set_text (self->summary_label, text);
      adw_window_title_set_title (self->window_title, _("Review the Import"));
    }
  else
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%s of %s rows could not be imported; the other %s are in the project. "
                                            "Keep the import, or roll it back, correct the file and import it again.",
                                            "%s of %s rows could not be imported; the other %s are in the project. "
                                            "Keep the import, or roll it back, correct the file and import it again.",
                                            (gulong) report->rows_rejected),
                               rejected, read, imported);
  if (summary != NULL)
    gtk_label_set_text (self->summary_label, summary);

  for (guint i = 0; report->rejects != NULL && i < report->rejects->len; i++)
    {
      gtk_list_box_append (self->rejects_list, reject_row (g_ptr_array_index (report->rejects, i)));
      self->n_listed++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rejects_list), self->n_listed > 0);

  /* At most a few hundred rows: the CLI's JSON has them all. */
  for (guint i = 0; unmatched != NULL && i < unmatched->len && i < 500; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *escaped = g_markup_escape_text (g_ptr_array_index (unmatched, i), -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
      adw_preferences_group_add (self->unmatched_group, row);
      self->n_unmatched++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->unmatched_group), self->n_unmatched > 0);

  if ((gint64) self->n_listed < report->rows_rejected)
    {
      g_autofree char *shown = cs_format_count (self->n_listed);
      g_autofree char *more = g_strdup_printf (_("The first %s are listed here; the project keeps up to 100,000 with the import."),
                                               shown);

      gtk_label_set_text (self->more_label, more);
      gtk_widget_set_visible (GTK_WIDGET (self->more_label), TRUE);
    }
  return self;
}

gint64
cs_import_review_get_import_id (CsImportReview *self)
{
  g_return_val_if_fail (CS_IS_IMPORT_REVIEW (self), 0);

  return self->import_id;
}

guint
cs_import_review_get_n_unmatched (CsImportReview *self)
{
  g_return_val_if_fail (CS_IS_IMPORT_REVIEW (self), 0);

  return self->n_unmatched;
}

guint
cs_import_review_get_n_listed (CsImportReview *self)
{
  g_return_val_if_fail (CS_IS_IMPORT_REVIEW (self), 0);

  return self->n_listed;
}
