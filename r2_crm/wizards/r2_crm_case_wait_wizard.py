from odoo import fields, models

from .. import rules


class R2CrmCaseWaitWizard(models.TransientModel):
    """Why a case waits: while it waits, its Wiek stands still."""

    _name = "r2.crm.case.wait.wizard"
    _inherit = "r2.crm.case.wizard.mixin"
    _description = "Let cases wait"

    waiting_reason = fields.Selection(
        rules.WAITING_REASONS, string="Reason", required=True, default=rules.WAIT_PARTS
    )

    waiting_note = fields.Char(string="Waiting for")

    def action_confirm(self):
        self.ensure_one()
        self.case_ids._r2_crm_transition(
            "wait", reason=self.waiting_reason, note=self.waiting_note
        )
        return {"type": "ir.actions.act_window_close"}
