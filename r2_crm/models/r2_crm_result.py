from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .. import rules


class R2CrmResult(models.Model):
    _name = "r2.crm.result"
    _inherit = ["r2.crm.in.use.mixin"]
    _description = "CRM result"
    _order = "code"
    _r2_crm_used_by = [("r2.crm.contact", "result_id")]
    _rec_name = "code"

    code = fields.Char(required=True)
    name = fields.Char(string="Description", required=True, translate=True)
    purpose = fields.Selection(rules.PURPOSES)
    action = fields.Selection(
        rules.RESULT_ACTIONS,
        required=True,
        default=rules.NONE,
        help="What saving a note with this result does to its case.",
    )
    notify_customer = fields.Boolean(
        string="E-mail the customer",
        help="A note with this result e-mails the customer: the intake protocol "
        "when it opens a service case, the completion protocol when it closes "
        "one. Sales contracts send no e-mail.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A result with this code already exists in this company.",
        ),
    ]

    @api.constrains("notify_customer", "action")
    def _check_notify_customer(self):
        for result in self:
            if result.notify_customer and result.action not in (
                (rules.OPEN_CASE,) + rules.CLOSING_ACTIONS
            ):
                raise ValidationError(
                    _(
                        "E-mail the customer: result %(code)s neither opens nor "
                        "closes a case, so it has no protocol to send."
                    )
                    % {"code": result.code}
                )

    def _ensure_code_available(self, code, company_id, exclude_id=None):
        """Refuse a duplicate code with a clear message before the SQL
        constraint (kept as the last guard) would fail the query."""
        domain = [("code", "=", code), ("company_id", "=", company_id)]
        if exclude_id:
            domain.append(("id", "!=", exclude_id))
        if self.with_context(active_test=False).search_count(domain):
            raise ValidationError(
                _("A result with code %(code)s already exists in this company.")
                % {"code": code}
            )

    @api.model
    def create(self, vals):
        self._ensure_code_available(
            vals.get("code"),
            vals["company_id"] if "company_id" in vals else self.env.user.company_id.id,
        )
        return super(R2CrmResult, self).create(vals)

    def write(self, vals):
        if "code" in vals or "company_id" in vals:
            for result in self:
                result._ensure_code_available(
                    vals.get("code", result.code),
                    vals.get("company_id", result.company_id.id),
                    exclude_id=result.id,
                )
        return super(R2CrmResult, self).write(vals)

    def name_get(self):
        return [(result.id, "%s %s" % (result.code, result.name)) for result in self]
