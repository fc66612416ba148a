/* cs-classifier.h: a classifier of Predict (DESIGN §4 "Classifiers").
 *
 * Every model fits on a CSR matrix (rows = clips, columns = features ≥ 0 as
 * cs-predict-features.h makes them) and labels 0 .. n_classes-1, and predicts
 * a probability for every class; the predicted class is the most probable
 * one (ties to the lower class). Each model lives in its own file:
 *
 *   majority  the training class frequencies for every clip (scikit-learn's
 *             DummyClassifier, strategy "prior").
 *   nb        multinomial Naive Bayes, alpha=1 (Laplace smoothing).
 *   logreg    L2 logistic regression, one-vs-rest (liblinear solver 0,
 *             as scikit-learn's solver="liblinear"): C=1, tol=1e-4, bias 1.
 *   linsvm    L2-regularised squared-hinge linear SVM, one-vs-rest (liblinear
 *             solver 1, as LinearSVC): C=1, tol=1e-4, bias 1. It has no
 *             probabilities of its own: the softmax of its decision values.
 *   rbfsvm    C-SVC with an RBF kernel (libsvm, as SVC): C=1, gamma=scale
 *             (1 / (n_features · variance of all matrix entries)) or a
 *             number, tol=1e-3, cache 200 MB; probabilities by libsvm's
 *             Platt scaling with internal 5-fold cross-validation.
 *   rf        random forest with XGBoost: trees=100 parallel trees in one
 *             round, learning rate 1, depth=8, subsample=0.8,
 *             colsample=0.8 (per node), lambda=1e-5 (XGBRFClassifier's).
 *   gbdt      gradient-boosted trees with XGBoost: rounds=100, depth=6,
 *             eta=0.3, subsample=1, lambda=1 (XGBClassifier's defaults).
 *   Trees use tree_method=hist and objective multi:softprob.
 *
 * Settings: "name" or "name:key=value,key=value". Randomness comes from the
 * seed only, so a run repeats exactly.
 *
 * Regression (a target that is a number): created with n_classes
 * CS_CLASSIFIER_REGRESSION, a model has one output, the number. It learns
 * the training target standardised (y − mean) / sd (population sd; 1 when
 * every value is the same) and maps its predictions back, so settings such
 * as C and epsilon mean the same whatever the target's unit. The forms:
 *   majority  the training mean for every clip (DummyRegressor).
 *   logreg    ridge: L2-regularised squared loss, liblinear solver 11
 *             (L2R_L2LOSS_SVR, primal) with epsilon 0: C=1, tol=1e-4, bias 1.
 *   linsvm    linear SVR: L2-regularised epsilon-insensitive L1 loss,
 *             liblinear solver 13 (as LinearSVR): C=1, epsilon=0, tol=1e-4.
 *   rbfsvm    epsilon-SVR with an RBF kernel (libsvm, as SVR): C=1,
 *             epsilon=0.1, gamma as above, tol=1e-3.
 *   rf, gbdt  the same trees with objective reg:squarederror, base score 0.
 *   nb        has no regression form: fitting fails with a message saying
 *             so (CS_MODEL_ERROR_FAILED), so the other models still run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cs-sparse.h"

G_BEGIN_DECLS

typedef struct _CsClassifier CsClassifier;

/* What a model's contributions (below) are, and so what a clip's reasons
 * mean (cs-predict-reasons.h):
 *   SHAP        exact TreeSHAP on the raw score (margin) of each class: the
 *               contributions and the bias add up to the margin (rf, gbdt).
 *   LINEAR      coefficient × value on the decision value of each class's
 *               one-vs-rest model; the bias is its intercept (logreg, linsvm).
 *   LOG_PROB    x_j · (ln P(j | c) − mean over classes of ln P(j | c')) on the
 *               log-probability of class c against the average class; the
 *               bias is the prior's part, centred the same way (nb). The
 *               centring does not change the softmax, so the contributions
 *               and bias of c minus those of c' add up to the difference of
 *               their log-probabilities.
 *   NONE        no per-clip contributions: majority (it ignores the
 *               features), rbfsvm (its decision value is a kernel sum over
 *               support vectors, not a sum over features). */
typedef enum
{
  CS_CONTRIBUTIONS_NONE,
  CS_CONTRIBUTIONS_SHAP,
  CS_CONTRIBUTIONS_LINEAR,
  CS_CONTRIBUTIONS_LOG_PROB,
} CsContributionKind;

typedef struct
{
  gboolean (*fit)           (CsClassifier  *self,
                             const CsCsr   *x,
                             const guint   *y,
                             GError       **error);
  /* @proba: x->n_rows × n_classes, row-major. */
  gboolean (*predict_proba) (CsClassifier  *self,
                             const CsCsr   *x,
                             double        *proba,
                             GError       **error);
  /* Optional: per-feature contributions (see CsContributionKind) to the
   * score of each class, x->n_rows × n_classes × (n_cols + 1), the last
   * being the bias. */
  float   *(*contributions) (CsClassifier  *self,
                             const CsCsr   *x,
                             GError       **error);
  void     (*finalize)      (CsClassifier  *self);
  CsContributionKind contribution_kind;
  /* Regression: fits the standardised target; predict_proba and
   * contributions then have one output. NULL: no regression form. */
  gboolean (*fit_values)    (CsClassifier  *self,
                             const CsCsr   *x,
                             const double  *y,
                             GError       **error);
} CsClassifierClass;

/* n_classes of a regressor. */
#define CS_CLASSIFIER_REGRESSION 0

struct _CsClassifier
{
  const CsClassifierClass *klass;
  char       *name;      /* "logreg" */
  GHashTable *params;    /* key → value text, as given */
  GHashTable *resolved;  /* key → value text in use, defaults included */
  gpointer    state;     /* the model file's own */
  guint       n_classes; /* outputs: 1 for a regressor */
  gboolean    regression;
  double      y_mean;    /* regression: the training target's mean and sd */
  double      y_scale;
  gint32      n_cols;    /* set by fit */
  guint64     seed;
  guint       n_threads;
};

/* One "name:k=v,…" element of a model list. */
typedef struct
{
  char *name;
  char *params;  /* "C=1" or NULL */
} CsModelSpec;

/* Splits "majority;nb;logreg:C=1" into CsModelSpec*; fails on an empty list
 * or an unknown name (CS_MODEL_ERROR_UNKNOWN_MODEL). */
GPtrArray    *cs_classifier_parse_specs   (const char         *spec,
                                           GError            **error);
void          cs_model_spec_free          (CsModelSpec        *spec);

/* CS_MODEL_ERROR_INVALID_PARAM for an unknown key or a bad value. */
G_GNUC_WARN_UNUSED_RESULT
CsClassifier *cs_classifier_new           (const char         *name,
                                           const char         *params,
                                           guint               n_classes,
                                           guint64             seed,
                                           GError            **error);
void          cs_classifier_free          (CsClassifier       *self);
gboolean      cs_classifier_fit           (CsClassifier       *self,
                                           const CsCsr        *x,
                                           const guint        *y,
                                           GError            **error);
gboolean      cs_classifier_predict_proba (CsClassifier       *self,
                                           const CsCsr        *x,
                                           double             *proba,
                                           GError            **error);
/* Regression (created with CS_CLASSIFIER_REGRESSION): fits @y, one number
 * per row; predicts one number per row into @out, on @y's scale. */
gboolean      cs_classifier_fit_values    (CsClassifier       *self,
                                           const CsCsr        *x,
                                           const double       *y,
                                           GError            **error);
gboolean      cs_classifier_predict_values (CsClassifier      *self,
                                           const CsCsr        *x,
                                           double             *out,
                                           GError            **error);
gboolean      cs_classifier_has_contributions (CsClassifier   *self);
CsContributionKind cs_classifier_get_contribution_kind (CsClassifier *self);
float        *cs_classifier_contributions (CsClassifier       *self,
                                           const CsCsr        *x,
                                           GError            **error);
/* The settings in use, defaults included, as a JSON object text. */
char         *cs_classifier_params_json   (CsClassifier       *self);
/* "Logistic regression (C=1)" — translated name and the settings given;
 * a regressor's name is its regression form's ("Ridge regression"). */
char         *cs_classifier_label         (CsClassifier       *self);

/* Argmax of each row of @proba (ties to the lower class). */
void          cs_classifier_argmax        (const double       *proba,
                                           guint               n_rows,
                                           guint               n_classes,
                                           guint              *out);

/* Turns @n scores (log-probabilities or decision values) into
 * probabilities in place: exp (s − max) / Σ exp (s − max). */
void          cs_classifier_softmax       (double             *scores,
                                           guint               n);

/* For the model files: a number setting, its default when absent; fails when
 * the text is not a number within [min, max]. */
gboolean      cs_classifier_get_double    (CsClassifier       *self,
                                           const char         *key,
                                           double              fallback,
                                           double              min,
                                           double              max,
                                           double             *out,
                                           GError            **error);
/* Fails naming the first setting not in @known (NULL-terminated). */
gboolean      cs_classifier_check_keys    (CsClassifier       *self,
                                           const char * const *known,
                                           GError            **error);

/* Constructors of the model files, used by cs_classifier_new(). */
gboolean      _cs_majority_init           (CsClassifier *self, GError **error);
gboolean      _cs_naive_bayes_init        (CsClassifier *self, GError **error);
gboolean      _cs_linear_init             (CsClassifier *self, GError **error);
gboolean      _cs_rbf_svm_init            (CsClassifier *self, GError **error);
gboolean      _cs_trees_init              (CsClassifier *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsClassifier, cs_classifier_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsModelSpec, cs_model_spec_free)

G_END_DECLS
