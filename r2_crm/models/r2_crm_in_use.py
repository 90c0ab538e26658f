"""Records that others point at are not deleted: archive them instead."""

from odoo import _, models
from odoo.exceptions import UserError


class R2CrmInUseMixin(models.AbstractModel):
    _name = "r2.crm.in.use.mixin"
    _inherit = ["r2.crm.company.mixin"]
    _description = "Refuse deleting records that are in use"

    def _r2_crm_in_use_error(self):
        return UserError(
            _("%(entry)s is in use and cannot be deleted; archive it instead.")
            % {"entry": self.display_name}
        )

    def unlink(self):
        used = self._r2_crm_first_in_use()
        if used:
            raise used._r2_crm_in_use_error()
        return super(R2CrmInUseMixin, self).unlink()
