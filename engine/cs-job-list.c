/* cs-job-list.c: the running jobs, as a GListModel of CsJob.
 *
 * Main thread only: CsJob emits ::finished there, so items-changed and
 * ::job-finished are emitted there too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cs-job-list.h"

struct _CsJobList
{
  GObject    parent_instance;

  GPtrArray *jobs;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsJobList, cs_job_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS,
};

enum {
  SIGNAL_JOB_FINISHED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GType
cs_job_list_get_item_type (GListModel *model)
{
  return CS_TYPE_JOB;
}

static guint
cs_job_list_get_n_items (GListModel *model)
{
  return CS_JOB_LIST (model)->jobs->len;
}

static gpointer
cs_job_list_get_item (GListModel *model,
                      guint       position)
{
  CsJobList *self = CS_JOB_LIST (model);

  if (position >= self->jobs->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->jobs, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cs_job_list_get_item_type;
  iface->get_n_items = cs_job_list_get_n_items;
  iface->get_item = cs_job_list_get_item;
}

static void job_finished_cb (CsJobList *self,
                             CsJob     *job);

static void
cs_job_list_dispose (GObject *object)
{
  CsJobList *self = (CsJobList *)object;

  if (self->jobs != NULL)
    {
      for (guint i = 0; i < self->jobs->len; i++)
        g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->jobs, i),
                                              job_finished_cb, self);
      g_clear_pointer (&self->jobs, g_ptr_array_unref);
    }

  G_OBJECT_CLASS (cs_job_list_parent_class)->dispose (object);
}

static void
cs_job_list_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CsJobList *self = CS_JOB_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->jobs != NULL ? self->jobs->len : 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_job_list_class_init (CsJobListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cs_job_list_dispose;
  object_class->get_property = cs_job_list_get_property;

  /* Lets the window show its jobs button only while something runs. */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted after the job has left the list, so the window can show a toast. */
  signals[SIGNAL_JOB_FINISHED] =
    g_signal_new ("job-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, CS_TYPE_JOB);
}

static void
cs_job_list_init (CsJobList *self)
{
  self->jobs = g_ptr_array_new_with_free_func (g_object_unref);
}

CsJobList *
cs_job_list_new (void)
{
  return g_object_new (CS_TYPE_JOB_LIST, NULL);
}

static void
job_finished_cb (CsJobList *self,
                 CsJob     *job)
{
  g_autoptr(CsJob) hold = NULL;
  guint position;

  g_assert (CS_IS_JOB_LIST (self));
  g_assert (CS_IS_JOB (job));

  g_signal_handlers_disconnect_by_func (job, job_finished_cb, self);

  if (!g_ptr_array_find (self->jobs, job, &position))
    g_return_if_reached ();

  hold = g_ptr_array_steal_index (self->jobs, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, job);
}

void
cs_job_list_add (CsJobList *self,
                 CsJob     *job)
{
  CsJobState state;

  g_return_if_fail (CS_IS_JOB_LIST (self));
  g_return_if_fail (CS_IS_JOB (job));
  g_return_if_fail (!g_ptr_array_find (self->jobs, job, NULL));

  /* A job that already ended would never be removed: report it at once. */
  state = cs_job_get_state (job);
  if (state == CS_JOB_SUCCEEDED || state == CS_JOB_FAILED || state == CS_JOB_CANCELLED)
    {
      g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, job);
      return;
    }

  g_ptr_array_add (self->jobs, g_object_ref (job));
  g_signal_connect_object (job, "finished",
                           G_CALLBACK (job_finished_cb), self,
                           G_CONNECT_SWAPPED);

  g_list_model_items_changed (G_LIST_MODEL (self), self->jobs->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

void
cs_job_list_cancel_all (CsJobList *self)
{
  g_autoptr(GPtrArray) jobs = NULL;

  g_return_if_fail (CS_IS_JOB_LIST (self));

  /* Copy: a handler of a job's cancellable may change the list. */
  jobs = g_ptr_array_new_full (self->jobs->len, g_object_unref);
  for (guint i = 0; i < self->jobs->len; i++)
    g_ptr_array_add (jobs, g_object_ref (g_ptr_array_index (self->jobs, i)));

  for (guint i = 0; i < jobs->len; i++)
    cs_job_cancel (g_ptr_array_index (jobs, i));
}
