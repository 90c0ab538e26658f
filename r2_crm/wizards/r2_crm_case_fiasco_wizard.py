from odoo import _, fields, models
from odoo.exceptions import UserError

from .. import rules


class R2CrmCaseFiascoWizard(models.TransientModel):
    _name = "r2.crm.case.fiasco.wizard"
    _inherit = "r2.crm.case.wizard.mixin"
    _description = "Mark contracts as fiasco"

    case_ids = fields.Many2many(string="Contracts")
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
        cases._r2_crm_transition(
            "fiasco", reason=self.failure_reason_id.id, note=self.failure_note
        )
        return {"type": "ir.actions.act_window_close"}
