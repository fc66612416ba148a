/* cs-predict-page.h: train and compare engagement classifiers (Predict,
 * DESIGN §1 and §3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "clipscope-engine.h"

G_BEGIN_DECLS

#define CS_TYPE_PREDICT_PAGE (cs_predict_page_get_type ())
G_DECLARE_FINAL_TYPE (CsPredictPage, cs_predict_page, CS, PREDICT_PAGE, AdwBin)

G_GNUC_WARN_UNUSED_RESULT
GtkWidget             *cs_predict_page_new               (CsJobList     *jobs);
void                   cs_predict_page_set_project       (CsPredictPage *self,
                                                          CsProject     *project);
/* Re-reads whether the project has numbers to learn from and, when no
 * comparison is shown, the newest stored one; off the main thread. */
void                   cs_predict_page_refresh           (CsPredictPage *self);
/* Starts a comparison with the settings in the form (as Run does). */
void                   cs_predict_page_run               (CsPredictPage *self);
/* Switches the model @name ("majority", "nb" …) on or off in the form. */
void                   cs_predict_page_set_model_enabled (CsPredictPage *self,
                                                          const char    *name,
                                                          gboolean       enabled);
/* k of the stratified k-fold protocol in the form. */
void                   cs_predict_page_set_folds         (CsPredictPage *self,
                                                          guint          folds);
/* The comparison shown, or NULL. */
const CsPredictResult *cs_predict_page_get_result        (CsPredictPage *self);
/* The target in the form: "METRIC:terciles", "METRIC:>=X" or
 * "METRIC:value" (the number itself); anything else is ignored. */
void                   cs_predict_page_set_target        (CsPredictPage *self,
                                                          const char    *spec);
/* The results table: row 0 the models, then one row per metric, column =
 * model + 1; cells are "mean ± sd" labels. Classes: accuracy, balanced
 * accuracy, macro precision, recall, F1, ROC AUC, log loss, fit s, predict
 * s (row = CsPredictMetric + 1); a number: MAE, RMSE, R², Spearman, for
 * counts MAE, RMSE, R² on the log scale, then fit s, predict s. */
GtkGrid               *cs_predict_page_get_table         (CsPredictPage *self);
/* The model in detail class by class, under the confusion matrix: a
 * heading row (Class, Test clips, Precision, Recall, F1), then a row per
 * class; hidden for a number. */
GtkGrid               *cs_predict_page_get_class_table   (CsPredictPage *self);
/* Opens the window of the clips in confusion matrix cell (@truth,
 * @predicted) of the model in detail, as clicking the cell does. */
void                   cs_predict_page_open_cell         (CsPredictPage *self,
                                                          guint          truth,
                                                          guint          predicted);
/* Saves the comparison shown as a CSV table (cs_predict_result_to_csv())
 * to @file, as Export → Table as CSV does after its file dialog. */
void                   cs_predict_page_export_table      (CsPredictPage *self,
                                                          GFile         *file);
/* Writes the comparison shown as a PDF report (or PNG or SVG, by @file's
 * extension; cs-predict-report.h) on a worker thread, as Export → Report
 * as PDF does after its file dialog: a toast when saved, else a dialog
 * with the error, which names the file. */
void                   cs_predict_page_export_report_async  (CsPredictPage       *self,
                                                             GFile               *file,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean               cs_predict_page_export_report_finish (CsPredictPage       *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
/* "Score new clips" with model @model of the comparison shown (NULL: the
 * one chosen in the page), as a job; the scores show below it. */
void                   cs_predict_page_score             (CsPredictPage *self,
                                                          const char    *model);
const CsPredictScoreResult *cs_predict_page_get_scores   (CsPredictPage *self);

G_END_DECLS
