import io

import openpyxl
import pytest

from chuangcheng.core.tabular import UnreadableFileError, cell_text, column_letter, read_rows


def test_cells_read_as_people_typed_them() -> None:
    assert cell_text(3.0) == "3"
    assert cell_text(116.4) == "116.4"
    assert cell_text(0.00001) == "0.00001"
    assert cell_text("\u3000东城区 ") == "东城区"
    assert cell_text(None) == ""
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


def test_csv_in_gb18030_and_utf8_with_bom_read_the_same() -> None:
    text = "名称,分值\n东四北大街,2\n"
    expected = [(1, ["名称", "分值"]), (2, ["东四北大街", "2"])]
    assert read_rows("a.csv", text.encode("gb18030")) == expected
    assert read_rows("a.csv", text.encode("utf-8-sig")) == expected


def test_xlsx_rows_keep_sheet_numbers_and_blank_merged_cells() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目", "内容"])
    ws.append(["公共环境", "甲"])
    ws.append([None, "乙"])
    ws.merge_cells("A2:A3")
    buf = io.BytesIO()
    wb.save(buf)
    assert read_rows("f.xlsx", buf.getvalue()) == [
        (1, ["项目", "内容"]),
        (2, ["公共环境", "甲"]),
        (3, ["", "乙"]),
    ]


def test_unreadable_files_are_refused_with_a_reason() -> None:
    with pytest.raises(UnreadableFileError, match="xlsx"):
        read_rows("f.xlsx", b"not a zip")
    with pytest.raises(UnreadableFileError):
        read_rows("f.csv", b"\xff\xfe\x00\xd8\x00")
    with pytest.raises(UnreadableFileError):
        read_rows("f.pdf", b"%PDF")
