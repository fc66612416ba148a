/* cs-clf-rbf-svm.c: C-SVC with an RBF kernel through libsvm.
 *
 * K(a, b) = exp (−gamma · |a − b|²). gamma "scale" (the default) is
 * 1 / (F · Var(X)) with Var over all n × F entries of the training matrix,
 * zeros included (scikit-learn's definition); a number is used as given.
 * Probabilities are libsvm's (Platt scaling fitted by an internal 5-fold
 * cross-validation; pairwise coupling for three classes). libsvm draws those
 * folds with rand(), seeded with the run's seed before each fit.
 * Settings: C (1), gamma (scale), tol (1e-3), cache_mb (200), gram_mb (auto).
 *
 * The kernel matrix. libsvm computes kernel values as its solver asks for
 * them, each a sparse dot product of two rows, and asks for the same ones
 * many times over: once in each of the three one-against-one problems and
 * again in each of the five fits of the Platt cross-validation, at every
 * one of them after its cache lets them go. When the n × n matrix fits in
 * gram_mb (auto: a quarter of the computer's memory; 0: never), we compute
 * it once, in parallel, and hand it to libsvm as a PRECOMPUTED kernel: the
 * solver then reads K(i, j) where it would have computed it. The values are
 * libsvm's own, to the bit (exp (−gamma · (|a|² + |b|² − 2 a·b)), the dot
 * products summed in the same column order), so the solver takes the same
 * steps to the same model; only the work is done once. libsvm wants the
 * matrix as svm_node rows (16 bytes a value): 650 MB for 6,361 rows, 1.4 MB
 * for a shop's 300 clips. After training only the support vectors' feature
 * rows are kept, and a new row's kernel values against them are computed
 * from its features.
 *
 * For a number (cs-classifier.h): epsilon-SVR (as scikit-learn's SVR) with
 * the same kernel and settings plus epsilon (0.1, on the standardised
 * target); no probabilities, its one output is libsvm's prediction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsvm/svm.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs-classifier.h"
#include "cs-error.h"
#include "cs-memory.h"
#include "cs-parallel.h"

#define GRAM_ROWS_PER_CHUNK 16

typedef struct
{
  double            c, tol, cache_mb, epsilon;
  double            gamma;      /* ≤ 0: "scale" */
  double            gamma_used;
  double            gram_mb;    /* < 0: auto */
  struct svm_model *model;
  struct svm_node  *train_nodes; /* libsvm keeps pointers into the training rows */
  struct svm_node **train_rows;
  /* Precomputed kernel: the support vectors' feature rows, their squared
   * norms, and the serial-number nodes model->SV points at instead of the
   * matrix rows (svm_node {0, serial}, {-1}); NULL otherwise. */
  CsCsr            *sv;
  double           *sv_square;
  struct svm_node  *sv_serials;
  double           *train_y;
  int              *labels;
  int               n_labels;
} RbfSvm;

static void
quiet (const char *text)
{
}

static struct svm_node **
to_nodes (const CsCsr      *x,
          gint32            n_cols,
          struct svm_node **buffer)
{
  struct svm_node **rows = g_new (struct svm_node *, MAX (x->n_rows, 1));
  struct svm_node *node;

  node = *buffer = g_new (struct svm_node, (gsize) x->row_ptr[x->n_rows] + x->n_rows + 1);
  for (gint32 i = 0; i < x->n_rows; i++)
    {
      rows[i] = node;
      for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
        if (x->col_idx[k] < n_cols)
          {
            node->index = x->col_idx[k] + 1;
            node->value = x->values[k];
            node++;
          }
      node->index = -1;
      node++;
    }
  return rows;
}

static void
release (RbfSvm *svm)
{
  if (svm->model)
    svm_free_and_destroy_model (&svm->model);
  g_clear_pointer (&svm->train_nodes, g_free);
  g_clear_pointer (&svm->train_rows, g_free);
  g_clear_pointer (&svm->train_y, g_free);
  g_clear_pointer (&svm->labels, g_free);
  g_clear_pointer (&svm->sv, cs_csr_free);
  g_clear_pointer (&svm->sv_square, g_free);
  g_clear_pointer (&svm->sv_serials, g_free);
}

/* Σ x², summed in column order as libsvm's dot (x, x). */
static double
row_square (const CsCsr *x,
            gint32       row)
{
  double sum = 0;

  for (gint32 k = x->row_ptr[row]; k < x->row_ptr[row + 1]; k++)
    sum += (double) x->values[k] * x->values[k];
  return sum;
}

/* K(a, b) = exp (−gamma · (|a|² + |b|² − 2 a·b)) for row @b of @rows, with
 * @a scattered into @dense (zero elsewhere). Row b's products are added in
 * its column order; where @a has no value the product is +0, which leaves
 * the sum as it was, so the dot product is libsvm's sum to the bit. */
static double
rbf_kernel (const CsCsr  *rows,
            gint32        b,
            const double *dense,
            double        square_a,
            double        square_b,
            double        gamma)
{
  double dot = 0;

  for (gint32 k = rows->row_ptr[b]; k < rows->row_ptr[b + 1]; k++)
    dot += (double) rows->values[k] * dense[rows->col_idx[k]];
  return exp (-gamma * (square_a + square_b - 2 * dot));
}

typedef struct
{
  const CsCsr     *x;
  const double    *square;
  double          *dense;   /* a row of n_cols per worker, zero between rows */
  struct svm_node *nodes;
  double           gamma;
} GramData;

/* Row i of the upper triangle and its mirror: K(i, j) for j ≥ i. */
static void
gram_rows (gint64   start,
           gint64   end,
           guint    worker,
           gpointer user_data)
{
  GramData *d = user_data;
  const CsCsr *x = d->x;
  gsize stride = (gsize) x->n_rows + 2;
  double *dense = d->dense + (gsize) worker * x->n_cols;

  for (gint32 i = start; i < end; i++)
    {
      for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
        dense[x->col_idx[k]] = x->values[k];
      for (gint32 j = i; j < x->n_rows; j++)
        {
          double value = rbf_kernel (x, j, dense, d->square[i], d->square[j], d->gamma);

          d->nodes[i * stride + 1 + j].value = value;
          d->nodes[j * stride + 1 + i].value = value;
        }
      for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
        dense[x->col_idx[k]] = 0;
    }
}

static guint64
gram_budget (RbfSvm *svm)
{
  if (svm->gram_mb >= 0)
    return (guint64) (svm->gram_mb * 1e6);
  return cs_memory_get_physical () / 4;
}

/* The n × n kernel matrix as libsvm's PRECOMPUTED rows: node 0 holds the
 * row's serial number (1-based), node j + 1 holds K(row, j), then the end
 * marker. NULL when it would not fit the budget or in memory. */
static struct svm_node *
gram_nodes (RbfSvm      *svm,
            const CsCsr *x)
{
  gsize n = x->n_rows, stride = n + 2;
  guint64 bytes = (guint64) n * stride * sizeof (struct svm_node);
  g_autofree double *square = NULL;
  g_autofree double *dense = NULL;
  struct svm_node *nodes;
  GramData data;

  if (n == 0 || bytes > gram_budget (svm) || (gsize) bytes != bytes)
    return NULL;
  nodes = g_try_malloc (bytes);
  if (nodes == NULL)
    return NULL;
  square = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    {
      square[i] = row_square (x, i);
      nodes[i * stride].index = 0;
      nodes[i * stride].value = i + 1;
      for (gsize j = 0; j < n; j++)
        nodes[i * stride + 1 + j].index = j + 1;
      nodes[i * stride + n + 1].index = -1;
      nodes[i * stride + n + 1].value = 0;
    }
  dense = g_new0 (double, (gsize) MAX (x->n_cols, 1) *
                  cs_parallel_get_n_workers (n, GRAM_ROWS_PER_CHUNK));
  data = (GramData) { x, square, dense, nodes, svm->gamma_used };
  cs_parallel_for (n, GRAM_ROWS_PER_CHUNK, gram_rows, &data, NULL);
  return nodes;
}

/* After training on the matrix: keeps the support vectors' feature rows and
 * points the model at serial-number nodes, so the matrix can go. */
static void
keep_support_vectors (RbfSvm      *svm,
                      const CsCsr *x)
{
  struct svm_model *model = svm->model;
  g_autofree gint32 *rows = g_new (gint32, MAX (model->l, 1));

  svm->sv_serials = g_new (struct svm_node, 2 * (gsize) MAX (model->l, 1));
  svm->sv_square = g_new (double, MAX (model->l, 1));
  for (int k = 0; k < model->l; k++)
    {
      rows[k] = model->sv_indices[k] - 1;
      svm->sv_serials[2 * k] = (struct svm_node) { 0, k + 1 };
      svm->sv_serials[2 * k + 1] = (struct svm_node) { -1, 0 };
      model->SV[k] = &svm->sv_serials[2 * k];
      svm->sv_square[k] = row_square (x, rows[k]);
    }
  svm->sv = cs_csr_select_rows (x, rows, model->l);
}

/* Takes @y (classes or the standardised target, one per row). */
static gboolean
train_svm (CsClassifier  *self,
           const CsCsr   *x,
           double        *y,
           GError       **error)
{
  RbfSvm *svm = self->state;
  struct svm_problem prob = { 0 };
  struct svm_parameter param = { 0 };
  const char *problem;
  gboolean precomputed;

  release (svm);
  svm->train_y = y;

  svm->gamma_used = svm->gamma;
  if (svm->gamma <= 0)
    {
      double sum = 0, sum2 = 0, n = (double) x->n_rows * x->n_cols, var;

      for (gint32 k = 0; k < x->row_ptr[x->n_rows]; k++)
        {
          sum += x->values[k];
          sum2 += (double) x->values[k] * x->values[k];
        }
      var = sum2 / n - (sum / n) * (sum / n);
      svm->gamma_used = var > 0 ? 1.0 / (x->n_cols * var) : 1.0;
    }

  svm->train_nodes = gram_nodes (svm, x);
  precomputed = svm->train_nodes != NULL;
  if (precomputed)
    {
      gsize stride = (gsize) x->n_rows + 2;

      svm->train_rows = g_new (struct svm_node *, x->n_rows);
      for (gint32 i = 0; i < x->n_rows; i++)
        svm->train_rows[i] = svm->train_nodes + i * stride;
    }
  else
    svm->train_rows = to_nodes (x, x->n_cols, &svm->train_nodes);

  prob.l = x->n_rows;
  prob.y = svm->train_y;
  prob.x = svm->train_rows;
  param.svm_type = self->regression ? EPSILON_SVR : C_SVC;
  param.kernel_type = precomputed ? PRECOMPUTED : RBF;
  param.gamma = svm->gamma_used;
  param.cache_size = svm->cache_mb;
  param.eps = svm->tol;
  param.C = svm->c;
  param.p = svm->epsilon;
  param.shrinking = 1;
  param.probability = !self->regression;

  problem = svm_check_parameter (&prob, &param);
  if (problem != NULL)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("libsvm refused the settings of %s: %s"), self->name, problem);
      return FALSE;
    }
  svm_set_print_string_function (quiet);
  srand ((unsigned) self->seed);
  svm->model = svm_train (&prob, &param);
  if (precomputed)
    {
      keep_support_vectors (svm, x);
      g_clear_pointer (&svm->train_nodes, g_free);
      g_clear_pointer (&svm->train_rows, g_free);
    }
  if (self->regression)
    return TRUE;
  svm->n_labels = svm_get_nr_class (svm->model);
  svm->labels = g_new (int, svm->n_labels);
  svm_get_labels (svm->model, svm->labels);
  return TRUE;
}

static gboolean
svm_fit (CsClassifier  *self,
         const CsCsr   *x,
         const guint   *y,
         GError       **error)
{
  double *labels = g_new (double, MAX (x->n_rows, 1));

  for (gint32 i = 0; i < x->n_rows; i++)
    labels[i] = y[i];
  return train_svm (self, x, labels, error);
}

static gboolean
svm_fit_values (CsClassifier  *self,
                const CsCsr   *x,
                const double  *y,
                GError       **error)
{
  return train_svm (self, x, g_memdup2 (y, MAX (x->n_rows, 1) * sizeof (double)), error);
}

/* One row's outputs into @p: the class probabilities, or the regression's
 * one number. */
static void
predict_row (CsClassifier          *self,
             const struct svm_node *row,
             double                *out,
             double                *p)
{
  RbfSvm *svm = self->state;

  if (self->regression)
    {
      *p = svm_predict (svm->model, row);
      return;
    }
  memset (p, 0, self->n_classes * sizeof (double));
  if (svm->n_labels == 1)
    {
      p[svm->labels[0]] = 1.0;
      return;
    }
  svm_predict_probability (svm->model, row, out);
  for (int l = 0; l < svm->n_labels; l++)
    p[svm->labels[l]] = out[l];
}

typedef struct
{
  CsClassifier    *self;
  const CsCsr     *x;
  double          *proba;
  double          *dense;  /* n_cols per worker */
  struct svm_node *rows;   /* n_sv + 2 per worker */
  double          *out;    /* n_labels per worker */
} PredictData;

/* Rows of a model trained on the kernel matrix: each row's kernel values
 * against the support vectors, K(x, sv_k) in node k + 1 where model->SV[k]
 * says to look, then libsvm's prediction from them. */
static void
predict_precomputed_rows (gint64   start,
                          gint64   end,
                          guint    worker,
                          gpointer user_data)
{
  PredictData *d = user_data;
  CsClassifier *self = d->self;
  RbfSvm *svm = self->state;
  const CsCsr *x = d->x, *sv = svm->sv;
  double *dense = d->dense + (gsize) worker * self->n_cols;
  struct svm_node *row = d->rows + (gsize) worker * (sv->n_rows + 2);
  double *out = d->out + (gsize) worker * MAX (svm->n_labels, 1);

  for (gint32 i = start; i < end; i++)
    {
      double square = 0;

      for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
        if (x->col_idx[k] < self->n_cols)
          {
            dense[x->col_idx[k]] = x->values[k];
            square += (double) x->values[k] * x->values[k];
          }
      for (gint32 s = 0; s < sv->n_rows; s++)
        row[s + 1] = (struct svm_node) {
          s + 1, rbf_kernel (sv, s, dense, square, svm->sv_square[s], svm->gamma_used),
        };
      row[0] = (struct svm_node) { 0, 0 };
      row[sv->n_rows + 1] = (struct svm_node) { -1, 0 };
      predict_row (self, row, out, d->proba + (gsize) i * self->n_classes);
      for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
        if (x->col_idx[k] < self->n_cols)
          dense[x->col_idx[k]] = 0;
    }
}

#define PREDICT_ROWS_PER_CHUNK 64

static gboolean
svm_predict_proba (CsClassifier  *self,
                   const CsCsr   *x,
                   double        *proba,
                   GError       **error)
{
  RbfSvm *svm = self->state;

  if (svm->sv != NULL)
    {
      guint workers = cs_parallel_get_n_workers (x->n_rows, PREDICT_ROWS_PER_CHUNK);
      g_autofree double *dense = g_new0 (double, (gsize) MAX (self->n_cols, 1) * workers);
      g_autofree struct svm_node *rows = g_new (struct svm_node, (gsize) (svm->sv->n_rows + 2) * workers);
      g_autofree double *out = g_new (double, (gsize) MAX (svm->n_labels, 1) * workers);
      PredictData data = { self, x, proba, dense, rows, out };

      cs_parallel_for (x->n_rows, PREDICT_ROWS_PER_CHUNK, predict_precomputed_rows, &data, NULL);
    }
  else
    {
      g_autofree struct svm_node *buffer = NULL;
      g_autofree struct svm_node **rows = to_nodes (x, self->n_cols, &buffer);
      g_autofree double *out = g_new (double, MAX (svm->n_labels, 1));

      for (gint32 i = 0; i < x->n_rows; i++)
        predict_row (self, rows[i], out, proba + (gsize) i * self->n_classes);
    }
  return TRUE;
}

static void
svm_finalize (CsClassifier *self)
{
  release (self->state);
  g_free (self->state);
}

static const CsClassifierClass rbf_svm_class = {
  svm_fit, svm_predict_proba, NULL, svm_finalize, CS_CONTRIBUTIONS_NONE, svm_fit_values,
};

gboolean
_cs_rbf_svm_init (CsClassifier  *self,
                  GError       **error)
{
  static const char * const keys[] = { "C", "gamma", "tol", "cache_mb", "gram_mb", NULL };
  static const char * const svr_keys[] = { "C", "gamma", "tol", "cache_mb", "gram_mb", "epsilon", NULL };
  RbfSvm *svm = g_new0 (RbfSvm, 1);
  const char *gamma = g_hash_table_lookup (self->params, "gamma");
  const char *gram = g_hash_table_lookup (self->params, "gram_mb");

  self->klass = &rbf_svm_class;
  self->state = svm;
  if (!cs_classifier_check_keys (self, self->regression ? svr_keys : keys, error) ||
      (self->regression && !cs_classifier_get_double (self, "epsilon", 0.1, 0, 1e6, &svm->epsilon, error)) ||
      !cs_classifier_get_double (self, "C", 1.0, 1e-8, 1e8, &svm->c, error) ||
      !cs_classifier_get_double (self, "tol", 1e-3, 1e-12, 1.0, &svm->tol, error) ||
      !cs_classifier_get_double (self, "cache_mb", 200, 1, 1e6, &svm->cache_mb, error))
    return FALSE;
  svm->gram_mb = -1;
  if (gram == NULL || strcmp (gram, "auto") == 0)
    g_hash_table_insert (self->resolved, g_strdup ("gram_mb"), g_strdup ("auto"));
  else if (!cs_classifier_get_double (self, "gram_mb", 0, 0, 1e9, &svm->gram_mb, error))
    return FALSE;
  if (gamma == NULL || strcmp (gamma, "scale") == 0)
    {
      svm->gamma = 0;
      g_hash_table_insert (self->resolved, g_strdup ("gamma"), g_strdup ("scale"));
      return TRUE;
    }
  return cs_classifier_get_double (self, "gamma", 0, 1e-12, 1e12, &svm->gamma, error);
}
