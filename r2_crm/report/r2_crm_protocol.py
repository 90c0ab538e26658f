from odoo import _, api, models

from .. import rules


class ReportIntakeProtocol(models.AbstractModel):
    _name = "report.r2_crm.report_intake_protocol"
    _description = "Service intake protocol"

    @api.model
    def get_report_values(self, docids, data=None):
        docs = self.env["r2.crm.contact"].browse(docids)
        docs._r2_crm_check_protocol((rules.OPEN_CASE,), _("intake protocol"))
        return {"doc_ids": docids, "doc_model": "r2.crm.contact", "docs": docs}


class ReportCompletionProtocol(models.AbstractModel):
    _name = "report.r2_crm.report_completion_protocol"
    _description = "Service completion protocol"

    @api.model
    def get_report_values(self, docids, data=None):
        docs = self.env["r2.crm.contact"].browse(docids)
        docs._r2_crm_check_protocol(
            (rules.CLOSE_SUCCESS, rules.CLOSE_FAILURE), _("completion protocol")
        )
        return {"doc_ids": docids, "doc_model": "r2.crm.contact", "docs": docs}
