"""Warranty repairs: proposed at intake when the device's warranty runs on
the intake date or the case is a repeat repair; the clerk may change it while
the case is open. A warranty case has no quote and is not invoiced."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import rules


class R2CrmCase(models.Model):
    _inherit = "r2.crm.case"

    warranty = fields.Boolean(
        string="Warranty repair",
        copy=False,
        track_visibility="onchange",
        help="The shop repairs the device under warranty: no quote, no invoice; "
        "the protocols say so. Proposed when the device's warranty runs on the "
        "intake date, or for a repeat repair.",
    )
    device_warranty_until = fields.Date(
        related="device_id.warranty_until", readonly=True
    )

    def _r2_crm_warranty_proposed(self):
        return rules.warranty_proposed(
            fields.Date.from_string(self.device_id.sudo().warranty_until),
            fields.Date.from_string(self.date_open),
            self.is_repeat,
        )

    @api.onchange("device_id", "date_open")
    def _onchange_warranty(self):
        if self.purpose == rules.SERVICE and self.device_id and self.date_open:
            self.warranty = self._r2_crm_warranty_proposed()

    @api.model
    def create(self, vals):
        case = super(R2CrmCase, self).create(vals)
        if (
            "warranty" not in vals
            and case.purpose == rules.SERVICE
            and case._r2_crm_warranty_proposed()
        ):
            case.warranty = True
        return case

    def write(self, vals):
        if "warranty" in vals:
            self._r2_crm_ensure_warranty_changeable(vals["warranty"])
        return super(R2CrmCase, self).write(vals)

    def _r2_crm_ensure_warranty_changeable(self, warranty):
        for case in self.filtered(lambda case: case.warranty != bool(warranty)):
            if case.state != rules.OPEN:
                raise UserError(
                    _(
                        "Warranty repair: %(case)s is closed; whether it was a "
                        "warranty repair no longer changes."
                    )
                    % {"case": case.name}
                )
            if warranty and case.quote_state in (
                rules.QUOTE_SENT,
                rules.QUOTE_ACCEPTED,
            ):
                raise UserError(
                    _(
                        "Warranty repair: the customer has the quote of %(case)s. "
                        "Record his answer (or a rejection) first."
                    )
                    % {"case": case.name}
                )

    @api.constrains("warranty", "purpose")
    def _check_warranty(self):
        for case in self:
            if case.warranty and case.purpose != rules.SERVICE:
                raise ValidationError(
                    _("Warranty repair: %(case)s is not a service case.")
                    % {"case": case.name}
                )
