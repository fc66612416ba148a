#!/bin/sh
# clipscope-cli evaluate --models "pop;content" --keep-models on a simulated
# project: the content model trains on the clips' text and features, its
# metrics are in the DESIGN §7 JSON with the significance matrix, and each model's trained state is kept
# in the project (model_states) as a blob with the documented header.
#
# Environment: CS_CLI (path of clipscope-cli).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fail () {
  echo "test-cli-evaluate-content: $*" >&2
  exit 1
}

[ -n "${CS_CLI:-}" ] || fail "CS_CLI is not set (path of clipscope-cli)"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

"$CS_CLI" demo p.clipscope --no-media --clips 60 --viewers 300 >/dev/null 2>&1 || fail "demo failed"

for protocol in temporal leave-last-out; do
  "$CS_CLI" evaluate p.clipscope --protocol $protocol --models "pop;content" --k 10 --keep-models \
    --json > out.json 2> err.txt || fail "evaluate $protocol failed: $(cat err.txt)"

  python3 - out.json p.clipscope <<'PY' || fail "$protocol: wrong JSON or kept models"
import json, sqlite3, struct, sys
d = json.load(open(sys.argv[1]))
names = [m["name"] for m in d["models"]]
assert names == ["pop", "content"], names
content = d["models"][1]
assert content["status"] == "done", content
assert content["params"] == {"feature_weight": 0.5, "min_df": 2, "text_weight": 1.0}, content["params"]
m = content["metrics"]
for k in ("ndcg@10", "recall@10", "precision@10", "hr@10", "map@10", "mrr@10", "coverage@10"):
    assert 0 <= m[k] <= 1, (k, m[k])
# Some viewer found a test clip in the content model's top 10.
assert m["hr@10"] > 0, m

# The significance matrix of every pair is in the JSON too; with two models
# its one pair is the test against the baseline, counted the same way.
sig = d["significance"]
assert sig["n_models"] == 2 and sig["n"] == d["test_viewers"], (sig["n_models"], sig["n"])
cell = sig["matrices"]["ndcg@10"]
vs = content["vs_baseline"]["ndcg@10"]
assert cell["t_p"][0] is None and cell["t_p"][3] is None, cell["t_p"]
assert abs(cell["t_p"][2] - vs["p"]) < 1e-12 and cell["t_p"][1] == cell["t_p"][2], (cell["t_p"], vs)
assert cell["t_p_holm"][2] == cell["t_p"][2], cell
assert abs(cell["wilcoxon_p"][2] - vs["wilcoxon_p"]) < 1e-12, (cell, vs)
assert cell["wins"][2] == vs["wins"] and cell["wins"][1] == vs["losses"], (cell["wins"], vs)

db = sqlite3.connect(sys.argv[2])
rows = db.execute("SELECT s.run_id, s.format, s.bytes, r.model FROM model_states s"
                  " JOIN runs r ON r.id = s.run_id WHERE r.parent_id = ? ORDER BY s.run_id",
                  (d["run_id"],)).fetchall()
assert [r[3] for r in rows] == ["pop", "content"], rows
for run_id, fmt, blob, model in rows:
    assert fmt == "clipscope-model-state/1"
    assert blob[:4] == b"CSMS"
    (version, name_len) = struct.unpack_from("<II", blob, 4)
    assert version == 1
    assert blob[12:12 + name_len].decode() == model
PY
done

# Without --keep-models nothing is kept.
before=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from model_states").fetchone()[0])' p.clipscope)
"$CS_CLI" evaluate p.clipscope --models "pop;content" --k 10 >/dev/null 2>&1 || fail "evaluate without --keep-models failed"
after=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from model_states").fetchone()[0])' p.clipscope)
[ "$before" = "$after" ] || fail "models were kept without --keep-models ($before → $after)"
exit 0
