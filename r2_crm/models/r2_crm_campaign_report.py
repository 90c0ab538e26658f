from odoo import fields, models, tools

from .r2_crm_campaign import COST_TYPES, POSTED_STATES, REVENUE_TYPES


class R2CrmCampaignReport(models.Model):
    """Cost, revenue and profit per campaign, as a SQL view for pivot and graph."""

    _name = "r2.crm.campaign.report"
    _description = "Campaign analysis"
    _auto = False
    _rec_name = "campaign_id"

    campaign_id = fields.Many2one("r2.crm.campaign", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_start = fields.Date(string="Start", readonly=True)
    cost = fields.Float(readonly=True)
    revenue = fields.Float(readonly=True)
    profit = fields.Float(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE VIEW r2_crm_campaign_report AS (
                SELECT k.id, k.id AS campaign_id, k.user_id, k.company_id,
                       k.date_start,
                       COALESCE(manual.amount, 0) + COALESCE(bill.amount, 0) AS cost,
                       COALESCE(rev.amount, 0) AS revenue,
                       COALESCE(rev.amount, 0) - COALESCE(manual.amount, 0)
                           - COALESCE(bill.amount, 0) AS profit
                  FROM r2_crm_campaign k
             LEFT JOIN (SELECT campaign_id, SUM(amount) AS amount
                          FROM r2_crm_campaign_cost GROUP BY campaign_id) manual
                    ON manual.campaign_id = k.id
             LEFT JOIN (SELECT r2_crm_campaign_id AS campaign_id,
                               SUM(amount_untaxed_signed) AS amount
                          FROM account_invoice
                         WHERE type IN %s AND state IN %s
                           AND r2_crm_campaign_id IS NOT NULL
                         GROUP BY r2_crm_campaign_id) bill
                    ON bill.campaign_id = k.id
             LEFT JOIN (SELECT c.campaign_id, SUM(i.amount_untaxed_signed) AS amount
                          FROM account_invoice i
                          JOIN r2_crm_case c ON c.id = i.r2_crm_case_id
                         WHERE i.type IN %s AND i.state IN %s
                           AND c.campaign_id IS NOT NULL
                         GROUP BY c.campaign_id) rev
                    ON rev.campaign_id = k.id
                 WHERE k.active
            )""",
            (COST_TYPES, POSTED_STATES, REVENUE_TYPES, POSTED_STATES),
        )
