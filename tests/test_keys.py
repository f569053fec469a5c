"""Keys across tables: ids unique everywhere, references that resolve, rows sorted, citations.

Each test states the whole list of problems, so that a check which reports too much (a
dangling reference that is not one) fails as surely as one that reports too little.
"""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from india_russia_relations.checks.tables import (
    _LINE_SHIFT,
    CITED_TABLES,
    Keys,
    Report,
    check_table,
    summarize,
)
from india_russia_relations.checks.validate import validate
from india_russia_relations.io.csvfile import read, write_rows
from india_russia_relations.problems import Problem
from india_russia_relations.schema.columns import header
from india_russia_relations.schema.models import TABLES

from .conftest import PACKAGE
from .test_validate import _write

LEADERS = PACKAGE / "data" / "leaders.csv"


def _problems(package: Path) -> list[str]:
    return [str(p) for p in validate(package, display="pkg").problems]


def _rows(table: str) -> tuple[list[str], list[list[str]]]:
    raw = read((PACKAGE / "data" / f"{table}.csv").read_bytes(), table)
    assert raw.header is not None
    return raw.header, [cells for _, cells in raw.rows]


def _replace(package: Path, table: str, old: bytes, new: bytes) -> None:
    path = package / "data" / f"{table}.csv"
    data = path.read_bytes()
    assert data.count(old) == 1
    _write(path, data.replace(old, new))


# Keys alone


def test_an_id_is_recorded_with_its_table_and_first_line() -> None:
    keys, problems = Keys(), []
    assert keys.add("leaders", "nehru", 7, "l.csv", problems) == 0
    assert keys.holds("leaders", "nehru")
    assert not keys.holds("events", "nehru")
    assert not keys.holds("leaders", "gandhi")
    assert not any(keys.holds(table, "gandhi") for table in TABLES)
    assert keys.add("leaders", "nehru", 9, "l.csv", problems) != 0
    assert problems == []


def test_an_id_in_a_second_table_is_reported_with_the_first_table_and_line() -> None:
    keys, problems = Keys(), []
    keys.add("countries", "india", 12, "c.csv", problems)
    keys.add("leaders", "india", 3, "l.csv", problems)
    keys.add("events", "india", 5, "e.csv", problems)
    assert problems == [
        Problem(
            "l.csv",
            3,
            "id",
            '"india" is also an id in countries.csv (line 12); ids are unique across tables',
        ),
        Problem(
            "e.csv",
            5,
            "id",
            '"india" is also an id in countries.csv (line 12); ids are unique across tables',
        ),
    ]
    assert keys.holds("countries", "india") and keys.holds("leaders", "india")
    assert keys.holds("events", "india")


def test_references_are_checked_only_into_tables_that_were_read() -> None:
    keys = Keys(unread={"leaders"})
    assert not keys.readable("leaders")
    assert keys.readable("countries")
    assert not Keys(standalone=True).readable("countries")


def test_a_cited_record_without_a_supports_citation_is_reported_at_its_line() -> None:
    keys, problems = Keys(files={"events": "e.csv"}), []
    keys.add("events", "war", 4, "e.csv", problems)
    keys.add("events", "veto", 5, "e.csv", problems)
    keys.add("countries", "india", 2, "c.csv", problems)  # reference data needs no citation
    keys.support("veto")
    assert keys.unsupported() == [
        Problem(
            "e.csv",
            4,
            "id",
            "has no supports citation; add a row to citations.csv that quotes a source",
        )
    ]


def test_a_record_in_a_table_that_was_not_read_is_not_called_unsupported() -> None:
    keys, problems = Keys(unread={"events"}), []
    keys.add("events", "war", 4, "e.csv", problems)
    assert keys.unsupported() == []


def test_an_uncited_id_that_a_cited_table_repeats_is_unsupported_in_the_cited_table() -> None:
    keys, problems = Keys(files={"events": "e.csv"}), []
    keys.add("countries", "india", 2, "c.csv", problems)
    keys.add("events", "india", 8, "e.csv", problems)
    # Only the first line of an id is kept, and it is in countries.csv: the header is named.
    assert keys.unsupported() == [
        Problem(
            "e.csv",
            1,
            "id",
            "has no supports citation; add a row to citations.csv that quotes a source",
        )
    ]


def test_unsupported_records_after_one_in_an_unread_table_are_still_reported() -> None:
    keys, problems = Keys(unread={"leaders"}), []
    keys.add("leaders", "nehru", 2, "l.csv", problems)
    keys.add("events", "war", 3, "e.csv", problems)
    assert [(p.file, p.line) for p in keys.unsupported()] == [("data/events.csv", 3)]


def test_a_table_checked_with_keys_names_its_file_for_later_messages() -> None:
    _, rows = _rows("events")
    keys = Keys()
    _check("events", rows[:1], keys)
    assert keys.files == {"events": "t.csv"}
    assert [p.file for p in keys.unsupported()] == ["t.csv"]


# One table at a time


def _check(table: str, rows: list[list[str]], keys: Keys | None = None) -> Report:
    report = Report()
    check_table(table, write_rows(header(table), rows), "t.csv", report, keys=keys)
    return report


def test_rows_out_of_order_are_each_reported_and_fixable() -> None:
    _, rows = _rows("countries")
    a, b, c = rows[:3]
    report = _check("countries", [c, a, b])
    assert report.problems == [
        Problem(
            "t.csv",
            line,
            "id",
            f'"{row[0]}" is out of order: rows are sorted by id; run `irr fmt`',
            fixable=True,
        )
        for line, row in [(3, a), (4, b)]
    ]
    assert report.unformattable == set()


def test_a_row_after_an_out_of_order_row_is_compared_with_the_largest_before_it() -> None:
    _, rows = _rows("countries")
    a, b, c = rows[:3]
    report = _check("countries", [b, a, c])
    assert [(p.line, p.message.split(" is ")[0]) for p in report.problems] == [(3, f'"{a[0]}"')]


def test_a_duplicate_id_names_the_line_it_repeats() -> None:
    _, rows = _rows("countries")
    report = _check("countries", [rows[0], rows[1], rows[1]])
    assert report.problems == [
        Problem("t.csv", 4, "id", f'duplicate key "{rows[1][0]}" (also on line 3)')
    ]
    assert report.unformattable == {"t.csv"}
    assert (report.rows["countries"], report.records["countries"]) == (3, 3)


def test_a_duplicate_key_of_a_link_table_joins_its_columns() -> None:
    # Short keys, so that the whole key is in the message (show() cuts long values).
    report = _check(
        "agreement_parties", [["a", "china", ""], ["a", "india", ""], ["a", "india", ""]]
    )
    assert report.problems == [
        Problem("t.csv", 4, "agreement_id", 'duplicate key "a/india" (also on line 3)')
    ]


def test_a_link_table_row_out_of_order_is_reported_by_its_key() -> None:
    report = _check("agreement_parties", [["a", "india", ""], ["a", "china", ""]])
    assert report.problems == [
        Problem(
            "t.csv",
            3,
            "agreement_id",
            '"a/china" is out of order: rows are sorted by agreement_id, country_id; run `irr fmt`',
            fixable=True,
        )
    ]


def _event(rid: str) -> list[str]:
    _, rows = _rows("events")
    return [rid, *rows[0][1:]]


ALSO_INDIA = '"india" is also an id in countries.csv (line 5); ids are unique across tables'


def test_an_id_of_another_table_repeated_in_one_table_is_reported_once_each_way() -> None:
    keys, problems = Keys(), []
    keys.add("countries", "india", 5, "c.csv", problems)
    report = _check("events", [_event("india"), _event("india")], keys)
    assert report.problems == [
        Problem("t.csv", 3, "id", 'duplicate key "india"'),
        Problem("t.csv", 2, "id", ALSO_INDIA),
    ]
    assert keys.holds("countries", "india") and keys.holds("events", "india")
    assert keys.ids["india"] >> _LINE_SHIFT == 5  # the first line is kept
    assert [(p.file, p.line) for p in keys.unsupported()] == [("t.csv", 1)]


def test_rows_whose_ids_are_missing_are_not_out_of_order() -> None:
    report = _check("events", [_event(""), _event("")])
    assert [(p.line, p.field, p.message) for p in report.problems] == [
        (2, "id", "is required; fill it in"),
        (3, "id", "is required; fill it in"),
    ]


def test_a_row_with_the_wrong_number_of_cells_can_repeat_an_id_of_another_table() -> None:
    keys, problems = Keys(), []
    keys.add("countries", "india", 5, "c.csv", problems)
    report = _check("events", [["india", "x"]], keys)
    assert report.problems == [
        Problem("t.csv", 2, None, "has 2 cells; the header has 13"),
        Problem("t.csv", 2, "id", ALSO_INDIA),
    ]


def test_a_broken_row_can_repeat_an_id_of_another_table() -> None:
    keys, problems = Keys(), []
    keys.add("countries", "india", 5, "c.csv", problems)
    report = Report()
    data = write_rows(header("events"), [_event("war")]) + b'india,"a"b\n'
    check_table("events", data, "t.csv", report, keys=keys)
    assert report.problems == [
        Problem(
            "t.csv",
            3,
            None,
            "is not valid CSV (',' expected after '\"'); quote the cell and double any quote inside",
        ),
        Problem("t.csv", 3, "id", ALSO_INDIA),
    ]


def test_a_table_without_ids_registers_none_from_its_short_rows() -> None:
    keys = Keys()
    report = _check("agreement_parties", [["a", "india"]], keys)
    assert [p.message for p in report.problems] == ["has 2 cells; the header has 3"]
    assert keys.ids == {}


def test_ids_of_a_table_whose_header_is_wrong_still_count_across_tables() -> None:
    keys, problems = Keys(), []
    keys.add("countries", "india", 5, "c.csv", problems)
    head = ["name", "id"]  # not the header: its rows cannot be checked, but ids can be read
    data = write_rows(head, [["India", "india"], ["x"], ["War", "war"]])
    report = Report()
    check_table("events", data, "t.csv", report, keys=keys)
    assert report.unread == keys.unread == {"events"}
    assert [p for p in report.problems if p.line > 1] == [
        Problem("t.csv", 3, None, "has 1 cells; the header has 2"),
        Problem("t.csv", 2, "id", ALSO_INDIA),
    ]
    assert keys.holds("events", "war")


def test_a_file_without_a_header_row_is_unread() -> None:
    keys, report = Keys(), Report()
    check_table("events", b"", "t.csv", report, keys=keys)
    assert report.unread == keys.unread == {"events"}


def test_a_file_without_derived_columns_says_fmt_adds_them() -> None:
    base = [c for c in header("countries") if not c.endswith(("_earliest", "_latest"))]
    _, rows = _rows("countries")
    cells = [dict(zip(header("countries"), rows[0], strict=True))[c] for c in base]
    report = Report()
    check_table("countries", write_rows(base, [cells]), "t.csv", report)
    assert report.problems == [
        Problem(
            "t.csv",
            1,
            None,
            "lacks the derived date columns (*_earliest, *_latest); run `irr fmt` to add them",
            fixable=True,
        )
    ]


def test_a_reference_to_an_unknown_source_dangles() -> None:
    keys = _keys(events={"war"})
    report = _check("citations", [_citation("war", source_id="nowhere")], keys)
    assert [(p.field, p.message) for p in report.problems] == [
        ("source_id", '"nowhere" is not an id in sources.csv')
    ]


def test_a_reference_to_an_id_the_keys_lack_dangles() -> None:
    _, rows = _rows("positions")
    keys, problems = Keys(), []
    keys.add("countries", rows[0][3], 2, "c.csv", problems)
    report = _check("positions", rows[:1], keys)
    assert report.problems == [
        Problem("t.csv", 2, "leader_id", f'"{rows[0][1]}" is not an id in leaders.csv')
    ]


def test_a_reference_into_an_unread_table_is_not_checked() -> None:
    _, rows = _rows("positions")
    keys = Keys(unread={"leaders", "countries"})
    assert _check("positions", rows[:1], keys).problems == []


def test_a_table_checked_alone_checks_no_reference() -> None:
    _, rows = _rows("positions")
    assert _check("positions", rows[:2]).problems == []


def test_a_header_without_rows_is_reported() -> None:
    assert _check("countries", []).problems == [
        Problem("t.csv", 1, None, "has a header but no rows")
    ]


def test_ids_of_rows_with_the_wrong_number_of_cells_are_still_ids() -> None:
    _, rows = _rows("countries")
    keys = Keys()
    report = _check("countries", [rows[0], [*rows[1], "extra"], rows[2][:3]], keys)
    assert [p.message for p in report.problems] == [
        "has 12 cells; the header has 11",
        "has 3 cells; the header has 11",
    ]
    assert all(keys.holds("countries", row[0]) for row in rows[:3])
    assert report.rows["countries"] == 1


def test_a_fixable_problem_alone_leaves_the_file_formattable() -> None:
    _, rows = _rows("countries")
    report = Report()
    data = write_rows(header("countries"), rows[:2]).replace(b"\n", b"\r\n")
    check_table("countries", data, "t.csv", report)
    assert [p.fixable for p in report.problems] == [True]
    assert report.unformattable == set()


# Citations


def _citation(record_id: str, **cells: str) -> list[str]:
    """The first committed citation, changed to cite ``record_id``."""
    head, rows = _rows("citations")
    row = dict(zip(head, rows[0], strict=True))
    row.update(record_id=record_id, **cells)
    return list(row.values())


SOURCE = _citation("x")[header("citations").index("source_id")]


def _keys(**given: set[str]) -> Keys:
    """Keys that hold the cited source and, per table, the ids given."""
    keys, problems = Keys(), []
    keys.add("sources", SOURCE, 2, "s.csv", problems)
    for table, ids in given.items():
        for line, rid in enumerate(sorted(ids), 2):
            keys.add(table, rid, line, f"{table}.csv", problems)
    assert problems == []
    return keys


def test_a_citation_of_no_record_names_the_tables_it_looked_in() -> None:
    report = _check("citations", [_citation("nowhere")], _keys())
    assert [(p.field, p.message) for p in report.problems] == [
        ("record_id", f'"nowhere" is not the id of a record in {", ".join(CITED_TABLES)}')
    ]


def test_a_citation_is_not_called_dangling_while_a_cited_table_is_unread() -> None:
    keys = _keys()
    keys.unread.add("events")
    assert _check("citations", [_citation("nowhere")], keys).problems == []


def test_a_citation_field_must_belong_to_one_of_the_tables_holding_the_record() -> None:
    ok = _check("citations", [_citation("war", field="start")], _keys(events={"war"}))
    assert ok.problems == []
    report = _check("citations", [_citation("war", field="office")], _keys(events={"war"}))
    assert [(p.field, p.message) for p in report.problems] == [
        ("field", '"office" is not a field of events')
    ]


def test_only_a_supports_citation_supports_its_record() -> None:
    keys = _keys(events={"war", "veto"})
    _check(
        "citations",
        [
            _citation("veto", stance="contradicts", id="veto--a", claimed_value="x", note="n"),
            _citation("war", stance="supports", id="war--a"),
        ],
        keys,
    )
    assert keys.is_supported("war") and not keys.is_supported("veto")


def test_a_quote_is_checked_against_its_source_text_when_the_text_was_read() -> None:
    def check(text: str | None) -> list[Problem]:
        keys = _keys(events={"war"})
        if text is not None:
            keys.texts[SOURCE] = lambda: text
        return _check("citations", [row], keys).problems + keys.missing_quotes()

    row = _citation("war", quote="the  words\u00a0of the text")
    assert check(None) == []  # the text could not be read: its problem is reported elsewhere
    assert check("Here are the words\nof the text.") == []
    assert [(p.field, p.message) for p in check("Here are other words.")] == [
        (
            "quote",
            '"the  words\u00a0of the text" is not in the text of source '
            f"{SOURCE}; quote it verbatim (only whitespace may differ)",
        )
    ]


# Whole packages


def test_a_broken_row_s_id_is_still_an_id_so_references_to_it_do_not_dangle(
    package_copy: Path,
) -> None:
    _replace(package_copy, "leaders", b"alice-wells,Alice Wells,", b'alice-wells,"Alice"Wells,')
    assert _problems(package_copy) == [
        "pkg/data/leaders.csv:3: is not valid CSV (',' expected after '\"'); quote the cell "
        "and double any quote inside"
    ]


def test_a_file_of_blank_lines_has_no_header_and_references_into_it_do_not_dangle(
    package_copy: Path,
) -> None:
    _write(package_copy / "data" / "leaders.csv", b"\n\n")
    assert sorted(_problems(package_copy)) == [
        "pkg/data/leaders.csv:1: has no header row",
        "pkg/data/leaders.csv:1: is a blank row; remove it",
        "pkg/data/leaders.csv:2: is a blank row; remove it",
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"id,name,", b"id,nom,"),  # a header that names a column the schema lacks
        (b"id,name,aliases,", b"id,aliases,name,"),  # columns out of order
    ],
)
def test_references_into_a_table_whose_header_is_wrong_do_not_dangle(
    package_copy: Path, old: bytes, new: bytes
) -> None:
    _replace(package_copy, "leaders", old, new)
    problems = _problems(package_copy)
    assert problems and all(p.startswith("pkg/data/leaders.csv:1: ") for p in problems), problems


def test_a_row_with_a_cell_too_many_keeps_its_id(package_copy: Path) -> None:
    _replace(package_copy, "leaders", b"alice-wells,Alice Wells,", b"alice-wells,Alice,Wells,")
    assert _problems(package_copy) == ["pkg/data/leaders.csv:3: has 12 cells; the header has 11"]


def test_a_record_without_its_citations_is_unsupported(package_copy: Path) -> None:
    head, rows = _rows("citations")
    at = head.index("record_id")
    kept = [r for r in rows if r[at] != "alice-wells"]
    assert len(kept) < len(rows)
    _write(package_copy / "data" / "citations.csv", write_rows(head, kept))
    assert _problems(package_copy) == [
        "pkg/data/leaders.csv:3: id: has no supports citation; add a row to citations.csv "
        "that quotes a source"
    ]


# Long lists in the messages of these checks


@pytest.mark.parametrize(
    ("items", "listed"),
    [
        (["a"], "label a"),
        (["a", "b"], "labels a, b"),
        (["a", "b", "c", "d"], "labels a, b, c, d"),
        (["a", "b", "c", "d", "e"], "5 labels, first: a, b, c"),
        ([f"c{i}" for i in range(1234)], "1,234 labels, first: c0, c1, c2"),
    ],
)
def test_a_list_of_more_than_four_is_summarized_by_its_count_and_first_three(
    items: list[str], listed: str
) -> None:
    assert summarize(items, "label", "labels") == listed


def test_a_field_of_either_table_that_holds_a_repeated_id_is_a_field_of_the_record() -> None:
    def keys() -> Keys:
        held = _keys(visits={"trip"})
        held.add("events", "trip", 2, "events.csv", [])  # reported when events.csv is read
        return held

    for name in ("leader_id", "value_unit"):  # one of visits, one of events
        assert _check("citations", [_citation("trip", field=name)], keys()).problems == []
    report = _check("citations", [_citation("trip", field="office")], keys())
    assert [(p.field, p.message) for p in report.problems] == [
        ("field", '"office" is not a field of visits')
    ]


def test_only_an_id_of_a_cited_table_can_be_supported() -> None:
    keys, problems = Keys(), []
    keys.add("countries", "india", 2, "c.csv", problems)
    keys.support("india")
    keys.support("nowhere")
    assert not keys.is_supported("india") and not keys.is_supported("nowhere")
    assert set(keys.ids) == {"india"}


def test_missing_quotes_are_listed_source_by_source_with_their_lines() -> None:
    keys = Keys(files={"citations": "c.csv"})
    keys.texts = {"b": lambda: "Beta says\nthis.", "a": lambda: "Alpha says that."}
    keys.quotes = {
        "b": (array("I", [7, 9]), ["Beta says this", "Beta says that"]),
        "a": (array("I", [4]), ["Alpha  says"]),
    }
    assert keys.missing_quotes() == [
        Problem(
            "c.csv",
            9,
            "quote",
            '"Beta says that" is not in the text of source b; quote it verbatim '
            "(only whitespace may differ)",
        )
    ]
    assert keys.quotes == {}


def test_a_missing_quote_is_located_in_citations_csv_when_no_file_was_named() -> None:
    keys = Keys(texts={"a": lambda: "Alpha."}, quotes={"a": (array("I", [3]), ["Beta"])})
    assert [(p.file, p.line) for p in keys.missing_quotes()] == [("data/citations.csv", 3)]
