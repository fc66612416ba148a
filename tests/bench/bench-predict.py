#!/usr/bin/env python3
# bench-predict.py: the peer side of bench-predict (docs/BENCHMARKS.md
# "Predict parity"). Reads the same CSV files with Python's csv module,
# computes the tercile labels and posting hour/weekday itself, takes the
# folds, tokens and text counts Clipscope wrote (ICU's word segmentation has
# no counterpart in scikit-learn), builds the same feature matrix with
# scikit-learn (TfidfVectorizer, MinMaxScaler, one-hot) and runs the same
# models with the same settings. Prints one JSON document on stdout.
#
# --target value: the number itself. Both sides learn log1p of the count,
# standardised on each fold's training rows ((z - mean) / population sd),
# with scikit-learn's and xgboost's regressors in the forms Clipscope uses
# (DummyRegressor mean; LinearSVR with squared loss and no epsilon, liblinear
# solver 11, for logreg; LinearSVR, solver 13, for linsvm; SVR; XGBRF- and
# XGBRegressor with base_score 0); the predictions go back to counts
# (expm1, at least 0) and MAE, RMSE and R² on log1p and Spearman's rho are
# averaged over the folds.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import csv
import datetime
import json
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.stats import spearmanr
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, mean_absolute_error, mean_squared_error, r2_score
from sklearn.naive_bayes import MultinomialNB
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC, SVR, LinearSVC, LinearSVR
from xgboost import XGBClassifier, XGBRegressor, XGBRFClassifier, XGBRFRegressor

csv.field_size_limit(sys.maxsize)


def number(text):
    try:
        v = float(text)
    except ValueError:
        return None
    return v if np.isfinite(v) else None


def weibo_time(text):
    try:
        date, clock = text.split(" ")
        month, rest = date.split("月")
        day = rest.rstrip("日")
        h, _ = clock.split(":")
        d = datetime.date(2020, int(month), int(day))
        if int(h) > 23:
            return -1, -1
        return int(h), d.weekday()
    except ValueError:
        return -1, -1


def load(data, dataset):
    rows = []  # key, target, hour, weekday
    seen = set()
    if dataset == "weibo-cctv-2020":
        paths = [os.path.join(data, "engagement", dataset, "sina_cctv_list_%d.csv" % i) for i in range(1, 12)]
        key, target, tcol = "weibo_url", "like", "pub_time"
    else:
        paths = [os.path.join(data, "engagement", dataset, "scores-ss1-ss41790.csv")]
        key, target, tcol = "season_id", "views", None
    for path in paths:
        with open(path, newline="", encoding="utf-8-sig") as f:
            for rec in csv.DictReader(f):
                v = number(rec.get(target) or "")
                k = rec.get(key)
                if v is None or k is None or k in seen:
                    continue
                seen.add(k)
                hour, weekday = weibo_time(rec[tcol]) if tcol else (-1, -1)
                rows.append((k, v, hour, weekday))
    return rows


def settings(spec):
    """(name, numeric settings, gamma) of each "name:key=value,…" item."""
    for item in spec.split(";"):
        name, _, params = item.strip().partition(":")
        p = {k.strip(): float(v) for k, v in (kv.split("=") for kv in params.split(",") if kv.strip())
             if k.strip() != "gamma"}
        gamma = dict(kv.split("=") for kv in params.split(",") if "=" in kv).get("gamma", "scale")
        yield name, p, gamma if gamma == "scale" else float(gamma)


def models(spec, seed, threads):
    """The same models and settings as Clipscope's "name:key=value,…" list."""
    out = {}
    for name, p, gamma in settings(spec):
        if name == "majority":
            out[name] = DummyClassifier(strategy="prior")
        elif name == "nb":
            out[name] = MultinomialNB(alpha=p.get("alpha", 1.0))
        elif name == "logreg":
            out[name] = LogisticRegression(C=p.get("C", 1.0), solver="liblinear", tol=p.get("tol", 1e-4))
        elif name == "linsvm":
            out[name] = LinearSVC(C=p.get("C", 1.0), tol=p.get("tol", 1e-4), random_state=seed)
        elif name == "rbfsvm":
            out[name] = SVC(C=p.get("C", 1.0), gamma=gamma, tol=p.get("tol", 1e-3), cache_size=p.get("cache_mb", 200),
                            probability=True, random_state=seed)
        elif name == "rf":
            out[name] = XGBRFClassifier(n_estimators=int(p.get("trees", 100)), max_depth=int(p.get("depth", 8)),
                                        subsample=p.get("subsample", 0.8),
                                        colsample_bynode=p.get("colsample", 0.8), reg_lambda=p.get("lambda", 1e-5), learning_rate=1.0, tree_method="hist",
                                        n_jobs=threads, random_state=seed, verbosity=0)
        elif name == "gbdt":
            out[name] = XGBClassifier(n_estimators=int(p.get("rounds", 100)), max_depth=int(p.get("depth", 6)),
                                      learning_rate=p.get("eta", 0.3), subsample=p.get("subsample", 1.0),
                                      colsample_bytree=p.get("colsample", 1.0), reg_lambda=p.get("lambda", 1.0), tree_method="hist",
                                      n_jobs=threads, random_state=seed, verbosity=0)
    return out


def regressors(spec, seed, threads):
    """The regression forms of the same list (cs-classifier.h)."""
    out = {}
    for name, p, gamma in settings(spec):
        if name == "majority":
            out[name] = DummyRegressor(strategy="mean")
        elif name == "logreg":
            out[name] = LinearSVR(loss="squared_epsilon_insensitive", epsilon=0.0, dual=False, C=p.get("C", 1.0),
                                  tol=p.get("tol", 1e-4), random_state=seed)
        elif name == "linsvm":
            out[name] = LinearSVR(loss="epsilon_insensitive", epsilon=p.get("epsilon", 0.0), dual=True,
                                  C=p.get("C", 1.0), tol=p.get("tol", 1e-4), random_state=seed)
        elif name == "rbfsvm":
            out[name] = SVR(C=p.get("C", 1.0), gamma=gamma, tol=p.get("tol", 1e-3), epsilon=p.get("epsilon", 0.1),
                            cache_size=p.get("cache_mb", 200))
        elif name == "rf":
            out[name] = XGBRFRegressor(n_estimators=int(p.get("trees", 100)), max_depth=int(p.get("depth", 8)),
                                       subsample=p.get("subsample", 0.8), colsample_bynode=p.get("colsample", 0.8),
                                       reg_lambda=p.get("lambda", 1e-5), learning_rate=1.0, tree_method="hist",
                                       base_score=0.0, n_jobs=threads, random_state=seed, verbosity=0)
        elif name == "gbdt":
            out[name] = XGBRegressor(n_estimators=int(p.get("rounds", 100)), max_depth=int(p.get("depth", 6)),
                                     learning_rate=p.get("eta", 0.3), subsample=p.get("subsample", 1.0),
                                     colsample_bytree=p.get("colsample", 1.0), reg_lambda=p.get("lambda", 1.0),
                                     tree_method="hist", base_score=0.0, n_jobs=threads, random_state=seed,
                                     verbosity=0)
    return out


def predicted(model, x):
    if hasattr(model, "predict_proba"):
        return np.argmax(model.predict_proba(x), axis=1)
    return np.argmax(model.decision_function(x), axis=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--rows", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--target", default="terciles", choices=["terciles", "value"])
    args = ap.parse_args()
    number = args.target == "value"

    rows = load(args.data, args.dataset)
    target = np.array([r[1] for r in rows])
    t1, t2 = np.quantile(target, [1 / 3, 2 / 3])
    labels = np.where(target < t1, 0, np.where(target < t2, 1, 2))
    by_key = {r[0]: (i, labels[i], r[2], r[3], r[1]) for i, r in enumerate(rows)}

    keys, folds, counts, docs = [], [], [], []
    with open(args.rows, encoding="utf-8") as f:
        for line in f:
            k, fold, chars, emoji, tags, tokens = line.rstrip("\n").split("\t")
            keys.append(k)
            folds.append(int(fold))
            counts.append((float(chars), float(emoji), float(tags)))
            docs.append(tokens)
    folds = np.array(folds)
    y = np.array([by_key[k][1] for k in keys])
    values = np.array([by_key[k][4] for k in keys])
    agree = int(sum(1 for k, l in zip(keys, y) if k in by_key))
    hours = np.array([by_key[k][2] for k in keys])
    weekdays = np.array([by_key[k][3] for k in keys])
    counts = np.array(counts)
    use_time = args.dataset == "weibo-cctv-2020"
    threads = os.cpu_count()

    make = regressors if number else models
    results = {name: {"macro_f1": [], "mae": [], "rmse_log": [], "r2_log": [], "spearman": [], "fit_s": 0.0,
                     "fit_cpu_s": 0.0}
               for name in make(args.models, args.seed, threads)}
    n_features = 0
    for f in range(folds.max() + 1):
        train, test = folds != f, folds == f
        vec = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False,
                              ngram_range=(1, 2), min_df=2)
        text_train = vec.fit_transform([d for d, t in zip(docs, train) if t])
        text_test = vec.transform([d for d, t in zip(docs, test) if t])
        scaler = MinMaxScaler(clip=True).fit(counts[train])
        blocks_train = [text_train, sp.csr_matrix(scaler.transform(counts[train]))]
        blocks_test = [text_test, sp.csr_matrix(scaler.transform(counts[test]))]
        if use_time:
            for part, blocks in ((train, blocks_train), (test, blocks_test)):
                onehot = np.zeros((part.sum(), 31))
                for i, (h, d) in enumerate(zip(hours[part], weekdays[part])):
                    if h >= 0:
                        onehot[i, h] = 1
                    if d >= 0:
                        onehot[i, 24 + d] = 1
                blocks.append(sp.csr_matrix(onehot))
        x_train = sp.hstack(blocks_train, format="csr", dtype=np.float32)
        x_test = sp.hstack(blocks_test, format="csr", dtype=np.float32)
        x_train.eliminate_zeros()
        x_test.eliminate_zeros()
        if f == 0:
            n_features = x_train.shape[1]
        if number:
            z = np.log1p(values[train])
            mean, sd = z.mean(), z.std()
            sd = sd if sd > 0 else 1.0
            z = (z - mean) / sd
        for name, model in make(args.models, args.seed, threads).items():
            start, cpu_start = time.perf_counter(), time.process_time()
            model.fit(x_train, z if number else y[train])
            results[name]["fit_s"] += time.perf_counter() - start
            # Every thread's CPU time, as the C side's fit_cpu_s.
            results[name]["fit_cpu_s"] += time.process_time() - cpu_start
            if not number:
                pred = predicted(model, x_test)
                results[name]["macro_f1"].append(f1_score(y[test], pred, average="macro", zero_division=0))
                continue
            pred = np.maximum(np.expm1(mean + sd * model.predict(x_test)), 0)
            truth = values[test]
            r = results[name]
            r["mae"].append(mean_absolute_error(truth, pred))
            r["rmse_log"].append(mean_squared_error(np.log1p(truth), np.log1p(pred)) ** 0.5)
            r["r2_log"].append(r2_score(np.log1p(truth), np.log1p(pred)))
            # A constant prediction (the mean) has no rank correlation.
            constant = np.all(pred == pred[0]) or np.all(truth == truth[0])
            r["spearman"].append(None if constant else spearmanr(truth, pred).correlation)

    def mean_of(v):
        return None if not v or any(x is None for x in v) else float(np.mean(v))

    out = {
        "rows": len(keys), "labels_agree": agree, "n_features": n_features,
        "models": {name: {"macro_f1": mean_of(r["macro_f1"]), "mae": mean_of(r["mae"]),
                          "rmse_log": mean_of(r["rmse_log"]), "r2_log": mean_of(r["r2_log"]),
                          "spearman": mean_of(r["spearman"]), "fit_s": r["fit_s"],
                          "fit_cpu_s": r["fit_cpu_s"]}
                   for name, r in results.items()},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
