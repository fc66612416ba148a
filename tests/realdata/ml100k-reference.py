#!/usr/bin/env python3
# An independent, plain-Python reading of DESIGN §4 (positives, index order,
# temporal and leave-last-out splits, Popularity, ItemKNN, every metric) used
# to cross-check clipscope-cli evaluate on MovieLens-100K. Slow but obvious:
# no code is shared with the engine.
#
# EASE (when EASE_LAMBDA is given) is NumPy's: B from an LU inverse
# (np.linalg.inv) of the dense XᵀX + λI, where the engine uses a Cholesky
# factorisation through LAPACKE, then scores rounded to float32 as the engine
# stores them. Needs python3-numpy only for EASE.
#
# Usage: ml100k-reference.py INTER_FILE PROTOCOL K,K… ITEMKNN_K [EASE_LAMBDA]
# Prints {"train_pairs", "test_pairs", "test_viewers",
#         "models": {"pop": {"ndcg@10": …}, "itemknn": {…}, "ease": {…}}} as JSON.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import collections
import heapq
import json
import math
import sys

path, protocol, ks_text, knn_k = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ease_lambda = float(sys.argv[5]) if len(sys.argv) > 5 else None
ks = sorted({int(k) for k in ks_text.split(",")})

# Every rating is a view; a repeated (viewer, clip) keeps its earliest time.
first = {}
with open(path, encoding="utf-8") as f:
    header = f.readline().rstrip("\n").split("\t")
    col = {name.split(":")[0]: n for n, name in enumerate(header)}
    for line in f:
        cells = line.rstrip("\n").split("\t")
        key = (cells[col["user_id"]], cells[col["item_id"]])
        t = int(float(cells[col["timestamp"]]))
        if key not in first or t < first[key]:
            first[key] = t


def order(ids):
    ids = set(ids)
    try:
        return sorted(ids, key=lambda s: (int(s), s.encode()))
    except ValueError:
        return sorted(ids, key=lambda s: s.encode())


viewer_index = {v: n for n, v in enumerate(order(k[0] for k in first))}
clip_index = {c: n for n, c in enumerate(order(k[1] for k in first))}
n_clips = len(clip_index)
pairs = [(t, viewer_index[v], clip_index[c]) for (v, c), t in first.items()]

train = collections.defaultdict(set)
test = collections.defaultdict(set)
if protocol == "temporal":
    pairs.sort()
    n_train = math.floor(0.8 * len(pairs) + 1e-6)
    for t, v, c in pairs[:n_train]:
        train[v].add(c)
    warm_clips = {c for cs in train.values() for c in cs}
    for t, v, c in pairs[n_train:]:
        if v in train and c in warm_clips and c not in train[v]:
            test[v].add(c)
elif protocol == "leave-last-out":
    by_viewer = collections.defaultdict(list)
    for t, v, c in pairs:
        by_viewer[v].append((t, c))
    for v, items in by_viewer.items():
        items.sort()
        if len(items) >= 2:
            test[v].add(items[-1][1])
            items = items[:-1]
        train[v].update(c for t, c in items)
else:
    sys.exit("unknown protocol " + protocol)

clip_viewers = collections.defaultdict(set)
for v, cs in train.items():
    for c in cs:
        clip_viewers[c].add(v)
popularity = [len(clip_viewers.get(c, ())) for c in range(n_clips)]
n_train_viewers = sum(1 for cs in train.values() if cs)
n_train_clips = sum(1 for p in popularity if p > 0)

# ItemKNN: cosine of binary clip columns, diagonal 0, k largest per row (ties
# to the lower index, judged on float32 values as the engine stores them).
def to_float32(x):
    import struct
    return struct.unpack("f", struct.pack("f", x))[0]

neighbours = {}
for i in range(n_clips):
    counts = collections.Counter()
    for u in clip_viewers.get(i, ()):
        for j in train[u]:
            if j != i:
                counts[j] += 1
    sims = sorted((-to_float32(c / math.sqrt(len(clip_viewers[i]) * len(clip_viewers[j]))), j)
                  for j, c in counts.items())
    neighbours[i] = [(j, -s) for s, j in sims[:knn_k]]


ease_scores = None
if ease_lambda is not None:
    import numpy as np

    X = np.zeros((max(viewer_index.values()) + 1, n_clips))
    for v, cs in train.items():
        X[v, list(cs)] = 1.0
    P = np.linalg.inv(X.T @ X + ease_lambda * np.eye(n_clips))
    B = np.eye(n_clips) - P / np.diag(P)
    np.fill_diagonal(B, 0.0)
    ease_scores = (X @ B).astype(np.float32)


def scores_for(model, v):
    if model == "pop":
        return [float(p) for p in popularity]
    if model == "ease":
        return [float(x) for x in ease_scores[v]]
    s = [0.0] * n_clips
    for i in sorted(train[v]):
        for j, sim in neighbours[i]:
            s[j] += sim
    return s


def rank(scores, seen, k):
    # The catalogue is the clips with training pairs (docs/RECOMMEND.md).
    return [j for _, j in heapq.nsmallest(k, ((-scores[j], j) for j in range(n_clips)
                                             if j not in seen and popularity[j] > 0))]


result = {"train_pairs": sum(len(cs) for cs in train.values()),
          "test_pairs": sum(len(cs) for cs in test.values()),
          "test_viewers": len(test), "models": {}}
for model in ("pop", "itemknn") + (("ease",) if ease_lambda is not None else ()):
    total = collections.defaultdict(float)
    covered = {k: set() for k in ks}
    for v in sorted(test):
        ranked = rank(scores_for(model, v), train[v], max(ks))
        T = test[v]
        for k in ks:
            top = ranked[:k]
            hit_ranks = [r for r, j in enumerate(top, 1) if j in T]
            idcg = sum(1 / math.log2(r + 1) for r in range(1, min(len(T), k) + 1))
            total["precision@%d" % k] += len(hit_ranks) / k
            total["recall@%d" % k] += len(hit_ranks) / len(T)
            total["hr@%d" % k] += 1.0 if hit_ranks else 0.0
            total["ndcg@%d" % k] += sum(1 / math.log2(r + 1) for r in hit_ranks) / idcg
            total["map@%d" % k] += sum((n + 1) / r for n, r in enumerate(hit_ranks)) / min(len(T), k)
            total["mrr@%d" % k] += 1 / hit_ranks[0] if hit_ranks else 0.0
            total["novelty@%d" % k] += (sum(-math.log2(max(popularity[j], 1) / n_train_viewers) for j in top)
                                        / len(top) if top else 0.0)
            covered[k].update(top)
    metrics = {name: value / len(test) for name, value in total.items()}
    for k in ks:
        metrics["coverage@%d" % k] = len(covered[k]) / n_train_clips
    result["models"][model] = metrics

json.dump(result, sys.stdout)
print()
