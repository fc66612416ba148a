/* cs-curve-layer.h: ROC and precision–recall curves of classifiers, on
 * 0..1 axes, with the chance diagonal (ROC) or the prevalence baseline (PR).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-line-layer.h"

G_BEGIN_DECLS

typedef enum
{
  CS_CURVE_ROC,               /* x false-positive rate, y true-positive rate */
  CS_CURVE_PRECISION_RECALL,  /* x recall, y precision */
} CsCurveKind;

#define CS_TYPE_CURVE_LAYER (cs_curve_layer_get_type ())
G_DECLARE_FINAL_TYPE (CsCurveLayer, cs_curve_layer, CS, CURVE_LAYER, CsLineLayer)

/* The curve of @scores (higher = more positive) against @labels, one point
 * per distinct score from the highest down, starting at (0, 0) for ROC and
 * (0, 1) for PR. @area is the ROC AUC (trapezoids) or the average
 * precision Σ (Rₙ − Rₙ₋₁) Pₙ. FALSE when a class is missing. */
gboolean      cs_curve_compute          (CsCurveKind     kind,
                                         const double   *scores,
                                         const gboolean *labels,
                                         gsize           n,
                                         double        **x,
                                         double        **y,
                                         gsize          *n_points,
                                         double         *area);

G_GNUC_WARN_UNUSED_RESULT
CsCurveLayer *cs_curve_layer_new        (CsCurveKind     kind);
CsCurveKind   cs_curve_layer_get_kind   (CsCurveLayer   *self);
/* Adds the curve of @scores against @labels as a series named
 * "@name (AUC 0.83)" or "@name (AP 0.71)"; the first one also sets the PR
 * baseline (the share of positives). Returns the series, or -1 when a
 * class is missing (nothing added). */
int           cs_curve_layer_add_scores (CsCurveLayer   *self,
                                         const char     *name,
                                         const double   *scores,
                                         const gboolean *labels,
                                         gsize           n);
/* Adds a curve from points already computed; @area may be NaN. */
guint         cs_curve_layer_add_curve  (CsCurveLayer   *self,
                                         const char     *name,
                                         const double   *x,
                                         const double   *y,
                                         gsize           n,
                                         double          area);
/* The PR baseline: precision of a random classifier, the positives' share. */
void          cs_curve_layer_set_baseline (CsCurveLayer *self,
                                           double        prevalence);
double        cs_curve_layer_get_area   (CsCurveLayer   *self,
                                         guint           series);

G_END_DECLS
