from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    r2_crm_case_deadline_days = fields.Integer(
        string="Default case deadline (days)",
        default=14,
        help="A service case opened by a result (S1) gets this many days "
        "until its deadline.",
    )
    r2_crm_protocol_terms = fields.Text(
        string="Service protocol terms",
        translate=True,
        help="Printed on the service intake protocol, for example the terms of "
        "repair and of collecting the goods.",
    )
    r2_crm_repeat_days = fields.Integer(
        string="Repeat repair within (days)",
        default=30,
        help="A device taken in again at most this many days after its repair "
        "is marked as a repeat repair.",
    )
