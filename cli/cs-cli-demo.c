/* cs-cli-demo.c: clipscope-cli demo PROJECT — a simulated project, or a large
 * benchmark log (docs/DEMO.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "cs-cli-common.h"

/* Rendering takes about a quarter of a second per clip; past this many clips
 * the command is building a benchmark log, where files only cost time. */
#define MAX_RENDERED_CLIPS 100

static const struct
{
  CsEventKind  kind;
  const char  *key;
} kinds[] = {
  { CS_EVENT_VIEW,    "view" },
  { CS_EVENT_LIKE,    "like" },
  { CS_EVENT_COMMENT, "comment" },
  { CS_EVENT_SHARE,   "share" },
  { CS_EVENT_FOLLOW,  "follow" },
};

static char *
format_count (guint64 n)
{
  /* Thousands separators from the locale (%'): "5,012,345". */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

/* printf() and a newline, so that translated strings carry no "\n". */
static void G_GNUC_PRINTF (1, 2)
print_line (const char *format,
            ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
}

static void
print_json (const char          *path,
            const char          *folder,
            const CsDemoOptions *options,
            const CsDemoSummary *summary,
            double               seconds)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "project");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "simulated");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "clips");
  json_builder_add_int_value (builder, summary->n_clips);
  json_builder_set_member_name (builder, "viewers");
  json_builder_add_int_value (builder, summary->n_viewers);
  json_builder_set_member_name (builder, "events");
  json_builder_add_int_value (builder, (gint64) summary->n_events);
  json_builder_set_member_name (builder, "events_by_kind");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      json_builder_set_member_name (builder, kinds[i].key);
      json_builder_add_int_value (builder, (gint64) summary->n_by_kind[kinds[i].kind]);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, (gint64) options->seed);
  json_builder_set_member_name (builder, "days");
  json_builder_add_int_value (builder, options->n_days);
  json_builder_set_member_name (builder, "events_target");
  json_builder_add_int_value (builder, (gint64) options->n_events);
  json_builder_set_member_name (builder, "media");
  json_builder_add_boolean_value (builder, summary->media);
  json_builder_set_member_name (builder, "clips_folder");
  if (summary->media)
    json_builder_add_string_value (builder, folder);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_double_value (builder, seconds);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  printf ("%s\n", text);
}

static void
print_summary (const char          *path,
               const char          *folder,
               const CsDemoOptions *options,
               const CsDemoSummary *summary,
               gboolean             media_skipped,
               double               seconds)
{
  g_autofree char *clips = format_count (summary->n_clips);
  g_autofree char *viewers = format_count (summary->n_viewers);
  g_autofree char *events = format_count (summary->n_events);
  g_autofree char *views = format_count (summary->n_by_kind[CS_EVENT_VIEW]);
  g_autofree char *likes = format_count (summary->n_by_kind[CS_EVENT_LIKE]);
  g_autofree char *comments = format_count (summary->n_by_kind[CS_EVENT_COMMENT]);
  g_autofree char *shares = format_count (summary->n_by_kind[CS_EVENT_SHARE]);
  g_autofree char *follows = format_count (summary->n_by_kind[CS_EVENT_FOLLOW]);

  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, options->seed);

  /* Translators: "Created PROJECT with simulated data (seed S, D days from DATE, T s)" */
  print_line (_("Created %s with simulated data (seed %s, %u days from %s, %.1f s)"),
              path, seed, options->n_days, "2026-09-01", seconds);
  /* Translators: the labels of the summary lines, a count follows each. */
  printf ("  %-9s %s\n", _("clips"), clips);
  printf ("  %-9s %s\n", _("viewers"), viewers);
  printf ("  %-9s %s\n", _("events"), events);
  printf ("    %-9s %s\n", _("views"), views);
  printf ("    %-9s %s\n", _("likes"), likes);
  printf ("    %-9s %s\n", _("comments"), comments);
  printf ("    %-9s %s\n", _("shares"), shares);
  printf ("    %-9s %s\n", _("follows"), follows);
  if (summary->media)
    print_line (_("Rendered clips in %s"), folder);
  else if (media_skipped)
    print_line (_("No video files: more than %d clips (the clips are known by their metadata only)"),
                MAX_RENDERED_CLIPS);
  else
    print_line ("%s", _("No video files (--no-media)"));
  printf ("%s\n", _("All clips, viewers and events in this project are simulated."));
}

int
cs_cli_demo (int    argc,
             char **argv)
{
  gint64 seed = -1;
  int viewers = -1;
  int clips = -1;
  gint64 events = -1;
  int days = -1;
  gboolean no_media = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the simulation (default 2026)"), "S" },
    { "viewers", 0, 0, G_OPTION_ARG_INT, &viewers, N_("Number of viewers (default 400)"), "N" },
    { "clips", 0, 0, G_OPTION_ARG_INT, &clips, N_("Number of clips (default 36)"), "M" },
    { "events", 0, 0, G_OPTION_ARG_INT64, &events, N_("Target number of view events (default: what the model gives)"), "E" },
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("Days of posting and viewing (default 42)"), "D" },
    { "no-media", 0, 0, G_OPTION_ARG_NONE, &no_media, N_("Do not render video files for the clips"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *absolute = NULL;
  CsDemoOptions options;
  CsDemoSummary summary;
  gboolean media_skipped = FALSE;
  const char *path;
  gint64 started;
  double seconds;

  context = g_option_context_new (_("PROJECT — create a project with simulated clips, viewers and events"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
                                    _("The project is marked as simulated. With more than 100 clips no video "
                                      "files are rendered. See docs/DEMO.md for the model."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cs_cli_fail_error (error);

  if (argc != 2)
    return cs_cli_fail (_("demo needs exactly one PROJECT path; run “clipscope-cli demo --help”"));
  path = absolute = g_canonicalize_filename (argv[1], NULL);

  cs_demo_options_init (&options);
  if (seed != -1)
    {
      if (seed < 0)
        return cs_cli_fail (_("--seed must be zero or more"));
      options.seed = (guint64) seed;
    }
  if (viewers != -1)
    {
      if (viewers < 1)
        return cs_cli_fail (_("--viewers must be at least 1"));
      options.n_viewers = viewers;
    }
  if (clips != -1)
    {
      if (clips < 1)
        return cs_cli_fail (_("--clips must be at least 1"));
      options.n_clips = clips;
    }
  if (events != -1)
    {
      if (events < 0)
        return cs_cli_fail (_("--events must be zero or more"));
      options.n_events = (guint64) events;
    }
  if (days != -1)
    {
      if (days < 1 || days > 3650)
        return cs_cli_fail (_("--days must be between 1 and 3650"));
      options.n_days = days;
    }
  options.render_media = !no_media && options.n_clips <= MAX_RENDERED_CLIPS;
  media_skipped = !no_media && !options.render_media;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return cs_cli_fail (_("“%s” already exists; the demo command only creates new projects"), path);

  folder = cs_demo_clips_folder (path);
  started = g_get_monotonic_time ();
  if (!cs_demo_create_full (path, &options, &summary,
                            cs_cli_progress, NULL,
                            cs_cli_get_cancellable (), &error))
    return cs_cli_fail_error (error);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  cs_cli_progress_done ();

  if (json)
    print_json (path, folder, &options, &summary, seconds);
  else
    print_summary (path, folder, &options, &summary, media_skipped, seconds);
  return 0;
}
