/* cs-nn-layer.h: the layers of the small neural networks (VAE, DCGAN).
 *
 * Tensors are float32 in NCHW order: sample n, channel c, row y, column x at
 * ((n·C + c)·H + y)·W + x. A CsNnNet is a sequence of layers; every layer
 * keeps its output (and its input's gradient) in buffers sized for the last
 * batch, so forward() and backward() allocate only when the batch grows.
 *
 * - Conv (weight C_out × C_in × k × k, optional bias):
 *   y[o, p] = b[o] + Σ_{i,ky,kx} w[o,i,ky,kx] · x[i, s·p + k − pad], computed
 *   as W · im2col(x) with one SGEMM per split of the batch.
 * - ConvT, the transposed convolution (weight C_in × C_out × k × k, PyTorch's
 *   layout): the gradient of Conv with respect to its input, so
 *   y = col2im(Wᵀ · x); output size (H − 1)·s − 2·pad + k.
 * - BatchNorm over N·H·W per channel: training mode normalises with the
 *   batch's mean and biased variance (ε = 1e-5) and updates running
 *   statistics with momentum 0.1 and the unbiased variance, as PyTorch does;
 *   evaluation mode uses the running statistics.
 * - Linear on the sample's C·H·W values: y = W x + b (W is out × in).
 * - ReLU, LeakyReLU(0.2), tanh, sigmoid; View changes the per-sample shape
 *   without touching data (Linear → C×H×W).
 *
 * Work split: the batch is cut into CS_NN_SPLITS parts (2, or $CS_NN_SPLITS),
 * run on cs_parallel_for's workers with OpenBLAS single-threaded; weight
 * gradients are summed per part and then in part order, so the results do
 * not depend on how many threads ran them. CS_NN_SPLITS=1 instead runs each
 * layer as one SGEMM and leaves threads to OpenBLAS (docs/GENERATE.md
 * compares the two).
 *
 * Initialisation follows DCGAN (weights N(0, 0.02), batch-norm scale
 * N(1, 0.02), shift 0) or He (N(0, 2/fan_in)), always from a CsNnRng.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cs-nn-rng.h"

G_BEGIN_DECLS

typedef enum
{
  CS_NN_CONV,
  CS_NN_CONVT,
  CS_NN_BATCHNORM,
  CS_NN_LINEAR,
  CS_NN_RELU,
  CS_NN_LEAKY_RELU,
  CS_NN_TANH,
  CS_NN_SIGMOID,
  CS_NN_VIEW,
} CsNnKind;

typedef enum
{
  CS_NN_INIT_DCGAN,   /* N(0, 0.02); batch-norm scale N(1, 0.02) */
  CS_NN_INIT_HE,      /* N(0, 2 / fan_in); batch-norm scale 1 */
} CsNnInit;

/* A trainable array with its gradient and Adam moments. */
typedef struct
{
  gsize  n;
  float *w;
  float *g;
  float *m;
  float *v;
} CsNnParam;

typedef struct _CsNnLayer CsNnLayer;
typedef struct _CsNnNet CsNnNet;

/* A network whose input has @c × @h × @w values per sample. */
CsNnNet     *cs_nn_net_new            (int          c,
                                       int          h,
                                       int          w);
void         cs_nn_net_free           (CsNnNet     *net);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsNnNet, cs_nn_net_free)

/* Layers are appended; each takes the previous output's shape. */
void         cs_nn_net_add_conv       (CsNnNet     *net,
                                       int          c_out,
                                       int          k,
                                       int          stride,
                                       int          pad,
                                       gboolean     bias);
void         cs_nn_net_add_convt      (CsNnNet     *net,
                                       int          c_out,
                                       int          k,
                                       int          stride,
                                       int          pad,
                                       gboolean     bias);
void         cs_nn_net_add_batchnorm  (CsNnNet     *net);
void         cs_nn_net_add_linear     (CsNnNet     *net,
                                       int          out,
                                       gboolean     bias);
void         cs_nn_net_add            (CsNnNet     *net,
                                       CsNnKind     kind);  /* activations */
void         cs_nn_net_add_view       (CsNnNet     *net,
                                       int          c,
                                       int          h,
                                       int          w);

/* Weights from @rng, in layer order. */
void         cs_nn_net_init           (CsNnNet     *net,
                                       CsNnInit     init,
                                       CsNnRng     *rng);

/* Runs @n samples; returns the last layer's output (owned by @net, valid
 * until the next forward). @train selects batch-norm's mode. */
const float *cs_nn_net_forward        (CsNnNet     *net,
                                       const float *x,
                                       int          n,
                                       gboolean     train);
/* Back-propagates @dy (the gradient of the loss with respect to the last
 * forward's output). Adds to the parameters' gradients when @param_grads;
 * returns the gradient with respect to the input (owned by @net). */
const float *cs_nn_net_backward       (CsNnNet     *net,
                                       const float *dy,
                                       gboolean     param_grads);
void         cs_nn_net_zero_grad      (CsNnNet     *net);

/* Per-sample output size (C·H·W) and shape. */
gsize        cs_nn_net_out_size       (CsNnNet     *net);
void         cs_nn_net_out_shape      (CsNnNet     *net,
                                       int         *c,
                                       int         *h,
                                       int         *w);
gsize        cs_nn_net_in_size        (CsNnNet     *net);

/* Every trainable array (weights, biases, batch-norm scale and shift), in
 * layer order; borrowed. */
GPtrArray   *cs_nn_net_params         (CsNnNet     *net);
/* The batch-norm running means and variances, in layer order: arrays of
 * @n floats each, borrowed. For checkpoints. */
GPtrArray   *cs_nn_net_buffers        (CsNnNet     *net,
                                       GArray      *sizes);
guint        cs_nn_net_n_layers       (CsNnNet     *net);
CsNnLayer   *cs_nn_net_layer          (CsNnNet     *net,
                                       guint        i);
CsNnKind     cs_nn_layer_kind         (CsNnLayer   *layer);
/* The layer's weight (and bias, or NULL) for tests. */
CsNnParam   *cs_nn_layer_weight       (CsNnLayer   *layer);
CsNnParam   *cs_nn_layer_bias         (CsNnLayer   *layer);

/* Number of batch splits (see above). */
int          cs_nn_get_splits         (void);

G_END_DECLS
