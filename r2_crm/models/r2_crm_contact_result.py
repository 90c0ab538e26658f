"""Results applied: S1 opens a numbered case, S2 closes it as success, a
failure result closes it as fiasco. The entries of a closed case are its
history."""

import logging

from odoo import _, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html_escape

from .. import rules, trust
from .r2_crm_workflow_mixin import without_context_defaults

_logger = logging.getLogger(__name__)

# How long a result waits for another one on the same case before Odoo retries
# the request (PostgreSQL error 55P03, which Odoo's RPC layer retries).
CASE_LOCK_TIMEOUT = "15s"


class R2CrmContact(models.Model):
    _inherit = "r2.crm.contact"

    def _r2_crm_of_closed_cases(self):
        self.mapped("case_id").invalidate_cache(["state"])
        return self.filtered(
            lambda contact: contact.case_id.state in rules.CLOSED_STATES
        )

    def _r2_crm_ensure_history_kept(self, vals):
        """Entries of a closed case stay with it, and the note whose result
        closed it keeps that result, as long as the case stays closed."""
        for contact in self._r2_crm_of_closed_cases():
            case = contact.case_id
            if "case_id" in vals and (vals["case_id"] or False) != case.id:
                raise ValidationError(
                    _(
                        "Linked to: '%(note)s' is history of the closed case "
                        "%(case)s and cannot be moved out of it."
                    )
                    % {"note": contact.name, "case": case.name}
                )
            closing = contact.result_id.action in rules.CLOSING_ACTIONS
            if closing and (vals.get("result_id") or False) != contact.result_id.id:
                raise ValidationError(
                    _(
                        "Result: '%(note)s' closed the case %(case)s with result "
                        "%(result)s, which it keeps while the case is closed."
                    )
                    % {
                        "note": contact.name,
                        "case": case.name,
                        "result": contact.result_id.code,
                    }
                )

    def _r2_crm_result_error(self, code):
        messages = {
            rules.ERR_ALREADY_LINKED: _(
                "The note '%(note)s' is already linked to %(case)s: result "
                "%(result)s opens a new case and cannot be used here."
            ),
            rules.ERR_NO_CASE: _(
                "Result %(result)s closes a case, but the note '%(note)s' is not "
                "linked to any case. Choose the case in 'Linked to' first."
            ),
            rules.ERR_CASE_CLOSED: _(
                "Result %(result)s closes a case, but %(case)s is already closed."
            ),
        }
        return ValidationError(
            messages[code]
            % {
                "note": self.name,
                "case": self.case_id.name,
                "result": self.result_id.code,
            }
        )

    def _r2_crm_lock_cases(self, case_ids):
        """Serialise what changes a case's history: results, links and
        deletions of its entries lock the case's row before anything is written.

        A second request waits for the first to finish (at most
        CASE_LOCK_TIMEOUT). If the first changed the case, PostgreSQL refuses
        the second's lock with a serialization failure, which Odoo's request
        handling retries in a fresh transaction that sees the case as the first
        left it: closed, say, so the second result is refused clearly."""
        case_ids = tuple(sorted(set(filter(None, case_ids))))
        if case_ids:
            self.env.cr.execute(
                "SELECT set_config('lock_timeout', %s, true);"
                "SELECT id FROM r2_crm_case WHERE id IN %s ORDER BY id FOR UPDATE;"
                "SELECT set_config('lock_timeout', '0', true);",
                (CASE_LOCK_TIMEOUT, case_ids),
                log_exceptions=False,
            )

    def _apply_result(self):
        """Automated actions a shop wrote before 11.0.1.7.0 call this name."""
        return self._r2_crm_apply_result()

    def _r2_crm_apply_result(self):
        """Apply each entry's result to its case (r2.crm.case._r2_crm_transition
        "result", which the automated actions call).

        On write only a changed result counts: base.automation passes the
        values from before the write in the context as ``old_values``.
        """
        if trust.is_import(self):
            return  # imported history: its results changed their cases long ago
        old_values = self.env.context.get("old_values")
        for contact in self:
            if old_values is not None:
                old = old_values.get(contact.id, {})
                if "result_id" not in old:
                    continue
                old_result = old["result_id"] and old["result_id"][0]
                if old_result == contact.result_id.id:
                    continue
            action = contact.result_id.action
            case = contact.case_id
            if case:
                self._r2_crm_lock_cases(case.ids)
                case.invalidate_cache(["state"])
            try:
                transition = rules.result_transition(
                    action, case.state if case else None
                )
            except rules.TransitionError as error:
                raise contact._r2_crm_result_error(error.code)
            # the e-mail and its PDF are made by the scheduled action, not
            # while the clerk waits for the note to save; only a service case
            # has protocols and a portal page to send
            notify = transition.operation and contact.result_id.notify_customer
            if transition.operation == "create":
                service = contact.purpose == rules.SERVICE
                contact._r2_crm_open_case(notify=notify and service)
            elif transition.operation == "close":
                case._r2_crm_close(transition.new_state, contact._r2_crm_date_local())
                case._r2_crm_invoice_at_completion()
                if notify and case.purpose == rules.SERVICE:
                    trust.as_workflow(contact).write(
                        contact._r2_crm_mail_pending_values()
                    )

    def _r2_crm_date_local(self):
        """The entry's date as a date string in the user's timezone."""
        return fields.Date.context_today(self, fields.Datetime.from_string(self.date))

    def _r2_crm_open_case(self, notify=False):
        """Open the case of an S1 note and link the note to it, in one write
        with ``notify``: the customer is to hear of it by e-mail."""
        self.ensure_one()
        # what the request's context proposes is no business of the new case
        Case = without_context_defaults(self.env["r2.crm.case"])
        date_open = self._r2_crm_date_local()
        deadline = Case._r2_crm_default_deadline(date_open, self.company_id)
        # One chatter message instead of mail.thread's creation log and the
        # tracking of every field: S1 notes come in bulk at a service desk.
        case = (
            trust.as_workflow(Case)
            .with_context(tracking_disable=True)
            .create(
                {
                    "purpose": self.purpose,
                    "partner_id": self.partner_id.id,
                    "user_id": self.user_id.id,
                    "company_id": self.company_id.id,
                    "item_description": self.item_description,
                    "description": self.description,
                    "date_open": date_open,
                    "date_deadline": deadline,
                    "device_id": self._r2_crm_intake_device().id,
                }
            )
            .with_env(self.env)
        )
        case._r2_crm_log(
            "<p>%s</p>"
            % (
                _("Case opened by the note %(note)s (result %(result)s).")
                % {
                    "note": html_escape(self.name),
                    "result": html_escape(self.result_id.code),
                }
            )
        )
        values = {"case_id": case.id}
        if notify:
            values.update(self._r2_crm_mail_pending_values())
        trust.as_workflow(self).write(values)
        return case
