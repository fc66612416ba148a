/* cs-types.h: forward declarations and small shared types of the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CsProgressFunc:
 * @fraction: 0..1, or a negative value when the amount of work is unknown
 * @message: (nullable): a short, translated, user-facing line ("Reading line 12,000")
 * @user_data: closure
 *
 * Long engine operations report progress through this callback. It may be
 * called on any thread, often; receivers must be cheap and thread-safe
 * (cs_job_progress_func() is, and so is the CLI's printer).
 */
typedef void (*CsProgressFunc) (double      fraction,
                                const char *message,
                                gpointer    user_data);

/* Kinds of rows in the events table (stored as integers; never renumber). */
typedef enum
{
  CS_EVENT_VIEW    = 1,  /* a view/play; watch_ms holds the watch time when known */
  CS_EVENT_LIKE    = 2,
  CS_EVENT_COMMENT = 3,  /* text holds the comment when known */
  CS_EVENT_SHARE   = 4,
  CS_EVENT_FOLLOW  = 5,
  CS_EVENT_SAVE    = 6,
} CsEventKind;

G_END_DECLS
