"""Reading one table's CSV file into its models: the loading path every reader shares."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import DataError
from ..schema.columns import header, to_values
from ..schema.models import MODELS, Record
from .files import read_inside


def read_table(directory: Path, table: str) -> list[Record]:
    """Read one table's CSV into models; raise ``DataError`` naming the first bad row."""
    model = MODELS[table]
    relative = f"data/{table}.csv"
    path = directory / relative
    data, why = read_inside(directory, relative)
    try:
        if data is None:
            raise ValueError(why)
        text = data.decode("utf-8")
    except (ValueError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: cannot be read ({err}); run `irr validate`") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    expected = header(table)
    try:
        if next(reader, None) != expected:
            raise DataError(f"{path}:1: the header is not {','.join(expected)}; run `irr validate`")
        result: list[Record] = []
        for cells in reader:
            values, errors = to_values(table, dict(zip(expected, cells, strict=False)))
            if errors or len(cells) != len(expected):
                raise ValueError(next(iter(errors.values()), "wrong number of cells"))
            result.append(model.model_validate(values))
    except (csv.Error, ValueError) as err:  # pydantic's ValidationError is a ValueError
        raise DataError(
            f"{path}:{reader.line_num}: invalid row; run `irr validate` for details"
        ) from err
    return result
