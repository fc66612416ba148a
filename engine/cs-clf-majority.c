/* cs-clf-majority.c: the baseline every comparison shows — the training
 * class frequencies as the probabilities of every clip, or for a number
 * the training mean (the constant with the least squared error).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cs-classifier.h"

static gboolean
majority_fit (CsClassifier  *self,
              const CsCsr   *x,
              const guint   *y,
              GError       **error)
{
  double *prior = self->state;

  for (guint c = 0; c < self->n_classes; c++)
    prior[c] = 0;
  for (gint32 i = 0; i < x->n_rows; i++)
    prior[y[i]] += 1.0 / x->n_rows;
  return TRUE;
}

static gboolean
majority_fit_values (CsClassifier  *self,
                     const CsCsr   *x,
                     const double  *y,
                     GError       **error)
{
  double *mean = self->state;

  *mean = 0;
  for (gint32 i = 0; i < x->n_rows; i++)
    *mean += y[i] / x->n_rows;
  return TRUE;
}

static gboolean
majority_predict (CsClassifier  *self,
                  const CsCsr   *x,
                  double        *proba,
                  GError       **error)
{
  for (gint32 i = 0; i < x->n_rows; i++)
    for (guint c = 0; c < self->n_classes; c++)
      proba[(gsize) i * self->n_classes + c] = ((double *) self->state)[c];
  return TRUE;
}

static void
majority_finalize (CsClassifier *self)
{
  g_free (self->state);
}

static const CsClassifierClass majority_class = {
  majority_fit, majority_predict, NULL, majority_finalize, CS_CONTRIBUTIONS_NONE, majority_fit_values,
};

gboolean
_cs_majority_init (CsClassifier  *self,
                   GError       **error)
{
  static const char * const keys[] = { NULL };

  self->klass = &majority_class;
  self->state = g_new0 (double, self->n_classes);
  return cs_classifier_check_keys (self, keys, error);
}
