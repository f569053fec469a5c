"""``irr add`` and ``irr template``: a new source, citation or record, written as ``irr fmt`` would.

Each command plans its change first: the new row is checked by the same code as ``irr
validate`` (the models, content safety, canonical form) plus the references it makes, and
is refused, with every reason, before anything is written. The planned files are then
written atomically and the build step regenerates the descriptor, so the package is left
canonical and its hashes fresh. The options each command takes come from the models'
columns, so a new column is a new option without a change here.

Two commands run at once must not lose each other's rows, so the whole read-modify-write
holds the package lock: plan and apply inside ``with locked(root):`` (as ``irr add``
does). ``apply`` takes the lock too, and refuses a change whose files were changed by
another writer since it was planned, so a caller that plans outside the lock is told to
plan again instead of overwriting a row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.provenance import normalize, spans
from ..checks.text import (
    character_name,
    control_in_text,
    mixed_script_problem,
    unicode_problem,
    utf16_advice,
)
from ..errors import DataError, IrrError
from ..io import csvfile
from ..io import files as _files
from ..io.files import facts_inside, read_inside, sha256, write_inside
from ..io.lock import hold, package_lock
from ..io.tables import read_table
from ..problems import show
from ..schema.columns import Column, columns, header
from ..schema.dates import FORMAT_HINT, PartialDate
from ..schema.models import MODELS, TABLES, Citation, Record, Source
from . import build
from .fmt import formatted
from .quote import closest

PACKAGE = "datapackage"
"""The package's directory in a checkout."""

DATE_FIRST = {"visits", "agreements", "events"}
"""Tables whose ids start with their first date column's value: ``1955-06-nehru-soviet-union``."""
NAMED = {"leaders": "name", "countries": "name"}
"""Tables whose ids are, by default, the slug of a name column: ``jawaharlal-nehru``."""
OWNED = {"positions": ("leader_id", "office")}
"""Tables whose ids are an owner's id and a slug of a column: ``jawaharlal-nehru-prime-minister-of-india``."""

COMPUTED = {
    "sources": ("path", "sha256"),
    "citations": ("id", "record_id", "source_id", "quote"),
}
"""Columns a command fills itself (or takes as positional arguments), never as options."""
DEFAULTS = {"sources": {"license": "unknown"}, "citations": {"stance": "supports"}}
"""Option defaults: a text that states no licence has licence ``unknown``; most citations support."""
RECORD_TABLES = tuple(t for t in TABLES if t not in {"sources", "citations"})
"""Tables ``irr add TABLE --set`` writes; sources and citations have their own commands."""

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class RefusedError(IrrError):
    """The change breaks a rule; nothing was written. Each line says what and how to fix it."""

    def __init__(self, reasons: Iterable[str]) -> None:
        self.reasons = list(reasons)
        super().__init__("\n".join(self.reasons))


class BadArgumentsError(RefusedError):
    """The command line itself is wrong (an unknown field, a malformed ``--set``)."""


@dataclass
class Added:
    """One row a change adds: its table, the line it will have, and its canonical cells."""

    table: str
    line: int
    cells: list[str]

    def csv(self) -> str:
        """The row as it is written in the file."""
        return csvfile.canonical_row(self.cells).removesuffix("\n")


@dataclass
class Change:
    """What a command will write: each package file's new bytes, and the rows it adds."""

    files: dict[str, bytes] = field(default_factory=dict)
    """New content by path relative to the package, in the order they are written."""
    added: list[Added] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    """What else it does besides adding rows, as (before: "would ...", after: "... done")."""
    next_step: str = ""
    bases: dict[str, str | None] = field(default_factory=dict)
    """The SHA-256 of each file's bytes the change was planned from (None: it did not exist)."""


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the lock of the checkout's package, waiting (with a message) for another writer.

    Raises ``LockUnavailableError`` (an ``IrrError``) when the lock cannot be taken.
    """
    with hold(package_lock(root / PACKAGE)):
        yield


def option(name: str) -> str:
    """The command-line option of column ``name``: ``claimed_value`` is ``--claimed-value``."""
    return "--" + name.replace("_", "-")


def option_columns(table: str) -> list[Column]:
    """The columns of ``table`` a command takes as options: all but derived and computed ones."""
    skip = set(COMPUTED.get(table, ()))
    return [c for c in columns(table) if c.derived_from is None and c.name not in skip]


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: ``T.N. Kaul`` is ``t-n-kaul``."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", errors="ignore").decode("ascii")
    )
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


# --- the package as it is -------------------------------------------------------------


class _Package:
    """The package of a checkout, read on demand: its ids and each table's file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.directory = root / PACKAGE
        self._ids: dict[str, str] | None = None
        self._sources: list[Source] | None = None
        self._citations: list[Citation] | None = None
        self._bytes: dict[str, bytes] = {}

    def show(self, relative: str) -> str:
        return f"{PACKAGE}/{relative}"

    def sources(self) -> list[Source]:
        if self._sources is None:
            self._sources = self._read("sources")  # type: ignore[assignment]
        assert self._sources is not None
        return self._sources

    def citations(self) -> list[Citation]:
        if self._citations is None:
            self._citations = self._read("citations")  # type: ignore[assignment]
        assert self._citations is not None
        return self._citations

    def ids(self) -> dict[str, str]:
        """Every id in the package, with the table that holds it."""
        if self._ids is None:
            self._ids = {}
            for table in TABLES:
                if "id" in header(table):
                    for record in self._read(table):
                        self._ids.setdefault(record.key()[0], table)
        return self._ids

    def _read(self, table: str) -> list[Record]:
        try:
            return read_table(self.directory, table)
        except DataError:
            self.current(table)  # refuses with the table's problems, located
            raise

    def table_bytes(self, table: str) -> bytes:
        """The table's file as it is, read once: every plan of it starts from the same bytes."""
        relative = f"data/{table}.csv"
        if relative not in self._bytes:
            data, why = read_inside(self.directory, relative)
            if data is None:
                raise RefusedError([f"{self.show(relative)} cannot be read: {why}"])
            self._bytes[relative] = data
        return self._bytes[relative]

    def current(self, table: str) -> bytes:
        """The table's canonical bytes, or ``RefusedError`` when it has problems of its own."""
        file = self.show(f"data/{table}.csv")
        current, problems = formatted(table, self.table_bytes(table), file)
        if current is None:
            raise RefusedError(
                [
                    f"{file} has problems to fix first:",
                    *(f"  {p}" for p in problems),
                    "run `irr validate` to see them all",
                ]
            )
        return current

    def insert(
        self, table: str, cells: dict[str, str], label: Callable[[str], str]
    ) -> tuple[bytes, Added]:
        """The table's canonical bytes with a row of ``cells`` added, or ``RefusedError``.

        The row is checked by ``irr fmt``'s own check of the whole file, so it meets every
        rule of ``irr validate`` for one row; ``label`` names a field the way the user gave it.
        """
        file = self.show(f"data/{table}.csv")
        current = self.current(table)
        names = header(table)
        new_line = current.count(b"\n") + 1
        row = csvfile.canonical_row([cells.get(name, "") for name in names])
        result, problems = formatted(table, current + row.encode("utf-8"), file)
        if result is None:
            reasons = [
                f"{label(p.field)}: {p.message}" if p.field else p.message
                for p in problems
                if p.line >= new_line
            ]
            raise RefusedError(reasons or [str(p) for p in problems])
        key_columns = MODELS[table].primary_key
        key = [cells.get(name, "") for name in key_columns]
        for line, written in csvfile.read(result, file).rows:
            if [written[names.index(name)] for name in key_columns] == key:
                return result, Added(table, line, written)
        raise AssertionError(
            "the added row is missing from the formatted table"
        )  # pragma: no cover

    def check_references(
        self, table: str, cells: dict[str, str], label: Callable[[str], str]
    ) -> list[str]:
        """Why the row's id is taken or a reference of it dangles (empty when all is well)."""
        reasons = []
        ids = self.ids()
        new_id = cells.get("id", "")
        if new_id and new_id in ids:
            reasons.append(
                f"id: {show(new_id)} is already an id in {ids[new_id]}.csv; ids are unique across tables: choose another slug"
            )
        for column in columns(table):
            value = cells.get(column.name, "")
            if column.foreign_key and value and ids.get(value) != column.foreign_key:
                reasons.append(
                    f"{label(column.name)}: {show(value)} is not an id in {column.foreign_key}.csv"
                    + (
                        f"; add it first with `irr add {column.foreign_key}`"
                        if column.foreign_key in RECORD_TABLES
                        else ""
                    )
                )
        return reasons


def _add_row(
    package: _Package,
    change: Change,
    table: str,
    cells: dict[str, str],
    *,
    label: Callable[[str], str],
    more: Iterable[str] = (),
) -> None:
    """Check a new row fully (rules, references, and the caller's ``more`` reasons); plan it."""
    current = package.current(table)  # a table with problems of its own is refused first, alone
    if current != package.table_bytes(table):
        file = package.show(f"data/{table}.csv")
        change.notes.append(
            (
                f"would put {file} in canonical form, as `irr fmt` does",
                f"put {file} in canonical form, as `irr fmt` does",
            )
        )
    reasons = list(more)
    # A CR would end the row's CSV line: the table's check could only name the line, not
    # the field, so it is named here, as a line feed is.
    returns = [
        f"{label(name)}: {unicode_problem(value)}" for name, value in cells.items() if "\r" in value
    ]
    reasons.extend(returns)
    try:
        if not returns:
            data, added = package.insert(table, cells, label)
    except RefusedError as refusal:
        reasons.extend(refusal.reasons)
    reasons.extend(package.check_references(table, cells, label))
    if reasons:
        raise RefusedError(reasons)
    change.files[f"data/{table}.csv"] = data
    change.bases[f"data/{table}.csv"] = sha256(package.table_bytes(table))
    change.added.append(added)


# --- irr add TABLE --set ...  ---------------------------------------------------------------


def parse_sets(table: str, sets: Iterable[str]) -> dict[str, str]:
    """``field=value`` arguments as cells of ``table``; ``BadArgumentsError`` says what is wrong."""
    allowed = {c.name for c in option_columns(table)} - {"id"}
    derived = {c.name for c in columns(table) if c.derived_from is not None}
    cells: dict[str, str] = {}
    reasons = []
    for item in sets:
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals:
            reasons.append(f"--set {show(item)}: write FIELD=VALUE, such as start=1955-06")
        elif name == "id" and "id" in header(table):
            reasons.append(
                "--set id: the id is derived from the record; choose its slug with --slug"
            )
        elif name in derived:
            reasons.append(
                f"--set {name}: is derived from {name.rsplit('_', 1)[0]} by irr fmt; leave it out"
            )
        elif name not in allowed:
            reasons.append(
                f"--set {show(name)}: {table} has no such field; its fields are {', '.join(sorted(allowed))}"
            )
        elif name in cells:
            reasons.append(f"--set {name}: is given twice; give each field once")
        else:
            cells[name] = value
    if reasons:
        raise BadArgumentsError(reasons)
    return cells


def id_rule(table: str) -> str:
    """How the ids of ``table`` are made, in words."""
    if table in DATE_FIRST:
        date = _date_column(table)
        return f"<{date}>-<slug> (<slug> alone when {date} is empty), the slug given with --slug"
    if table in NAMED:
        return f"the slug of {NAMED[table]}, or --slug"
    if table in OWNED:
        owner, named = OWNED[table]
        return f"<{owner}>-<slug>, the slug of {named} or --slug"
    return "none: rows are keyed by " + " and ".join(MODELS[table].primary_key)


def _date_column(table: str) -> str:
    return next(c.name for c in columns(table) if c.kind == "partial-date")


def derive_id(table: str, cells: dict[str, str], slug: str | None) -> str:
    """The id of a new record of ``table`` by the id rules, or ``RefusedError`` when it cannot be made."""
    if slug is not None and not _SLUG.match(slug):
        suggestion = slugify(slug)
        hint = f"; such as {suggestion}" if suggestion else ""
        raise BadArgumentsError(
            [
                f"--slug: {show(slug)} is not a slug: lowercase ASCII letters and digits joined by single hyphens{hint}"
            ]
        )
    if table in DATE_FIRST:
        if slug is None:
            raise BadArgumentsError(
                [f"--slug: is required; the id of a {table[:-1]} is {id_rule(table)}"]
            )
        text = cells.get(_date_column(table), "")
        try:
            date = str(PartialDate.parse(text)) if text else ""
        except ValueError:
            date = ""  # the date's own error is reported by the row check
        return f"{date}-{slug}" if date else slug
    if table in NAMED:
        name = cells.get(NAMED[table], "")
        made = slug or _slug_of(NAMED[table], name)
        if not made:
            raise RefusedError(
                [f"--slug: give one, or --set {NAMED[table]}= a name to make the id from"]
            )
        return made
    if table in OWNED:
        owner, named = OWNED[table]
        made = slug or _slug_of(named, cells.get(named, ""))
        if not cells.get(owner) or not made:
            raise RefusedError(
                [f"the id is {id_rule(table)}: give --set {owner}= and --set {named}= (or --slug)"]
            )
        return f"{cells[owner]}-{made}"
    if slug is not None:
        raise BadArgumentsError([f"--slug: {table} rows have no id ({id_rule(table)})"])
    return ""


def _slug_of(field: str, name: str) -> str:
    """``slugify(name)``, or ``RefusedError`` when the slug would drop a letter of the name
    (one with no ASCII form, such as a Cyrillic ``а`` in a Latin word): the id would then
    say something other than the name does."""
    made = slugify(name)
    dropped = [char for char in name if char.isalnum() and not slugify(char)]
    if made and dropped:
        letters = ", ".join(dict.fromkeys(character_name(char) for char in dropped))
        mixed = mixed_script_problem(name)
        raise RefusedError(
            [
                f"--set {field}: {show(name)} would make the id {made}, which leaves out "
                f"{letters} (no ASCII letter stands for it); "
                + (f"{mixed.removeprefix('the word ')}" if mixed else "choose the id with --slug")
            ]
        )
    return made


def add_record(root: Path, table: str, sets: Iterable[str], slug: str | None = None) -> Change:
    """Plan a new row of ``table`` from ``field=value`` arguments, its id derived."""
    cells = parse_sets(table, sets)
    if "id" in header(table):
        cells["id"] = derive_id(table, cells, slug)
    package = _Package(root)
    change = Change()
    _add_row(
        package,
        change,
        table,
        cells,
        label=lambda name: "id" if name == "id" else f"--set {name}",
    )
    if MODELS[table].cited:
        new_id = cells["id"]
        change.next_step = (
            f'cite it: find the words with `irr quote SOURCE_ID "words"`, then '
            f'`irr add citation {new_id} SOURCE_ID "QUOTE"`; until it has a supports citation '
            "`irr validate` reports it"
        )
        if table == "agreements":
            change.next_step += (
                f"; add each party with `irr add agreement_parties --set agreement_id={new_id} "
                "--set country_id=COUNTRY_ID`"
            )
    else:
        change.next_step = "run `irr validate`"
    return change


# --- irr add source FILE ---------------------------------------------------------------------


def read_source_file(path: Path) -> bytes:
    """The bytes of a text to archive, or ``RefusedError`` with what the archive rules reject."""
    shown = str(path)
    try:
        if not path.is_file():
            raise RefusedError(
                [f"{shown} is {'missing' if not path.exists() else 'not a regular file'}"]
            )
        size = path.stat().st_size
        limit = _files.MAX_FILE_BYTES
        if size > limit:
            raise RefusedError(
                [f"{shown} is {size} bytes; an archived text may have at most {limit}"]
            )
        data = path.read_bytes()
    except OSError as err:
        raise RefusedError([f"{shown} cannot be read ({err.strerror or err})"]) from None
    if not data.strip():
        raise RefusedError([f"{shown} holds no text; there is nothing to quote"])
    utf16 = utf16_advice(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        convert = utf16 or "convert it first (such as `iconv -f WINDOWS-1252 -t UTF-8`)"
        raise RefusedError(
            [
                f"{shown} is not UTF-8: byte 0x{data[err.start]:02x} on line {line} (offset {err.start}); "
                f"{'it looks like UTF-16; ' if utf16 else ''}archived texts are UTF-8: {convert} "
                "and keep the original name with --original-filename"
            ]
        ) from None
    control = control_in_text(text)
    if control is not None:
        line, column, why = control
        advice = f"; it looks like UTF-16: {utf16}" if utf16 else ""
        raise RefusedError([f"{shown}, line {line}, column {column}: {why}{advice}"])
    return data


def add_source(root: Path, file: Path, values: dict[str, str | None]) -> Change:
    """Plan archiving ``file`` byte for byte as ``sources/ID.txt`` and its ``sources.csv`` row."""
    data = read_source_file(file)
    package = _Package(root)
    cells = {name: value for name, value in values.items() if value is not None}
    cells.setdefault("original_filename", file.name)
    for name, default in DEFAULTS["sources"].items():
        cells.setdefault(name, default)
    source_id = cells.get("id", "")
    relative = f"sources/{source_id}.txt"
    cells["path"] = relative
    cells["sha256"] = digest = sha256(data)
    reasons = []
    for source in package.sources():
        if source.sha256 == digest:
            reasons.append(
                f"{file} is already archived as source {source.id} (same SHA-256); cite that source"
            )
    if _SLUG.match(source_id) and (package.directory / relative).exists():
        reasons.append(f"--id: {package.show(relative)} already exists; choose another id")
    change = Change()
    change.files[relative] = data
    change.bases[relative] = None
    try:
        _add_row(package, change, "sources", cells, label=_option_label("sources"), more=reasons)
    except RefusedError as refusal:
        if any(reason.startswith("--id:") for reason in refusal.reasons):
            # The path is made from the id: its error would only repeat the id's.
            raise RefusedError(r for r in refusal.reasons if not r.startswith("path:")) from None
        raise
    archived = f"{file} as {package.show(relative)}: {len(data)} bytes, SHA-256 {digest}"
    change.notes.append((f"would archive {archived}", f"archived {archived}"))
    change.next_step = (
        f'find passages with `irr quote {source_id} "words"` and cite them with '
        f'`irr add citation RECORD_ID {source_id} "QUOTE"`'
    )
    return change


def _option_label(table: str) -> Callable[[str], str]:
    options = {c.name for c in option_columns(table)}
    return lambda name: option(name) if name in options else name


# --- irr add citation RECORD_ID SOURCE_ID QUOTE ----------------------------------------------


def citation_id(record_id: str, source_id: str, taken: Iterable[str]) -> str:
    """``<record id>--<source id>``, then ``-2``, ``-3`` ... for the next free one."""
    base = f"{record_id}--{source_id}"
    used = set(taken)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def add_citation(
    root: Path, record_id: str, source_id: str, quote: str, values: dict[str, str | None]
) -> Change:
    """Plan a citation row: the quote checked against the source text, the id derived."""
    package = _Package(root)
    ids = package.ids()
    reasons = []
    table = ids.get(record_id)
    if table is None or not MODELS[table].cited:
        cited = ", ".join(t for t in TABLES if MODELS[t].cited)
        where = f" (it is in {table}.csv, which needs no citations)" if table else ""
        reasons.append(f"RECORD_ID: {show(record_id)} is not the id of a record in {cited}{where}")
    cells = {name: value for name, value in values.items() if value is not None}
    for name, default in DEFAULTS["citations"].items():
        cells.setdefault(name, default)
    field_name = cells.get("field")
    if (
        table is not None
        and MODELS[table].cited
        and field_name
        and field_name not in MODELS[table].model_fields
    ):
        reasons.append(f"--field: {show(field_name)} is not a field of {table}")
    text, why = _source_text(package, source_id)
    wanted = normalize(quote)
    if text is None:
        reasons.append(f"SOURCE_ID: {why}")
    elif wanted and not spans(wanted, text):
        reasons.append(
            f"QUOTE: {show(wanted)} is not in the text of source {source_id} (only whitespace may differ)"
        )
        reasons.extend(_suggestions(package, source_id, text, wanted))
    for citation in package.citations():
        if (citation.record_id, citation.source_id) == (record_id, source_id) and normalize(
            citation.quote
        ) == wanted:
            reasons.append(
                f"QUOTE: {record_id} already cites these words of {source_id}: {citation.id}"
            )
    taken = [citation.id for citation in package.citations()]
    cells.update(
        id=citation_id(record_id, source_id, taken),
        record_id=record_id,
        source_id=source_id,
        quote=wanted,
    )
    positional = {"record_id": "RECORD_ID", "source_id": "SOURCE_ID", "quote": "QUOTE", "id": "id"}
    options = _option_label("citations")
    change = Change()
    _add_row(
        package,
        change,
        "citations",
        cells,
        label=lambda name: positional.get(name) or options(name),
        more=reasons,
    )
    change.next_step = "run `irr validate`"
    return change


def _source_text(package: _Package, source_id: str) -> tuple[str | None, str]:
    """The text of source ``source_id``, or None and why it cannot be had."""
    for source in package.sources():
        if source.id == source_id:
            relative = source.path
            data, why = read_inside(package.directory, relative)
            if data is None:
                return None, f"the text of source {source_id} cannot be used: {why}"
            try:
                return data.decode("utf-8"), ""
            except UnicodeDecodeError:
                return None, f"{package.show(relative)} is not UTF-8; run `irr validate`"
    return (
        None,
        f"{show(source_id)} is not a source in sources.csv; archive it with `irr add source`",
    )


def _suggestions(package: _Package, source_id: str, text: str, wanted: str) -> list[str]:
    lines = []
    path = next(s.path for s in package.sources() if s.id == source_id)
    for passage in closest(text, wanted, limit=1):
        lines.append(
            f"  closest passage, {package.show(path)}:{passage.lines()} (score {passage.score:.2f}):"
        )
        lines.append(f"  {passage.quote}")
    return lines


# --- writing ----------------------------------------------------------------------------------


def _changed_since_planned(directory: Path, change: Change) -> list[str]:
    """The files of ``change`` that another writer changed since it was planned."""
    changed = []
    for relative, base in change.bases.items():
        path = directory / relative
        if base is None:
            differs = path.exists() or path.is_symlink()
        else:
            facts, _ = facts_inside(directory, relative)
            differs = facts is None or facts[1] != base
        if differs:
            changed.append(f"{PACKAGE}/{relative}")
    return changed


def apply(root: Path, change: Change) -> list[Path]:
    """Write the planned files atomically, then run the build step; return every path written.

    Holds the package lock while it works. Raises ``DataError`` when another writer changed
    a file of the change since it was planned (nothing is written: plan it again), when a
    file cannot be written or when the build fails (files already written stay: each is
    complete, and the message says what to run).
    """
    with locked(root):
        return _apply(root, change)


def _apply(root: Path, change: Change) -> list[Path]:
    directory = root / PACKAGE
    changed = _changed_since_planned(directory, change)
    if changed:
        raise DataError(
            f"{', '.join(changed)} changed since this change was planned (another command "
            "wrote it); nothing written: run the command again"
        )
    written: list[Path] = []
    for relative, data in change.files.items():
        why = write_inside(directory, relative, data)
        if why is not None:
            done = ", ".join(str(p.relative_to(root)) for p in written) or "nothing"
            raise DataError(f"{why} (written before it: {done})")
        written.append(directory / relative)
    try:
        written.extend(p for p in build.write(root) if p not in written)
    except (DataError, OSError) as err:
        raise DataError(f"the build step failed: {err}; fix it, then run `irr build`") from None
    return written


# --- irr template TABLE -----------------------------------------------------------------------


def describe(column: Column) -> str:
    """What a cell of ``column`` holds, in a few words."""
    if column.foreign_key:
        kind = f"an id in {column.foreign_key}.csv"
    elif column.vocabulary:
        kind = "one of " + ", ".join(column.vocabulary)
    elif column.kind == "partial-date":
        kind = f"a date: {FORMAT_HINT}"
    elif column.kind == "list":
        kind = 'a list: items separated by ";"'
    elif column.kind == "integer":
        bounds = f" from {column.minimum}" if column.minimum is not None else ""
        bounds += f" to {column.maximum}" if column.maximum is not None else ""
        kind = "a whole number" + bounds
    elif column.kind == "number":
        kind = "a plain number in full units"
    elif column.pattern and column.name not in {"notes", "summary"}:
        kind = f"text matching {column.pattern}"
    else:
        kind = "text" + (f" of at most {column.max_length} characters" if column.max_length else "")
    return kind


def template(table: str) -> str:
    """An ``irr add TABLE`` command to fill in by hand, every field described: shell text."""
    model = MODELS[table]
    fields = [c for c in option_columns(table) if c.name != "id"]
    width = max(len(c.name) for c in fields)
    lines = [
        f"# irr add {table}: {model.__doc__.splitlines()[0] if model.__doc__ else table}",
        f"# The id is {id_rule(table)}."
        if "id" in header(table)
        else f"# Rows have no id; no two rows have the same {' and '.join(model.primary_key)}.",
        "# Fill in the values (an empty value leaves the cell empty; a list's items go between ;)",
        "# with only what a source states. The command ends with --dry-run, which shows the row:",
        "# run it again without --dry-run to write it.",
        "#",
    ]
    for column in fields:
        need = "required" if column.required else "optional"
        lines.append(f"# {column.name:<{width}}  {need}  {describe(column)}. {column.description}")
    if table in DATE_FIRST:
        lines.append(f"irr add {table} --slug SLUG \\")
    else:
        lines.append(f"irr add {table} \\")
    for column in fields:
        lines.append(f'  --set "{column.name}=" \\')
    lines.append("  --dry-run")
    return "\n".join(lines) + "\n"
