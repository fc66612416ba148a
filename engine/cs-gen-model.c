/* cs-gen-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cs-error.h"
#include "cs-gen-model.h"
#include "cs-nn-loss.h"

#define NGF 64
#define NDF 64
#define CHECKPOINT_MAGIC    "CSGEN02\n"   /* 02 added the number of classes */
#define CHECKPOINT_MAGIC_01 "CSGEN01\n"
#define PRIOR_TAG_1         "CSPRIOR\n"  /* an optional fitted Gaussian after the nets */
#define PRIOR_TAG           "CSPRIOR2"   /* … or a Gaussian mixture */

const char *
cs_gen_kind_to_string (CsGenKind kind)
{
  return kind == CS_GEN_VAE ? "vae" : "dcgan";
}

gboolean
cs_gen_kind_from_string (const char *name,
                         CsGenKind  *kind)
{
  if (g_strcmp0 (name, "vae") == 0)
    *kind = CS_GEN_VAE;
  else if (g_strcmp0 (name, "dcgan") == 0)
    *kind = CS_GEN_DCGAN;
  else
    return FALSE;
  return TRUE;
}

void
cs_gen_model_free (CsGenModel *model)
{
  if (model == NULL)
    return;
  cs_nn_net_free (model->g);
  cs_nn_net_free (model->d);
  g_clear_pointer (&model->vae_params, g_ptr_array_unref);
  g_free (model->x);
  g_free (model->z);
  g_free (model->grad);
  g_free (model->grad2);
  g_free (model->perm);
  g_free (model->labels);
  cs_gen_prior_free (model->prior);
  g_free (model);
}

/* The condition layer first (cs-gen-model.h): on images the hot plane is
 * 1, like a bright pixel; next to z it is √nz, the typical norm of z, so
 * that at initialisation the class weighs in the first layer as much as
 * the whole noise vector (with 1, the decoder learnt to use the class
 * several times more slowly than z; docs/GENERATE.md). */
static CsNnNet *
net_new (gboolean dry, int c, int h, int w, int n_classes)
{
  CsNnNet *net = dry ? cs_nn_net_new_dry (c, h, w) : cs_nn_net_new (c, h, w);

  if (n_classes > 0)
    cs_nn_net_add_condition (net, n_classes, h == 1 ? sqrtf ((float) c) : 1.0f);
  return net;
}

static void
build_dcgan (CsGenModel *m, gboolean dry)
{
  int blocks = m->size == 64 ? 3 : 2;   /* up-sampling blocks between 4×4 and the last layer */
  int width = NGF << blocks;

  m->g = net_new (dry, m->nz, 1, 1, m->n_classes);
  cs_nn_net_add_convt (m->g, width, 4, 1, 0, FALSE);
  cs_nn_net_add_batchnorm (m->g);
  cs_nn_net_add (m->g, CS_NN_RELU);
  for (int b = 0; b < blocks; b++)
    {
      width /= 2;
      cs_nn_net_add_convt (m->g, width, 4, 2, 1, FALSE);
      cs_nn_net_add_batchnorm (m->g);
      cs_nn_net_add (m->g, CS_NN_RELU);
    }
  cs_nn_net_add_convt (m->g, 3, 4, 2, 1, FALSE);
  cs_nn_net_add (m->g, CS_NN_TANH);

  m->d = net_new (dry, 3, m->size, m->size, m->n_classes);
  width = NDF;
  cs_nn_net_add_conv (m->d, width, 4, 2, 1, FALSE);
  cs_nn_net_add (m->d, CS_NN_LEAKY_RELU);
  for (int b = 0; b < blocks; b++)
    {
      width *= 2;
      cs_nn_net_add_conv (m->d, width, 4, 2, 1, FALSE);
      cs_nn_net_add_batchnorm (m->d);
      cs_nn_net_add (m->d, CS_NN_LEAKY_RELU);
    }
  cs_nn_net_add_conv (m->d, 1, 4, 1, 0, FALSE);
  if (dry || !cs_nn_net_allocated (m->g) || !cs_nn_net_allocated (m->d))
    return;

  cs_nn_net_init (m->g, CS_NN_INIT_DCGAN, &m->rng);
  cs_nn_net_init (m->d, CS_NN_INIT_DCGAN, &m->rng);
  cs_nn_adam_init (&m->adam_g, 2e-4f, 0.5f, 0.999f, 1e-8f);
  cs_nn_adam_init (&m->adam_d, 2e-4f, 0.5f, 0.999f, 1e-8f);
}

static void
build_vae (CsGenModel *m, gboolean dry)
{
  int blocks = m->size == 64 ? 3 : 2;   /* stride-2 blocks after the first, down to 4×4 */
  int width = 32;

  m->d = net_new (dry, 3, m->size, m->size, m->n_classes);
  cs_nn_net_add_conv (m->d, width, 4, 2, 1, TRUE);
  cs_nn_net_add (m->d, CS_NN_LEAKY_RELU);
  for (int b = 0; b < blocks; b++)
    {
      width *= 2;
      cs_nn_net_add_conv (m->d, width, 4, 2, 1, FALSE);
      cs_nn_net_add_batchnorm (m->d);
      cs_nn_net_add (m->d, CS_NN_LEAKY_RELU);
    }
  cs_nn_net_add_view (m->d, width * 16, 1, 1);
  cs_nn_net_add_linear (m->d, 2 * m->nz, TRUE);

  m->g = net_new (dry, m->nz, 1, 1, m->n_classes);
  cs_nn_net_add_linear (m->g, width * 16, TRUE);
  cs_nn_net_add_view (m->g, width, 4, 4);
  cs_nn_net_add (m->g, CS_NN_RELU);
  for (int b = 0; b < blocks; b++)
    {
      width /= 2;
      cs_nn_net_add_convt (m->g, width, 4, 2, 1, FALSE);
      cs_nn_net_add_batchnorm (m->g);
      cs_nn_net_add (m->g, CS_NN_RELU);
    }
  cs_nn_net_add_convt (m->g, 3, 4, 2, 1, TRUE);
  cs_nn_net_add (m->g, CS_NN_TANH);
  if (dry || !cs_nn_net_allocated (m->g) || !cs_nn_net_allocated (m->d))
    return;

  cs_nn_net_init (m->d, CS_NN_INIT_HE, &m->rng);
  cs_nn_net_init (m->g, CS_NN_INIT_HE, &m->rng);
  cs_nn_adam_init (&m->adam_g, 1e-3f, 0.9f, 0.999f, 1e-8f);
  m->vae_params = g_ptr_array_new ();
  g_ptr_array_extend (m->vae_params, cs_nn_net_params (m->d), NULL, NULL);
  g_ptr_array_extend (m->vae_params, cs_nn_net_params (m->g), NULL, NULL);
}

/* Batch sizes the nets are reserved for: training batches, and 64 samples
 * drawn at once (sample grids; the DCGAN normalises with their batch's
 * statistics, so they cannot be drawn in smaller pieces). */
static int
g_capacity (const CsGenModel *m)
{
  return MAX (m->batch, CS_GEN_SAMPLE_BATCH);
}

static int
d_capacity (const CsGenModel *m)
{
  return m->kind == CS_GEN_VAE ? MAX (m->batch, CS_GEN_SAMPLE_BATCH) : m->batch;
}

static guint64
scratch_floats (const CsGenModel *m)
{
  gsize d = (gsize) 3 * m->size * m->size;

  return (guint64) d * m->batch + (guint64) 2 * m->nz * m->batch +
         (guint64) MAX (d, (gsize) 2 * m->nz) * m->batch + (guint64) 4 * m->nz * m->batch;
}

static gboolean
check_params (CsGenKind kind, int size, int batch, int n_classes, GError **error)
{
  if (size != 32 && size != 64)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("The %s model draws 32×32 or 64×64 frames, not %d×%d; choose --size 32 or 64."),
                   cs_gen_kind_to_string (kind), size, size);
      return FALSE;
    }
  if (batch < 2 || batch > 4096)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("A batch of %d frames cannot be trained; choose between 2 and 4096."), batch);
      return FALSE;
    }
  if (n_classes < 0 || n_classes > CS_GEN_MAX_CLASSES)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("A model can be conditioned on 1 to %d classes, not %d."), CS_GEN_MAX_CLASSES, n_classes);
      return FALSE;
    }
  return TRUE;
}

guint64
cs_gen_model_memory (CsGenKind kind,
                     int       size,
                     int       batch,
                     int       n_classes)
{
  CsGenModel m = { .kind = kind, .size = size, .batch = batch, .n_classes = n_classes,
                   .nz = kind == CS_GEN_VAE ? CS_GEN_VAE_LATENT : CS_GEN_DCGAN_NZ };
  guint64 bytes;

  if (!check_params (kind, size, batch, n_classes, NULL))
    return 0;
  if (kind == CS_GEN_VAE)
    build_vae (&m, TRUE);
  else
    build_dcgan (&m, TRUE);
  bytes = cs_nn_net_memory (m.g, g_capacity (&m), TRUE) + cs_nn_net_memory (m.d, d_capacity (&m), TRUE) +
          scratch_floats (&m) * sizeof (float);
  cs_nn_net_free (m.g);
  cs_nn_net_free (m.d);
  return bytes;
}

guint64
cs_gen_memory_available (void)
{
  guint64 limit = cs_nn_memory_limit ();
  g_autofree char *meminfo = NULL;
  const char *line;

  if (limit > 0)
    {
      guint64 used = cs_nn_memory_in_use ();

      return limit > used ? limit - used : 0;
    }
  if (!g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL) ||
      (line = strstr (meminfo, "MemAvailable:")) == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("MemAvailable:"), NULL, 10) * 1024;
}

static void
set_memory_error (GError **error, CsGenKind kind, int size, int batch, int n_classes,
                  guint64 need, guint64 available)
{
  g_autofree char *need_s = g_format_size (need);
  g_autofree char *avail_s = g_format_size (available);
  g_autofree char *advice = NULL;
  int smaller = batch;

  /* The largest halving of the batch that fits, if one does. */
  while (smaller > 2 && cs_gen_model_memory (kind, size, smaller, n_classes) + (need - cs_gen_model_memory (kind, size, batch, n_classes)) > available)
    smaller /= 2;
  if (smaller < batch && cs_gen_model_memory (kind, size, smaller, n_classes) + (need - cs_gen_model_memory (kind, size, batch, n_classes)) <= available)
    advice = g_strdup_printf (_("Choose a smaller batch (%d fits) or 32×32 frames, or close other programs."), smaller);
  else if (size == 64)
    advice = g_strdup (_("Choose 32×32 frames and a smaller batch, or close other programs."));
  else
    advice = g_strdup (_("Close other programs, or train on fewer frames."));
  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
               _("Training a %d×%d %s with batches of %d needs about %s of memory, but only %s is available. %s"),
               size, size, kind == CS_GEN_VAE ? "VAE" : "DCGAN", batch, need_s, avail_s, advice);
}

gboolean
cs_gen_model_check_memory (CsGenKind   kind,
                           int         size,
                           int         batch,
                           int         n_classes,
                           guint64     extra,
                           GError    **error)
{
  guint64 need, available = cs_gen_memory_available ();

  if (!check_params (kind, size, batch, n_classes, error))
    return FALSE;
  need = cs_gen_model_memory (kind, size, batch, n_classes) + extra;
  if (available == 0 && cs_nn_memory_limit () == 0)
    return TRUE;   /* nothing to compare with: allocation failures still report */
  if (need > available)
    {
      set_memory_error (error, kind, size, batch, n_classes, need, available);
      return FALSE;
    }
  return TRUE;
}

static gboolean
out_of_memory (CsGenModel *m, GError **error)
{
  set_memory_error (error, m->kind, m->size, m->batch, m->n_classes,
                    cs_gen_model_memory (m->kind, m->size, m->batch, m->n_classes),
                    cs_gen_memory_available ());
  return FALSE;
}

CsGenModel *
cs_gen_model_new (CsGenKind   kind,
                  int         size,
                  int         batch,
                  int         n_classes,
                  guint64     seed,
                  GError    **error)
{
  g_autoptr(CsGenModel) m = NULL;
  gsize d = (gsize) 3 * size * size;

  if (!cs_gen_model_check_memory (kind, size, batch, n_classes, 0, error))
    return NULL;

  m = g_new0 (CsGenModel, 1);
  m->kind = kind;
  m->size = size;
  m->batch = batch;
  m->n_classes = n_classes;
  m->seed = seed;
  m->beta = 1.0f;
  m->nz = kind == CS_GEN_VAE ? CS_GEN_VAE_LATENT : CS_GEN_DCGAN_NZ;
  m->perm_epoch = -1;
  cs_nn_rng_init (&m->rng, seed);
  if (kind == CS_GEN_VAE)
    build_vae (m, FALSE);
  else
    build_dcgan (m, FALSE);
  m->x = g_try_new (float, d * batch);
  m->z = g_try_new (float, (gsize) 2 * m->nz * batch);
  m->grad = g_try_new (float, MAX (d, (gsize) 2 * m->nz) * batch);
  m->grad2 = g_try_new (float, (gsize) 4 * m->nz * batch);
  m->labels = g_new0 (int, MAX (batch, CS_GEN_SAMPLE_BATCH));
  if (!cs_nn_net_allocated (m->g) || !cs_nn_net_allocated (m->d) ||
      m->x == NULL || m->z == NULL || m->grad == NULL || m->grad2 == NULL ||
      !cs_nn_net_reserve (m->g, g_capacity (m), TRUE) ||
      !cs_nn_net_reserve (m->d, d_capacity (m), TRUE))
    {
      out_of_memory (m, error);
      return NULL;
    }
  return g_steal_pointer (&m);
}

/* Training sample @i of the stream (see the header). */
static int
stream_sample (CsGenModel *m, gint64 i, int n)
{
  gint64 epoch = i / n;

  if (epoch != m->perm_epoch || n != m->perm_n)
    {
      CsNnRng rng;

      cs_nn_rng_init (&rng, m->seed ^ ((guint64) (epoch + 1) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)));
      g_free (m->perm);
      m->perm = g_new (guint32, (gsize) MAX (n, 1));
      for (int j = 0; j < n; j++)
        m->perm[j] = j;
      for (int j = n - 1; j > 0; j--)
        {
          guint32 k = cs_nn_rng_below (&rng, (guint32) j + 1), t = m->perm[j];

          m->perm[j] = m->perm[k];
          m->perm[k] = t;
        }
      m->perm_epoch = epoch;
      m->perm_n = n;
    }
  return (int) m->perm[i % n];
}

static void
load_batch (CsGenModel *m, const float *frames, const int *labels, int n_frames)
{
  gsize d = (gsize) 3 * m->size * m->size;

  for (int b = 0; b < m->batch; b++)
    {
      int i = stream_sample (m, m->step * m->batch + b, n_frames);

      memcpy (m->x + b * d, frames + d * i, d * sizeof (float));
      m->labels[b] = labels ? labels[i] : -1;
    }
}

static double
mean_sigmoid (const float *z, int n)
{
  double s = 0;

  for (int i = 0; i < n; i++)
    s += 1.0 / (1.0 + exp (-(double) z[i]));
  return s / n;
}

/* Conditional: the real batch keeps its frames' classes; G(z) is asked for
 * the same classes (so D sees each class as often real as fake), and D
 * judges the fakes with the classes they were drawn for. */
static gboolean
dcgan_step (CsGenModel *m, CsGenLosses *l)
{
  int B = m->batch;
  g_autofree float *ones = g_new (float, (guint) m->batch);
  g_autofree float *zeros = g_new0 (float, (guint) m->batch);
  const float *out, *fake, *dfake;
  double err_real, err_fake;

  for (int i = 0; i < B; i++)
    ones[i] = 1.0f;
  cs_nn_net_set_labels (m->d, m->labels);
  cs_nn_net_set_labels (m->g, m->labels);

  /* (1) D: maximise log D(x) + log(1 − D(G(z))) */
  cs_nn_net_zero_grad (m->d);
  if ((out = cs_nn_net_forward (m->d, m->x, B, TRUE)) == NULL)
    return FALSE;
  l->d_x = mean_sigmoid (out, B);
  err_real = cs_nn_bce_with_logits (out, ones, B, 1, m->grad);
  if (cs_nn_net_backward (m->d, m->grad, TRUE) == NULL)
    return FALSE;

  cs_nn_rng_fill_normal (&m->rng, m->z, (gsize) B * m->nz, 0.0f, 1.0f);
  if ((fake = cs_nn_net_forward (m->g, m->z, B, TRUE)) == NULL ||
      (out = cs_nn_net_forward (m->d, fake, B, TRUE)) == NULL)
    return FALSE;
  err_fake = cs_nn_bce_with_logits (out, zeros, B, 1, m->grad);
  if (cs_nn_net_backward (m->d, m->grad, TRUE) == NULL)
    return FALSE;
  cs_nn_adam_step (&m->adam_d, cs_nn_net_params (m->d));

  /* (2) G: maximise log D(G(z)) through the updated D */
  cs_nn_net_zero_grad (m->g);
  if ((out = cs_nn_net_forward (m->d, fake, B, TRUE)) == NULL)
    return FALSE;
  l->d_g_z = mean_sigmoid (out, B);
  l->g_loss = cs_nn_bce_with_logits (out, ones, B, 1, m->grad);
  if ((dfake = cs_nn_net_backward (m->d, m->grad, FALSE)) == NULL ||
      cs_nn_net_backward (m->g, dfake, TRUE) == NULL)
    return FALSE;
  cs_nn_adam_step (&m->adam_g, cs_nn_net_params (m->g));

  l->d_loss = err_real + err_fake;
  l->loss = l->d_loss + l->g_loss;
  l->recon = l->kl = NAN;
  return TRUE;
}

double
cs_gen_model_kl_weight (CsGenModel *model)
{
  double w = model->beta;

  if (model->kl_warmup > 0 && model->step < model->kl_warmup)
    w *= (double) (model->step + 1) / model->kl_warmup;
  return w;
}

static gboolean
vae_step (CsGenModel *m, CsGenLosses *l)
{
  int B = m->batch, L = m->nz;
  gsize d = (gsize) 3 * m->size * m->size;
  const float *h, *xr, *dz;
  float *mu = m->grad2, *lv = mu + (gsize) B * L, *gmu = lv + (gsize) B * L, *glv = gmu + (gsize) B * L;
  float *eps = m->z + (gsize) B * L, *dh = m->grad;
  float w = (float) cs_gen_model_kl_weight (m);

  cs_nn_net_set_labels (m->d, m->labels);
  cs_nn_net_set_labels (m->g, m->labels);
  cs_nn_net_zero_grad (m->d);
  cs_nn_net_zero_grad (m->g);
  if ((h = cs_nn_net_forward (m->d, m->x, B, TRUE)) == NULL)
    return FALSE;
  cs_nn_rng_fill_normal (&m->rng, eps, (gsize) B * L, 0.0f, 1.0f);
  for (int b = 0; b < B; b++)
    for (int j = 0; j < L; j++)
      {
        gsize i = (gsize) b * L + j;

        mu[i] = h[(gsize) b * 2 * L + j];
        lv[i] = h[(gsize) b * 2 * L + L + j];
        m->z[i] = mu[i] + expf (0.5f * lv[i]) * eps[i];
      }
  if ((xr = cs_nn_net_forward (m->g, m->z, B, TRUE)) == NULL)
    return FALSE;
  l->recon = cs_nn_mse_sum (xr, m->x, B, d, m->grad);
  l->kl = cs_nn_kl_gaussian (mu, lv, B, L, gmu, glv);
  if ((dz = cs_nn_net_backward (m->g, m->grad, TRUE)) == NULL)
    return FALSE;
  /* m->grad is free again: it becomes d loss / d (μ, log σ²), the KL part
   * weighted by β (and the warm-up). */
  for (int b = 0; b < B; b++)
    for (int j = 0; j < L; j++)
      {
        gsize i = (gsize) b * L + j;

        dh[(gsize) b * 2 * L + j] = w * gmu[i] + dz[i];
        dh[(gsize) b * 2 * L + L + j] = w * glv[i] + dz[i] * eps[i] * 0.5f * expf (0.5f * lv[i]);
      }
  if (cs_nn_net_backward (m->d, dh, TRUE) == NULL)
    return FALSE;
  cs_nn_adam_step (&m->adam_g, m->vae_params);
  l->loss = l->recon + w * l->kl;
  l->d_loss = l->g_loss = l->d_x = l->d_g_z = NAN;
  return TRUE;
}

gboolean
cs_gen_model_step (CsGenModel  *model,
                   const float *frames,
                   const int   *labels,
                   int          n_frames,
                   CsGenLosses *losses,
                   GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (model != NULL && frames != NULL && n_frames > 0, FALSE);
  g_return_val_if_fail (model->n_classes == 0 || labels != NULL, FALSE);

  load_batch (model, frames, model->n_classes > 0 ? labels : NULL, n_frames);
  if (model->kind == CS_GEN_DCGAN)
    ok = dcgan_step (model, losses);
  else
    ok = vae_step (model, losses);
  if (!ok)
    return out_of_memory (model, error);
  model->step++;
  return TRUE;
}

gboolean
cs_gen_model_generate (CsGenModel  *model,
                       const float *z,
                       const int   *labels,
                       int          n,
                       float       *out,
                       GError     **error)
{
  gsize d = (gsize) 3 * model->size * model->size;
  const float *y;

  cs_nn_net_set_labels (model->g, model->n_classes > 0 ? labels : NULL);
  if (model->kind == CS_GEN_VAE)
    {
      g_autofree float *mapped = NULL;

      if (model->prior != NULL)
        {
          mapped = g_new (float, (gsize) n * model->nz);
          cs_gen_prior_map (model->prior, z, n, mapped);
          z = mapped;
        }
      if ((y = cs_nn_net_forward (model->g, z, n, FALSE)) == NULL)
        return out_of_memory (model, error);
      memcpy (out, y, n * d * sizeof (float));
      return TRUE;
    }
  {
    g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
    g_autoptr(GPtrArray) buffers = cs_nn_net_buffers (model->g, sizes);
    g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < buffers->len; i++)
      g_ptr_array_add (saved, g_memdup2 (buffers->pdata[i], g_array_index (sizes, gsize, i) * sizeof (float)));
    y = cs_nn_net_forward (model->g, z, n, TRUE);
    if (y != NULL)
      memcpy (out, y, n * d * sizeof (float));
    for (guint i = 0; i < buffers->len; i++)
      memcpy (buffers->pdata[i], saved->pdata[i], g_array_index (sizes, gsize, i) * sizeof (float));
    if (y == NULL)
      return out_of_memory (model, error);
  }
  return TRUE;
}

gboolean
cs_gen_model_vae_eval (CsGenModel  *model,
                       const float *frames,
                       const int   *labels,
                       int          n,
                       double      *recon,
                       double      *kl,
                       GError     **error)
{
  int L = model->nz;
  gsize d = (gsize) 3 * model->size * model->size;
  double r = 0, k = 0;
  g_autofree float *mu = g_new (float, (gsize) CS_GEN_SAMPLE_BATCH * L);
  g_autofree float *lv = g_new (float, (gsize) CS_GEN_SAMPLE_BATCH * L);

  g_return_val_if_fail (model->kind == CS_GEN_VAE, FALSE);
  for (int start = 0; start < n; start += CS_GEN_SAMPLE_BATCH)
    {
      int nb = MIN (CS_GEN_SAMPLE_BATCH, n - start);
      const int *lb = model->n_classes > 0 && labels ? labels + start : NULL;
      const float *h, *xr;

      cs_nn_net_set_labels (model->d, lb);
      cs_nn_net_set_labels (model->g, lb);
      if ((h = cs_nn_net_forward (model->d, frames + start * d, nb, FALSE)) == NULL)
        return out_of_memory (model, error);
      for (int b = 0; b < nb; b++)
        {
          memcpy (mu + (gsize) b * L, h + (gsize) b * 2 * L, L * sizeof (float));
          memcpy (lv + (gsize) b * L, h + (gsize) b * 2 * L + L, L * sizeof (float));
        }
      k += cs_nn_kl_gaussian (mu, lv, nb, L, NULL, NULL) * nb;
      if ((xr = cs_nn_net_forward (model->g, mu, nb, FALSE)) == NULL)
        return out_of_memory (model, error);
      r += cs_nn_mse_sum (xr, frames + start * d, nb, d, NULL) * nb;
    }
  *recon = n > 0 ? r / n : NAN;
  *kl = n > 0 ? k / n : NAN;
  return TRUE;
}

gboolean
cs_gen_model_fit_prior (CsGenModel  *model,
                        const float *frames,
                        const int   *labels,
                        int          n,
                        GError     **error)
{
  int L = model->nz;
  int n_use = MIN (n, CS_GEN_PRIOR_FRAMES);
  gsize d = (gsize) 3 * model->size * model->size;
  g_autofree float *batch = g_new (float, (gsize) CS_GEN_SAMPLE_BATCH * d);
  g_autofree int *batch_labels = g_new0 (int, CS_GEN_SAMPLE_BATCH);
  g_autofree double *codes = g_new (double, (gsize) MAX (n_use, 1) * L);

  g_return_val_if_fail (model->kind == CS_GEN_VAE, FALSE);
  g_return_val_if_fail (n >= 2 && frames != NULL, FALSE);

  /* Evenly spaced frames, encoded in evaluation mode; μ(x) only. */
  for (int start = 0; start < n_use; start += CS_GEN_SAMPLE_BATCH)
    {
      int nb = MIN (CS_GEN_SAMPLE_BATCH, n_use - start);
      const float *h;

      for (int b = 0; b < nb; b++)
        {
          gsize i = (gsize) (start + b) * n / n_use;

          memcpy (batch + b * d, frames + i * d, d * sizeof (float));
          batch_labels[b] = labels != NULL ? labels[i] : 0;
        }
      cs_nn_net_set_labels (model->d, model->n_classes > 0 ? batch_labels : NULL);
      if ((h = cs_nn_net_forward (model->d, batch, nb, FALSE)) == NULL)
        return out_of_memory (model, error);
      for (int b = 0; b < nb; b++)
        for (int j = 0; j < L; j++)
          codes[(gsize) (start + b) * L + j] = h[(gsize) b * 2 * L + j];
    }

  cs_gen_prior_free (model->prior);
  model->prior = cs_gen_prior_fit (codes, n_use, L, CLAMP (n_use / 100, 1, CS_GEN_PRIOR_COMPONENTS),
                                   model->seed);
  return TRUE;
}

/* Checkpoint layout: magic, then int64 fields, then for each net its
 * parameters (n, w, m, v) and batch-norm buffers (n, values); all in the
 * machine's byte order (a checkpoint resumes training on the machine and
 * build that wrote it; it is not an exchange format). */
static void
put (GByteArray *b, const void *data, gsize n)
{
  g_byte_array_append (b, data, (guint) n);
}

static void
put_i64 (GByteArray *b, gint64 v)
{
  put (b, &v, sizeof v);
}

static void
put_net (GByteArray *b, CsNnNet *net)
{
  GPtrArray *params = cs_nn_net_params (net);
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GPtrArray) buffers = cs_nn_net_buffers (net, sizes);

  for (guint i = 0; i < params->len; i++)
    {
      CsNnParam *p = g_ptr_array_index (params, i);

      put_i64 (b, (gint64) p->n);
      put (b, p->w, p->n * sizeof (float));
      put (b, p->m, p->n * sizeof (float));
      put (b, p->v, p->n * sizeof (float));
    }
  for (guint i = 0; i < buffers->len; i++)
    {
      gsize n = g_array_index (sizes, gsize, i);

      put_i64 (b, (gint64) n);
      put (b, buffers->pdata[i], n * sizeof (float));
    }
}

GBytes *
cs_gen_model_save (CsGenModel *model)
{
  GByteArray *b = g_byte_array_new ();

  put (b, CHECKPOINT_MAGIC, 8);
  put_i64 (b, model->kind);
  put_i64 (b, model->size);
  put_i64 (b, model->nz);
  put_i64 (b, model->batch);
  put_i64 (b, model->n_classes);
  put_i64 (b, (gint64) model->seed);
  put_i64 (b, model->step);
  put_i64 (b, model->adam_g.t);
  put_i64 (b, model->adam_d.t);
  put (b, model->rng.s, sizeof model->rng.s);
  put_net (b, model->g);
  put_net (b, model->d);
  if (model->prior != NULL)
    {
      const CsGenPrior *p = model->prior;

      put (b, PRIOR_TAG, 8);
      put_i64 (b, p->k);
      put_i64 (b, p->dim);
      put (b, p->weights, (gsize) p->k * sizeof (float));
      put (b, p->means, (gsize) p->k * p->dim * sizeof (float));
      put (b, p->chol, (gsize) p->k * p->dim * p->dim * sizeof (float));
    }
  return g_byte_array_free_to_bytes (b);
}

typedef struct
{
  const guint8 *p;
  gsize         left;
} Reader;

static gboolean
get (Reader *r, void *out, gsize n)
{
  if (r->left < n)
    return FALSE;
  memcpy (out, r->p, n);
  r->p += n;
  r->left -= n;
  return TRUE;
}

static gboolean
get_i64 (Reader *r, gint64 *v)
{
  return get (r, v, sizeof *v);
}

static gboolean
get_net (Reader *r, CsNnNet *net)
{
  GPtrArray *params = cs_nn_net_params (net);
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GPtrArray) buffers = cs_nn_net_buffers (net, sizes);
  gint64 n;

  for (guint i = 0; i < params->len; i++)
    {
      CsNnParam *p = g_ptr_array_index (params, i);

      if (!get_i64 (r, &n) || n != (gint64) p->n ||
          !get (r, p->w, p->n * sizeof (float)) ||
          !get (r, p->m, p->n * sizeof (float)) ||
          !get (r, p->v, p->n * sizeof (float)))
        return FALSE;
    }
  for (guint i = 0; i < buffers->len; i++)
    if (!get_i64 (r, &n) || n != (gint64) g_array_index (sizes, gsize, i) ||
        !get (r, buffers->pdata[i], (gsize) n * sizeof (float)))
      return FALSE;
  return TRUE;
}

gboolean
cs_gen_model_load (CsGenModel  *model,
                   GBytes      *bytes,
                   GError     **error)
{
  Reader r;
  char magic[8];
  gint64 kind, size, nz, batch, n_classes = 0, seed;
  gboolean v1;
  gsize len;

  r.p = g_bytes_get_data (bytes, &len);
  r.left = len;
  if (!get (&r, magic, 8))
    goto bad;
  v1 = memcmp (magic, CHECKPOINT_MAGIC_01, 8) == 0;
  if ((!v1 && memcmp (magic, CHECKPOINT_MAGIC, 8) != 0) ||
      !get_i64 (&r, &kind) || !get_i64 (&r, &size) || !get_i64 (&r, &nz) ||
      !get_i64 (&r, &batch) || (!v1 && !get_i64 (&r, &n_classes)) || !get_i64 (&r, &seed))
    goto bad;
  if (kind != model->kind || size != model->size || nz != model->nz || batch != model->batch ||
      n_classes != model->n_classes)
    {
      if (n_classes > 0)
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                     _("The checkpoint is of a %s at %d×%d, batch %d, conditioned on %d classes; "
                       "resume it with those settings."),
                     cs_gen_kind_to_string ((CsGenKind) kind), (int) size, (int) size, (int) batch,
                     (int) n_classes);
      else
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                     _("The checkpoint is of a %s at %d×%d, batch %d; resume it with those settings."),
                     cs_gen_kind_to_string ((CsGenKind) kind), (int) size, (int) size, (int) batch);
      return FALSE;
    }
  model->seed = (guint64) seed;
  if (!get_i64 (&r, &model->step) || !get_i64 (&r, &model->adam_g.t) ||
      !get_i64 (&r, &model->adam_d.t) || !get (&r, model->rng.s, sizeof model->rng.s) ||
      !get_net (&r, model->g) || !get_net (&r, model->d))
    goto bad;
  g_clear_pointer (&model->prior, cs_gen_prior_free);
  if (r.left > 0)
    {
      char tag[8];
      gint64 k = 1, L;
      gboolean single;

      if (!get (&r, tag, 8))
        goto bad;
      single = memcmp (tag, PRIOR_TAG_1, 8) == 0;
      if ((!single && memcmp (tag, PRIOR_TAG, 8) != 0) ||
          (!single && !get_i64 (&r, &k)) || !get_i64 (&r, &L) ||
          L != model->nz || k < 1 || k > CS_GEN_PRIOR_COMPONENTS)
        goto bad;
      model->prior = cs_gen_prior_new ((int) k, (int) L);
      if (single)
        model->prior->weights[0] = 1;
      if ((!single && !get (&r, model->prior->weights, (gsize) k * sizeof (float))) ||
          !get (&r, model->prior->means, (gsize) k * L * sizeof (float)) ||
          !get (&r, model->prior->chol, (gsize) k * L * L * sizeof (float)) || r.left != 0)
        goto bad;
    }
  model->perm_epoch = -1;
  return TRUE;

bad:
  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
               _("The checkpoint is damaged or from another version of Clipscope; start a new training run."));
  return FALSE;
}
