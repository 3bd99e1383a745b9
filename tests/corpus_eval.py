"""Precision and recall of exocheck on the labelled corpus (tests/corpus), per verdict and per label.

Run `python tests/corpus_eval.py` for the tables (`-v` lists the tuning corpus's misses; the held-out
corpus's misses are deliberately not listed, so nobody tunes against it); tests/test_accuracy.py holds
the floors.
A predicted finding is compared with the labels of the sentence (or passage quote) it covers: verdicts
are counted as multisets, so two expected `unsupported` claims need two `unsupported` findings.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
VERDICTS = ("unsupported", "misleading", "accurate", "unverified")
# Accurate fact entries carry topic "general"; the labels name the kind of fact instead.
FACT_TAGS = {
    "no-fda-approved-products": "regulatory", "regulated-as-biologics": "regulatory",
    "ind-clearance-fact": "regulatory", "fda-warnings": "regulatory", "adverse-events-reported": "safety",
    "purity-problems": "safety", "evidence-is-early": "evidence", "no-proven-benefit": "evidence",
}


def label_of(finding) -> str:  # noqa: ANN001 - exocheck.Finding
    if finding.topic not in ("general",):
        tag = finding.topic
    elif finding.kind == "fact":
        tag = FACT_TAGS.get(finding.claim_id, "general")
    elif finding.kind == "health":
        tag = "general"
    else:
        tag = finding.kind
    return f"{finding.verdict}:{tag}"


@dataclass
class Tally:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, where: str, text: str, expected: list[str], predicted: list[str]) -> None:
        verdicts_expected = Counter(label.split(":")[0] for label in expected)
        verdicts_predicted = Counter(label.split(":")[0] for label in predicted)
        labels_expected = Counter("label:" + label for label in expected)
        labels_predicted = Counter("label:" + label for label in predicted)
        for exp, pred in ((verdicts_expected, verdicts_predicted), (labels_expected, labels_predicted)):
            for key in exp | pred:
                hit = min(exp[key], pred[key])
                self.tp[key] += hit
                self.fp[key] += pred[key] - hit
                self.fn[key] += exp[key] - hit
        if verdicts_expected != verdicts_predicted:
            self.misses.append(f"{where}: expected {sorted(expected)} got {sorted(predicted)}\n    {text!r}")

    def precision(self, key: str) -> float:
        denominator = self.tp[key] + self.fp[key]
        return self.tp[key] / denominator if denominator else 1.0

    def recall(self, key: str) -> float:
        denominator = self.tp[key] + self.fn[key]
        return self.tp[key] / denominator if denominator else 1.0

    def label_totals(self) -> tuple[float, float]:
        keys = [k for k in self.tp | self.fp | self.fn if k.startswith("label:")]
        tp = sum(self.tp[k] for k in keys)
        fp = sum(self.fp[k] for k in keys)
        fn = sum(self.fn[k] for k in keys)
        return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


# The tuning set is what the matcher was developed against; the held-out set was written independently
# and is never used to tune rules, so its numbers estimate accuracy on unseen copy.
TUNING = ("sentences.yaml", "passages.yaml")
HOLDOUT = (None, "holdout.yaml")


def evaluate(files: tuple[str | None, str] = TUNING) -> tuple[Tally, dict[str, int]]:
    import exocheck

    tally = Tally()
    counts = {"sentences": 0, "passages": 0, "quotes": 0, "silent_ok": 0, "silent_total": 0}
    sentence_file, passage_file = files
    sentence_cases = yaml.safe_load((CORPUS / sentence_file).read_text(encoding="utf-8")) if sentence_file else []
    for case in sentence_cases:
        report = exocheck.check(case["text"])
        expected = list(case.get("expect") or [])
        tally.add(case["id"], case["text"], expected, [label_of(f) for f in report.findings])
        counts["sentences"] += 1
        if not expected:
            counts["silent_total"] += 1
            counts["silent_ok"] += not report.findings
    for passage in yaml.safe_load((CORPUS / passage_file).read_text(encoding="utf-8")):
        text = passage["text"]
        report = exocheck.check(text)
        counts["passages"] += 1
        claimed: set[int] = set()
        spans = []
        for item in passage.get("expect") or []:
            start = text.index(item["quote"])
            spans.append((start, start + len(item["quote"]), list(item["labels"]), item["quote"]))
        for start, end, labels, quote in spans:
            covering = [i for i, f in enumerate(report.findings) if f.start < end and start < f.end]
            claimed.update(covering)
            tally.add(f"{passage['id']}", quote, labels, [label_of(report.findings[i]) for i in covering])
            counts["quotes"] += 1
        stray: dict[tuple[int, int], list] = {}
        for i, finding in enumerate(report.findings):
            if i not in claimed:
                stray.setdefault((finding.start, finding.end), []).append(finding)
        for findings in stray.values():
            tally.add(f"{passage['id']} (unlabelled sentence)", findings[0].sentence, [],
                      [label_of(f) for f in findings])
    return tally, counts


def print_table(name: str, tally: Tally, counts: dict[str, int]) -> None:
    print(f"{name}: {counts['sentences']} sentences, {counts['passages']} passages with {counts['quotes']} "
          f"labelled quotes; silent sentences kept silent: {counts['silent_ok']}/{counts['silent_total']}")
    print(f"  {'verdict':<12} {'precision':>9} {'recall':>7} {'tp':>5} {'fp':>5} {'fn':>5}")
    for verdict in VERDICTS:
        print(f"  {verdict:<12} {tally.precision(verdict):>9.3f} {tally.recall(verdict):>7.3f} "
              f"{tally.tp[verdict]:>5} {tally.fp[verdict]:>5} {tally.fn[verdict]:>5}")
    precision, recall = tally.label_totals()
    print(f"  {'verdict+topic/kind':<22} precision {precision:.3f} recall {recall:.3f}")


def main() -> int:
    tally, counts = evaluate(TUNING)
    print_table("tuning corpus", tally, counts)
    holdout, holdout_counts = evaluate(HOLDOUT)
    print_table("held-out corpus", holdout, holdout_counts)
    if "-v" in sys.argv:
        print("\nmisses in the tuning corpus:")
        for miss in tally.misses:
            print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    raise SystemExit(main())
