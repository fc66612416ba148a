/* cs-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cs-application.h"
#include "cs-preferences-window.h"
#include "cs-window.h"

#define MAX_RECENT 8

struct _CsApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  gboolean        open_demo;
};

G_DEFINE_FINAL_TYPE (CsApplication, cs_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the demo project (simulated data), creating it the first time"), NULL },
  { NULL }
};

CsApplication *
cs_application_new (void)
{
  return g_object_new (CS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}

GSettings *
cs_application_get_settings (CsApplication *self)
{
  g_return_val_if_fail (CS_IS_APPLICATION (self), NULL);

  return self->settings;
}

static void
set_recent (CsApplication *self,
            const char    *add,
            const char    *remove)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;
  guint n = 0;

  if (add != NULL)
    {
      g_strv_builder_add (builder, add);
      n++;
    }
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    {
      if (g_strcmp0 (old[i], add) == 0 || g_strcmp0 (old[i], remove) == 0)
        continue;
      g_strv_builder_add (builder, old[i]);
      n++;
    }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) recent);
  if (add != NULL)
    g_settings_set_string (self->settings, "last-project", add);
  else if (g_strcmp0 (remove, g_settings_get_string (self->settings, "last-project")) == 0)
    g_settings_set_string (self->settings, "last-project", "");
}

void
cs_application_add_recent (CsApplication *self,
                           const char    *path)
{
  g_return_if_fail (CS_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  set_recent (self, path, NULL);
}

void
cs_application_remove_recent (CsApplication *self,
                              const char    *path)
{
  g_return_if_fail (CS_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  set_recent (self, NULL, path);
}

static CsWindow *
get_window (CsApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (cs_window_new (self));
  return CS_WINDOW (window);
}

static void
cs_application_activate (GApplication *app)
{
  CsApplication *self = CS_APPLICATION (app);
  CsWindow *window = get_window (self);

  if (self->open_demo)
    {
      self->open_demo = FALSE;
      cs_window_open_demo (window);
    }
  else if (cs_window_get_project (window) == NULL)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-project");

      if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_EXISTS))
        cs_window_open_path (window, last);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
cs_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  CsApplication *self = CS_APPLICATION (app);
  CsWindow *window = get_window (self);
  g_autofree char *path = NULL;

  /* One project per window; the first file wins. */
  if (n_files > 0 && (path = g_file_get_path (files[0])) != NULL)
    cs_window_open_path (window, path);
  gtk_window_present (GTK_WINDOW (window));
}

static int
cs_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  CsApplication *self = CS_APPLICATION (app);

  if (g_variant_dict_contains (options, "demo"))
    self->open_demo = TRUE;

  return -1;
}

static void
apply_color_scheme (CsApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK,
  };
  guint value = (guint) g_settings_get_enum (self->settings, "color-scheme");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      schemes[MIN (value, G_N_ELEMENTS (schemes) - 1)]);
}

static void
color_scheme_changed_cb (CsApplication *self)
{
  apply_color_scheme (self);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  CsApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Close windows so each saves its state and cancels its jobs. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  CsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *prefs = GTK_WINDOW (cs_preferences_window_new (self->settings));

  gtk_window_set_transient_for (prefs, parent);
  gtk_window_present (prefs);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  CsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Clipscope developers", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Clipscope"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Understand your short videos: audience analytics, "
                                       "recommender and engagement models, and sample frames, "
                                       "all on your own computer."),
                         "website", "https://github.com/clipscope/clipscope",
                         "issue-url", "https://github.com/clipscope/clipscope/issues",
                         "developers", developers,
                         /* Translators: put your names here, one per line. */
                         "translator-credits", _("translator-credits"),
                         "copyright", "© 2026 The Clipscope developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
};

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.new-project", { "<Control>n", NULL } },
  { "win.open-project", { "<Control>o", NULL } },
  { "win.import-events", { "<Control>i", NULL } },
  { "win.import-clips", { "<Control><Shift>i", NULL } },
  { "win.import-stats", { "<Control><Alt>i", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "win.show-page::clips", { "<Alt>1", NULL } },
  { "win.show-page::audience", { "<Alt>2", NULL } },
  { "win.show-page::recommend", { "<Alt>3", NULL } },
  { "win.show-page::predict", { "<Alt>4", NULL } },
  { "win.show-page::generate", { "<Alt>5", NULL } },
  { "window.close", { "<Control>w", NULL } },
};

static void
cs_application_startup (GApplication *app)
{
  CsApplication *self = CS_APPLICATION (app);

  G_APPLICATION_CLASS (cs_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           app_accels[i].action,
                                           app_accels[i].accels);

  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (color_scheme_changed_cb), self, G_CONNECT_SWAPPED);
  apply_color_scheme (self);
}

static void
cs_application_dispose (GObject *object)
{
  CsApplication *self = CS_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cs_application_parent_class)->dispose (object);
}

static void
cs_application_class_init (CsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cs_application_dispose;

  app_class->activate = cs_application_activate;
  app_class->open = cs_application_open;
  app_class->startup = cs_application_startup;
  app_class->handle_local_options = cs_application_handle_local_options;
}

static void
cs_application_init (CsApplication *self)
{
  self->settings = g_settings_new (APP_ID);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[PROJECT]"));
}
