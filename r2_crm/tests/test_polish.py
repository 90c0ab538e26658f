from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

from .common import R2CrmPolishCase


class TestPolish(R2CrmPolishCase):
    """The module speaks Polish: menus, selection labels and the protocols."""

    @classmethod
    def setUpClass(cls):
        super(TestPolish, cls).setUpClass()

    def test_menus_in_polish(self):
        menus = (
            self.env["ir.ui.menu"].sudo(self.service_clerk).with_context(lang="pl_PL")
        )
        names = {
            xmlid: menus.browse(self.env.ref("r2_crm.%s" % xmlid).id).name
            for xmlid in (
                "r2_crm_contact_menu",
                "r2_crm_case_menu_section",
                "r2_crm_case_menu_service",
                "r2_crm_case_menu_sale",
                "r2_crm_campaign_menu",
                "r2_crm_menu_my_tasks",
            )
        }
        self.assertEqual(
            names,
            {
                "r2_crm_contact_menu": "Kontakty",
                "r2_crm_case_menu_section": "Kontrakty/Sprawy",
                "r2_crm_case_menu_service": "Sprawy serwisowe",
                "r2_crm_case_menu_sale": "Kontrakty sprzedażowe",
                "r2_crm_campaign_menu": "Kampanie",
                "r2_crm_menu_my_tasks": "Moje zadania na dziś",
            },
        )

    def test_state_and_purpose_labels_in_polish(self):
        fields = (
            self.Case.sudo(self.service_clerk)
            .with_context(lang="pl_PL")
            .fields_get(["state", "purpose", "days_left"])
        )
        self.assertEqual(
            dict(fields["state"]["selection"]),
            {"open": "otwarty", "success": "sukces", "failure": "fiasko"},
        )
        self.assertEqual(dict(fields["purpose"]["selection"])["service"], "serwis")
        self.assertEqual(fields["state"]["string"], "Status")
        contact_fields = self.Contact.with_context(lang="pl_PL").fields_get(
            ["type", "case_id", "result_id", "history_ids"]
        )
        self.assertEqual(
            dict(contact_fields["type"]["selection"]),
            {"note": "notatka", "task": "zadanie"},
        )
        self.assertEqual(contact_fields["case_id"]["string"], "Powiązany z")
        self.assertEqual(contact_fields["result_id"]["string"], "Rezultat")
        self.assertEqual(contact_fields["history_ids"]["string"], "Historia")

    def test_results_in_polish(self):
        self.assertEqual(self.s1.with_context(lang="pl_PL").name, "przyjęty do naprawy")
        self.assertEqual(self.s2.with_context(lang="pl_PL").name, "załatwiony")

    def test_protocol_prints_in_the_customers_language(self):
        opening = self.note(result_id=self.s1.id)
        html = (
            self.env.ref("r2_crm.r2_crm_report_intake_protocol")
            .render_qweb_html(opening.ids)[0]
            .decode()
        )
        self.assertIn("Protokół otwarcia usługi serwisowej", html)
        self.assertNotIn("Service intake protocol", html)

    def test_error_messages_in_polish(self):
        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            self.Contact.sudo(self.service_clerk).with_context(lang="pl_PL").create(
                {
                    "purpose": "service",
                    "partner_id": self.partner.id,
                    "name": "x",
                    "result_id": self.s2.id,
                }
            )
        self.assertIn("nie jest powiązana z żadną sprawą", error.exception.name)


class TestPolishShop(R2CrmPolishCase):
    """A Polish shop's day, as its Polish clerks live it."""

    @classmethod
    def setUpClass(cls):
        super(TestPolishShop, cls).setUpClass()
        cls.intake = cls.env.ref("r2_crm.r2_crm_report_intake_protocol")

    def test_protocol_speaks_the_customers_language_and_so_does_its_file(self):
        foreign = self.env["res.partner"].create(
            {"name": "Baltic Retail Ltd.", "lang": "en_US"}
        )
        for partner, heading, filename in (
            (self.partner, "Protokół otwarcia usługi serwisowej", "Protokół przyjęcia"),
            (foreign, "Service intake protocol", "Intake protocol"),
        ):
            note = self.note(
                self.service_clerk, partner_id=partner.id, result_id=self.s1.id
            )
            note = note.with_context(lang="pl_PL")
            html = (
                self.intake.sudo(self.service_clerk)
                .render_qweb_html(note.ids)[0]
                .decode()
            )
            self.assertIn(heading, html)
            name = safe_eval(self.intake.print_report_name, {"object": note})
            self.assertEqual(
                name, "%s %s" % (filename, note.case_id.name.replace("/", "-"))
            )

    def test_without_the_customers_language_the_shops_is_used(self):
        customer = self.env["res.partner"].create({"name": "Bez języka"})
        customer.lang = False
        self.env.user.company_id.partner_id.lang = "pl_PL"
        note = self.note(
            self.service_clerk, partner_id=customer.id, result_id=self.s1.id
        )
        html = self.intake.render_qweb_html(note.ids)[0].decode()
        self.assertIn("Protokół otwarcia usługi serwisowej", html)

    def test_case_numbers_restart_every_year(self):
        Case = self.Case.sudo(self.service_clerk).with_context(lang="pl_PL")

        def open_case(day):
            return Case.create(
                {"purpose": "service", "partner_id": self.partner.id, "date_open": day}
            )

        first_2026 = open_case("2026-05-01")
        second_2026 = open_case("2026-12-31")
        first_2027 = open_case("2027-01-02")
        self.assertEqual(second_2026.name[:9], "SRV/2026/")
        self.assertEqual(int(second_2026.name[-5:]), int(first_2026.name[-5:]) + 1)
        self.assertEqual(first_2027.name, "SRV/2027/00001")
        self.assertEqual(open_case("2027-03-01").name, "SRV/2027/00002")

    def test_numbering_continues_after_numbers_already_given(self):
        """An upgraded database (or an import) has numbers of this year already:
        the yearly range continues after the highest of them."""
        for number in ("SRV/2031/00041", "SRV/2031/00007"):
            case = self.Case.create(
                {"purpose": "service", "partner_id": self.partner.id}
            )
            self.env.cr.execute(
                "UPDATE r2_crm_case SET name = %s, date_open = '2031-01-05' "
                "WHERE id = %s",
                (number, case.id),
            )
        self.Case._r2_crm_sync_number_ranges()
        later = self.Case.sudo(self.service_clerk).create(
            {
                "purpose": "service",
                "partner_id": self.partner.id,
                "date_open": "2031-02-01",
            }
        )
        self.assertEqual(later.name, "SRV/2031/00042")

    def test_a_service_case_made_by_hand_gets_the_default_deadline(self):
        self.env.user.company_id.r2_crm_case_deadline_days = 10
        case = self.Case.sudo(self.service_clerk).create(
            {
                "purpose": "service",
                "partner_id": self.partner.id,
                "date_open": "2026-04-01",
            }
        )
        self.assertEqual(case.date_deadline, "2026-04-11")
        contract = self.Case.create(
            {
                "purpose": "sale",
                "partner_id": self.partner.id,
                "date_open": "2026-04-01",
            }
        )
        self.assertFalse(contract.date_deadline, "a sales contract has its own")

    def test_polish_amounts_and_dates(self):
        polish = self.env["res.lang"].search([("code", "=", "pl_PL")])
        self.assertEqual(polish.format("%.2f", 3100.0, grouping=True), "3\u00a0100,00")
        self.assertEqual(polish.date_format, "%d.%m.%Y")
        self.assertEqual(polish.time_format, "%H:%M", "no seconds in the lists")
