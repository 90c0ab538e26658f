"""Switching from R2faktury (#16): the import of its KONTAKTY and
KONTRAKTY/SPRAWY exports as the CRM manager runs it, faithful to the old
program's history."""

from unittest.mock import patch

import psycopg2

from odoo.exceptions import AccessError, UserError

from .. import r2faktury, rules

from ..wizards.r2_crm_import_run import one_full_stop
from .importing import ImportCase, as_xlsx, sample


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
        self.assertIn("nothing was written", dry.outcome)
        dry.action_import_for_real()
        self.assertFalse(dry.dry_run)
        self.assertEqual(self.figures(dry), (5, 5, 0, 0), dry.log)
        self.assertTrue(self.case("SRV/2026/00118"))
        self.assertEqual(
            dry.outcome,
            "Imported: 5 records created and 0 updated; 0 rows with errors were "
            "not imported.",
        )
        # the next file starts as a dry run again
        dry.action_back()
        self.assertTrue(dry.dry_run)
        self.assertEqual(dry.state, "draft")

    def test_a_remark_ends_with_one_full_stop(self):
        self.assertEqual(
            one_full_stop("utworzono klienta Bajt s.c.."), "utworzono klienta Bajt s.c."
        )
        self.assertEqual(one_full_stop("dodano przyczynę."), "dodano przyczynę.")


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

    def test_a_fiasco_r2faktury_kept_without_a_reason_is_imported(self):
        cases = (
            "Numer;Cel;Klient;Data otwarcia;Status;Data zamknięcia;Przyczyna fiaska\n"
            "SAL/2025/00901;sprzedaż;Bez Powodu;01.03.2025;fiasko;05.03.2025;\n"
            "SAL/2025/00902;sprzedaż;Bez Powodu;02.03.2025;fiasko;06.03.2025;\n"
        )
        wizard = self.run_import(r2faktury.CASES, cases.encode())
        self.assertEqual(self.figures(wizard)[1], 2, wizard.log)
        imported = self.Case.search(
            [("name", "in", ["SAL/2025/00901", "SAL/2025/00902"])]
        )
        reason = imported.mapped("failure_reason_id")
        self.assertEqual(len(imported), 2)
        self.assertEqual(reason.name, "Nie podano w R2faktury")
        self.assertTrue(reason.is_imported)
        self.assertEqual(
            wizard.log.count("without a reason in R2faktury"), 1, wizard.log
        )
        # a fiasco made in Odoo still needs its reason
        case = self.Case.create({"purpose": "sale", "partner_id": self.partner.id})
        with self.assertRaises(UserError), self.cr.savepoint():
            case._r2_crm_transition("fiasco", reason=False)
        self.assertEqual(case.state, rules.OPEN)

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
        self.assertEqual(self.figures(wizard), (8, 3, 0, 5), wizard.log)
        log = wizard.log.splitlines()
        self.assertTrue(log[0].startswith("Row 3: Klient: no customer Nieznany"))
        self.assertTrue(log[1].startswith("Row 4: Data otwarcia: '31.02.2026'"))
        self.assertIn("Row 5: Data zamknięcia: a closed case needs", log[2])
        self.assertIn("Row 6: a fiasco without a reason in R2faktury gets", log[3])
        self.assertIn("Row 7: Cel: 'zakup' is none of: sprzedaż, serwis, inny", log[4])
        self.assertIn("Row 8: Prawdopodobieństwo: it must be between 0 and 100", log[5])
        self.assertIn("Row 9: fiasco reason Klient zbankrutował was added", log[6])
        self.assertEqual(
            sorted(self.Case.search([("name", "like", "/2026/005")]).mapped("name")),
            ["SAL/2026/00504", "SAL/2026/00507", "SRV/2026/00500"],
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
