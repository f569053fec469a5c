"""`irr stats` and `irr conflicts` describe the package truthfully."""

from __future__ import annotations

import json

import pytest

import india_russia_relations as irr
from india_russia_relations.cli import main
from india_russia_relations.reports.conflicts import find
from india_russia_relations.reports.stats import compute

from .conftest import PACKAGE


def test_stats_count_every_row_of_every_table() -> None:
    stats = compute(PACKAGE)
    assert stats.tables == {t: len(irr.records(t)) for t in irr.TABLES}


def test_stats_count_records_resting_on_one_source() -> None:
    sources: dict[str, set[str]] = {}
    for c in irr.records("citations"):
        if c.stance == "supports":
            sources.setdefault(c.record_id, set()).add(c.source_id)
    assert compute(PACKAGE).single_source == sum(1 for s in sources.values() if len(s) == 1)


def test_stats_per_source_add_up_to_all_citations() -> None:
    stats = compute(PACKAGE)
    assert sum(c for c, _ in stats.sources.values()) == len(irr.records("citations"))


def test_every_contradicting_citation_appears_in_a_conflict() -> None:
    listed = {c.id for conflict in find(PACKAGE) for c in conflict.contradicts}
    expected = {c.id for c in irr.records("citations") if c.stance == "contradicts"}
    assert listed == expected


def test_a_conflict_shows_the_record_value_and_each_claim() -> None:
    for conflict in find(PACKAGE):
        assert conflict.contradicts
        for citation in conflict.contradicts:
            assert citation.claimed_value and citation.field == conflict.field


def test_conflicts_json_is_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conflicts", str(PACKAGE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == len(find(PACKAGE))
    assert all({"record_id", "field", "value", "supports", "contradicts"} <= set(d) for d in data)


def test_stats_json_is_machine_readable_and_counts_what_the_records_hold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["stats", str(PACKAGE), "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["tables"] == {t: len(irr.records(t)) for t in irr.TABLES}
    citations = irr.records("citations")
    assert stats["sources"] == {
        s.id: {
            "citations": sum(1 for c in citations if c.source_id == s.id),
            "records": len({c.record_id for c in citations if c.source_id == s.id}),
        }
        for s in irr.records("sources")
    }
    assert stats["cited_records"] == len({c.record_id for c in citations})
