from odoo import fields, models


class R2CrmFailureReason(models.Model):
    _name = "r2.crm.failure.reason"
    _inherit = ["r2.crm.in.use.mixin"]
    _description = "Reason of a fiasco"
    _order = "name"
    _r2_crm_used_by = [("r2.crm.case", "failure_reason_id")]

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    is_imported = fields.Boolean(
        string="From R2faktury",
        readonly=True,
        help="Added by the import from R2faktury, where the shop used it.",
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id
    )
