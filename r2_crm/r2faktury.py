"""Reading R2faktury's exports, without a database.

R2faktury is a Windows program: its KONTAKTY and KONTRAKTY/SPRAWY exports are
CSV files separated by ``;`` (or ``,``), in Windows-1250 or UTF-8, with Polish
headers, dates written ``28.11.2026`` and decimal commas (``1 234,50``), or the
same sheets saved as XLSX. The import wizard (r2.crm.import.wizard) turns the
rows these functions give into entries and cases; ``tests/test_r2faktury.py``
tests them directly.

The parse functions raise ValueError on a value they cannot read; the wizard
reports it with the row and the column, in the user's language.
"""

import csv
import hashlib
import io
import math
import re
import unicodedata
from collections import namedtuple
from datetime import date, datetime

import pytz

from . import rules

# The kinds of export (r2.crm.import.wizard.kind)
CONTACTS = "contacts"
CASES = "cases"
# The fiasco reason of a fiasco R2faktury kept without one
NO_REASON = "Nie podano w R2faktury"

KINDS = [(CONTACTS, "Contacts (KONTAKTY)"), (CASES, "Contracts / cases (KONTRAKTY)")]

# A column of an export: the field it feeds, the header R2faktury writes, and
# whether the file must have it.
Column = namedtuple("Column", "field header required")

CONTACT_COLUMNS = (
    Column("date", "Data", True),
    Column("type", "Typ", False),
    Column("purpose", "Cel", False),
    Column("customer", "Klient", True),
    Column("vat", "NIP", False),
    Column("subject", "Temat", True),
    Column("description", "Opis", False),
    Column("goods", "Towar", False),
    Column("result", "Rezultat", False),
    Column("case", "Powiązany z", False),
    Column("deadline", "Termin", False),
    Column("done", "Wykonane", False),
    Column("user", "Użytkownik", False),
)
CASE_COLUMNS = (
    Column("number", "Numer", True),
    Column("purpose", "Cel", True),
    Column("customer", "Klient", True),
    Column("vat", "NIP", False),
    Column("date_open", "Data otwarcia", True),
    Column("deadline", "Termin", False),
    Column("state", "Status", False),
    Column("date_closed", "Data zamknięcia", False),
    Column("level", "Poziom", False),
    Column("probability", "Prawdopodobieństwo", False),
    Column("failure_reason", "Przyczyna fiaska", False),
    Column("value", "Wartość", False),
    Column("goods", "Towar", False),
    Column("description", "Opis", False),
    Column("user", "Użytkownik", False),
)
COLUMNS = {CONTACTS: CONTACT_COLUMNS, CASES: CASE_COLUMNS}

# Polish diacritics that Unicode does not decompose
_LETTERS = str.maketrans({"ł": "l", "Ł": "l"})


def word_key(text):
    """``text`` as headers and words are compared: lower case, without Polish
    diacritics, spaces or punctuation (``Powiązany z`` -> ``powiazanyz``)."""
    text = unicodedata.normalize("NFKD", str(text or "").translate(_LETTERS))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", "", text.lower())


# The words of Typ, Cel and Status, by column: R2faktury's word first, then
# other spellings and Odoo's English ones
WORD_GROUPS = {
    "type": (
        (("notatka", "note"), rules.NOTE),
        (("zadanie", "task"), rules.TASK),
    ),
    "purpose": (
        (("sprzedaż", "handel", "sale", "sales"), rules.SALE),
        (("serwis", "service"), rules.SERVICE),
        (("inny", "inne", "inna", "other"), rules.OTHER),
    ),
    "state": (
        (("otwarty", "otwarta", "otwarte", "open"), rules.OPEN),
        (("sukces", "success"), rules.SUCCESS),
        (("fiasko", "porażka", "failure", "fiasco"), rules.FAILURE),
    ),
}


def _word_values(groups):
    return {word_key(word): value for words, value in groups for word in words}


TYPE_WORDS = _word_values(WORD_GROUPS["type"])
PURPOSE_WORDS = _word_values(WORD_GROUPS["purpose"])
STATE_WORDS = _word_values(WORD_GROUPS["state"])
# R2faktury's words of each column, as the wizard's message lists them
WORD_CHOICES = {
    column: ", ".join(words[0] for words, _value in groups)
    for column, groups in WORD_GROUPS.items()
}
YES_WORDS = {word_key(word) for word in ("tak", "t", "x", "1", "yes", "y", "true")}
NO_WORDS = {word_key(word) for word in ("nie", "n", "0", "no", "false", "")}


# What the import reads at most: a bigger file is refused before it is parsed,
# and a spreadsheet is read no wider than its known columns could stand.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100000
XLSX_MAX_COLUMNS = 64
# Dates and amounts an export of R2faktury can hold
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_AMOUNT = 10**12


class FormatError(Exception):
    """The file cannot be read as an export; ``code`` says why:
    ``empty``, ``missing`` (``columns`` lists the missing headers), ``xlsx``
    (not a spreadsheet), ``xlsx_row`` (a spreadsheet whose row ``line``
    cannot be read), ``mixed`` (not UTF-8 from ``line`` on, but UTF-8
    elsewhere), ``too_large`` or ``too_many_rows``."""

    def __init__(self, code, columns=(), found=(), line=None):
        super(FormatError, self).__init__(code)
        self.code = code
        self.columns = list(columns)
        self.found = list(found)
        self.line = line


class OutOfRange(ValueError):
    """A date or number that reads well but no export can hold (the year
    0001, a value of 400 digits)."""


# ------------------------------------------------------------------ files
# UTF-8's Polish letters (and the other letters of Latin-1 and Latin
# Extended-A): lead byte C3-C5 and a continuation byte. In Windows-1250 the
# same pairs are Ă, Ä or Ĺ followed by a letter or a sign, which Polish text
# does not write.
_UTF8_LETTER = re.compile(b"[\xc3-\xc5][\x80-\xbf]")


def decode(data):
    """The text of a CSV file: UTF-8 with or without BOM, else Windows-1250
    (which decodes any byte but five; those are refused as not text). A file
    that is not UTF-8 but holds UTF-8 letters was saved in two encodings:
    read as either, it would store garbled text, so it is refused, naming
    the first line that is not UTF-8."""
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        if bom or _UTF8_LETTER.search(body):
            line = body[: error.start].count(b"\n") + 1
            raise FormatError("mixed", line=line)
    return body.decode("cp1250")


def separator(header_line):
    """``;`` or ``,``: the one the header line has more of (R2faktury: ``;``)."""
    return "," if header_line.count(",") > header_line.count(";") else ";"


def read_csv(data):
    """The rows of a CSV file, each a list of cell texts, the header row
    first (a generator)."""
    text = decode(data)
    first = text.split("\n", 1)[0]
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator(first))


def read_xlsx(data):
    """The rows of the first sheet of an XLSX file, the header row first (a
    generator); the cells keep their types (dates, numbers), empty cells are
    ''. A sheet is read as its cells are, not as its ``<dimension>`` declares
    (openpyxl's read-only mode would pad every row to it), and no wider than
    XLSX_MAX_COLUMNS."""
    import openpyxl  # only the wizard needs it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
    except Exception:  # zipfile, XML and openpyxl's own errors alike
        raise FormatError("xlsx")
    number = 0
    try:
        for number, row in enumerate(
            sheet.iter_rows(max_col=XLSX_MAX_COLUMNS, values_only=True), 1
        ):
            yield ["" if cell is None else cell for cell in row]
    except Exception:  # a cell openpyxl cannot read (a date 99999-99-99, ...)
        raise FormatError("xlsx_row", line=number + 1)
    finally:
        book.close()


def is_xlsx(filename, data):
    """An XLSX file is a ZIP archive, whatever its name says."""
    return data[:4] == b"PK\x03\x04" or (filename or "").lower().endswith(".xlsx")


def read_rows(kind, filename, data):
    """[(row number, {field: cell})] of the export of ``kind``; rows with
    no value at all are skipped. Raises FormatError when the file is too
    large or has too many rows, or when its header row lacks a required
    column."""
    if len(data) > MAX_FILE_BYTES:
        raise FormatError("too_large")
    rows = read_xlsx(data) if is_xlsx(filename, data) else read_csv(data)
    columns = COLUMNS[kind]
    header, index, width, result = None, {}, 0, []
    # numbered as a spreadsheet numbers them, the header row being 1
    for number, row in enumerate(rows, 1):
        if not any(str(cell).strip() for cell in row):
            continue
        if header is None:
            header = row
            keys = [word_key(cell) for cell in row]
            for column in columns:
                key = word_key(column.header)
                if key in keys:
                    index[column.field] = keys.index(key)
            missing = [c.header for c in columns if c.required and c.field not in index]
            if missing:
                raise FormatError("missing", missing, [str(cell) for cell in row])
            width = max(index.values()) + 1
            continue
        if len(result) >= MAX_ROWS:
            raise FormatError("too_many_rows")
        row = row[:width]
        result.append(
            (
                number,
                {
                    field: row[position] if position < len(row) else ""
                    for field, position in index.items()
                },
            )
        )
    if header is None:
        raise FormatError("empty")
    return result


def nul_columns(values):
    """The headers of the columns of a row (``values``: {field: cell}) whose
    cell holds a NUL character, which no text column stores."""
    headers = {
        column.field: column.header for kind in COLUMNS.values() for column in kind
    }
    return [
        headers.get(field, field)
        for field, value in values.items()
        if isinstance(value, str) and "\x00" in value
    ]


# ------------------------------------------------------------------ cells
def text(value):
    """A cell as text; a whole number from a spreadsheet loses its ``.0``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def parse_date(value):
    """A date from ``28.11.2026`` (also ``28-11-2026``, ``2026-11-28``) or a
    spreadsheet's date; None when empty."""
    return _parse_datetime(value, with_time=False)


def parse_datetime(value):
    """A naive datetime from ``28.11.2026 14:30`` (or one of parse_date's
    forms, at midnight); None when empty."""
    return _parse_datetime(value, with_time=True)


_DATE_FORMATS = ("%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%y")
_TIME_FORMATS = ("", " %H:%M", " %H:%M:%S")


def _parse_datetime(value, with_time):
    parsed = _read_datetime(value, _TIME_FORMATS if with_time else ("",))
    if parsed is None:
        return None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise OutOfRange(value)
    return parsed if with_time else parsed.date()


def _read_datetime(value, times):
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    value = re.sub(r"\s+", " ", text(value))
    if not value:
        return None
    for date_format in _DATE_FORMATS:
        for time_format in times:
            try:
                return datetime.strptime(value, date_format + time_format)
            except ValueError:
                continue
    raise ValueError(value)


def local_to_utc(moment, tz_name):
    """The naive UTC datetime of a naive local ``moment`` in ``tz_name``
    (Europe/Warsaw when the user has no time zone)."""
    zone = pytz.timezone(tz_name or "Europe/Warsaw")
    return zone.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)


def parse_decimal(value):
    """A number from ``1 234,50`` (spaces, also non-breaking, group the
    thousands; ``zł`` and ``%`` may follow) or ``1234.50``; None when empty."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _amount(float(value), value)
    cleaned = re.sub(r"[\s\u00a0\u202f]|zł|zl|pln|%", "", text(value).lower())
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:  # 1.234,50 or 1,234.50
        thousands = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(thousands, "")
    cleaned = cleaned.replace(",", ".")
    if not re.match(r"^-?\d+(\.\d+)?$", cleaned):
        raise ValueError(value)
    return _amount(float(cleaned), value)


def _amount(number, value):
    if not math.isfinite(number) or abs(number) >= MAX_AMOUNT:
        raise OutOfRange(value)
    return number


def parse_bool(value):
    key = word_key(text(value))
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    raise ValueError(value)


def parse_word(value, words, default=None):
    """The value of a Polish word of ``words`` (TYPE_WORDS, ...); ``default``
    when the cell is empty."""
    key = word_key(text(value))
    if not key:
        return default
    if key not in words:
        raise ValueError(value)
    return words[key]


def normalize_vat(value):
    """A NIP as it is compared: letters and digits only, upper case, without
    the PL prefix of a Polish number (``PL 526-025-02-74`` -> ``5260250274``)."""
    vat = re.sub(r"[\W_]+", "", text(value)).upper()
    if vat.startswith("PL") and vat[2:].isdigit():
        vat = vat[2:]
    return vat


def partner_vat(value):
    """The VAT number to give a new customer: PL and the digits of a Polish
    NIP, any other number as it is."""
    vat = normalize_vat(value)
    return "PL" + vat if vat.isdigit() else vat


def name_key(value):
    """A customer's or user's name as it is compared: case and spacing aside."""
    return re.sub(r"\s+", " ", text(value)).strip().lower()


def contact_key(moment, customer_vat, customer_name, subject):
    """The stable key of a KONTAKTY row: its date, its customer (NIP, else
    name) and its subject. Importing the same row again finds it."""
    customer = normalize_vat(customer_vat) or name_key(customer_name)
    parts = (moment.strftime("%Y-%m-%d %H:%M:%S"), customer, name_key(subject))
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
