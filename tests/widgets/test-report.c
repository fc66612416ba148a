/* test-report.c: a hand-made comparison rendered as a report, headless.
 *
 * The PDF must have the expected number of pages and the table's text
 * (pdfinfo and pdftotext, from poppler-utils); the PNG must not be blank;
 * bad paths give clear messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cs-recommend-report.h"
#include "pdf-test-utils.h"
#include "cs-significance.h"

static void
model_free (gpointer data)
{
  CsEvalModelResult *model = data;

  g_free (model->name);
  g_free (model->label);
  g_free (model->params);
  g_clear_pointer (&model->metrics, g_hash_table_unref);
  g_free (model->status);
  g_free (model->error);
  g_free (model);
}

static CsEvalModelResult *
add_model (CsEvalResult *result,
           const char   *name,
           const char   *label,
           double        fit_s,
           double        score_s)
{
  CsEvalModelResult *model = g_new0 (CsEvalModelResult, 1);

  model->name = g_strdup (name);
  model->label = g_strdup (label);
  model->params = g_strdup ("{}");
  model->status = g_strdup ("done");
  model->fit_s = fit_s;
  model->score_s = score_s;
  model->metrics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_add (result->models, model);
  return model;
}

static void
set_metric (CsEvalModelResult *model,
            const char        *metric,
            guint              k,
            double             value)
{
  char *key = g_strdup_printf ("%s@%u", metric, k);

  g_hash_table_replace (model->metrics, key, g_memdup2 (&value, sizeof value));
}

/* Two models at K = 10 and 20; @n_ks > 2 adds more cut-offs, so the table
 * needs more than one page. */
static CsEvalResult *
make_result (guint n_ks)
{
  static const char *metrics[] = { "ndcg", "recall", "precision", "hr", "map", "mrr", "coverage", "novelty" };
  CsEvalResult *result = g_new0 (CsEvalResult, 1);
  CsEvalModelResult *pop, *knn;

  result->run_id = 42;
  result->protocol_json = g_strdup ("{\"name\":\"temporal\",\"train_fraction\":0.8,\"positives\":\"view\"}");
  result->train_pairs = 80000;
  result->test_pairs = 20000;
  result->test_viewers = 943;
  result->n_viewers = 943;
  result->n_clips = 1682;
  result->seed = 7;
  result->models = g_ptr_array_new_with_free_func (model_free);
  result->n_ks = n_ks;
  result->ks = g_new (guint, n_ks);
  for (guint i = 0; i < n_ks; i++)
    result->ks[i] = 10 * (i + 1);

  pop = add_model (result, "pop", "Popularity", 0.012, 0.25);
  knn = add_model (result, "itemknn", "ItemKNN (k=100)", 1.5, 2.25);
  for (guint i = 0; i < n_ks; i++)
    for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
      {
        set_metric (pop, metrics[m], result->ks[i], 0.0512 + 0.01 * m + 0.001 * i);
        set_metric (knn, metrics[m], result->ks[i], 0.0873 + 0.01 * m + 0.001 * i);
      }
  return result;
}

static void
test_pdf (void)
{
  g_autoptr(CsReport) report = cs_recommend_report_new (make_result (2));
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 11, 28, 12, 0, 0);
  g_autofree char *dir = g_dir_make_tmp ("cs-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *title = NULL;
  g_autofree char *table = NULL;
  g_autofree char *charts = NULL;
  g_autoptr(GError) error = NULL;

  cs_report_set_project_title (report, "Shop");
  cs_report_set_simulated (report, TRUE);
  cs_report_set_date (report, date);
  /* Title, one table page, two chart pages. */
  g_assert_cmpuint (cs_report_get_n_pages (report), ==, 4);
  g_assert_true (cs_report_export (report, path, NULL, &error));
  g_assert_no_error (error);
  if (!pdf_tools_available ())
    goto out;

  g_assert_cmpuint (pdf_pages (path), ==, 4);

  title = pdf_text (path, 1);
  g_assert_nonnull (strstr (title, "Recommender comparison"));
  g_assert_nonnull (strstr (title, "Shop"));
  g_assert_nonnull (strstr (title, "Simulated data"));
  g_assert_nonnull (strstr (title, "the oldest 80 % of interactions train"));
  g_assert_nonnull (strstr (title, "not comparable"));
  g_assert_nonnull (strstr (title, "80000"));
  g_assert_nonnull (strstr (title, "1682"));

  table = pdf_text (path, 2);
  g_assert_nonnull (strstr (table, "Popularity"));
  g_assert_nonnull (strstr (table, "ItemKNN (k=100)"));
  g_assert_nonnull (strstr (table, "NDCG@10"));
  g_assert_nonnull (strstr (table, "Novelty@20"));
  /* ndcg@10 and recall@20 of both models. */
  g_assert_nonnull (strstr (table, "0.0512"));
  g_assert_nonnull (strstr (table, "0.0873"));
  g_assert_nonnull (strstr (table, "0.0622"));
  g_assert_nonnull (strstr (table, "0.0983"));
  g_assert_nonnull (strstr (table, "2.250 s"));

  charts = pdf_text (path, 3);
  g_assert_nonnull (strstr (charts, "NDCG@K"));
  g_assert_nonnull (strstr (charts, "Recall@K"));

out:
  g_unlink (path);
  g_rmdir (dir);
}

/* A comparison that kept its significance matrix gets a page for it: the
 * NDCG pair drawn with its p, in the colours the Recommend page uses. */
static void
test_significance_page (void)
{
  CsEvalResult *result = make_result (2);
  g_autoptr(CsReport) report = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  CsSignificanceMatrix *matrix = cs_significance_matrix_alloc (2, 943);

  /* ItemKNN (row 1) better than Popularity (column 0), p = 0.00312. */
  matrix->mean_diff[1] = -0.0361;
  matrix->mean_diff[2] = 0.0361;
  matrix->t_p_holm[1] = matrix->t_p_holm[2] = 0.00312;
  result->significance = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) cs_significance_matrix_free);
  g_hash_table_insert (result->significance, g_strdup ("ndcg@10"), matrix);
  report = cs_recommend_report_new (result);

  /* Title, one table page, two chart pages, the matrix. */
  g_assert_cmpuint (cs_report_get_n_pages (report), ==, 5);
  g_assert_true (cs_report_export (report, path, NULL, &error));
  g_assert_no_error (error);
  if (pdf_tools_available ())
    {
      g_assert_cmpuint (pdf_pages (path), ==, 5);
      text = pdf_text (path, 5);
      g_assert_nonnull (strstr (text, "Which differences are real"));
      g_assert_nonnull (strstr (text, "NDCG@10: is the row model better than the column model?"));
      g_assert_nonnull (strstr (text, "0.00312"));
      g_assert_nonnull (strstr (text, "ItemKNN (k=100)"));
    }
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_long_table (void)
{
  g_autoptr(CsReport) report = cs_recommend_report_new (make_result (6));
  g_autofree char *dir = g_dir_make_tmp ("cs-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "long.pdf", NULL);
  g_autofree char *all = NULL;
  g_autoptr(GError) error = NULL;
  guint n_pages = cs_report_get_n_pages (report);

  /* 8 metrics × 6 cut-offs + 2 times do not fit on one page. */
  g_assert_cmpuint (n_pages, >, 4);
  g_assert_true (cs_report_export (report, path, NULL, &error));
  g_assert_no_error (error);
  if (pdf_tools_available ())
    {
      g_assert_cmpuint (pdf_pages (path), ==, n_pages);
      all = pdf_all_text (path);
      g_assert_nonnull (strstr (all, "NDCG@10"));
      g_assert_nonnull (strstr (all, "Novelty@60"));
      g_assert_nonnull (strstr (all, "Scoring time"));
    }
  g_unlink (path);
  g_rmdir (dir);
}

/* A model that failed: dashes in its column, its message under the table,
 * "(failed)" on the title page. */
static void
test_failed_model (void)
{
  CsEvalResult *result = make_result (1);
  CsEvalModelResult *knn = g_ptr_array_index (result->models, 1);
  g_autoptr(CsReport) report = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "failed.pdf", NULL);
  g_autofree char *title = NULL;
  g_autofree char *table = NULL;
  g_autoptr(GError) error = NULL;

  g_free (knn->status);
  knn->status = g_strdup ("failed");
  knn->error = g_strdup ("the similarity matrix has NaN values");
  g_hash_table_remove_all (knn->metrics);
  report = cs_recommend_report_new (result);

  g_assert_true (cs_report_export (report, path, NULL, &error));
  g_assert_no_error (error);
  if (pdf_tools_available ())
    {
      g_assert_cmpuint (pdf_pages (path), ==, 4);
      title = pdf_text (path, 1);
      g_assert_nonnull (strstr (title, "ItemKNN (k=100) (failed)"));
      table = pdf_text (path, 2);
      g_assert_nonnull (strstr (table, "—"));
      g_assert_nonnull (strstr (table, "ItemKNN (k=100) failed: the similarity matrix has NaN values"));
    }
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_png (void)
{
  g_autoptr(CsReport) report = cs_recommend_report_new (make_result (2));
  g_autofree char *dir = g_dir_make_tmp ("cs-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.PNG", NULL);
  g_autofree char *svg = g_build_filename (dir, "report.svg", NULL);
  g_autofree char *svg_text = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *image;
  guint32 first;
  gboolean varied = FALSE;
  int width, height, stride;
  const guchar *data;

  g_assert_true (cs_report_export (report, path, NULL, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  width = cairo_image_surface_get_width (image);
  height = cairo_image_surface_get_height (image);
  /* Four A4 pages one below the other, at 144 dpi. */
  g_assert_cmpint (width, >, 1100);
  g_assert_cmpint (height, >, 4 * width);

  /* Not blank: within the first page, some pixels differ from white. */
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  first = *(const guint32 *) (data + stride * (height / 8) + 4 * (width / 2));
  for (int y = 80; y < height / 4 && !varied; y += 3)
    for (int x = 80; x < width - 80 && !varied; x += 3)
      {
        guint32 pixel = *(const guint32 *) (data + stride * y + 4 * x) & 0xffffff;

        varied = pixel != 0xffffff && pixel != (first & 0xffffff);
      }
  g_assert_true (varied);
  cairo_surface_destroy (image);

  g_assert_true (cs_report_export (report, svg, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &svg_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (svg_text, "<?xml"));
  g_assert_nonnull (strstr (svg_text, "<svg"));

  g_unlink (path);
  g_unlink (svg);
  g_rmdir (dir);
}

static void
test_bad_paths (void)
{
  g_autoptr(CsReport) report = cs_recommend_report_new (make_result (1));
  g_autofree char *dir = g_dir_make_tmp ("cs-report-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "report.pdf", NULL);
  g_autofree char *text = g_build_filename (dir, "report.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (cs_report_check_path (text, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "report.txt"));
  g_assert_nonnull (strstr (error->message, ".pdf"));
  g_clear_error (&error);

  g_assert_false (cs_report_export (report, text, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (g_file_test (text, G_FILE_TEST_EXISTS));

  g_assert_false (cs_report_export (report, missing, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "report.pdf"));
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Report/pdf", test_pdf);
  g_test_add_func ("/Report/significance-page", test_significance_page);
  g_test_add_func ("/Report/long-table", test_long_table);
  g_test_add_func ("/Report/failed-model", test_failed_model);
  g_test_add_func ("/Report/png-svg", test_png);
  g_test_add_func ("/Report/bad-paths", test_bad_paths);

  return g_test_run ();
}
