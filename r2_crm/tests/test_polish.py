from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.safe_eval import safe_eval

from .common import R2CrmTestCase


class TestPolish(R2CrmTestCase):
    """The module speaks Polish: menus, selection labels and the protocols."""

    @classmethod
    def setUpClass(cls):
        super(TestPolish, cls).setUpClass()
        cls.install_polish()
        cls.service_user.lang = "pl_PL"
        cls.partner.lang = "pl_PL"

    def test_menus_in_polish(self):
        menus = (
            self.env["ir.ui.menu"].sudo(self.service_user).with_context(lang="pl_PL")
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
            self.Case.sudo(self.service_user)
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
            self.Contact.sudo(self.service_user).with_context(lang="pl_PL").create(
                {
                    "purpose": "service",
                    "partner_id": self.partner.id,
                    "name": "x",
                    "result_id": self.s2.id,
                }
            )
        self.assertIn("nie jest powiązana z żadną sprawą", error.exception.name)


class TestPolishShop(R2CrmTestCase):
    """A Polish shop's day, as its Polish clerks live it."""

    @classmethod
    def setUpClass(cls):
        super(TestPolishShop, cls).setUpClass()
        cls.install_polish()
        cls.service_user.lang = "pl_PL"
        cls.partner.lang = "pl_PL"
        cls.clerk = cls.make_user(
            "r2_pl_service", "r2_crm.r2_crm_group_user_department", "service"
        )
        cls.clerk.lang = "pl_PL"
        cls.intake = cls.env.ref("r2_crm.r2_crm_report_intake_protocol")

    def test_protocol_speaks_the_customers_language_and_so_does_its_file(self):
        foreign = self.env["res.partner"].create(
            {"name": "Baltic Retail Ltd.", "lang": "en_US"}
        )
        for partner, heading, filename in (
            (self.partner, "Protokół otwarcia usługi serwisowej", "Protokół przyjęcia"),
            (foreign, "Service intake protocol", "Intake protocol"),
        ):
            note = self.note(self.clerk, partner_id=partner.id, result_id=self.s1.id)
            note = note.with_context(lang="pl_PL")
            html = self.intake.sudo(self.clerk).render_qweb_html(note.ids)[0].decode()
            self.assertIn(heading, html)
            name = safe_eval(self.intake.print_report_name, {"object": note})
            self.assertEqual(
                name, "%s %s" % (filename, note.case_id.name.replace("/", "-"))
            )

    def test_without_the_customers_language_the_shops_is_used(self):
        customer = self.env["res.partner"].create({"name": "Bez języka"})
        customer.lang = False
        self.env.user.company_id.partner_id.lang = "pl_PL"
        note = self.note(self.clerk, partner_id=customer.id, result_id=self.s1.id)
        html = self.intake.render_qweb_html(note.ids)[0].decode()
        self.assertIn("Protokół otwarcia usługi serwisowej", html)

    def test_case_numbers_restart_every_year(self):
        Case = self.Case.sudo(self.clerk).with_context(lang="pl_PL")

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
        later = self.Case.sudo(self.clerk).create(
            {
                "purpose": "service",
                "partner_id": self.partner.id,
                "date_open": "2031-02-01",
            }
        )
        self.assertEqual(later.name, "SRV/2031/00042")

    def test_a_service_case_made_by_hand_gets_the_default_deadline(self):
        self.env.user.company_id.r2_crm_case_deadline_days = 10
        case = self.Case.sudo(self.clerk).create(
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


class TestHomeActionForEveryCrmUser(R2CrmTestCase):
    """Today's tasks greet every CRM user at start (R2faktury: at program start)."""

    def tasks_action(self):
        return self.env.ref("r2_crm.r2_crm_contact_action_my_tasks_today")

    def test_a_user_granted_crm_rights_later(self):
        user = self.make_user("r2_later_crm", "base.group_user")
        self.assertFalse(user.action_id)
        user.write(
            {"groups_id": [(4, self.env.ref("r2_crm.r2_crm_group_user_department").id)]}
        )
        self.assertEqual(user.action_id.id, self.tasks_action().id)

    def test_a_user_whose_home_action_another_module_set(self):
        other = self.env.ref("base.action_res_users")
        user = self.make_user("r2_other_home", "base.group_user", action_id=other.id)
        self.assertEqual(user.action_id.id, other.id)
        user.write({"groups_id": [(4, self.env.ref("r2_crm.r2_crm_group_user").id)]})
        self.assertEqual(user.action_id.id, self.tasks_action().id)

    def test_a_given_home_action_is_kept_and_the_preference_holds(self):
        other = self.env.ref("base.action_res_users")
        user = self.make_user(
            "r2_chosen_home", "r2_crm.r2_crm_group_user_department", action_id=other.id
        )
        self.assertEqual(user.action_id.id, other.id)
        user.r2_crm_tasks_at_start = True
        user.write({"r2_crm_department": "sale"})
        self.assertEqual(user.action_id.id, self.tasks_action().id)


class TestSalesClerkInvoices(R2CrmTestCase):
    """A sales clerk drafts the invoice of his own contract; billing validates."""

    @classmethod
    def setUpClass(cls):
        super(TestSalesClerkInvoices, cls).setUpClass()
        cls.install_polish()
        cls.clerk = cls.make_user(
            "r2_pl_sales", "r2_crm.r2_crm_group_user_department", "sale"
        )
        cls.clerk.lang = "pl_PL"
        cls.billing = cls.make_user("r2_pl_billing", "account.group_account_invoice")
        cls.product = cls.env["product.product"].create(
            {"name": "Kasa fiskalna", "lst_price": 1890.0}
        )
        cls.contract = (
            cls.env["r2.crm.case"]
            .sudo(cls.clerk)
            .create(
                {
                    "purpose": "sale",
                    "partner_id": cls.partner.id,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": cls.product.id,
                                "name": "Kasa",
                                "price_unit": 1890.0,
                            },
                        )
                    ],
                }
            )
        )

    def test_the_clerk_drafts_the_invoice_of_his_contract(self):
        self.assertFalse(self.clerk.has_group("account.group_account_invoice"))
        contract = self.contract.sudo(self.clerk).with_context(lang="pl_PL")
        action = contract.action_create_invoice()
        invoice = self.env["account.invoice"].sudo(self.clerk).browse(action["res_id"])
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.r2_crm_case_id, self.contract)
        self.assertAlmostEqual(invoice.amount_untaxed, 1890.0)
        # the invoice form opens for him, every field of it
        view = invoice.fields_view_get(view_id=action["views"][0][0], view_type="form")
        self.assertEqual(invoice.read(list(view["fields"]))[0]["id"], invoice.id)
        with self.assertRaises(UserError) as caught, self.cr.savepoint():
            invoice.with_context(lang="pl_PL").action_invoice_open()
        self.assertIn("zatwierdzają", caught.exception.name)
        self.assertEqual(invoice.state, "draft")
        invoice.sudo(self.billing).action_invoice_open()
        self.assertEqual(invoice.state, "open")
        with self.assertRaises(AccessError), self.cr.savepoint():
            invoice.write({"comment": "changed after validation"})

    def test_a_contract_without_products_says_why(self):
        empty = self.Case.sudo(self.clerk).create(
            {"purpose": "sale", "partner_id": self.partner.id}
        )
        with self.assertRaises(UserError) as caught:
            empty.with_context(lang="pl_PL").action_create_invoice()
        self.assertIn(empty.name, caught.exception.name)

    def test_other_departments_invoices_stay_closed_to_him(self):
        other = self.env["account.invoice"].create(
            {"partner_id": self.partner.id, "type": "out_invoice"}
        )
        with self.assertRaises(AccessError), self.cr.savepoint():
            other.sudo(self.clerk).write({"comment": "not mine"})
