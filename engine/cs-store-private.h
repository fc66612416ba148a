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
 * to @version (<= CS_STORE_SCHEMA_VERSION). @version is at least 1: version 0
 * is an empty database without the app_id marker (which migration 1 adds), so
 * no Clipscope ever wrote a project at version 0 and cs_store_open() refuses
 * one as not a project. A project already past @version is opened as it is. */
CsStore *_cs_store_open_at_version (const char    *path,
                                    CsStoreFlags   flags,
                                    int            version,
                                    GError       **error);

/* Tests only, called while no store is being opened: use @migrations (which
 * must outlive their use) instead of the built-in list, so that the upgrade
 * path and a failing migration can be exercised while the real schema has a
 * single migration. NULL restores the built-in list. */
void     _cs_store_set_migrations_for_testing   (const char * const *migrations,
                                                 guint               n_migrations);
/* Tests only: how long a connection waits for another one's lock, for the
 * stores opened afterwards; a negative value restores the default (3 s). */
void     _cs_store_set_busy_timeout_for_testing (int                 milliseconds);

G_END_DECLS
