from odoo import fields, models

from .res_users import DEPARTMENTS

RESULT_ACTIONS = [
    ("none", "Nothing"),
    ("open_case", "Open a case"),
    ("close_success", "Close the case as success"),
    ("close_failure", "Close the case as fiasco"),
]


class R2CrmResult(models.Model):
    _name = "r2.crm.result"
    _description = "CRM result"
    _order = "code"
    _rec_name = "code"

    code = fields.Char(required=True)
    name = fields.Char(string="Description", required=True, translate=True)
    purpose = fields.Selection(DEPARTMENTS)
    action = fields.Selection(
        RESULT_ACTIONS, required=True, default="none",
        help="What saving a note with this result does to its case.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)",
         "A result with this code already exists in this company."),
    ]

    def name_get(self):
        return [(result.id, "%s %s" % (result.code, result.name)) for result in self]
