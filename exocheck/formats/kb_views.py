"""Views of the knowledge base itself, for `exocheck explain` and `exocheck kb ...`: text and JSON.

A reviewer must be able to see why an entry exists and what backs it without opening the YAML.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ..kb import Claim, KnowledgeBase, Source, Topic
from ..record import as_dict
from .common import link, numbered


def _link(source: Source) -> str:
    return link(source.url, source.doi)


def _source_line(number: int, source: Source) -> str:
    details = ", ".join(p for p in (source.publisher, source.date) if p)
    return " ".join(p for p in (f"[{number}] {source.title.rstrip('.')}.", details and details + ".", _link(source)) if p)


def claim_text(kb: KnowledgeBase, claim: Claim) -> str:
    lines = [
        f"{claim.id}{'  (deprecated)' if claim.deprecated else ''}",
        f"  Claim: {claim.claim}",
        f"  Verdict: {claim.verdict} ({claim.severity})   Kind: {claim.kind}   Topic: {claim.topic}",
        f"  FDA status: {numbered(claim.fda_status, claim.sources)}",
        f"  Evidence level: {claim.evidence_level}",
        f"  Why: {numbered(claim.explanation, claim.sources)}",
        "  Sources:",
        *(f"    {_source_line(i, s)}" for i, s in enumerate(kb.citations(claim), 1)),
    ]
    if claim.cues:
        lines.append(f"  Cues: {', '.join(claim.cues)}")
    if claim.negated:
        lines.append(f"  When negated: {claim.negated}")
    if claim.examples:
        lines.append("  Examples:")
        lines.extend(f"    - {example}" for example in claim.examples)
    if claim.suggestion:
        lines.append(f"  Instead, say: {claim.suggestion}")
    return "\n".join(lines) + "\n"


def topic_text(kb: KnowledgeBase, topic: Topic) -> str:
    claims = [c for c in kb.claims.values() if c.topic == topic.id]
    lines = [
        f"{topic.id}: {topic.name}{'  (broad: gives way to a specific topic)' if topic.broad else ''}",
        f"  Terms: {', '.join(topic.terms)}",
    ]
    if topic.benefit_terms:
        lines.append(f"  Benefit phrases: {', '.join(topic.benefit_terms)}")
    lines.append("")
    return "\n".join(lines) + "\n" + "\n".join(claim_text(kb, c) for c in claims)


def claim_dict(kb: KnowledgeBase, claim: Claim) -> dict:
    data = as_dict(claim)
    data["citations"] = [as_dict(s) for s in kb.citations(claim)]
    return data


def listing(kb: KnowledgeBase, claims: list[Claim], as_json: bool) -> str:
    if as_json:
        return json.dumps([claim_dict(kb, c) for c in claims], ensure_ascii=False, indent=2) + "\n"
    width = max((len(c.id) for c in claims), default=0)
    return "".join(f"{c.id:<{width}}  {c.verdict:<11} {c.severity:<7} {c.kind:<19} {c.topic}\n" for c in claims)


def stats(kb: KnowledgeBase, as_json: bool) -> str:
    claims = list(kb.claims.values())
    data: dict[str, Any] = {
        "kb": {"version": kb.version, "sha256": kb.sha256, "overlays": list(kb.overlays)},
        "claims": len(claims), "topics": len(kb.topics), "sources": len(kb.sources),
        "by_topic": dict(sorted(Counter(c.topic for c in claims).items())),
        "by_kind": dict(sorted(Counter(c.kind for c in claims).items())),
        "by_verdict": dict(sorted(Counter(c.verdict for c in claims).items())),
        "sources_by_tier": dict(sorted(Counter(s.tier for s in kb.sources.values()).items())),
    }
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    lines = [f"knowledge base {kb.version} (sha256 {kb.sha256[:12]}): {data['claims']} claims, "
             f"{data['topics']} topics, {data['sources']} sources"]
    for title, key in (("claims by topic", "by_topic"), ("claims by kind", "by_kind"),
                       ("claims by verdict", "by_verdict"), ("sources by tier", "sources_by_tier")):
        lines.append(f"{title}:")
        lines.extend(f"  {name:<22} {count}" for name, count in data[key].items())
    return "\n".join(lines) + "\n"


def sources(kb: KnowledgeBase, as_json: bool) -> str:
    cited_by: dict[str, list[str]] = {s: [] for s in kb.sources}
    for claim in kb.claims.values():
        for source_id in claim.sources:
            cited_by[source_id].append(claim.id)
    if as_json:
        return json.dumps([{**as_dict(s), "cited_by": cited_by[s.id]} for s in kb.sources.values()],
                          ensure_ascii=False, indent=2) + "\n"
    return "".join(f"{s.id} ({s.tier}): {_source_line(0, s)[4:]}\n  cited by: {', '.join(cited_by[s.id])}\n"
                   for s in kb.sources.values())
