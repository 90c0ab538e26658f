"""Switching from R2faktury (#16): the import of its KONTAKTY and
KONTRAKTY/SPRAWY exports, as the CRM manager who runs it and as the clerk who
may not."""

import base64
import csv
import io
import os
import re
import tracemalloc
import zipfile
from datetime import datetime
from unittest.mock import patch

import openpyxl
import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_module_resource

from .. import r2faktury, rules
from .common import R2CrmTestCase

SAMPLES = get_module_resource("r2_crm", "static", "import")


def sample(name):
    with open(os.path.join(SAMPLES, name), "rb") as fp:
        return fp.read()


def as_xlsx(data):
    """The CSV sample saved as a spreadsheet, its dates as dates."""
    book = openpyxl.Workbook()
    text = data.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
        cells = []
        for cell in row:
            try:
                cells.append(datetime.strptime(cell, "%d.%m.%Y"))
            except ValueError:
                cells.append(cell)
        book.active.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class ImportCase(R2CrmTestCase):
    @classmethod
    def setUpClass(cls):
        super(ImportCase, cls).setUpClass()
        cls.install_polish()
        cls.manager = cls.make_user(
            "r2_import_manager", "r2_crm.r2_crm_group_manager", tz="Europe/Warsaw"
        )
        cls.Wizard = cls.env["r2.crm.import.wizard"]

    def run_import(self, kind, data, filename="export.csv", user=None, **options):
        values = {
            "kind": kind,
            "data_file": base64.b64encode(data),
            "filename": filename,
            "dry_run": False,
            "create_partners": True,
        }
        values.update(options)
        wizard = self.Wizard.sudo(user or self.manager).create(values)
        wizard.action_import()
        return wizard

    def import_samples(self, encode=lambda data: data, filename="export.csv"):
        cases = self.run_import(
            r2faktury.CASES, encode(sample("sprawy_wzor.csv")), filename
        )
        contacts = self.run_import(
            r2faktury.CONTACTS, encode(sample("kontakty_wzor.csv")), filename
        )
        return cases, contacts

    def case(self, number):
        return self.Case.search([("name", "=", number)])

    def check_refused(self, data, message, filename="export.csv", **options):
        wizard = self.Wizard.sudo(self.manager).create(
            {
                "kind": options.get("kind", r2faktury.CASES),
                "data_file": base64.b64encode(data),
                "filename": filename,
                "dry_run": False,
                "create_partners": True,
            }
        )
        self.assertRefusedAndNothingSaved(UserError, message, wizard.action_import)
        self.assertEqual(wizard.state, "draft")

    def figures(self, wizard):
        return (
            wizard.line_count,
            wizard.created_count,
            wizard.updated_count,
            wizard.error_count,
        )


class TestSampleFiles(ImportCase):
    def check_samples(self, cases, contacts):
        self.assertEqual(self.figures(cases), (5, 5, 0, 0), cases.log)
        self.assertEqual(self.figures(contacts), (7, 7, 0, 0), contacts.log)

        repair = self.case("SRV/2026/00118")
        self.assertEqual(repair.purpose, rules.SERVICE)
        self.assertEqual(repair.state, rules.OPEN)
        self.assertEqual(repair.date_open, "2026-11-12")
        self.assertEqual(repair.date_deadline, "2026-11-26")
        self.assertEqual(repair.partner_id.name, "Kowalski i Syn Sp. z o.o.")
        self.assertEqual(repair.partner_id.vat, "PL7781234563")
        self.assertEqual(repair.amount_total, 350.0)
        self.assertIn("ABC123", repair.item_description)
        self.assertEqual(len(repair.contact_ids), 2, "linked by Powiązany z")

        done = self.case("SRV/2026/00097")
        self.assertEqual((done.state, done.date_closed), (rules.SUCCESS, "2026-10-03"))
        self.assertEqual(done.partner_id.name, "Ewa Wiśniewska")

        offer = self.case("SAL/2026/00045")
        self.assertEqual(offer.level_id, self.env.ref("r2_crm.level_offer"))
        self.assertEqual(offer.probability, 30.0)
        self.assertEqual(offer.amount_total, 4500.0)

        lost = self.case("SAL/2026/00031")
        self.assertEqual(lost.state, rules.FAILURE)
        self.assertEqual(
            lost.failure_reason_id,
            self.env.ref("r2_crm.failure_reason_price"),
            "Za wysoka cena is the Polish name of a reason Odoo has",
        )
        self.assertEqual(lost.amount_total, 12300.0)

        intake = repair.contact_ids.filtered(lambda note: note.result_id == self.s1)
        self.assertEqual(intake.date, "2026-11-12 08:15:00", "09:15 in Warsaw")
        self.assertEqual(intake.user_id.login, "admin")
        task = repair.contact_ids.filtered(lambda note: note.type == rules.TASK)
        self.assertEqual(task.date_deadline, "2026-12-02")
        self.assertFalse(task.done)
        self.assertTrue(task.task_activity_id, "an open task is in the activity menu")
        finished = self.Contact.search([("name", "=", "Zadzwonić w sprawie oferty")])
        self.assertTrue(finished.done)
        self.assertFalse(finished.task_activity_id)

        unknown = self.Contact.search([("name", "=", "Kasa odebrana po naprawie")])
        self.assertEqual(unknown.user_id, self.manager)
        self.assertIn("Row 5: user Jan Nowicki is unknown", contacts.log)

    def test_utf8_with_bom(self):
        self.check_samples(*self.import_samples())

    def test_windows_1250(self):
        data = sample("kontakty_wzor.csv")
        self.assertIn(b"\xef\xbb\xbf", data[:3], "the sample is UTF-8 with BOM")
        self.check_samples(
            *self.import_samples(lambda data: data.decode("utf-8-sig").encode("cp1250"))
        )

    def test_xlsx(self):
        self.check_samples(*self.import_samples(as_xlsx, "export.xlsx"))

    def test_a_second_import_changes_nothing(self):
        self.import_samples()
        counts = (self.Case.search_count([]), self.Contact.search_count([]))
        partners = self.env["res.partner"].search_count([])
        cases, contacts = self.import_samples()
        self.assertEqual(self.figures(cases), (5, 0, 0, 0), cases.log)
        self.assertEqual(self.figures(contacts), (7, 0, 0, 0), contacts.log)
        self.assertEqual(
            (self.Case.search_count([]), self.Contact.search_count([])), counts
        )
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_a_later_export_updates_and_closes_what_changed(self):
        self.import_samples()
        later = (
            sample("sprawy_wzor.csv")
            .decode("utf-8-sig")
            .replace(
                "12.11.2026;26.11.2026;otwarty;;",
                "12.11.2026;30.11.2026;sukces;28.11.2026;",
            )
        )
        wizard = self.run_import(r2faktury.CASES, later.encode("utf-8"))
        self.assertEqual(self.figures(wizard), (5, 0, 1, 0), wizard.log)
        repair = self.case("SRV/2026/00118")
        self.assertEqual(
            (repair.state, repair.date_closed, repair.date_deadline),
            (rules.SUCCESS, "2026-11-28", "2026-11-30"),
        )
        reopened = later.replace("30.11.2026;sukces;28.11.2026", "30.11.2026;otwarty;")
        wizard = self.run_import(r2faktury.CASES, reopened.encode("utf-8"))
        self.assertEqual(wizard.error_count, 1)
        self.assertIn("SRV/2026/00118 is already closed in Odoo", wizard.log)
        self.assertEqual(self.case("SRV/2026/00118").state, rules.SUCCESS)

    def test_a_dry_run_writes_nothing_and_reports_the_same(self):
        counts = (
            self.Case.search_count([]),
            self.Contact.search_count([]),
            self.env["res.partner"].search_count([]),
            self.env["r2.crm.failure.reason"].search_count([]),
        )
        dry = self.run_import(r2faktury.CASES, sample("sprawy_wzor.csv"), dry_run=True)
        self.assertEqual(self.figures(dry), (5, 5, 0, 0), dry.log)
        self.assertIn("customer Serwis Komputerowy Bajt s.c. was created", dry.log)
        self.assertEqual(
            (
                self.Case.search_count([]),
                self.Contact.search_count([]),
                self.env["res.partner"].search_count([]),
                self.env["r2.crm.failure.reason"].search_count([]),
            ),
            counts,
        )
        dry.action_import_for_real()
        self.assertFalse(dry.dry_run)
        self.assertEqual(self.figures(dry), (5, 5, 0, 0), dry.log)
        self.assertTrue(self.case("SRV/2026/00118"))


class TestFaithfulImport(ImportCase):
    def test_the_numbering_continues_after_the_imported_numbers(self):
        # other tests drew numbers: start the years of the samples afresh
        for code in ("r2.crm.case.service", "r2.crm.case.sale"):
            sequence = self.env["ir.sequence"].search([("code", "=", code)])
            for year in ("2025", "2026"):
                counter = sequence.date_range_ids.filtered(
                    lambda rng, year=year: rng.date_from.startswith(year)
                )
                counter.write({"number_next_actual": 1})
        self.import_samples()
        Case = self.Case.sudo(self.manager)
        new = Case.create(
            {
                "purpose": "service",
                "partner_id": self.partner.id,
                "date_open": "2026-12-01",
            }
        )
        self.assertEqual(new.name, "SRV/2026/00119")
        sale = Case.create(
            {
                "purpose": "sale",
                "partner_id": self.partner.id,
                "date_open": "2026-12-01",
            }
        )
        self.assertEqual(sale.name, "SAL/2026/00046")
        older = Case.create(
            {
                "purpose": "service",
                "partner_id": self.partner.id,
                "date_open": "2025-12-20",
            }
        )
        self.assertEqual(older.name, "SRV/2025/00411")

    def test_imported_results_change_no_case(self):
        self.run_import(r2faktury.CASES, sample("sprawy_wzor.csv"))
        cases = self.Case.search_count([])
        data = (
            "Data;Cel;Klient;NIP;Temat;Rezultat;Powiązany z\n"
            "01.10.2026 10:00;serwis;Nowy klient;;Przyjęcie;S1;\n"
            "13.11.2026 10:00;serwis;Kowalski i Syn Sp. z o.o.;7781234563;"
            "Naprawione;S2;SRV/2026/00118\n"
        )
        wizard = self.run_import(r2faktury.CONTACTS, data.encode())
        self.assertEqual(self.figures(wizard), (2, 2, 0, 0), wizard.log)
        self.assertEqual(self.Case.search_count([]), cases, "S1 opened nothing")
        self.assertEqual(self.case("SRV/2026/00118").state, rules.OPEN)
        self.assertFalse(
            self.Contact.search([("name", "=", "Przyjęcie")]).customer_mail_state
        )

    def test_a_batch_the_database_refuses_is_imported_row_by_row(self):
        """Should the one-statement insert of a batch fail, its rows are
        created one by one through the ORM, still without automation."""
        Contact = type(self.Contact)
        calls = []

        def refuse(self, vals_list):
            calls.append(len(vals_list))
            raise psycopg2.IntegrityError("refused batch")

        data = (
            "Data;Klient;Temat;Rezultat\n"
            "01.10.2026 10:00;Nowy klient;Przyjęcie;S1\n"
            "01.10.2026 11:00;Nowy klient;Telefon;\n"
        )
        with patch.object(Contact, "_r2_crm_insert", refuse):
            wizard = self.run_import(r2faktury.CONTACTS, data.encode())
        self.assertEqual(calls, [2])
        self.assertEqual(self.figures(wizard), (2, 2, 0, 0), wizard.log)
        intake = self.Contact.search([("name", "=", "Przyjęcie")])
        self.assertTrue(intake.import_key)
        self.assertFalse(intake.case_id, "S1 opened nothing")

    def test_the_queries_per_row_stay_constant(self):
        """Twice the rows cost twice the queries: no lookup per row grows
        with the file (customers, users, cases and keys are read once)."""
        self.run_import(r2faktury.CASES, sample("sprawy_wzor.csv"))

        def queries(rows):
            lines = ["Data;Klient;NIP;Temat;Powiązany z;Użytkownik"]
            for i in range(rows):
                lines.append(
                    "%02d.0%d.2026 10:%02d;Kowalski i Syn Sp. z o.o.;7781234563;"
                    "Rozmowa %d-%d;%s;admin"
                    % (
                        i % 28 + 1,
                        i % 9 + 1,
                        i % 60,
                        rows,
                        i,
                        "SRV/2026/00118" if i % 2 else "",
                    )
                )
            before = self.cr.sql_log_count
            wizard = self.run_import(
                r2faktury.CONTACTS, "\n".join(lines).encode("cp1250")
            )
            self.assertEqual(wizard.created_count, rows, wizard.log)
            return self.cr.sql_log_count - before

        few, many = queries(20), queries(40)
        # a row costs its savepoint and its release (the batch's INSERT is
        # one for all): one more query a row fails this
        self.assertLessEqual(many - few, 20 * 3, (few, many))

    def test_only_the_import_inserts_in_bulk(self):
        with self.assertRaises(AccessError):
            self.Contact.sudo(self.manager)._r2_crm_insert(
                [{"name": "x", "type": "note", "purpose": "other"}]
            )

    def test_bad_rows_are_reported_and_good_rows_imported(self):
        cases = (
            "Numer;Cel;Klient;NIP;Data otwarcia;Status;Data zamknięcia;"
            "Przyczyna fiaska;Prawdopodobieństwo\n"
            "SRV/2026/00500;serwis;Nowak Test;;01.03.2026;otwarty;;;\n"
            "SRV/2026/00501;serwis;Nieznany;;01.03.2026;otwarty;;;\n"
            "SRV/2026/00502;serwis;Nowak Test;;31.02.2026;otwarty;;;\n"
            "SRV/2026/00503;serwis;Nowak Test;;01.03.2026;sukces;;;\n"
            "SAL/2026/00504;sprzedaż;Nowak Test;;01.03.2026;fiasko;05.03.2026;;\n"
            "SAL/2026/00505;zakup;Nowak Test;;01.03.2026;otwarty;;;\n"
            "SAL/2026/00506;sprzedaż;Nowak Test;;01.03.2026;otwarty;;;150\n"
            "SAL/2026/00507;sprzedaż;Nowak Test;;01.03.2026;fiasko;05.03.2026;"
            "Klient zbankrutował;\n"
        )
        self.env["res.partner"].create({"name": "Nowak Test", "is_company": True})
        wizard = self.run_import(r2faktury.CASES, cases.encode(), create_partners=False)
        self.assertEqual(self.figures(wizard), (8, 2, 0, 6), wizard.log)
        log = wizard.log.splitlines()
        self.assertTrue(log[0].startswith("Row 3: Klient: no customer Nieznany"))
        self.assertTrue(log[1].startswith("Row 4: Data otwarcia: '31.02.2026'"))
        self.assertIn("Row 5: Data zamknięcia: a closed case needs", log[2])
        self.assertIn("Row 6: Przyczyna fiaska: a fiasco needs its reason", log[3])
        self.assertIn("Row 7: Cel: 'zakup' is none of: sprzedaż, serwis, inny", log[4])
        self.assertIn("Row 8: Prawdopodobieństwo: it must be between 0 and 100", log[5])
        self.assertIn("Row 9: fiasco reason Klient zbankrutował was added", log[6])
        self.assertEqual(
            sorted(self.Case.search([("name", "like", "/2026/005")]).mapped("name")),
            ["SAL/2026/00507", "SRV/2026/00500"],
        )

        contacts = (
            "Data;Klient;Temat;Rezultat;Powiązany z;Typ\n"
            "02.03.2026;Nowak Test;Dobry;;SRV/2026/00500;\n"
            "02.03.2026;Nowak Test;Zły kod;Z9;;\n"
            "02.03.2026;Nowak Test;Bez sprawy;;SRV/2026/09999;\n"
            "02.03.2026;Nowak Test;Zły typ;;;spotkanie\n"
        )
        wizard = self.run_import(
            r2faktury.CONTACTS, contacts.encode(), create_partners=False
        )
        self.assertEqual(self.figures(wizard), (4, 1, 0, 3), wizard.log)
        self.assertIn(
            "Row 3: Rezultat: there is no result with the code Z9", wizard.log
        )
        self.assertIn("Row 4: Powiązany z: there is no case", wizard.log)
        self.assertIn(
            "Row 5: Typ: 'spotkanie' is none of: notatka, zadanie", wizard.log
        )
        good = self.Contact.search([("name", "=", "Dobry")])
        self.assertEqual(good.case_id, self.case("SRV/2026/00500"))
        self.assertFalse(self.Contact.search([("name", "in", ["Zły kod", "Zły typ"])]))

    def test_a_namesake_with_another_nip_is_another_customer(self):
        self.env["res.partner"].create(
            {"name": "Nowak Test", "is_company": True, "vat": "PL6761234565"}
        )
        data = "Data;Klient;NIP;Temat\n02.03.2026;Nowak Test;398-259-79-16;Oferta\n"
        wizard = self.run_import(
            r2faktury.CONTACTS, data.encode(), create_partners=False
        )
        self.assertEqual(wizard.error_count, 1)
        wizard = self.run_import(r2faktury.CONTACTS, data.encode())
        note = self.Contact.search([("name", "=", "Oferta")])
        self.assertEqual(note.partner_id.vat, "PL3982597916")

    def test_an_invalid_nip_of_a_new_customer_is_a_row_error(self):
        data = "Data;Klient;NIP;Temat\n02.03.2026;Firma X;1234567890;Oferta\n"
        wizard = self.run_import(r2faktury.CONTACTS, data.encode())
        self.assertEqual(self.figures(wizard), (1, 0, 0, 1), wizard.log)
        self.assertIn("Row 2: ", wizard.log)
        self.assertIn("1234567890", wizard.log)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Firma X")]))


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
        clerk = self.make_user(
            "r2_import_clerk", "r2_crm.r2_crm_group_user_department", "service"
        )
        cases = self.Case.search_count([])
        with self.assertRaises(AccessError):
            self.run_import(r2faktury.CASES, sample("sprawy_wzor.csv"), user=clerk)
        wizard = self.Wizard.create(
            {
                "kind": r2faktury.CASES,
                "data_file": base64.b64encode(sample("sprawy_wzor.csv")),
                "dry_run": False,
            }
        )
        with self.assertRaises(AccessError):
            wizard.sudo(clerk).action_import()
        self.assertEqual(self.Case.search_count([]), cases)
        self.assertNotIn(
            self.env.ref("r2_crm.r2_crm_import_menu"),
            self.env["ir.ui.menu"].sudo(clerk).search([]),
        )

    def test_a_context_flag_opens_no_door(self):
        clerk = self.make_user(
            "r2_import_clerk2", "r2_crm.r2_crm_group_user_department", "service"
        )
        note = (
            self.Contact.sudo(clerk)
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


def xlsx_with(rows, extra_row_xml="", dimension=None):
    """A spreadsheet of ``rows`` (openpyxl), then its sheet's XML changed as a
    hand-made or hostile file would have it: ``extra_row_xml`` appended to the
    sheet's data, ``dimension`` declared instead of the real range."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    made = io.BytesIO()
    book.save(made)
    source = zipfile.ZipFile(io.BytesIO(made.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().replace(
                    "</sheetData>", extra_row_xml + "</sheetData>"
                )
                if dimension:
                    text = re.sub(
                        r'<dimension ref="[^"]*"\s*/>',
                        '<dimension ref="%s"/>' % dimension,
                        text,
                    )
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


CASE_HEADER = ["Numer", "Cel", "Klient", "Data otwarcia", "Wartość", "Opis"]


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
