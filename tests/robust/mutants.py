"""Hypothesis strategies for importer fuzzing (tests/robust/test_importer_fuzz.py): a template
workbook with random cell values, renamed sheets, truncated bytes, or random bytes."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from hypothesis import strategies as st
from openpyxl import load_workbook

CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(alphabet="东华门街道多福巷社区背街小巷创城文明一二三", max_size=12),
    st.sampled_from(["=1/0", "=SUM(A1:A3)", "=A2", "#REF!", " ", "\n", "P00001", "110101"]),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(9999, 1, 1)),
    st.booleans(),
)


def _xlsx_cell(value: Any) -> Any:
    # openpyxl cannot store NaN/inf or control characters: keep them as text, still hostile.
    if (isinstance(value, float) and value != value) or value in (float("inf"), float("-inf")):
        return str(value)
    if isinstance(value, str):
        return "".join(c if c.isprintable() or c in "\n\t" else "?" for c in value)
    return value


@st.composite
def mutated_workbook(draw: st.DrawFn, template: bytes) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[draw(st.integers(0, len(book.worksheets) - 1))]
    if draw(st.booleans()):
        sheet.title = draw(st.sampled_from(["Sheet1", "数据", "survey ", "x" * 31]))
    for _ in range(draw(st.integers(1, 12))):
        row = draw(st.integers(1, max(sheet.max_row, 1) + 2))
        column = draw(st.integers(1, max(sheet.max_column, 1) + 1))
        sheet.cell(row=row, column=column, value=_xlsx_cell(draw(CELL)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hostile_file(template: bytes) -> st.SearchStrategy[bytes]:
    """Mostly template mutations, then broken files."""
    return st.one_of(
        mutated_workbook(template),
        mutated_workbook(template),
        mutated_workbook(template),
        st.integers(0, len(template) - 1).map(lambda n: template[:n]),
        st.binary(max_size=2000),
        st.just(b""),
    )
