"""Warranty repairs (#26): proposed from the device's warranty date or a
repeat repair, the clerk's to change while the case is open; no quote, no
invoice, and protocols that say so."""

from odoo.exceptions import UserError, ValidationError

from .quoting import QuoteCase


class TestWarranty(QuoteCase):
    def device(self, serial, warranty_until):
        return self.env["r2.crm.device"].create(
            {
                "serial": serial,
                "warranty_until": warranty_until,
                "partner_id": self.partner.id,
            }
        )

    def intake(self, serial, day):
        return self.repair(lines=False, device_serial=serial, date="%s 09:00:00" % day)

    def test_the_devices_warranty_on_the_intake_date_proposes_a_warranty_repair(self):
        self.device("W-LAST-DAY", "2026-06-30")
        self.device("W-EXPIRED", "2026-06-29")
        self.device("W-NONE", False)
        self.assertTrue(self.intake("W-LAST-DAY", "2026-06-30").warranty)
        self.assertFalse(self.intake("W-EXPIRED", "2026-06-30").warranty)
        self.assertFalse(self.intake("W-NONE", "2026-06-30").warranty)

    def test_a_repeat_repair_is_proposed_as_warranty(self):
        first = self.intake("R-1", "2026-05-01")
        self.assertFalse(first.warranty)
        first._r2_crm_transition("success")  # closed today: back within 30 days
        again = self.repair(lines=False, device_serial="R-1")
        self.assertTrue(again.is_repeat)
        self.assertTrue(again.warranty)

    def test_the_clerk_changes_it_while_the_case_is_open_only(self):
        case = self.intake("W-CHANGE", "2026-06-30")
        case.warranty = True
        case.warranty = False
        self.add_line(case, self.labour, 1)
        case.warranty = True
        case._r2_crm_transition("success")
        with self.assertRaises(UserError), self.cr.savepoint():
            case.with_context(lang="pl_PL").warranty = False
        self.assertTrue(case.warranty)
        contract = self.Case.sudo(self.sales_clerk).create(
            {"purpose": "sale", "partner_id": self.partner.id}
        )
        with self.assertRaises(ValidationError), self.cr.savepoint():
            contract.warranty = True

    def test_a_quote_with_the_customer_is_answered_before_the_warranty(self):
        case = self.repair()
        case.with_context(mail_notify_force_send=False).action_send_quote()
        with self.assertRaises(UserError), self.cr.savepoint():
            case.warranty = True
        self.assertFalse(case.warranty)

    def test_a_warranty_case_has_no_quote_and_is_never_invoiced(self):
        self.company.r2_crm_invoice_on_s2 = True
        self.device("W-FREE", "2099-12-31")
        case = self.repair(device_serial="W-FREE")
        self.assertTrue(case.warranty)
        with self.assertRaises(UserError):
            case.action_send_quote()
        with self.assertRaises(UserError):
            case.action_quote_accept()
        closing = self.note(case_id=case.id, result_id=self.s2.id, name="Wydanie")
        self.assertEqual(case.state, "success")
        self.assertFalse(case.sudo().invoice_ids, "S2 invoices no warranty repair")
        with self.assertRaises(UserError) as caught:
            case.with_context(lang="pl_PL").action_create_invoice()
        self.assertIn("naprawa gwarancyjna", caught.exception.name)
        # its protocols say so, and print no amounts
        for xmlid, note in (
            (
                "r2_crm.r2_crm_report_intake_protocol",
                case._r2_crm_protocol_note("intake"),
            ),
            ("r2_crm.r2_crm_report_completion_protocol", closing),
        ):
            html = (
                self.env.ref(xmlid)
                .sudo(self.service_clerk)
                .render_qweb_html(note.ids)[0]
                .decode()
            )
            self.assertIn("Naprawa gwarancyjna", html, xmlid)
            self.assertNotIn("r2_crm_lines", html, xmlid)
            self.assertNotIn("Brutto", html, xmlid)
