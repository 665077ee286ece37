"""The error type: message layout, fields, and pickling (notebook kernels, processes)."""

import pickle

from evalkit import EvalkitError
from evalkit.errors import spreadsheet_row


def test_message_names_file_row_column_value_in_order():
    err = EvalkitError("negative quantity", file="rpa.csv", row=7, column="hours_after", value=-1.5)
    assert str(err) == "rpa.csv, row 7, column 'hours_after', value -1.5: negative quantity"
    assert isinstance(err, ValueError)


def test_message_without_location_is_the_reason():
    assert str(EvalkitError("no data")) == "no data"


def test_a_value_of_none_is_shown_when_given():
    assert str(EvalkitError("blank", column="answer", value=None)) == (
        "column 'answer', value None: blank"
    )


def test_pickling_keeps_every_field():
    err = EvalkitError("not a number", file="a.csv", row=3, column="c", value="x")
    back = pickle.loads(pickle.dumps(err))
    assert (back.reason, back.file, back.row, back.column, back.value) == (
        "not a number",
        "a.csv",
        3,
        "c",
        "x",
    )
    assert str(back) == str(err)
    bare = pickle.loads(pickle.dumps(EvalkitError("r", row=2)))
    assert not bare.has_value and str(bare) == "row 2: r"


def test_first_data_row_is_row_2():
    assert spreadsheet_row(0) == 2 and spreadsheet_row(9) == 11


def test_long_values_columns_and_reasons_are_cut_with_their_length():
    err = EvalkitError("r" * 5000, file="a.csv", row=3, column="c" * 1000, value="x" * 1_000_000)
    msg = str(err)
    assert len(msg) < 3000
    assert "'" + "x" * 200 + "…' (1,000,000 characters)" in msg
    assert "'" + "c" * 200 + "…' (1,000 characters)" in msg
    assert "(5,000 characters)" in msg
    assert err.value == "x" * 1_000_000 and err.column == "c" * 1000  # kept whole
    big = EvalkitError("r", value=list(range(100_000)))
    assert len(str(big)) < 300 and "characters)" in str(big)
    assert str(EvalkitError("r", value=b"\xff" * 300)).endswith("…' (300 bytes): r")


def test_short_values_are_quoted_as_before():
    err = EvalkitError("r", column="所属", value="人事課")
    assert str(err) == "column '所属', value '人事課': r"
