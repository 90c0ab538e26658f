"""E-mail as the customer writes it: raw RFC 5322 messages for Odoo's mail
gateway (mail.thread.message_process, the entry point of fetchmail and of
the mailgate script)."""

from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid

from odoo import fields

from .common import R2CrmPolishCase

CATCHALL_DOMAIN = "r2.test"


def raw_mail(
    sender,
    to,
    subject,
    body="Dzień dobry, kiedy będzie gotowe?",
    html=False,
    charset="utf-8",
    headers=(),
    attachments=(),
):
    """The bytes of an e-mail from ``sender`` (None: without From) to ``to``:
    ``body`` as text (or HTML) in ``charset``, the subject encoded in it too
    (RFC 2047), ``headers`` [(name, value)] and ``attachments`` [(name, bytes)]."""
    message = MIMEMultipart("mixed")
    if sender:
        message["From"] = sender
    message["To"] = to
    message["Subject"] = Header(subject, charset).encode()
    message["Message-Id"] = make_msgid(domain="klient.test")
    message["Date"] = formatdate()
    for name, value in headers:
        message[name] = value
    message.attach(MIMEText(body, "html" if html else "plain", charset))
    for name, data in attachments:
        part = MIMEApplication(data, Name=name)
        part["Content-Disposition"] = 'attachment; filename="%s"' % name
        message.attach(part)
    return message.as_bytes()


class MailCase(R2CrmPolishCase):
    """A Polish shop that receives mail: the catchall address answers go
    through, the service alias, a customer with a repair taken in."""

    @classmethod
    def setUpClass(cls):
        super(MailCase, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.company.email = "serwis@%s" % CATCHALL_DOMAIN
        params = cls.env["ir.config_parameter"]
        params.set_param("mail.catchall.domain", CATCHALL_DOMAIN)
        params.set_param("mail.catchall.alias", "catchall")
        cls.alias = cls.env.ref("r2_crm.mail_alias_service")
        cls.gateway = cls.env["mail.thread"]

    def today_of(self, user):
        """Today in ``user``'s time zone: the due date of his task for today."""
        return fields.Date.from_string(
            fields.Date.context_today(self.Contact.sudo(user))
        )

    def receive(self, raw):
        """The gateway takes the message in, as fetchmail hands it over."""
        return self.gateway.message_process(False, raw)

    def assertNothingMade(self, receive):
        """``receive()`` makes no entry, and no message anywhere."""
        entries = self.Contact.search_count([])
        messages = self.env["mail.message"].search_count([])
        receive()
        self.assertEqual(self.Contact.search_count([]), entries)
        self.assertEqual(self.env["mail.message"].search_count([]), messages)

    def entries(self, **domain):
        return self.Contact.search(
            [(name, "=", value) for name, value in domain.items()], order="id"
        )
