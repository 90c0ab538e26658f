from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    r2_crm_case_deadline_days = fields.Integer(
        string="Default case deadline (days)", default=14,
        help="A service case opened by a result (S1) gets this many days "
             "until its deadline.")
