"""A table as a pandas DataFrame, read by pyarrow with every column's type from the schema.

No type is guessed: each column's Arrow type is declared from the models' columns, empty
cells are missing values, vocabularies become categories with the schema's levels in
order. A file that the descriptor's hash does not pin is validated first, row by row.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError
from ..schema.columns import LIST_DELIMITER, Column, columns, header
from .tables import is_recorded, read_bytes, table_path, validated_rows

if TYPE_CHECKING:
    import pandas


def _arrow_type(pa: Any, column: Column) -> Any:
    if column.kind == "integer":
        return pa.int64()
    if column.kind == "number":
        return pa.float64()
    if column.kind == "date":
        return pa.timestamp("s")
    return pa.string()  # text, vocabularies, partial dates, and lists before they are split


def read_frame(directory: Path, table: str, index: str | None = None) -> pandas.DataFrame:
    """``table`` of the package at ``directory`` as a typed DataFrame (needs pandas, pyarrow)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    path = table_path(directory, table)
    data = read_bytes(directory, table)
    # The file is hashed while pyarrow reads it (both let go of the GIL), and validated
    # after all, row by row, when the descriptor does not pin it.
    pinned: list[bool] = []
    hashing = threading.Thread(target=lambda: pinned.append(is_recorded(directory, table, data)))
    hashing.start()
    cols = columns(table)
    failure: Exception | None = None
    try:
        arrow = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(encoding="utf8"),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={c.name: _arrow_type(pa, c) for c in cols},
                include_columns=header(table),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as err:
        failure = err
    hashing.join()
    if pinned != [True]:
        validated_rows(path, data, table)  # raises DataError on the first bad row
    if failure is not None:
        raise DataError(f"{path}: cannot be read ({failure}); run `irr validate`")
    for column in cols:
        if column.vocabulary is not None:  # a category with the schema's levels, in order
            at = arrow.schema.get_field_index(column.name)
            levels = pa.array(list(column.vocabulary), pa.string())
            codes = pc.index_in(arrow.column(at).combine_chunks(), value_set=levels)
            arrow = arrow.set_column(at, column.name, pa.DictionaryArray.from_arrays(codes, levels))
    lists = {c.name for c in cols if c.kind == "list"}
    mapping = {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype()}
    mapping[pa.float64()] = pd.Float64Dtype()
    frame = arrow.drop_columns(list(lists)).to_pandas(types_mapper=mapping.get)
    for column in cols:
        name = column.name
        if name in lists:
            cells = arrow.column(name).to_pylist()
            split = [[] if cell is None else cell.split(LIST_DELIMITER) for cell in cells]
            frame.insert(header(table).index(name), name, pd.Series(split, dtype=object))
    if index is not None:
        frame = frame.set_index(index)
    result: pandas.DataFrame = frame
    return result
