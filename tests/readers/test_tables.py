"""read_table: every input form loads to the same DataFrame as a clean UTF-8 CSV.

The reference frame is built by hand from the records below, not by
read_table; each messy variant (CP932, BOM, Excel, Japanese headers,
full-width digits, era months ...) is written by the test itself.
"""

import csv
import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from evalkit.errors import EvalkitError
from evalkit.readers.tables import Column, Schema, read_table

SCHEMA = Schema(
    "work",
    [
        Column("month", "month", aliases=["年月", "月"]),
        Column("department", "text", aliases=["所属", "所属名"]),
        Column("kind", "text", aliases=["区分"], choices=["会議", "委員会"]),
        Column("meetings", "int", aliases=["会議数"], minimum=0, units=["件"]),
        Column("hours", "float", aliases=["作業時間"], minimum=0, units=["時間"]),
        Column("change", "float", aliases=["増減"], units=["時間"]),
        Column("cost", "int", aliases=["費用"], nullable=True, units=["円"]),
        Column("rate", "rate", aliases=["削減率"], minimum=0, maximum=1),
        Column("note", "text", aliases=["備考"], required=False, nullable=True),
    ],
    key=["month", "department"],
)

HEADER = ["month", "department", "kind", "meetings", "hours", "change", "cost", "rate", "note"]
CLEAN_ROWS = [
    ["2019-04", "人事課", "会議", "1", "5.4", "-1.5", "1800", "0.84", "初回"],
    ["2019-05", "人事課", "委員会", "12", "62.0", "0", "", "0.5", ""],
    ["2019-06", "企画課", "会議", "1800", "1234.5", "2.25", "25000", "1", ""],
    ["2020-03", "企画課", "会議", "0", "0", "-0.3", "0", "0", "年度末"],
]


def expected_frame():
    """The four records, typed by hand."""
    return pd.DataFrame(
        {
            "month": pd.Series(
                pd.PeriodIndex(["2019-04", "2019-05", "2019-06", "2020-03"], freq="M")
            ),
            "department": pd.Series(["人事課", "人事課", "企画課", "企画課"], dtype="str"),
            "kind": pd.Series(["会議", "委員会", "会議", "会議"], dtype="str"),
            "meetings": np.array([1, 12, 1800, 0], dtype="int64"),
            "hours": [5.4, 62.0, 1234.5, 0.0],
            "change": [-1.5, 0.0, 2.25, -0.3],
            "cost": pd.array([1800, None, 25000, 0], dtype="Int64"),
            "rate": [0.84, 0.5, 1.0, 0.0],
            "note": pd.Series(["初回", None, None, "年度末"], dtype="str"),
        }
    )


def write_csv(path, rows, *, encoding="utf-8", lineterminator="\n"):
    buf = io.StringIO()
    csv.writer(buf, lineterminator=lineterminator).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


@pytest.fixture
def clean(tmp_path):
    return read_table(write_csv(tmp_path / "clean.csv", [HEADER, *CLEAN_ROWS]), SCHEMA)


def test_clean_csv_matches_the_hand_typed_frame(clean):
    pd.testing.assert_frame_equal(clean, expected_frame())
    assert clean.attrs["source"] == "clean.csv"
    assert list(clean.dtypes.astype(str)) == [
        "period[M]",
        "str",
        "str",
        "int64",
        "float64",
        "float64",
        "Int64",
        "float64",
        "str",
    ]


# Japanese headers with spaces, full-width digits and signs, thousands separators,
# units, △ and ▲, era months, blank lines and the empty trailing columns Excel leaves.
JP_HEADER = [
    "　年月 ",
    " 所属",
    "区分",
    "会議数",
    "作業時間",
    "増減",
    "費用",
    "削減率",
    "備考　",
    "",
    "",
]
JP_ROWS = [
    [
        "平成31年4月",
        "　人事課　",
        "会議",
        "１件",
        "５．４時間",
        "△1.5",
        "1,800円",
        "８４％",
        "初回",
        "",
        "",
    ],
    ["", "", "", "", "", "", "", "", "", "", ""],
    ["令和元年5月", "人事課", " 委員会 ", "12", "62時間", "0", "", "50%", "　", "", ""],
    [],
    [
        "R1.6",
        "企画課",
        "会議",
        "１，８００",
        "1,234.5",
        "２．２５",
        "２５，０００",
        "1",
        "",
        "",
        "",
    ],
    ["令和２年３月", "企画課", "会議", "0", "0", "▲0.3", "0円", "0%", "年度末", "", ""],
    ["", "", "", "", "", "", "", "", "", "", ""],
]


def test_cp932_japanese_headers_and_written_numbers(tmp_path, clean):
    path = write_csv(
        tmp_path / "work_sjis.csv",
        [[], JP_HEADER, *JP_ROWS],
        encoding="cp932",
        lineterminator="\r\n",
    )
    with pytest.raises(UnicodeDecodeError):  # really not UTF-8
        path.read_bytes().decode("utf-8")
    got = read_table(path, SCHEMA)
    pd.testing.assert_frame_equal(got, clean)
    assert got.attrs["source"] == "work_sjis.csv"


@pytest.mark.parametrize(
    "months",
    [
        ["H31.4", "R1.5", "R01.06", "R2.3"],
        ["2019/4", "2019年5月", "２０１９／６／１", "202003"],
        # Excel's CSV export of date-time cells
        ["2019/04/01 0:00", "2019/5/1 0:00:00", "2019/06/01 0:00", "2020/3/1 0:00:00"],
        ["平成31年4月分", "令和元年5月分", "令1.6", "令2.3"],
        ["平31.4", "令1.5", "2019年6月分", "令和２年３月分"],
    ],
)
def test_other_month_spellings(tmp_path, clean, months):
    rows = [[m, *r[1:]] for m, r in zip(months, CLEAN_ROWS, strict=True)]
    got = read_table(write_csv(tmp_path / "m.csv", [HEADER, *rows]), SCHEMA)
    pd.testing.assert_frame_equal(got, clean)


def test_utf8_with_bom(tmp_path, clean):
    path = write_csv(tmp_path / "bom.csv", [JP_HEADER, *JP_ROWS], encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    pd.testing.assert_frame_equal(read_table(path, SCHEMA), clean)


def test_utf8_japanese_without_bom(tmp_path, clean):
    path = write_csv(tmp_path / "jp.csv", [JP_HEADER, *JP_ROWS])
    pd.testing.assert_frame_equal(read_table(path, SCHEMA), clean)


def test_tab_separated(tmp_path, clean):
    path = tmp_path / "work.tsv"
    path.write_text("\n".join("\t".join(r) for r in [HEADER, *CLEAN_ROWS]) + "\n", encoding="utf-8")
    pd.testing.assert_frame_equal(read_table(path, SCHEMA), clean)


def write_xlsx(path, rows, *, title=None, sheet="作業実績"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


XLSX_ROWS = [
    [" 年月", "所属", "区分", "会議数", "作業時間", "増減", "費用", "削減率", "備考"],
    [dt.datetime(2019, 4, 1), "人事課", "会議", 1, 5.4, -1.5, 1800, 0.84, "初回"],
    [],
    [dt.datetime(2019, 5, 1), "人事課", "委員会", 12.0, 62, 0, None, "50%", None],
    ["R1.6", " 企画課 ", "会議", 1800, 1234.5, "２．２５", "25,000円", 1, None],
    [dt.date(2020, 3, 31), "企画課", "会議", 0, 0, "△0.3", 0, 0, "年度末"],
]


def test_xlsx_with_date_and_number_cells(tmp_path, clean):
    path = write_xlsx(tmp_path / "work.xlsx", XLSX_ROWS)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.cell(row=2, column=8).number_format = "0%"
    for col in (11, 12):  # formatted but empty cells to the right, as Excel leaves them
        ws.cell(row=1, column=col).number_format = "0"
    ws.cell(row=9, column=1).number_format = "0"  # and below
    wb.save(path)
    assert openpyxl.load_workbook(path).active.max_column == 12
    assert isinstance(openpyxl.load_workbook(path).active["A2"].value, dt.datetime)
    got = read_table(path, SCHEMA)
    pd.testing.assert_frame_equal(got, clean)
    assert got.attrs["source"] == "work.xlsx (sheet '作業実績')"


def test_xlsx_sheet_choice_and_title_row(tmp_path, clean):
    path = write_xlsx(tmp_path / "book.xlsx", [["メモ"]], sheet="表紙")
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("実績")
    ws.append(["令和元年度 作業実績"])  # a title above the header
    ws.append([])
    for r in XLSX_ROWS:
        ws.append(r)
    wb.save(path)
    pd.testing.assert_frame_equal(read_table(path, SCHEMA, sheet="実績"), clean)
    pd.testing.assert_frame_equal(read_table(path, SCHEMA, sheet=1), clean)
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)  # the first sheet has no table
    assert "book.xlsx" in str(info.value) and "missing required column" in str(info.value)


def test_xlsm_is_read_like_xlsx(tmp_path, clean):
    path = write_xlsx(tmp_path / "work.xlsm", XLSX_ROWS)
    pd.testing.assert_frame_equal(read_table(path, SCHEMA), clean)


def test_unknown_columns_are_kept_after_the_schema_columns(tmp_path):
    header = ["担当者", *HEADER[:3], "メモ", *HEADER[3:]]
    rows = [[f"職員{i}", *r[:3], " a b ", *r[3:]] for i, r in enumerate(CLEAN_ROWS)]
    rows[1][4] = ""
    got = read_table(write_csv(tmp_path / "x.csv", [header, *rows]), SCHEMA)
    assert list(got.columns) == [*HEADER, "担当者", "メモ"]
    pd.testing.assert_frame_equal(got[HEADER], expected_frame())
    assert got["担当者"].tolist() == ["職員0", "職員1", "職員2", "職員3"]
    assert got["メモ"].isna().tolist() == [False, True, False, False]
    assert got["メモ"][0] == "a b"
    assert got["メモ"].dtype == "str"


def test_unknown_xlsx_columns_keep_their_cell_values(tmp_path):
    rows = [
        [*r, "予算"] if i == 0 else [*r, v]
        for i, (r, v) in enumerate(zip(XLSX_ROWS, [None, 5, None, 7.5, None, "x"], strict=True))
    ]
    rows[2] = []
    got = read_table(write_xlsx(tmp_path / "x.xlsx", rows), SCHEMA)
    assert got["予算"].tolist() == [5, 7.5, None, "x"]
    assert got["予算"].dtype == object


def test_optional_column_absent_is_all_missing(tmp_path):
    header = HEADER[:-1]
    rows = [r[:-1] for r in CLEAN_ROWS]
    got = read_table(write_csv(tmp_path / "x.csv", [header, *rows]), SCHEMA)
    exp = expected_frame()
    exp["note"] = pd.Series([None] * 4, dtype="str")
    pd.testing.assert_frame_equal(got, exp)


def test_headers_match_case_space_and_underscore_insensitively(tmp_path, clean):
    header = ["Month", "DEPARTMENT", "kind", " meetings", "Hours", "change", "cost", "Rate", "note"]
    got = read_table(write_csv(tmp_path / "x.csv", [header, *CLEAN_ROWS]), SCHEMA)
    pd.testing.assert_frame_equal(got, clean)


def test_choices_are_compared_after_nfkc_and_spelled_as_in_the_schema(tmp_path):
    schema = Schema("s", [Column("grade", "text", choices=["ＩＴ", "業務"])])
    path = tmp_path / "c.csv"
    path.write_text("grade\nIT\nＩＴ\n 業務\n", encoding="utf-8")
    assert read_table(path, schema)["grade"].tolist() == ["ＩＴ", "ＩＴ", "業務"]


def test_text_cells_from_excel_numbers(tmp_path):
    schema = Schema("s", [Column("id", "text"), Column("day", "text")])
    path = write_xlsx(
        tmp_path / "t.xlsx",
        [
            ["id", "day"],
            [1, dt.datetime(2019, 4, 5)],
            [2.5, "x"],
            [3.0, dt.datetime(2019, 4, 5, 9, 30)],
        ],
    )
    got = read_table(path, schema)
    assert got["id"].tolist() == ["1", "2.5", "3"]
    assert got["day"].tolist() == ["2019-04-05", "x", "2019-04-05T09:30:00"]


def test_input_frames_are_not_cached_or_shared(tmp_path):
    path = write_csv(tmp_path / "a.csv", [HEADER, *CLEAN_ROWS])
    a = read_table(path, SCHEMA)
    a.loc[0, "hours"] = 99.0
    assert read_table(path, SCHEMA).loc[0, "hours"] == 5.4


# ----------------------------------------------------------------------------- errors


def check(info, *parts):
    """The message names every part (file, row, column, value ...)."""
    msg = str(info.value)
    for part in parts:
        assert part in msg, f"{part!r} not in {msg!r}"
    return msg


def messy_file(tmp_path, row_index, column, value, *, encoding="cp932"):
    """The CP932 file of test_cp932_..., one cell replaced; returns (path, file row)."""
    rows = [[], JP_HEADER, *[list(r) for r in JP_ROWS]]
    rows[row_index][column] = value
    path = write_csv(tmp_path / "bad.csv", rows, encoding=encoding, lineterminator="\r\n")
    return path, row_index + 1


@pytest.mark.parametrize(
    ("row_index", "col", "value", "header", "reason"),
    [
        (6, 3, "十二", "会議数 (meetings)", "not a number"),
        (4, 4, "1,80", "作業時間 (hours)", "not a number"),
        (6, 4, "30分", "作業時間 (hours)", "unit '分' is not accepted"),
        (2, 4, "△5.4", "作業時間 (hours)", "below the minimum 0 (△ and ▲ are minus signs)"),
        (4, 3, "▲1", "会議数 (meetings)", "below the minimum 0"),
        (6, 3, "1.5", "会議数 (meetings)", "not a whole number"),
        (7, 0, "令和元年4月", "年月 (month)", "令和 began on 2019-05-01"),
        (7, 0, "2019-13", "年月 (month)", "no month 13"),
        (7, 0, "4月", "年月 (month)", "not a month"),
        (4, 2, "会合", "区分 (kind)", "not one of the allowed values: '会議', '委員会'"),
        (6, 7, "84", "削減率 (rate)", "write 84% or 0.84"),
        (6, 7, "120%", "削減率 (rate)", "above the maximum 1"),
        (2, 6, "1800ドル", "費用 (cost)", "unit 'ドル' is not accepted"),
    ],
)
def test_bad_values_name_file_row_column_and_value(tmp_path, row_index, col, value, header, reason):
    path, row = messy_file(tmp_path, row_index, col, value)
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(info, "bad.csv", f"row {row}", repr(header), repr(value), reason)
    assert info.value.row == row and info.value.value == value


def test_row_numbers_count_blank_lines(tmp_path):
    # header on file row 2 after a blank line; the bad cell is on file row 7
    path, row = messy_file(tmp_path, 6, 5, "x")
    assert row == 7
    assert path.read_bytes().split(b"\r\n")[6].decode("cp932").startswith("R1.6")
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(info, "bad.csv, row 7, column '増減 (change)', value 'x'")


@pytest.mark.parametrize("blank", ["", "　", "  "])
def test_missing_required_value(tmp_path, blank):
    path, row = messy_file(tmp_path, 4, 1, blank)
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(info, "bad.csv", "row 5", "'所属 (department)'", f"value {blank!r}", "missing value")


def test_missing_required_value_in_xlsx(tmp_path):
    rows = [list(r) for r in XLSX_ROWS]
    rows[4][3] = None
    with pytest.raises(EvalkitError) as info:
        read_table(write_xlsx(tmp_path / "w.xlsx", rows), SCHEMA)
    check(info, "w.xlsx (sheet '作業実績')", "row 5", "'会議数 (meetings)'", "value ''", "missing")


def test_bad_excel_cells(tmp_path):
    rows = [list(r) for r in XLSX_ROWS]
    rows[5][4] = dt.datetime(2019, 1, 1)
    with pytest.raises(EvalkitError) as info:
        read_table(write_xlsx(tmp_path / "w.xlsx", rows), SCHEMA)
    check(
        info, "w.xlsx", "row 6", "'作業時間 (hours)'", "datetime.datetime(2019, 1, 1, 0, 0)", "date"
    )
    rows[5][4] = True
    with pytest.raises(EvalkitError) as info:
        read_table(write_xlsx(tmp_path / "w.xlsx", rows), SCHEMA)
    check(info, "row 6", "'作業時間 (hours)'", "value True", "true/false")


def test_missing_required_columns_list_what_the_file_has(tmp_path):
    header = ["年月", "所属", "区分", "会議数", "作業時間(h)", "増減", "費用", "削減率"]
    path = write_csv(tmp_path / "h.csv", [[], header, CLEAN_ROWS[0][:8]], encoding="cp932")
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    msg = check(
        info,
        "h.csv",
        "row 2",
        "column 'hours'",
        "missing required column(s) 'hours'",
        "'作業時間(h)'",  # what the file has
        "hours: hours, 作業時間",  # what is accepted
    )
    assert "note" not in msg.split("accepted")[1]  # optional columns are not demanded


def test_two_headers_for_one_column(tmp_path):
    header = [*HEADER, "所属名"]
    path = write_csv(tmp_path / "d.csv", [header, [*CLEAN_ROWS[0], "x"]])
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(
        info,
        "d.csv",
        "row 1",
        "column '所属名'",
        "value '所属名'",
        "'department' (column B)",
        "(column J)",
    )


def test_two_unknown_columns_with_one_header(tmp_path):
    header = [*HEADER, "メモ", "メモ"]
    path = write_csv(tmp_path / "d.csv", [header, [*CLEAN_ROWS[0], "a", "b"]])
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(info, "d.csv", "row 1", "column 'メモ'", "columns J and K")


def test_value_under_a_blank_header(tmp_path):
    rows = [[*HEADER, ""], *[[*r, ""] for r in CLEAN_ROWS]]
    rows[3][-1] = "迷子"
    with pytest.raises(EvalkitError) as info:
        read_table(write_csv(tmp_path / "b.csv", rows), SCHEMA)
    check(info, "b.csv", "row 4", "column 'J (no header)'", "value '迷子'", "blank header")


def test_row_longer_than_the_header(tmp_path):
    rows = [HEADER, *CLEAN_ROWS]
    rows[2] = [*rows[2], "", "はみ出し"]
    with pytest.raises(EvalkitError) as info:
        read_table(write_csv(tmp_path / "b.csv", rows), SCHEMA)
    check(info, "row 3", "column 'K (no header)'", "value 'はみ出し'")


def test_duplicate_key_names_both_rows(tmp_path):
    rows = [[], JP_HEADER, *[list(r) for r in JP_ROWS]]
    rows[6][0] = "2019-05"  # same month and department as file row 5
    rows[6][1] = "人事課"
    path = write_csv(tmp_path / "k.csv", rows, encoding="cp932")
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(info, "k.csv", "rows 5 and 7", "row 7", "column '年月, 所属'", "value '2019-05 / 人事課'")


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("month,department\n2019-04,Café\n".encode("latin-1"))
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(info, "latin.csv", "neither UTF-8 nor CP932", "row 2", "value b'\\xe9")


def test_cp932_user_defined_bytes_are_refused(tmp_path):
    path = tmp_path / "gaiji.csv"
    path.write_bytes(b"month,department\n2019-04,\x93\x8c\xf0\x40\n")
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(info, "gaiji.csv", "row 2", "neither UTF-8 nor CP932", "value '\\ue000'")


def test_utf16_is_refused_with_advice(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes(",".join(HEADER).encode("utf-16"))
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(info, "u16.csv", "UTF-16", "CSV UTF-8")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("blank.csv", b"\n,,\n\n", "the file is empty"),
        ("old.xls", b"x", ".xlsx"),
        ("data.json", b"{}", "unsupported file type"),
        ("broken.xlsx", b"not a zip", "not a readable Excel workbook"),
    ],
)
def test_unreadable_files(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(info, name, reason)


def test_missing_file_and_bad_arguments(tmp_path):
    with pytest.raises(EvalkitError) as info:
        read_table(tmp_path / "nope.csv", SCHEMA)
    check(info, "nope.csv", "file not found")
    with pytest.raises(EvalkitError, match="not a file"):
        read_table(tmp_path, SCHEMA)
    path = write_csv(tmp_path / "a.csv", [HEADER, *CLEAN_ROWS])
    with pytest.raises(EvalkitError, match="Schema"):
        read_table(path, {"month": "month"})
    with pytest.raises(EvalkitError, match="sheet= is for Excel"):
        read_table(path, SCHEMA, sheet=0)


def test_missing_sheet(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", XLSX_ROWS)
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA, sheet="実績")
    check(info, "s.xlsx", "column 'sheet'", "value '実績'", "'作業実績'")
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA, sheet=3)
    check(info, "s.xlsx", "value 3", "1 sheet(s)")


# ----------------------------------------------------------------------- one spelling per name

NAMES = Schema(
    "names",
    [
        Column("department", "text", aliases=["所属"], one_spelling=True),
        Column("hours", "float"),
        Column("note", "text", required=False, nullable=True),
    ],
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ＩＴ・業務改革課", "IT・業務改革課"),  # full-width and half-width letters
        ("IT・業務改革課", "IT･業務改革課"),  # the half-width katakana middle dot
        ("行政改革課", "行政 改革課"),  # inner space
        ("行政改革課", "行政\u3000改革課"),  # inner full-width space
        ("行政 改革課", "行政  改革課"),
        ("ＩＴ推進課", "IT 推進課"),
    ],
)
def test_one_name_written_two_ways_is_refused(tmp_path, first, second):
    path = tmp_path / "names.csv"
    path.write_text(
        f"所属,hours,note\n{first},1,\n人事課,2,\n\n{first},3,\n{second},4,\n{second},5,\n",
        encoding="utf-8",
    )
    with pytest.raises(EvalkitError) as info:
        read_table(path, NAMES)
    check(
        info,
        "names.csv",
        "row 6",  # the blank line 4 counts
        "rows 2 and 6",
        "column '所属 (department)'",
        f"{first!r} (row 2)",
        f"{second!r} (row 6)",
        "write them one way",
    )
    assert info.value.row == 6 and info.value.value == second


def test_one_spelling_is_only_checked_where_asked(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text(
        "所属,hours,note\n人事課,1,２年３月\n企画課,2,2年 3月\n人事課,3,\n", encoding="utf-8"
    )
    got = read_table(path, NAMES)
    assert got["note"].tolist()[:2] == ["２年３月", "2年 3月"]  # free text kept as written
    assert got["department"].nunique() == 2


def test_one_spelling_leaves_surrounding_spaces_and_repeats_alone(tmp_path):
    path = tmp_path / "names.csv"
    rows = [" 人事課", "人事課　", "ＩＴ課", "人事課"] * 5000
    path.write_text("所属,hours\n" + "".join(f"{r},1\n" for r in rows), encoding="utf-8")
    got = read_table(path, NAMES)
    assert got["department"].value_counts().to_dict() == {"人事課": 15000, "ＩＴ課": 5000}


def test_one_spelling_in_xlsx_names_the_sheet(tmp_path):
    path = write_xlsx(
        tmp_path / "n.xlsx", [["所属", "hours"], ["ＩＴ課", 1], [None, None], ["IT課", 2]]
    )
    with pytest.raises(EvalkitError) as info:
        read_table(path, NAMES)
    check(info, "n.xlsx (sheet '作業実績')", "rows 2 and 4", "'ＩＴ課' (row 2)", "'IT課' (row 4)")


def test_one_spelling_is_for_text_columns():
    with pytest.raises(EvalkitError, match="one_spelling is for text columns"):
        Column("x", "int", one_spelling=True)


# ----------------------------------------------------------------------------- encodings, once more


def test_utf8_file_with_a_latin1_line_names_that_line(tmp_path):
    lines = [
        "年月,所属,区分,会議数,作業時間,増減,費用,削減率",
        "2019-04,人事課,会議,1,5.4,-1.5,1800,0.84",
        "2019-05,総務課,会議,1,5.4,-1.5,1800,0.84",
    ]
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    raw += "2019-06,Café,meeting,1,5.4,-1.5,1800,0.84\n".encode("latin-1")  # row 4
    raw += "2019-07,企画課,会議,1,5.4,-1.5,1800,0.84\n".encode()
    path = tmp_path / "mixed.csv"
    path.write_bytes(raw)
    # Decoding the whole file as CP932 would fail elsewhere (on the UTF-8 Japanese
    # first); each line is decoded on its own, so the Latin-1 row is the one named.
    with pytest.raises(UnicodeDecodeError) as whole:
        raw.decode("cp932")
    assert raw[: whole.value.start].count(b"\n") + 1 != 4
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    msg = check(info, "mixed.csv", "row 4", "value b'\\xe9", "UTF-8", "CP932", "Latin-1")
    assert info.value.row == 4
    assert "neither UTF-8 nor CP932" in msg


def test_cp932_file_with_a_bad_byte_names_the_cp932_row(tmp_path):
    raw = "年月,所属\n2019-04,人事課\n".encode("cp932") + b"2019-05,\x85\x40\n"  # undefined
    path = tmp_path / "bad_sjis.csv"
    path.write_bytes(raw)
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(info, "bad_sjis.csv", "row 3", "UTF-8 decoding fails on row 1", "value b'\\x85@")


# ----------------------------------------------------------------------- formulas in workbooks


def rewrite_sheet_xml(path, old, new):
    """Edit the first sheet's XML, as Excel would have saved it (openpyxl cannot calculate)."""
    import zipfile

    out = path.with_name("excel_" + path.name)
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            zout.writestr(item, data)
    return out


def formula_workbook(tmp_path):
    rows = [list(r) for r in XLSX_ROWS]
    rows[4][4] = "=2*617.25"  # hours of file row 5, never calculated
    path = write_xlsx(tmp_path / "calc.xlsx", rows)
    assert openpyxl.load_workbook(path, data_only=True).active["E5"].value is None
    return path


def test_formula_without_a_saved_result_is_refused(tmp_path):
    path = formula_workbook(tmp_path)
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(
        info,
        "calc.xlsx (sheet '作業実績')",
        "row 5",
        "column 'E'",
        "value '=2*617.25'",
        "cell E5",
        "formula",
        "open the workbook in Excel and save it",
    )
    assert info.value.row == 5 and info.value.column == "E"


def test_formula_in_a_nullable_column_is_refused_too(tmp_path):
    rows = [list(r) for r in XLSX_ROWS]
    rows[3][6] = "=SUM(F2:F4)"  # cost may be blank, but this one is not known
    with pytest.raises(EvalkitError) as info:
        read_table(write_xlsx(tmp_path / "c.xlsx", rows), SCHEMA)
    check(info, "row 4", "column 'G'", "value '=SUM(F2:F4)'")


def test_formulas_with_saved_results_are_read(tmp_path, clean):
    # As Excel saves them: the result in <v>, and an empty-string result as a
    # string cell, which is a real blank.
    path = formula_workbook(tmp_path)
    path = rewrite_sheet_xml(path, b"<f>2*617.25</f><v />", b"<f>2*617.25</f><v>1234.5</v>")
    pd.testing.assert_frame_equal(read_table(path, SCHEMA), clean)
    rows = [list(r) for r in XLSX_ROWS]
    rows[3][8] = '=IF(A4="","x","")'  # note of file row 4: an empty string
    path = write_xlsx(tmp_path / "s.xlsx", rows)
    path = rewrite_sheet_xml(path, b'<c r="I4"><f>', b'<c r="I4" t="str"><f>')
    pd.testing.assert_frame_equal(read_table(path, SCHEMA), clean)


def test_a_formula_elsewhere_in_the_workbook_does_not_matter_when_nothing_is_blank(tmp_path):
    schema = Schema("s", [Column("a", "int"), Column("b", "int")])
    path = write_xlsx(tmp_path / "o.xlsx", [["a", "b"], [1, 2]])
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("計算")["A1"] = "=1+1"
    wb.save(path)
    assert read_table(path, schema)["b"].tolist() == [2]


# ----------------------------------------------------------------------------- unquoted thousands


def test_unquoted_thousands_separator_gets_a_hint(tmp_path):
    path = tmp_path / "t.csv"
    rows = [",".join(HEADER), *(",".join(r) for r in CLEAN_ROWS)]
    rows[1] = "2019-04,人事課,会議,1,5.4,-1.5,1,800,0.84,初回"  # cost 1,800 unquoted
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(EvalkitError) as info:
        read_table(path, SCHEMA)
    check(
        info,
        "t.csv",
        "row 2",
        "column 'J (no header)'",
        "value '初回'",
        "blank header",
        "'1' and '800' side by side (columns G and H)",
        "thousands separator must be quoted",
        '"1,800"',
    )


def test_no_thousands_hint_when_nothing_looks_split(tmp_path):
    rows = [[*HEADER, ""], *[[*r, ""] for r in CLEAN_ROWS]]
    rows[3][-1] = "迷子"
    with pytest.raises(EvalkitError) as info:
        read_table(write_csv(tmp_path / "b.csv", rows), SCHEMA)
    assert "thousands" not in str(info.value)
