/* cs-job-list.h: the running jobs, as a GListModel of CsJob.
 *
 * Jobs are added when started and removed when they end; ::job-finished is
 * emitted (main thread) for each ended job so the window can show a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-job.h"

G_BEGIN_DECLS

#define CS_TYPE_JOB_LIST (cs_job_list_get_type ())
G_DECLARE_FINAL_TYPE (CsJobList, cs_job_list, CS, JOB_LIST, GObject)

G_GNUC_WARN_UNUSED_RESULT
CsJobList *cs_job_list_new        (void);
/* Takes a reference; the job is removed when it reaches a final state. */
void       cs_job_list_add        (CsJobList *self,
                                   CsJob     *job);
void       cs_job_list_cancel_all (CsJobList *self);

G_END_DECLS
