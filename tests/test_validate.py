"""`irr validate` reports each kind of bad input as a located, actionable problem."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from india_russia_relations.checks.validate import validate
from india_russia_relations.cli import main
from india_russia_relations.io.csvfile import read, write_rows
from india_russia_relations.problems import Problem
from india_russia_relations.schema.descriptor import dump_json


def _problems(package: Path) -> list[str]:
    return [str(p) for p in validate(package, display="pkg").problems]


def _edit(package: Path, table: str, old: str, new: str, count: int = 1) -> None:
    """Replace text in a data file; with count 2, only the second occurrence changes."""
    path = package / "data" / f"{table}.csv"
    text = path.read_text("utf-8")
    assert old in text
    if count == 2:
        first = text.index(old) + len(old)
        text = text[:first] + text[first:].replace(old, new, 1)
    else:
        text = text.replace(old, new, 1)
    _write(path, text.encode("utf-8"))


def _write(path: Path, data: bytes) -> None:
    """Write a data file and update its bytes and hash in the descriptor, as `irr build` would."""
    path.write_bytes(data)
    package = next(p for p in path.parents if (p / "datapackage.json").is_file())
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text("utf-8"))
    for resource in descriptor["resources"]:
        if package / resource["path"] == path:
            resource["bytes"] = len(data)
            resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    descriptor_path.write_text(dump_json(descriptor), "utf-8")


def _set(package: Path, table: str, column: str, value: str, row: int = 0) -> int:
    """Set one cell of the ``row``-th data row (file stays canonical); return its line."""
    path = package / "data" / f"{table}.csv"
    raw = read(path.read_bytes(), str(path))
    assert raw.header is not None
    line, cells = raw.rows[row]
    cells[raw.header.index(column)] = value
    _write(path, write_rows(raw.header, [c for _, c in raw.rows]))
    return line


def _get(package: Path, table: str, column: str, row: int = 0) -> str:
    raw = read((package / "data" / f"{table}.csv").read_bytes(), table)
    assert raw.header is not None
    return raw.rows[row][1][raw.header.index(column)]


def _row_with(package: Path, table: str, column: str, value: str) -> int:
    raw = read((package / "data" / f"{table}.csv").read_bytes(), table)
    assert raw.header is not None
    index = raw.header.index(column)
    return next(i for i, (_, cells) in enumerate(raw.rows) if cells[index] == value)


def _only(package: Path) -> str:
    problems = _problems(package)
    assert len(problems) == 1, problems
    return problems[0]


def test_the_message_names_file_line_field_and_value(package_copy: Path) -> None:
    row = _row_with(package_copy, "visits", "id", "1955-06-nehru-soviet-union")
    line = _set(package_copy, "visits", "start", "1955-13", row)
    assert _only(package_copy) == (
        f'pkg/data/visits.csv:{line}: start: "1955-13" is not a real date: month 13 does not exist'
    )


def test_an_impossible_day_is_caught(package_copy: Path) -> None:
    row = _row_with(package_copy, "agreements", "signed", "1971-08-09")
    _set(package_copy, "agreements", "signed", "1971-02-30", row)
    assert 'signed: "1971-02-30" is not a real date' in _only(package_copy)


def test_end_before_start_names_the_end(package_copy: Path) -> None:
    row = _row_with(package_copy, "visits", "id", "1955-06-nehru-soviet-union")
    _set(package_copy, "visits", "end", "1955-05", row)
    _set(package_copy, "visits", "end_earliest", "1955-05-01", row)
    _set(package_copy, "visits", "end_latest", "1955-05-31", row)
    assert "end: end 1955-05 is before start 1955-06" in _only(package_copy)


def test_out_of_vocabulary_value_lists_the_choices(package_copy: Path) -> None:
    _set(package_copy, "events", "kind", "vetoed")
    assert 'kind: "vetoed" is not one of:' in _only(package_copy)


def test_missing_required_value(package_copy: Path) -> None:
    _set(package_copy, "events", "kind", "")
    assert "kind: is required; fill it in" in _only(package_copy)


def test_too_long_value_gives_the_maximum(package_copy: Path) -> None:
    _set(package_copy, "leaders", "name", "J" * 201)
    assert "name: is 201 characters long; the maximum is 200" in _only(package_copy)


def test_wrong_type_of_number(package_copy: Path) -> None:
    row = _row_with(package_copy, "agreements", "duration_years", "20")
    _set(package_copy, "agreements", "duration_years", "twenty", row)
    assert 'duration_years: "twenty" is not a whole number' in _only(package_copy)


def test_stale_derived_date_says_run_fmt(package_copy: Path) -> None:
    row = _row_with(package_copy, "visits", "id", "1955-06-nehru-soviet-union")
    _set(package_copy, "visits", "start_earliest", "1955-06-02", row)
    assert 'start_earliest: "1955-06-02" should be "1955-06-01"' in _only(package_copy)


def test_dangling_foreign_key(package_copy: Path) -> None:
    _set(package_copy, "visits", "leader_id", "no-such-leader")
    problems = _problems(package_copy)
    assert any('leader_id: "no-such-leader" is not an id in leaders.csv' in p for p in problems)


def test_citation_pointing_at_no_record(package_copy: Path) -> None:
    record = _get(package_copy, "citations", "record_id")
    for row in range(len(read((package_copy / "data/citations.csv").read_bytes(), "c").rows)):
        if _get(package_copy, "citations", "record_id", row) == record:
            _set(package_copy, "citations", "record_id", "no-such-record", row)
    problems = _problems(package_copy)
    assert any('record_id: "no-such-record" is not the id of a record' in p for p in problems)
    assert any("has no supports citation" in p for p in problems)


def test_quote_not_in_source(package_copy: Path) -> None:
    _set(package_copy, "citations", "quote", "Words that no source text holds")
    assert 'quote: "Words that no source text holds" is not in the text of source' in _only(
        package_copy
    )


def test_contradiction_without_claimed_value(package_copy: Path) -> None:
    row = _row_with(package_copy, "citations", "stance", "supports")
    line = _set(package_copy, "citations", "stance", "contradicts", row)
    problems = _problems(package_copy)
    assert any(
        f"citations.csv:{line}: field: a contradicting citation needs field and claimed_value" in p
        for p in problems
    ), problems


def test_contradiction_without_note(package_copy: Path) -> None:
    row = _row_with(package_copy, "citations", "stance", "contradicts")
    line = _set(package_copy, "citations", "note", "", row)
    assert f"citations.csv:{line}: note: a contradicting citation needs a note" in _only(
        package_copy
    )


def test_citation_without_basis_says_it_is_required(package_copy: Path) -> None:
    line = _set(package_copy, "citations", "basis", "")
    assert f"citations.csv:{line}: basis: is required" in _only(package_copy)


def test_citation_basis_outside_the_vocabulary_lists_the_choices(package_copy: Path) -> None:
    line = _set(package_copy, "citations", "basis", "guessed")
    assert f"citations.csv:{line}: basis: \"guessed\" is not one of: 'stated', 'inferred'" in (
        _only(package_copy)
    )


def test_citation_field_must_be_a_field_of_the_record(package_copy: Path) -> None:
    line = _set(package_copy, "citations", "field", "colour")
    assert f'citations.csv:{line}: field: "colour" is not a field of' in _only(package_copy)


def test_changed_source_text_breaks_its_hash(package_copy: Path) -> None:
    path = package_copy / "sources" / "exam-notes.txt"
    path.write_bytes(path.read_bytes() + b"x")
    problems = _problems(package_copy)
    assert any(
        "sources.csv" in p and "sha256: does not match sources/exam-notes.txt" in p
        for p in problems
    )
    assert any("datapackage.json" in p and "resources[exam-notes].hash" in p for p in problems)


def test_missing_source_text(package_copy: Path) -> None:
    (package_copy / "sources" / "exam-notes.txt").unlink()
    assert any(
        "the source text cannot be used: sources/exam-notes.txt is missing" in p
        for p in _problems(package_copy)
    )


def test_duplicate_id_within_a_table(package_copy: Path) -> None:
    path = package_copy / "data" / "events.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    _write(path, "".join([*lines, lines[1]]).encode())
    assert any("duplicate key" in p and "(also on line 2)" in p for p in _problems(package_copy))


def test_duplicate_id_across_tables(package_copy: Path) -> None:
    _set(package_copy, "events", "id", "india")
    assert any('"india" is also an id in countries.csv' in p for p in _problems(package_copy))


def test_rows_out_of_order(package_copy: Path) -> None:
    path = package_copy / "data" / "leaders.csv"
    head, *rows = path.read_text("utf-8").splitlines(keepends=True)
    _write(path, "".join([head, *reversed(rows)]).encode())
    assert any("is out of order" in p for p in _problems(package_copy))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: b"", "events.csv:1: is empty"),
        (lambda d: b"\xef\xbb\xbf" + d, "events.csv:1: starts with a byte order mark"),
        (
            lambda d: d.replace(b"\n", b"\r\n"),
            "events.csv:1: has a CRLF line ending (and ",
        ),
        (lambda d: d.replace(b"\n", b"\x00\n", 2), "events.csv:2: contains a NUL byte"),
        (lambda d: d.replace(b"\n", b"\xff\n", 2), "events.csv:2: byte 0xff at column"),
        (lambda d: d.replace(b",", b";"), "events.csv:1: separates cells with semicolons"),
        (lambda d: d.split(b"\n")[0] + b"\n", "events.csv:1: has a header but no rows"),
        (lambda d: d.replace(b"\n", b"\n\n", 1), "events.csv:2: is a blank row"),
    ],
)
def test_bytes_and_shape_problems(
    package_copy: Path, change: Callable[[bytes], bytes], message: str
) -> None:
    path = package_copy / "data" / "events.csv"
    _write(path, change(path.read_bytes()))
    problems = _problems(package_copy)
    assert any(message in p for p in problems), problems


def test_missing_final_newline(package_copy: Path) -> None:
    path = package_copy / "data" / "events.csv"
    _write(path, path.read_bytes().rstrip(b"\n"))
    assert "has no final newline; run `irr fmt`" in _only(package_copy)


def test_unclosed_quote_does_not_swallow_the_next_rows(package_copy: Path) -> None:
    _edit(package_copy, "leaders", "\n", '\n"', 1)
    problems = _problems(package_copy)
    assert any("leaders.csv:2: has an unclosed quote" in p for p in problems), problems
    assert not any("leaders.csv:3" in p for p in problems), problems


def test_stray_quote(package_copy: Path) -> None:
    name = _get(package_copy, "leaders", "name")
    _edit(package_copy, "leaders", f",{name},", f',{name} "X",')
    assert any("leaders.csv:2: has a stray quote" in p for p in _problems(package_copy))


def test_wrong_cell_count(package_copy: Path) -> None:
    _edit(package_copy, "events", "\n", ",extra\n", 2)
    assert "events.csv:2: has 14 cells; the header has 13" in _only(package_copy)


def test_renamed_header(package_copy: Path) -> None:
    _edit(package_copy, "events", "id,title,", "id,name,")
    problems = _problems(package_copy)
    assert any("events.csv:1: header lacks the column title" in p for p in problems)
    assert any('header has an unknown column "name"' in p for p in problems)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda h: h.replace("id,title,", "id,id,"), 'header label "id" appears more than once'),
        (lambda h: h.replace("id,title,", "id,,"), "has a blank header label"),
        (
            lambda h: h.replace("id,title,", "id, title,"),
            'header label " title" has surrounding spaces',
        ),
        (
            lambda h: h.replace("id,title,kind,", "id,kind,title,"),
            "header columns are out of order",
        ),
        (lambda h: h.replace(",notes", ""), "header lacks the column notes"),
        (lambda h: h + ",extra", 'header has an unknown column "extra"'),
    ],
)
def test_header_problems(package_copy: Path, change: Callable[[str], str], message: str) -> None:
    path = package_copy / "data" / "events.csv"
    head, rest = path.read_text("utf-8").split("\n", 1)
    _write(path, (change(head) + "\n" + rest).encode())
    problems = _problems(package_copy)
    assert any(f"events.csv:1: {message}" in p for p in problems), problems


def test_descriptor_with_a_bom_is_reported(package_copy: Path) -> None:
    path = package_copy / "datapackage.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "pkg/datapackage.json:1: starts with a byte order mark" in _only(package_copy)


def test_formula_injection_is_rejected(package_copy: Path) -> None:
    _set(package_copy, "events", "title", "=HYPERLINK(1)")
    assert 'title: "=HYPERLINK(1)" starts with "="' in _only(package_copy)


def test_bidi_override_is_named(package_copy: Path) -> None:
    _set(package_copy, "events", "title", "Soviet veto\u202e on Kashmir")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in _only(package_copy)


def test_text_not_in_nfc(package_copy: Path) -> None:
    _set(package_copy, "events", "title", "Soviet vete\u0301 on Kashmir")
    assert "is not in Unicode NFC" in _only(package_copy)


def test_invalid_descriptor_json_gives_its_line(package_copy: Path) -> None:
    path = package_copy / "datapackage.json"
    path.write_text(
        path.read_text("utf-8").replace('"name": "india-russia-relations",', '"name": ,'), "utf-8"
    )
    assert any(
        "datapackage.json:" in p and "is not valid JSON" in p for p in _problems(package_copy)
    )


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.csv", "https://example.org/x.csv"])
def test_unsafe_resource_paths_are_rejected(package_copy: Path, path: str) -> None:
    descriptor_path = package_copy / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text("utf-8"))
    descriptor["resources"][-1]["path"] = path
    descriptor_path.write_text(
        json.dumps(descriptor, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8"
    )
    assert any("path" in p and show_in(path, p) for p in _problems(package_copy))


def show_in(path: str, problem: str) -> bool:
    return path in problem


def test_symlink_out_of_the_package_is_rejected(package_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    target = package_copy / "sources" / "exam-notes.txt"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    os.symlink(outside, target)
    assert any("is a link that leads outside the package" in p for p in _problems(package_copy))


def test_only_sha256_hashes_are_accepted(package_copy: Path) -> None:
    descriptor_path = package_copy / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text("utf-8"))
    descriptor["resources"][-1]["hash"] = "sha1:" + "0" * 40
    descriptor_path.write_text(
        json.dumps(descriptor, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8"
    )
    assert any(
        "resources[wikipedia-mirror].hash: must be 'sha256:' and 64 lowercase hex digits" in p
        for p in _problems(package_copy)
    ), _problems(package_copy)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("version"), "pkg/datapackage.json:1: version: is required"),
        (lambda d: d.update(version="one"), "version: must be a semantic version"),
        (lambda d: d.update(resources=[]), "resources: List should have at least 1 item"),
        (lambda d: d["resources"][0].update(bytes="12"), "resources[sources].bytes: must be"),
        (lambda d: d["resources"][0].pop("hash"), "resources[sources].hash: is required"),
    ],
)
def test_descriptor_shape_problems(
    package_copy: Path, change: Callable[[dict[str, Any]], object], message: str
) -> None:
    path = package_copy / "datapackage.json"
    descriptor = json.loads(path.read_text("utf-8"))
    change(descriptor)
    path.write_text(dump_json(descriptor), "utf-8")
    problems = _problems(package_copy)
    assert any(message in p for p in problems), problems


def test_a_resource_that_is_no_table_or_source_is_reported(package_copy: Path) -> None:
    path = package_copy / "datapackage.json"
    descriptor = json.loads(path.read_text("utf-8"))
    extra = dict(descriptor["resources"][-1], name="stray")
    descriptor["resources"].append(extra)
    path.write_text(dump_json(descriptor), "utf-8")
    assert "resources[stray]: is neither a table nor a source in sources.csv" in _only(package_copy)


def test_validation_never_modifies_the_package(package_copy: Path) -> None:
    _set(package_copy, "events", "kind", "vetoed")
    before = {p: p.read_bytes() for p in package_copy.rglob("*") if p.is_file()}
    validate(package_copy)
    assert {p: p.read_bytes() for p in package_copy.rglob("*") if p.is_file()} == before


def test_github_annotation_format() -> None:
    problem = Problem("pkg/data/visits.csv", 14, "start", "bad, really")
    assert problem.as_github() == "::error file=pkg/data/visits.csv,line=14::start: bad, really"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"resources": [], "x": NaN}', "is not valid JSON: NaN is not allowed in JSON"),
        ("[" * 100_000 + "]" * 100_000, "is not valid JSON: nested too deeply"),
        ('{"resources": [], "x": ' + "9" * 5000 + "}", "is not valid JSON:"),
        ("[1, 2]", "is not a Data Package: it needs a resources list"),
    ],
)
def test_hostile_descriptor_json_is_one_located_problem(
    package_copy: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (package_copy / "datapackage.json").write_text(text + "\n", "utf-8")
    assert _only(package_copy).startswith(f"pkg/datapackage.json:1: {message}")
    assert main(["validate", str(package_copy)]) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("invalid: ")


def test_nul_in_a_resource_path_is_refused(package_copy: Path) -> None:
    descriptor_path = package_copy / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text("utf-8"))
    descriptor["resources"][1]["path"] = "data/\x00countries.csv"
    descriptor_path.write_text(dump_json(descriptor), "utf-8")
    assert any(
        "resources[countries].path: path" in p and "NUL" in p for p in _problems(package_copy)
    )


def test_a_lone_surrogate_in_a_resource_name_is_escaped(
    package_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    descriptor_path = package_copy / "datapackage.json"
    text = descriptor_path.read_text("utf-8").replace(
        '"name": "wikipedia-mirror"', '"name": "w\\ud800"'
    )
    descriptor_path.write_text(text, "utf-8")
    assert main(["validate", str(package_copy)]) == 1
    assert 'resources["w\\ud800"]' in capsys.readouterr().out


def test_a_duplicate_id_across_tables_does_not_make_references_dangle(package_copy: Path) -> None:
    path = package_copy / "data" / "countries.csv"
    raw = read(path.read_bytes(), "countries")
    assert raw.header is not None
    rows = [cells for _, cells in raw.rows] + [["jawaharlal-nehru", "X", "XXX"] + [""] * 8]
    _write(path, write_rows(raw.header, rows))
    problems = _problems(package_copy)
    assert any('"jawaharlal-nehru" is also an id in' in p for p in problems)
    assert not any("is not an id in leaders.csv" in p for p in problems), problems
    assert not any("has no supports citation" in p for p in problems), problems


def test_a_bad_cell_does_not_hide_the_other_problems_of_its_row(package_copy: Path) -> None:
    line = _set(package_copy, "visits", "start", "1927-13")
    _set(package_copy, "visits", "leader_id", "nobody")
    problems = _problems(package_copy)
    assert any(f"visits.csv:{line}: start:" in p for p in problems)
    assert any(f'visits.csv:{line}: leader_id: "nobody" is not an id' in p for p in problems)


def test_the_descriptor_must_say_what_build_writes(package_copy: Path) -> None:
    path = package_copy / "datapackage.json"
    path.write_text(
        path.read_text("utf-8").replace('"delimiter": ","', '"delimiter": ";"', 1), "utf-8"
    )
    assert "resources[sources].dialect: differs from what `irr build` writes" in _only(package_copy)


def test_a_value_not_in_canonical_form_is_reported(package_copy: Path) -> None:
    row = _row_with(package_copy, "countries", "cow_code", "700")
    line = _set(package_copy, "countries", "cow_code", "0700", row)
    assert f'countries.csv:{line}: cow_code: "0700" is written "700" in canonical form' in _only(
        package_copy
    )


def test_a_country_cannot_end_before_it_starts(package_copy: Path) -> None:
    for column, value in [
        ("start", "1990"),
        ("start_earliest", "1990-01-01"),
        ("start_latest", "1990-12-31"),
        ("end", "1980"),
        ("end_earliest", "1980-01-01"),
        ("end_latest", "1980-12-31"),
    ]:
        _set(package_copy, "countries", column, value)
    assert "countries.csv:2: end: end 1980 is before start 1990" in _only(package_copy)


def test_control_characters_are_named(package_copy: Path) -> None:
    _set(package_copy, "events", "title", "Two\nlines")
    assert "U+000A LINE FEED, an invisible or control character" in _only(package_copy)


def test_list_items_with_surrounding_spaces_are_reported(package_copy: Path) -> None:
    row = _row_with(package_copy, "visits", "places", "Moscow")
    _set(package_copy, "visits", "places", "Moscow; Delhi", row)
    assert 'places: " Delhi" has leading or trailing spaces' in _only(package_copy)


def test_a_source_text_that_is_not_utf8_is_reported(package_copy: Path) -> None:
    path = package_copy / "sources" / "exam-notes.txt"
    path.write_bytes(b"\xff" + path.read_bytes())
    assert any("sources/exam-notes.txt is not UTF-8 text" in p for p in _problems(package_copy))


def test_a_csv_linked_outside_the_package_is_refused_not_read(package_copy: Path) -> None:
    target = package_copy / "data" / "events.csv"
    target.unlink()
    os.symlink("/etc/passwd", target)
    problems = _problems(package_copy)
    assert any(
        "resources[events].path: path" in p and "leads outside the package" in p for p in problems
    )
    assert not any("declares no resource events" in p for p in problems), problems
    assert not any("root:" in p for p in problems)


def test_a_fifo_is_reported_not_opened(package_copy: Path) -> None:
    target = package_copy / "data" / "countries.csv"
    target.unlink()
    os.mkfifo(target)
    assert any("countries.csv is not a regular file" in p for p in _problems(package_copy))
