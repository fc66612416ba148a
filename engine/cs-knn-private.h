/* cs-knn-private.h: the cosine nearest-neighbour graph ItemKNN and UserKNN
 * share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-sparse.h"
#include "cs-types.h"

G_BEGIN_DECLS

/* For the rows of @a (entities × features, binary) and its transpose @a_t:
 * sim(i, j) = |F_i ∩ F_j| / sqrt(|F_i| · |F_j|), sim(i, i) = 0, as float;
 * row i keeps its @k largest (ties on the float value: the lower index),
 * zeros never stored, columns ascending. Rows run in parallel. @model names
 * the model in messages. NULL with @error when cancelled or too large. */
G_GNUC_WARN_UNUSED_RESULT
CsCsr *_cs_cosine_knn (const CsCsr     *a,
                       const CsCsr     *a_t,
                       guint            k,
                       const char      *model,
                       CsProgressFunc   progress,
                       gpointer         progress_data,
                       GCancellable    *cancellable,
                       GError         **error);

G_END_DECLS
