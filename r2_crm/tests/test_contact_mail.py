"""The customer hears of S1 and S2 by e-mail, with their protocols (#15), as
the service clerk, also one without a mailbox."""

import base64
import subprocess
import tempfile
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo import fields
from odoo.tools import config

from .. import rules
from .common import R2CrmPolishCase

# Odoo sends notifications at once in tests and deletes them: keep them queued
QUEUE = {"mail_notify_force_send": False, "mail_auto_delete": False}


def pdf_text(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fp:
        fp.write(data)
        fp.flush()
        return subprocess.check_output(["pdftotext", fp.name, "-"]).decode()


class CustomerMailCase(R2CrmPolishCase):
    @classmethod
    def setUpClass(cls):
        super(CustomerMailCase, cls).setUpClass()
        cls.env.user.company_id.email = "serwis@r2.test"
        # the demo's notes are not this test's business
        cls.cr.execute(
            "UPDATE r2_crm_contact SET customer_mail_state = %s "
            "WHERE customer_mail_state = %s",
            (rules.MAIL_SENT, rules.MAIL_PENDING),
        )

    def run_mail_cron(self, minutes_later=rules.MAIL_DELAY_MINUTES + 1):
        """The scheduled action ``minutes_later`` than now (by default once
        the e-mail stopped waiting for a signature), with real PDFs
        (wkhtmltopdf on this server)."""
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://localhost:%s" % config["http_port"]
        )
        later = fields.Datetime.to_string(
            datetime.utcnow() + timedelta(minutes=minutes_later)
        )
        with tempfile.TemporaryDirectory() as tmp, patch.dict(
            config.options, {"test_report_directory": tmp}
        ), patch.object(type(self.Contact), "_r2_crm_now", lambda self: later):
            self.Contact.with_context(**QUEUE)._cron_send_customer_mail()

    def mails(self, case):
        return self.env["mail.mail"].search(
            [("model", "=", "r2.crm.case"), ("res_id", "=", case.id)]
        )


class TestCustomerMail(CustomerMailCase):
    def test_s1_mails_the_intake_protocol_in_polish_once(self):
        note = self.note(self.service_clerk, result_id=self.s1.id)
        case = note.case_id
        self.assertEqual(note.customer_mail_state, rules.MAIL_PENDING)
        self.assertFalse(self.mails(case), "no PDF while the clerk waits")

        self.run_mail_cron()
        mail = self.mails(case)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.partner)
        self.assertIn(case.name, mail.subject)
        self.assertIn("przyjęliśmy", mail.subject)
        self.assertIn("serwis@r2.test", mail.email_from)
        self.assertIn(
            "/my/cases/%d?access_token=%s" % (case.id, case.access_token),
            mail.body_html,
        )
        self.assertIn("Lenovo T480", mail.body_html)
        self.assertEqual(len(mail.attachment_ids), 1)
        attachment = mail.attachment_ids
        self.assertEqual(
            attachment.name, "Protokół przyjęcia %s.pdf" % case.name.replace("/", "-")
        )
        text = pdf_text(base64.b64decode(attachment.datas))
        self.assertIn(case.name, text)
        self.assertIn("Protokół otwarcia usługi serwisowej", text)
        self.assertEqual(note.customer_mail_state, rules.MAIL_SENT)
        self.assertIn(mail.mail_message_id, case.message_ids, "in the case's chatter")

        self.run_mail_cron()
        self.assertEqual(self.mails(case), mail, "never sent twice")

    def test_a_note_another_run_sent_while_the_pdf_was_made_is_not_sent_again(self):
        """Rendering may commit a new assets bundle, which releases the note's
        lock: another node's run may take the note and send it meanwhile."""
        note = self.note(self.service_clerk, result_id=self.s1.id)
        Contact = type(self.Contact)
        render = Contact._r2_crm_render_protocol

        def render_while_another_run_sends(contact):
            pdf = render(contact)
            self.cr.execute(
                "UPDATE r2_crm_contact SET customer_mail_state = %s WHERE id = %s",
                (rules.MAIL_SENT, contact.id),
            )
            return pdf

        with patch.object(
            Contact, "_r2_crm_render_protocol", render_while_another_run_sends
        ):
            self.run_mail_cron()
        self.assertFalse(self.mails(note.case_id))

    def test_the_intake_mail_waits_for_the_signature_until_the_delay(self):
        self.assertEqual(self.env.user.company_id.r2_crm_mail_delay_minutes, 15)
        case = self.note(self.service_clerk, result_id=self.s1.id).case_id
        self.run_mail_cron(minutes_later=14)
        self.assertFalse(self.mails(case), "the customer may still sign")
        self.run_mail_cron(minutes_later=16)
        mail = self.mails(case)
        self.assertEqual(len(mail), 1, "15 minutes passed: sent unsigned")
        text = pdf_text(base64.b64decode(mail.attachment_ids.datas))
        self.assertIn("Protokół otwarcia usługi serwisowej", text)

    def test_a_signed_note_mails_at_once_with_the_signed_protocol(self):
        note = self.note(self.service_clerk, result_id=self.s1.id)
        self.sign(note, "Jan Podpisujący")
        self.run_mail_cron(minutes_later=1)
        mail = self.mails(note.case_id)
        self.assertEqual(len(mail), 1)
        self.assertIn(
            "Jan Podpisujący", pdf_text(base64.b64decode(mail.attachment_ids.datas))
        )

    def test_the_completion_mail_carries_the_protocol_signed_within_the_delay(self):
        case = self.note(self.service_clerk, result_id=self.s1.id).case_id
        self.run_mail_cron()
        closing = self.note(
            self.service_clerk, case_id=case.id, result_id=self.s2.id, name="Odbiór"
        )
        self.run_mail_cron(minutes_later=5)
        self.assertEqual(closing.customer_mail_state, rules.MAIL_PENDING)
        self.sign(closing, "Anna Odbierająca")
        self.run_mail_cron(minutes_later=6)
        mail = self.mails(case).filtered(lambda m: "zamknięta" in m.subject)
        self.assertIn(
            "Anna Odbierająca", pdf_text(base64.b64decode(mail.attachment_ids.datas))
        )

    def test_the_delay_is_a_number_of_minutes(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env.user.company_id.r2_crm_mail_delay_minutes = -1

    def test_s2_mails_the_completion_protocol(self):
        case = self.note(self.service_clerk, result_id=self.s1.id).case_id
        self.run_mail_cron()
        closing = self.note(
            self.service_clerk, case_id=case.id, result_id=self.s2.id, name="Repaired"
        )
        self.assertEqual(closing.customer_mail_state, rules.MAIL_PENDING)
        self.run_mail_cron()
        mail = self.mails(case).filtered(lambda m: "zamknięta" in m.subject)
        self.assertEqual(len(mail), 1)
        self.assertIn("gotowy do odbioru", mail.body_html)
        text = pdf_text(base64.b64decode(mail.attachment_ids.datas))
        self.assertIn("Protokół wykonania zlecenia", text)
        self.assertIn(case.name, text)
        self.assertEqual(len(self.mails(case)), 2)

    def test_a_customer_without_address_gets_a_note_in_the_chatter(self):
        self.partner.email = False
        note = self.note(self.service_clerk, result_id=self.s1.id)
        self.run_mail_cron()
        self.assertFalse(self.mails(note.case_id))
        self.assertEqual(note.customer_mail_state, rules.MAIL_NOT_SENT)
        self.assertIn(
            "has no e-mail address",
            " ".join(note.case_id.message_ids.mapped("body")),
        )

    def test_a_result_that_does_not_notify_sends_nothing(self):
        self.s1.notify_customer = False
        note = self.note(self.service_clerk, result_id=self.s1.id)
        self.assertFalse(note.customer_mail_state)
        self.run_mail_cron()
        self.assertFalse(self.mails(note.case_id))

    def test_only_a_result_with_a_protocol_notifies(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.Result.create(
                {
                    "code": "X9",
                    "name": "Called",
                    "action": "none",
                    "notify_customer": True,
                }
            )
        self.assertFalse(self.Result.search([("code", "=", "X9")]))

    def test_a_sales_contract_closed_by_a_notifying_result_sends_nothing(self):
        won = self.Result.create(
            {
                "code": "H9",
                "name": "Signed",
                "purpose": "sale",
                "action": "close_success",
                "notify_customer": True,
            }
        )
        contract = self.Case.create({"purpose": "sale", "partner_id": self.partner.id})
        note = self.Contact.create(
            {
                "type": "note",
                "purpose": "sale",
                "partner_id": self.partner.id,
                "case_id": contract.id,
                "name": "Signed",
                "result_id": won.id,
            }
        )
        self.assertEqual(contract.state, rules.SUCCESS)
        self.assertFalse(note.customer_mail_state, "no protocol, no portal page")

    def test_the_clerk_cannot_mark_an_email_sent(self):
        note = self.note(self.service_clerk, result_id=self.s1.id)
        with self.assertRaises(UserError), self.cr.savepoint():
            note.sudo(self.service_clerk).write(
                {"customer_mail_state": rules.MAIL_SENT}
            )
        self.assertEqual(note.customer_mail_state, rules.MAIL_PENDING)


class TestClerkWithoutMailbox(CustomerMailCase):
    def test_a_clerk_without_email_saves_notes_tracks_and_finishes_tasks(self):
        Contact = self.Contact.with_context(
            tracking_disable=False, mail_create_nolog=False
        ).sudo(self.service_clerk)
        note = Contact.create(
            {
                "type": "note",
                "purpose": "service",
                "partner_id": self.partner.id,
                "name": "Intake",
                "result_id": self.s1.id,
            }
        )
        note.message_post(body="Customer called back", subtype="mail.mt_note")
        note.write({"name": "Intake of a laptop"})
        task = Contact.create(
            {
                "type": "task",
                "purpose": "service",
                "partner_id": self.partner.id,
                "name": "Call the customer",
                "date_deadline": "2026-12-01",
                "case_id": note.case_id.id,
            }
        )
        task.task_activity_id.sudo(self.service_clerk).action_done()
        self.assertTrue(task.done)
        messages = (
            (note | task)
            .mapped("message_ids")
            .filtered(lambda m: m.author_id == self.service_clerk.partner_id)
        )
        self.assertTrue(messages)
        for message in messages:
            self.assertIn("serwis@r2.test", message.email_from)
            self.assertIn(self.service_clerk.name, message.email_from)

    def test_without_any_shop_address_the_message_is_kept_under_the_name(self):
        self.env.user.company_id.email = False
        self.env["ir.config_parameter"].set_param("mail.catchall.domain", False)
        note = self.note(self.service_clerk)
        message = note.sudo(self.service_clerk).message_post(
            body="Kept", subtype="mail.mt_note"
        )
        self.assertEqual(message.email_from, self.service_clerk.name)
