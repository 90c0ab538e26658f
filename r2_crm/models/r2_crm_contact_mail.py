"""The customer hears of S1 and S2 by e-mail, with the protocol: a
scheduled action sends what the results marked, outside the clerk's request,
once the customer signed the note or the company's delay has passed."""

import logging
import threading

import psycopg2

from odoo import _, api, fields, models
from odoo.tools import html_escape, mute_logger

from .. import rules, trust

_logger = logging.getLogger(__name__)


class R2CrmContact(models.Model):
    _inherit = "r2.crm.contact"

    # The customer hears of S1 and S2 by e-mail (r2.crm.result.notify_customer)
    customer_mail_state = fields.Selection(
        rules.CUSTOMER_MAIL_STATES,
        string="E-mail to the customer",
        readonly=True,
        copy=False,
        index=True,
        help="The result marks the e-mail to be sent; a scheduled action sends it "
        "with the protocol within minutes, or notes in the case why it could not.",
    )

    customer_mail_pending_since = fields.Datetime(
        string="E-mail to be sent since",
        readonly=True,
        copy=False,
        help="When the result marked the e-mail: it waits for the customer's "
        "signature at most the company's delay from then.",
    )

    def _r2_crm_mail_pending_values(self):
        """The values that mark the note's e-mail to be sent."""
        return {
            "customer_mail_state": rules.MAIL_PENDING,
            "customer_mail_pending_since": self._r2_crm_now(),
        }

    @api.model
    def _r2_crm_now(self):
        """Now, for the e-mail's delay (tests move it)."""
        return fields.Datetime.now()

    @api.model
    def _cron_send_customer_mail(self, limit=200):
        """The scheduled action r2_crm.ir_cron_customer_mail: e-mail the
        customers the notes of S1 and S2 are waiting to tell.

        A note's e-mail is due once the customer signed the note (its protocol
        then carries the signature) or the company's r2_crm_mail_delay_minutes
        have passed since the result; a note marked before the delay existed
        is due at once.

        One note at a time, each locked and (outside tests) committed as soon
        as its e-mail is queued, so that a second run at the same time skips it
        and a run that fails later never sends it again. A note that fails is
        rolled back alone and stays pending for the next run. Two runs at once
        (two nodes, or "Run manually" beside the scheduled run) each send
        other notes: a lost race of the database is looked at again, never
        sent twice (faults/test_crons_two_nodes.py)."""
        auto_commit = not getattr(threading.currentThread(), "testing", False)
        failed = [0]
        for _count in range(limit):
            try:
                note = self._r2_crm_next_due_mail(failed)
            except psycopg2.extensions.TransactionRollbackError:
                if not auto_commit:
                    raise
                # a run on another node sent a note after this transaction's
                # snapshot and before its lock: look again in a new one
                self.env.cr.rollback()
                self.env.clear()
                continue
            if not note:
                break
            if not auto_commit:
                note._r2_crm_send_customer_mail()
                continue
            try:
                note._r2_crm_send_customer_mail()
            except psycopg2.extensions.TransactionRollbackError:
                # the case was written by another run (the case's other note):
                # this note stays pending and is sent by this run or the next
                self.env.cr.rollback()
                self.env.clear()
                _logger.info("r2_crm: e-mail of note %s deferred", note.id)
                continue
            except Exception:  # pylint: disable=broad-except
                # each note is a transaction of its own: undo only this one
                self.env.cr.rollback()
                self.env.clear()
                _logger.exception("r2_crm: e-mail of note %s not sent", note.id)
                failed.append(note.id)
                continue
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _r2_crm_next_due_mail(self, failed):
        """The next note whose e-mail is due, locked; skips the notes another
        run holds and those in ``failed`` (ids)."""
        with mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                """SELECT c.id FROM r2_crm_contact c
                LEFT JOIN res_company co ON co.id = c.company_id
                WHERE c.customer_mail_state = %(pending)s
                AND c.id NOT IN %(failed)s
                AND (c.signed_on IS NOT NULL
                     OR c.customer_mail_pending_since IS NULL
                     OR c.customer_mail_pending_since + make_interval(
                            mins => coalesce(co.r2_crm_mail_delay_minutes, %(delay)s)
                        ) <= %(now)s)
                ORDER BY c.id LIMIT 1 FOR UPDATE OF c SKIP LOCKED""",
                {
                    "pending": rules.MAIL_PENDING,
                    "failed": tuple(failed),
                    "delay": rules.MAIL_DELAY_MINUTES,
                    "now": self._r2_crm_now(),
                },
            )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.browse()

    def _r2_crm_still_mine(self):
        """After the PDF: whether this run still holds the note, pending.
        Rendering may have committed a new assets bundle and so released the
        note's lock: another run (another node) may have taken the note since.
        Taken again here, or left to the run that holds it. A note sent by
        another run since this transaction's snapshot raises a serialization
        failure, which the scheduled action looks at again."""
        with mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                "SELECT customer_mail_state FROM r2_crm_contact WHERE id = %s "
                "FOR UPDATE SKIP LOCKED",
                (self.id,),
            )
        row = self.env.cr.fetchone()
        return bool(row) and row[0] == rules.MAIL_PENDING

    def _r2_crm_send_customer_mail(self):
        """Post the note's e-mail to the customer in the case's chatter, with
        its protocol: Odoo's mail queue sends it. Without an address, a note in
        the chatter says why nothing was sent."""
        self.ensure_one()
        case = self.case_id
        customer = case.partner_id
        company = case.company_id or self.company_id or self.env.user.company_id
        shop_address = self.env["mail.message"]._r2_crm_shop_address(company)
        if not customer.email:
            reason = _("the customer %(name)s has no e-mail address") % {
                "name": customer.display_name
            }
        elif not shop_address:
            reason = _("the company %(name)s has no e-mail address") % {
                "name": company.name
            }
        else:
            reason = None
        if reason:
            case.message_post(
                body=html_escape(
                    _("No e-mail to the customer about %(note)s: %(reason)s.")
                    % {"note": self.name, "reason": reason}
                ),
                subtype="mail.mt_note",
            )
            trust.as_workflow(self).write({"customer_mail_state": rules.MAIL_NOT_SENT})
            return
        opening = self.result_id.action == rules.OPEN_CASE
        template = self.env.ref(
            "r2_crm.mail_template_case_opened"
            if opening
            else "r2_crm.mail_template_case_closed"
        )
        # the PDF first: rendering may commit a new assets bundle (Odoo does,
        # outside tests), which must not cut the posting of the e-mail in two
        pdf = self._r2_crm_render_protocol()
        if not self._r2_crm_still_mine():
            return
        email = template.generate_email(case.id, ["subject", "body_html"])
        case._r2_crm_mail_customer(
            email["subject"],
            email["body_html"],
            [("%s.pdf" % self._r2_crm_protocol_filename(), pdf)],
        )
        trust.as_workflow(self).write({"customer_mail_state": rules.MAIL_SENT})
