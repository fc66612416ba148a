#!/usr/bin/python3
# Expected values of test-significance.c's significance-matrix case, computed
# independently of the engine with SciPy (Debian's python3-scipy):
#   /usr/bin/python3 tests/engine/significance-matrix.py
# Paired t: scipy.stats.ttest_rel; Wilcoxon signed-rank: scipy.stats.wilcoxon
# with zero differences dropped, normal approximation, tie correction and no
# continuity correction (cs-significance.h); Holm's step-down adjustment over
# all pairs of models, written out here.
import itertools
import numpy as np
from scipy import stats

# Eighths, exact in binary, so equal differences are equal (Wilcoxon ties).
models = {
    'A': [4, 2, 7, 0, 6, 3, 5, 1, 8, 4],
    'B': [3, 2, 5, 1, 2, 3, 2, 0, 4, 1],
    'C': [4, 3, 6, 0, 6, 2, 6, 1, 8, 3],
    'D': [1, 0, 2, 0, 1, 0, 3, 0, 2, 1],
}
models = {k: [x / 8 for x in v] for k, v in models.items()}
names = list(models)
pairs = list(itertools.combinations(range(len(names)), 2))

def holm(p):
    order = np.argsort(p, kind='stable')
    m = len(p)
    adj = np.empty(m)
    running = 0.0
    for j, i in enumerate(order):
        running = max(running, min(1.0, (m - j) * p[i]))
        adj[i] = running
    return adj

t_p, w_p, ts = [], [], []
for r, c in pairs:
    a, b = np.array(models[names[r]]), np.array(models[names[c]])
    t = stats.ttest_rel(a, b)
    w = stats.wilcoxon(a - b, zero_method='wilcox', correction=False, method='approx')
    ts.append(t.statistic)
    t_p.append(t.pvalue)
    w_p.append(w.pvalue)
for (r, c), t, p, ph, q, qh in zip(pairs, ts, t_p, holm(np.array(t_p)), w_p, holm(np.array(w_p))):
    a, b = np.array(models[names[r]]), np.array(models[names[c]])
    print('    { %d, %d, %.17g, %.17g, %.17g, %.17g, %.17g, %.17g, %d, %d },'
          % (r, c, np.mean(a - b), t, p, ph, q, qh, np.sum(a > b), np.sum(a < b)))
