"""r2_crm's system parameters, read with their defaults."""

from odoo import api, models

from .. import rules


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def _r2_crm_pager_count_limit(self):
        """Up to how many matches the lists of KONTAKTY and cases count (0:
        all of them); a wrong value counts up to the default."""
        value = self.sudo().get_param(rules.PAGER_COUNT_LIMIT_PARAM)
        try:
            return max(int(value), 0) if value else rules.PAGER_COUNT_LIMIT
        except ValueError:
            return rules.PAGER_COUNT_LIMIT
