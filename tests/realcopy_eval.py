"""Score exocheck on the real-copy corpus (tests/corpus/realcopy: tune.yaml and check.yaml), in process.

    python tests/realcopy_eval.py [--set tune|check|all] [--errors]

This reproduces the corpus's own scorer (`../shared/corpus/realcopy/score.py`) exactly — the same units, the
same prediction per unit, the same metrics — but checks each passage in this process the way
`exocheck lint DIR` checks a .txt file (decoded as a file's bytes are, then `exocheck.lint.lint_text` with the
default knowledge base and no config file), so its numbers equal the CLI's. tests/test_realcopy.py holds the
floors and checks the equality.

Units: every quoted span under `expect` (gold: its strongest label, misleading > unsupported > accurate, with
`unverified` counted as unsupported), and every other stretch of the passage between sentence marks or line
breaks with at least three words (gold: none). A unit's prediction is the strongest verdict of the findings
that overlap it (misleading > unsupported > unverified > accurate; unverified counts as unsupported).

Metrics: per-class precision / recall / F1 and macro-F1 over unsupported / misleading / accurate / none;
violation recall (gold unsupported or misleading predicted as a flag); false-flag rate (gold accurate or none
predicted as a flag); the 4x4 confusion matrix (rows gold, columns predicted).

`--errors` lists every tune unit whose prediction differs from gold. For check it prints only the counts by
gold -> predicted category: check is for measuring only, so its sentences are never listed.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REALCOPY = HERE / "corpus" / "realcopy"
SPLITS = ("tune", "check")
RANK = {"misleading": 4, "unsupported": 3, "unverified": 2, "accurate": 1}
CLASSES = ("unsupported", "misleading", "accurate", "none")
FLAGS = {"unsupported", "misleading"}


def as_class(verdict: str) -> str:
    return "unsupported" if verdict == "unverified" else verdict


def units(passage: dict) -> list[tuple[int, int, str]]:
    """(start, end, gold class) of every scored unit of a passage, in text order (as score.py)."""
    text, out, taken = passage["text"], [], []
    for e in passage.get("expect") or []:
        i = text.find(e["quote"])
        best = max((lab.split(":")[0] for lab in e["labels"]), key=RANK.__getitem__)
        out.append((i, i + len(e["quote"]), as_class(best)))
        taken.append((i, i + len(e["quote"])))
    for m in re.finditer(r"[^\n.!?]+[.!?]*", text):
        s, e = m.start(), m.end()
        if len(re.findall(r"[A-Za-z]+", m.group(0))) < 3:
            continue
        if any(min(e, b) - max(s, a) > 0 for a, b in taken):
            continue
        out.append((s, e, "none"))
    return sorted(out)


def load(split: str) -> list[dict]:
    """The passages of one split ("tune" or "check")."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; known: {', '.join(SPLITS)}")
    return yaml.safe_load((REALCOPY / f"{split}.yaml").read_text(encoding="utf-8"))


Found = dict[str, list[tuple[int, int, str]]]


def lint_texts(texts: dict[str, str]) -> Found:
    """(start, end, verdict) of every finding for each named text, checked as `exocheck lint` checks a file
    `NAME.txt`: its UTF-8 bytes decoded as a file's are, then `lint_text` with the default KB and settings
    (what the CLI uses when no config file is found, as in the temporary directory score.py lints)."""
    from exocheck.cache import compiled_checker
    from exocheck.config import Settings
    from exocheck.document import TEXT, decode, kind_for_path
    from exocheck.lint import lint_text

    checker = compiled_checker()
    settings = Settings()
    found: Found = {}
    for name, text in texts.items():
        path = f"{name}.txt"
        assert kind_for_path(path) == TEXT
        decoded = decode(text.encode("utf-8"), path)
        report = lint_text(checker, decoded.text, path, TEXT, settings.disabled_for(path))
        found[name] = [(f.start, f.end, f.verdict) for f in report.findings]
    return found


def predict(found: list[tuple[int, int, str]], start: int, end: int) -> str:
    """The class of the strongest finding overlapping [start, end), else "none" (as score.py)."""
    best, rank = "none", 0
    for f_start, f_end, verdict in found:
        if min(f_end, end) - max(f_start, start) > 0 and RANK.get(verdict, 0) > rank:
            best, rank = verdict, RANK[verdict]
    return as_class(best)


@dataclass(frozen=True)
class Unit:
    passage: str
    start: int
    end: int
    text: str
    gold: str
    pred: str


def score(passages: list[dict], found: Found | None = None) -> list[Unit]:
    """Every unit of `passages` with its gold and predicted class (the passages are checked unless `found`)."""
    if found is None:
        found = lint_texts({p["id"]: p["text"] for p in passages})
    out = []
    for p in passages:
        for s, e, gold in units(p):
            out.append(Unit(p["id"], s, e, p["text"][s:e].strip(), gold, predict(found.get(p["id"], []), s, e)))
    return out


@dataclass
class Scores:
    n: int
    macro_f1: float
    violation_recall: float
    false_flag: float
    precision: dict[str, float] = field(default_factory=dict)
    recall: dict[str, float] = field(default_factory=dict)
    f1: dict[str, float] = field(default_factory=dict)
    confusion: Counter = field(default_factory=Counter)  # (gold, predicted) -> units

    def gold_count(self, cls: str) -> int:
        return sum(n for (g, _), n in self.confusion.items() if g == cls)

    def predicted_count(self, cls: str) -> int:
        return sum(n for (_, p), n in self.confusion.items() if p == cls)

    def errors(self) -> list[tuple[tuple[str, str], int]]:
        """(gold, predicted) -> count for the units predicted wrongly, most frequent first."""
        wrong = Counter({k: n for k, n in self.confusion.items() if k[0] != k[1]})
        return sorted(wrong.items(), key=lambda item: (-item[1], CLASSES.index(item[0][0]), CLASSES.index(item[0][1])))

    def headline(self) -> str:
        return (f"macro-F1 {self.macro_f1:.3f}  violation recall {self.violation_recall:.3f}  "
                f"false-flag {self.false_flag:.3f}")


def metrics(pairs: list[tuple[str, str]]) -> Scores:
    """score.py's metrics of (gold, predicted) pairs, with per-class precision and recall and the confusion."""
    gold_v = [p for g, p in pairs if g in FLAGS]
    gold_ok = [p for g, p in pairs if g not in FLAGS]
    precision, recall, f1 = {}, {}, {}
    for c in CLASSES:
        tp = sum(g == c == p for g, p in pairs)
        fp = sum(p == c != g for g, p in pairs)
        fn = sum(g == c != p for g, p in pairs)
        prec, rec = (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)
        precision[c], recall[c] = prec, rec
        f1[c] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return Scores(
        n=len(pairs), macro_f1=sum(f1.values()) / len(f1),
        violation_recall=sum(p in FLAGS for p in gold_v) / max(1, len(gold_v)),
        false_flag=sum(p in FLAGS for p in gold_ok) / max(1, len(gold_ok)),
        precision=precision, recall=recall, f1=f1, confusion=Counter(pairs),
    )


def unit_metrics(scored: list[Unit]) -> Scores:
    return metrics([(u.gold, u.pred) for u in scored])


def evaluate(split: str) -> tuple[Scores, list[Unit]]:
    """The scores of one split and its units."""
    scored = score(load(split))
    return unit_metrics(scored), scored


def print_scores(name: str, m: Scores) -> None:
    print(f"{name:5s} n={m.n:4d} {m.headline()}  " + " ".join(f"F1[{k}]={v:.2f}" for k, v in m.f1.items()))
    print(f"  {'class':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>5} {'predicted':>9}")
    for c in CLASSES:
        print(f"  {c:<12} {m.precision[c]:>9.3f} {m.recall[c]:>7.3f} {m.f1[c]:>6.3f} "
              f"{m.gold_count(c):>5} {m.predicted_count(c):>9}")
    print("  confusion (rows gold, columns predicted):")
    print(f"  {'':<12}" + "".join(f"{c:>12}" for c in CLASSES))
    for g in CLASSES:
        print(f"  {g:<12}" + "".join(f"{m.confusion[(g, p)]:>12}" for p in CLASSES))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--set", default="all", choices=("tune", "check", "all"))
    ap.add_argument("--errors", action="store_true",
                    help="list every tune unit whose prediction differs from gold (check: counts only)")
    a = ap.parse_args(argv)
    splits = SPLITS if a.set == "all" else (a.set,)
    everything: list[Unit] = []
    for split in splits:
        m, scored = evaluate(split)
        everything += scored
        print_scores(split, m)
        if a.errors and split == "tune":
            print("  errors (every unit whose prediction differs from gold):")
            for u in scored:
                if u.pred != u.gold:
                    print(f"  {u.passage} | gold {u.gold} | got {u.pred} | {u.text[:120]}")
        elif a.errors:
            print(f"  errors in {split}, counts by gold -> predicted only ({split} is for measuring only):")
            for (g, p), n in m.errors():
                print(f"    {g:>11} -> {p:<11} {n:>4}")
        print()
    if len(splits) > 1:
        print(f"real copy ({a.set}): {unit_metrics(everything).headline()}")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `realcopy_eval.py --errors | head` ends quietly
    sys.path.insert(0, str(HERE.parent))
    raise SystemExit(main())
