/* cs-predict-charts.h: the charts of a Predict comparison, as CsChart
 * models, shared by the Predict page (in chart views) and the PDF report
 * (drawn on paper), so both draw the same figures (DESIGN §1 "Predict",
 * §3 "Charts").
 *
 *   PRIMARY      the comparison metric per model, mean with ± sd over folds
 *                as error bars: macro-F1, or RMSE (log) for a number
 *   ROC, PR,     one model's one-vs-rest curves of the first test fold, one
 *   CALIBRATION  line per class, with chance (ROC) or perfect calibration
 *   CONFUSION    one model's confusion matrix summed over the test folds
 *   IMPORTANCE   one model's permutation importance (drop in macro-F1 or
 *                rise in RMSE), the 12 largest, ± sd over folds
 *   SHAP         tree models: mean |SHAP| of the 12 largest features
 *   SCATTER      a number: each tested clip's out-of-fold prediction
 *                against its truth (log(1 + n) for counts) and the line of
 *                perfect predictions
 * Classes have no scatter; a number has no curves and no confusion matrix:
 * those charts stay empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-bar-layer.h"
#include "cs-chart.h"
#include "cs-confusion-matrix-layer.h"
#include "cs-line-layer.h"
#include "cs-predictor.h"
#include "cs-scatter-layer.h"

G_BEGIN_DECLS

typedef enum
{
  CS_PREDICT_CHART_PRIMARY,
  CS_PREDICT_CHART_ROC,
  CS_PREDICT_CHART_PR,
  CS_PREDICT_CHART_CALIBRATION,
  CS_PREDICT_CHART_CONFUSION,
  CS_PREDICT_CHART_IMPORTANCE,
  CS_PREDICT_CHART_SHAP,
  CS_PREDICT_CHART_SCATTER,
  CS_PREDICT_N_CHARTS
} CsPredictChartKind;

/* The charts (titled, with their axes) and the layers that hold the data. */
typedef struct
{
  CsChart                *charts[CS_PREDICT_N_CHARTS];
  CsBarLayer             *primary_bars;
  CsLineLayer            *curves[3];      /* roc, pr, calibration */
  CsConfusionMatrixLayer *confusion;
  CsBarLayer             *importance_bars;
  CsBarLayer             *shap_bars;
  CsScatterLayer         *scatter;
  CsLineLayer            *diagonal;
} CsPredictCharts;

void cs_predict_charts_init        (CsPredictCharts             *self);
void cs_predict_charts_clear       (CsPredictCharts             *self);
/* The primary chart and the titles that depend on the target. */
void cs_predict_charts_show_result (CsPredictCharts             *self,
                                    const CsPredictResult       *result);
/* The one-model charts for @model of @result; NULL empties them. */
void cs_predict_charts_show_model  (CsPredictCharts             *self,
                                    const CsPredictResult       *result,
                                    const CsPredictModelResult  *model);

G_END_DECLS
