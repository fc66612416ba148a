/* test-nn.c: the neural-network layers against finite differences, the
 * losses against their formulas, Adam against a hand-computed quadratic.
 *
 * Gradient checks: the loss is L = Σ r·y for a fixed random r (summed in
 * double), so dL/dy = r; the analytic gradient from backward() is compared
 * with the central difference (L(v + h) − L(v − h)) / 2h at h = 1e-2.
 * In float32 the forward pass rounds at about 6e-8 relative; with |L| ≲ 30
 * that is ≲ 2e-6 absolute per evaluation, i.e. ≲ 2e-4 in the difference
 * quotient, and the truncation error is O(h²·L''') ≈ 1e-4 for these smooth
 * layers. So we require |analytic − numeric| ≤ 2e-3 + 2e-3·|numeric|, which
 * is two orders above that noise yet fails for any wrong term (a missing
 * factor or a transposed index gives errors of order 1). ReLU-like layers
 * get inputs kept at least 3h away from their kink.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cs-nn-adam.h"
#include "cs-nn-layer.h"
#include "cs-nn-loss.h"
#include "cs-nn-rng.h"

#define H   1e-2f
#define ATOL 2e-3
#define RTOL 2e-3

typedef struct
{
  CsNnNet *net;
  float   *x;
  float   *r;
  int      n;
  gboolean train;
  gsize    n_out;
} Check;

static double
loss (Check *c)
{
  const float *y = cs_nn_net_forward (c->net, c->x, c->n, c->train);
  double sum = 0.0;

  for (gsize i = 0; i < c->n_out; i++)
    sum += (double) c->r[i] * y[i];
  return sum;
}

static void
assert_close (double analytic, double numeric, const char *what, gsize i)
{
  if (fabs (analytic - numeric) > ATOL + RTOL * fabs (numeric))
    g_error ("%s[%" G_GSIZE_FORMAT "]: analytic %.6f, finite difference %.6f",
             what, i, analytic, numeric);
}

static double
central (Check *c, float *v)
{
  float keep = *v;
  double plus, minus;

  *v = keep + H;
  plus = loss (c);
  *v = keep - H;
  minus = loss (c);
  *v = keep;
  return (plus - minus) / (2.0 * H);
}

/* Checks input and parameter gradients of @net at a random point. */
static void
grad_check (CsNnNet *net, int n, gboolean train, gboolean away_from_zero, guint64 seed)
{
  CsNnRng rng;
  Check c = { .net = net, .n = n, .train = train };
  gsize n_in = cs_nn_net_in_size (net) * n;
  g_autofree float *dx = g_new (float, n_in);
  GPtrArray *params = cs_nn_net_params (net);

  cs_nn_rng_init (&rng, seed);
  cs_nn_net_init (net, CS_NN_INIT_HE, &rng);
  /* Scale and shift away from 1/0 so batch norm's parameters matter. */
  for (guint p = 0; p < params->len; p++)
    {
      CsNnParam *param = g_ptr_array_index (params, p);

      for (gsize j = 0; j < param->n; j++)
        param->w[j] += cs_nn_rng_normal (&rng, 0.0f, 0.3f);
    }
  c.n_out = cs_nn_net_out_size (net) * n;
  c.x = g_new (float, n_in);
  c.r = g_new (float, c.n_out);
  for (gsize i = 0; i < n_in; i++)
    {
      float v = cs_nn_rng_normal (&rng, 0.0f, 1.0f);

      if (away_from_zero && fabsf (v) < 3 * H)
        v = v < 0 ? v - 3 * H : v + 3 * H;
      c.x[i] = v;
    }
  cs_nn_rng_fill_normal (&rng, c.r, c.n_out, 0.0f, 1.0f);

  cs_nn_net_zero_grad (net);
  loss (&c);
  memcpy (dx, cs_nn_net_backward (net, c.r, TRUE), n_in * sizeof (float));

  for (gsize i = 0; i < n_in; i++)
    assert_close (dx[i], central (&c, &c.x[i]), "input", i);

  for (guint p = 0; p < params->len; p++)
    {
      CsNnParam *param = g_ptr_array_index (params, p);
      g_autofree float *g = g_memdup2 (param->g, param->n * sizeof (float));

      for (gsize j = 0; j < param->n; j++)
        assert_close (g[j], central (&c, &param->w[j]), "parameter", j);
    }
  g_free (c.x);
  g_free (c.r);
}

static void
test_conv (void)
{
  g_autoptr(CsNnNet) net = cs_nn_net_new (2, 5, 5);

  cs_nn_net_add_conv (net, 3, 3, 2, 1, TRUE);
  g_assert_cmpuint (cs_nn_net_out_size (net), ==, 3 * 3 * 3);
  grad_check (net, 3, TRUE, FALSE, 1);
}

static void
test_conv_dcgan_shape (void)
{
  g_autoptr(CsNnNet) net = cs_nn_net_new (2, 8, 8);
  int c, h, w;

  cs_nn_net_add_conv (net, 4, 4, 2, 1, FALSE);
  cs_nn_net_out_shape (net, &c, &h, &w);
  g_assert_cmpint (h, ==, 4);
  g_assert_cmpint (w, ==, 4);
  grad_check (net, 2, TRUE, FALSE, 2);
}

static void
test_convt (void)
{
  g_autoptr(CsNnNet) net = cs_nn_net_new (3, 3, 3);
  int c, h, w;

  cs_nn_net_add_convt (net, 2, 4, 2, 1, TRUE);
  cs_nn_net_out_shape (net, &c, &h, &w);
  /* (3 − 1)·2 − 2 + 4 = 6 */
  g_assert_cmpint (c, ==, 2);
  g_assert_cmpint (h, ==, 6);
  g_assert_cmpint (w, ==, 6);
  grad_check (net, 3, TRUE, FALSE, 3);
}

static void
test_convt_from_vector (void)
{
  g_autoptr(CsNnNet) net = cs_nn_net_new (5, 1, 1);
  int c, h, w;

  /* The generator's first layer: 1×1 → 4×4 at stride 1, no padding. */
  cs_nn_net_add_convt (net, 2, 4, 1, 0, FALSE);
  cs_nn_net_out_shape (net, &c, &h, &w);
  g_assert_cmpint (h, ==, 4);
  grad_check (net, 2, TRUE, FALSE, 4);
}

/* A transposed convolution is the adjoint of the convolution with the same
 * weights: <conv(x), y> = <x, convT(y)>. */
static void
test_convt_adjoint (void)
{
  g_autoptr(CsNnNet) conv = cs_nn_net_new (2, 6, 6);
  g_autoptr(CsNnNet) convt = cs_nn_net_new (3, 3, 3);
  CsNnRng rng;
  float x[2 * 36], y[3 * 9];
  const float *cx, *ty;
  double a = 0, b = 0;

  cs_nn_net_add_conv (conv, 3, 4, 2, 1, FALSE);
  cs_nn_net_add_convt (convt, 2, 4, 2, 1, FALSE);
  cs_nn_rng_init (&rng, 5);
  cs_nn_net_init (conv, CS_NN_INIT_HE, &rng);
  /* conv weight is C_out(3) × C_in(2) × k × k; convT's is C_in(3) × C_out(2) × k × k:
   * the same array. */
  memcpy (cs_nn_layer_weight (cs_nn_net_layer (convt, 0))->w,
          cs_nn_layer_weight (cs_nn_net_layer (conv, 0))->w, 3 * 2 * 16 * sizeof (float));
  cs_nn_rng_fill_normal (&rng, x, G_N_ELEMENTS (x), 0, 1);
  cs_nn_rng_fill_normal (&rng, y, G_N_ELEMENTS (y), 0, 1);
  cx = cs_nn_net_forward (conv, x, 1, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (y); i++)
    a += (double) cx[i] * y[i];
  ty = cs_nn_net_forward (convt, y, 1, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    b += (double) x[i] * ty[i];
  g_assert_cmpfloat_with_epsilon (a, b, 1e-4 * MAX (1.0, fabs (a)));
}

static void
test_batchnorm_train (void)
{
  g_autoptr(CsNnNet) net = cs_nn_net_new (3, 2, 2);

  cs_nn_net_add_batchnorm (net);
  grad_check (net, 4, TRUE, FALSE, 6);
}

static void
test_batchnorm_eval (void)
{
  g_autoptr(CsNnNet) net = cs_nn_net_new (2, 2, 2);
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GPtrArray) buffers = cs_nn_net_buffers (net, sizes);
  float x[2 * 2 * 4];
  const float *y;

  cs_nn_net_add_batchnorm (net);
  g_ptr_array_unref (buffers);
  g_array_set_size (sizes, 0);
  buffers = cs_nn_net_buffers (net, sizes);
  g_assert_cmpuint (buffers->len, ==, 2);

  /* Running statistics after one training batch: channel 0 holds 1..8
   * (samples 0 and 1), mean 4.5, unbiased variance 6; momentum 0.1 from
   * (0, 1) gives mean 0.45 and variance 0.9 + 0.6 = 1.5. */
  for (int s = 0; s < 2; s++)
    for (int c = 0; c < 2; c++)
      for (int p = 0; p < 4; p++)
        x[(s * 2 + c) * 4 + p] = c == 0 ? (float) (s * 4 + p + 1) : 0.0f;
  cs_nn_net_forward (net, x, 2, TRUE);
  g_assert_cmpfloat_with_epsilon (((float *) buffers->pdata[0])[0], 0.45, 1e-6);
  g_assert_cmpfloat_with_epsilon (((float *) buffers->pdata[1])[0], 1.5, 1e-6);
  /* Evaluation uses them: (1 − 0.45)/√(1.5 + 1e-5). */
  y = cs_nn_net_forward (net, x, 1, FALSE);
  g_assert_cmpfloat_with_epsilon (y[0], 0.55 / sqrt (1.5 + 1e-5), 1e-5);
  grad_check (net, 3, FALSE, FALSE, 7);
}

static void
test_linear (void)
{
  g_autoptr(CsNnNet) net = cs_nn_net_new (2, 2, 2);

  cs_nn_net_add_linear (net, 5, TRUE);
  grad_check (net, 3, TRUE, FALSE, 8);
}

static void
test_activations (void)
{
  const CsNnKind kinds[] = { CS_NN_RELU, CS_NN_LEAKY_RELU, CS_NN_TANH, CS_NN_SIGMOID };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(CsNnNet) net = cs_nn_net_new (2, 3, 3);

      cs_nn_net_add (net, kinds[k]);
      grad_check (net, 2, TRUE, TRUE, 9 + k);
    }
  {
    g_autoptr(CsNnNet) net = cs_nn_net_new (1, 1, 4);
    const float x[4] = { -2, -0.5f, 0.5f, 3 };
    const float *y;

    cs_nn_net_add (net, CS_NN_LEAKY_RELU);
    y = cs_nn_net_forward (net, x, 1, TRUE);
    g_assert_cmpfloat (y[0], ==, -0.4f);
    g_assert_cmpfloat (y[3], ==, 3.0f);
  }
}

/* A small encoder as the VAE and discriminator chain them. */
static void
test_stack (void)
{
  g_autoptr(CsNnNet) net = cs_nn_net_new (3, 8, 8);

  cs_nn_net_add_conv (net, 4, 4, 2, 1, FALSE);
  cs_nn_net_add_batchnorm (net);
  cs_nn_net_add (net, CS_NN_TANH);
  cs_nn_net_add_conv (net, 4, 4, 2, 1, FALSE);
  cs_nn_net_add_view (net, 4 * 2 * 2, 1, 1);
  cs_nn_net_add_linear (net, 3, TRUE);
  cs_nn_net_add_view (net, 3, 1, 1);
  cs_nn_net_add_convt (net, 2, 4, 1, 0, TRUE);
  cs_nn_net_add (net, CS_NN_SIGMOID);
  grad_check (net, 3, TRUE, FALSE, 20);
}

static double
loss_fd (double (*f) (const float *, const float *, gsize, gsize, float *),
         float *a, const float *b, gsize i)
{
  float keep = a[i];
  double p, m;

  a[i] = keep + H;
  p = f (a, b, 2, 3, NULL);
  a[i] = keep - H;
  m = f (a, b, 2, 3, NULL);
  a[i] = keep;
  return (p - m) / (2 * H);
}

static void
test_losses (void)
{
  float z[6] = { -3, -0.5f, 0, 0.2f, 1, 4 };
  float t[6] = { 0, 1, 1, 0, 1, 0.25f };
  float g[6], mu[6] = { 0.5f, -1, 0, 2, 0.1f, -0.3f }, lv[6] = { 0, -1, 0.5f, 0.2f, -2, 1 };
  float gm[6], gl[6];
  double v;

  /* One value by hand: z = 0, t = 1 → log 2; z = 4, t = 0.25 → 4 − 1 + log(1 + e^−4). */
  v = cs_nn_bce_with_logits (z + 2, t + 2, 1, 1, NULL);
  g_assert_cmpfloat_with_epsilon (v, log (2.0), 1e-12);
  v = cs_nn_bce_with_logits (z + 5, t + 5, 1, 1, NULL);
  g_assert_cmpfloat_with_epsilon (v, 4 - 1 + log1p (exp (-4.0)), 1e-12);

  cs_nn_bce_with_logits (z, t, 2, 3, g);
  for (gsize i = 0; i < 6; i++)
    assert_close (g[i], loss_fd (cs_nn_bce_with_logits, z, t, i), "bce", i);
  cs_nn_bce_sum (z, t, 2, 3, g);
  for (gsize i = 0; i < 6; i++)
    assert_close (g[i], loss_fd (cs_nn_bce_sum, z, t, i), "bce-sum", i);
  /* MSE: Σ over the batch of squared errors / n. */
  v = cs_nn_mse_sum (z, t, 2, 3, g);
  g_assert_cmpfloat_with_epsilon (v, (9 + 2.25 + 1 + 0.04 + 0 + 14.0625) / 2, 1e-6);
  for (gsize i = 0; i < 6; i++)
    assert_close (g[i], loss_fd (cs_nn_mse_sum, z, t, i), "mse", i);

  /* KL of N(0.5, 1) alone: ½·0.25 = 0.125 */
  v = cs_nn_kl_gaussian (mu, lv, 1, 1, NULL, NULL);
  g_assert_cmpfloat_with_epsilon (v, 0.125, 1e-9);
  cs_nn_kl_gaussian (mu, lv, 2, 3, gm, gl);
  for (gsize i = 0; i < 6; i++)
    {
      float keep = mu[i];
      double p, m;

      mu[i] = keep + H; p = cs_nn_kl_gaussian (mu, lv, 2, 3, NULL, NULL);
      mu[i] = keep - H; m = cs_nn_kl_gaussian (mu, lv, 2, 3, NULL, NULL);
      mu[i] = keep;
      assert_close (gm[i], (p - m) / (2 * H), "kl mu", i);
      keep = lv[i];
      lv[i] = keep + H; p = cs_nn_kl_gaussian (mu, lv, 2, 3, NULL, NULL);
      lv[i] = keep - H; m = cs_nn_kl_gaussian (mu, lv, 2, 3, NULL, NULL);
      lv[i] = keep;
      assert_close (gl[i], (p - m) / (2 * H), "kl logvar", i);
    }
}

/* f(w) = Σ (w − c)², gradient 2(w − c). */
static void
test_adam (void)
{
  CsNnParam p = { 0 };
  float w[2] = { 0, 0 }, g[2], m[2] = { 0 }, v[2] = { 0 };
  const float c[2] = { 1, -3 };
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  CsNnAdam adam;
  double m0, v0, m1, v1, w0, w1, g0, g1;

  p.n = 2; p.w = w; p.g = g; p.m = m; p.v = v;
  g_ptr_array_add (params, &p);
  cs_nn_adam_init (&adam, 0.1f, 0.9f, 0.999f, 1e-8f);

  /* Step 1: m̂ = g, v̂ = g², so w moves by lr·g/(|g| + ε) ≈ 0.1 towards c. */
  for (int i = 0; i < 2; i++)
    g[i] = 2 * (w[i] - c[i]);
  cs_nn_adam_step (&adam, params);
  g_assert_cmpfloat_with_epsilon (w[0], 0.1, 1e-6);
  g_assert_cmpfloat_with_epsilon (w[1], -0.1, 1e-6);

  /* Step 2 by hand for w[0]: g0 = −2 then g1 = 2(0.1 − 1) = −1.8. */
  g0 = -2; g1 = -1.8;
  m0 = 0.1 * g0; v0 = 0.001 * g0 * g0;
  m1 = 0.9 * m0 + 0.1 * g1; v1 = 0.999 * v0 + 0.001 * g1 * g1;
  w0 = 0.1;
  w1 = w0 - 0.1 / (1 - 0.81) * m1 / (sqrt (v1) / sqrt (1 - 0.999 * 0.999) + 1e-8);
  for (int i = 0; i < 2; i++)
    g[i] = 2 * (w[i] - c[i]);
  cs_nn_adam_step (&adam, params);
  g_assert_cmpfloat_with_epsilon (w[0], w1, 1e-6);

  /* It converges to the minimum. */
  for (int s = 0; s < 2000; s++)
    {
      for (int i = 0; i < 2; i++)
        g[i] = 2 * (w[i] - c[i]);
      cs_nn_adam_step (&adam, params);
    }
  g_assert_cmpfloat_with_epsilon (w[0], 1.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (w[1], -3.0, 1e-3);
}

static void
test_rng (void)
{
  CsNnRng a, b;
  double sum = 0, sq = 0;

  cs_nn_rng_init (&a, 42);
  cs_nn_rng_init (&b, 42);
  for (int i = 0; i < 100; i++)
    g_assert_cmpuint (cs_nn_rng_next (&a), ==, cs_nn_rng_next (&b));
  for (int i = 0; i < 100000; i++)
    {
      float v = cs_nn_rng_normal (&a, 0, 0.02f);

      sum += v;
      sq += (double) v * v;
    }
  /* N(0, 0.02²): the mean's standard error is 0.02/√1e5 ≈ 6e-5. */
  g_assert_cmpfloat (fabs (sum / 1e5), <, 3e-4);
  g_assert_cmpfloat_with_epsilon (sqrt (sq / 1e5), 0.02, 3e-4);
}

/* The condition layer: one-hot planes by hand, then gradients through it
 * into a convolution (image-side, as D and the encoder use it) and into a
 * linear layer on [z, onehot] (as the decoder uses it). */
static void
test_condition (void)
{
  const int labels[3] = { 1, 0, 7 };   /* 7 is out of range: no class */

  {
    g_autoptr(CsNnNet) net = cs_nn_net_new (1, 2, 2);
    const float x[3 * 4] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
    /* Sample s: its 4 values, then plane 0 and plane 1 of 2 × 2. */
    const float expected[3 * 12] = { 1, 2, 3, 4,  0, 0, 0, 0,  1, 1, 1, 1,
                                     5, 6, 7, 8,  1, 1, 1, 1,  0, 0, 0, 0,
                                     9, 10, 11, 12,  0, 0, 0, 0,  0, 0, 0, 0 };
    const float *y;

    cs_nn_net_add_condition (net, 2, 1.0f);
    g_assert_cmpuint (cs_nn_net_out_size (net), ==, 12);
    cs_nn_net_set_labels (net, labels);
    y = cs_nn_net_forward (net, x, 3, TRUE);
    g_assert_cmpmem (y, sizeof expected, expected, sizeof expected);
  }
  {
    g_autoptr(CsNnNet) net = cs_nn_net_new (2, 5, 5);

    cs_nn_net_add_condition (net, 3, 1.0f);
    cs_nn_net_add_conv (net, 3, 4, 2, 1, TRUE);
    cs_nn_net_set_labels (net, labels);
    grad_check (net, 3, TRUE, FALSE, 31);
  }
  {
    g_autoptr(CsNnNet) net = cs_nn_net_new (4, 1, 1);

    cs_nn_net_add_condition (net, 3, 2.0f);
    cs_nn_net_add_linear (net, 6, TRUE);
    cs_nn_net_add (net, CS_NN_TANH);
    cs_nn_net_set_labels (net, labels);
    grad_check (net, 3, TRUE, FALSE, 32);
  }
  {
    g_autoptr(CsNnNet) net = cs_nn_net_new (4, 1, 1);

    cs_nn_net_add_condition (net, 2, 2.0f);
    cs_nn_net_add_convt (net, 3, 4, 1, 0, FALSE);
    cs_nn_net_add_batchnorm (net);
    cs_nn_net_set_labels (net, labels);
    grad_check (net, 3, TRUE, FALSE, 33);
  }
}

/* What cs_nn_net_memory() counts is what the net allocates, and by hand for
 * a small convolution; an allocation over $CS_MEMORY_AVAILABLE fails
 * without aborting. */
static void
test_memory (void)
{
  guint64 before = cs_nn_memory_in_use ();
  CsNnNet *net;
  const float *y;
  g_autofree float *x = g_new0 (float, 64 * 16);
  g_autofree char *limit = NULL;

  if (cs_nn_get_splits () != 2)
    {
      g_test_skip ("the count below assumes the default of two splits");
      return;
    }
  net = cs_nn_net_new (1, 4, 4);
  cs_nn_net_add_conv (net, 2, 3, 1, 1, FALSE);
  /* Weights 2·1·3·3 = 18 floats, times 4 (w, g, m, v) = 72. Two samples:
   * output 2·(2·16) = 64, input gradient 2·16 = 32. Two splits of one
   * sample: columns 9·16 = 144 and channel-major copy 2·16 = 32 each, and
   * a weight gradient of 18 each: 2·(144 + 32 + 18) = 388. 556 floats. */
  g_assert_cmpuint (cs_nn_net_memory (net, 2, TRUE), ==, 556 * sizeof (float));
  g_assert_true (cs_nn_net_reserve (net, 2, TRUE));
  g_assert_cmpuint (cs_nn_memory_in_use () - before, ==, 556 * sizeof (float));

  /* Room for nothing more: a batch of 64 cannot be allocated, and says so
   * by returning NULL instead of aborting. */
  limit = g_strdup_printf ("%" G_GUINT64_FORMAT, cs_nn_memory_in_use () + 100);
  g_setenv ("CS_MEMORY_AVAILABLE", limit, TRUE);
  y = cs_nn_net_forward (net, x, 64, TRUE);
  g_assert_null (y);
  /* The reserved batch still runs. */
  g_assert_nonnull (cs_nn_net_forward (net, x, 2, TRUE));
  g_unsetenv ("CS_MEMORY_AVAILABLE");
  g_assert_nonnull (cs_nn_net_forward (net, x, 64, TRUE));
  cs_nn_net_free (net);
  g_assert_cmpuint (cs_nn_memory_in_use (), ==, before);

  /* The K, M and G suffixes. */
  g_setenv ("CS_MEMORY_AVAILABLE", "3M", TRUE);
  g_assert_cmpuint (cs_nn_memory_limit (), ==, 3 << 20);
  g_setenv ("CS_MEMORY_AVAILABLE", "2G", TRUE);
  g_assert_cmpuint (cs_nn_memory_limit (), ==, G_GUINT64_CONSTANT (2) << 30);
  g_unsetenv ("CS_MEMORY_AVAILABLE");
}

/* Same weights and inputs give the same output with 1 or 2 workers. */
static void
test_threads_identical (void)
{
  float out[2][4 * 3 * 4 * 4];

  for (int run = 0; run < 2; run++)
    {
      g_autoptr(CsNnNet) net = cs_nn_net_new (3, 8, 8);
      CsNnRng rng;
      float x[4 * 3 * 64];

      g_setenv ("CS_NUM_THREADS", run == 0 ? "1" : "2", TRUE);
      cs_nn_net_add_conv (net, 3, 4, 2, 1, FALSE);
      cs_nn_rng_init (&rng, 77);
      cs_nn_net_init (net, CS_NN_INIT_DCGAN, &rng);
      cs_nn_rng_fill_normal (&rng, x, G_N_ELEMENTS (x), 0, 1);
      memcpy (out[run], cs_nn_net_forward (net, x, 4, TRUE), sizeof out[run]);
    }
  g_unsetenv ("CS_NUM_THREADS");
  g_assert_cmpmem (out[0], sizeof out[0], out[1], sizeof out[1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/conv", test_conv);
  g_test_add_func ("/nn/condition", test_condition);
  g_test_add_func ("/nn/memory", test_memory);
  g_test_add_func ("/nn/conv-dcgan-shape", test_conv_dcgan_shape);
  g_test_add_func ("/nn/convt", test_convt);
  g_test_add_func ("/nn/convt-from-vector", test_convt_from_vector);
  g_test_add_func ("/nn/convt-adjoint", test_convt_adjoint);
  g_test_add_func ("/nn/batchnorm-train", test_batchnorm_train);
  g_test_add_func ("/nn/batchnorm-eval", test_batchnorm_eval);
  g_test_add_func ("/nn/linear", test_linear);
  g_test_add_func ("/nn/activations", test_activations);
  g_test_add_func ("/nn/stack", test_stack);
  g_test_add_func ("/nn/losses", test_losses);
  g_test_add_func ("/nn/adam", test_adam);
  g_test_add_func ("/nn/rng", test_rng);
  g_test_add_func ("/nn/threads-identical", test_threads_identical);
  return g_test_run ();
}
