"""`irr add source|citation|TABLE` and `irr template`: checked rows, derived ids, canonical
files and a fresh descriptor, or a refusal that writes nothing."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from india_russia_relations.cli import main
from india_russia_relations.io import files
from india_russia_relations.io.csvfile import read
from india_russia_relations.io.files import sha256
from india_russia_relations.io.lock import LOCK_NAME
from india_russia_relations.publish.add import (
    RECORD_TABLES,
    citation_id,
    option,
    option_columns,
    parse_sets,
    slugify,
    template,
)
from india_russia_relations.schema.columns import columns, header
from india_russia_relations.schema.models import ID_PATTERN


def _files(root: Path) -> dict[str, bytes]:
    """Every file of the checkout but the package's lock file (which names its last holder)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


def _rows(root: Path, table: str) -> dict[str, dict[str, str]]:
    """The rows of a table by their first cell."""
    raw = read((root / "datapackage" / "data" / f"{table}.csv").read_bytes(), table)
    names = header(table)
    return {cells[0]: dict(zip(names, cells, strict=True)) for _, cells in raw.rows}


def _left_canonical_and_built(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["fmt", "--check"]) == 0
    assert main(["build", "--check"]) == 0
    capsys.readouterr()


def _valid(capsys: pytest.CaptureFixture[str]) -> bool:
    capsys.readouterr()
    code = main(["validate"])
    capsys.readouterr()
    return code == 0


VISIT_CELLS = {
    "leader_id": "jawaharlal-nehru",
    "host_country_id": "india",
    "start": "1956-02",
    "places": "Delhi;Agra",
    "summary": "A visit for the tests.",
}


def _visit(slug: str | None = "test-nehru-india", **cells: str | None) -> list[str]:
    """``irr add visits`` arguments: the test visit, with ``cells`` changed (None: left out)."""
    args = ["add", "visits"] + (["--slug", slug] if slug is not None else [])
    for name, value in {**VISIT_CELLS, **cells}.items():
        if value is not None:
            args += ["--set", f"{name}={value}"]
    return args


VISIT = _visit()
CITE = ["add", "citation", "--basis", "stated"]
"""``irr add citation`` with the options a citation requires."""


# --- irr add TABLE --------------------------------------------------------------------


def test_add_visit_writes_the_row_with_a_date_first_id(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(VISIT) == 0
    row = _rows(checkout, "visits")["1956-02-test-nehru-india"]
    assert row["start_earliest"] == "1956-02-01" and row["start_latest"] == "1956-02-29"
    assert row["places"] == "Delhi;Agra"
    out = capsys.readouterr().out
    assert "added to datapackage/data/visits.csv, line " in out
    assert "wrote datapackage/datapackage.json" in out
    assert "next: cite it" in out


def test_add_visit_leaves_the_package_canonical_and_built(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(VISIT) == 0
    _left_canonical_and_built(capsys)


def test_a_record_is_valid_once_it_has_a_supports_citation(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(VISIT) == 0
    capsys.readouterr()
    assert main(["validate"]) == 1
    assert "visits.csv:" in (out := capsys.readouterr().out)
    assert "id: has no supports citation" in out
    quote = "Prime Minister Jawaharlal Nehru visited the then Soviet Union"
    assert main([*CITE, "1956-02-test-nehru-india", "fdi-paper", quote]) == 0
    assert _valid(capsys)


def test_an_undated_record_has_the_slug_alone_as_id(checkout: Path) -> None:
    assert main(_visit(start=None)) == 0
    assert "test-nehru-india" in _rows(checkout, "visits")


def test_a_leader_id_is_the_slug_of_the_name(checkout: Path) -> None:
    args = ["add", "leaders", "--set", "name=T.R. Test-Person", "--set", "country_id=india"]
    assert main(args) == 0
    assert _rows(checkout, "leaders")["t-r-test-person"]["name"] == "T.R. Test-Person"


def test_slug_overrides_the_name_slug(checkout: Path) -> None:
    args = ["add", "leaders", "--slug", "test-person", "--set", "name=Test A. Person"]
    assert main([*args, "--set", "country_id=india"]) == 0
    assert "test-person" in _rows(checkout, "leaders")


def test_a_position_id_is_the_leader_id_and_the_office_slug(checkout: Path) -> None:
    args = [
        "add",
        "positions",
        "--set",
        "leader_id=jawaharlal-nehru",
        "--set",
        "office=Test Office",
    ]
    assert main([*args, "--set", "country_id=india"]) == 0
    assert "jawaharlal-nehru-test-office" in _rows(checkout, "positions")


def test_an_agreement_party_has_no_id_and_a_duplicate_is_refused(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agreement = next(iter(_rows(checkout, "agreement_parties")))
    args = ["add", "agreement_parties", "--set", f"agreement_id={agreement}"]
    assert main([*args, "--set", "country_id=japan"]) == 0
    before = _files(checkout)
    assert main([*args, "--set", "country_id=japan"]) == 1
    assert "duplicate key" in capsys.readouterr().err
    assert _files(checkout) == before


def test_dry_run_shows_the_row_and_writes_nothing(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(checkout)
    assert main([*VISIT, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert ",".join(header("visits")) in out
    assert "1956-02-test-nehru-india,jawaharlal-nehru,india,Delhi;Agra,1956-02," in out
    assert out.endswith("nothing written (--dry-run)\n")
    assert _files(checkout) == before


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("colour=red", '--set "colour": visits has no such field'),
        ("start_earliest=1956-02-01", "--set start_earliest: is derived from start"),
        ("id=x", "--set id: the id is derived from the record; choose its slug with --slug"),
        ("start", '--set "start": write FIELD=VALUE'),
        ("summary=again", "--set summary: is given twice"),
    ],
)
def test_bad_set_arguments_exit_2_and_write_nothing(
    checkout: Path, capsys: pytest.CaptureFixture[str], argument: str, message: str
) -> None:
    before = _files(checkout)
    assert main([*VISIT, "--set", argument]) == 2
    assert message in capsys.readouterr().err
    assert _files(checkout) == before


def test_a_date_first_record_needs_a_slug(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_visit(slug=None)) == 2
    assert "--slug: is required; the id of a visit is <start>-<slug>" in capsys.readouterr().err


def test_a_slug_must_be_a_slug(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_visit(slug="Nehru India")) == 2
    assert "such as nehru-india" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("start=1956-13", '--set start: "1956-13" is not a real date: month 13 does not exist'),
        ("leader_id=nobody", '--set leader_id: "nobody" is not an id in leaders.csv'),
        ("kind=secret", '--set kind: "secret" is not one of'),
        ("summary==1+1", '--set summary: "=1+1" starts with "=", which spreadsheets run'),
        ("places=Delhi; Agra", '--set places: " Agra" has leading or trailing spaces'),
        ("end=1955", "--set end: end 1955 is before start 1956-02"),
    ],
)
def test_a_row_the_models_reject_is_refused_with_the_field_named(
    checkout: Path, capsys: pytest.CaptureFixture[str], argument: str, message: str
) -> None:
    name, value = argument.split("=", 1)
    before = _files(checkout)
    assert main(_visit(**{name: value})) == 1
    err = capsys.readouterr().err
    assert err.startswith("irr add visits: refused; nothing written:")
    assert message in err
    assert _files(checkout) == before


def test_a_missing_required_field_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_visit(summary=None)) == 1
    assert "--set summary: is required; fill it in" in capsys.readouterr().err


def test_an_id_in_use_in_any_table_is_refused(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "add",
                "leaders",
                "--slug",
                "india",
                "--set",
                "name=India",
                "--set",
                "country_id=india",
            ]
        )
        == 1
    )
    assert 'id: "india" is already an id in countries.csv' in capsys.readouterr().err


def test_a_table_with_problems_is_refused_until_fixed(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = checkout / "datapackage" / "data" / "visits.csv"
    path.write_bytes(path.read_bytes().replace(b",soviet-union,", b",soviet-union,,", 1))
    assert main(VISIT) == 1
    assert "datapackage/data/visits.csv has problems to fix first:" in capsys.readouterr().err


def test_a_table_fmt_would_change_is_formatted_too_and_says_so(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = checkout / "datapackage" / "data" / "visits.csv"
    first, second, third, *rest = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([first, third, second, *rest]))
    assert main(VISIT) == 0
    assert "put datapackage/data/visits.csv in canonical form, as `irr fmt` does" in (
        capsys.readouterr().out
    )
    _left_canonical_and_built(capsys)


@settings(max_examples=50)
@given(st.text(max_size=40))
def test_slugify_makes_an_id_or_nothing(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or (re.match(ID_PATTERN, slug) is not None and "--" not in slug)


@settings(max_examples=50)
@given(st.sampled_from([c.name for c in option_columns("visits") if c.name != "id"]), st.text())
def test_set_takes_everything_after_the_first_equals_sign(name: str, value: str) -> None:
    assert parse_sets("visits", [f"{name}={value}"]) == {name: value}


@settings(max_examples=50)
@given(st.sets(st.sampled_from(["r--s", "r--s-2", "r--s-3", "r--s-5", "other"])))
def test_citation_id_is_the_first_free_of_the_rule(taken: set[str]) -> None:
    made = citation_id("r", "s", taken)
    assert made not in taken
    candidates = ["r--s", *(f"r--s-{n}" for n in range(2, 10))]
    assert made == next(c for c in candidates if c not in taken)


# --- irr template -----------------------------------------------------------------------


@pytest.mark.parametrize("table", RECORD_TABLES)
def test_template_lists_every_field_but_the_id_and_derived_dates(table: str) -> None:
    text = template(table)
    wanted = [c.name for c in columns(table) if c.derived_from is None and c.name != "id"]
    assert [line.split('"')[1][:-1] for line in text.splitlines() if "--set" in line] == wanted
    for name in wanted:
        assert any(line.startswith(f"# {name} ") for line in text.splitlines())


def test_template_filled_in_is_a_working_command(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["template", "visits"]) == 0
    command = "".join(
        line.rstrip("\\").strip() + " "
        for line in capsys.readouterr().out.splitlines()
        if not line.startswith("#")
    )
    filled = {
        "leader_id": "jawaharlal-nehru",
        "host_country_id": "india",
        "summary": "A visit for the tests.",
    }
    args = shlex.split(command.replace("SLUG", "test-visit"))[1:]
    args = [
        f"{a[:-1]}={filled[a[:-1]]}" if a.endswith("=") and a[:-1] in filled else a for a in args
    ]
    assert main(args) == 0
    assert "would add to datapackage/data/visits.csv" in capsys.readouterr().out


# --- irr add citation -------------------------------------------------------------------

QUOTE = "Soviet leader Leonid Brezhnev visited India in 1964"


def test_add_citation_derives_the_id_and_inserts_it_in_order(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*CITE, "1973-brezhnev-india", "news-putin-visit", QUOTE]) == 0
    rows = _rows(checkout, "citations")
    made = rows["1973-brezhnev-india--news-putin-visit-2"]
    assert (made["quote"], made["stance"]) == (QUOTE, "supports")
    assert list(rows) == sorted(rows)
    assert _valid(capsys)
    _left_canonical_and_built(capsys)


def test_the_next_citation_of_a_pair_gets_the_next_number(checkout: Path) -> None:
    record = "1985-05-rajiv-gandhi-soviet-union"
    assert f"{record}--wikipedia-mirror-2" in _rows(checkout, "citations")
    quote = "Rajiv Gandhi developed a personal rapport with"
    assert main([*CITE, record, "wikipedia-mirror", quote]) == 0
    assert _rows(checkout, "citations")[f"{record}--wikipedia-mirror-3"]["quote"] == quote


def test_a_quote_copied_across_line_breaks_is_written_with_single_spaces(
    checkout: Path,
) -> None:
    quote = "Prime Minister Jawaharlal Nehru visited the\nthen   Soviet Union"
    assert main([*CITE, "1955-06-nehru-soviet-union", "fdi-paper", quote]) == 0
    written = [
        row["quote"]
        for row in _rows(checkout, "citations").values()
        if row["id"].startswith("1955-06-nehru-soviet-union--fdi-paper")
    ]
    assert " ".join(quote.split()) in written


def test_a_quote_not_in_the_source_is_refused_with_the_closest_passage(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(checkout)
    args = [*CITE, "1955-06-nehru-soviet-union", "fdi-paper"]
    assert main([*args, "Nehru visited the Soviet Union in June 1955"]) == 1
    err = capsys.readouterr().err
    assert (
        'QUOTE: "Nehru visited the Soviet Union in June 1955" is not in the text of source fdi-paper'
        in err
    )
    assert "closest passage, datapackage/sources/fdi-paper.txt:107 (score 0.95):" in err
    assert "  Nehru visited the then Soviet Union in June 1955\n" in err
    assert _files(checkout) == before


@pytest.mark.parametrize(
    ("record", "source", "message"),
    [
        ("1999-nothing", "fdi-paper", 'RECORD_ID: "1999-nothing" is not the id of a record in'),
        ("india", "fdi-paper", "(it is in countries.csv, which needs no citations)"),
        ("1964-brezhnev-india", "fdi", 'SOURCE_ID: "fdi" is not a source in sources.csv'),
    ],
)
def test_a_citation_of_an_unknown_record_or_source_is_refused(
    capsys: pytest.CaptureFixture[str], record: str, source: str, message: str
) -> None:
    assert main([*CITE, record, source, QUOTE]) == 1
    assert message in capsys.readouterr().err


def test_a_quote_already_cited_for_the_record_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    quote = QUOTE + " and 1973. His visits strengthened defence and diplomatic relations."
    assert main([*CITE, "1964-brezhnev-india", "news-putin-visit", quote]) == 1
    assert "already cites these words of news-putin-visit" in capsys.readouterr().err


def test_a_contradicting_citation_needs_field_claimed_value_and_note(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [*CITE, "1964-brezhnev-india", "news-putin-visit", "Brezhnev visited India in 1964"]
    assert main([*args, "--stance", "contradicts"]) == 1
    assert (
        "--field: a contradicting citation needs field and claimed_value" in capsys.readouterr().err
    )
    more = ["--field", "start", "--claimed-value", "1973", "--note", "A test of the rules."]
    assert main([*args, "--stance", "contradicts", *more]) == 0
    row = _rows(checkout, "citations")["1964-brezhnev-india--news-putin-visit-2"]
    assert (row["stance"], row["field"], row["claimed_value"]) == ("contradicts", "start", "1973")


def test_a_field_the_record_does_not_have_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    args = [*CITE, "1964-brezhnev-india", "news-putin-visit", QUOTE, "--field", "signed"]
    assert main(args) == 1
    assert '--field: "signed" is not a field of visits' in capsys.readouterr().err


def test_every_citation_column_is_an_option_that_reaches_the_row(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The options are the model's columns: a new column (such as basis) needs no code."""
    values = {"field": "start", "claimed_value": "1964", "note": "A test note."}
    args = ["add", "citation", "1964-brezhnev-india", "news-putin-visit", "Brezhnev visited India"]
    for column in option_columns("citations"):
        value = next(iter(column.vocabulary)) if column.vocabulary else values[column.name]
        values[column.name] = value
        args += [option(column.name), value]
    assert main(args) == 0, capsys.readouterr().err
    row = _rows(checkout, "citations")["1964-brezhnev-india--news-putin-visit-2"]
    assert {name: row[name] for name in values} == values


def test_add_citation_dry_run_writes_nothing(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(checkout)
    args = [*CITE, "1973-brezhnev-india", "news-putin-visit", QUOTE, "--dry-run"]
    assert main(args) == 0
    assert "1973-brezhnev-india--news-putin-visit-2,1973-brezhnev-india," in capsys.readouterr().out
    assert _files(checkout) == before


# --- irr add source ---------------------------------------------------------------------

TEXT = "A test text.\r\nIt has CRLF line endings, a curly ’ and\u00a0no final newline".encode()


def _source(tmp_path: Path, data: bytes = TEXT, name: str = "received.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


SOURCE = ["--id", "test-text", "--title", "A Test Text", "--kind", "news", "--language", "en"]


def test_add_source_archives_the_text_byte_for_byte_with_its_row(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", "source", str(_source(tmp_path)), *SOURCE]) == 0
    assert (checkout / "datapackage" / "sources" / "test-text.txt").read_bytes() == TEXT
    row = _rows(checkout, "sources")["test-text"]
    assert row["sha256"] == sha256(TEXT)
    assert row["original_filename"] == "received.txt"
    assert (row["path"], row["license"], row["title"]) == (
        "sources/test-text.txt",
        "unknown",
        "A Test Text",
    )
    assert "sources/test-text.txt" in (checkout / "datapackage" / "datapackage.json").read_text()
    assert "next: find passages with `irr quote test-text" in capsys.readouterr().out
    assert _valid(capsys)
    _left_canonical_and_built(capsys)


def test_the_archived_text_can_be_quoted_and_cited(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", "source", str(_source(tmp_path)), *SOURCE]) == 0
    capsys.readouterr()
    assert main(["quote", "test-text", "a curly ’ and no final newline"]) == 0
    assert main([*CITE, "1964-brezhnev-india", "test-text", "It has CRLF line endings"]) == 0
    assert _valid(capsys)


def test_add_source_dry_run_writes_nothing(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(checkout)
    assert main(["add", "source", str(_source(tmp_path)), *SOURCE, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert (
        f"would archive {tmp_path / 'received.txt'} as datapackage/sources/test-text.txt: {len(TEXT)} bytes"
        in out
    )
    assert (
        f"test-text,A Test Text,,,,,,,,,,news,en,unknown,sources/test-text.txt,{sha256(TEXT)},received.txt,"
        in out
    )
    assert _files(checkout) == before


def test_a_text_already_archived_is_refused(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (checkout / "datapackage" / "sources" / "fdi-paper.txt").read_bytes()
    before = _files(checkout)
    assert main(["add", "source", str(_source(tmp_path, data)), *SOURCE]) == 1
    assert "is already archived as source fdi-paper (same SHA-256)" in capsys.readouterr().err
    assert _files(checkout) == before


@pytest.mark.parametrize(("source_id", "table"), [("fdi-paper", "sources"), ("india", "countries")])
def test_a_source_id_in_use_is_refused(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], source_id: str, table: str
) -> None:
    args = ["add", "source", str(_source(tmp_path)), *SOURCE, "--id", source_id]
    before = _files(checkout)
    assert main(args) == 1
    assert f'id: "{source_id}" is already an id in {table}.csv' in capsys.readouterr().err
    assert _files(checkout) == before


def test_a_text_that_is_not_utf8_is_refused_with_where(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _source(tmp_path, "line one\ncaf\u00e9\n".encode("cp1252"))
    assert main(["add", "source", str(path), *SOURCE]) == 1
    assert "is not UTF-8: byte 0xe9 on line 2 (offset 12)" in capsys.readouterr().err
    assert not (checkout / "datapackage" / "sources" / "test-text.txt").exists()


def test_a_text_over_the_size_limit_is_refused(
    checkout: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10)
    assert main(["add", "source", str(_source(tmp_path)), *SOURCE]) == 1
    assert f"is {len(TEXT)} bytes; an archived text may have at most 10" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("data", "message"), [(b"", "holds no text"), (b" \n\t\n", "holds no text")]
)
def test_an_empty_text_is_refused(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    assert main(["add", "source", str(_source(tmp_path, data)), *SOURCE]) == 1
    assert message in capsys.readouterr().err


def test_a_missing_file_is_refused(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", "source", "nowhere.txt", *SOURCE]) == 1
    assert "nowhere.txt is missing" in capsys.readouterr().err


def test_source_values_are_checked_by_the_model(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "add",
        "source",
        str(_source(tmp_path)),
        *SOURCE,
        "--language",
        "English",
        "--url",
        "ftp://x",
    ]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert '--language: "English" does not match the pattern' in err
    assert '--url: "ftp://x" does not match the pattern' in err


def test_a_source_kind_outside_the_vocabulary_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["add", "source", str(_source(tmp_path)), *SOURCE, "--kind", "blog"])
    assert exit_info.value.code == 2


def test_every_source_column_but_path_and_hash_is_an_option(checkout: Path, tmp_path: Path) -> None:
    args = ["add", "source", str(_source(tmp_path)), *SOURCE]
    values = {
        "author": "A. Writer",
        "publisher": "A Press",
        "published": "2020-02",
        "url": "https://example.org/a",
        "retrieved": "2021",
        "license": "CC-BY-4.0",
        "original_filename": "renamed.txt",
        "notes": "Test notes.",
    }
    for name, value in values.items():
        args += [option(name), value]
    assert {c.name for c in option_columns("sources")} == {
        *values,
        "id",
        "title",
        "kind",
        "language",
    }
    assert main(args) == 0
    row = _rows(checkout, "sources")["test-text"]
    assert {name: row[name] for name in values} == values


def test_a_source_id_that_is_not_a_slug_is_refused_once(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", "source", str(_source(tmp_path)), *SOURCE, "--id", "Bad ID"]) == 1
    err = capsys.readouterr().err
    assert '--id: "Bad ID" does not match the pattern' in err
    assert "path:" not in err


def test_add_outside_a_checkout_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(VISIT) == 2
    assert "run this inside a checkout of the repository" in capsys.readouterr().err
