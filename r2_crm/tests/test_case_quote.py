"""The repair quote (#26) as the service clerk: parts and labour with VAT,
the quote's PDF in Polish, sending it (the case waits for the customer), the
customer's answer at the counter, and lines changed after it."""

import base64
import logging

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import rules
from .common import SIGNATURE, failing_printer
from .quoting import QuoteCase

# what the mail queue would send: keep it queued, as the shop's server would
QUEUE = {"mail_notify_force_send": False, "mail_auto_delete": False}
QUOTE_LOGGER = "odoo.addons.r2_crm.models.r2_crm_case_quote"


class TestLinesAndAmounts(QuoteCase):
    def test_lines_take_the_products_vat_and_the_case_sums_net_vat_gross(self):
        case = self.repair()
        self.assertEqual(case.line_ids.mapped("tax_ids"), self.vat)
        self.assertAlmostEqual(case.amount_total, 429.0)
        self.assertAlmostEqual(case.amount_tax, 98.67)
        self.assertAlmostEqual(case.amount_gross, 527.67)
        labour = case.line_ids.filtered(lambda line: line.product_id == self.labour)
        self.assertEqual(labour.uom_id, self.env.ref("product.product_uom_hour"))
        self.assertAlmostEqual(labour.price_total, 295.2)
        # a line without taxes, as an integrator may send it
        case.write({"line_ids": [(0, 0, {"name": "Dojazd", "price_unit": 50.0})]})
        self.assertAlmostEqual(case.amount_total, 479.0)
        self.assertAlmostEqual(case.amount_gross, 577.67)

    def test_a_sales_contract_has_the_same_three_amounts(self):
        contract = self.Case.sudo(self.sales_clerk).create(
            {"purpose": "sale", "partner_id": self.partner.id, "probability": 50}
        )
        self.add_line(contract, self.part, 2)
        self.assertAlmostEqual(contract.amount_total, 378.0)
        self.assertAlmostEqual(contract.amount_tax, 86.94)
        self.assertAlmostEqual(contract.amount_gross, 464.94)
        self.assertAlmostEqual(contract.amount_weighted, 189.0, msg="net, weighted")

    def test_the_products_page_shows_parts_and_labour_on_a_service_case(self):
        form = (
            self.env["r2.crm.case"]
            .sudo(self.service_clerk)
            .fields_view_get(view_type="form")
        )
        page = etree.fromstring(form["arch"]).xpath("//page[@name='products']")[0]
        self.assertNotIn("purpose", page.get("modifiers", ""))
        self.assertTrue(page.xpath(".//field[@name='line_ids']"))
        lines = form["fields"]["line_ids"]["views"]["tree"]["arch"]
        self.assertIn('name="tax_ids"', lines)


class TestSendQuote(QuoteCase):
    def test_the_quote_pdf_is_polish_with_its_lines_and_totals(self):
        case = self.repair()
        report = self.env.ref("r2_crm.r2_crm_report_repair_quote").sudo(
            self.service_clerk
        )
        self.assertEqual(report.report_name, "r2_crm.report_repair_quote")
        with self.real_pdfs():
            pdf, kind = report.with_context(lang="pl_PL").render_qweb_pdf(case.ids)
            # printed for the Polish customer by an English-speaking user
            sent = case.with_context(lang="en_US")._r2_crm_render_quote()
        self.assertEqual(kind, "pdf")
        text = self.pdf_text(pdf)
        self.assertEqual(self.pdf_text(sent), text)
        for expected in (
            "Kosztorys naprawy %s" % case.name,
            "Numer seryjny: %s" % case.device_serial,
            "Klawiatura T480",
            "Robocizna serwisowa",
            "VAT-23% (test)",
            "Netto",
            "429,00",
            "98,67",
            "Brutto",
            "527,67",
            "Ważny do:",
            "(14 dni)",
        ):
            self.assertIn(expected, text)
        self.assertEqual(
            case._r2_crm_quote_filename(), "Kosztorys %s" % case.name.replace("/", "-")
        )

    def test_sending_mails_the_quote_and_the_case_waits_for_the_customer(self):
        case = self.repair()
        self.assertEqual(case.quote_state, "draft")
        with self.frozen_today(self.d(2026, 12, 4)):
            case.with_context(**QUEUE).action_send_quote()
        self.assertEqual(case.quote_state, "sent")
        self.assertEqual(case.quote_sent_on, "2026-12-04")
        self.assertEqual(case.quote_valid_until, "2026-12-18")
        self.assertTrue(case.waiting)
        self.assertEqual(case.waiting_reason, rules.WAIT_CUSTOMER)
        self.assertEqual(case.wiek_state, rules.WIEK_WAITING)
        mail = self.env["mail.mail"].search(
            [("model", "=", "r2.crm.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.partner)
        self.assertIn("kosztorys naprawy", mail.subject)
        self.assertIn(case.name, mail.subject)
        self.assertIn(
            "/my/cases/%d?access_token=%s" % (case.id, case.sudo().access_token),
            mail.body_html,
        )
        self.assertIn("527,67", mail.body_html)
        self.assertEqual(
            mail.attachment_ids.mapped("name"),
            ["Kosztorys %s.pdf" % case.name.replace("/", "-")],
        )
        self.assertIn(case.name, base64.b64decode(mail.attachment_ids.datas).decode())

    def test_the_company_decides_how_long_a_quote_holds(self):
        self.company.r2_crm_quote_days = 30
        case = self.repair()
        with self.frozen_today(self.d(2026, 12, 4)):
            case.with_context(**QUEUE).action_send_quote()
        self.assertEqual(case.quote_valid_until, "2027-01-03")
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.company.r2_crm_quote_days = 0

    def test_a_case_waiting_for_parts_now_waits_for_the_customer(self):
        case = self.repair()
        case._r2_crm_transition("wait", reason=rules.WAIT_PARTS)
        case.with_context(**QUEUE).action_send_quote()
        self.assertEqual(case.waiting_reason, rules.WAIT_CUSTOMER)

    def test_what_cannot_be_quoted_is_refused_and_nothing_is_saved(self):
        empty = self.repair(lines=False).with_context(lang="pl_PL")
        self.assertRefusedAndNothingSaved(
            UserError, "nie ma jeszcze części ani robocizny", empty.action_send_quote
        )
        walk_in = self.env["res.partner"].create({"name": "Klient z ulicy"})
        no_address = self.repair(partner_id=walk_in.id).with_context(lang="pl_PL")
        self.assertRefusedAndNothingSaved(
            UserError, "nie ma adresu e-mail", no_address.action_send_quote
        )
        warranty = self.repair().with_context(lang="pl_PL")
        warranty.warranty = True
        self.assertRefusedAndNothingSaved(
            UserError, "naprawa gwarancyjna", warranty.action_send_quote
        )
        contract = self.Case.sudo(self.sales_clerk).create(
            {"purpose": "sale", "partner_id": self.partner.id}
        )
        self.add_line(contract, self.part, 1)
        self.assertRefusedAndNothingSaved(
            UserError,
            "nie jest sprawą serwisową",
            contract.with_context(lang="pl_PL").action_send_quote,
        )

    def test_a_clerk_of_another_department_may_not_send_it(self):
        case = self.repair()
        with self.assertRaises(AccessError):
            case.sudo(self.sales_clerk).with_context(**QUEUE).action_send_quote()
        self.assertEqual(case.quote_state, "draft")


class TestAnswerAtTheCounter(QuoteCase):
    def setUp(self):
        super(TestAnswerAtTheCounter, self).setUp()
        self.case = self.repair()
        self.case.with_context(**QUEUE).action_send_quote()

    def test_the_customer_accepts_with_his_signature(self):
        case = self.case
        before = fields.Datetime.now()
        self.answer(case, signature=SIGNATURE, signed_by=" Jan Kowalski ")
        self.assertEqual(case.quote_state, "accepted")
        self.assertEqual(case.quote_accepted_by, "Jan Kowalski")
        self.assertGreaterEqual(case.quote_accepted_on, before[:16])
        self.assertEqual(case.sudo().quote_signature.decode(), SIGNATURE)
        self.assertFalse(case.waiting, "the customer answered: Wiek runs again")
        task = self.tasks(case)
        self.assertEqual(len(task), 1)
        self.assertIn("Kosztorys zaakceptowany", task.name)
        self.assertEqual(task.user_id, self.service_clerk)
        self.assertEqual(
            task.date_deadline,
            fields.Date.context_today(self.env.user.sudo(self.service_clerk)),
        )
        message = case.message_ids[0]
        digest = rules.signature_digest(base64.b64decode(SIGNATURE))
        self.assertIn("Jan Kowalski zaakceptował(a) kosztorys", message.body)
        self.assertIn("527,67", message.body)
        self.assertIn(digest, message.body)
        self.assertIn("Ewa Serwisowa", message.body)
        # the quote as accepted, with the signature, stays with the message
        self.assertEqual(len(message.attachment_ids), 1)
        signed = base64.b64decode(message.attachment_ids.datas).decode()
        self.assertIn(SIGNATURE, signed)

    def test_a_failed_print_leaves_the_acceptance_whole(self):
        """wkhtmltopdf fails as the signed quote is printed: the acceptance
        stands, with its task; the chatter asks the clerk to print it."""
        case = self.case
        with failing_printer(self.registry), self.assertLogs(
            QUOTE_LOGGER, logging.WARNING
        ) as logs:
            self.answer(case, signature=SIGNATURE, signed_by="Jan Kowalski")
        self.assertIn("Wkhtmltopdf failed", logs.output[0])
        self.assertEqual(case.quote_state, "accepted")
        self.assertTrue(case.quote_accepted_on)
        self.assertFalse(case.waiting)
        self.assertIn("Kosztorys zaakceptowany", self.tasks(case).name)
        note, acceptance = case.message_ids[:2]
        self.assertIn("Jan Kowalski zaakceptował(a) kosztorys", acceptance.body)
        self.assertFalse(acceptance.attachment_ids)
        self.assertIn("Nie udało się wydrukować", note.body)

    def test_a_quote_printed_at_the_counter_is_accepted_unsent(self):
        case = self.repair()
        self.answer(case, signature=SIGNATURE, signed_by="Jan Kowalski")
        self.assertEqual(case.quote_state, "accepted")

    def test_an_acceptance_needs_a_signature_and_a_name(self):
        case = self.case.with_context(lang="pl_PL")
        for values, fragment in (
            ({"signed_by": "Jan Kowalski"}, "klient jeszcze się nie podpisał"),
            ({"signature": SIGNATURE, "signed_by": "  "}, "wpisz imię i nazwisko"),
            ({"signature": "bm90IGFuIGltYWdl", "signed_by": "Jan"}, "PNG"),
        ):
            with self.subTest(values=values):
                self.assertRefusedAndNothingSaved(
                    (UserError, ValidationError),
                    fragment,
                    lambda: self.answer(case, **values),
                )
        self.assertEqual(case.quote_state, "sent")

    def test_the_customer_rejects_it_by_phone(self):
        case = self.case
        self.answer(case, accept=False, reason="Za drogo, kupię nowy.")
        self.assertEqual(case.quote_state, "rejected")
        self.assertTrue(all(case.line_ids.mapped("quote_rejected")))
        self.assertFalse(case.waiting)
        self.assertIn("Za drogo, kupię nowy.", case.message_ids[0].body)
        self.assertIn("odrzucił", case.message_ids[0].body)
        self.assertIn("zwróć urządzenie", self.tasks(case).name)
        with self.assertRaises(UserError):
            self.answer(case, accept=False)

    def test_an_answer_is_the_clerks_of_the_cases_department(self):
        with self.assertRaises(AccessError):
            self.answer(
                self.case,
                user=self.sales_clerk,
                signature=SIGNATURE,
                signed_by="Jan Kowalski",
            )
        self.assertEqual(self.case.quote_state, "sent")

    def test_changed_lines_send_an_accepted_quote_back_to_draft(self):
        case = self.case
        self.answer(case, signature=SIGNATURE, signed_by="Jan Kowalski")
        case.line_ids[0].quantity = 2
        self.assertEqual(case.quote_state, "draft")
        self.assertFalse(
            case.quote_accepted_by or case.quote_accepted_on or case.quote_signature
        )
        self.assertIn("nie jest już zaakceptowany", case.message_ids[0].body)
        self.assertIn("Jan Kowalski", case.message_ids[0].body)
        # sent again and accepted again: added and removed lines count too
        for change in (
            lambda: self.add_line(case, self.labour, 1, name="Dodatkowa godzina"),
            lambda: case.line_ids[-1].unlink(),
        ):
            case.with_context(**QUEUE).action_send_quote()
            self.answer(case, signature=SIGNATURE, signed_by="Jan Kowalski")
            change()
            self.assertEqual(case.quote_state, "draft")
        # the order of the lines is not the price
        case.with_context(**QUEUE).action_send_quote()
        case.line_ids[0].sequence = 99
        self.assertEqual(case.quote_state, "sent")
        case.line_ids[0].price_unit = 1.0
        self.assertEqual(case.quote_state, "draft")

    def test_no_answer_to_a_closed_case(self):
        case = self.case.with_context(lang="pl_PL")
        case._r2_crm_transition("success")
        self.assertRefusedAndNothingSaved(
            UserError,
            "jest zamknięta",
            lambda: case._r2_crm_quote_accept(SIGNATURE, "Jan", rules.AT_COUNTER),
        )
