from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import rules


class ReportRepairQuote(models.AbstractModel):
    """The repair quote of a service case: its parts and labour, net, VAT and
    gross, and how long it holds."""

    _name = "report.r2_crm.report_repair_quote"
    _description = "Repair quote"

    def _ensure_printable(self, cases):
        if not cases:
            raise UserError(_("Choose the service case to print the quote of."))
        for case in cases:
            if case.purpose != rules.SERVICE:
                raise UserError(case._r2_crm_quote_error(rules.Q_NOT_SERVICE).name)
            if case.warranty:
                raise UserError(case._r2_crm_quote_error(rules.Q_WARRANTY).name)
            if not case.line_ids:
                raise UserError(case._r2_crm_quote_error(rules.Q_NO_LINES).name)

    @api.model
    def get_report_values(self, docids, data=None):
        cases = self.env["r2.crm.case"].browse(docids)
        self._ensure_printable(cases)
        today = fields.Date.context_today(self)
        quotes = {}
        for case in cases:
            issued = case.quote_sent_on or today
            quotes[case.id] = {
                "issued": issued,
                "valid_until": case._r2_crm_quote_valid_until(issued),
                "days": case.company_id.sudo().r2_crm_quote_days,
            }
        return {
            "doc_ids": docids,
            "doc_model": "r2.crm.case",
            "docs": cases,
            "quotes": quotes,
        }
