"""Every check of a data package, returning located problems; it never stops at the first.

``irr validate`` runs these checks, which are stricter than ``frictionless validate``: bytes
and encoding, CSV form, values against the models, keys across tables, provenance (quotes and
hashes), content safety and the descriptor, and, in a git checkout, that the build cache is
not committed. Each file is read once, tables as a stream; what is kept between tables is
one entry per id. Nothing here writes a file or opens a socket, and only regular files
inside the package are read (``git ls-files`` reads the checkout's index).
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from ..io.files import chunks, open_inside, read_inside, sha256, size_of
from ..io.tables import collector_paused
from ..problems import Problem
from ..schema.descriptor import DESCRIPTOR
from ..schema.models import TABLES, Record, Source
from . import columnar
from .checkout import CACHE_FOLDER, tracked_cache
from .descriptor import Descriptor, Facts, check_descriptor_content, check_file_facts
from .descriptor import read_descriptor as _read_descriptor
from .quotes import QuoteLookup
from .tables import Keys, Report, check_table
from .text import control_in_text, text_problem, utf16_advice

__all__ = ["Report", "check_table", "text_problem", "validate"]


def _read_texts(
    pkg: Descriptor, sources: list[tuple[int, Source]], report: Report, keys: Keys, facts: Facts
) -> None:
    """Read each archived source text once: its hash for sources.csv and the descriptor, its words for quotes."""
    file = pkg.show_path("data/sources.csv")
    for line, source in sources:
        data, why = read_inside(pkg.root, source.path)
        if data is None:
            advice = "; archive the text there" if why and why.endswith("is missing") else ""
            report.problems.append(
                Problem(file, line, "path", f"the source text cannot be used: {why}{advice}")
            )
            continue
        digest = sha256(data)
        facts[source.path] = (len(data), digest)
        if digest != source.sha256:
            report.problems.append(
                Problem(
                    file,
                    line,
                    "sha256",
                    f"does not match {source.path} (its SHA-256 is {digest}); archived texts stay byte-for-byte",
                )
            )
        utf16 = utf16_advice(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            report.problems.append(
                Problem(
                    file,
                    line,
                    "path",
                    f"{source.path} is not UTF-8 text (byte {err.start}); archive the text as UTF-8"
                    + (f"; it looks like UTF-16: {utf16}" if utf16 else ""),
                )
            )
        else:
            control = control_in_text(text)
            if control is not None:
                at, column, why = control
                advice = f"; it looks like UTF-16: {utf16}" if utf16 else ""
                report.problems.append(
                    Problem(pkg.show_path(source.path), at, None, f"column {column}: {why}{advice}")
                )
            del text
        # Read again when its quotes are looked up, so that only one text is held at once.
        keys.texts[source.id] = partial(_text, pkg.root, source.path)


def _text(root: Path, relative: str) -> str:
    data, _ = read_inside(root, relative)
    return (data or b"").decode("utf-8", errors="replace")


def validate(path: Path, display: str | None = None) -> Report:
    """Check the package at ``path`` (a directory or its datapackage.json) and report every problem.

    ``display`` is how file names start in messages (default: ``path`` as given).
    """
    root = path.parent if path.name == DESCRIPTOR or path.is_file() else path
    pkg = Descriptor(root=root, display=display if display is not None else str(root))
    report = Report()
    keys = Keys()
    facts: Facts = {}
    sources: list[tuple[int, Source]] = []
    lookup = QuoteLookup(root, pkg.show_path("data/citations.csv"), keys)

    def keep_source(line: int, record: Record) -> None:
        sources.append((line, record))  # type: ignore[arg-type]

    vouched: set[str] = set()  # tables the bulk checks read
    with collector_paused():  # streaming keeps few objects: cyclic GC only costs time
        _read_descriptor(pkg, report)
        bulk = columnar.chosen({t: size_of(root / f"data/{t}.csv") for t in TABLES})
        for table in TABLES:
            relative = f"data/{table}.csv"
            file = pkg.show_path(relative)
            keys.files[table] = file
            if table in bulk:
                checked = columnar.check_file(table, root, relative, file, report=report, keys=keys)
                if checked is not None:
                    facts[relative] = checked
                    vouched.add(table)
                    continue
            handle, why = open_inside(root, relative)
            if handle is None:
                report.problems.append(Problem(file, 1, None, f"cannot be used: {why}"))
                report.unformattable.add(file)
                report.rows[table] = report.records[table] = 0
                report.unread.add(table)
                keys.unread.add(table)
                continue
            on_record = keep_source if table == "sources" else None
            reader = check_table(
                table, chunks(handle), file, report, keys=keys, on_record=on_record
            )
            facts[relative] = (reader.lines.size, reader.lines.hash.hexdigest())
            if table == "sources":
                _read_texts(pkg, sources, report, keys, facts)
                size = size_of(root / "data" / "citations.csv")
                keys.quotes_elsewhere = lookup.start(size, bulk="citations" in bulk)
        check_file_facts(pkg, report, facts)
        check_descriptor_content(pkg, report, [s for _, s in sources])
        report.problems.extend(lookup.result(keys.missing_quotes, "citations" in vouched))
        if "citations" not in keys.unread:
            report.problems.extend(keys.unsupported())
        cache = os.path.normpath(os.path.join(pkg.display or ".", os.pardir, CACHE_FOLDER))
        report.problems.extend(tracked_cache(root / os.pardir, cache))
        report.problems.sort(key=lambda p: (p.file, p.line, p.field or "", p.message))
    return report
