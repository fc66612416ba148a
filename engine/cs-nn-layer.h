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
 * - Condition (K classes, value a): appends K constant planes to the input,
 *   the one-hot code of the sample's class (times a) broadcast over H × W:
 *   output channel C + k of sample s is a everywhere when labels[s] = k,
 *   else 0 (a label outside 0 … K−1 gives K planes of 0). C × H × W → (C + K) × H × W; on a
 *   1 × 1 input (a latent vector) this is the concatenation [z, onehot].
 *   The planes are constants, so backward passes only the first C channels'
 *   gradient on; the following layer learns the class's weights. Labels are
 *   set per forward with cs_nn_net_set_labels().
 *
 * Work split: the batch is cut into CS_NN_SPLITS parts (2, or $CS_NN_SPLITS),
 * run on cs_parallel_for's workers with OpenBLAS single-threaded; weight
 * gradients are summed per part and then in part order, so the results do
 * not depend on how many threads ran them. CS_NN_SPLITS=1 instead runs each
 * layer as one SGEMM and leaves threads to OpenBLAS (docs/GENERATE.md
 * compares the two).
 *
 * Memory: parameters, activations and scratch are allocated with
 * g_try_malloc (never aborting); forward() and backward() return NULL when a
 * buffer cannot be allocated, and the caller says what to do. The total in
 * use is counted, and $CS_MEMORY_AVAILABLE (bytes, or with a K, M or G
 * suffix) caps it, so tests can play a machine with little memory.
 * cs_nn_net_memory() gives the bytes a net needs for a batch, exactly what
 * cs_nn_net_reserve() allocates up front (forward and backward then allocate
 * nothing more for batches up to that size).
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
  CS_NN_CONDITION,
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
/* The same, but only shapes: nothing is allocated, forward is refused; for
 * cs_nn_net_memory() before deciding to build the real one. */
CsNnNet     *cs_nn_net_new_dry        (int          c,
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
void         cs_nn_net_add_condition  (CsNnNet     *net,
                                       int          n_classes,
                                       float        value);
/* The class of each sample of the next forward() calls (borrowed, at least
 * n entries); NULL: no class. */
void         cs_nn_net_set_labels     (CsNnNet     *net,
                                       const int   *labels);

/* FALSE for a dry net or when a parameter could not be allocated. */
gboolean     cs_nn_net_allocated      (CsNnNet     *net);
/* Bytes of parameters (weights, gradients, Adam moments), activations and
 * scratch for batches of @n, with weight-gradient scratch when @train. */
guint64      cs_nn_net_memory         (CsNnNet     *net,
                                       int          n,
                                       gboolean     train);
/* Allocates what cs_nn_net_memory() counts; FALSE when it cannot. */
gboolean     cs_nn_net_reserve        (CsNnNet     *net,
                                       int          n,
                                       gboolean     train);
/* $CS_MEMORY_AVAILABLE in bytes (0: not set) and the bytes the module's
 * buffers hold now. */
guint64      cs_nn_memory_limit       (void);
guint64      cs_nn_memory_in_use      (void);

/* Weights from @rng, in layer order (an allocated net only). */
void         cs_nn_net_init           (CsNnNet     *net,
                                       CsNnInit     init,
                                       CsNnRng     *rng);

/* Runs @n samples; returns the last layer's output (owned by @net, valid
 * until the next forward), or NULL when memory ran out. @train selects
 * batch-norm's mode. */
const float *cs_nn_net_forward        (CsNnNet     *net,
                                       const float *x,
                                       int          n,
                                       gboolean     train);
/* Back-propagates @dy (the gradient of the loss with respect to the last
 * forward's output). Adds to the parameters' gradients when @param_grads;
 * returns the gradient with respect to the input (owned by @net), or NULL
 * when memory ran out. */
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
