"""The committed package: conformance, provenance, determinism and the single version."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from india_russia_relations import TABLES, __version__, records
from india_russia_relations.checks.provenance import find_quote
from india_russia_relations.checks.validate import validate
from india_russia_relations.io.files import sha256
from india_russia_relations.io.lock import LOCK_NAME
from india_russia_relations.publish.build import project_version, stale
from india_russia_relations.schema.models import MODELS
from india_russia_relations.schema.tableschema import table_schema

from .conftest import PACKAGE, REPO


def test_irr_validate_finds_no_problem() -> None:
    assert [str(p) for p in validate(PACKAGE).problems] == []


def test_frictionless_validates_the_package() -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(PACKAGE / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_generated_files_are_up_to_date() -> None:
    assert stale(REPO) == []


def test_build_is_deterministic_across_processes() -> None:
    code = (
        "import sys; from pathlib import Path; from india_russia_relations.publish.build import expected_files; "
        "files = expected_files(Path(sys.argv[1]), cached=False); "
        "print('\\n'.join(files[p] for p in sorted(files)))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, str(REPO)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_committed_schemas_are_generated_from_the_models() -> None:
    for table in TABLES:
        committed = json.loads((REPO / "schemas" / f"{table}.json").read_text("utf-8"))
        assert committed == table_schema(table)


def test_schema_fields_cover_every_model_field() -> None:
    for table, model in MODELS.items():
        names = {f["name"] for f in table_schema(table)["fields"]}
        assert set(model.model_fields) <= names


def test_every_text_field_has_a_maximum_length() -> None:
    for table in TABLES:
        for field in table_schema(table)["fields"]:
            if field["type"] == "string":
                assert "maxLength" in field.get("constraints", {}), (table, field["name"])


def test_every_vocabulary_is_an_enum_with_labels() -> None:
    for table in TABLES:
        for field in table_schema(table)["fields"]:
            if "categories" in field:
                values = [c["value"] for c in field["categories"]]
                assert field["constraints"]["enum"] == values
                assert all(c["label"] for c in field["categories"])


def test_version_has_one_source() -> None:
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text("utf-8"))
    assert descriptor["version"] == project_version(REPO) == __version__


def test_every_quote_is_in_its_archived_source() -> None:
    texts = {s.id: (PACKAGE / s.path).read_text("utf-8") for s in records("sources")}
    missing = [
        c.id for c in records("citations") if find_quote(c.quote, texts[c.source_id]) is None
    ]
    assert missing == []


def test_every_archived_text_matches_its_recorded_hash() -> None:
    for source in records("sources"):
        assert sha256((PACKAGE / source.path).read_bytes()) == source.sha256, source.id


def test_every_cited_record_has_a_supporting_citation() -> None:
    supported = {c.record_id for c in records("citations") if c.stance == "supports"}
    for table, model in MODELS.items():
        if model.cited:
            unsupported = [r.id for r in records(table) if r.id not in supported]  # type: ignore[call-overload,attr-defined]
            assert unsupported == [], table


def test_quotes_are_long_enough_to_carry_a_claim_and_short_enough_to_read() -> None:
    lengths = {c.id: len(c.quote) for c in records("citations")}
    assert {k: n for k, n in lengths.items() if not 20 <= n <= 400} == {}


def test_contradicting_citations_are_explained() -> None:
    for citation in records("citations"):
        if citation.stance == "contradicts":
            assert citation.field and citation.claimed_value and citation.note, citation.id


def test_ids_are_unique_across_tables_and_sorted() -> None:
    seen: set[str] = set()
    for table, model in MODELS.items():
        if "id" not in model.model_fields:
            continue
        ids = [r.id for r in records(table)]  # type: ignore[call-overload,attr-defined]
        assert ids == sorted(ids), table
        assert seen.isdisjoint(ids), table
        seen.update(ids)


def test_archived_sources_are_not_canonicalized() -> None:
    # They stay byte-for-byte: some lack a final newline, one holds U+F0B7 bullets.
    texts = [(PACKAGE / s.path).read_bytes() for s in records("sources")]
    assert any(not t.endswith(b"\n") for t in texts)
    assert any("\uf0b7".encode() in t for t in texts)


def test_package_directory_holds_only_declared_files() -> None:
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text("utf-8"))
    declared = {r["path"] for r in descriptor["resources"]} | {"datapackage.json"}
    present = {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.name != LOCK_NAME  # the git-ignored lock of a writing command
    }
    assert present == declared
