/* cs-placeholder-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cs-placeholder-page.h"

struct _CsPlaceholderPage
{
  AdwBin         parent_instance;

  AdwStatusPage *status;
  GtkButton     *button;
};

G_DEFINE_FINAL_TYPE (CsPlaceholderPage, cs_placeholder_page, ADW_TYPE_BIN)

GtkWidget *
cs_placeholder_page_new (void)
{
  return g_object_new (CS_TYPE_PLACEHOLDER_PAGE, NULL);
}

void
cs_placeholder_page_set_content (CsPlaceholderPage *self,
                                 const char        *icon_name,
                                 const char        *title,
                                 const char        *description)
{
  g_return_if_fail (CS_IS_PLACEHOLDER_PAGE (self));

  adw_status_page_set_icon_name (self->status, icon_name);
  adw_status_page_set_title (self->status, title);
  adw_status_page_set_description (self->status, description);
}

void
cs_placeholder_page_set_action (CsPlaceholderPage *self,
                                const char        *label,
                                const char        *action_name)
{
  g_return_if_fail (CS_IS_PLACEHOLDER_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->button), label != NULL);
  if (label != NULL)
    gtk_button_set_label (self->button, label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), action_name);
}

const char *
cs_placeholder_page_get_title (CsPlaceholderPage *self)
{
  g_return_val_if_fail (CS_IS_PLACEHOLDER_PAGE (self), NULL);

  return adw_status_page_get_title (self->status);
}

static void
cs_placeholder_page_dispose (GObject *object)
{
  /* AdwBin keeps its own pointer to the template's top child; drop it first
   * or AdwBin would unparent a widget the template already disposed. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_PLACEHOLDER_PAGE);

  G_OBJECT_CLASS (cs_placeholder_page_parent_class)->dispose (object);
}

static void
cs_placeholder_page_class_init (CsPlaceholderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_placeholder_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipscope/Clipscope/ui/cs-placeholder-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsPlaceholderPage, status);
  gtk_widget_class_bind_template_child (widget_class, CsPlaceholderPage, button);
}

static void
cs_placeholder_page_init (CsPlaceholderPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
