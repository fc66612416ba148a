/* cs-job-row.h: one running job in the jobs list: title, message, progress
 * and a Cancel button.
 *
 * Made for gtk_list_box_bind_model() over a CsJobList.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cs-job.h"

G_BEGIN_DECLS

#define CS_TYPE_JOB_ROW (cs_job_row_get_type ())
G_DECLARE_FINAL_TYPE (CsJobRow, cs_job_row, CS, JOB_ROW, GtkListBoxRow)

G_GNUC_WARN_UNUSED_RESULT
GtkWidget *cs_job_row_new     (CsJob    *job);
CsJob     *cs_job_row_get_job (CsJobRow *self);
/* A GtkListBoxCreateWidgetFunc: gtk_list_box_bind_model (box, G_LIST_MODEL
 * (job_list), cs_job_row_create, NULL, NULL). */
GtkWidget *cs_job_row_create  (gpointer  item,
                               gpointer  user_data);

G_END_DECLS
