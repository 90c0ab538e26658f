from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class R2CrmCampaignPeriodWizard(models.TransientModel):
    """Przychody z okresu: show a campaign's statistics with revenue of a period."""

    _name = "r2.crm.campaign.period.wizard"
    _description = "Campaign statistics for a period"

    campaign_id = fields.Many2one("r2.crm.campaign", required=True)
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="Until")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_to < wizard.date_from
            ):
                raise ValidationError(_("The period must end after it starts."))

    def action_show(self):
        self.ensure_one()
        context = dict(self.env.context)
        context.pop("default_campaign_id", None)
        context.update(
            {
                "revenue_date_from": self.date_from or False,
                "revenue_date_to": self.date_to or False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Statistics for a period"),
            "res_model": "r2.crm.campaign",
            "res_id": self.campaign_id.id,
            "view_mode": "form",
            "views": [(self.env.ref("r2_crm.r2_crm_campaign_view_form").id, "form")],
            "context": context,
            # "main": a second period replaces the first instead of stacking
            "target": "main",
        }
