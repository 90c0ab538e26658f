from odoo import _, fields, models
from odoo.exceptions import ValidationError

from .. import rules


class R2CrmPurposeMixin(models.AbstractModel):
    """Purpose (Cel) and company of KONTAKTY and KONTRAKTY/SPRAWY records."""

    _name = "r2.crm.purpose.mixin"
    _inherit = ["r2.crm.company.mixin"]
    _description = "Purpose and company of CRM records"

    def _default_purpose(self):
        """The user's department (R2faktury: user library, field CRM)."""
        return self.env.user.r2_crm_purpose or rules.OTHER

    purpose = fields.Selection(
        rules.PURPOSES,
        required=True,
        index=True,
        default=lambda self: self._default_purpose(),
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id
    )

    def _ensure_purpose(self, purpose):
        """A clear error for a purpose outside the selection (RPC clients)."""
        if purpose not in dict(rules.PURPOSES):
            raise ValidationError(
                _("Purpose: %(purpose)r is not one of %(purposes)s.")
                % {
                    "purpose": purpose,
                    "purposes": ", ".join(key for key, _label in rules.PURPOSES),
                }
            )
