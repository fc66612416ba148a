/* cs-job-row.c: one running job in the jobs list.
 *
 * The row only reads the job's main-thread view; CsJob already coalesces
 * worker updates, so binding straight to its properties is cheap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cs-job-row.h"

/* How often an indeterminate bar moves. */
#define PULSE_INTERVAL_MS 100

struct _CsJobRow
{
  GtkListBoxRow   parent_instance;

  CsJob          *job;
  GBindingGroup  *bindings;
  guint           pulse_id;

  GtkLabel       *title_label;
  GtkLabel       *message_label;
  GtkProgressBar *progress_bar;
  GtkButton      *cancel_button;
};

G_DEFINE_FINAL_TYPE (CsJobRow, cs_job_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_JOB,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static gboolean
job_is_over (CsJob *job)
{
  CsJobState state = cs_job_get_state (job);

  return state == CS_JOB_SUCCEEDED ||
         state == CS_JOB_FAILED ||
         state == CS_JOB_CANCELLED;
}

static gboolean
fraction_to_bar (GBinding     *binding,
                 const GValue *from_value,
                 GValue       *to_value,
                 gpointer      user_data)
{
  double fraction = g_value_get_double (from_value);

  /* An unknown amount of work pulses instead (see update_pulse()). */
  if (fraction < 0.0)
    return FALSE;

  g_value_set_double (to_value, fraction);
  return TRUE;
}

static gboolean
message_to_visible (GBinding     *binding,
                    const GValue *from_value,
                    GValue       *to_value,
                    gpointer      user_data)
{
  const char *message = g_value_get_string (from_value);

  g_value_set_boolean (to_value, message != NULL && message[0] != '\0');
  return TRUE;
}

static gboolean
pulse_cb (gpointer user_data)
{
  CsJobRow *self = CS_JOB_ROW (user_data);

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
update_pulse (CsJobRow *self)
{
  gboolean pulsing = cs_job_get_fraction (self->job) < 0.0 && !job_is_over (self->job);

  if (pulsing && self->pulse_id == 0)
    {
      gtk_progress_bar_pulse (self->progress_bar);
      self->pulse_id = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self);
    }
  else if (!pulsing)
    g_clear_handle_id (&self->pulse_id, g_source_remove);
}

static void
update_cancel_button (CsJobRow *self)
{
  g_autofree char *label = NULL;

  /* Say which job a screen-reader user is about to cancel. */
  label = g_strdup_printf (_("Cancel “%s”"), cs_job_get_title (self->job));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  if (job_is_over (self->job) ||
      g_cancellable_is_cancelled (cs_job_get_cancellable (self->job)))
    gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
}

static void
job_fraction_cb (CsJobRow *self)
{
  update_pulse (self);
}

static void
job_title_or_state_cb (CsJobRow *self)
{
  update_pulse (self);
  update_cancel_button (self);
}

static void
cancel_clicked_cb (CsJobRow *self)
{
  cs_job_cancel (self->job);
  /* The job ends at its next check; a second click would do nothing. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
}

static void
cs_job_row_constructed (GObject *object)
{
  CsJobRow *self = (CsJobRow *)object;

  G_OBJECT_CLASS (cs_job_row_parent_class)->constructed (object);

  g_return_if_fail (CS_IS_JOB (self->job));

  g_binding_group_bind (self->bindings, "title",
                        self->title_label, "label",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "message",
                        self->message_label, "label",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind_full (self->bindings, "message",
                             self->message_label, "visible",
                             G_BINDING_SYNC_CREATE,
                             message_to_visible, NULL, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "fraction",
                             self->progress_bar, "fraction",
                             G_BINDING_SYNC_CREATE,
                             fraction_to_bar, NULL, NULL, NULL);
  g_binding_group_set_source (self->bindings, self->job);

  g_signal_connect_object (self->job, "notify::fraction",
                           G_CALLBACK (job_fraction_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "notify::title",
                           G_CALLBACK (job_title_or_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "notify::state",
                           G_CALLBACK (job_title_or_state_cb), self,
                           G_CONNECT_SWAPPED);

  update_pulse (self);
  update_cancel_button (self);
}

static void
cs_job_row_dispose (GObject *object)
{
  CsJobRow *self = (CsJobRow *)object;

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_object (&self->bindings);
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_JOB_ROW);

  g_clear_object (&self->job);

  G_OBJECT_CLASS (cs_job_row_parent_class)->dispose (object);
}

static void
cs_job_row_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CsJobRow *self = CS_JOB_ROW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_job_row_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CsJobRow *self = CS_JOB_ROW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      self->job = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_job_row_class_init (CsJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cs_job_row_constructed;
  object_class->dispose = cs_job_row_dispose;
  object_class->get_property = cs_job_row_get_property;
  object_class->set_property = cs_job_row_set_property;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL,
                         CS_TYPE_JOB,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/cs-job-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CsJobRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CsJobRow, message_label);
  gtk_widget_class_bind_template_child (widget_class, CsJobRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CsJobRow, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
cs_job_row_init (CsJobRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->bindings = g_binding_group_new ();
}

GtkWidget *
cs_job_row_new (CsJob *job)
{
  g_return_val_if_fail (CS_IS_JOB (job), NULL);

  return g_object_new (CS_TYPE_JOB_ROW,
                       "job", job,
                       NULL);
}

/**
 * cs_job_row_create:
 * @item: (type CsJob): a job of the list model
 * @user_data: unused
 *
 * A GtkListBoxCreateWidgetFunc for gtk_list_box_bind_model() over a CsJobList.
 */
GtkWidget *
cs_job_row_create (gpointer item,
                   gpointer user_data)
{
  return cs_job_row_new (CS_JOB (item));
}

CsJob *
cs_job_row_get_job (CsJobRow *self)
{
  g_return_val_if_fail (CS_IS_JOB_ROW (self), NULL);

  return self->job;
}
