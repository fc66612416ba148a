/* cs-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cs-error.h"

G_DEFINE_QUARK (cs-store-error-quark, cs_store_error)
G_DEFINE_QUARK (cs-import-error-quark, cs_import_error)
G_DEFINE_QUARK (cs-model-error-quark, cs_model_error)
G_DEFINE_QUARK (cs-media-error-quark, cs_media_error)
