"""The public API: typed records, DataFrames, the descriptor path, citations."""

from __future__ import annotations

import json
import subprocess
import sys
from types import ModuleType

import pytest

import india_russia_relations as irr
from india_russia_relations.schema.columns import header


def test_tables_are_listed_in_a_stable_order() -> None:
    assert irr.TABLES[:2] == ("sources", "countries")
    assert irr.TABLES[-1] == "citations"
    assert len(set(irr.TABLES)) == len(irr.TABLES) == 9


def test_records_are_frozen_models_of_their_table() -> None:
    visits = irr.records("visits")
    assert visits and all(isinstance(v, irr.Visit) for v in visits)
    with pytest.raises(Exception, match="frozen"):
        visits[0].summary = "changed"  # type: ignore[misc]


def test_records_returns_a_fresh_list() -> None:
    irr.records("leaders").clear()
    assert irr.records("leaders")


def test_unknown_table_names_the_choices() -> None:
    with pytest.raises(irr.UnknownTableError, match="visits"):
        irr.records("vists")  # type: ignore[call-overload]


def test_partial_dates_are_typed() -> None:
    visit = irr.records("visits")[0]
    assert isinstance(visit.start, irr.PartialDate)
    assert visit.start.earliest <= visit.start.latest


def test_datapackage_path_points_at_the_descriptor() -> None:
    path = irr.datapackage_path()
    assert path.name == "datapackage.json"
    assert json.loads(path.read_text("utf-8"))["name"] == "india-russia-relations"


def test_citations_for_returns_the_quotes_behind_a_record() -> None:
    visit = irr.records("visits")[0]
    citations = irr.citations_for(visit.id)
    assert citations and all(c.record_id == visit.id for c in citations)


def test_sources_for_returns_each_source_once() -> None:
    visit = irr.records("visits")[0]
    sources = irr.sources_for(visit.id)
    assert sorted(s.id for s in sources) == sorted(
        {c.source_id for c in irr.citations_for(visit.id)}
    )


def test_unknown_record_id_is_an_error() -> None:
    with pytest.raises(irr.UnknownRecordError, match="no-such-record"):
        irr.citations_for("no-such-record")


def test_load_gives_dtypes_from_the_schema() -> None:
    pytest.importorskip("pandas")
    frame = irr.load("visits")
    assert str(frame["id"].dtype) == "string"
    assert str(frame["start"].dtype) == "string"
    assert str(frame["start_earliest"].dtype).startswith("datetime64")
    assert isinstance(frame["places"].iloc[0], list)
    assert len(frame) == len(irr.records("visits"))


@pytest.mark.parametrize("table", irr.TABLES)
def test_load_gives_one_frame_row_per_record(table: str) -> None:
    pytest.importorskip("pandas")
    frame = irr.load(table)
    assert len(frame) == len(irr.records(table))
    assert list(frame.columns) == header(table)


def test_load_keeps_integers_nullable() -> None:
    pytest.importorskip("pandas")
    frame = irr.load("agreements")
    assert str(frame["duration_years"].dtype) == "Int64"


def test_package_is_a_frictionless_package() -> None:
    pytest.importorskip("frictionless")
    package = irr.package()
    assert package.get_resource("visits").path == "data/visits.csv"


def test_importing_needs_no_optional_dependency() -> None:
    code = (
        "import sys, india_russia_relations as irr; irr.records('visits'); "
        "print(sorted(m for m in ('pandas', 'frictionless', 'pyarrow') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_missing_extra_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "import india_russia_relations as irr\n"
        "try:\n    irr.load('visits')\n"
        "except irr.MissingDependencyError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'india-russia-relations[pandas]'" in out.stdout


def test_no_other_public_name_is_exported() -> None:
    names = {
        n for n in dir(irr) if not n.startswith("_") and not isinstance(getattr(irr, n), ModuleType)
    }
    assert names == set(irr.__all__) - {"__version__"}


def test_public_api_is_exactly_what_is_documented() -> None:
    assert set(irr.__all__) == {
        "TABLES",
        "Agreement",
        "AgreementParty",
        "Citation",
        "Country",
        "DataError",
        "Event",
        "IrrError",
        "Leader",
        "MissingDependencyError",
        "PartialDate",
        "Position",
        "Source",
        "Support",
        "UnknownRecordError",
        "UnknownTableError",
        "Visit",
        "__version__",
        "citations_for",
        "cite",
        "datapackage_path",
        "load",
        "package",
        "records",
        "sources_for",
        "support",
    }
