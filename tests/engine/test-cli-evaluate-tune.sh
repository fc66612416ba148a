#!/bin/sh
# clipscope-cli evaluate --tune on a simulated project: the JSON's "tuning"
# per model (grid, validation NDCG per point, chosen point), the chosen
# settings in params and label, a validation split of the size worked out
# here from the events (temporal: the last training pair of every viewer
# with two or more), and test figures equal to an untuned run of the chosen
# settings.
#
# Environment: CS_CLI (path of clipscope-cli).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fail () {
  echo "test-cli-evaluate-tune: $*" >&2
  exit 1
}

[ -n "${CS_CLI:-}" ] || fail "CS_CLI is not set (path of clipscope-cli)"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

"$CS_CLI" demo p.clipscope --no-media --clips 60 --viewers 300 >/dev/null 2>&1 || fail "demo failed"
"$CS_CLI" evaluate p.clipscope --models "pop;itemknn;ease" --k 10 --tune --json > tuned.json 2> err.txt ||
  fail "evaluate --tune failed: $(cat err.txt)"
"$CS_CLI" evaluate --help | grep -q -- "--tune" || fail "--tune is not in the usage text"

python3 - tuned.json p.clipscope > chosen.txt <<'PY' || fail "wrong tuning JSON"
import json, math, sqlite3, sys
d = json.load(open(sys.argv[1]))
pop, knn, ease = d["models"]
assert "tuning" not in pop, pop

# The temporal split and its validation cut, from the events alone.
db = sqlite3.connect(sys.argv[2])
first = {}
for v, c, t in db.execute("SELECT v.external_id, c.external_id, e.time FROM events e"
                          " JOIN viewers v ON v.id = e.viewer_id JOIN clips c ON c.id = e.clip_id"
                          " WHERE e.kind = 1"):
    first[(v, c)] = min(t, first.get((v, c), t))
pairs = sorted((t, v, c) for (v, c), t in first.items())
train = pairs[:int(0.8 * len(pairs) + 1e-9)]
per_viewer = {}
for t, v, c in train:
    per_viewer[v] = per_viewer.get(v, 0) + 1
n_val = sum(1 for n in per_viewer.values() if n >= 2)
assert d["train_pairs"] == len(train), (d["train_pairs"], len(train))

out = []
for model, key, grid in ((knn, "k", [50, 100, 200]), (ease, "lambda", [100, 500, 2000])):
    tu = model["tuning"]
    assert tu["metric"] == "ndcg@10" and tu["validation"] == "last", tu
    assert tu["grid"] == [{key: g} for g in grid], tu["grid"]
    assert tu["validation_pairs"] == n_val and tu["validation_viewers"] == n_val, (tu, n_val)
    assert tu["tuning_train_pairs"] == len(train) - n_val, tu
    scores = tu["validation_ndcg"]
    best = max(range(len(grid)), key=lambda i: (scores[i], -i))
    assert tu["chosen"] == {key: grid[best]}, (tu["chosen"], scores)
    assert model["params"][key] == grid[best], model["params"]
    assert ("%s=%d" % (key, grid[best])) in model["label"], model["label"]
    out.append("%s:%s=%d" % (model["name"], key, grid[best]))
print(";".join(out))
PY
chosen=$(cat chosen.txt)

"$CS_CLI" evaluate p.clipscope --models "pop;$chosen" --k 10 --json > plain.json 2> err.txt ||
  fail "evaluate $chosen failed: $(cat err.txt)"
python3 - tuned.json plain.json <<'PY' || fail "tuned test figures differ from an untuned run of the chosen settings"
import json, sys
tuned, plain = (json.load(open(p)) for p in sys.argv[1:3])
assert tuned["test_pairs"] == plain["test_pairs"] and tuned["test_viewers"] == plain["test_viewers"]
for a, b in zip(tuned["models"], plain["models"]):
    assert a["label"] == b["label"], (a["label"], b["label"])
    assert a["metrics"] == b["metrics"], (a["label"], a["metrics"], b["metrics"])
    assert "tuning" not in b
PY
echo "ok: $chosen"
