from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class R2CrmLevel(models.Model):
    _name = "r2.crm.level"
    _inherit = ["r2.crm.in.use.mixin"]
    _description = "Contract level"
    _order = "sequence, id"
    _r2_crm_used_by = [("r2.crm.case", "level_id")]

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    probability = fields.Float(
        string="Default probability (%)",
        help="Suggested probability of success for contracts at this level.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id
    )

    @api.constrains("probability")
    def _check_probability(self):
        for level in self:
            if not 0 <= level.probability <= 100:
                raise ValidationError(
                    _("The probability of level %(level)s must be between 0 and 100.")
                    % {"level": level.name}
                )
