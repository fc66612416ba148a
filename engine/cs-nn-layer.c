/* cs-nn-layer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "cs-nn-layer.h"
#include "cs-parallel.h"

#define BN_EPS      1e-5f
#define BN_MOMENTUM 0.1f
#define MAX_SPLITS  16

/* Scratch of one batch split: im2col columns, a channel-major copy of the
 * output (or its gradient) and this split's weight/bias gradients. */
typedef struct
{
  float *col;
  gsize  col_cap;
  float *t;
  gsize  t_cap;
  float *dw;
  float *db;
} Split;

struct _CsNnLayer
{
  CsNnKind   kind;
  int        n_classes;   /* condition: classes and the value of the hot plane */
  float      value;
  int        ic, ih, iw;
  int        oc, oh, ow;
  int        k, stride, pad;
  CsNnParam *weight;
  CsNnParam *bias;
  /* batch norm */
  float     *run_mean;
  float     *run_var;
  float     *xhat;
  float     *inv_std;
  gboolean   train;
  /* buffers sized for cap samples */
  float     *out;
  float     *dx;
  int        cap;
  Split      split[MAX_SPLITS];
};

struct _CsNnNet
{
  GPtrArray   *layers;
  int          c, h, w;      /* input shape */
  int          cc, ch, cw;   /* shape after the last layer added */
  const float *input;
  int          n;
  GPtrArray   *params;
  const int   *labels;     /* for condition layers, borrowed */
  gboolean     dry;        /* shapes only: nothing allocated */
  gboolean     failed;     /* a parameter could not be allocated */
};

/* Big buffers (parameters, activations, scratch) go through nn_alloc: a
 * failed allocation is reported, not fatal, and the live total is kept so
 * that $CS_MEMORY_AVAILABLE (bytes, with an optional K, M or G suffix) can
 * stand for a machine with less memory. Each block starts with its size. */
static gint64 live_bytes;   /* __atomic builtins: GLib has no 64-bit atomics */

typedef union
{
  gsize  size;
  double align;
} Header;

static float *
nn_alloc (gsize n_floats, gboolean zero)
{
  gsize bytes = n_floats * sizeof (float);
  guint64 limit = cs_nn_memory_limit ();
  Header *h;

  if (n_floats > (G_MAXSIZE - sizeof (Header)) / sizeof (float) ||
      (limit > 0 && (guint64) __atomic_load_n (&live_bytes, __ATOMIC_RELAXED) + bytes > limit))
    return NULL;
  h = zero ? g_try_malloc0 (sizeof (Header) + bytes) : g_try_malloc (sizeof (Header) + bytes);
  if (h == NULL)
    return NULL;
  h->size = bytes;
  __atomic_add_fetch (&live_bytes, (gint64) bytes, __ATOMIC_RELAXED);
  return (float *) (h + 1);
}

static void
nn_free (float *p)
{
  Header *h;

  if (p == NULL)
    return;
  h = (Header *) p - 1;
  __atomic_sub_fetch (&live_bytes, (gint64) h->size, __ATOMIC_RELAXED);
  g_free (h);
}

guint64
cs_nn_memory_limit (void)
{
  const char *env = g_getenv ("CS_MEMORY_AVAILABLE");
  char *end = NULL;
  guint64 v;

  if (env == NULL || *env == '\0')
    return 0;
  v = g_ascii_strtoull (env, &end, 10);
  switch (end ? g_ascii_toupper (*end) : 0)
    {
    case 'G': v <<= 30; break;
    case 'M': v <<= 20; break;
    case 'K': v <<= 10; break;
    default: break;
    }
  return v;
}

guint64
cs_nn_memory_in_use (void)
{
  return (guint64) __atomic_load_n (&live_bytes, __ATOMIC_RELAXED);
}

int
cs_nn_get_splits (void)
{
  static gsize splits = 0;

  if (g_once_init_enter (&splits))
    {
      const char *env = g_getenv ("CS_NN_SPLITS");
      gsize s = 2;

      if (env != NULL)
        s = CLAMP (g_ascii_strtoll (env, NULL, 10), 1, MAX_SPLITS);
      g_once_init_leave (&splits, s);
    }
  return (int) splits;
}

/* With the batch split over our own workers, OpenBLAS must not start its
 * own threads as well (two pools on two cores halve the speed). */
static void
set_blas_threads (void)
{
  if (cs_nn_get_splits () > 1)
    openblas_set_num_threads (1);
  else
    openblas_set_num_threads ((int) cs_parallel_get_n_workers (G_MAXINT, 1));
}

static CsNnParam *
param_new (CsNnNet *net, gsize n)
{
  CsNnParam *p = g_new0 (CsNnParam, 1);

  p->n = n;
  if (net->dry || net->failed)
    return p;
  p->w = nn_alloc (n, TRUE);
  p->g = nn_alloc (n, TRUE);
  p->m = nn_alloc (n, TRUE);
  p->v = nn_alloc (n, TRUE);
  if (p->w == NULL || p->g == NULL || p->m == NULL || p->v == NULL)
    net->failed = TRUE;
  return p;
}

static void
param_free (CsNnParam *p)
{
  if (p == NULL)
    return;
  nn_free (p->w);
  nn_free (p->g);
  nn_free (p->m);
  nn_free (p->v);
  g_free (p);
}

static void
layer_free (CsNnLayer *l)
{
  param_free (l->weight);
  param_free (l->bias);
  g_free (l->run_mean);
  g_free (l->run_var);
  nn_free (l->xhat);
  g_free (l->inv_std);
  nn_free (l->out);
  nn_free (l->dx);
  for (int s = 0; s < MAX_SPLITS; s++)
    {
      nn_free (l->split[s].col);
      nn_free (l->split[s].t);
      nn_free (l->split[s].dw);
      nn_free (l->split[s].db);
    }
  g_free (l);
}

CsNnNet *
cs_nn_net_new (int c,
               int h,
               int w)
{
  CsNnNet *net = g_new0 (CsNnNet, 1);

  net->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) layer_free);
  net->params = g_ptr_array_new ();
  net->c = net->cc = c;
  net->h = net->ch = h;
  net->w = net->cw = w;
  return net;
}

CsNnNet *
cs_nn_net_new_dry (int c,
                   int h,
                   int w)
{
  CsNnNet *net = cs_nn_net_new (c, h, w);

  net->dry = TRUE;
  return net;
}

gboolean
cs_nn_net_allocated (CsNnNet *net)
{
  return !net->dry && !net->failed;
}

void
cs_nn_net_free (CsNnNet *net)
{
  if (net == NULL)
    return;
  g_ptr_array_unref (net->layers);
  g_ptr_array_unref (net->params);
  g_free (net);
}

static CsNnLayer *
add_layer (CsNnNet  *net,
           CsNnKind  kind)
{
  CsNnLayer *l = g_new0 (CsNnLayer, 1);

  l->kind = kind;
  l->ic = l->oc = net->cc;
  l->ih = l->oh = net->ch;
  l->iw = l->ow = net->cw;
  g_ptr_array_add (net->layers, l);
  return l;
}

static void
finish_layer (CsNnNet   *net,
              CsNnLayer *l)
{
  g_assert (l->oc > 0 && l->oh > 0 && l->ow > 0);
  net->cc = l->oc;
  net->ch = l->oh;
  net->cw = l->ow;
  if (l->weight)
    g_ptr_array_add (net->params, l->weight);
  if (l->bias)
    g_ptr_array_add (net->params, l->bias);
}

void
cs_nn_net_add_conv (CsNnNet  *net,
                    int       c_out,
                    int       k,
                    int       stride,
                    int       pad,
                    gboolean  bias)
{
  CsNnLayer *l = add_layer (net, CS_NN_CONV);

  l->k = k;
  l->stride = stride;
  l->pad = pad;
  l->oc = c_out;
  l->oh = (l->ih + 2 * pad - k) / stride + 1;
  l->ow = (l->iw + 2 * pad - k) / stride + 1;
  l->weight = param_new (net, (gsize) c_out * l->ic * k * k);
  if (bias)
    l->bias = param_new (net, c_out);
  finish_layer (net, l);
}

void
cs_nn_net_add_convt (CsNnNet  *net,
                     int       c_out,
                     int       k,
                     int       stride,
                     int       pad,
                     gboolean  bias)
{
  CsNnLayer *l = add_layer (net, CS_NN_CONVT);

  l->k = k;
  l->stride = stride;
  l->pad = pad;
  l->oc = c_out;
  l->oh = (l->ih - 1) * stride - 2 * pad + k;
  l->ow = (l->iw - 1) * stride - 2 * pad + k;
  l->weight = param_new (net, (gsize) l->ic * c_out * k * k);
  if (bias)
    l->bias = param_new (net, c_out);
  finish_layer (net, l);
}

void
cs_nn_net_add_batchnorm (CsNnNet *net)
{
  CsNnLayer *l = add_layer (net, CS_NN_BATCHNORM);

  l->weight = param_new (net, l->ic);
  l->bias = param_new (net, l->ic);
  l->run_mean = g_new0 (float, l->ic);
  l->run_var = g_new (float, l->ic);
  l->inv_std = g_new0 (float, l->ic);
  for (int c = 0; c < l->ic; c++)
    {
      if (l->weight->w)
        l->weight->w[c] = 1.0f;
      l->run_var[c] = 1.0f;
    }
  finish_layer (net, l);
}

void
cs_nn_net_add_linear (CsNnNet  *net,
                      int       out,
                      gboolean  bias)
{
  CsNnLayer *l = add_layer (net, CS_NN_LINEAR);

  l->oc = out;
  l->oh = l->ow = 1;
  l->weight = param_new (net, (gsize) out * l->ic * l->ih * l->iw);
  if (bias)
    l->bias = param_new (net, out);
  finish_layer (net, l);
}

void
cs_nn_net_add (CsNnNet  *net,
               CsNnKind  kind)
{
  g_return_if_fail (kind == CS_NN_RELU || kind == CS_NN_LEAKY_RELU ||
                    kind == CS_NN_TANH || kind == CS_NN_SIGMOID);
  finish_layer (net, add_layer (net, kind));
}

void
cs_nn_net_add_condition (CsNnNet *net,
                         int      n_classes,
                         float    value)
{
  CsNnLayer *l = add_layer (net, CS_NN_CONDITION);

  g_return_if_fail (n_classes > 0);
  l->n_classes = n_classes;
  l->value = value;
  l->oc = l->ic + n_classes;
  finish_layer (net, l);
}

void
cs_nn_net_set_labels (CsNnNet   *net,
                      const int *labels)
{
  net->labels = labels;
}

void
cs_nn_net_add_view (CsNnNet *net,
                    int      c,
                    int      h,
                    int      w)
{
  CsNnLayer *l = add_layer (net, CS_NN_VIEW);

  g_return_if_fail ((gsize) c * h * w == (gsize) l->ic * l->ih * l->iw);
  l->oc = c;
  l->oh = h;
  l->ow = w;
  finish_layer (net, l);
}

void
cs_nn_net_init (CsNnNet  *net,
                CsNnInit  init,
                CsNnRng  *rng)
{
  g_return_if_fail (cs_nn_net_allocated (net));
  for (guint i = 0; i < net->layers->len; i++)
    {
      CsNnLayer *l = g_ptr_array_index (net->layers, i);
      double fan_in;

      switch (l->kind)
        {
        case CS_NN_CONV:
        case CS_NN_CONVT:
        case CS_NN_LINEAR:
          if (l->kind == CS_NN_CONV)
            fan_in = (double) l->ic * l->k * l->k;
          else if (l->kind == CS_NN_CONVT)
            /* Each output of a transposed convolution sums about
             * C_in·k²/s² products. */
            fan_in = (double) l->ic * l->k * l->k / ((double) l->stride * l->stride);
          else
            fan_in = (double) l->ic * l->ih * l->iw;
          cs_nn_rng_fill_normal (rng, l->weight->w, l->weight->n, 0.0f,
                                 init == CS_NN_INIT_DCGAN ? 0.02f : (float) sqrt (2.0 / fan_in));
          if (l->bias)
            memset (l->bias->w, 0, l->bias->n * sizeof (float));
          break;
        case CS_NN_BATCHNORM:
          if (init == CS_NN_INIT_DCGAN)
            cs_nn_rng_fill_normal (rng, l->weight->w, l->weight->n, 1.0f, 0.02f);
          else
            for (gsize c = 0; c < l->weight->n; c++)
              l->weight->w[c] = 1.0f;
          memset (l->bias->w, 0, l->bias->n * sizeof (float));
          break;
        default:
          break;
        }
    }
}

static gsize
in_size (const CsNnLayer *l)
{
  return (gsize) l->ic * l->ih * l->iw;
}

static gsize
out_size (const CsNnLayer *l)
{
  return (gsize) l->oc * l->oh * l->ow;
}

static gboolean
ensure (float **buf,
        gsize  *cap,
        gsize   n)
{
  if (*cap < n)
    {
      nn_free (*buf);
      *cap = 0;
      *buf = nn_alloc (n, FALSE);
      if (*buf == NULL)
        return FALSE;
      *cap = n;
    }
  return TRUE;
}

/* Scratch of a convolution split of @nb samples: im2col columns and the
 * channel-major copy, the same sizes forward and backward. */
static void
split_sizes (const CsNnLayer *l, int nb, gsize *col, gsize *t)
{
  gsize Pi = (gsize) l->ih * l->iw, Po = (gsize) l->oh * l->ow;

  if (l->kind == CS_NN_CONV)
    {
      *col = (gsize) l->ic * l->k * l->k * nb * Po;
      *t = (gsize) l->oc * nb * Po;
    }
  else
    {
      *col = (gsize) l->oc * l->k * l->k * nb * Pi;
      *t = (gsize) l->ic * nb * Pi;
    }
}

/* Columns of image @src (C × H × W) for a k×k window at stride s, padding
 * pad, over an oh × ow grid: row (c·k + ky)·k + kx, column off + y·ow + x of
 * a matrix with @ld columns. */
static void
im2col (const float *src, int C, int H, int W, int k, int s, int pad,
        int oh, int ow, float *dst, gsize ld, gsize off)
{
  for (int c = 0; c < C; c++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        {
          float *row = dst + (gsize) ((c * k + ky) * k + kx) * ld + off;

          for (int y = 0; y < oh; y++)
            {
              int iy = y * s - pad + ky;
              float *r = row + (gsize) y * ow;

              if (iy < 0 || iy >= H)
                {
                  memset (r, 0, ow * sizeof (float));
                  continue;
                }
              for (int x = 0; x < ow; x++)
                {
                  int ix = x * s - pad + kx;

                  r[x] = (ix >= 0 && ix < W) ? src[((gsize) c * H + iy) * W + ix] : 0.0f;
                }
            }
        }
}

/* The adjoint of im2col: adds the columns back into image @dst. */
static void
col2im (const float *col, int C, int H, int W, int k, int s, int pad,
        int oh, int ow, float *dst, gsize ld, gsize off)
{
  for (int c = 0; c < C; c++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        {
          const float *row = col + (gsize) ((c * k + ky) * k + kx) * ld + off;

          for (int y = 0; y < oh; y++)
            {
              int iy = y * s - pad + ky;
              const float *r = row + (gsize) y * ow;

              if (iy < 0 || iy >= H)
                continue;
              for (int x = 0; x < ow; x++)
                {
                  int ix = x * s - pad + kx;

                  if (ix >= 0 && ix < W)
                    dst[((gsize) c * H + iy) * W + ix] += r[x];
                }
            }
        }
}

/* NCHW samples [n0, n0 + nb) → channel-major C × (nb·P), and back. */
static void
gather (const float *src, int C, gsize P, int n0, int nb, float *dst)
{
  for (int s = 0; s < nb; s++)
    for (int c = 0; c < C; c++)
      memcpy (dst + (gsize) c * nb * P + (gsize) s * P,
              src + ((gsize) (n0 + s) * C + c) * P, P * sizeof (float));
}

static void
scatter (const float *src, int C, gsize P, int n0, int nb, float *dst)
{
  for (int s = 0; s < nb; s++)
    for (int c = 0; c < C; c++)
      memcpy (dst + ((gsize) (n0 + s) * C + c) * P,
              src + (gsize) c * nb * P + (gsize) s * P, P * sizeof (float));
}

typedef struct
{
  CsNnLayer   *l;
  const float *x;
  const float *dy;
  int          n;
  int          splits;
  gboolean     param_grads;
  gint         failed;      /* atomic: a worker's scratch could not be allocated */
} Job;

static int
split_count (int n)
{
  return MIN (cs_nn_get_splits (), MAX (n, 1));
}

static void
split_range (const Job *job, int part, int *n0, int *nb)
{
  *n0 = (int) ((gint64) job->n * part / job->splits);
  *nb = (int) ((gint64) job->n * (part + 1) / job->splits) - *n0;
}

static void
conv_forward_part (gint64 start, gint64 end, guint worker, gpointer data)
{
  Job *job = data;
  CsNnLayer *l = job->l;

  for (int part = (int) start; part < end; part++)
    {
      Split *sp = &l->split[part];
      int n0, nb;
      gsize Pi = (gsize) l->ih * l->iw, Po = (gsize) l->oh * l->ow;

      split_range (job, part, &n0, &nb);
      if (nb == 0)
        continue;

      if (l->kind == CS_NN_CONV)
        {
          gsize K = (gsize) l->ic * l->k * l->k, ld = nb * Po;

          if (!ensure (&sp->col, &sp->col_cap, K * ld) || !ensure (&sp->t, &sp->t_cap, l->oc * ld))
            {
              g_atomic_int_set (&job->failed, TRUE);
              continue;
            }
          for (int s = 0; s < nb; s++)
            im2col (job->x + (n0 + s) * in_size (l), l->ic, l->ih, l->iw, l->k, l->stride,
                    l->pad, l->oh, l->ow, sp->col, ld, s * Po);
          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, l->oc, (int) ld, (int) K,
                       1.0f, l->weight->w, (int) K, sp->col, (int) ld, 0.0f, sp->t, (int) ld);
          scatter (sp->t, l->oc, Po, n0, nb, l->out);
        }
      else
        {
          gsize Kc = (gsize) l->oc * l->k * l->k, ld = nb * Pi;

          if (!ensure (&sp->col, &sp->col_cap, Kc * ld) || !ensure (&sp->t, &sp->t_cap, l->ic * ld))
            {
              g_atomic_int_set (&job->failed, TRUE);
              continue;
            }
          gather (job->x, l->ic, Pi, n0, nb, sp->t);
          cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) Kc, (int) ld, l->ic,
                       1.0f, l->weight->w, (int) Kc, sp->t, (int) ld, 0.0f, sp->col, (int) ld);
          memset (l->out + n0 * out_size (l), 0, nb * out_size (l) * sizeof (float));
          for (int s = 0; s < nb; s++)
            col2im (sp->col, l->oc, l->oh, l->ow, l->k, l->stride, l->pad, l->ih, l->iw,
                    l->out + (n0 + s) * out_size (l), ld, s * Pi);
        }

      if (l->bias)
        for (int s = 0; s < nb; s++)
          for (int c = 0; c < l->oc; c++)
            {
              float *o = l->out + ((gsize) (n0 + s) * l->oc + c) * Po;

              for (gsize p = 0; p < Po; p++)
                o[p] += l->bias->w[c];
            }
    }
}

static void
conv_backward_part (gint64 start, gint64 end, guint worker, gpointer data)
{
  Job *job = data;
  CsNnLayer *l = job->l;

  for (int part = (int) start; part < end; part++)
    {
      Split *sp = &l->split[part];
      int n0, nb;
      gsize Pi = (gsize) l->ih * l->iw, Po = (gsize) l->oh * l->ow;

      split_range (job, part, &n0, &nb);
      if (nb == 0)
        continue;

      if (l->bias && job->param_grads)
        for (int c = 0; c < l->oc; c++)
          {
            double sum = 0.0;

            for (int s = 0; s < nb; s++)
              {
                const float *d = job->dy + ((gsize) (n0 + s) * l->oc + c) * Po;

                for (gsize p = 0; p < Po; p++)
                  sum += d[p];
              }
            sp->db[c] = (float) sum;
          }

      if (l->kind == CS_NN_CONV)
        {
          gsize K = (gsize) l->ic * l->k * l->k, ld = nb * Po;

          if (!ensure (&sp->col, &sp->col_cap, K * ld) || !ensure (&sp->t, &sp->t_cap, l->oc * ld))
            {
              g_atomic_int_set (&job->failed, TRUE);
              continue;
            }
          gather (job->dy, l->oc, Po, n0, nb, sp->t);
          if (job->param_grads)
            {
              for (int s = 0; s < nb; s++)
                im2col (job->x + (n0 + s) * in_size (l), l->ic, l->ih, l->iw, l->k, l->stride,
                        l->pad, l->oh, l->ow, sp->col, ld, s * Po);
              cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, l->oc, (int) K, (int) ld,
                           1.0f, sp->t, (int) ld, sp->col, (int) ld, 0.0f, sp->dw, (int) K);
            }
          cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) K, (int) ld, l->oc,
                       1.0f, l->weight->w, (int) K, sp->t, (int) ld, 0.0f, sp->col, (int) ld);
          memset (l->dx + n0 * in_size (l), 0, nb * in_size (l) * sizeof (float));
          for (int s = 0; s < nb; s++)
            col2im (sp->col, l->ic, l->ih, l->iw, l->k, l->stride, l->pad, l->oh, l->ow,
                    l->dx + (n0 + s) * in_size (l), ld, s * Po);
        }
      else
        {
          gsize Kc = (gsize) l->oc * l->k * l->k, ld = nb * Pi;

          if (!ensure (&sp->col, &sp->col_cap, Kc * ld) || !ensure (&sp->t, &sp->t_cap, l->ic * ld))
            {
              g_atomic_int_set (&job->failed, TRUE);
              continue;
            }
          for (int s = 0; s < nb; s++)
            im2col (job->dy + (n0 + s) * out_size (l), l->oc, l->oh, l->ow, l->k, l->stride,
                    l->pad, l->ih, l->iw, sp->col, ld, s * Pi);
          if (job->param_grads)
            {
              gather (job->x, l->ic, Pi, n0, nb, sp->t);
              cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, l->ic, (int) Kc, (int) ld,
                           1.0f, sp->t, (int) ld, sp->col, (int) ld, 0.0f, sp->dw, (int) Kc);
            }
          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, l->ic, (int) ld, (int) Kc,
                       1.0f, l->weight->w, (int) Kc, sp->col, (int) ld, 0.0f, sp->t, (int) ld);
          scatter (sp->t, l->ic, Pi, n0, nb, l->dx);
        }
    }
}

static void
run_split (CsNnLayer *l, Job *job, CsParallelFunc func)
{
  job->l = l;
  job->splits = split_count (job->n);
  cs_parallel_for (job->splits, 1, func, job, NULL);
}

static gboolean
alloc_split_grads (CsNnLayer *l, int splits)
{
  for (int s = 0; s < splits; s++)
    {
      Split *sp = &l->split[s];

      if (sp->dw == NULL && (sp->dw = nn_alloc (l->weight->n, FALSE)) == NULL)
        return FALSE;
      if (l->bias && sp->db == NULL && (sp->db = nn_alloc (l->bias->n, FALSE)) == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
conv_backward (CsNnLayer *l, Job *job)
{
  int splits = MIN (cs_nn_get_splits (), MAX (job->n, 1));

  if (job->param_grads && !alloc_split_grads (l, splits))
    {
      job->failed = TRUE;
      return;
    }
  run_split (l, job, conv_backward_part);
  if (!job->param_grads || job->failed)
    return;
  /* Sum the splits' gradients in split order: the same floats whichever
   * worker ran which split. */
  for (int s = 0; s < splits; s++)
    {
      int n0, nb;

      split_range (job, s, &n0, &nb);
      if (nb == 0)
        continue;
      for (gsize i = 0; i < l->weight->n; i++)
        l->weight->g[i] += l->split[s].dw[i];
      if (l->bias)
        for (gsize i = 0; i < l->bias->n; i++)
          l->bias->g[i] += l->split[s].db[i];
    }
}

static void
bn_forward (CsNnLayer *l, const float *x, int n)
{
  gsize P = (gsize) l->ih * l->iw;
  double M = (double) n * P;

  for (int c = 0; c < l->ic; c++)
    {
      double mean, var, sum = 0.0, sq = 0.0;
      float inv, gamma = l->weight->w[c], beta = l->bias->w[c], fmean;

      if (l->train)
        {
          for (int s = 0; s < n; s++)
            {
              const float *xp = x + ((gsize) s * l->ic + c) * P;

              for (gsize p = 0; p < P; p++)
                sum += xp[p];
            }
          mean = sum / M;
          for (int s = 0; s < n; s++)
            {
              const float *xp = x + ((gsize) s * l->ic + c) * P;

              for (gsize p = 0; p < P; p++)
                sq += (xp[p] - mean) * (xp[p] - mean);
            }
          var = sq / M;
          l->run_mean[c] = (1.0f - BN_MOMENTUM) * l->run_mean[c] + BN_MOMENTUM * (float) mean;
          l->run_var[c] = (1.0f - BN_MOMENTUM) * l->run_var[c] +
                          BN_MOMENTUM * (float) (M > 1 ? sq / (M - 1) : var);
        }
      else
        {
          mean = l->run_mean[c];
          var = l->run_var[c];
        }
      inv = (float) (1.0 / sqrt (var + BN_EPS));
      fmean = (float) mean;
      l->inv_std[c] = inv;
      for (int s = 0; s < n; s++)
        {
          gsize o = ((gsize) s * l->ic + c) * P;

          for (gsize p = 0; p < P; p++)
            {
              float xh = (x[o + p] - fmean) * inv;

              l->xhat[o + p] = xh;
              l->out[o + p] = gamma * xh + beta;
            }
        }
    }
}

static void
bn_backward (CsNnLayer *l, const float *dy, int n, gboolean param_grads)
{
  gsize P = (gsize) l->ih * l->iw;
  double M = (double) n * P;

  for (int c = 0; c < l->ic; c++)
    {
      double sdy = 0.0, sdyx = 0.0;
      float gamma = l->weight->w[c], inv = l->inv_std[c];

      for (int s = 0; s < n; s++)
        {
          gsize o = ((gsize) s * l->ic + c) * P;

          for (gsize p = 0; p < P; p++)
            {
              sdy += dy[o + p];
              sdyx += (double) dy[o + p] * l->xhat[o + p];
            }
        }
      if (param_grads)
        {
          l->weight->g[c] += (float) sdyx;
          l->bias->g[c] += (float) sdy;
        }
      for (int s = 0; s < n; s++)
        {
          gsize o = ((gsize) s * l->ic + c) * P;

          if (l->train)
            {
              float a = (float) (gamma * inv / M), fsdy = (float) sdy, fsdyx = (float) sdyx, fM = (float) M;

              for (gsize p = 0; p < P; p++)
                l->dx[o + p] = a * (fM * dy[o + p] - fsdy - l->xhat[o + p] * fsdyx);
            }
          else
            for (gsize p = 0; p < P; p++)
              l->dx[o + p] = gamma * inv * dy[o + p];
        }
    }
}

static gboolean
resize (CsNnLayer *l, int n)
{
  if (n <= l->cap)
    return TRUE;
  g_clear_pointer (&l->out, nn_free);
  g_clear_pointer (&l->dx, nn_free);
  g_clear_pointer (&l->xhat, nn_free);
  l->cap = 0;
  l->out = nn_alloc ((gsize) n * out_size (l), FALSE);
  l->dx = nn_alloc ((gsize) n * in_size (l), FALSE);
  if (l->kind == CS_NN_BATCHNORM)
    l->xhat = nn_alloc ((gsize) n * in_size (l), FALSE);
  if (l->out == NULL || l->dx == NULL || (l->kind == CS_NN_BATCHNORM && l->xhat == NULL))
    {
      g_clear_pointer (&l->out, nn_free);
      g_clear_pointer (&l->dx, nn_free);
      g_clear_pointer (&l->xhat, nn_free);
      return FALSE;
    }
  l->cap = n;
  return TRUE;
}

static gsize
split_max (int n, int splits)
{
  return (gsize) (n + splits - 1) / splits;
}

gboolean
cs_nn_net_reserve (CsNnNet *net,
                   int      n,
                   gboolean train)
{
  int splits = split_count (n);

  if (!cs_nn_net_allocated (net))
    return FALSE;
  for (guint i = 0; i < net->layers->len; i++)
    {
      CsNnLayer *l = g_ptr_array_index (net->layers, i);

      if (!resize (l, n))
        return FALSE;
      if (l->kind != CS_NN_CONV && l->kind != CS_NN_CONVT)
        continue;
      for (int s = 0; s < splits; s++)
        {
          gsize col, t;

          split_sizes (l, (int) split_max (n, splits), &col, &t);
          if (!ensure (&l->split[s].col, &l->split[s].col_cap, col) ||
              !ensure (&l->split[s].t, &l->split[s].t_cap, t))
            return FALSE;
        }
      if (train && !alloc_split_grads (l, splits))
        return FALSE;
    }
  return TRUE;
}

guint64
cs_nn_net_memory (CsNnNet *net,
                  int      n,
                  gboolean train)
{
  int splits = split_count (n);
  guint64 floats = 0;

  for (guint i = 0; i < net->params->len; i++)
    floats += 4 * (guint64) ((CsNnParam *) g_ptr_array_index (net->params, i))->n;
  for (guint i = 0; i < net->layers->len; i++)
    {
      CsNnLayer *l = g_ptr_array_index (net->layers, i);

      floats += (guint64) n * (out_size (l) + in_size (l));
      if (l->kind == CS_NN_BATCHNORM)
        floats += (guint64) n * in_size (l);
      if (l->kind != CS_NN_CONV && l->kind != CS_NN_CONVT)
        continue;
      for (int s = 0; s < splits; s++)
        {
          gsize col, t;

          split_sizes (l, (int) split_max (n, splits), &col, &t);
          floats += col + t;
          if (train)
            floats += l->weight->n + (l->bias ? l->bias->n : 0);
        }
    }
  return floats * sizeof (float);
}

const float *
cs_nn_net_forward (CsNnNet     *net,
                   const float *x,
                   int          n,
                   gboolean     train)
{
  const float *in = x;

  g_return_val_if_fail (n > 0, NULL);
  g_return_val_if_fail (cs_nn_net_allocated (net), NULL);
  set_blas_threads ();
  net->input = x;
  net->n = n;
  for (guint i = 0; i < net->layers->len; i++)
    {
      CsNnLayer *l = g_ptr_array_index (net->layers, i);
      gsize no = (gsize) n * out_size (l);
      Job job = { .x = in, .n = n };

      if (!resize (l, n))
        return NULL;
      switch (l->kind)
        {
        case CS_NN_CONV:
        case CS_NN_CONVT:
          run_split (l, &job, conv_forward_part);
          if (job.failed)
            return NULL;
          break;
        case CS_NN_CONDITION:
          {
            gsize P = (gsize) l->ih * l->iw;

            for (int s = 0; s < n; s++)
              {
                float *o = l->out + (gsize) s * out_size (l);
                int label = net->labels ? net->labels[s] : -1;

                memcpy (o, in + (gsize) s * in_size (l), in_size (l) * sizeof (float));
                memset (o + in_size (l), 0, (gsize) l->n_classes * P * sizeof (float));
                if (label >= 0 && label < l->n_classes)
                  for (gsize p = 0; p < P; p++)
                    o[in_size (l) + label * P + p] = l->value;
              }
          }
          break;
        case CS_NN_BATCHNORM:
          l->train = train;
          bn_forward (l, in, n);
          break;
        case CS_NN_LINEAR:
          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, l->oc, (int) in_size (l),
                       1.0f, in, (int) in_size (l), l->weight->w, (int) in_size (l),
                       0.0f, l->out, l->oc);
          if (l->bias)
            for (int s = 0; s < n; s++)
              for (int o = 0; o < l->oc; o++)
                l->out[(gsize) s * l->oc + o] += l->bias->w[o];
          break;
        case CS_NN_RELU:
          for (gsize j = 0; j < no; j++)
            l->out[j] = in[j] > 0.0f ? in[j] : 0.0f;
          break;
        case CS_NN_LEAKY_RELU:
          for (gsize j = 0; j < no; j++)
            l->out[j] = in[j] > 0.0f ? in[j] : 0.2f * in[j];
          break;
        case CS_NN_TANH:
          for (gsize j = 0; j < no; j++)
            l->out[j] = tanhf (in[j]);
          break;
        case CS_NN_SIGMOID:
          for (gsize j = 0; j < no; j++)
            l->out[j] = 1.0f / (1.0f + expf (-in[j]));
          break;
        case CS_NN_VIEW:
          memcpy (l->out, in, no * sizeof (float));
          break;
        }
      in = l->out;
    }
  return in;
}

const float *
cs_nn_net_backward (CsNnNet     *net,
                    const float *dy,
                    gboolean     param_grads)
{
  int n = net->n;

  set_blas_threads ();
  for (guint i = net->layers->len; i-- > 0;)
    {
      CsNnLayer *l = g_ptr_array_index (net->layers, i);
      const float *x = i == 0 ? net->input : ((CsNnLayer *) g_ptr_array_index (net->layers, i - 1))->out;
      gsize ni = (gsize) n * in_size (l);
      Job job = { .x = x, .dy = dy, .n = n, .param_grads = param_grads };

      switch (l->kind)
        {
        case CS_NN_CONV:
        case CS_NN_CONVT:
          conv_backward (l, &job);
          if (job.failed)
            return NULL;
          break;
        case CS_NN_CONDITION:
          /* The one-hot planes are constants: only the input's channels
           * pass the gradient on. */
          for (int s = 0; s < n; s++)
            memcpy (l->dx + (gsize) s * in_size (l), dy + (gsize) s * out_size (l),
                    in_size (l) * sizeof (float));
          break;
        case CS_NN_BATCHNORM:
          bn_backward (l, dy, n, param_grads);
          break;
        case CS_NN_LINEAR:
          if (param_grads)
            {
              cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, l->oc, (int) in_size (l), n,
                           1.0f, dy, l->oc, x, (int) in_size (l), 1.0f, l->weight->g,
                           (int) in_size (l));
              if (l->bias)
                for (int s = 0; s < n; s++)
                  for (int o = 0; o < l->oc; o++)
                    l->bias->g[o] += dy[(gsize) s * l->oc + o];
            }
          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, (int) in_size (l), l->oc,
                       1.0f, dy, l->oc, l->weight->w, (int) in_size (l), 0.0f, l->dx,
                       (int) in_size (l));
          break;
        case CS_NN_RELU:
          for (gsize j = 0; j < ni; j++)
            l->dx[j] = l->out[j] > 0.0f ? dy[j] : 0.0f;
          break;
        case CS_NN_LEAKY_RELU:
          for (gsize j = 0; j < ni; j++)
            l->dx[j] = l->out[j] > 0.0f ? dy[j] : 0.2f * dy[j];
          break;
        case CS_NN_TANH:
          for (gsize j = 0; j < ni; j++)
            l->dx[j] = dy[j] * (1.0f - l->out[j] * l->out[j]);
          break;
        case CS_NN_SIGMOID:
          for (gsize j = 0; j < ni; j++)
            l->dx[j] = dy[j] * l->out[j] * (1.0f - l->out[j]);
          break;
        case CS_NN_VIEW:
          memcpy (l->dx, dy, ni * sizeof (float));
          break;
        }
      dy = l->dx;
    }
  return dy;
}

void
cs_nn_net_zero_grad (CsNnNet *net)
{
  for (guint i = 0; i < net->params->len; i++)
    {
      CsNnParam *p = g_ptr_array_index (net->params, i);

      memset (p->g, 0, p->n * sizeof (float));
    }
}

gsize
cs_nn_net_out_size (CsNnNet *net)
{
  return (gsize) net->cc * net->ch * net->cw;
}

void
cs_nn_net_out_shape (CsNnNet *net,
                     int     *c,
                     int     *h,
                     int     *w)
{
  *c = net->cc;
  *h = net->ch;
  *w = net->cw;
}

gsize
cs_nn_net_in_size (CsNnNet *net)
{
  return (gsize) net->c * net->h * net->w;
}

GPtrArray *
cs_nn_net_params (CsNnNet *net)
{
  return net->params;
}

GPtrArray *
cs_nn_net_buffers (CsNnNet *net,
                   GArray  *sizes)
{
  GPtrArray *buffers = g_ptr_array_new ();

  for (guint i = 0; i < net->layers->len; i++)
    {
      CsNnLayer *l = g_ptr_array_index (net->layers, i);
      gsize n = l->ic;

      if (l->kind != CS_NN_BATCHNORM)
        continue;
      g_ptr_array_add (buffers, l->run_mean);
      g_ptr_array_add (buffers, l->run_var);
      g_array_append_val (sizes, n);
      g_array_append_val (sizes, n);
    }
  return buffers;
}

guint
cs_nn_net_n_layers (CsNnNet *net)
{
  return net->layers->len;
}

CsNnLayer *
cs_nn_net_layer (CsNnNet *net,
                 guint    i)
{
  return g_ptr_array_index (net->layers, i);
}

CsNnKind
cs_nn_layer_kind (CsNnLayer *layer)
{
  return layer->kind;
}

CsNnParam *
cs_nn_layer_weight (CsNnLayer *layer)
{
  return layer->weight;
}

CsNnParam *
cs_nn_layer_bias (CsNnLayer *layer)
{
  return layer->bias;
}
