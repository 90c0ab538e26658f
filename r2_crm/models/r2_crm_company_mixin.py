from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError, UserError

from .. import trust


class R2CrmCompanyMixin(models.AbstractModel):
    """Every r2_crm record lives in one of its user's companies, and moves to
    another company only while no other record points at it."""

    _name = "r2.crm.company.mixin"
    _description = "Company of CRM records"

    # (model, field) pairs that point at records of this model
    _r2_crm_used_by = []

    def _r2_crm_first_in_use(self):
        """The first record of self that another record points at, or nothing."""
        for model, field in self._r2_crm_used_by:
            used = (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                .search([(field, "in", self.ids)], limit=1)
            )
            if used:
                return (used[field] & self)[:1]
        return self.browse()

    def _r2_crm_counts(self, model, field):
        """{id of self: how many records of ``model`` point at it by ``field``}."""
        groups = model.read_group([(field, "in", self.ids)], [field], [field])
        return {row[field][0]: row[field + "_count"] for row in groups}

    def _ensure_company_allowed(self, vals):
        company_id = vals.get("company_id")
        # the workflow puts a record in the company of the record it comes
        # from (an S1 case in its note's), which was checked when written
        if not company_id or self.env.uid == SUPERUSER_ID or trust.is_workflow(self):
            return
        if company_id not in self.env.user.company_ids.ids:
            raise AccessError(
                _(
                    "Company: you can only put %(document)s in a company you "
                    "belong to."
                )
                % {"document": self._description}
            )

    def _ensure_company_move(self, vals):
        if "company_id" not in vals:
            return
        moving = self.filtered(
            lambda record: record.company_id.id != (vals["company_id"] or False)
        )
        used = moving._r2_crm_first_in_use()
        if used:
            raise UserError(
                _(
                    "Company: %(entry)s is in use in its company and cannot be "
                    "moved to another one."
                )
                % {"entry": used.display_name}
            )

    @api.model
    def create(self, vals):
        self._ensure_company_allowed(vals)
        return super(R2CrmCompanyMixin, self).create(vals)

    def write(self, vals):
        self._ensure_company_allowed(vals)
        self._ensure_company_move(vals)
        return super(R2CrmCompanyMixin, self).write(vals)
