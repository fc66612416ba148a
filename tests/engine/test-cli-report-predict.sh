#!/bin/sh
# clipscope-cli report of a Predict comparison end to end: predict-eval on
# a demo project, then the report as a PDF (pages and text checked with
# pdfinfo and pdftotext against the predict-eval JSON), the newest
# comparison of either kind when --run is left out, and clear messages for
# a run that does not exist, a generate run and one model's run.
#
# Environment: CS_CLI (path of clipscope-cli).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fail () {
  echo "test-cli-report-predict: $*" >&2
  exit 1
}

[ -n "${CS_CLI:-}" ] || fail "CS_CLI is not set (path of clipscope-cli)"
[ -x "$CS_CLI" ] || fail "CS_CLI=$CS_CLI is not an executable"
for tool in pdfinfo pdftotext python3; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is needed (poppler-utils, python3)"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

"$CS_CLI" demo p.clipscope --no-media --clips 90 --viewers 200 >/dev/null 2>&1 || fail "demo failed"
"$CS_CLI" predict-eval p.clipscope --target views:terciles --features text,time \
  --models "majority;nb;logreg:C=1" --folds 3 --seed 5 --json > classes.json || fail "predict-eval failed"
run_id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["run_id"])' classes.json) \
  || fail "no run_id in the predict-eval JSON"

"$CS_CLI" report p.clipscope --run "$run_id" --out r.pdf 2> err.txt || fail "report failed: $(cat err.txt)"
[ ! -s err.txt ] || fail "report wrote to stderr: $(cat err.txt)"
pages=$(pdfinfo r.pdf | sed -n 's/^Pages:[[:space:]]*//p')
# Title, the table with the best model class by class, how to read them,
# and the charts two a page: macro-F1 and the confusion matrix, ROC and
# precision–recall, calibration and importance.
[ "$pages" -gt 1 ] || fail "expected more than one page, got '$pages'"
[ "$pages" = 6 ] || fail "expected 6 pages (title, table, reading, 3 of charts), got '$pages'"
pdftotext -layout r.pdf text.out
for text in "Predict comparison" "Simulated data" "Predicting Views in 3 classes" "stratified 3-fold" \
            "Title, Caption and Hashtags" "Posting Time" "Macro F1" "Macro-F1 p vs baseline" \
            "Folds better / same / worse" "Confusion matrix" "ROC curves" "Permutation importance"; do
  grep -qF "$text" text.out || fail "the PDF does not say '$text'"
done
# Every model by name, and every metric as the page shows it: the mean and
# sample sd of the folds in the JSON, to 3 decimals.
python3 - classes.json text.out <<'PY' || fail "the PDF table does not match the predict-eval JSON"
import json, statistics, sys
result = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
for model in result["models"]:
    assert model["label"] in text, model["label"]
    for key in ("accuracy", "macro_f1", "roc_auc"):
        folds = model["metrics"][key]["folds"]
        cell = "%.3f ± %.3f" % (statistics.mean(folds), statistics.stdev(folds))
        assert cell in text, (model["name"], key, cell)
# The best model class by class, computed here from its confusion matrix
# in the JSON (rows: true class): the clips in the class, precision,
# recall and F1.
best = next(m for m in result["models"] if m["name"] == result["best"])
assert "Class by class: " + best["label"] in text, best["label"]
confusion = best["confusion"]
lines = [" ".join(line.split()) for line in text.splitlines()]
for c, name in enumerate(result["target"]["classes"]):
    tp = confusion[c][c]
    truly = sum(confusion[c])
    named = sum(row[c] for row in confusion)
    precision = tp / named if named else 0.0
    recall = tp / truly if truly else 0.0
    f1 = 2 * tp / (truly + named) if truly + named else 0.0
    row = "%s %d %.3f %.3f %.3f" % (name, truly, precision, recall, f1)
    assert row in lines, row
PY

# A number: RMSE on the log scale and the scatter of the best model.
"$CS_CLI" predict-eval p.clipscope --target views:value --features text,time \
  --models "majority;logreg" --folds 3 --no-explain --json > number.json || fail "predict-eval of a number failed"
number_id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["run_id"])' number.json)
# The newest comparison when --run is left out.
"$CS_CLI" report p.clipscope --out n.pdf || fail "report of the newest comparison failed"
pdftotext -layout n.pdf number.out
for text in "Predicting Views, the number itself" "RMSE (log)" "MAE" "Spearman" "Predicted against true"; do
  grep -qF "$text" number.out || fail "the number's PDF does not say '$text'"
done
python3 - number.json number.out <<'PY' || fail "the number's PDF table does not match the JSON"
import json, statistics, sys
result = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
for model in result["models"]:
    folds = model["metrics"]["rmse_log"]["folds"]
    cell = "%.3f ± %.3f" % (statistics.mean(folds), statistics.stdev(folds))
    assert cell in text, (model["name"], cell)
PY

# A recommender comparison is now the newest: its report is a recommender one.
"$CS_CLI" evaluate p.clipscope --models pop --k 5 --json > eval.json || fail "evaluate failed"
"$CS_CLI" report p.clipscope --out e.pdf || fail "report of the newest (recommender) comparison failed"
pdftotext e.pdf - | grep -qF "Recommender comparison" || fail "the newest comparison is not the recommender one"
# --run still picks the Predict one.
"$CS_CLI" report p.clipscope --run "$number_id" --out again.pdf || fail "report --run $number_id failed"
pdftotext again.pdf - | grep -qF "Predict comparison" || fail "--run $number_id did not report the Predict comparison"
# The table as CSV.
"$CS_CLI" report p.clipscope --run "$run_id" --out t.csv || fail "report to CSV failed"
head -n 1 t.csv | grep -q "^model,label,metric,mean,sd,fold_1,fold_2,fold_3" || fail "t.csv has no Predict header"

# Bad --run: non-zero exit, one line naming the problem, no file.
expect_fail () {
  what=$1
  pattern=$2
  shift 2
  if "$CS_CLI" "$@" > out.txt 2> err.txt; then
    fail "$what: exit status 0"
  fi
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "$what: expected one line on stderr, got: $(cat err.txt)"
  grep -qF -e "$pattern" err.txt || fail "$what: message does not mention '$pattern': $(cat err.txt)"
}
expect_fail "unknown run" "no run 99999" report p.clipscope --run 99999 --out x.pdf
[ ! -e x.pdf ] || fail "a failed report left x.pdf behind"
generate_id=$(python3 - p.clipscope <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cur = db.execute("INSERT INTO runs (task, model, status) VALUES ('generate', 'vae', 'done')")
db.commit()
print(cur.lastrowid)
PY
)
expect_fail "generate run" "is a generate run" report p.clipscope --run "$generate_id" --out x.pdf
model_id=$(python3 - p.clipscope "$run_id" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT min(id) FROM runs WHERE parent_id = ?", (int(sys.argv[2]),)).fetchone()[0])
PY
)
expect_fail "a model's run" "one model of comparison $run_id" report p.clipscope --run "$model_id" --out x.pdf
[ ! -e x.pdf ] || fail "a failed report left x.pdf behind"

echo "ok: Predict report of run $run_id has $pages pages"
