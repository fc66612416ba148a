/* cs-clf-linear.c: logistic regression and linear SVM through liblinear.
 *
 * Both are one-vs-rest with a bias feature of value 1 appended to every row
 * (liblinear regularises it like the other weights, as scikit-learn's
 * liblinear wrappers do with intercept_scaling=1). logreg uses solver
 * L2R_LR and liblinear's probabilities (the one-vs-rest sigmoids, each row
 * normalised); linsvm uses L2R_L2LOSS_SVC_DUAL, and its probabilities are
 * the softmax of the decision values (a binary problem scores +d and −d).
 * Settings: C (default 1), tol (default 1e-4).
 *
 * For a number (cs-classifier.h) logreg is ridge regression, liblinear's
 * L2R_L2LOSS_SVR with p = 0 (squared loss), and linsvm the linear SVR,
 * L2R_L1LOSS_SVR_DUAL with p = epsilon (default 0, as LinearSVR); both
 * keep the bias feature. Their one output is w·x.
 *
 * liblinear shuffles with rand(): it is seeded with the run's seed before
 * every fit, so fits repeat exactly (models are fitted one at a time).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <linear.h>
#include <stdlib.h>
#include <string.h>

#include "cs-classifier.h"
#include "cs-error.h"

typedef struct
{
  gboolean      svm;
  double        c;
  double        tol;
  double        epsilon; /* regression, linsvm */
  struct model *model;
  int          *labels;  /* liblinear's class order */
  int           n_labels;
} Linear;

static void
quiet (const char *text)
{
}

/* Rows as liblinear wants them: 1-based indices, the bias node, then -1.
 * All rows share one node buffer, freed by the caller. */
static struct feature_node **
to_nodes (const CsCsr          *x,
          gint32                n_cols,
          struct feature_node **buffer)
{
  struct feature_node **rows = g_new (struct feature_node *, MAX (x->n_rows, 1));
  struct feature_node *node;
  gsize nnz = (gsize) x->row_ptr[x->n_rows];

  node = *buffer = g_new (struct feature_node, nnz + 2 * (gsize) x->n_rows + 1);
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
      node->index = n_cols + 1;
      node->value = 1.0;
      node++;
      node->index = -1;
      node++;
    }
  return rows;
}

/* @labels: classes or the standardised target, one per row. */
static gboolean
train_linear (CsClassifier  *self,
              const CsCsr   *x,
              double        *labels,
              GError       **error)
{
  Linear *lin = self->state;
  g_autofree struct feature_node *buffer = NULL;
  g_autofree struct feature_node **rows = to_nodes (x, x->n_cols, &buffer);
  struct problem prob = { 0 };
  struct parameter param = { 0 };
  const char *problem;

  prob.l = x->n_rows;
  prob.n = x->n_cols + 1;
  prob.y = labels;
  prob.x = rows;
  prob.bias = 1.0;
  if (self->regression)
    param.solver_type = lin->svm ? L2R_L1LOSS_SVR_DUAL : L2R_L2LOSS_SVR;
  else
    param.solver_type = lin->svm ? L2R_L2LOSS_SVC_DUAL : L2R_LR;
  param.eps = lin->tol;
  param.C = lin->c;
  param.p = lin->svm ? lin->epsilon : 0.0;

  problem = check_parameter (&prob, &param);
  if (problem != NULL)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("liblinear refused the settings of %s: %s"), self->name, problem);
      return FALSE;
    }
  set_print_string_function (quiet);
  srand ((unsigned) self->seed);
  if (lin->model)
    free_and_destroy_model (&lin->model);
  lin->model = train (&prob, &param);
  if (self->regression)
    return TRUE;
  lin->n_labels = get_nr_class (lin->model);
  g_free (lin->labels);
  lin->labels = g_new (int, lin->n_labels);
  get_labels (lin->model, lin->labels);
  return TRUE;
}

static gboolean
linear_fit (CsClassifier  *self,
            const CsCsr   *x,
            const guint   *y,
            GError       **error)
{
  g_autofree double *labels = g_new (double, MAX (x->n_rows, 1));

  for (gint32 i = 0; i < x->n_rows; i++)
    labels[i] = y[i];
  return train_linear (self, x, labels, error);
}

static gboolean
linear_fit_values (CsClassifier  *self,
                   const CsCsr   *x,
                   const double  *y,
                   GError       **error)
{
  g_autofree double *labels = g_memdup2 (y, MAX (x->n_rows, 1) * sizeof (double));

  return train_linear (self, x, labels, error);
}

static gboolean
linear_predict (CsClassifier  *self,
                const CsCsr   *x,
                double        *proba,
                GError       **error)
{
  Linear *lin = self->state;
  g_autofree struct feature_node *buffer = NULL;
  g_autofree struct feature_node **rows = to_nodes (x, self->n_cols, &buffer);
  g_autofree double *out = g_new (double, MAX (lin->n_labels, 2));
  g_autofree double *scores = g_new (double, lin->n_labels);

  for (gint32 i = 0; i < x->n_rows; i++)
    {
      double *p = proba + (gsize) i * self->n_classes;

      if (self->regression)
        {
          predict_values (lin->model, rows[i], p);
          continue;
        }
      memset (p, 0, self->n_classes * sizeof (double));
      if (lin->n_labels == 1)
        {
          p[lin->labels[0]] = 1.0;
          continue;
        }
      if (!lin->svm)
        {
          predict_probability (lin->model, rows[i], out);
          for (int l = 0; l < lin->n_labels; l++)
            p[lin->labels[l]] = out[l];
          continue;
        }
      predict_values (lin->model, rows[i], out);
      if (lin->n_labels == 2)
        {
          scores[0] = out[0];
          scores[1] = -out[0];
        }
      else
        memcpy (scores, out, lin->n_labels * sizeof (double));
      cs_classifier_softmax (scores, lin->n_labels);
      for (int l = 0; l < lin->n_labels; l++)
        p[lin->labels[l]] = scores[l];
    }
  return TRUE;
}

/* coefficient × value on each class's decision value. liblinear keeps one
 * weight vector for a binary problem (its first label's); get_decfun_coef
 * gives the second label the negated one, as its decision value is −d. A
 * class absent from training has no model: its contributions stay 0. */
static float *
linear_contributions (CsClassifier  *self,
                      const CsCsr   *x,
                      GError       **error)
{
  Linear *lin = self->state;
  guint C = self->n_classes;
  gsize width = (gsize) self->n_cols + 1;
  float *out = g_new0 (float, MAX ((gsize) x->n_rows * C * width, 1));

  if (self->regression)
    {
      for (gint32 i = 0; i < x->n_rows; i++)
        {
          float *row = out + (gsize) i * width;

          for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
            if (x->col_idx[k] < self->n_cols)
              row[x->col_idx[k]] = (float) (get_decfun_coef (lin->model, x->col_idx[k] + 1, 0) * x->values[k]);
          row[self->n_cols] = (float) get_decfun_coef (lin->model, self->n_cols + 1, 0);
        }
      return out;
    }
  if (lin->n_labels < 2)
    return out;
  for (gint32 i = 0; i < x->n_rows; i++)
    for (int l = 0; l < lin->n_labels; l++)
      {
        float *row = out + ((gsize) i * C + (guint) lin->labels[l]) * width;

        for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
          if (x->col_idx[k] < self->n_cols)
            row[x->col_idx[k]] = (float) (get_decfun_coef (lin->model, x->col_idx[k] + 1, l) * x->values[k]);
        /* The bias is the appended feature of value 1. */
        row[self->n_cols] = (float) get_decfun_coef (lin->model, self->n_cols + 1, l);
      }
  return out;
}

static void
linear_finalize (CsClassifier *self)
{
  Linear *lin = self->state;

  if (lin->model)
    free_and_destroy_model (&lin->model);
  g_free (lin->labels);
  g_free (lin);
}

static const CsClassifierClass linear_class = {
  linear_fit, linear_predict, linear_contributions, linear_finalize, CS_CONTRIBUTIONS_LINEAR,
  linear_fit_values,
};

gboolean
_cs_linear_init (CsClassifier  *self,
                 GError       **error)
{
  static const char * const keys[] = { "C", "tol", NULL };
  static const char * const svr_keys[] = { "C", "tol", "epsilon", NULL };
  Linear *lin = g_new0 (Linear, 1);

  self->klass = &linear_class;
  self->state = lin;
  lin->svm = g_strcmp0 (self->name, "linsvm") == 0;
  if (lin->svm && self->regression)
    return cs_classifier_check_keys (self, svr_keys, error) &&
           cs_classifier_get_double (self, "C", 1.0, 1e-8, 1e8, &lin->c, error) &&
           cs_classifier_get_double (self, "tol", 1e-4, 1e-12, 1.0, &lin->tol, error) &&
           cs_classifier_get_double (self, "epsilon", 0.0, 0.0, 1e6, &lin->epsilon, error);
  return cs_classifier_check_keys (self, keys, error) &&
         cs_classifier_get_double (self, "C", 1.0, 1e-8, 1e8, &lin->c, error) &&
         cs_classifier_get_double (self, "tol", 1e-4, 1e-12, 1.0, &lin->tol, error);
}
