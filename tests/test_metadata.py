"""Citable, complete metadata: source titles, the descriptor, CITATION.cff and irr.cite()."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import uuid
from pathlib import Path

import pytest

import india_russia_relations as irr
from india_russia_relations.cli import main
from india_russia_relations.errors import DataError
from india_russia_relations.io.changelog import first_release_date
from india_russia_relations.publish.build import expected_files
from india_russia_relations.reports.cite import Dataset, citation_cff, text
from india_russia_relations.schema.descriptor import FIRST_RELEASE

from .conftest import PACKAGE, REPO


def _descriptor() -> dict[str, object]:
    return json.loads((PACKAGE / "datapackage.json").read_text("utf-8"))  # type: ignore[no-any-return]


def test_every_source_has_a_title_that_is_not_a_file_name() -> None:
    for source in irr.records("sources"):
        assert source.title and not source.title.endswith(".txt"), source.id


def test_a_devised_title_is_in_square_brackets_and_the_notes_say_so() -> None:
    devised = [s for s in irr.records("sources") if s.title.startswith("[")]
    assert {s.id for s in devised} == {"fdi-paper", "news-putin-visit"}
    for source in devised:
        assert source.title.endswith("]")
        assert source.notes and "Title devised" in source.notes, source.id


def test_the_descriptor_shows_each_source_by_its_title() -> None:
    descriptor = _descriptor()
    titles = {s.path: s.title for s in irr.records("sources")}
    for entry in descriptor["sources"]:  # type: ignore[attr-defined]
        if entry["path"] in titles:
            assert entry["title"] == titles[entry["path"]]
    for resource in descriptor["resources"]:  # type: ignore[attr-defined]
        if resource["type"] == "file":
            assert resource["title"] == titles[resource["path"]]


def test_the_descriptor_has_what_data_portals_ask_for() -> None:
    descriptor = _descriptor()
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert uuid.UUID(str(descriptor["id"])).version == 4
    assert descriptor["created"] == f"{FIRST_RELEASE}T00:00:00Z"
    assert {"India", "Russia", "Soviet Union"} <= set(descriptor["keywords"])  # type: ignore[arg-type]
    names = [lic["name"] for lic in descriptor["licenses"]]  # type: ignore[attr-defined]
    assert names == ["CC-BY-SA-4.0", "MIT"]
    (contributor,) = descriptor["contributors"]  # type: ignore[misc]
    assert "creator" in contributor["roles"]


def test_created_is_the_first_dated_release_once_there_is_one() -> None:
    first = first_release_date((REPO / "CHANGELOG.md").read_text("utf-8"))
    assert first is None or first.isoformat() == FIRST_RELEASE


def test_build_refuses_a_changelog_whose_first_release_disagrees(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root)
    shutil.copytree(PACKAGE, root / "datapackage")
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0] - 2020-01-01\n", "utf-8")
    with pytest.raises(DataError, match="first dated release is 2020-01-01"):
        expected_files(root)


def test_citation_cff_carries_the_version_and_its_release_date() -> None:
    data = Dataset("T", "n", "1.2.3", dt.date(2027, 1, 2), "A", "CC-BY-SA-4.0", "id", ("k",), "x")
    cff = citation_cff(data)
    assert 'version: "1.2.3"' in cff and 'date-released: "2027-01-02"' in cff
    assert "type: dataset" in cff and "cff-version: 1.2.0" in cff


def test_citation_cff_is_valid_citation_file_format_1_2_0() -> None:
    pytest.importorskip("check_jsonschema")
    yaml = pytest.importorskip("yaml")
    jsonschema = pytest.importorskip("jsonschema")
    from importlib.resources import files

    schema_file = files("check_jsonschema") / "builtin_schemas/vendor/citation-file-format.json"
    schema = json.loads(schema_file.read_text("utf-8"))
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    document = yaml.safe_load((REPO / "CITATION.cff").read_text("utf-8"))
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())


def test_the_committed_citation_cff_is_in_step_with_the_build() -> None:
    committed = (REPO / "CITATION.cff").read_text("utf-8")
    assert expected_files(REPO)[REPO / "CITATION.cff"] == committed


def test_cite_names_the_installed_version() -> None:
    citation = irr.cite()
    assert f"(version {irr.__version__})" in citation
    assert "[Data set]" in citation and "CC BY-SA 4.0" in citation


def test_a_released_version_is_cited_with_its_year() -> None:
    data = Dataset("T", "n", "0.1.0", dt.date(2026, 12, 1), "A", "MIT", "x", (), "")
    assert text(data).startswith("A (2026). T (version 0.1.0) [Data set].")


def test_cite_with_a_record_lists_the_sources_it_rests_on() -> None:
    record = irr.records("visits")[0]
    citation = irr.cite(record.id)
    for source in irr.sources_for(record.id):
        assert source.title in citation and source.path in citation


def test_cite_bibtex_has_one_entry_per_source_and_balanced_braces() -> None:
    record = irr.records("visits")[0]
    bibtex = irr.cite(record.id, "bibtex")
    assert len(re.findall(r"^@misc\{", bibtex, re.MULTILINE)) == 1 + len(irr.sources_for(record.id))
    assert bibtex.count("{") == bibtex.count("}")


def test_cite_csl_json_is_a_list_of_items_starting_with_the_dataset() -> None:
    items = json.loads(irr.cite(format="csl-json"))
    assert items[0]["type"] == "dataset" and items[0]["version"] == irr.__version__


def test_cite_an_unknown_record_is_an_error() -> None:
    with pytest.raises(irr.UnknownRecordError):
        irr.cite("no-such-record")


def test_cite_an_unknown_format_is_an_error() -> None:
    with pytest.raises(ValueError, match="format must be one of"):
        irr.cite(format="apa")  # type: ignore[arg-type]


def test_irr_cite_prints_bibtex(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite", "--format", "bibtex"]) == 0
    assert capsys.readouterr().out.startswith("@misc{india-russia-relations-")
