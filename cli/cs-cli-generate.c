/* cs-cli-generate.c: clipscope-cli generate PROJECT — train a VAE or a
 * DCGAN on frames of the project's clips and draw samples (DESIGN §7).
 *
 * Writes DIR/samples.png (8 × 8 samples from fixed noise; with --condition
 * one row of 8 per engagement class, low at the top), DIR/losses.csv
 * (one row per step) and prints a summary, or with --json one document with
 * run_id, step time, losses and the quality figures (docs/GENERATE.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cs-cli-common.h"

static gboolean
parse_ids (const char *text, GArray *ids, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id;

      if (!g_ascii_string_to_signed (g_strstrip (parts[i]), 10, 1, G_MAXINT64, &id, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--clips takes clip ids separated by commas, as in “3,5,8”; “%s” is not one"),
                       parts[i]);
          return FALSE;
        }
      g_array_append_val (ids, id);
    }
  return TRUE;
}

static void
add_double (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static gboolean
write_csv (const char *path, const CsGenerateResult *r, GError **error)
{
  g_autoptr(GString) s = g_string_new (r->kind == CS_GEN_VAE ? "step,loss,recon,kl\n"
                                                              : "step,loss,d_loss,g_loss,d_x,d_g_z\n");

  for (guint i = 0; i < r->losses->len; i++)
    {
      const CsGenLosses *l = &g_array_index (r->losses, CsGenLosses, i);
      char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (a, sizeof a, "%.6g", l->loss);
      if (r->kind == CS_GEN_VAE)
        g_string_append_printf (s, "%u,%s,%s,%s\n", i + 1, a,
                                g_ascii_formatd (b, sizeof b, "%.6g", l->recon),
                                g_ascii_formatd (c, sizeof c, "%.6g", l->kl));
      else
        {
          char e[G_ASCII_DTOSTR_BUF_SIZE], f[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append_printf (s, "%u,%s,%s,%s,%s,%s\n", i + 1, a,
                                  g_ascii_formatd (b, sizeof b, "%.6g", l->d_loss),
                                  g_ascii_formatd (c, sizeof c, "%.6g", l->g_loss),
                                  g_ascii_formatd (e, sizeof e, "%.4f", l->d_x),
                                  g_ascii_formatd (f, sizeof f, "%.4f", l->d_g_z));
        }
    }
  return g_file_set_contents (path, s->str, (gssize) s->len, error);
}

static void
print_json (const CsGenerateResult *r, const char *samples, const char *csv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const CsGenLosses *last = r->losses->len ? &g_array_index (r->losses, CsGenLosses, r->losses->len - 1) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "run_id");
  json_builder_add_int_value (b, r->run_id);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, cs_gen_kind_to_string (r->kind));
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, r->size);
  json_builder_set_member_name (b, "batch");
  json_builder_add_int_value (b, r->batch);
  json_builder_set_member_name (b, "steps");
  json_builder_add_int_value (b, r->steps);
  json_builder_set_member_name (b, "resumed_from_step");
  json_builder_add_int_value (b, r->first_step);
  add_double (b, "step_s", r->step_s);
  if (r->kind == CS_GEN_VAE)
    {
      add_double (b, "beta", r->beta);
      json_builder_set_member_name (b, "kl_warmup");
      json_builder_add_int_value (b, r->kl_warmup);
      json_builder_set_member_name (b, "prior");
      json_builder_add_string_value (b, r->fitted_prior ? "fitted" : "standard");
    }
  json_builder_set_member_name (b, "condition");
  if (r->n_classes > 0)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "metric");
      json_builder_add_string_value (b, r->condition);
      json_builder_set_member_name (b, "classes");
      json_builder_add_int_value (b, r->n_classes);
      json_builder_set_member_name (b, "thresholds");
      json_builder_begin_array (b);
      for (int t = 0; t + 1 < r->n_classes; t++)
        json_builder_add_double_value (b, r->thresholds[t]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "frames_without_class");
      json_builder_add_int_value (b, r->n_unlabelled);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "frames");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "frame_set_id");
  json_builder_add_int_value (b, r->frame_set_id);
  json_builder_set_member_name (b, "train");
  json_builder_add_int_value (b, r->n_train);
  json_builder_set_member_name (b, "heldout");
  json_builder_add_int_value (b, r->n_heldout);
  json_builder_set_member_name (b, "clips");
  json_builder_add_int_value (b, r->frame_set->n_clips);
  json_builder_set_member_name (b, "skipped");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->frame_set->skipped->len; i++)
    {
      const CsFrameSetSkip *s = g_ptr_array_index (r->frame_set->skipped, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "clip_id");
      json_builder_add_int_value (b, s->clip_id);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, s->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "losses");
  json_builder_begin_object (b);
  if (last)
    {
      add_double (b, "loss", last->loss);
      if (r->kind == CS_GEN_VAE)
        {
          add_double (b, "recon", last->recon);
          add_double (b, "kl", last->kl);
        }
      else
        {
          add_double (b, "d_loss", last->d_loss);
          add_double (b, "g_loss", last->g_loss);
          add_double (b, "d_x", last->d_x);
          add_double (b, "d_g_z", last->d_g_z);
        }
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "quality");
  json_builder_begin_object (b);
  add_double (b, "recon_heldout", r->recon_heldout);
  add_double (b, "kl_heldout", r->kl_heldout);
  add_double (b, "frechet_pixel_projection", r->frechet);
  add_double (b, "frechet_real_heldout", r->frechet_real);
  add_double (b, "nearest_real_rms", r->nearest_rms);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "samples");
  json_builder_add_string_value (b, samples);
  json_builder_set_member_name (b, "losses_csv");
  json_builder_add_string_value (b, csv);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  printf ("%s\n", text);
}

static void
print_text (const CsGenerateResult *r, const char *samples, const char *csv)
{
  const CsGenLosses *last = r->losses->len ? &g_array_index (r->losses, CsGenLosses, r->losses->len - 1) : NULL;

  printf (_("Run %" PRId64 ": %s %d×%d, batch %d, %" PRId64 " steps, %.3f s per step\n"),
          r->run_id, cs_gen_kind_to_string (r->kind), r->size, r->size, r->batch, r->steps, r->step_s);
  printf (_("Frames: %d for training, %d held out, from %u clips (frame set %" PRId64 ")\n"),
          r->n_train, r->n_heldout, r->frame_set->n_clips, r->frame_set_id);
  for (guint i = 0; i < r->frame_set->skipped->len; i++)
    {
      const CsFrameSetSkip *s = g_ptr_array_index (r->frame_set->skipped, i);

      printf (_("  skipped clip %" PRId64 ": %s\n"), s->clip_id, s->reason);
    }
  if (r->n_classes == 3)
    printf (_("Conditioned on %s terciles: low below %g, medium below %g, high from there "
              "(rows of samples.png, top to bottom); %d frames had no class\n"),
            r->condition, r->thresholds[0], r->thresholds[1], r->n_unlabelled);
  if (last && r->kind == CS_GEN_VAE)
    printf (_("Last step: loss %.4f (reconstruction %.4f, KL %.4f)\n"), last->loss, last->recon, last->kl);
  else if (last)
    printf (_("Last step: discriminator %.4f, generator %.4f, D(x) %.3f, D(G(z)) %.3f\n"),
            last->d_loss, last->g_loss, last->d_x, last->d_g_z);
  if (r->kind == CS_GEN_VAE)
    printf (_("Held-out frames: reconstruction error %.4f, KL %.4f per frame\n"), r->recon_heldout, r->kl_heldout);
  printf (_("Fréchet pixel-projection distance: %.4f (held-out real frames: %.4f)\n"), r->frechet, r->frechet_real);
  printf (_("Nearest real frame, mean RMS difference: %.4f\n"), r->nearest_rms);
  printf (_("Samples: %s\nLosses: %s\n"), samples, csv);
}

int
cs_cli_generate (int    argc,
                 char **argv)
{
  g_autofree char *model_name = NULL;
  g_autofree char *out = NULL;
  g_autofree char *clips = NULL;
  g_autofree char *condition = NULL;
  g_autofree char *prior = NULL;
  gint kl_warmup = 0;
  double beta = 1.0;
  gint size = 64, steps = 0, batch = 64, max_per_clip = 200, sample_every = 100;
  gint64 seed = 0, resume = 0, frame_set = 0;
  double rate = 1.0, lr = 0.0;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_STRING, &model_name, N_("vae or dcgan"), N_("MODEL") },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, N_("Frame size: 32 or 64 (default 64)"), N_("PIXELS") },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, N_("Training steps (in total, when resuming)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed: the same seed gives the same run"), N_("S") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("Folder for samples.png and losses.csv"), N_("DIR") },
    { "clips", 0, 0, G_OPTION_ARG_STRING, &clips,
      N_("Clip ids to sample frames from, as in “3,5,8” (default: every clip with a video file)"), N_("IDS") },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, N_("Frames sampled per second of clip (default 1)"), N_("FPS") },
    { "max-per-clip", 0, 0, G_OPTION_ARG_INT, &max_per_clip, N_("At most this many frames per clip (default 200)"), N_("N") },
    { "frame-set", 0, 0, G_OPTION_ARG_INT64, &frame_set, N_("Train on this stored frame set"), N_("ID") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Frames per step (default 64)"), N_("N") },
    { "learning-rate", 0, 0, G_OPTION_ARG_DOUBLE, &lr, N_("Adam's learning rate (default: the model's)"), N_("LR") },
    { "sample-every", 0, 0, G_OPTION_ARG_INT, &sample_every, N_("Store samples every N steps (default 100)"), N_("N") },
    { "condition", 0, 0, G_OPTION_ARG_STRING, &condition,
      N_("Condition on the clips' engagement class: terciles of views or like_rate"), N_("METRIC") },
    { "beta", 0, 0, G_OPTION_ARG_DOUBLE, &beta, N_("VAE: weight of the KL term (default 1)"), N_("B") },
    { "kl-warmup", 0, 0, G_OPTION_ARG_INT, &kl_warmup,
      N_("VAE: raise the KL weight from 0 to --beta over the first N steps (default 0)"), N_("N") },
    { "prior", 0, 0, G_OPTION_ARG_STRING, &prior,
      N_("VAE: draw samples from a Gaussian mixture fitted to the training frames' codes (fitted, the "
         "default for new runs; see docs/GENERATE.md) or from the standard normal (standard); "
         "may change on --resume"), N_("PRIOR") },
    { "resume", 0, 0, G_OPTION_ARG_INT64, &resume, N_("Continue run ID from its checkpoint up to --steps"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as one JSON document"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsGenerateResult) result = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *samples = NULL;
  g_autofree char *csv = NULL;
  CsGenerateRequest request;

  context = g_option_context_new (_("PROJECT — train a VAE or a DCGAN on the project's frames and draw samples"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cs_cli_fail_error (error);
  if (argc != 2)
    return cs_cli_fail (_("generate needs exactly one PROJECT; run “clipscope-cli generate --help”"));
  cs_generate_request_init (&request);
  if (resume == 0)
    {
      if (model_name == NULL || !cs_gen_kind_from_string (model_name, &request.kind))
        return cs_cli_fail (_("--model must be vae or dcgan"));
      if (!cs_frame_set_size_supported (size))
        return cs_cli_fail (_("--size must be 32 or 64 (frames of %d×%d are not supported)"), size, size);
    }
  if (steps < 1)
    return cs_cli_fail (_("--steps must be 1 or more"));
  if (seed < 0)
    return cs_cli_fail (_("--seed must be zero or more"));
  if (condition != NULL && g_strcmp0 (condition, "views") != 0 && g_strcmp0 (condition, "like_rate") != 0)
    return cs_cli_fail (_("--condition must be views or like_rate"));
  if (!(beta > 0 && beta <= 10))
    return cs_cli_fail (_("--beta must be above 0 and at most 10"));
  if (kl_warmup < 0)
    return cs_cli_fail (_("--kl-warmup must be zero or more"));
  if (prior != NULL && g_strcmp0 (prior, "standard") != 0 && g_strcmp0 (prior, "fitted") != 0)
    return cs_cli_fail (_("--prior must be standard or fitted"));
  if (out == NULL)
    return cs_cli_fail (_("--out DIR is needed: the folder for samples.png and losses.csv"));
  if (clips != NULL && !parse_ids (clips, ids, &error))
    return cs_cli_fail_error (error);
  if (g_mkdir_with_parents (out, 0755) != 0)
    return cs_cli_fail (_("cannot create the folder “%s”: %s"), out, g_strerror (errno));

  request.size = size;
  request.steps = steps;
  request.seed = (guint64) seed;
  request.batch = batch;
  request.learning_rate = (float) lr;
  request.frame_set_id = frame_set;
  request.clip_ids = ids;
  request.rate = rate;
  request.max_per_clip = max_per_clip;
  request.sample_every = sample_every;
  request.resume_run_id = resume;
  request.condition = condition;
  request.beta = beta;
  request.kl_warmup = kl_warmup;
  request.prior = prior;

  project = cs_cli_open_project (argv[1], &error);
  if (project != NULL)
    store = cs_project_open_store (project, &error);
  if (store != NULL)
    result = cs_generate_run (store, &request, cs_cli_progress, NULL, cs_cli_get_cancellable (), &error);
  cs_cli_progress_done ();
  if (result == NULL)
    return cs_cli_fail_error (error);

  samples = g_build_filename (out, "samples.png", NULL);
  csv = g_build_filename (out, "losses.csv", NULL);
  if (!g_file_set_contents (samples, g_bytes_get_data (result->grid_png, NULL),
                            (gssize) g_bytes_get_size (result->grid_png), &error) ||
      !write_csv (csv, result, &error))
    return cs_cli_fail_error (error);

  if (json)
    print_json (result, samples, csv);
  else
    print_text (result, samples, csv);
  return 0;
}
