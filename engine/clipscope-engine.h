/* clipscope-engine.h: the engine's umbrella header. No GTK here, ever.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-demo.h"
#include "cs-error.h"
#include "cs-evaluator.h"
#include "cs-event-import.h"
#include "cs-format.h"
#include "cs-job.h"
#include "cs-job-list.h"
#include "cs-project.h"
#include "cs-store.h"
#include "cs-types.h"
