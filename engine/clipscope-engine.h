/* clipscope-engine.h: the engine's umbrella header. No GTK here, ever.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-clip-import.h"
#include "cs-demo.h"
#include "cs-error.h"
#include "cs-evaluator.h"
#include "cs-event-import.h"
#include "cs-format.h"
#include "cs-frame-sampler.h"
#include "cs-interactions.h"
#include "cs-item-knn.h"
#include "cs-job.h"
#include "cs-job-list.h"
#include "cs-media-probe.h"
#include "cs-metrics.h"
#include "cs-parallel.h"
#include "cs-popularity.h"
#include "cs-project.h"
#include "cs-protocol.h"
#include "cs-recommender.h"
#include "cs-sparse.h"
#include "cs-store.h"
#include "cs-table-reader.h"
#include "cs-types.h"
#include "cs-video-features.h"
