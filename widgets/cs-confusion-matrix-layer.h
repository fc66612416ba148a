/* cs-confusion-matrix-layer.h: counts of (true, predicted) class pairs,
 * true classes down the y axis, predicted ones along x; each cell shows
 * its count and its share of the row, and is coloured by that share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-chart-layer.h"

G_BEGIN_DECLS

#define CS_TYPE_CONFUSION_MATRIX_LAYER (cs_confusion_matrix_layer_get_type ())
G_DECLARE_FINAL_TYPE (CsConfusionMatrixLayer, cs_confusion_matrix_layer, CS, CONFUSION_MATRIX_LAYER, CsChartLayer)

G_GNUC_WARN_UNUSED_RESULT
CsConfusionMatrixLayer *cs_confusion_matrix_layer_new      (void);
/* @counts is n_classes × n_classes, row-major by true class:
 * counts[t * n_classes + p] clips of class t were predicted as p. */
void   cs_confusion_matrix_layer_set_data       (CsConfusionMatrixLayer *self,
                                                 const char * const     *classes,
                                                 guint                   n_classes,
                                                 const guint            *counts);
guint  cs_confusion_matrix_layer_get_count      (CsConfusionMatrixLayer *self,
                                                 guint                   true_class,
                                                 guint                   predicted);
/* count / row total (the recall of the true class on the diagonal);
 * NaN for a class with no clips. */
double cs_confusion_matrix_layer_get_proportion (CsConfusionMatrixLayer *self,
                                                 guint                   true_class,
                                                 guint                   predicted);

G_END_DECLS
