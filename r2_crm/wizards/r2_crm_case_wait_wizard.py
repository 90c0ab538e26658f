from odoo import fields, models

from .. import rules


class R2CrmCaseWaitWizard(models.TransientModel):
    """Why a case waits: while it waits, its Wiek stands still."""

    _name = "r2.crm.case.wait.wizard"
    _description = "Let cases wait"

    def _default_case_ids(self):
        if self.env.context.get("active_model") == "r2.crm.case":
            return [(6, 0, self.env.context.get("active_ids", []))]
        return []

    case_ids = fields.Many2many(
        "r2.crm.case",
        string="Cases",
        readonly=True,
        default=lambda self: self._default_case_ids(),
    )
    waiting_reason = fields.Selection(
        rules.WAITING_REASONS, string="Reason", required=True, default=rules.WAIT_PARTS
    )

    def action_confirm(self):
        self.ensure_one()
        self.case_ids._ensure_can_wait()
        self.case_ids._r2_crm_wait(self.waiting_reason)
        return {"type": "ir.actions.act_window_close"}
