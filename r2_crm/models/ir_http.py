"""The web client learns the pager's count limit with its session."""

from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        info = super(IrHttp, self).session_info()
        info["r2_crm_pager_count_limit"] = self.env[
            "ir.config_parameter"
        ]._r2_crm_pager_count_limit()
        return info
