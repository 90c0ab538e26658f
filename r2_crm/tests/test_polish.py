from odoo.exceptions import ValidationError

from .common import R2CrmTestCase


class TestPolish(R2CrmTestCase):
    """The module speaks Polish: menus, selection labels and the protocols."""

    @classmethod
    def setUpClass(cls):
        super(TestPolish, cls).setUpClass()
        lang = (
            cls.env["res.lang"]
            .with_context(active_test=False)
            .search([("code", "=", "pl_PL")])
        )
        if not lang.active:
            cls.env["res.lang"].load_lang("pl_PL")
        cls.env["ir.translation"].load_module_terms(["r2_crm"], ["pl_PL"])
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
                "r2_crm_case_menu",
                "r2_crm_campaign_menu",
                "r2_crm_menu_my_tasks",
            )
        }
        self.assertEqual(names["r2_crm_contact_menu"], "Kontakty")
        self.assertEqual(names["r2_crm_case_menu"], "Kontrakty/Sprawy")
        self.assertEqual(names["r2_crm_campaign_menu"], "Kampanie")
        self.assertEqual(names["r2_crm_menu_my_tasks"], "Moje zadania na dziś")

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
