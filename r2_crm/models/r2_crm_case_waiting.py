"""Waiting (for parts, for the customer) pauses Wiek; resuming moves the
deadline by the days waited."""

from odoo import _, fields, models
from odoo.exceptions import UserError

from .. import rules, trust


class R2CrmCase(models.Model):
    _inherit = "r2.crm.case"

    # Waiting pauses Wiek (Wait and Resume buttons)
    # the chatter tracks the reason (in words), not this flag ("true -> false")
    waiting = fields.Boolean(readonly=True, copy=False, index=True)
    waiting_reason = fields.Selection(
        rules.WAITING_REASONS,
        readonly=True,
        copy=False,
        track_visibility="onchange",
    )
    waiting_note = fields.Char(
        string="Waiting for",
        readonly=True,
        copy=False,
        track_visibility="onchange",
        help="What the case waits for, when the reason is something else.",
    )
    waiting_since = fields.Date(readonly=True, copy=False)
    days_waited = fields.Integer(
        readonly=True,
        copy=False,
        help="Days the case waited, over all its pauses: they moved its deadline.",
    )

    def _r2_crm_ensure_can_wait(self):
        self._r2_crm_ensure_state(
            [rules.OPEN], _("Only open cases can wait. Not open: %(cases)s.")
        )
        not_service = self.filtered(lambda case: case.purpose != rules.SERVICE)
        if not_service:
            raise UserError(
                _(
                    "Only service cases wait for parts or for the customer; "
                    "%(cases)s is not a service case."
                )
                % {"cases": ", ".join(not_service.mapped("name"))}
            )
        waiting = self.filtered("waiting")
        if waiting:
            raise UserError(
                _("%(cases)s already waits.")
                % {"cases": ", ".join(waiting.mapped("name"))}
            )

    def action_wait(self):
        """Wait (for parts, for the customer): the wizard asks why."""
        self._r2_crm_ensure_can_wait()
        return self._r2_crm_wizard_action("r2_crm.r2_crm_case_wait_wizard_action")

    def _r2_crm_wait(self, reason, since=None, note=None):
        """The cases wait from ``since`` (today) for ``reason``, which for
        "something else" (rules.WAIT_OTHER) says what in ``note``: their Wiek
        stands still."""
        self._r2_crm_ensure_can_wait()
        note = (note or "").strip()
        if reason == rules.WAIT_OTHER and not note:
            raise UserError(
                _("Waiting for something else: say what the case waits for.")
            )
        trust.as_workflow(self).write(
            {
                "waiting": True,
                "waiting_reason": reason,
                "waiting_note": note if reason == rules.WAIT_OTHER else False,
                "waiting_since": since or fields.Date.to_string(self._r2_crm_today()),
            }
        )

    def action_resume(self):
        """Resume: the deadline moves by the days the case waited."""
        not_waiting = self.filtered(lambda case: not case.waiting)
        if not_waiting:
            raise UserError(
                _("%(cases)s does not wait.")
                % {"cases": ", ".join(not_waiting.mapped("name"))}
            )
        self._r2_crm_transition("resume")
        return True

    def _r2_crm_resume(self, day=None):
        """The waiting cases of self resume on ``day`` (today)."""
        today = fields.Date.from_string(day) if day else self._r2_crm_today()
        to_date = fields.Date.from_string
        for case in self.filtered("waiting"):
            deadline, days_waited = rules.resume(
                to_date(case.date_deadline),
                to_date(case.waiting_since),
                today,
                case.days_waited,
            )
            trust.as_workflow(case).write(
                {
                    "waiting": False,
                    "waiting_reason": False,
                    "waiting_note": False,
                    "waiting_since": False,
                    "days_waited": days_waited,
                    "date_deadline": (
                        fields.Date.to_string(deadline) if deadline else False
                    ),
                }
            )
