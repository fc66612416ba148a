/* cs-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "clipscope-engine.h"

G_BEGIN_DECLS

#define CS_TYPE_APPLICATION (cs_application_get_type ())
G_DECLARE_FINAL_TYPE (CsApplication, cs_application, CS, APPLICATION, AdwApplication)

G_GNUC_WARN_UNUSED_RESULT
CsApplication *cs_application_new          (void);
GSettings     *cs_application_get_settings (CsApplication *self);
/* Remembers @path as the most recent project (GSettings). */
void           cs_application_add_recent   (CsApplication *self,
                                            const char    *path);
void           cs_application_remove_recent (CsApplication *self,
                                             const char    *path);

G_END_DECLS
