"""Reading R2faktury's exports, tested without a database."""

import io
import unittest
from datetime import date, datetime

import openpyxl

from .. import r2faktury, rules

HEADER = "Data;Typ;Cel;Klient;NIP;Temat;Opis;Towar;Rezultat;Powiązany z;Termin;Wykonane"
ROW = "28.11.2026 14:30;zadanie;serwis;Łódź Sp. z o.o.;PL 526-025-02-74;Oddzwonić"


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


class TestFiles(unittest.TestCase):
    def test_utf8_with_and_without_bom_and_windows_1250(self):
        text = HEADER + "\r\n" + ROW + "\r\n"
        for data in (
            text.encode("utf-8"),
            b"\xef\xbb\xbf" + text.encode("utf-8"),
            text.encode("cp1250"),
        ):
            rows = r2faktury.read_rows(r2faktury.CONTACTS, "kontakty.csv", data)
            self.assertEqual(len(rows), 1)
            number, values = rows[0]
            self.assertEqual(number, 2)
            self.assertEqual(values["customer"], "Łódź Sp. z o.o.")
            self.assertEqual(values["subject"], "Oddzwonić")
            self.assertEqual(values["done"], "", "a missing cell is empty")

    def test_comma_separator_and_headers_in_any_case_without_diacritics(self):
        data = "DATA, klient ,TEMAT,powiazany z\n01.02.2026,Nowak,Oferta,SAL/1\n"
        ((number, values),) = r2faktury.read_rows(
            r2faktury.CONTACTS, "k.csv", data.encode()
        )
        self.assertEqual(values["case"], "SAL/1")
        self.assertEqual(values["date"], "01.02.2026")
        self.assertNotIn("user", values)

    def test_a_quoted_separator_stays_in_its_cell(self):
        data = 'Data;Klient;Temat\n01.02.2026;"Nowak; Syn";"Wiersz 1\nwiersz 2"\n'
        ((_number, values),) = r2faktury.read_rows(
            r2faktury.CONTACTS, "k.csv", data.encode()
        )
        self.assertEqual(values["customer"], "Nowak; Syn")
        self.assertEqual(values["subject"], "Wiersz 1\nwiersz 2")

    def test_a_missing_required_column_is_named(self):
        data = "Data\tKlient\tTemat\n01.02.2026\tNowak\tOferta\n".encode()
        with self.assertRaises(r2faktury.FormatError) as error:
            r2faktury.read_rows(r2faktury.CONTACTS, "k.csv", data)
        self.assertEqual(error.exception.code, "missing")
        self.assertEqual(error.exception.columns, ["Data", "Klient", "Temat"])
        with self.assertRaises(r2faktury.FormatError) as error:
            r2faktury.read_rows(r2faktury.CASES, "s.csv", HEADER.encode())
        self.assertIn("Numer", error.exception.columns)

    def test_empty_rows_are_skipped_and_an_empty_file_refused(self):
        data = "Data;Klient;Temat\n;;\n01.02.2026;Nowak;Oferta\n\n".encode()
        rows = r2faktury.read_rows(r2faktury.CONTACTS, "k.csv", data)
        self.assertEqual([number for number, _values in rows], [3])
        with self.assertRaises(r2faktury.FormatError) as error:
            r2faktury.read_rows(r2faktury.CONTACTS, "k.csv", b"\n\n")
        self.assertEqual(error.exception.code, "empty")

    def test_xlsx_keeps_dates_and_numbers(self):
        data = xlsx(
            [
                ["Numer", "Cel", "Klient", "NIP", "Data otwarcia", "Wartość"],
                [
                    "SRV/2026/00001",
                    "serwis",
                    "Nowak",
                    5260250274,
                    date(2026, 3, 1),
                    1234.5,
                ],
            ]
        )
        ((_number, values),) = r2faktury.read_rows(r2faktury.CASES, "s.xlsx", data)
        self.assertEqual(r2faktury.parse_date(values["date_open"]), date(2026, 3, 1))
        self.assertEqual(r2faktury.parse_decimal(values["value"]), 1234.5)
        self.assertEqual(r2faktury.normalize_vat(values["vat"]), "5260250274")

    def test_a_broken_xlsx_is_refused(self):
        with self.assertRaises(r2faktury.FormatError) as error:
            r2faktury.read_rows(r2faktury.CASES, "s.xlsx", b"PK\x03\x04broken")
        self.assertEqual(error.exception.code, "xlsx")


class TestCells(unittest.TestCase):
    def test_dates(self):
        for value in ("28.11.2026", "28-11-2026", "2026-11-28", " 28.11.2026 "):
            self.assertEqual(r2faktury.parse_date(value), date(2026, 11, 28))
        self.assertEqual(
            r2faktury.parse_datetime("28.11.2026 14:30"), datetime(2026, 11, 28, 14, 30)
        )
        self.assertEqual(
            r2faktury.parse_datetime("28.11.2026"), datetime(2026, 11, 28, 0, 0)
        )
        self.assertEqual(
            r2faktury.parse_date(datetime(2026, 11, 28, 9, 0)), date(2026, 11, 28)
        )
        self.assertIsNone(r2faktury.parse_date(""))
        for wrong in ("31.02.2026", "jutro", "2026/28/11", "28.11.2026 25:00"):
            with self.assertRaises(ValueError):
                r2faktury.parse_datetime(wrong)

    def test_decimals(self):
        cases = {
            "1 234,50": 1234.5,
            "1\u00a0234,50 zł": 1234.5,
            "1.234,50": 1234.5,
            "1,234.50": 1234.5,
            "1234.5": 1234.5,
            "30%": 30.0,
            "-5,5": -5.5,
            7: 7.0,
        }
        for value, expected in cases.items():
            self.assertEqual(r2faktury.parse_decimal(value), expected, value)
        self.assertIsNone(r2faktury.parse_decimal(" "))
        for wrong in ("12a", "1,2,3,4.5.6", "--1"):
            with self.assertRaises(ValueError):
                r2faktury.parse_decimal(wrong)

    def test_words(self):
        self.assertEqual(
            r2faktury.parse_word("Sprzedaż", r2faktury.PURPOSE_WORDS), rules.SALE
        )
        self.assertEqual(
            r2faktury.parse_word("SPRZEDAZ", r2faktury.PURPOSE_WORDS), rules.SALE
        )
        self.assertEqual(
            r2faktury.parse_word("fiasko", r2faktury.STATE_WORDS), rules.FAILURE
        )
        self.assertEqual(
            r2faktury.parse_word("", r2faktury.TYPE_WORDS, rules.NOTE), rules.NOTE
        )
        with self.assertRaises(ValueError):
            r2faktury.parse_word("spotkanie", r2faktury.TYPE_WORDS)
        self.assertTrue(r2faktury.parse_bool("Tak"))
        self.assertFalse(r2faktury.parse_bool(""))
        with self.assertRaises(ValueError):
            r2faktury.parse_bool("może")

    def test_headers_and_vat(self):
        self.assertEqual(r2faktury.word_key("Powiązany z"), "powiazanyz")
        self.assertEqual(r2faktury.word_key(" UŻYTKOWNIK "), "uzytkownik")
        self.assertEqual(r2faktury.word_key("Data zamknięcia"), "datazamkniecia")
        self.assertEqual(r2faktury.normalize_vat("PL 526-025-02-74"), "5260250274")
        self.assertEqual(r2faktury.normalize_vat("DE 123456789"), "DE123456789")
        self.assertEqual(r2faktury.partner_vat("526-025-02-74"), "PL5260250274")
        self.assertEqual(r2faktury.partner_vat("de123456789"), "DE123456789")

    def test_local_time_to_utc(self):
        winter = r2faktury.local_to_utc(datetime(2026, 1, 10, 12, 0), "Europe/Warsaw")
        summer = r2faktury.local_to_utc(datetime(2026, 7, 10, 12, 0), None)
        self.assertEqual(winter, datetime(2026, 1, 10, 11, 0))
        self.assertEqual(summer, datetime(2026, 7, 10, 10, 0))

    def test_the_key_of_an_entry(self):
        moment = datetime(2026, 11, 28, 14, 30)
        key = r2faktury.contact_key(moment, "PL5260250274", "Nowak", "Oferta")
        self.assertEqual(
            key, r2faktury.contact_key(moment, "526-025-02-74", "NOWAK SA", "oferta ")
        )
        self.assertNotEqual(
            key, r2faktury.contact_key(moment, "5260250274", "Nowak", "Oferta 2")
        )
        self.assertEqual(
            r2faktury.contact_key(moment, "", "Jan  Nowak", "x"),
            r2faktury.contact_key(moment, None, "jan nowak", "X"),
        )
        self.assertNotEqual(
            key,
            r2faktury.contact_key(
                moment.replace(minute=31), "5260250274", "", "Oferta"
            ),
        )
