from odoo import fields, models


class R2CrmFailureReason(models.Model):
    _name = "r2.crm.failure.reason"
    _description = "Reason of a fiasco"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id)
