"""The repair quote: the parts and labour of a service case, sent to the
customer, who accepts it with his signature (on the portal, or at the
counter) or rejects it.

As the protocol's signature (r2_crm_contact_signature.py), the acceptance is
evidence: its state, signer, moment (the server's) and signature are written
together by the answering step alone, and the chatter keeps the signature's
SHA-256 and the quote as it was accepted (a failed print does not undo the
acceptance: the chatter then asks the clerk to print it). Changing the lines
of a quote the customer holds sends it back to draft: he approved a price,
not a blank cheque.
"""

import base64
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape, plaintext2html
from odoo.tools.misc import formatLang

from .. import rules, trust

_logger = logging.getLogger(__name__)


class R2CrmCase(models.Model):
    _inherit = "r2.crm.case"

    quote_state = fields.Selection(
        rules.QUOTE_STATES,
        string="Quote",
        required=True,
        default=rules.QUOTE_DRAFT,
        readonly=True,
        copy=False,
        index=True,
        track_visibility="onchange",
        help="The repair quote: Send quote e-mails it to the customer, who "
        "accepts or rejects it on the portal or at the counter.",
    )
    quote_sent_on = fields.Date(string="Quote sent on", readonly=True, copy=False)
    quote_valid_until = fields.Date(
        string="Quote valid until",
        compute="_compute_quote_valid_until",
        help="The quote holds the company's quote days from the day it is sent.",
    )
    quote_accepted_by = fields.Char(string="Accepted by", readonly=True, copy=False)
    quote_accepted_on = fields.Datetime(string="Accepted on", readonly=True, copy=False)
    quote_signature = fields.Binary(
        string="Signature on the quote", attachment=True, readonly=True, copy=False
    )

    @api.depends("quote_sent_on", "company_id.r2_crm_quote_days")
    def _compute_quote_valid_until(self):
        for case in self:
            case.quote_valid_until = case._r2_crm_quote_valid_until(case.quote_sent_on)

    def _r2_crm_quote_valid_until(self, sent_on):
        """The last day of a quote sent on ``sent_on`` (a string), as a string."""
        valid_until = rules.quote_valid_until(
            fields.Date.from_string(sent_on) if sent_on else None,
            self.company_id.sudo().r2_crm_quote_days,
        )
        return fields.Date.to_string(valid_until) if valid_until else False

    # ----------------------------------------------------------------- checks
    def _r2_crm_quote_error(self, code):
        messages = {
            rules.Q_NOT_SERVICE: _(
                "%(case)s is not a service case: only repairs have a quote."
            ),
            rules.Q_NOT_OPEN: _("%(case)s is closed: its quote no longer changes."),
            rules.Q_WARRANTY: _(
                "%(case)s is a warranty repair: the customer pays nothing, so it "
                "has no quote."
            ),
            rules.Q_NO_LINES: _(
                "%(case)s has no parts or labour yet: add them on the Products "
                "page first."
            ),
            rules.Q_ACCEPTED: _(
                "The customer has already accepted the quote of %(case)s. Change "
                "its lines to make a new quote."
            ),
            rules.Q_NOT_SENT: _(
                "The quote of %(case)s is not waiting for the customer's answer "
                "(it is %(state)s)."
            ),
            rules.Q_EXPIRED: _(
                "The quote of %(case)s held until %(date)s. Please ask us for a "
                "new one."
            ),
        }
        state = dict(self._fields["quote_state"]._description_selection(self.env)).get(
            self.quote_state, ""
        )
        return UserError(
            messages[code]
            % {"case": self.name, "state": state, "date": self.quote_valid_until}
        )

    def _r2_crm_quote_shown(self):
        """The customer sees the quote once it is sent to him (or answered)."""
        return bool(
            self.purpose == rules.SERVICE
            and not self.warranty
            and self.line_ids
            and self.quote_state != rules.QUOTE_DRAFT
        )

    def _r2_crm_billable_lines(self):
        return self.line_ids.filtered(lambda line: not line.quote_rejected)

    def _r2_crm_ensure_quote_sendable(self):
        problem = rules.quote_send_problem(
            self.purpose,
            self.state,
            self.warranty,
            len(self.line_ids),
            self.quote_state,
        )
        if problem:
            raise self._r2_crm_quote_error(problem)

    def _r2_crm_ensure_quote_answerable(self, where):
        problem = rules.quote_answer_problem(
            where,
            self.purpose,
            self.state,
            self.warranty,
            len(self.line_ids),
            self.quote_state,
            (
                fields.Date.from_string(self.quote_valid_until)
                if self.quote_valid_until
                else None
            ),
            self._r2_crm_today(),
        )
        if problem:
            raise self._r2_crm_quote_error(problem)

    def _r2_crm_ensure_can_change(self):
        """The clerk who sends or records a quote may change the case."""
        self.check_access_rights("write")
        self.check_access_rule("write")

    # ------------------------------------------------------------------ send
    def action_send_quote(self):
        """Send quote: the quote's PDF e-mailed to the customer with the link
        of the case's portal page; the case waits for the customer's answer."""
        for case in self:
            case._r2_crm_send_quote()
        return True

    def _r2_crm_send_quote(self):
        self.ensure_one()
        self._r2_crm_ensure_quote_sendable()
        self._r2_crm_ensure_can_change()
        customer = self.partner_id
        company = self.company_id or self.env.user.company_id
        shop_address = self.env["mail.message"]._r2_crm_shop_address(company)
        if not customer.email:
            raise UserError(
                _(
                    "%(customer)s has no e-mail address. Add one to the customer, "
                    "or print the quote (Print menu) and record the customer's "
                    "answer at the counter."
                )
                % {"customer": customer.display_name}
            )
        if not shop_address:
            raise UserError(
                _("The company %(company)s has no e-mail address to send from.")
                % {"company": company.name}
            )
        # the PDF first, as the case e-mails do (it holds from today)
        pdf = self._r2_crm_render_quote()
        today = fields.Date.to_string(self._r2_crm_today())
        trust.as_workflow(self).write(
            {"quote_state": rules.QUOTE_SENT, "quote_sent_on": today}
        )
        # a new offer of every line, those of an earlier rejected quote too
        trust.as_workflow(self.line_ids.filtered("quote_rejected")).write(
            {"quote_rejected": False}
        )
        if self.waiting and self.waiting_reason != rules.WAIT_CUSTOMER:
            self._r2_crm_resume()
        if not self.waiting:
            self._r2_crm_wait(rules.WAIT_CUSTOMER)
        template = self.env.ref("r2_crm.mail_template_case_quote")
        email = template.generate_email(self.id, ["subject", "body_html"])
        self._r2_crm_mail_customer(
            email["subject"],
            email["body_html"],
            [("%s.pdf" % self._r2_crm_quote_filename(), pdf)],
        )

    def _r2_crm_render_quote(self):
        """The quote's PDF, in the customer's language and formats (dates,
        amounts), whoever prints it."""
        report = self.env.ref("r2_crm.r2_crm_report_repair_quote")
        pdf, _kind = report.with_context(
            lang=self._r2_crm_report_lang()
        ).render_qweb_pdf(self.ids)
        return pdf

    def _r2_crm_quote_filename(self):
        """The PDF's name, in the customer's language: Kosztorys SRV-2026-00002."""
        self = self.with_context(lang=self._r2_crm_report_lang())
        return _("Quote %(case)s") % {"case": (self.name or "").replace("/", "-")}

    def _r2_crm_report_lang(self):
        """The quote speaks the customer's language, else the shop's."""
        return (
            self.partner_id.lang
            or self.company_id.partner_id.lang
            or self.env.lang
            or "en_US"
        )

    # --------------------------------------------------------------- answers
    def action_quote_accept(self):
        """Accepted at the counter: the customer signs (the quote wizard)."""
        return self._r2_crm_quote_wizard(accept=True)

    def action_quote_reject(self):
        """Rejected at the counter or by phone: the quote wizard asks why."""
        return self._r2_crm_quote_wizard(accept=False)

    def _r2_crm_quote_wizard(self, accept):
        self.ensure_one()
        self._r2_crm_ensure_quote_answerable(rules.AT_COUNTER)
        self._r2_crm_ensure_can_change()
        action = self.env.ref("r2_crm.r2_crm_case_quote_wizard_action").read()[0]
        action["context"] = {
            "active_model": self._name,
            "active_id": self.id,
            "default_decision": "accept" if accept else "reject",
        }
        if not accept:
            action["name"] = _("The customer rejects the quote")
        return action

    def _r2_crm_quote_accept(self, signature, signed_by, where, author=None):
        """The customer accepts the quote with his ``signature`` (base64 of a
        PNG or JPEG, with or without a data: prefix) and name, ``where``
        (rules.AT_COUNTER: the clerk records it and may change the case;
        rules.ON_PORTAL: the portal checked the customer's right). ``author``:
        the partner the chatter names (the user's, by default)."""
        self.ensure_one()
        self._r2_crm_ensure_quote_answerable(where)
        name = (signed_by or "").strip()
        if not name:
            raise UserError(_("Name of the signer: type the customer's name."))
        data = self.env["r2.crm.contact"]._r2_crm_signature_bytes(signature)
        if where == rules.AT_COUNTER:
            self._r2_crm_ensure_can_change()
        trust.as_workflow(self).write(
            {
                "quote_state": rules.QUOTE_ACCEPTED,
                "quote_accepted_by": name,
                "quote_accepted_on": fields.Datetime.now(),
                "quote_signature": base64.b64encode(data),
            }
        )
        self._r2_crm_quote_stop_waiting()
        values = {
            "name": name,
            "date": self._r2_crm_local_time(self.quote_accepted_on),
            "user": self.env.user.name,
            "amount": self._r2_crm_money(self.amount_gross),
            "digest": rules.signature_digest(data),
        }
        if where == rules.ON_PORTAL:
            text = _(
                "%(name)s accepted the quote (%(amount)s gross) on the portal on "
                "%(date)s. Signature SHA-256: %(digest)s."
            )
        else:
            text = _(
                "%(name)s accepted the quote (%(amount)s gross) on %(date)s in the "
                "presence of %(user)s. Signature SHA-256: %(digest)s."
            )
        message = self._r2_crm_log(
            "<p>%s</p>" % html_escape(text % values),
            author,
            subtype=rules.SIGNATURE_SUBTYPE,
        )
        self._r2_crm_quote_keep_accepted(message)
        self._r2_crm_quote_task("accepted")

    def _r2_crm_quote_keep_accepted(self, message):
        """The quote as the customer accepted it, signed, stays with the
        acceptance's ``message``. He has accepted: a PDF printer that fails
        (wkhtmltopdf) does not undo that; it is logged, and the chatter asks
        the clerk to print the quote."""
        try:
            pdf = self.sudo()._r2_crm_render_quote()
        except UserError as error:
            _logger.warning(
                "r2_crm: the quote of %s was accepted, but its PDF was not made: %s",
                self.name,
                error.name,
            )
            text = _(
                "The accepted quote could not be printed, so it is not attached "
                "to the acceptance: print it from the case (Print menu) and keep "
                "it with the acceptance."
            )
            self._r2_crm_log("<p>%s</p>" % html_escape(text))
            return
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "%s.pdf" % self._r2_crm_quote_filename(),
                    "datas_fname": "%s.pdf" % self._r2_crm_quote_filename(),
                    "datas": base64.b64encode(pdf),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/pdf",
                }
            )
        )
        message.sudo().write({"attachment_ids": [(4, attachment.id)]})

    def _r2_crm_quote_reject(self, reason, where, author=None):
        """The customer rejects the quote, ``where`` (see _r2_crm_quote_accept),
        for ``reason`` (optional): its lines are marked rejected and are not
        invoiced; the responsible user returns the device."""
        self.ensure_one()
        self._r2_crm_ensure_quote_answerable(where)
        if where == rules.AT_COUNTER:
            self._r2_crm_ensure_can_change()
        trust.as_workflow(self).write({"quote_state": rules.QUOTE_REJECTED})
        trust.as_workflow(self.line_ids).write({"quote_rejected": True})
        self._r2_crm_quote_stop_waiting()
        values = {"user": self.env.user.name}
        if where == rules.ON_PORTAL:
            text = _("The customer rejected the quote on the portal.")
        else:
            text = _("The customer rejected the quote (recorded by %(user)s).")
        body = "<p>%s</p>" % html_escape(text % values)
        reason = (reason or "").strip()
        if reason:
            body += "<p>%s</p>%s" % (
                html_escape(_("Reason given:")),
                plaintext2html(reason[:2000]),
            )
        self._r2_crm_log(body, author)
        self._r2_crm_quote_task("rejected")

    def _r2_crm_quote_stop_waiting(self):
        """The customer answered: a case waiting for him resumes."""
        if self.waiting and self.waiting_reason == rules.WAIT_CUSTOMER:
            self._r2_crm_resume()

    def _r2_crm_quote_task(self, answer):
        """A task for today for the case's responsible user, in his language."""
        user = self.user_id
        if not user:
            return
        case = self.with_context(lang=user.lang or self.env.lang)
        if answer == "accepted":
            name = case._r2_crm_quote_task_accepted()
        else:
            name = case._r2_crm_quote_task_rejected()
        self.env["r2.crm.contact"]._r2_crm_make_task(
            user, name, self.partner_id, self.purpose, self
        )

    def _r2_crm_quote_task_accepted(self):
        return _("Quote accepted: %(case)s, repair the device") % {"case": self.name}

    def _r2_crm_quote_task_rejected(self):
        return _("Quote rejected: %(case)s, return the device") % {"case": self.name}

    # ----------------------------------------------------- lines after quote
    def _r2_crm_quote_lines_changed(self):
        """The lines of a quote the customer holds changed: the quote is a
        draft again, to be sent again; an acceptance no longer stands (the
        chatter keeps who accepted it, when, and the signed PDF)."""
        for case in self.filtered(
            lambda case: case.quote_state in (rules.QUOTE_SENT, rules.QUOTE_ACCEPTED)
        ):
            if case.quote_state == rules.QUOTE_ACCEPTED:
                text = _(
                    "The lines of the quote accepted by %(name)s on %(date)s "
                    "changed: the quote is a draft again and no longer accepted. "
                    "Send it to the customer again."
                ) % {
                    "name": case.quote_accepted_by,
                    "date": case._r2_crm_local_time(case.quote_accepted_on),
                }
            else:
                text = _(
                    "The lines of the quote sent on %(date)s changed: the quote "
                    "is a draft again. Send it to the customer again."
                ) % {"date": case.quote_sent_on}
            trust.as_workflow(case).write(
                {
                    "quote_state": rules.QUOTE_DRAFT,
                    "quote_accepted_by": False,
                    "quote_accepted_on": False,
                    "quote_signature": False,
                }
            )
            case._r2_crm_log("<p>%s</p>" % html_escape(text))

    # ----------------------------------------------------------------- helpers
    def _r2_crm_local_time(self, moment):
        return self.env["r2.crm.contact"]._r2_crm_local_time(moment)

    def _r2_crm_money(self, amount):
        return formatLang(self.env, amount, currency_obj=self.currency_id)
