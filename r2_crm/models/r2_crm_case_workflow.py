"""The case's states: open, success, fiasco. Only the transitions here
(buttons, results, the fiasco wizard, the import) write what the workflow
owns (_r2_crm_workflow_fields), with trust's key."""

from odoo import _, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import rules, trust

# Of the fields only the workflow writes (R2CrmCase._r2_crm_workflow_fields),
# a manager may correct these on a fiasco (tracked in the chatter)
CORRECTABLE_FIELDS = ("failure_reason_id", "failure_note")


class R2CrmCase(models.Model):
    _inherit = "r2.crm.case"

    failure_reason_id = fields.Many2one(
        "r2.crm.failure.reason",
        string="Fiasco reason",
        ondelete="restrict",
        readonly=True,
        copy=False,
        track_visibility="onchange",
    )
    failure_note = fields.Text(
        string="Why the customer gave up",
        readonly=True,
        copy=False,
        track_visibility="onchange",
    )

    def _r2_crm_workflow_initial(self, name):
        values = super(R2CrmCase, self)._r2_crm_workflow_initial(name)
        return values + ["/"] if name == "name" else values

    def _r2_crm_workflow_error(self, name):
        return UserError(
            _(
                "%(field)s is set by the workflow (the buttons, the results and the "
                "fiasco wizard) and cannot be written directly."
            )
            % {"field": self._r2_crm_field_label(name)}
        )

    def _ensure_workflow_fields(self, vals):
        """The number, the status, the closing date and the fiasco reason are
        written by the workflow only: its buttons, results and the fiasco
        wizard. A manager may correct the reason and note of a fiasco."""
        if trust.is_workflow(self):
            return
        changed = self._r2_crm_workflow_changes(vals)
        if (
            self
            and changed
            and set(changed) <= set(CORRECTABLE_FIELDS)
            and set(self.mapped("state")) == {rules.FAILURE}
        ):
            if not self.env.user.has_group("r2_crm.r2_crm_group_manager"):
                raise UserError(
                    _("Only CRM managers can correct the reason of a fiasco.")
                )
            if "failure_reason_id" in changed and not vals["failure_reason_id"]:
                raise ValidationError(_("Fiasco reason: a fiasco needs a reason."))
            return
        super(R2CrmCase, self)._ensure_workflow_fields(vals)

    def _ensure_state(self, allowed, message):
        wrong = self.filtered(lambda case: case.state not in allowed)
        if wrong:
            raise UserError(message % {"cases": ", ".join(wrong.mapped("name"))})

    def action_mark_success(self):
        self._ensure_state(
            [rules.OPEN],
            _("Only open contracts can be marked as success. Not open: %(cases)s."),
        )
        self._r2_crm_close(rules.SUCCESS, fields.Date.context_today(self))
        return True

    def _ensure_open_for_fiasco(self):
        """Checked when the wizard opens and again when it is confirmed."""
        self._ensure_state(
            [rules.OPEN],
            _("Only open contracts can be marked as fiasco. Not open: %(cases)s."),
        )

    def _r2_crm_wizard_action(self, xmlid, **context):
        """The action of a wizard (fiasco, wait) on the cases of self."""
        action = self.env.ref(xmlid).read()[0]
        action["context"] = dict(context, active_model=self._name, active_ids=self.ids)
        return action

    def action_mark_fiasco(self):
        self._ensure_open_for_fiasco()
        return self._r2_crm_wizard_action("r2_crm.r2_crm_case_fiasco_wizard_action")

    def action_correct_fiasco(self):
        """A manager corrects the reason and note of a fiasco, in the wizard."""
        self.ensure_one()
        self._ensure_state(
            [rules.FAILURE],
            _("Only the reason of a fiasco can be corrected. Not a fiasco: %(cases)s."),
        )
        action = self._r2_crm_wizard_action(
            "r2_crm.r2_crm_case_fiasco_wizard_action",
            default_failure_reason_id=self.failure_reason_id.id,
            default_failure_note=self.failure_note,
        )
        action["name"] = _("Correct the fiasco reason")
        return action

    def action_reopen(self):
        if not self.env.user.has_group("r2_crm.r2_crm_group_manager"):
            raise UserError(_("Only CRM managers can reopen closed contracts."))
        self._ensure_state(
            rules.CLOSED_STATES,
            _("Only closed contracts can be reopened. Already open: %(cases)s."),
        )
        trust.as_workflow(self).write(
            {
                "state": rules.OPEN,
                "date_closed": False,
                "failure_reason_id": False,
                "failure_note": False,
            }
        )
        return True

    def _r2_crm_close(self, new_state, date_closed, values=None):
        """Close the cases as success or failure (buttons and results). A
        waiting case resumes first: it is done, and its days waited count."""
        self._r2_crm_resume(date_closed)
        vals = dict(values or {}, state=new_state, date_closed=date_closed)
        trust.as_workflow(self).write(vals)
