/* cs-placeholder-page.h: a page that says what it will show and offers the
 * action that fills it (an AdwStatusPage with one button).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CS_TYPE_PLACEHOLDER_PAGE (cs_placeholder_page_get_type ())
G_DECLARE_FINAL_TYPE (CsPlaceholderPage, cs_placeholder_page, CS, PLACEHOLDER_PAGE, AdwBin)

G_GNUC_WARN_UNUSED_RESULT
GtkWidget *cs_placeholder_page_new         (void);
void       cs_placeholder_page_set_content (CsPlaceholderPage *self,
                                            const char        *icon_name,
                                            const char        *title,
                                            const char        *description);
/* A NULL @label hides the button. */
void       cs_placeholder_page_set_action  (CsPlaceholderPage *self,
                                            const char        *label,
                                            const char        *action_name);
const char *cs_placeholder_page_get_title  (CsPlaceholderPage *self);

G_END_DECLS
