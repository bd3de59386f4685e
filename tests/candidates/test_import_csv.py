"""Reading uploaded CSV files as spreadsheets really produce them: encodings, delimiters, headers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from candidates.forms.import_csv import COLUMNS, read_csv, sniff_delimiter
from candidates.forms.imports import COLUMN_HELP

MAX = 100


def read(data: bytes, max_rows: int = MAX):
    return read_csv(data, max_rows=max_rows)


def test_every_column_is_documented_on_the_upload_page() -> None:
    assert set(COLUMN_HELP) == set(COLUMNS)


def test_utf8_rows_are_keyed_by_column_with_spreadsheet_line_numbers() -> None:
    table = read(b"first_name,last_name,email\nAnn,Smith,ann@example.org\nBob,Jones,\n")
    assert table.rows == [
        {"line": 2, "first_name": "Ann", "last_name": "Smith", "email": "ann@example.org"},
        {"line": 3, "first_name": "Bob", "last_name": "Jones", "email": ""},
    ]
    assert table.columns == ["first_name", "last_name", "email"]
    assert (table.encoding, table.delimiter_name) == ("utf-8", "comma")


def test_utf8_with_byte_order_mark_from_excel_csv_utf8() -> None:
    table = read("first_name,last_name\nZoë,Brontë\n".encode("utf-8-sig"))
    assert table.columns == ["first_name", "last_name"]  # the mark is not part of the first header
    assert table.rows[0]["first_name"] == "Zoë"


def test_windows_1252_from_excel_on_windows() -> None:
    table = read("first_name;last_name;notes\nRenée;Dupré;Costs £20 \u2013 paid\n".encode("cp1252"))
    assert table.encoding == "cp1252"
    assert table.rows[0] == {"line": 2, "first_name": "Renée", "last_name": "Dupré", "notes": "Costs £20 \u2013 paid"}


def test_latin1_bytes_undefined_in_windows_1252_still_read() -> None:
    table = read(b"first_name,last_name\nAnn,Smith\x81\n")
    assert table.encoding == "latin-1"
    assert table.rows[0]["last_name"] == "Smith\x81"


def test_utf16_from_excel_unicode_text() -> None:
    table = read("first_name\tlast_name\nJosé\tÁlvarez\n".encode("utf-16"))
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.rows[0]["first_name"] == "José"


@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_delimiters(delimiter: str, name: str) -> None:
    text = delimiter.join(["first_name", "last_name", "postcode"]) + "\n" + delimiter.join(["Ann", "Smith", "LS1 1AA"])
    table = read(text.encode())
    assert table.delimiter_name == name
    assert table.rows[0] == {"line": 2, "first_name": "Ann", "last_name": "Smith", "postcode": "LS1 1AA"}


def test_delimiter_is_checked_against_the_header_when_the_sniffer_is_fooled() -> None:
    # Lots of commas in the notes make commas look like the delimiter; the header says semicolons.
    text = "first_name;last_name;notes\n" + "".join(f"A{i};B{i};one, two, three, four, five\n" for i in range(20))
    assert sniff_delimiter(text) == ";"
    assert read(text.encode()).rows[0]["notes"] == "one, two, three, four, five"


@pytest.mark.parametrize(
    "header",
    [
        "First Name,Last Name,Email Address,Phone Number,Date of Birth",
        "FIRST_NAME,LAST_NAME,E-mail,Mobile,DOB",
        " first name* , surname ,email,telephone,date_of_birth",
        "Forename,Family name,EMAIL,Tel,Birth date",
    ],
)
def test_header_names_in_any_case_spacing_or_common_alternatives(header: str) -> None:
    table = read(f"{header}\nAnn,Smith,ann@example.org,07700 900123,27/03/1985\n".encode())
    assert table.columns == ["first_name", "last_name", "email", "phone", "date_of_birth"]
    assert table.rows[0]["phone"] == "07700 900123"


def test_unknown_columns_are_ignored_and_reported() -> None:
    table = read(b"Ref,first_name,last_name,Favourite colour\n17,Ann,Smith,blue\n")
    assert table.rows[0] == {"line": 2, "first_name": "Ann", "last_name": "Smith"}
    assert table.ignored_headers == ["Ref", "Favourite colour"]


def test_blank_rows_are_skipped_but_keep_their_line_numbers() -> None:
    table = read(b"first_name,last_name\nAnn,Smith\n,\n\nBob,Jones\n,,\n")
    assert [row["line"] for row in table.rows] == [2, 5]


def test_quoted_values_with_delimiters_and_line_breaks() -> None:
    table = read(b'first_name,last_name,notes\nAnn,Smith,"Called, left message\nCall back Monday"\nBob,Jones,\n')
    assert table.rows[0]["notes"] == "Called, left message\nCall back Monday"
    assert table.rows[1]["line"] == 3  # spreadsheet rows, not physical lines


def test_short_rows_leave_missing_cells_out() -> None:
    assert read(b"first_name,last_name,email\nAnn,Smith\n").rows[0] == {
        "line": 2,
        "first_name": "Ann",
        "last_name": "Smith",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\n\n", "The file is empty."),
        (b"first_name,last_name\n", "no rows of data"),
        (b"first_name,email\nAnn,a@example.org\n", "The file has no last_name column"),
        (b"name,email\nAnn Smith,a@example.org\n", "no first_name or last_name column"),
        (b"first_name,Forename,last_name\nA,B,C\n", "both give the first name"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"%PDF-1.7\n", "a PDF"),
        (b"first_name,last_name\x00\x00\x00", "not a text file"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        read(data)
    assert message in exc.value.messages[0]


def test_too_many_rows_are_refused() -> None:
    data = b"first_name,last_name\n" + b"A,B\n" * 11
    assert len(read(data, max_rows=11).rows) == 11
    with pytest.raises(ValidationError, match="more than 10 rows"):
        read(data, max_rows=10)
