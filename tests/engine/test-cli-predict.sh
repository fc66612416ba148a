#!/bin/sh
# clipscope-cli predict-eval end to end on a simulated project: the JSON
# follows DESIGN §7 (run_id, per model per fold and mean metrics, the
# corrected t-test against the best), the run is stored, and bad input gives
# a non-zero exit and one clear line on stderr.
#
# Environment: CS_CLI (path of clipscope-cli).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fail () {
  echo "test-cli-predict: $*" >&2
  exit 1
}

[ -n "${CS_CLI:-}" ] || fail "CS_CLI is not set (path of clipscope-cli)"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

"$CS_CLI" demo p.clipscope --no-media --clips 90 --viewers 200 >/dev/null 2>&1 || fail "demo failed"

"$CS_CLI" predict-eval p.clipscope --target views:terciles --features text,time \
  --models "majority;nb;logreg" --folds 3 --seed 4 --json > out.json 2> err.txt \
  || fail "predict-eval failed: $(cat err.txt)"

python3 - out.json <<'PY' || fail "the JSON does not follow DESIGN §7"
import json, math, sys
d = json.load(open(sys.argv[1]))
assert d["run_id"] > 0
assert d["protocol"] == {"name": "stratified-kfold", "folds": 3, "seed": 4}
assert d["target"]["classes"] == ["low", "medium", "high"]
assert sum(d["target"]["class_counts"]) == d["n_clips"] == 90
names = [m["name"] for m in d["models"]]
assert names == ["majority", "nb", "logreg"], names
for m in d["models"]:
    assert m["status"] == "done"
    for k in ("accuracy", "balanced_accuracy", "macro_f1", "roc_auc", "log_loss", "fit_s", "predict_s"):
        v = m["metrics"][k]
        assert len(v["folds"]) == 3
        assert abs(v["mean"] - sum(v["folds"]) / 3) < 1e-9
    assert sum(map(sum, m["confusion"])) == 90
    # Every clip once, out of fold: its (truth, predicted) cell counts add
    # up to the confusion matrix, and the predicted class is the likeliest.
    classes = d["target"]["classes"]
    clips = m["clips"]
    assert len(clips) == 90 and len({c["clip_id"] for c in clips}) == 90, len(clips)
    cells = [[0] * 3 for _ in classes]
    for c in clips:
        cells[classes.index(c["truth"])][classes.index(c["predicted"])] += 1
        assert abs(sum(c["proba"]) - 1) < 1e-6, c
        assert c["proba"][classes.index(c["predicted"])] == max(c["proba"]), c
        assert 0 <= c["fold"] < 3
    assert cells == m["confusion"], (cells, m["confusion"])
    assert "p_vs_best" in m
# The baseline predicts one class: balanced accuracy 1/3 on every fold.
assert all(abs(x - 1 / 3) < 1e-9 for x in d["models"][0]["metrics"]["balanced_accuracy"]["folds"])
best = [m for m in d["models"] if m["name"] == d["best"]][0]
assert best["p_vs_best"] is None
assert all(m["p_vs_best"] is None or 0 <= m["p_vs_best"] <= 1 for m in d["models"])
PY

run_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' out.json)
[ -n "$run_id" ] || fail "no run_id"

# A number (regression) on views: plain 3-fold, counts learnt as log1p. Every
# fold's metrics are recomputed here from the clips' out-of-fold numbers, and
# the true numbers are the project's views (the demo has no clip_stats: view
# events, kind 1, per clip, read with python's sqlite3).
"$CS_CLI" predict-eval p.clipscope --target views:value --features text,time \
  --models "majority;logreg;gbdt:rounds=20" --folds 3 --seed 4 --json > reg.json 2> err.txt \
  || fail "predict-eval views:value failed: $(cat err.txt)"

python3 - reg.json p.clipscope <<'PY' || fail "the regression JSON is not right"
import json, math, sqlite3, sys
d = json.load(open(sys.argv[1]))
assert d["run_id"] > 0
assert d["protocol"] == {"name": "kfold", "folds": 3, "seed": 4}, d["protocol"]
t = d["target"]
assert t["spec"] == "views:value" and t["regression"] is True and t["log_scale"] is True, t
assert "classes" not in t
db = sqlite3.connect(sys.argv[2])
views = dict(db.execute("SELECT clip_id, sum(kind = 1) FROM events GROUP BY clip_id"))
assert d["n_clips"] == 90 == len(views)
vals = sorted(views.values())
assert abs(t["mean"] - sum(vals) / 90) < 1e-9
assert abs(t["median"] - (vals[44] + vals[45]) / 2) < 1e-9

def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r

def pearson(a, b):
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    saa = sum((x - ma) ** 2 for x in a)
    sbb = sum((y - mb) ** 2 for y in b)
    return sab / math.sqrt(saa * sbb) if saa > 0 and sbb > 0 else None

def r2(y, p):
    m = sum(y) / len(y)
    return 1 - sum((a - b) ** 2 for a, b in zip(y, p)) / sum((a - m) ** 2 for a in y)

expected = {"mae", "rmse", "r2", "spearman", "mae_log", "rmse_log", "r2_log", "fit_s", "predict_s"}
for m in d["models"]:
    assert m["status"] == "done", m
    assert set(m["metrics"]) == expected, set(m["metrics"])
    assert "confusion" not in m
    clips = m["clips"]
    assert len(clips) == 90 and len({c["clip_id"] for c in clips}) == 90
    for c in clips:
        assert c["truth"] == views[c["clip_id"]], c
        assert c["predicted"] >= 0 and "proba" not in c, c
    for f in range(3):
        fc = [c for c in clips if c["fold"] == f]
        y = [c["truth"] for c in fc]
        p = [c["predicted"] for c in fc]
        ly = [math.log1p(v) for v in y]
        lp = [math.log1p(v) for v in p]
        got = {k: m["metrics"][k]["folds"][f] for k in expected}
        assert abs(got["mae"] - sum(abs(a - b) for a, b in zip(y, p)) / len(y)) < 1e-6, got
        assert abs(got["rmse"] - math.sqrt(sum((a - b) ** 2 for a, b in zip(y, p)) / len(y))) < 1e-6
        assert abs(got["r2"] - r2(y, p)) < 1e-9
        assert abs(got["rmse_log"] - math.sqrt(sum((a - b) ** 2 for a, b in zip(ly, lp)) / len(y))) < 1e-9
        assert abs(got["r2_log"] - r2(ly, lp)) < 1e-9
        rho = pearson(ranks(y), ranks(p))
        assert (got["spearman"] is None) == (rho is None), (got["spearman"], rho)
        assert rho is None or abs(got["spearman"] - rho) < 1e-9
        if m["name"] == "majority":
            # The training mean on the log scale, back as a count.
            train = [math.log1p(views[c["clip_id"]]) for c in clips if c["fold"] != f]
            want = math.expm1(sum(train) / len(train))
            assert all(abs(x - want) < 1e-6 * want for x in p), (p[0], want)
    for k in expected:
        v = m["metrics"][k]
        if v["mean"] is not None:
            assert abs(v["mean"] - sum(v["folds"]) / 3) < 1e-9
    assert m["win_tie_loss"] == [0, 0, 0] if m["name"] == "majority" else sum(m["win_tie_loss"]) == 3
# The best has the lowest mean RMSE on the log scale.
done = [m for m in d["models"]]
assert d["best"] == min(done, key=lambda m: m["metrics"]["rmse_log"]["mean"])["name"]
PY

# Naive Bayes has no regression form: it fails with a message, the others run.
if "$CS_CLI" predict-eval p.clipscope --target like_rate:value --models "majority;nb" --folds 3 \
     --json > nb.json 2> err.txt; then
  fail "Naive Bayes on a number should fail"
fi
[ "$(wc -l < err.txt)" -eq 1 ] || fail "nb on a number: expected one line on stderr, got: $(cat err.txt)"
grep -q "Naive Bayes predicts classes, not a number" err.txt || fail "nb on a number: $(cat err.txt)"
python3 - nb.json <<'PY' || fail "nb on a number: the JSON should keep the baseline"
import json, sys
d = json.load(open(sys.argv[1]))
st = {m["name"]: m["status"] for m in d["models"]}
assert st == {"majority": "done", "nb": "failed"}, st
assert d["target"]["log_scale"] is False and "mae_log" not in d["models"][0]["metrics"]
PY

# Bad input: one line on stderr, non-zero exit, and it says what to do.
check_bad () {
  expected=$1
  shift
  if "$CS_CLI" predict-eval p.clipscope "$@" > /dev/null 2> err.txt; then
    fail "predict-eval $* should fail"
  fi
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "predict-eval $*: expected one line on stderr, got: $(cat err.txt)"
  grep -q "$expected" err.txt || fail "predict-eval $*: expected “$expected” in: $(cat err.txt)"
}
check_bad "fewer than the 40 folds" --target views:terciles --models nb --folds 40
check_bad "Unknown model" --models "nb;forest"
check_bad "leave the content features out" --features content --models nb
check_bad "Unknown target metric" --target popularity:terciles --models nb
check_bad "at least 2" --folds 1 --models nb
check_bad "METRIC:value" --target views:number --models majority
