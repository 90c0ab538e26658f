from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import rules


class R2CrmCaseQuoteWizard(models.TransientModel):
    """The customer's answer to a repair quote, recorded at the counter: he
    accepts it with his signature (as he signs a protocol), or rejects it,
    there or by phone, and the clerk notes why."""

    _name = "r2.crm.case.quote.wizard"
    _description = "The customer answers the quote"

    def _default_case_id(self):
        if self.env.context.get("active_model") == "r2.crm.case":
            return self.env.context.get("active_id")
        return False

    case_id = fields.Many2one(
        "r2.crm.case",
        required=True,
        readonly=True,
        default=lambda self: self._default_case_id(),
    )
    decision = fields.Selection(
        [("accept", "Accepts"), ("reject", "Rejects")],
        required=True,
        default="accept",
        readonly=True,
    )
    currency_id = fields.Many2one(related="case_id.currency_id", readonly=True)
    amount_gross = fields.Monetary(related="case_id.amount_gross", readonly=True)
    signature = fields.Binary()
    signed_by = fields.Char(string="Name of the signer")
    reason = fields.Text(string="Why the customer rejects it")

    @api.onchange("case_id")
    def _onchange_case_id(self):
        """Propose the customer's name, when the customer is a person."""
        partner = self.case_id.partner_id
        if partner and not partner.is_company and not self.signed_by:
            self.signed_by = partner.name

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "accept":
            if not self.signature:
                raise UserError(_("Signature: the customer has not signed yet."))
            self.case_id._r2_crm_quote_accept(
                self.signature, self.signed_by, rules.AT_COUNTER
            )
        else:
            self.case_id._r2_crm_quote_reject(self.reason, rules.AT_COUNTER)
        return {"type": "ir.actions.act_window_close"}
