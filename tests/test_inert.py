"""Text that reaches a terminal or a page is inert: source texts hold no control characters,
whatever irr echoes is escaped, and names are written in one script per word."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from india_russia_relations.checks.validate import validate
from india_russia_relations.cli import main
from india_russia_relations.errors import DataError
from india_russia_relations.io.files import sha256
from india_russia_relations.publish.evidence import read
from india_russia_relations.schema.descriptor import DESCRIPTOR, dump_json

from .conftest import PACKAGE

TITLE_AND_CLEAR = "\x1b]0;TITLE\x07\x1b[2J"
"""Retitles a terminal's window and clears its screen."""
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""A control character a terminal would act on."""
SOURCE = ["--id", "test-text", "--title", "A Test Text", "--kind", "news", "--language", "en"]


def _received(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "received.txt"
    path.write_bytes(data)
    return path


def _with_text(package: Path, source: str, data: bytes) -> None:
    """Replace an archived text, and its SHA-256 in sources.csv and the descriptor's facts,
    as a hand edit followed by `irr build` would: only the text itself can be wrong."""
    path = package / "sources" / f"{source}.txt"
    old = sha256(path.read_bytes())
    path.write_bytes(data)
    table = package / "data" / "sources.csv"
    table.write_bytes(table.read_bytes().replace(old.encode(), sha256(data).encode()))
    descriptor = json.loads((package / DESCRIPTOR).read_text("utf-8"))
    for resource in descriptor["resources"]:
        if resource["path"] in ("data/sources.csv", f"sources/{source}.txt"):
            facts = (package / resource["path"]).read_bytes()
            resource["bytes"], resource["hash"] = len(facts), f"sha256:{sha256(facts)}"
    (package / DESCRIPTOR).write_text(dump_json(descriptor), "utf-8")


FDI = (PACKAGE / "sources" / "fdi-paper.txt").read_bytes()


# --- control characters in source texts ----------------------------------------------------


def test_add_source_refuses_escape_sequences_with_line_and_column(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = f"A first line.\nThen {TITLE_AND_CLEAR} in the second.\n".encode()
    assert main(["add", "source", str(_received(tmp_path, text)), *SOURCE]) == 1
    err = capsys.readouterr().err
    assert "received.txt, line 2, column 6: U+001B ESCAPE, a control character" in err
    assert not RAW.search(err)
    assert not (checkout / "datapackage" / "sources" / "test-text.txt").exists()


def test_add_source_refuses_a_hundred_thousand_nul_bytes(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = b"Some words.\n" + b"\0" * 100_000
    assert main(["add", "source", str(_received(tmp_path, text)), *SOURCE]) == 1
    err = capsys.readouterr().err
    assert "line 2, column 1: U+0000 NULL, a control character" in err
    assert "(and at least 10,000 more like it)" in err
    assert len(err) < 1000


def test_a_carriage_return_that_ends_no_line_is_refused_and_crlf_is_kept() -> None:
    from india_russia_relations.checks.text import control_in_text

    assert control_in_text("one\r\ntwo\r\n") is None
    assert control_in_text("one\rtwo") == (
        1,
        4,
        "a carriage return that does not end a line (old Mac line endings?); "
        "convert its line endings to LF first",
    )


@given(st.text())
def test_a_text_is_refused_exactly_when_it_holds_a_control_but_tab_and_line_breaks(
    text: str,
) -> None:
    from india_russia_relations.checks.text import control_in_text

    found = control_in_text(text)
    bad = [
        at
        for at, char in enumerate(text)
        if (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F)
        and char not in "\t\n"
        and not (char == "\r" and text[at + 1 : at + 2] == "\n")
    ]
    if not bad:
        assert found is None
    else:
        line_start = text.rfind("\n", 0, bad[0]) + 1
        assert found is not None
        assert found[:2] == (text.count("\n", 0, bad[0]) + 1, bad[0] - line_start + 1)


def test_validate_reports_a_control_character_in_an_archived_text(package_copy: Path) -> None:
    _with_text(package_copy, "fdi-paper", FDI + TITLE_AND_CLEAR.encode())
    problems = validate(package_copy, display="pkg").problems
    lines = FDI.count(b"\n") + 1
    column = len(FDI) - FDI.rfind(b"\n")
    assert [(p.file, p.line, p.field) for p in problems] == [
        ("pkg/sources/fdi-paper.txt", lines, None)
    ]
    assert problems[0].message.startswith(f"column {column}: U+001B ESCAPE, a control character")


def test_the_site_is_not_built_from_a_text_holding_control_characters(
    package_copy: Path,
) -> None:
    _with_text(package_copy, "fdi-paper", FDI + b"\0" * 1000)
    with pytest.raises(DataError, match="has 1 problem; run `irr validate`"):
        read(package_copy)


# --- UTF-16 ---------------------------------------------------------------------------------


def test_a_utf16_text_gets_utf16_advice(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = "Hello, a text in UTF-16.\n".encode("utf-16")
    assert main(["add", "source", str(_received(tmp_path, data)), *SOURCE]) == 1
    err = capsys.readouterr().err
    assert "it looks like UTF-16" in err
    assert "`iconv -f UTF-16 -t UTF-8`" in err
    assert "WINDOWS-1252" not in err


def test_a_utf16_text_read_as_windows_1252_is_refused_with_utf16_advice(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What following the old advice, `iconv -f WINDOWS-1252 -t UTF-8`, made: ÿþH\0e\0...
    data = "Hello, a text in UTF-16.\n".encode("utf-16-le").decode("cp1252").encode()
    data = "ÿþ".encode() + data
    assert main(["add", "source", str(_received(tmp_path, data)), *SOURCE]) == 1
    err = capsys.readouterr().err
    assert "U+0000 NULL" in err
    assert (
        "it looks like UTF-16: convert the file as received with `iconv -f UTF-16 -t UTF-8`" in err
    )


def test_validate_gives_utf16_advice_for_an_archived_utf16_text(package_copy: Path) -> None:
    _with_text(package_copy, "fdi-paper", FDI.decode().encode("utf-16"))
    (problem,) = [p for p in validate(package_copy).problems if p.field == "path"]
    assert (
        "it looks like UTF-16: convert the file as received with `iconv -f UTF-16"
        in problem.message
    )


def test_a_carriage_return_in_author_names_author(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["add", "source", str(_received(tmp_path, b"Words.\n")), *SOURCE]
    assert main([*args, "--author", "A. Author\rB. Author"]) == 1
    err = capsys.readouterr().err
    assert "--author: contains U+000D CARRIAGE RETURN" in err
    assert "CR line ending" not in err


# --- nothing printed carries a raw control character -------------------------------------------


def test_inert_escapes_every_control_but_tab_and_line_feed() -> None:
    from india_russia_relations.problems import inert

    assert inert(f"a\tb\n{TITLE_AND_CLEAR}\x85\x7f") == (
        "a\tb\n\\u001b]0;TITLE\\u0007\\u001b[2J\\u0085\\u007f"
    )
    assert inert("plain ’ text") == "plain ’ text"


def test_quote_prints_a_passage_of_a_text_holding_escapes_escaped(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_text(
        checkout / "datapackage", "fdi-paper", f"before {TITLE_AND_CLEAR} the words\n".encode()
    )
    assert main(["quote", "fdi-paper", "the words"]) == 0
    assert main(["quote", "fdi-paper", "the wordz"]) == 1
    out = capsys.readouterr().out
    assert "context: before \\u001b]0;TITLE\\u0007\\u001b[2J [the words]" in out
    assert not RAW.search(out)


def test_add_citation_prints_the_closest_passage_escaped(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_text(
        checkout / "datapackage", "fdi-paper", f"before {TITLE_AND_CLEAR}the words\n".encode()
    )
    args = ["add", "citation", "--basis", "stated", "1964-brezhnev-india", "fdi-paper"]
    assert main([*args, "[2Jthe wordz"]) != 0
    err = capsys.readouterr().err
    assert "closest passage" in err
    assert not RAW.search(err)


def test_a_path_echoed_in_a_message_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / f"no{TITLE_AND_CLEAR}where")]) == 2
    err = capsys.readouterr().err
    assert "no\\u001b]0;TITLE\\u0007\\u001b[2Jwhere" in err
    assert not RAW.search(err)


def test_a_file_name_echoed_by_add_source_is_escaped(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"re{TITLE_AND_CLEAR}ceived.txt"
    path.write_bytes(b"Words of a text.\n")
    args = ["add", "source", str(path), *SOURCE, "--original-filename", "r.txt", "--dry-run"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "would archive" in out
    assert not RAW.search(out)


# --- names written in one script a word --------------------------------------------------------

CYRILLIC_A = "\u0430"


def test_a_cyrillic_letter_in_a_latin_name_is_reported_with_the_fix(package_copy: Path) -> None:
    table = package_copy / "data" / "leaders.csv"
    data = table.read_text("utf-8")
    line = data[: data.index("Jawaharlal Nehru")].count("\n") + 1
    table.write_text(data.replace("Jawaharlal Nehru", f"J{CYRILLIC_A}waharlal Nehru", 1), "utf-8")
    problems = [p for p in validate(package_copy, display="pkg").problems if p.field == "name"]
    assert [(p.file, p.line, p.field) for p in problems] == [("pkg/data/leaders.csv", line, "name")]
    message = problems[0].message
    assert "U+0430 CYRILLIC SMALL LETTER A among Latin letters" in message
    assert 'write it "Jawaharlal", in Latin letters only' in message


@pytest.mark.parametrize(
    "name",
    ["Владимир Путин", "Mikhail Gorbachëv", "Narendra Modi", "Ol\u02bcga", "Sergei Lavrov-Лавров"],
)
def test_a_name_in_one_script_a_word_is_fine(name: str) -> None:
    from india_russia_relations.checks.text import mixed_script_problem

    assert mixed_script_problem(name) is None


@pytest.mark.parametrize(
    ("name", "letter"),
    [
        (f"J{CYRILLIC_A}waharlal Nehru", "U+0430 CYRILLIC SMALL LETTER A"),
        ("Νarendra Modi", "U+039D GREEK CAPITAL LETTER NU"),
        ("Влаdимир", "U+0064 LATIN SMALL LETTER D"),
    ],
)
def test_a_word_mixing_scripts_is_reported_with_the_odd_letter(name: str, letter: str) -> None:
    from india_russia_relations.checks.text import mixed_script_problem

    found = mixed_script_problem(name)
    assert found is not None and letter in found


def test_a_mixed_script_alias_is_reported(package_copy: Path) -> None:
    table = package_copy / "data" / "leaders.csv"
    data = table.read_text("utf-8")
    head, first, *rest = data.split("\n")
    cells = first.split(",")
    cells[2] = f"Ch{CYRILLIC_A}cha"  # aliases
    table.write_text("\n".join([head, ",".join(cells), *rest]), "utf-8")
    problems = [p for p in validate(package_copy).problems if p.field == "aliases"]
    assert len(problems) == 1 and "U+0430 CYRILLIC SMALL LETTER A" in problems[0].message


def test_add_leaders_refuses_a_name_whose_slug_drops_a_letter(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["add", "leaders", "--set", f"name=J{CYRILLIC_A}waharlal Nehru"]
    assert main([*args, "--set", "country_id=india"]) == 1
    err = capsys.readouterr().err
    assert (
        "would make the id jwaharlal-nehru, which leaves out U+0430 CYRILLIC SMALL LETTER A" in err
    )
    assert 'write it "Jawaharlal"' in err
    assert "jwaharlal" not in (checkout / "datapackage" / "data" / "leaders.csv").read_text()


def test_add_leaders_refuses_a_latin_letter_the_slug_drops_and_asks_for_a_slug(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", "leaders", "--set", "name=Đorđe Test", "--set", "country_id=india"]) == 1
    err = capsys.readouterr().err
    assert "would make the id ore-test" in err
    assert "choose the id with --slug" in err
    assert (
        main(
            [
                "add",
                "leaders",
                "--slug",
                "djordje-test",
                "--set",
                "name=Đorđe Test",
                "--set",
                "country_id=india",
                "--dry-run",
            ]
        )
        == 0
    )
