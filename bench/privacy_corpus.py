"""Precision and recall of the privacy pre-check on the labelled corpus (tests/privacy/corpus/).

    python bench/privacy_corpus.py [--errors]

Scans every snippet of snippets.jsonl (generated) and handwritten.jsonl, and every attachment of
files.json (rebuilt from code by build_corpus.py into a temporary directory, with each file's public values),
matches the findings to the labels (same kind and same value as written; for addresses one contained in the
other) and prints TP/FP/FN, precision and recall per kind, for the personal-data kinds together
and overall.  ``--errors`` lists every false positive and false negative.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from privacy import PERSONAL_KINDS, scan, scan_text
from tests.privacy.corpus import build_corpus

CORPUS = os.path.join(ROOT, "tests", "privacy", "corpus")


def _match(kind, pred, exp):
    if kind == "address":
        return pred in exp or exp in pred
    return pred == exp


def score(found, labels, tally, errors, where):
    expected = [tuple(lab) for lab in labels]
    used = [False] * len(expected)
    for kind, value in found:
        for i, (k, v) in enumerate(expected):
            if not used[i] and k == kind and _match(kind, value, v):
                used[i] = True
                tally[kind]["tp"] += 1
                break
        else:
            tally[kind]["fp"] += 1
            errors.append(("FP", where, kind, value))
    for (k, v), u in zip(expected, used, strict=False):
        if not u:
            tally[k]["fn"] += 1
            errors.append(("FN", where, k, v))


def main(argv=None):
    argv = argv if argv is not None else sys.argv[1:]
    tally: dict = {}

    class T(dict):
        def __missing__(self, k):
            self[k] = Counter()
            return self[k]

    tally = T()
    errors: list = []
    snippets = []
    for fname in ("snippets.jsonl", "handwritten.jsonl"):
        with open(os.path.join(CORPUS, fname), encoding="utf-8") as fh:
            snippets += [json.loads(line) for line in fh if line.strip()]
    t0 = time.perf_counter()
    for s in snippets:
        found = [(f.kind, f.value) for f in scan_text(s["text"], public_values=s.get("public_values") or ())]
        score(found, s["labels"], tally, errors, s["id"])
    t_snip = time.perf_counter() - t0
    with open(os.path.join(CORPUS, "files.json"), encoding="utf-8") as fh:
        files = json.load(fh)
    with tempfile.TemporaryDirectory() as tmp:
        build_corpus.RNG.seed(110011)
        build_corpus.build_snippets()
        rebuilt = build_corpus.build_files(tmp)
        if [(n, lab) for n, lab, _p in rebuilt] != [(f["name"], f["labels"]) for f in files]:
            sys.exit("files.json does not match build_corpus.py: run python tests/privacy/corpus/build_corpus.py")
        t0 = time.perf_counter()
        for f in files:
            with open(os.path.join(tmp, f["name"]), "rb") as fh:
                data = fh.read()
            report = scan(None, [(f["name"], data)], public_values=f.get("public_values") or ())
            found = [(x.kind, x.value) for x in report.findings]
            score(found, f["labels"], tally, errors, f["name"])
        t_files = time.perf_counter() - t0
    n_labels = sum(len(s["labels"]) for s in snippets) + sum(len(f["labels"]) for f in files)
    print(f"corpus: {len(snippets)} snippets, {len(files)} files, {n_labels} labels "
          f"(scan time: snippets {t_snip:.2f}s, files {t_files:.2f}s)")
    print(f"{'kind':<22} {'TP':>5} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7}")

    def line(label, c):
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"{label:<22} {c['tp']:>5} {c['fp']:>4} {c['fn']:>4} {p:>9.3f} {r:>7.3f}")

    personal, overall = Counter(), Counter()
    for kind in sorted(tally, key=lambda k: (k not in PERSONAL_KINDS, k)):
        line(kind, tally[kind])
        overall.update(tally[kind])
        if kind in PERSONAL_KINDS:
            personal.update(tally[kind])
    print("-" * 56)
    line("personal data (all)", personal)
    line("overall", overall)
    if "--errors" in argv:
        for e in errors:
            print(*e, sep="\t")


if __name__ == "__main__":
    main()
