"""Dictionaries in use cannot be deleted: archive them instead."""

from odoo import _, models
from odoo.exceptions import UserError


class R2CrmInUseMixin(models.AbstractModel):
    _name = "r2.crm.in.use.mixin"
    _description = "Refuse deleting dictionary entries that are in use"

    # (model, field) pairs that point at this dictionary
    _r2_crm_used_by = []

    def unlink(self):
        for model, field in self._r2_crm_used_by:
            used = (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                .search([(field, "in", self.ids)], limit=1)
            )
            if used:
                entry = used[field] & self
                raise UserError(
                    _("%(entry)s is in use and cannot be deleted; archive it instead.")
                    % {"entry": entry[:1].display_name}
                )
        return super(R2CrmInUseMixin, self).unlink()
