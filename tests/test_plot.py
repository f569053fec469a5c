"""``irr plot timeline``: every dated visit, agreement and event, by direction, deterministically."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import india_russia_relations as irr
from india_russia_relations.cli import main
from india_russia_relations.errors import MissingDependencyError
from india_russia_relations.publish import build
from india_russia_relations.publish.plot import (
    LANES,
    PARTNERS,
    marks,
    timeline,
    timeline_svg,
    visit_lane,
)

from .conftest import PACKAGE, REPO


def test_every_visit_agreement_and_event_is_drawn_or_counted_as_undated() -> None:
    found, undated = marks(PACKAGE)
    for table in ("visits", "agreements", "events"):
        dated = sum(1 for m in found if m.lane in _lanes_of(table))
        assert dated + undated[table] == len(irr.records(table))


def _lanes_of(table: str) -> tuple[str, ...]:
    return {"visits": LANES[:3], "agreements": LANES[3:4], "events": LANES[4:]}[table]


def test_visits_are_drawn_by_direction() -> None:
    leaders = {leader.id: leader for leader in irr.records("leaders")}
    lanes = []
    for visit in irr.records("visits"):
        home, host = leaders[visit.leader_id].country_id, visit.host_country_id
        if home == "india" and host in PARTNERS:
            expected = LANES[0]
        elif home in PARTNERS and host == "india":
            expected = LANES[1]
        else:
            expected = LANES[2]
        lanes.append(visit_lane(visit, leaders))
        assert lanes[-1] == expected, visit.id
    assert LANES[0] in lanes and LANES[1] in lanes


def test_contested_records_are_marked() -> None:
    found, _ = marks(PACKAGE)
    contradicted = {c.record_id for c in irr.records("citations") if c.stance == "contradicts"}
    assert sum(m.contested for m in found) == sum(
        1
        for t in ("visits", "agreements", "events")
        for r in irr.records(t)
        if r.id in contradicted and (getattr(r, "start", None) or getattr(r, "signed", None))
    )
    assert any(m.contested for m in found)


def test_the_svg_is_deterministic_and_undated() -> None:
    pytest.importorskip("matplotlib")
    first = timeline_svg(PACKAGE, "1.2.3")
    assert first == timeline_svg(PACKAGE, "1.2.3")
    assert "<dc:date>" not in first
    assert first.startswith("<?xml")


def test_build_keeps_docs_timeline_fresh_only_where_matplotlib_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    timeline = REPO / "docs" / "timeline.svg"
    if importlib.util.find_spec("matplotlib") is not None:
        assert build.expected_files(REPO)[timeline] == timeline.read_text("utf-8")
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "matplotlib" else real(name, *a),
    )
    assert timeline not in build.expected_files(REPO)


def test_cli_plot_writes_the_svg_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "timeline.svg"
    args = ["plot", "timeline", str(out), "--package", str(PACKAGE)]
    assert main(args) == 0
    assert out.read_text("utf-8") == timeline_svg(PACKAGE, irr.__version__)
    assert main(args) == 1
    assert "--force" in capsys.readouterr().err


def test_a_missing_matplotlib_names_the_plot_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingDependencyError, match=r"india-russia-relations\[plot\]"):
        timeline_svg(PACKAGE, "1.2.3")


def test_a_package_with_more_records_than_fit_is_drawn_as_counts_per_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("matplotlib")
    from india_russia_relations.publish import plot

    found, _ = marks(PACKAGE)
    detailed = timeline_svg(PACKAGE, "1.2.3")
    monkeypatch.setattr(plot, "MOST_MARKS", len(found) - 1)
    dense = timeline_svg(PACKAGE, "1.2.3")
    assert f"<!-- {len(found):,} dated records, too many to mark one by one" in dense
    assert "too many to mark" not in detailed
    # No record's own label is drawn, and the numbered key is left out.
    assert "<!-- 1  " in detailed and "<!-- 1  " not in dense
    assert dense == timeline_svg(PACKAGE, "1.2.3")


def test_the_png_is_deterministic() -> None:
    pytest.importorskip("matplotlib")
    first = timeline(PACKAGE, "1.2.3", fmt="png")
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert first == timeline(PACKAGE, "1.2.3", fmt="png")
