"""Incoming e-mail is a conversation, so it is a KONTAKTY entry (R2faktury's
rule: nobody asks the customer twice).

Odoo's mail gateway (fetchmail for IMAP/POP, or the mailgate script, both
through mail.thread.message_process) routes each message:

- an answer to a case's e-mail (its In-Reply-To or References name a message
  of the case) reaches r2.crm.case.message_update: a note of the case, by
  e-mail, for its customer, and a task for today for the case's responsible
  user to answer it;
- a new message to the service address (the alias r2_crm.mail_alias_service,
  "serwis") reaches r2.crm.contact.message_new: a service note for the
  partner the sender's address belongs to (else a new partner), and a task
  for the company's r2_crm_service_user_id.

Machines are not answered: an auto-reply, a vacation notice, list or bulk
mail, or the shop's own mail coming back makes no entry (Odoo 11 itself
checks only duplicate Message-Ids and bounces), nor does a new message
without a sender. The text is sanitised (no script survives), and an
attachment too large to keep is named in the entry instead.
"""

import base64
import logging
from email.utils import parseaddr

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from .. import rules
from .r2_crm_workflow_mixin import without_context_defaults

_logger = logging.getLogger(__name__)

# The models whose routes r2_crm checks
R2_MODELS = ("r2.crm.case", "r2.crm.contact")
# An entry keeps this much of an e-mail's text (the chatter keeps all of it)
TEXT_MAX = 20000


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_route(
        self, message, message_dict, model=None, thread_id=None, custom_values=None
    ):
        routes = super(MailThread, self).message_route(
            message,
            message_dict,
            model=model,
            thread_id=thread_id,
            custom_values=custom_values,
        )
        Contact = self.env["r2.crm.contact"]
        kept = []
        for route in routes:
            refusal = route[0] in R2_MODELS and Contact._r2_crm_mail_refusal(
                message, message_dict, not route[1]
            )
            if refusal:
                _logger.info(
                    "r2_crm: no entry for the mail from %r (Message-Id %s) to %s: %s",
                    message_dict.get("email_from"),
                    message_dict.get("message_id"),
                    route[0],
                    refusal,
                )
                continue
            kept.append(route)
        return kept


class R2CrmContact(models.Model):
    _inherit = "r2.crm.contact"

    # ---------------------------------------------------------------- routing
    @api.model
    def _r2_crm_mail_refusal(self, message, message_dict, new):
        """Why ``message`` makes no entry (a reason for the log), or None.
        ``new``: it would make a new entry (not answer a case)."""
        headers = {name.lower(): str(value) for name, value in message.items()}
        if rules.is_automatic_mail(headers):
            return "sent by a machine (auto-reply, list or bulk mail)"
        address = self._r2_crm_mail_address(message_dict.get("email_from"))
        if address and address in self._r2_crm_own_addresses():
            return "sent from the shop's own address (a mail loop)"
        if new and not address:
            return "no sender address"
        return None

    @api.model
    def _r2_crm_mail_address(self, email_from):
        """The sender's address, lower case, or ''."""
        addresses = tools.email_split(email_from or "")
        return addresses[0].lower() if addresses else ""

    @api.model
    def _r2_crm_own_addresses(self):
        """The shop's own addresses: its companies', the catchall and the
        aliases (at the catchall domain)."""
        params = self.env["ir.config_parameter"].sudo()
        domain = params.get_param("mail.catchall.domain")
        names = [params.get_param("mail.catchall.alias")]
        if domain:
            aliases = (
                self.env["mail.alias"].sudo().search([("alias_name", "!=", False)])
            )
            names += aliases.mapped("alias_name")
        own = {"%s@%s" % (name, domain) for name in names if name and domain}
        companies = self.env["res.company"].sudo().search([("email", "!=", False)])
        own |= set(companies.mapped("email"))
        return {address.lower() for address in own if address}

    # ---------------------------------------------------------------- entries
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A new message to the service address: a service note by e-mail for
        the sender, and a task for today for whoever answers service mail.
        (The alias's defaults do not reach the entry: what an e-mail makes
        is decided here, not by a setting any sender could exploit.)"""
        company = self.env.user.company_id
        user = company._r2_crm_service_user()
        partner = self._r2_crm_mail_partner(msg_dict.get("email_from"), company)
        entry = self._r2_crm_entry_from_mail(
            msg_dict, partner, rules.SERVICE, user, company
        )
        entry._r2_crm_answer_task()
        return entry

    @api.model
    def _r2_crm_reply_entry(self, case, msg_dict):
        """The customer answered an e-mail of ``case``."""
        company = case.company_id or self.env.user.company_id
        user = case.user_id if case.user_id.active else company._r2_crm_service_user()
        entry = self._r2_crm_entry_from_mail(
            msg_dict, case.partner_id, case.purpose, user, company, case=case
        )
        entry._r2_crm_answer_task()
        return entry

    @api.model
    def _r2_crm_mail_partner(self, email_from, company):
        """The partner the sender's address belongs to; of several, the one
        with the most recent case; else a new partner made from the sender."""
        address = self._r2_crm_mail_address(email_from)
        if not address:
            raise UserError(_("The e-mail has no sender address."))
        Partner = self.env["res.partner"].sudo()
        escaped = address.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        partners = Partner.search([("email", "=ilike", escaped)])
        if partners:
            Case = self.env["r2.crm.case"].sudo()
            candidates = []
            for partner in partners:
                last = Case.search(
                    [("partner_id", "child_of", partner.id)],
                    order="date_open desc, id desc",
                    limit=1,
                )
                candidates.append(
                    (partner.id, last and fields.Date.from_string(last.date_open))
                )
            return Partner.browse(rules.best_partner(candidates))
        name = parseaddr(email_from)[0].strip()
        return Partner.create(
            {
                "name": name or address,
                "email": address,
                "lang": company.partner_id.lang,
                "company_id": company.id,
            }
        )

    @api.model
    def _r2_crm_entry_from_mail(
        self, msg_dict, partner, purpose, user, company, case=None
    ):
        """A KONTAKTY note by e-mail of ``msg_dict`` (as the gateway parsed
        it): its subject, its text (sanitised) and its attachments."""
        self = self.with_context(lang=user.lang or self.env.lang)
        dropped = self._r2_crm_mail_keep_attachments(msg_dict)
        text = self._r2_crm_mail_text(msg_dict.get("body"))
        if dropped:
            text += "\n\n" + _(
                "Attachments too large to keep (over %(limit)s MB): %(files)s"
            ) % {
                "limit": rules.MAIL_ATTACHMENT_MAX_BYTES // (1024 * 1024),
                "files": ", ".join(
                    "%s (%.1f MB)" % (name, size / (1024.0 * 1024))
                    for name, size in dropped
                ),
            }
        subject = " ".join((msg_dict.get("subject") or "").split())[:200]
        entry = (
            without_context_defaults(self)
            .sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    "type": rules.NOTE,
                    "channel": rules.EMAIL,
                    "purpose": purpose,
                    "partner_id": partner.id,
                    "case_id": case.id if case else False,
                    "user_id": user.id,
                    "company_id": company.id,
                    "name": subject or _("E-mail without a subject"),
                    "description": text or False,
                }
            )
        )
        Attachment = self.env["ir.attachment"].sudo()
        for attachment in msg_dict.get("attachments") or []:
            name, content = attachment[0], attachment[1]
            if isinstance(content, str):
                content = content.encode("utf-8")
            Attachment.create(
                {
                    "name": name,
                    "datas_fname": name,
                    "datas": base64.b64encode(content or b""),
                    "res_model": self._name,
                    "res_id": entry.id,
                }
            )
        return entry

    @api.model
    def _r2_crm_mail_keep_attachments(self, msg_dict):
        """Leave in ``msg_dict`` the attachments small enough to keep (the
        entry's and the chatter's); [(name, size)] of the others."""
        kept, dropped = [], []
        for attachment in msg_dict.get("attachments") or []:
            size = len(attachment[1] or b"")
            if size > rules.MAIL_ATTACHMENT_MAX_BYTES:
                dropped.append((attachment[0], size))
            else:
                kept.append(attachment)
        if dropped:
            _logger.warning(
                "r2_crm: attachments of the mail %s not kept, too large: %s",
                msg_dict.get("message_id"),
                dropped,
            )
        msg_dict["attachments"] = kept
        return dropped

    @api.model
    def _r2_crm_mail_text(self, body):
        """The text of an e-mail's HTML body, sanitised first: no script or
        style survives into the entry."""
        html = tools.html_sanitize(body or "", strip_style=True, strip_classes=True)
        return tools.html2plaintext(html or "").strip()[:TEXT_MAX]

    def _r2_crm_answer_task(self):
        """A task for today for the entry's user: answer the e-mail."""
        self.ensure_one()
        self = self.with_context(lang=self.user_id.lang or self.env.lang)
        name = _("Answer the e-mail of %(customer)s: %(subject)s") % {
            "customer": self.partner_id.display_name,
            "subject": self.name,
        }
        return self._r2_crm_make_task(
            self.user_id,
            name,
            self.partner_id,
            self.purpose,
            self.case_id,
            self.company_id,
        )
