"""Support is computed from the citations: sources, contradictions, inference, previews."""

from __future__ import annotations

import json

import pytest

import india_russia_relations as irr
from india_russia_relations.cli import main
from india_russia_relations.reports.stats import compute as stats
from india_russia_relations.reports.support import Support, backed, compute, from_tables, of_record
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


# --- a small package, counted by hand -------------------------------------------------------


def _crafted() -> dict[str, Support]:
    """Two agreements and two events, with the citations below; every count in the tests
    that use it was made by reading this list."""
    agreements = irr.records("agreements")[:2]
    events = irr.records("events")[:2]
    a1, a2 = (r.key()[0] for r in agreements)
    e1 = events[0].key()[0]

    def c(n: int, record: str, source: str, **fields: str) -> irr.Citation:
        values = {"stance": "supports", "basis": "stated", **fields}
        if values["stance"] == "contradicts":
            values.setdefault("field", "signed")
            values.setdefault("claimed_value", "1956")
            values.setdefault("note", "Another year.")
        return irr.Citation(id=f"k{n}", record_id=record, source_id=source, quote="q", **values)

    citations = [
        # a1: three citations from two sources, one of them inferred and backed.
        c(1, a1, "s-b", field="signed"),
        c(2, a1, "s-a"),
        c(3, a1, "s-a", basis="inferred", field="signed"),
        # a2: one stated citation, one contradicting source, an unbacked preview.
        c(4, a2, "s-c"),
        c(5, a2, "s-d", stance="contradicts"),
        c(6, a2, "s-c", basis="preview", field="place"),
        # e1: only an inferred citation without a field, and a weak contradiction.
        c(7, e1, "s-a", basis="inferred"),
        c(8, e1, "s-b", stance="contradicts", basis="inferred"),
        c(9, e1, "s-e", stance="contradicts"),
        # e2: no citation at all.
    ]
    tables = {t: [] for t in irr.TABLES}
    tables.update(agreements=agreements, events=events, citations=citations)
    return from_tables(tables)  # type: ignore[arg-type]


def test_support_fields_of_a_crafted_package_are_the_hand_counted_ones() -> None:
    found = {k: v.as_dict() for k, v in _crafted().items()}
    a1, a2 = (r.key()[0] for r in irr.records("agreements")[:2])
    e1, e2 = (r.key()[0] for r in irr.records("events")[:2])
    assert list(found) == sorted([a1, a2, e1, e2])
    assert found[a1] == {
        "table": "agreements",
        "record_id": a1,
        "independent_sources": 2,
        "sources": ["s-a", "s-b"],
        "contested": False,
        "contradicted_by": [],
        "rests_on_inference": False,
        "inferred_citations": [],
        "rests_on_preview": False,
        "preview_citations": [],
    }
    assert found[a2] == {
        "table": "agreements",
        "record_id": a2,
        "independent_sources": 1,
        "sources": ["s-c"],
        "contested": True,
        "contradicted_by": ["s-d"],
        "rests_on_inference": False,
        "inferred_citations": [],
        "rests_on_preview": True,
        "preview_citations": ["k6"],
    }
    assert found[e1] == {
        "table": "events",
        "record_id": e1,
        "independent_sources": 1,
        "sources": ["s-a"],
        "contested": True,
        "contradicted_by": ["s-b", "s-e"],
        "rests_on_inference": True,
        "inferred_citations": ["k7"],
        "rests_on_preview": False,
        "preview_citations": [],
    }
    assert found[e2] == {
        "table": "events",
        "record_id": e2,
        "independent_sources": 0,
        "sources": [],
        "contested": False,
        "contradicted_by": [],
        "rests_on_inference": False,
        "inferred_citations": [],
        "rests_on_preview": False,
        "preview_citations": [],
    }


def test_support_properties_follow_their_fields() -> None:
    support = Support("events", "r", ("a",), (), ("k1",), ())
    assert (support.independent_sources, support.contested) == (1, False)
    assert (support.rests_on_inference, support.rests_on_preview) == (True, False)
    support = Support("events", "r", (), ("b",), (), ("k2",))
    assert (support.independent_sources, support.contested) == (0, True)
    assert (support.rests_on_inference, support.rests_on_preview) == (False, True)


def test_only_a_stated_supporting_citation_of_the_same_field_backs() -> None:
    weak = _citation(1, basis="inferred", field="start")
    assert backed(weak, [_citation(2, field="start")])
    assert not backed(weak, [_citation(2, field="end")])
    assert not backed(weak, [_citation(2, basis="preview", field="start")])
    assert not backed(weak, [_citation(2, basis="inferred", field="start")])
    assert not backed(weak, [_citation(2, stance="contradicts", field="start")])
    assert not backed(weak, [])
    assert not backed(_citation(1, basis="inferred"), [_citation(2)])


def test_the_sources_and_contradictions_are_in_id_order() -> None:
    citations = [_citation(1, "zeta"), _citation(2, "alpha"), _citation(3, "mid")]
    citations += [
        _citation(4, "zz", stance="contradicts"),
        _citation(5, "aa", stance="contradicts"),
    ]
    support = of_record("events", "r", citations)
    assert support.sources == ("alpha", "mid", "zeta")
    assert support.contradicted_by == ("aa", "zz")


def test_unbacked_weak_citations_are_listed_in_citation_order() -> None:
    citations = [
        _citation(3, basis="preview", field="end"),
        _citation(1, basis="preview", field="start"),
        _citation(2, basis="inferred", field="place"),
        _citation(4, basis="inferred", field="start"),
        _citation(5, field="start"),
    ]
    support = of_record("visits", "r", citations)
    assert support.table == "visits" and support.record_id == "r"
    assert support.previews == ("r--fdi-paper-3",)
    assert support.inferred == ("r--fdi-paper-2",)
