from odoo import fields, models, tools

from .. import rules
from .r2_crm_campaign import COST_TYPES, POSTED_STATES, REVENUE_TYPES

ROW_KINDS = [
    ("campaign", "Campaign"),
    ("cost", "Cost"),
    ("bill", "Vendor bill"),
    ("revenue", "Invoice"),
    ("case", "Contract"),
]


class R2CrmCampaignReport(models.Model):
    """Cost, revenue, profit and contracts of campaigns, for pivot and graph.

    One row per cost line, vendor bill, customer invoice and contract of a
    campaign (and one empty row per campaign, so that every campaign shows).
    Rows that come from a contract carry its purpose and responsible, so that
    the record rules show a user only the figures of contracts they may read.
    """

    _name = "r2.crm.campaign.report"
    _description = "Campaign analysis"
    _auto = False
    _rec_name = "campaign_id"

    kind = fields.Selection(ROW_KINDS, readonly=True)
    campaign_id = fields.Many2one("r2.crm.campaign", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_start = fields.Date(string="Start", readonly=True)
    date = fields.Date(readonly=True, help="The date of the cost, bill or invoice.")
    case_id = fields.Many2one("r2.crm.case", string="Contract", readonly=True)
    case_purpose = fields.Selection(rules.PURPOSES, string="Purpose", readonly=True)
    case_user_id = fields.Many2one(
        "res.users", string="Contract responsible", readonly=True
    )
    case_state = fields.Selection(rules.CASE_STATES, string="Status", readonly=True)
    cost = fields.Float(readonly=True)
    revenue = fields.Float(readonly=True)
    revenue_sale = fields.Float(string="Sales revenue", readonly=True)
    revenue_service = fields.Float(string="Service revenue", readonly=True)
    profit = fields.Float(readonly=True)
    case_count = fields.Integer(string="Contracts", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # ids: 5 * source id + the kind's number, unique across the kinds
        self.env.cr.execute(
            """
            CREATE VIEW r2_crm_campaign_report AS (
                SELECT rows.*, k.user_id, k.company_id, k.date_start
                  FROM (
                    SELECT 5 * k.id AS id, 'campaign' AS kind, k.id AS campaign_id,
                           NULL::date AS date, NULL::integer AS case_id,
                           NULL::varchar AS case_purpose,
                           NULL::integer AS case_user_id,
                           NULL::varchar AS case_state,
                           0.0 AS cost, 0.0 AS revenue, 0.0 AS profit,
                           0 AS case_count, 0.0 AS revenue_sale,
                           0.0 AS revenue_service
                      FROM r2_crm_campaign k
                    UNION ALL
                    SELECT 5 * m.id + 1, 'cost', m.campaign_id, m.date, NULL, NULL,
                           NULL, NULL, m.amount, 0.0, -m.amount, 0, 0.0, 0.0
                      FROM r2_crm_campaign_cost m
                    UNION ALL
                    SELECT 5 * b.id + 2, 'bill', b.r2_crm_campaign_id,
                           b.date_invoice, NULL, NULL, NULL, NULL,
                           b.amount_untaxed_signed, 0.0, -b.amount_untaxed_signed, 0,
                           0.0, 0.0
                      FROM account_invoice b
                     WHERE b.r2_crm_campaign_id IS NOT NULL
                       AND b.type IN %s AND b.state IN %s
                    UNION ALL
                    SELECT 5 * i.id + 3, 'revenue', c.campaign_id, i.date_invoice,
                           c.id, c.purpose, c.user_id, c.state, 0.0,
                           i.amount_untaxed_signed, i.amount_untaxed_signed, 0,
                           CASE WHEN c.purpose = %s THEN i.amount_untaxed_signed
                                ELSE 0.0 END,
                           CASE WHEN c.purpose = %s THEN i.amount_untaxed_signed
                                ELSE 0.0 END
                      FROM account_invoice i
                      JOIN r2_crm_case c ON c.id = i.r2_crm_case_id
                     WHERE c.campaign_id IS NOT NULL
                       AND i.type IN %s AND i.state IN %s
                    UNION ALL
                    SELECT 5 * c.id + 4, 'case', c.campaign_id, c.date_open, c.id,
                           c.purpose, c.user_id, c.state, 0.0, 0.0, 0.0, 1, 0.0, 0.0
                      FROM r2_crm_case c
                     WHERE c.campaign_id IS NOT NULL
                  ) rows
                  JOIN r2_crm_campaign k ON k.id = rows.campaign_id
                 WHERE k.active
            )""",
            (
                COST_TYPES,
                POSTED_STATES,
                rules.SALE,
                rules.SERVICE,
                REVENUE_TYPES,
                POSTED_STATES,
            ),
        )
