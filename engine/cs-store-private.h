/* cs-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-store.h"

G_BEGIN_DECLS

extern const char * const _cs_store_migrations[];
extern const guint        _cs_store_n_migrations;

/* For tests of the upgrade path: open/create a project but migrate it only up
 * to @version (<= CS_STORE_SCHEMA_VERSION). */
CsStore *_cs_store_open_at_version (const char    *path,
                                    CsStoreFlags   flags,
                                    int            version,
                                    GError       **error);

G_END_DECLS
