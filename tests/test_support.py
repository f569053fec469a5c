"""Support is computed from the citations: sources, contradictions, inference, previews."""

from __future__ import annotations

import json

import pytest

import india_russia_relations as irr
from india_russia_relations.cli import main
from india_russia_relations.reports.stats import compute as stats
from india_russia_relations.reports.support import compute, of_record
from india_russia_relations.schema.models import MODELS

from .conftest import PACKAGE


def _citation(n: int, source: str = "fdi-paper", **fields: str) -> irr.Citation:
    values = {"stance": "supports", "basis": "stated", **fields}
    if values["stance"] == "contradicts":
        values.setdefault("field", "start")
        values.setdefault("claimed_value", "1956")
        values.setdefault("note", "Another year.")
    return irr.Citation(id=f"r--{source}-{n}", record_id="r", source_id=source, quote="q", **values)


def test_two_citations_from_one_source_count_as_one_source() -> None:
    support = of_record("events", "r", [_citation(1), _citation(2), _citation(3, "exam-notes")])
    assert support.sources == ("exam-notes", "fdi-paper")
    assert support.independent_sources == 2


def test_a_contradicting_citation_makes_the_record_contested_but_not_supported() -> None:
    support = of_record(
        "events", "r", [_citation(1), _citation(2, "exam-notes", stance="contradicts")]
    )
    assert support.contested
    assert support.contradicted_by == ("exam-notes",)
    assert support.sources == ("fdi-paper",)


def test_an_inferred_citation_alone_for_a_field_makes_the_record_rest_on_inference() -> None:
    support = of_record("events", "r", [_citation(1), _citation(2, basis="inferred", field="end")])
    assert support.rests_on_inference
    assert support.inferred == ("r--fdi-paper-2",)
    assert not support.rests_on_preview


def test_a_stated_citation_of_the_same_field_backs_an_inferred_one() -> None:
    citations = [
        _citation(1, field="start"),
        _citation(2, "exam-notes", basis="inferred", field="start"),
    ]
    assert not of_record("events", "r", citations).rests_on_inference


def test_a_stated_citation_of_another_field_does_not_back_an_inferred_one() -> None:
    citations = [_citation(1, field="start"), _citation(2, basis="inferred", field="end")]
    assert of_record("events", "r", citations).rests_on_inference


def test_a_weak_citation_without_a_field_is_never_backed() -> None:
    support = of_record("leaders", "r", [_citation(1), _citation(2, basis="preview")])
    assert support.rests_on_preview
    assert support.previews == ("r--fdi-paper-2",)


def test_a_weak_contradicting_citation_does_not_make_the_record_rest_on_it() -> None:
    citations = [_citation(1), _citation(2, "exam-notes", stance="contradicts", basis="inferred")]
    assert not of_record("events", "r", citations).rests_on_inference


def test_support_covers_every_cited_record_and_nothing_else() -> None:
    cited = {r.key()[0] for t in irr.TABLES if MODELS[t].cited for r in irr.records(t)}
    assert set(compute(PACKAGE)) == cited


def test_independent_sources_are_the_distinct_supporting_sources_of_the_citations() -> None:
    for record_id, support in compute(PACKAGE).items():
        expected = {c.source_id for c in irr.citations_for(record_id) if c.stance == "supports"}
        assert set(support.sources) == expected, record_id
        assert support.independent_sources >= 1, record_id


def test_a_record_whose_only_dates_come_from_a_preview_rests_on_previews() -> None:
    support = irr.support("sarvepalli-radhakrishnan-president-of-india")
    assert support.rests_on_preview
    assert support.independent_sources == 1


def test_a_contradicted_record_is_contested() -> None:
    support = irr.support("1955-beginning-of-india-soviet-relations")
    assert support.contested
    assert "wikipedia-mirror" in support.contradicted_by


def test_support_of_an_uncited_or_unknown_id_is_an_error() -> None:
    for record_id in ("india", "fdi-paper", "no-such-record"):
        with pytest.raises(irr.UnknownRecordError, match=record_id):
            irr.support(record_id)


def test_stats_count_the_records_resting_on_inference_and_on_previews() -> None:
    supports = compute(PACKAGE).values()
    counted = stats(PACKAGE)
    assert counted.on_inference == sum(1 for s in supports if s.rests_on_inference) > 0
    assert counted.on_preview == sum(1 for s in supports if s.rests_on_preview) > 0
    assert counted.single_source == sum(1 for s in supports if s.independent_sources == 1)


def test_support_as_dict_is_json_ready() -> None:
    data = irr.support("jawaharlal-nehru").as_dict()
    assert data["independent_sources"] == len(data["sources"])
    assert data["rests_on_preview"] is True and data["preview_citations"]


def test_stats_json_counts_records_resting_on_inference_and_previews(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["stats", str(PACKAGE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    counted = stats(PACKAGE)
    assert data["records_resting_on_inference"] == counted.on_inference
    assert data["records_resting_on_previews"] == counted.on_preview
