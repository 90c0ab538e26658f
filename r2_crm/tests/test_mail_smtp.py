"""The case e-mails leave through a real SMTP server (#27).

Under pytest-odoo, Odoo knows it is testing: it neither connects to a mail
server nor sends. So the data is committed, and Odoo's own scheduled actions
(r2_crm's customer-mail cron, then Odoo's mail queue, process_email_queue)
run in an Odoo process of their own (click-odoo), which sends to an SMTP
server (aiosmtpd) listening on loopback in this process. What arrives is
read as a mail client reads it.
"""

import email
import re
import socket
import unittest
import uuid
from email import policy

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tests.common import get_db_name
from odoo.tools import config

from aiosmtpd.controller import Controller

from .. import rules
from .common import settle_registry

DOMAIN = "r2-smtp.test"
PARAMS = ("mail.catchall.domain", "mail.catchall.alias", "report.url")


class Inbox:
    """aiosmtpd's handler: every message the server accepted."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestMailThroughSmtp(unittest.TestCase):
    at_install = False
    post_install = True

    @classmethod
    def run_in_env(cls, function):
        with cls.registry.cursor() as cr:
            return function(api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"}))

    @classmethod
    def setUpClass(cls):
        super(TestMailThroughSmtp, cls).setUpClass()
        cls.db = get_db_name()
        cls.registry = odoo.registry(cls.db)
        settle_registry(cls.registry)
        cls.inbox = Inbox()
        cls.smtp = Controller(cls.inbox, hostname="127.0.0.1", port=free_port())
        cls.smtp.start()
        cls.addClassCleanup(cls.smtp.stop)
        key = uuid.uuid4().hex[:8]
        cls.customer_email = "klient-%s@%s" % (key, DOMAIN)
        cls.follower_email = "ksiegowa-%s@%s" % (key, DOMAIN)

        def setup(env):
            Param = env["ir.config_parameter"]
            saved = {name: Param.get_param(name) for name in PARAMS}
            Param.set_param("mail.catchall.domain", DOMAIN)
            Param.set_param("mail.catchall.alias", "catchall")
            # wkhtmltopdf fetches the report's stylesheets from this run's server
            Param.set_param("report.url", "http://127.0.0.1:%s" % config["http_port"])
            server = env["ir.mail_server"].create(
                {
                    "name": "r2_crm test SMTP",
                    "smtp_host": "127.0.0.1",
                    "smtp_port": cls.smtp.port,
                    "smtp_encryption": "none",
                    "sequence": 0,
                }
            )
            if not env["res.lang"].search([("code", "=", "pl_PL")]):
                env["res.lang"].load_lang("pl_PL")
            env["ir.translation"].load_module_terms(["r2_crm"], ["pl_PL"])
            company = env.user.company_id
            saved_email = company.email
            company.email = "serwis@%s" % DOMAIN
            # the demo's pending e-mails are not this test's business
            env.cr.execute(
                "UPDATE r2_crm_contact SET customer_mail_state = %s "
                "WHERE customer_mail_state = %s",
                (rules.MAIL_SENT, rules.MAIL_PENDING),
            )
            Partner = env["res.partner"]
            customer = Partner.create(
                {"name": "Klient SMTP", "email": cls.customer_email, "lang": "pl_PL"}
            )
            follower = Partner.create(
                {"name": "Księgowa klienta", "email": cls.follower_email}
            )
            Contact = env["r2.crm.contact"]
            values = {
                "type": rules.NOTE,
                "purpose": rules.SERVICE,
                "partner_id": customer.id,
                "name": "Kasa nie drukuje",
                "item_description": "Kasa Posnet Ergo",
            }
            opening = Contact.create(
                dict(values, result_id=env.ref("r2_crm.result_s1").id)
            )
            case = opening.case_id
            # a partner the clerk added as a follower of the case
            case.message_subscribe(partner_ids=follower.ids)
            closing = Contact.create(
                dict(
                    values,
                    name="Naprawiono",
                    case_id=case.id,
                    result_id=env.ref("r2_crm.result_s2").id,
                )
            )
            # the e-mails no longer wait for a signature
            env.cr.execute(
                "UPDATE r2_crm_contact SET customer_mail_pending_since = NULL "
                "WHERE id IN %s",
                ((opening | closing).ids and tuple((opening | closing).ids),),
            )
            return saved, saved_email, server.id, customer.id, follower.id, case.id

        (
            cls.saved,
            cls.saved_email,
            cls.server_id,
            cls.customer_id,
            cls.follower_id,
            cls.case_id,
        ) = cls.run_in_env(setup)
        cls.addClassCleanup(cls.cleanup)
        # the repository's tools (pytest runs from its root; Odoo's own test
        # runner would not find them at import)
        from tools import devtool  # pylint: disable=import-outside-toplevel

        problems = devtool.run_script(
            cls.db,
            "env['r2.crm.contact']._cron_send_customer_mail()\n"
            "env.cr.commit()\n"
            "env['mail.mail'].process_email_queue()\n",
            "mail-smtp",
        )
        assert not problems, problems

        def sent(env):
            messages = env["mail.message"].search(
                [
                    ("model", "=", "r2.crm.case"),
                    ("res_id", "=", cls.case_id),
                    ("subtype_id", "=", env.ref("r2_crm.mt_customer_mail").id),
                ]
            )
            return sorted(messages.mapped("message_id"))

        cls.message_ids = cls.run_in_env(sent)

    @classmethod
    def cleanup(cls):
        def restore(env):
            for name, value in cls.saved.items():
                env["ir.config_parameter"].set_param(name, value or False)
            env.user.company_id.email = cls.saved_email
            env["ir.mail_server"].browse(cls.server_id).unlink()

        cls.run_in_env(restore)

    def to(self, address):
        return [
            email.message_from_bytes(content, policy=policy.default)
            for _sender, recipients, content in self.inbox.received
            if address in recipients
        ]

    def test_the_customer_receives_both_emails_and_only_he(self):
        received = self.to(self.customer_email)
        self.assertEqual(len(received), 2, self.inbox.received)
        for _sender, recipients, content in self.inbox.received:
            if self.customer_email in recipients:
                self.assertEqual(recipients, [self.customer_email])
        self.assertEqual(
            sorted(message["Message-Id"].strip() for message in received),
            self.message_ids,
        )

    def test_a_follower_does_not_receive_the_customers_email(self):
        self.assertEqual(self.to(self.follower_email), [])

    def test_polish_subject_html_with_text_and_the_protocol(self):
        subjects = []
        for message in self.to(self.customer_email):
            head = message.as_bytes().split(b"\n\n", 1)[0]
            # RFC 2047: the Polish subject travels encoded, the head is ASCII
            head.decode("ascii")
            subject = re.search(rb"\nSubject: (.*?)\n(?=\S)", head, re.S).group(1)
            self.assertIn(b"=?utf-8?", subject)
            subjects.append(str(message["Subject"]))
            self.assertIn("catchall@%s" % DOMAIN, message["Reply-To"])
            self.assertIn("serwis@%s" % DOMAIN, message["From"])
            html = message.get_body(preferencelist=("html",))
            text = message.get_body(preferencelist=("plain",))
            self.assertIsNotNone(html)
            self.assertIsNotNone(text)
            self.assertIn("Klient SMTP", text.get_content())
            pdfs = [
                part
                for part in message.iter_attachments()
                if part.get_content_type() == "application/pdf"
            ]
            self.assertEqual(len(pdfs), 1)
            self.assertTrue(pdfs[0].get_content().startswith(b"%PDF"))
            self.assertTrue(pdfs[0].get_filename().startswith("Protok"))
        self.assertTrue(any("przyjęliśmy Państwa sprzęt" in s for s in subjects))
        self.assertTrue(any("jest zamknięta" in s for s in subjects))
