"""Streaming one table's CSV file through every check, keeping only the keys later checks need.

Tables are read in the package's order, and every reference points at a table read before
it (citations last), so foreign keys are checked as each row streams past; what is kept is
one entry per id, not the rows.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..io.csvfile import Reader
from ..problems import Problem, Problems, show
from ..schema.columns import columns, header
from ..schema.models import MODELS, TABLES, Record
from .provenance import found_in
from .rows import RowChecker

TABLE_BIT: dict[str, int] = {table: 1 << index for index, table in enumerate(TABLES)}
_TABLE_BITS = (1 << len(TABLES)) - 1
_PROPER_SHIFT = len(TABLES)
_SUPPORTED = 1 << (2 * len(TABLES))
"""Set on an id that a ``supports`` citation cites."""
_LINE_SHIFT = 2 * len(TABLES) + 1
CITED_BITS = sum(TABLE_BIT[t] for t in TABLES if MODELS[t].cited)
CITED_TABLES = tuple(t for t in TABLES if MODELS[t].cited)
_SHOWN = 3
"""How many items a message lists before it summarizes the rest."""


def summarize(items: list[str], single: str, plural: str) -> str:
    """``items`` named in a message: "the label x", "the labels x, y", or "31,987 labels, first: a, b, c"."""
    if len(items) == 1:
        return f"{single} {items[0]}"
    if len(items) <= _SHOWN + 1:
        return f"{plural} {', '.join(items)}"
    return f"{len(items):,} {plural}, first: {', '.join(items[:_SHOWN])}"


def _first_table(bits: int) -> str:
    return TABLES[(bits & -bits).bit_length() - 1]


@dataclass
class Keys:
    """What the checks of one package keep while its tables stream past: keys, not rows."""

    ids: dict[str, int] = field(default_factory=dict)
    """Each id: the line of its first row, which tables hold it, and in which it is a whole row."""
    unread: set[str] = field(default_factory=set)
    """Tables whose rows could not be matched to columns; checks that rely on them are skipped."""
    texts: dict[str, Callable[[], str]] = field(default_factory=dict)
    """Per source id, how to read its archived text again, for the quotes."""
    quotes: dict[str, tuple[array[int], list[str]]] = field(default_factory=dict)
    """Per source id, the quotes to look for in its text and their lines in citations.csv."""
    files: dict[str, str] = field(default_factory=dict)
    """How each table's file is shown in messages."""
    standalone: bool = False
    """A table checked alone: references to other tables are not checked."""
    quotes_elsewhere: bool = False
    """The quotes are gathered and looked up by another reader of citations.csv."""

    def readable(self, table: str) -> bool:
        """Whether references into ``table`` can be checked."""
        return not self.standalone and table not in self.unread

    def holds(self, table: str, value: str) -> bool:
        """Whether ``value`` is an id of a row of ``table``."""
        return bool(self.ids.get(value, 0) & TABLE_BIT[table])

    def add(self, table: str, rid: str, line: int, file: str, problems: list[Problem]) -> int:
        """Record an id seen on ``line``; report it when another table holds it too.

        Returns what was known of the id before.
        """
        bit = TABLE_BIT[table]
        known = self.ids.get(rid, 0)
        if not known:
            self.ids[rid] = (line << _LINE_SHIFT) | bit
            return 0
        if not known & bit:
            other = _first_table(known & _TABLE_BITS)
            problems.append(
                Problem(
                    file,
                    line,
                    "id",
                    f"{show(rid)} is also an id in {other}.csv (line {known >> _LINE_SHIFT}); ids are unique across tables",
                )
            )
            self.ids[rid] = known | bit
        return known

    def support(self, record_id: str) -> None:
        """Record that a ``supports`` citation cites ``record_id`` (an id of a cited table)."""
        if self.ids.get(record_id, 0) & CITED_BITS:
            self.ids[record_id] |= _SUPPORTED

    def is_supported(self, record_id: str) -> bool:
        """Whether a ``supports`` citation cites ``record_id``."""
        return bool(self.ids.get(record_id, 0) & _SUPPORTED)

    def fresh(self, rids: Iterable[str]) -> bool:
        """Whether none of ``rids`` is an id yet."""
        return self.ids.keys().isdisjoint(rids)

    def add_rows(self, table: str, rids: Sequence[str], lines: Sequence[int]) -> None:
        """Keep the ids of whole rows of ``table`` on ``lines``, none of them known before."""
        flags = TABLE_BIT[table] | TABLE_BIT[table] << _PROPER_SHIFT
        self.ids.update(zip(rids, [line << _LINE_SHIFT | flags for line in lines], strict=True))

    def held_by(self, table: str) -> list[str]:
        """The ids of ``table`` read so far."""
        bit = TABLE_BIT[table]
        return [rid for rid, known in self.ids.items() if known & bit]

    def tables_of(self, rids: Iterable[str]) -> list[int]:
        """For each of ``rids``, the bits (``TABLE_BIT``) of the tables that hold it."""
        get = self.ids.get
        return [get(rid, 0) & _TABLE_BITS for rid in rids]

    def support_all(self, record_ids: Iterable[str]) -> None:
        """Record that ``supports`` citations cite each of ``record_ids``, ids of cited tables."""
        ids = self.ids
        for record_id in record_ids:
            ids[record_id] |= _SUPPORTED

    def want_quote(self, source: str, line: int, quote: str) -> None:
        """Keep a citation's quote, to look it up in its source's text, if it has both."""
        if quote and source in self.texts:
            pending = self.quotes.get(source)
            if pending is None:
                pending = self.quotes[source] = (array("I"), [])
            pending[0].append(line)
            pending[1].append(quote)

    def missing_quotes(self) -> Problems:
        """A problem for each quote not in its source's text; the texts are released as it goes.

        Quotes are gathered while citations stream and looked up one source at a time, so
        only one text's index is in memory at once.
        """
        groups = ((source, *self.quotes.pop(source)) for source in sorted(self.quotes))
        return self.quote_problems(groups)

    def quote_problems(self, groups: Iterable[tuple[str, Sequence[int], list[str]]]) -> Problems:
        """A problem for each quote not in its source's text, of ``groups`` of a source's
        quotes and their lines in citations.csv."""
        problems = Problems()
        file = self.files.get("citations", "data/citations.csv")
        for source, lines, quotes in groups:
            found = found_in(self.texts[source](), quotes)
            for line, quote, there in zip(lines, quotes, found, strict=True):
                if not there:
                    problems.append(
                        Problem(
                            file,
                            line,
                            "quote",
                            f"{show(quote)} is not in the text of source {source}; quote it verbatim (only whitespace may differ)",
                        )
                    )
        return problems

    def unsupported(self) -> Problems:
        """A problem for each cited record that no ``supports`` citation cites."""
        problems = Problems()
        for known in self.ids.values():
            bits = known & _TABLE_BITS
            if not bits & CITED_BITS or known & _SUPPORTED:
                continue
            table = _first_table(bits)
            line = known >> _LINE_SHIFT
            if table not in CITED_TABLES:  # first held by an uncited table (a duplicate id)
                table, line = _first_table(bits & CITED_BITS), 1
            if table in self.unread:
                continue
            problems.append(
                Problem(
                    self.files.get(table, f"data/{table}.csv"),
                    line,
                    "id",
                    "has no supports citation; add a row to citations.csv that quotes a source",
                )
            )
        return problems


@dataclass
class Report:
    """What validation found: the problems, and how many rows of each table were read."""

    problems: Problems = field(default_factory=Problems)
    """A few of each kind per file, and a summary of the rest (see ``Problems``)."""
    rows: dict[str, int] = field(default_factory=dict)
    """Per table, the rows with the right number of cells, parsed or not."""
    records: dict[str, int] = field(default_factory=dict)
    """Per table, the rows that parsed into their model."""
    unread: set[str] = field(default_factory=set)
    """Tables whose rows could not be matched to columns."""
    unformattable: set[str] = field(default_factory=set)
    """Files with a problem of their own that `irr fmt` cannot fix, so it will not rewrite them."""


def header_problems(table: str, found: list[str], file: str) -> list[Problem]:
    """What is wrong with a header row; empty when it is the full header or lacks only derived columns."""
    expected = header(table)
    if found == expected or found == _base_header(table):
        return []
    if len(found) == 1:
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if delimiter in found[0]:
                return [
                    Problem(file, 1, None, f"separates cells with {name}; use commas (RFC 4180)")
                ]
    problems: list[Problem] = []
    blank = sum(1 for label in found if label == "")
    if blank:
        noun = "a blank header label" if blank == 1 else f"{blank:,} blank header labels"
        problems.append(Problem(file, 1, None, f"has {noun}"))
    spaced = [show(label) for label in found if label and label != label.strip()]
    if spaced:
        verb = "has" if len(spaced) == 1 else "have"
        listed = summarize(spaced, "header label", "header labels")
        problems.append(Problem(file, 1, None, f"{listed} {verb} surrounding spaces"))
    counts = Counter(found)
    repeated = [show(label) for label in sorted(counts) if counts[label] > 1 and label]
    if repeated:
        verb = "appears" if len(repeated) == 1 else "appear"
        listed = summarize(repeated, "header label", "header labels")
        problems.append(Problem(file, 1, None, f"{listed} {verb} more than once"))
    present = set(found)
    known = set(expected)
    missing = [label for label in expected if label not in present]
    extra = [show(label) for label in found if label.strip() and label not in known]
    if missing:
        listed = summarize(missing, "the column", "the columns")
        problems.append(Problem(file, 1, None, f"header lacks {listed}"))
    if extra:
        listed = summarize(extra, "an unknown column", "unknown columns")
        problems.append(
            Problem(
                file,
                1,
                None,
                f"header has {listed}; the columns are in schemas/{table}.json",
            )
        )
    if not problems:
        problems.append(
            Problem(
                file, 1, None, f"header columns are out of order; expected {','.join(expected)}"
            )
        )
    return problems


def _base_header(table: str) -> list[str]:
    return [c.name for c in columns(table) if c.derived_from is None]


def check_table(
    table: str,
    chunks: bytes | Iterable[bytes],
    file: str,
    report: Report,
    *,
    keys: Keys | None = None,
    on_record: Callable[[int, Record], None] | None = None,
) -> Reader:
    """Check one CSV file against its model, streaming its rows; return the reader used.

    ``keys`` carries the ids of the tables read before, for references, and collects this
    table's; without it the table is checked alone. ``on_record`` receives each row that
    parses into its model, with its line.
    """
    keys = keys if keys is not None else Keys(standalone=True)
    keys.files.setdefault(table, file)
    reader = Reader(file)
    rows = reader.rows([chunks] if isinstance(chunks, bytes) else chunks)
    report.rows[table] = report.records[table] = 0
    model = MODELS[table]
    has_id = "id" in model.model_fields
    checker: RowChecker | None = None
    id_at: int | None = 0 if has_id else None
    width = 0
    any_rows = False
    problems = Problems()  # of this file alone
    cross = Problems()  # that depend on other tables
    if reader.header is None:  # the reader said why
        report.unread.add(table)
        keys.unread.add(table)
    else:
        found = reader.header
        width = len(found)
        head = header_problems(table, found, file)
        problems.extend(head)
        if head:
            report.unread.add(table)
            keys.unread.add(table)  # cells cannot be matched to columns
            id_at = found.index("id") if has_id and "id" in found else None
        else:
            checker = RowChecker(table, derived=found == header(table))
            if found != header(table):
                problems.append(
                    Problem(
                        file,
                        1,
                        None,
                        "lacks the derived date columns (*_earliest, *_latest); run `irr fmt` to add them",
                        fixable=True,
                    )
                )
    rows_keys = (
        _RowKeys(table, checker.names, keys, file, problems=problems, cross=cross)
        if checker is not None
        else None
    )
    for line, cells in rows:
        any_rows = True
        if len(cells) != width:
            problems.append(
                Problem(file, line, None, f"has {len(cells)} cells; the header has {width}")
            )
            if id_at is not None and len(cells) > id_at and cells[id_at]:
                keys.add(table, cells[id_at], line, file, cross)
            continue
        if checker is None or rows_keys is None:
            if id_at is not None and cells[id_at]:
                keys.add(table, cells[id_at], line, file, cross)
            continue
        report.rows[table] += 1
        record, row_problems = checker.check(cells, file, line)
        if row_problems:
            problems.extend(row_problems)
        if record is not None:
            report.records[table] += 1
            if on_record is not None:
                on_record(line, record)
        rows_keys.check(line, cells)
    if reader.header is not None and not any_rows:
        problems.append(Problem(file, 1, None, "has a header but no rows"))
    if has_id:
        for line, cell in reader.broken:
            if cell:
                keys.add(table, cell, line, file, cross)
    problems.extend(reader.problems)
    if any(not p.fixable for p in problems):
        report.unformattable.add(file)
    report.problems.extend(problems)
    report.problems.extend(cross)
    return reader


class _RowKeys:
    """The checks of each row's keys, in file order: its id across tables, duplicate and
    out-of-order keys, references into earlier tables and, for citations, what they cite.

    ``names`` are the columns of the cells given (any that hold the keys), so that a reader
    of only some columns can share these checks. File-local problems go to ``problems``,
    those that depend on other tables to ``cross``.
    """

    def __init__(
        self,
        table: str,
        names: list[str],
        keys: Keys,
        file: str,
        *,
        problems: list[Problem],
        cross: list[Problem],
    ) -> None:
        model = MODELS[table]
        self.table, self.keys, self.file = table, keys, file
        self.problems, self.cross = problems, cross
        self.primary_key = model.primary_key
        self.has_id = "id" in model.model_fields
        self.id_at = names.index("id") if self.has_id else 0
        self.key_at = [names.index(name) for name in model.primary_key]
        self.refs = [
            (names.index(c.name), c.name, c.foreign_key, TABLE_BIT[c.foreign_key])
            for c in columns(table)
            if c.foreign_key and c.name != "id" and keys.readable(c.foreign_key)
        ]
        citing = table == "citations" and not keys.standalone
        self.citation = _CitationCheck(names, keys) if citing else None
        self.bit = TABLE_BIT[table]
        self.proper = self.bit << _PROPER_SHIFT
        self.previous: tuple[str, ...] | None = None
        self.seen: dict[tuple[str, ...], int] = {}

    def check(self, line: int, cells: Sequence[str]) -> None:
        """Check one row's keys and keep its id."""
        keys, file, table = self.keys, self.file, self.table
        ids, bit, proper = keys.ids, self.bit, self.proper
        first_line: int | None
        if self.has_id:
            rid = cells[self.id_at]
            key: tuple[str, ...] = (rid,)
            known = ids.get(rid, 0) if rid else 0
            if not known:
                if rid:
                    ids[rid] = (line << _LINE_SHIFT) | bit | proper
                duplicate, first_line = False, None
            else:
                if not known & bit:
                    keys.add(table, rid, line, file, self.cross)
                ids[rid] |= bit | proper
                duplicate = bool(known & proper)
                same_table = _first_table(known & _TABLE_BITS) == table
                first_line = known >> _LINE_SHIFT if same_table else None
        else:
            key = tuple(cells[i] for i in self.key_at)
            first_line = self.seen.get(key)
            duplicate = first_line is not None
            if not duplicate:
                self.seen[key] = line
        previous = self.previous
        if duplicate:
            also = f" (also on line {first_line})" if first_line else ""
            self.problems.append(
                Problem(
                    file, line, self.primary_key[0], f"duplicate key {show('/'.join(key))}{also}"
                )
            )
        elif previous is not None and key < previous:
            self.problems.append(
                Problem(
                    file,
                    line,
                    self.primary_key[0],
                    f"{show('/'.join(key))} is out of order: rows are sorted by {', '.join(self.primary_key)}; run `irr fmt`",
                    fixable=True,
                )
            )
        if previous is None or key > previous:
            self.previous = key
        for at, name, target, target_bit in self.refs:
            value = cells[at]
            if value and not ids.get(value, 0) & target_bit:
                self.cross.append(
                    Problem(file, line, name, f"{show(value)} is not an id in {target}.csv")
                )
        if self.citation is not None:
            self.citation.check(cells, file, line, self.cross)


class _CitationCheck:
    """The checks of a citation row that need the other tables: its record, field and quote."""

    def __init__(self, names: list[str], keys: Keys) -> None:
        self.keys = keys
        self.at = {
            name: names.index(name)
            for name in ("record_id", "source_id", "quote", "stance", "field")
        }
        self.complete = not any(t in keys.unread for t in CITED_TABLES)
        self.fields = {TABLE_BIT[t]: MODELS[t].model_fields for t in CITED_TABLES}

    def check(self, cells: Sequence[str], file: str, line: int, problems: list[Problem]) -> None:
        at, keys = self.at, self.keys
        record_id = cells[at["record_id"]]
        held = keys.ids.get(record_id, 0) & CITED_BITS
        field_name = cells[at["field"]]
        if not held:
            if self.complete and record_id:
                problems.append(
                    Problem(
                        file,
                        line,
                        "record_id",
                        f"{show(record_id)} is not the id of a record in {', '.join(CITED_TABLES)}",
                    )
                )
        elif field_name and all(
            field_name not in fields for bit, fields in self.fields.items() if held & bit
        ):
            target = _first_table(held)
            problems.append(
                Problem(file, line, "field", f"{show(field_name)} is not a field of {target}")
            )
        if held and cells[at["stance"]] == "supports":
            keys.support(record_id)
        if not keys.quotes_elsewhere:
            keys.want_quote(cells[at["source_id"]], line, cells[at["quote"]])
