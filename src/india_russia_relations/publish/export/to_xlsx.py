"""The xlsx export: a README sheet, then one sheet per table, typed from the models.

Text is written as text (never read as a formula, number or link), partial dates stay
text, derived dates are real dates from 1 March 1900 on (where Excel and LibreOffice agree
on day numbers) and ISO text before; the header row is frozen and columns are sized.
The workbook's timestamp is fixed, so the same package gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...io.files import write_atomic
from ...schema.columns import LIST_DELIMITER, Column
from .typemap import Export, number

FIRST_REAL_DATE = dt.date(1900, 3, 1)
"""Earlier days are written as text: spreadsheets count days before this differently."""
FIXED_TIME = dt.datetime(2000, 1, 1)
"""The workbook's created time, fixed so that the bytes do not depend on the clock."""
MAX_WIDTH, MIN_WIDTH = 60, 6


def _text(column: Column, value: Any) -> str | None:
    """The text a text cell shows, or None when the cell is not text."""
    if value is None or isinstance(value, bool):
        return None
    if column.kind == "list":
        return LIST_DELIMITER.join(value)
    if isinstance(value, dt.date):
        return None if value >= FIRST_REAL_DATE else value.isoformat()
    if isinstance(value, (int, Decimal)):
        return None
    return str(value)


def _shown_width(column: Column, value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, bool):
        return 5
    text = _text(column, value)
    return len(text) if text is not None else len(str(value))


XLSX_TYPES = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "partial-date": "partial date, as text",
    "date": "date (text before 1900-03-01)",
    "list": "list, items joined by ;",
    "boolean": "TRUE or FALSE",
}
"""How the README sheet names each column type as this workbook stores it."""
INTRO = (
    "Each table is a sheet; its first row names the columns (hover over a name for its "
    "description). An empty cell is unknown: no source states it. Partial dates (1955, "
    "1955-06, 1955-06-07) are text, as precise as the source; the *_earliest and *_latest "
    "columns are real dates from 1 March 1900 on and YYYY-MM-DD text before. Lists hold "
    "their items joined by ';'. The codebook (docs/codebook.md) says more of every column."
)
README_HEADER = ["sheet", "column", "type", "required", "description"]


def _readme_rows(data: Export) -> tuple[list[str], list[list[str]]]:
    """The README sheet: introductory lines, then one row per table, column and vocabulary value."""
    descriptor = data.descriptor
    license = data.license
    intro = [
        str(descriptor.get("title", "")),
        f"Version {data.version} of {descriptor.get('name', '')}. "
        + str(descriptor.get("description", "")),
        f"Licence: {license.get('title') or license.get('name', '')} ({license.get('path', '')}).",
        INTRO,
    ]
    rows: list[list[str]] = []
    for table in data.tables:
        rows.append([table.name, "", "", "", table.description])
        for column in table.columns:
            rows.append(
                [
                    table.name,
                    column.name,
                    XLSX_TYPES[column.kind],
                    "yes" if column.required else "",
                    column.description,
                ]
            )
            for value, label in (column.vocabulary or {}).items():
                rows.append([table.name, column.name, f"value: {value}", "", label])
    return intro, rows


def workbook_bytes(data: Export) -> bytes:
    """The whole workbook, built in memory."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties(
        {
            "title": str(data.descriptor.get("title", "")),
            "subject": f"{data.descriptor.get('name', '')} {data.version}",
            "created": FIXED_TIME,
        }
    )
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    whole = book.add_format({"num_format": "0"})
    decimal = book.add_format({"num_format": "0.00"})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    text_date = book.add_format({"align": "right"})

    readme = book.add_worksheet("README")
    intro, rows = _readme_rows(data)
    readme_widths = (18, 20, 30, 9, 90)
    for c, width in enumerate(readme_widths):
        readme.set_column(c, c, width)
    title = book.add_format({"bold": True, "font_size": 14})
    for r, line in enumerate(intro):
        height = 20 if r == 0 else 15 * max(1, -(-len(line) // sum(readme_widths)))
        readme.set_row(r, height)
        readme.merge_range(r, 0, r, len(readme_widths) - 1, line, title if r == 0 else wrap)
    first = len(intro) + 1
    for c, name in enumerate(README_HEADER):
        readme.write_string(first, c, name, header)
    for r, row in enumerate(rows, start=first + 1):
        is_table = row[1] == ""
        for c, value in enumerate(row):
            readme.write_string(r, c, value, bold if is_table else None)
    readme.freeze_panes(first + 1, 0)
    readme.set_landscape()

    for table in data.tables:
        sheet = book.add_worksheet(table.name)
        widths = [len(c.name) for c in table.columns]
        for c, column in enumerate(table.columns):
            sheet.write_string(0, c, column.name, header)
            sheet.write_comment(0, c, column.description, {"x_scale": 2})
        for r, record in enumerate(data.records[table.name], start=1):
            for c, column in enumerate(table.columns):
                value = data.cell(table, column, record)
                widths[c] = max(widths[c], _shown_width(column, value))
                if value is None or (column.kind == "list" and not value):
                    continue
                text = _text(column, value)
                if text is not None:
                    sheet.write_string(r, c, text, text_date if column.kind == "date" else None)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                elif isinstance(value, Decimal):
                    amount = number(value)
                    sheet.write_number(r, c, amount, whole if isinstance(amount, int) else decimal)
                else:
                    sheet.write_number(r, c, value, whole)
        for c, width in enumerate(widths):
            sheet.set_column(c, c, min(MAX_WIDTH, max(MIN_WIDTH, width + 2)))
        last = len(data.records[table.name])
        sheet.freeze_panes(1, 1)
        sheet.set_landscape()
        sheet.repeat_rows(0)
        sheet.autofilter(0, 0, last, len(table.columns) - 1)
        sheet.ignore_errors({"number_stored_as_text": f"A1:XFD{last + 1}"})
    book.close()
    return buffer.getvalue()


def write(data: Export, out: Path) -> None:
    """Write the workbook ``out``, atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, workbook_bytes(data))
