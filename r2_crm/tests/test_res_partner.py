"""A walk-in customer is added where the clerk works (#24): every CRM user
creates and edits customers from the note and the case; only managers delete."""

from odoo.exceptions import AccessError

from .common import R2CrmTestCase


class TestWalkInCustomer(R2CrmTestCase):
    def test_the_clerk_quick_creates_a_customer_on_the_note(self):
        for clerk in (self.service_clerk, self.sales_clerk):
            Partner = self.env["res.partner"].sudo(clerk)
            partner_id, _name = Partner.name_create("Klient z ulicy %s" % clerk.login)
            note = self.note(clerk, partner_id=partner_id, purpose="other")
            self.assertEqual(note.partner_id.name, "Klient z ulicy %s" % clerk.login)

    def test_the_clerk_fills_in_the_customers_details_and_may_not_delete(self):
        Partner = self.env["res.partner"].sudo(self.service_clerk)
        partner = Partner.create({"name": "Zakład Fryzjerski Ania", "is_company": True})
        partner.write(
            {
                "street": "ul. Długa 5",
                "zip": "61-001",
                "city": "Poznań",
                "phone": "+48 600 100 200",
                "email": "ania@fryzjer.test",
                "vat": "PL7792345013",
            }
        )
        self.assertEqual(partner.sudo().city, "Poznań")
        self.note(self.service_clerk, partner_id=partner.id, result_id=self.s1.id)
        with self.assertRaises(AccessError), self.cr.savepoint():
            partner.unlink()
        self.assertTrue(partner.exists())
        self.assertTrue(
            self.env["res.partner"].sudo(self.manager).check_access_rights("unlink")
        )

    def test_the_customer_added_at_the_counter_has_a_polish_history(self):
        self.install_polish()
        Partner = (
            self.env["res.partner"]
            .sudo(self.service_clerk)
            .with_context(
                lang="pl_PL",
                tracking_disable=False,
                mail_create_nolog=False,
                r2_crm_walk_in=True,
            )
        )
        partner = Partner.browse(Partner.name_create("Pani Zofia z ulicy")[0])
        messages = partner.sudo().message_ids
        self.assertEqual(len(messages), 1, messages.mapped("body"))
        self.assertIn("Klient dodany w CRM (R2) przez", messages.body)
        self.assertEqual(messages.author_id, self.service_clerk.partner_id)

    def test_the_case_takes_a_customer_made_by_its_clerk(self):
        partner_id = (
            self.env["res.partner"].sudo(self.sales_clerk).name_create("Nowy Sklep")[0]
        )
        case = self.Case.sudo(self.sales_clerk).create(
            {"purpose": "sale", "partner_id": partner_id}
        )
        self.assertEqual(case.partner_id.name, "Nowy Sklep")
