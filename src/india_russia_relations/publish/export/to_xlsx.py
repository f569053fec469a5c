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
from .typemap import TYPE_NAMES, Export, cell, number

FIRST_REAL_DATE = dt.date(1900, 3, 1)
"""Earlier days are written as text: spreadsheets count days before this differently."""
FIXED_TIME = dt.datetime(2000, 1, 1)
"""The workbook's created time, fixed so that the bytes do not depend on the clock."""
MAX_WIDTH, MIN_WIDTH = 60, 6


def _text(column: Column, value: Any) -> str | None:
    """The text a text cell shows, or None when the cell is not text."""
    if value is None:
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
    text = _text(column, value)
    return len(text) if text is not None else len(str(value))


def _kind_of(column: Column) -> str:
    return TYPE_NAMES[column.kind]["xlsx"]


def _readme_rows(data: Export) -> list[list[str]]:
    descriptor = data.descriptor
    license = data.license
    rows = [
        [str(descriptor.get("title", ""))],
        [f"Version {data.version} of {descriptor.get('name', '')}."],
        [str(descriptor.get("description", ""))],
        [
            f"Licence: {license.get('title') or license.get('name', '')} ({license.get('path', '')})."
        ],
        [
            "Each table is a sheet; its first row names the columns. Empty cells are unknown: "
            "no source states them. Partial dates (1955, 1955-06, 1955-06-07) are text; the "
            "*_earliest and *_latest columns are real dates from 1 March 1900 on and "
            "YYYY-MM-DD text before. Lists hold their items joined by ';'."
        ],
        [],
        ["sheet", "column", "type", "required", "description", "values"],
    ]
    for table in data.tables:
        rows.append([table.name, "", "", "", table.description, ""])
        for column in table.columns:
            values = ""
            if column.vocabulary is not None:
                values = "; ".join(f"{k}: {v}" for k, v in column.vocabulary.items())
            rows.append(
                [
                    table.name,
                    column.name,
                    _kind_of(column),
                    "yes" if column.required else "",
                    column.description,
                    values,
                ]
            )
    return rows


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

    readme = book.add_worksheet("README")
    for r, row in enumerate(_readme_rows(data)):
        for c, value in enumerate(row):
            fmt = bold if r in {0, 6} else (wrap if c == 4 else None)
            readme.write_string(r, c, value, fmt)
    for c, width in enumerate((18, 20, 26, 9, 70, 60)):
        readme.set_column(c, c, width)
    readme.freeze_panes(7, 0)

    for table in data.tables:
        sheet = book.add_worksheet(table.name)
        widths = [len(c.name) for c in table.columns]
        for c, column in enumerate(table.columns):
            sheet.write_string(0, c, column.name, header)
            sheet.write_comment(0, c, column.description, {"x_scale": 2})
        for r, record in enumerate(data.records[table.name], start=1):
            for c, column in enumerate(table.columns):
                value = cell(column, record)
                widths[c] = max(widths[c], _shown_width(column, value))
                if value is None or (column.kind == "list" and not value):
                    continue
                text = _text(column, value)
                if text is not None:
                    sheet.write_string(r, c, text)
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
        sheet.autofilter(0, 0, last, len(table.columns) - 1)
        sheet.ignore_errors({"number_stored_as_text": f"A1:XFD{last + 1}"})
    book.close()
    return buffer.getvalue()


def write(data: Export, out: Path) -> None:
    """Write the workbook ``out``, atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, workbook_bytes(data))


def is_text_date(value: dt.date) -> bool:
    """Whether a derived date is written as text rather than a spreadsheet date."""
    return value < FIRST_REAL_DATE
