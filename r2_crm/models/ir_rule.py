from odoo import api, models, tools


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """Give record rules the ids of the user's company and of the companies
        below it, as ``r2_crm_company_ids``.

        r2_crm's multi-company rules mean ``company_id child_of
        [user.company_id.id]``, but a ``child_of`` in a rule is expanded by a
        query on res_company every time the rule is applied: seven times for
        one note. Evaluated here, the list is part of the rule's domain that
        ir.rule caches per user; creating or changing a company, or a user's
        company, clears that cache."""
        context = super(IrRule, self)._eval_context()
        company = self.env.user.company_id
        context["r2_crm_company_ids"] = (
            self.env["res.company"].sudo().search([("id", "child_of", company.ids)]).ids
        )
        return context

    @api.model
    def _eval_context_for_combinations(self):
        context = super(IrRule, self)._eval_context_for_combinations()
        context["r2_crm_company_ids"] = tools.unquote("r2_crm_company_ids")
        return context
