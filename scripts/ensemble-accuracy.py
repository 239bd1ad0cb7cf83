#!/usr/bin/env python3
"""Accuracy of an ensemble that averages the class probabilities of several classifiers over the same texts.

Usage: scripts/ensemble-accuracy.py predictions1.jsonl predictions2.jsonl [...]
Each file is what `qrnn eval --predictions FILE.jsonl` writes for one model on the same data and split: one JSON
object per text with its `label` and a `p_<class>` field per class. Prints each model's accuracy and the
accuracy of the mean of their probabilities (ties go to the class that comes first in the file's fields).
"""
import json
import sys


def read(path):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def probabilities(row):
    return {key[2:]: value for key, value in row.items() if key.startswith("p_")}


def accuracy(rows, predict):
    return sum(predict(i) == row["label"] for i, row in enumerate(rows)) / len(rows)


def main(paths):
    if len(paths) < 2:
        sys.exit(__doc__)
    models = [read(path) for path in paths]
    reference = models[0]
    for path, rows in zip(paths, models):
        if len(rows) != len(reference) or any(a["text"] != b["text"] for a, b in zip(rows, reference)):
            sys.exit(f"{path}: not the same texts as {paths[0]}")
        print(f"{accuracy(rows, lambda i, rows=rows: max(probabilities(rows[i]).items(), key=lambda kv: kv[1])[0]):.4f}"
              f"  {path}")

    def mean(i):
        classes = list(probabilities(reference[i]))
        totals = {c: sum(probabilities(rows[i])[c] for rows in models) for c in classes}
        return max(classes, key=lambda c: totals[c])

    print(f"{accuracy(reference, mean):.4f}  mean of the {len(models)} models' probabilities "
          f"({len(reference)} texts)")


if __name__ == "__main__":
    main(sys.argv[1:])
