from odoo import fields, models

from .res_users import DEPARTMENTS


class R2CrmPurposeMixin(models.AbstractModel):
    """Purpose (Cel) and company of KONTAKTY and KONTRAKTY/SPRAWY records."""

    _name = "r2.crm.purpose.mixin"
    _description = "Purpose and company of CRM records"

    def _default_purpose(self):
        """The user's department (R2faktury: user library, field CRM)."""
        return self.env.user.r2_crm_department or "other"

    purpose = fields.Selection(
        DEPARTMENTS,
        required=True,
        index=True,
        default=lambda self: self._default_purpose(),
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id
    )
