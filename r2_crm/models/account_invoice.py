from odoo import fields, models


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    r2_crm_case_id = fields.Many2one(
        "r2.crm.case", string="Contract/case", index=True, ondelete="restrict",
        copy=False, readonly=True, states={"draft": [("readonly", False)]},
        domain="[('partner_id', 'child_of', partner_id)]")
