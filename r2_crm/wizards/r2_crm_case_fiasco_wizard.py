from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape, plaintext2html

from .. import rules


class R2CrmCaseFiascoWizard(models.TransientModel):
    _name = "r2.crm.case.fiasco.wizard"
    _description = "Mark contracts as fiasco"

    def _default_case_ids(self):
        if self.env.context.get("active_model") == "r2.crm.case":
            return [(6, 0, self.env.context.get("active_ids", []))]
        return []

    case_ids = fields.Many2many(
        "r2.crm.case",
        string="Contracts",
        readonly=True,
        default=lambda self: self._default_case_ids(),
    )
    failure_reason_id = fields.Many2one("r2.crm.failure.reason", string="Reason")
    failure_note = fields.Text(string="Why the customer gave up")

    def action_confirm(self):
        """Close open contracts as fiasco, or, for a manager, correct the reason
        and note of contracts that already are a fiasco (the chatter tracks it)."""
        self.ensure_one()
        if not self.failure_reason_id:
            raise UserError(_("Choose the reason of the fiasco."))
        cases = self.case_ids
        values = {
            "failure_reason_id": self.failure_reason_id.id,
            "failure_note": self.failure_note,
        }
        if cases and set(cases.mapped("state")) == {rules.FAILURE}:
            cases.write(values)
            return {"type": "ir.actions.act_window_close"}
        cases._ensure_open_for_fiasco()
        cases._r2_crm_close(rules.FAILURE, fields.Date.context_today(self), values)
        body = html_escape(
            _("Fiasco: %(reason)s") % {"reason": self.failure_reason_id.name}
        )
        if self.failure_note:
            body += plaintext2html(self.failure_note)
        for case in cases:
            case.message_post(body=body)
        return {"type": "ir.actions.act_window_close"}
