"""How ``irr diff`` shows a diff: text for a terminal, markdown for a pull request, JSON.

The JSON shape is documented by ``schemas/diff.schema.json``. The markdown stays below
GitHub's 65,536-character limit for a comment, cutting record rows (never the summary, the
bump or the removed ids) and saying how many it cut.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .diff import Diff, FieldChange, Key, Row, TableDiff, TextChange, counts
from .versions import BUMPS, BumpCheck

FORMAT = "irr-diff/1"
"""The JSON document's ``format``: bumped when the shape changes incompatibly."""

MARKDOWN_LIMIT = 60_000
"""Characters of markdown at most: GitHub's 65,536 less room for the comment's own marker."""

LONG_TEXT = 60
"""Values longer than this are shown as a word-level diff instead of old → new."""

_SHOWN = 160


def _cell(value: str) -> str | None:
    return value if value != "" else None


def _row_json(row: Row) -> dict[str, str | None]:
    return {column: _cell(value) for column, value in row.items()}


def _key_json(columns: Sequence[str], key: Key) -> dict[str, str]:
    return dict(zip(columns, key, strict=True))


def _check_json(check: BumpCheck | None) -> dict[str, Any] | None:
    if check is None:
        return None
    return {
        "needed": check.needed,
        "release": None if check.release is None else str(check.release),
        "required": None if check.required is None else str(check.required),
        "declared": None if check.declared is None else str(check.declared),
        "ok": check.ok,
        "message": check.message(),
    }


def as_json(diff: Diff, check: BumpCheck | None = None) -> dict[str, Any]:
    """The diff as a JSON-ready object (see ``schemas/diff.schema.json``)."""
    total = counts(diff)
    tables = []
    ids_removed: list[dict[str, Any]] = []
    ids_changed: list[dict[str, Any]] = []
    for table in diff.tables:
        for row in table.removed:
            ids_removed.append(
                {"table": table.table, "key": {k: row[k] for k in table.key if k in row}}
            )
        renamed = [
            {"old": _key_json(table.key, old), "new": _key_json(table.key, new)}
            for old, new in table.renamed
        ]
        ids_changed.extend({"table": table.table, **pair} for pair in renamed)
        tables.append(
            {
                "table": table.table,
                "key": list(table.key),
                "note": table.note,
                "counts": {
                    "added": len(table.added),
                    "removed": len(table.removed),
                    "changed": len(table.changed),
                    "ids_changed": len(table.renamed),
                },
                "added": [_row_json(r) for r in table.added],
                "removed": [_row_json(r) for r in table.removed],
                "changed": [
                    {
                        "key": _key_json(table.key, change.key),
                        "fields": [
                            {"column": f.column, "old": _cell(f.old), "new": _cell(f.new)}
                            for f in change.fields
                        ],
                    }
                    for change in table.changed
                ],
                "ids_changed": renamed,
            }
        )
    return {
        "format": FORMAT,
        "old": {"label": diff.old, "version": diff.old_version},
        "new": {"label": diff.new, "version": diff.new_version},
        "bump": diff.bump,
        "reasons": [
            {"bump": bump, "change": kind, "where": where}
            for bump, kind, where in _grouped_reasons(diff)
        ],
        "check": _check_json(check),
        "counts": {
            "added": total.added,
            "removed": total.removed,
            "changed": total.changed,
            "ids_changed": total.renamed,
        },
        "ids_removed": ids_removed,
        "ids_changed": ids_changed,
        "schema": [
            {
                "table": c.table,
                "column": c.column,
                "change": c.kind,
                "detail": c.detail,
                "bump": c.bump,
            }
            for c in diff.schema
        ],
        "tables": tables,
        "texts": [
            {
                "name": t.name,
                "path": t.path,
                "change": t.kind,
                "old_sha256": t.old_sha256,
                "new_sha256": t.new_sha256,
                "citations": list(t.citations),
                "lost_quotes": list(t.lost_quotes),
            }
            for t in diff.texts
        ],
        "metadata": [
            {"name": m.name, "old": m.old, "new": m.new, "bump": m.bump} for m in diff.metadata
        ],
    }


def _grouped_reasons(diff: Diff) -> list[tuple[str, str, list[str]]]:
    """Each kind of change once, with the tables or texts it happened in, largest bump first."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for bump, kind, where in diff.reasons():
        places = grouped.setdefault((bump, kind), [])
        if where not in places:
            places.append(where)
    ordered = sorted(grouped.items(), key=lambda item: -BUMPS.index(item[0][0]))
    return [(bump, kind, where) for (bump, kind), where in ordered]


def _sorted_reasons(diff: Diff) -> list[tuple[str, str]]:
    return [(bump, f"{kind} ({', '.join(where)})") for bump, kind, where in _grouped_reasons(diff)]


# --- shared wording ---------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(diff: Diff, *, bump: bool = True) -> str:
    """One line: how many records were added, removed and changed, and (with ``bump``) the bump."""
    total = counts(diff)
    if diff.empty:
        return "no differences: no bump needed"
    parts = []
    for n, word in (
        (total.added, "added"),
        (total.removed, "removed"),
        (total.changed, "changed"),
        (total.renamed, "re-keyed"),
    ):
        if n:
            parts.append(f"{n} {word}")
    tables = len([t for t in diff.tables if not t.empty])
    records = (
        f"records: {', '.join(parts)} in {_plural(tables, 'table')}"
        if parts
        else "no record changed"
    )
    extra = []
    if diff.schema:
        extra.append(_plural(len(diff.schema), "schema change"))
    if diff.texts:
        extra.append(_plural(len(diff.texts), "source text"))
    if diff.metadata:
        extra.append(_plural(len(diff.metadata), "metadata change"))
    tail = f"; {', '.join(extra)}" if extra else ""
    return f"{records}{tail}; bump needed: {diff.bump}" if bump else f"{records}{tail}"


def _label(table: TableDiff, row: Row) -> str:
    """The key of a row, as ``a/b`` for a key of several columns."""
    return "/".join(row.get(k, "") for k in table.key)


_FREE_TEXT = ("title", "name", "summary", "quote", "office", "organisation", "notes")


def _describe(row: Row, key: Sequence[str]) -> str:
    """A short description of a row: its first free-text cell, else its other cells."""
    for column in _FREE_TEXT:
        if row.get(column):
            return _clip(row[column])
    rest = [f"{c}={v}" for c, v in row.items() if c not in key and v]
    return _clip("; ".join(rest))


def _clip(text: str, limit: int = _SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _visible(fields: Sequence[FieldChange]) -> list[tuple[FieldChange, list[str]]]:
    """The changed cells to show, each with the derived ``x_earliest``/``x_latest`` it implies."""
    changed = {f.column for f in fields}
    derived: dict[str, list[str]] = {}
    shown = []
    for f in fields:
        base = re.sub(r"_(earliest|latest)$", "", f.column)
        if base != f.column and base in changed:
            derived.setdefault(base, []).append(f.column)
        else:
            shown.append(f)
    return [(f, derived.get(f.column, [])) for f in shown]


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``(op, text)`` pieces turning ``old`` into ``new`` word by word; op is =, - or +.

    A run of one or two unchanged words between two changes joins the change, so that a
    rewritten sentence reads as a few replaced phrases rather than a word-by-word weave.
    """
    a, b = re.findall(r"^\s+|\S+\s*", old), re.findall(r"^\s+|\S+\s*", new)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    merged: list[list[Any]] = []
    for number, (op, i1, i2, j1, j2) in enumerate(opcodes):
        inner = 0 < number < len(opcodes) - 1
        tag = "replace" if op == "equal" and inner and i2 - i1 <= 2 else op
        if merged and tag != "equal" and merged[-1][0] != "equal":
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([tag, i1, i2, j1, j2])
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in merged:
        if tag == "equal":
            pieces.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("+", "".join(b[j1:j2])))
    return pieces


def _is_long(change: FieldChange) -> bool:
    return len(change.old) > LONG_TEXT or len(change.new) > LONG_TEXT


# --- text ------------------------------------------------------------------------------------


def _text_value(value: str) -> str:
    return "(empty)" if value == "" else value


def _text_change(change: FieldChange, derived: list[str]) -> str:
    if _is_long(change) and change.old and change.new:
        body = "".join(
            text if op == "=" else f"[-{text}-]" if op == "-" else f"{{+{text}+}}"
            for op, text in word_diff(change.old, change.new)
        )
    else:
        body = f"{_text_value(change.old)} → {_text_value(change.new)}"
    also = f" (and derived {', '.join(derived)})" if derived else ""
    return f"{change.column}: {body}{also}"


def _breaking_lines(diff: Diff) -> list[str]:
    lines = []
    for table in diff.tables:
        for row in table.removed:
            lines.append(f"{table.table}: {_label(table, row)} removed")
        for old, new in table.renamed:
            lines.append(f"{table.table}: {'/'.join(old)} → {'/'.join(new)}")
    return lines


def text(diff: Diff, check: BumpCheck | None = None, *, summary_only: bool = False) -> str:
    """The diff for a terminal; with ``summary_only``, the counts and bump without records."""
    out = [f"irr diff {diff.old} → {diff.new}"]
    out.append(f"version {diff.old_version or '(none)'} → {diff.new_version or '(none)'}")
    out.append(summary_line(diff))
    for bump, reason in _sorted_reasons(diff):
        out.append(f"  {bump}: {reason}")
    if check is not None:
        out.append(check.message())
    breaking = _breaking_lines(diff)
    if breaking:
        out.append("")
        out.append(f"IDS REMOVED OR CHANGED ({len(breaking)}): a breaking change")
        out.extend(f"  {line}" for line in breaking)
    if diff.schema:
        out.append("")
        out.append("schema:")
        for c in diff.schema:
            where = f"{c.table}.{c.column}" if c.column else c.table
            out.append(f"  {where}: {c.kind}: {c.detail} ({c.bump})")
    if diff.texts:
        out.append("")
        out.append("source texts:")
        for t in diff.texts:
            out.append(f"  {_text_line(t)}")
    if diff.metadata:
        out.append("")
        out.append("metadata:")
        for m in diff.metadata:
            out.append(f"  {m.name}: {_clip(str(m.old))} → {_clip(str(m.new))} ({m.bump})")
    if diff.tables:
        out.append("")
        out.append("tables:")
        for table in diff.tables:
            out.append(f"  {table.table}: {_table_counts(table)}")
    if not summary_only:
        for table in diff.tables:
            out.append("")
            out.append(f"{table.table}: {_table_counts(table)}")
            if table.note:
                out.append(f"  {table.note}")
            for row in table.added:
                out.append(f"  + {_label(table, row)}: {_describe(row, table.key)}")
            for row in table.removed:
                out.append(f"  - {_label(table, row)}: {_describe(row, table.key)}")
            for old, new in table.renamed:
                out.append(f"  > {'/'.join(old)} → {'/'.join(new)} (id changed)")
            for change in table.changed:
                out.append(f"  ~ {'/'.join(change.key)}")
                for f, derived in _visible(change.fields):
                    out.append(f"      {_text_change(f, derived)}")
    return "\n".join(out) + "\n"


def _table_counts(table: TableDiff) -> str:
    parts = [
        f"{n} {word}"
        for n, word in (
            (len(table.added), "added"),
            (len(table.removed), "removed"),
            (len(table.changed), "changed"),
            (len(table.renamed), "re-keyed"),
        )
        if n
    ]
    return ", ".join(parts) or "no record changed"


def _text_line(t: TextChange) -> str:
    old, new = (t.old_sha256 or "")[:12], (t.new_sha256 or "")[:12]
    if t.kind == "added":
        hashes = f"sha256 {new}…"
    elif t.kind == "removed":
        hashes = f"was sha256 {old}…"
    else:
        hashes = f"sha256 {old}… → {new}…"
    line = f"{t.name} ({t.path}): {t.kind}, {hashes}"
    if t.citations:
        line += f"; {_plural(len(t.citations), 'citation')} quote it"
    if t.lost_quotes:
        line += f"; quotes no longer found: {', '.join(t.lost_quotes)}"
    return line


# --- markdown --------------------------------------------------------------------------------


def md(value: str) -> str:
    """Text safe inside a markdown table cell: no markup, mentions, links or line breaks."""
    escaped = html.escape(value, quote=False)
    escaped = re.sub(r"[\\`*_\[\]~|#]", lambda m: "\\" + m.group(0), escaped)
    escaped = escaped.replace("@", "&#64;")
    return re.sub(r"\s*[\r\n]+\s*", " ", escaped)


def _md_value(value: str) -> str:
    return "*(empty)*" if value == "" else md(value)


def _md_change(change: FieldChange, derived: list[str]) -> str:
    if _is_long(change) and change.old and change.new:
        body = "".join(
            md(text)
            if op == "="
            else f"<del>{md(text)}</del>"
            if op == "-"
            else f"<ins>{md(text)}</ins>"
            for op, text in word_diff(change.old, change.new)
        )
    else:
        body = f"{_md_value(change.old)} → {_md_value(change.new)}"
    if derived:
        body += f" (and derived {', '.join(md(d) for d in derived)})"
    return body


def _table_rows(table: TableDiff) -> Iterable[str]:
    for row in table.added:
        yield f"| added | {md(_label(table, row))} | | {md(_describe(row, table.key))} |"
    for row in table.removed:
        yield f"| **removed** | {md(_label(table, row))} | | {md(_describe(row, table.key))} |"
    for old, new in table.renamed:
        yield f"| **id changed** | {md('/'.join(new))} | | was {md('/'.join(old))} |"
    for change in table.changed:
        for f, derived in _visible(change.fields):
            yield f"| changed | {md('/'.join(change.key))} | {md(f.column)} | {_md_change(f, derived)} |"


def _bounded(lines: list[str], budget: int, prefix: str, suffix: str = "") -> list[str]:
    """As many of ``lines`` as fit in ``budget`` characters, then a line saying how many did not."""
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > budget:
            return [*kept, f"{prefix}*and {len(lines) - len(kept)} more*{suffix}"]
        kept.append(line)
        size += len(line) + 1
    return kept


def markdown(
    diff: Diff, check: BumpCheck | None = None, *, limit: int = MARKDOWN_LIMIT, command: str = ""
) -> str:
    """The diff as a pull-request comment, at most ``limit`` characters.

    ``command`` is what to run for the whole diff, named in the note when rows are cut.
    """
    head: list[str] = [f"### Data changes: {md(diff.old)} → {md(diff.new)}", ""]
    verdict = ""
    if check is not None:
        verdict = f" · {'✅' if check.ok else '❌'} {md(check.message())}"
    head.append(f"**Bump needed: {diff.bump}** · {md(summary_line(diff, bump=False))}{verdict}")
    head.append("")
    reasons = _sorted_reasons(diff)
    if reasons:
        head.append("Why: " + "; ".join(f"{md(r)} ({b})" for b, r in reasons))
        head.append("")
    breaking = _breaking_lines(diff)
    if breaking:
        head.append("> [!CAUTION]")
        head.append(
            f"> **{len(breaking)} ids removed or changed**: a breaking change for anyone who uses them."
        )
        head.append(">")
        head.extend(_bounded([f"> - {md(line)}" for line in breaking], limit // 4, "> - "))
        head.append("")
    if diff.tables:
        head += [
            "| table | added | removed | changed | ids changed |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for t in diff.tables:
            head.append(
                f"| {md(t.table)} | {len(t.added)} | {len(t.removed)} | {len(t.changed)} | {len(t.renamed)} |"
            )
        head.append("")
    if diff.schema:
        head += [
            "**Schema**",
            "",
            "| table | column | change | detail | bump |",
            "| --- | --- | --- | --- | --- |",
        ]
        rows = [
            f"| {md(c.table)} | {md(c.column or '')} | {md(c.kind)} | {md(_clip(c.detail))} | {c.bump} |"
            for c in diff.schema
        ]
        head.extend(_bounded(rows, limit // 8, "| … | | | ", " | |"))
        head.append("")
    if diff.texts:
        head += ["**Source texts**", ""]
        head.extend(f"- {md(_text_line(t))}" for t in diff.texts)
        head.append("")
    if diff.metadata:
        head += ["**Metadata**", ""]
        head.extend(
            f"- {md(m.name)}: {md(_clip(str(m.old)))} → {md(_clip(str(m.new)))} ({m.bump})"
            for m in diff.metadata
        )
        head.append("")
    document = "\n".join(head)
    reserve = 600  # room for closing tags and the note on what was cut
    cut = 0
    for table in diff.tables:
        rows = list(_table_rows(table))
        if not rows:
            continue
        opening = (
            f"\n<details><summary><b>{md(table.table)}</b>: {md(_table_counts(table))}</summary>\n\n"
            "| | key | field | what |\n| --- | --- | --- | --- |\n"
        )
        closing = "\n\n</details>\n"
        if cut or len(document) + len(opening) + len(closing) + reserve > limit:
            cut += len(rows)
            continue
        body = []
        size = len(document) + len(opening) + len(closing) + reserve
        for number, row in enumerate(rows):
            if size + len(row) + 1 > limit:
                cut += len(rows) - number
                break
            body.append(row)
            size += len(row) + 1
        document += opening + "\n".join(body) + closing
    if cut:
        run = f" Run `{md(command)}` for the whole diff." if command else ""
        document += (
            f"\n*{cut} more rows not shown: the comment stays below GitHub's 65,536-character "
            f"limit.*{run}\n"
        )
    return document if document.endswith("\n") else document + "\n"
