"""Files the import refuses, or reads row by row with errors (#16, #23):
not an export, the clerk who may not import, and broken or hostile files."""

import base64
import tracemalloc
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError

from .. import r2faktury

from .importing import CASE_HEADER, ImportCase, as_xlsx, sample, xlsx_with


class TestRefused(ImportCase):
    def test_a_wrong_separator_is_refused_with_the_missing_columns(self):
        tabs = sample("sprawy_wzor.csv").replace(b";", b"\t")
        self.check_refused(tabs, "lacks the columns Numer, Cel, Klient, Data otwarcia")

    def test_a_missing_required_column_is_refused(self):
        text = sample("sprawy_wzor.csv").decode("utf-8-sig")
        without = "\n".join(line.split(";", 1)[1] for line in text.splitlines())
        self.check_refused(without.encode(), "lacks the columns Numer of")

    def test_a_file_that_is_no_export_is_refused(self):
        self.check_refused(b"PK\x03\x04 not really a zip", "is not an XLSX", "a.xlsx")
        self.check_refused(b"\x81\x83\x88\x90\x98", "is neither a CSV text file")
        self.check_refused(b"\r\n;;\r\n", "has no rows")

    def test_the_department_clerk_may_not_import(self):
        cases = self.Case.search_count([])
        with self.assertRaises(AccessError):
            self.run_import(
                r2faktury.CASES, sample("sprawy_wzor.csv"), user=self.service_clerk
            )
        wizard = self.Wizard.create(
            {
                "kind": r2faktury.CASES,
                "data_file": base64.b64encode(sample("sprawy_wzor.csv")),
                "dry_run": False,
            }
        )
        with self.assertRaises(AccessError):
            wizard.sudo(self.service_clerk).action_import()
        self.assertEqual(self.Case.search_count([]), cases)
        self.assertNotIn(
            self.env.ref("r2_crm.r2_crm_import_menu"),
            self.env["ir.ui.menu"].sudo(self.service_clerk).search([]),
        )

    def test_a_context_flag_opens_no_door(self):
        note = (
            self.Contact.sudo(self.service_clerk)
            .with_context(r2_crm_import=True)
            .create(
                {
                    "type": "note",
                    "purpose": "service",
                    "partner_id": self.partner.id,
                    "name": "Intake",
                    "result_id": self.s1.id,
                }
            )
        )
        self.assertTrue(note.case_id, "S1 still opens a case")
        with self.assertRaises(UserError):
            note.sudo(self.manager).write({"import_key": "x"})
        self.assertFalse(note.import_key)


class TestOdooImport(ImportCase):
    def test_odoo_own_import_reads_xlsx(self):
        """xlrd is pinned at 1.2, the last to read .xlsx, so the stock
        Import button of every list works with spreadsheets too."""
        data = as_xlsx(sample("sprawy_wzor.csv"))
        record = self.env["base_import.import"].create(
            {
                "res_model": "res.partner",
                "file": data,
                "file_name": "partners.xlsx",
                "file_type": "application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet",
            }
        )
        preview = record.parse_preview({"headers": True, "quoting": '"'})
        self.assertNotIn("error", preview, preview.get("error"))
        self.assertEqual(preview["headers"][:3], ["Numer", "Cel", "Klient"])


class TestUntrustedFiles(ImportCase):
    """What a broken or hostile file does (#23): a row error in the log, or a
    clear refusal of the file, never a traceback, never garbled text, and
    nothing half-written."""

    def cases_csv(self, *rows):
        lines = [";".join(CASE_HEADER)] + [";".join(row) for row in rows]
        return "\n".join(lines).encode()

    def test_a_nul_byte_in_a_cell_is_a_row_error(self):
        data = self.cases_csv(
            ["SRV/2026/00600", "serwis", "Nul Test", "01.03.2026", "", "Bad\x00cell"],
            ["SRV/2026/00601", "serwis", "Nul Test", "01.03.2026", "", "Good"],
        )
        wizard = self.run_import(r2faktury.CASES, data)
        self.assertEqual(self.figures(wizard), (2, 1, 0, 1), wizard.log)
        self.assertIn("Row 2: Opis: the cell holds a NUL character", wizard.log)
        self.assertFalse(self.case("SRV/2026/00600"))
        self.assertEqual(self.case("SRV/2026/00601").description, "Good")

    def test_a_spreadsheet_cell_past_the_shared_strings_is_refused(self):
        data = xlsx_with(
            [CASE_HEADER], '<row r="2"><c r="A2" t="s"><v>500</v></c></row>'
        )
        self.check_refused(data, "cannot be read at row 2", "bad.xlsx")

    def test_a_spreadsheet_date_out_of_the_calendar_is_refused(self):
        data = xlsx_with(
            [CASE_HEADER], '<row r="2"><c r="D2" t="d"><v>99999-99-99</v></c></row>'
        )
        self.check_refused(data, "cannot be read at row 2", "bad.xlsx")

    def test_a_date_of_the_year_one_is_a_row_error(self):
        data = (
            "Data;Klient;Temat\n"
            "01.01.0001 00:00;Rok Test;Too early\n"
            "01.03.2026 10:00;Rok Test;In time\n"
        ).encode()
        wizard = self.run_import(r2faktury.CONTACTS, data)
        self.assertEqual(self.figures(wizard), (2, 1, 0, 1), wizard.log)
        self.assertIn("Row 2: Data: '01.01.0001 00:00' is out of range", wizard.log)

    def test_a_number_the_numbering_cannot_continue_from_is_a_row_error(self):
        data = self.cases_csv(
            ["SRV/2087/2147483648", "serwis", "Num Test", "01.03.2026", "", ""],
            ["SRV/0000/00001", "serwis", "Num Test", "01.03.2026", "", ""],
            ["SRV/2026/00610", "serwis", "Num Test", "01.03.2026", "", ""],
        )
        for dry_run in (True, False):
            with self.subTest(dry_run=dry_run):
                wizard = self.run_import(r2faktury.CASES, data, dry_run=dry_run)
                self.assertEqual(self.figures(wizard), (3, 1, 0, 2), wizard.log)
                self.assertIn("Row 2: Numer: SRV/2087/2147483648 is beyond", wizard.log)
                self.assertIn("Row 3: Numer: SRV/0000/00001 is beyond", wizard.log)
        self.assertFalse(self.case("SRV/2087/2147483648"))
        self.assertTrue(self.case("SRV/2026/00610"))

    def test_a_value_of_400_nines_is_a_row_error(self):
        data = self.cases_csv(
            ["SRV/2026/00620", "serwis", "Val Test", "01.03.2026", "9" * 400, ""]
        )
        wizard = self.run_import(r2faktury.CASES, data)
        self.assertEqual(self.figures(wizard), (1, 0, 0, 1), wizard.log)
        self.assertIn("Row 2: Wartość: '999", wizard.log)
        self.assertIn("is out of range", wizard.log)

    def test_a_file_of_two_encodings_is_refused_naming_the_line(self):
        lines = sample("sprawy_wzor.csv").split(b"\n")
        lines[2] = lines[2].replace(b"Nie w", b"Nie \xb3 w")  # one cp1250 "ł"
        self.check_refused(b"\n".join(lines), "line 3 is not UTF-8")
        self.assertFalse(self.Case.search([("description", "like", "Ĺ")]))

    def test_windows_1250_alone_is_still_read(self):
        data = sample("sprawy_wzor.csv").decode("utf-8-sig").encode("cp1250")
        self.assertEqual(
            [row for _n, row in r2faktury.read_rows(r2faktury.CASES, "a.csv", data)][1][
                "description"
            ],
            "Nie włącza się",
        )

    def test_a_huge_declared_range_is_read_as_its_cells_are(self):
        data = xlsx_with(
            [CASE_HEADER, ["SRV/2026/00630", "serwis", "Big Test", "01.03.2026"]],
            '<row r="2000"/>',
            dimension="A1:XFD2000",
        )
        self.assertLess(len(data), 8000)
        tracemalloc.start()
        try:
            rows = r2faktury.read_rows(r2faktury.CASES, "big.xlsx", data)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][1]["number"], "SRV/2026/00630")
        # padded to its declared 16,384 columns, 2,000 rows took 260 MB
        self.assertLess(peak, 20 * 1024 * 1024)
        wizard = self.run_import(r2faktury.CASES, data, filename="big.xlsx")
        self.assertEqual(self.figures(wizard), (1, 1, 0, 0), wizard.log)

    def test_too_many_rows_or_bytes_are_refused(self):
        data = sample("sprawy_wzor.csv")
        with patch.object(r2faktury, "MAX_ROWS", 4):
            self.check_refused(data, "has more than 4 rows")
        with patch.object(r2faktury, "MAX_FILE_BYTES", 100):
            self.check_refused(data, "is larger than")
        with patch.object(r2faktury, "MAX_ROWS", 5):
            self.assertEqual(
                len(r2faktury.read_rows(r2faktury.CASES, "a.csv", data)), 5
            )

    def test_a_number_of_another_purpose_is_not_overwritten(self):
        self.import_samples()
        case = self.case("SRV/2026/00118")
        before = (case.description, case.line_ids.mapped("price_unit"))
        data = self.cases_csv(
            [
                "SRV/2026/00118",
                "sprzedaż",
                "Kowalski i Syn Sp. z o.o.",
                "12.11.2026",
                "",
                "Overwritten",
            ]
        )
        wizard = self.run_import(r2faktury.CASES, data)
        self.assertEqual(self.figures(wizard), (1, 0, 0, 1), wizard.log)
        self.assertIn("is a case of another purpose", wizard.log)
        case.invalidate_cache()
        self.assertEqual((case.description, case.line_ids.mapped("price_unit")), before)
