from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import rules

POSTED_STATES = ("open", "paid")
COST_TYPES = ("in_invoice", "in_refund")
REVENUE_TYPES = ("out_invoice", "out_refund")


class R2CrmCampaign(models.Model):
    _name = "r2.crm.campaign"
    _description = "Sales campaign"
    _inherit = ["mail.thread", "r2.crm.in.use.mixin"]
    _order = "date_start desc, id desc"
    _r2_crm_used_by = [
        ("r2.crm.case", "campaign_id"),
        ("account.invoice", "r2_crm_campaign_id"),
    ]

    name = fields.Char(required=True, track_visibility="onchange")
    date_start = fields.Date(
        string="Start", default=fields.Date.context_today, track_visibility="onchange"
    )
    date_end = fields.Date(string="End", track_visibility="onchange")
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user
    )
    description = fields.Text()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id
    )
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    case_ids = fields.One2many("r2.crm.case", "campaign_id", string="Contracts")
    cost_line_ids = fields.One2many(
        "r2.crm.campaign.cost", "campaign_id", string="Costs", copy=False
    )
    bill_ids = fields.One2many(
        "account.invoice",
        "r2_crm_campaign_id",
        string="Vendor bills",
        readonly=True,
        groups="account.group_account_invoice",
    )

    # Statistics (Statystyka): computed for all campaigns at once, in SQL.
    cost_total = fields.Monetary(string="Cost", compute="_compute_statistics")
    revenue = fields.Monetary(compute="_compute_statistics")
    revenue_sale = fields.Monetary(
        string="of which sales", compute="_compute_statistics"
    )
    revenue_service = fields.Monetary(
        string="of which service", compute="_compute_statistics"
    )
    profit = fields.Monetary(compute="_compute_statistics")
    roi_percent = fields.Float(string="ROI (%)", compute="_compute_statistics")
    case_count = fields.Integer(string="Contracts", compute="_compute_statistics")
    case_count_open = fields.Integer(string="Open", compute="_compute_statistics")
    case_count_success = fields.Integer(string="Success", compute="_compute_statistics")
    case_count_failure = fields.Integer(string="Fiasco", compute="_compute_statistics")
    win_rate = fields.Float(string="Win rate (%)", compute="_compute_statistics")
    success_avg_days = fields.Float(
        string="Average duration of success (days)", compute="_compute_statistics"
    )
    failure_avg_days = fields.Float(
        string="Average duration of fiasco (days)", compute="_compute_statistics"
    )
    revenue_date_from = fields.Date(
        string="Revenue from", compute="_compute_revenue_period"
    )
    revenue_date_to = fields.Date(
        string="Revenue until", compute="_compute_revenue_period"
    )
    bill_count = fields.Integer(compute="_compute_statistics")
    invoice_count = fields.Integer(compute="_compute_statistics")

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for campaign in self:
            if (
                campaign.date_start
                and campaign.date_end
                and campaign.date_end < campaign.date_start
            ):
                raise ValidationError(
                    _("Campaign %(campaign)s cannot end before it starts.")
                    % {"campaign": campaign.name}
                )

    def _revenue_period(self):
        """The period of Przychody z okresu, from the context (the period
        wizard and the list's filters set it); refused clearly when it is not
        a pair of dates."""
        period = []
        for key in ("revenue_date_from", "revenue_date_to"):
            value = self.env.context.get(key) or False
            if value:
                try:
                    value = fields.Date.to_string(fields.Date.from_string(value))
                except (TypeError, ValueError):
                    raise UserError(
                        _("%(field)s: %(value)r is not a date.")
                        % {
                            "field": self._fields[key].get_description(self.env)[
                                "string"
                            ],
                            "value": value,
                        }
                    )
            period.append(value)
        return tuple(period)

    def _r2_crm_readable_cases(self):
        """SQL of a FROM item with the cases the user may read (their record
        rules, parameters bound); the statistics count only those. The
        superuser's has no condition. Any % is doubled, for the query's own
        named parameters."""
        Case = self.env["r2.crm.case"]
        query = Case._where_calc([], active_test=False)
        Case._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        sql = "(SELECT r2_crm_case.* FROM %s WHERE %s)" % (
            from_clause,
            where_clause or "TRUE",
        )
        return self.env.cr.mogrify(sql, params).decode().replace("%", "%%")

    def _compute_revenue_period(self):
        date_from, date_to = self._revenue_period()
        for campaign in self:
            campaign.revenue_date_from = date_from
            campaign.revenue_date_to = date_to

    def _compute_statistics(self):
        """All Statistics figures of all campaigns of self in one query; the
        cases count only when the user may read them (record rules in SQL)."""
        date_from, date_to = self._revenue_period()
        period = (" AND i.date_invoice >= %(date_from)s" if date_from else "") + (
            " AND i.date_invoice <= %(date_to)s" if date_to else ""
        )
        query = """
            SELECT k.id AS campaign_id,
                   COALESCE(manual.amount, 0) AS manual_cost,
                   COALESCE(bill.amount, 0) AS bill_cost,
                   COALESCE(bill.count, 0) AS bill_count,
                   COALESCE(rev.amount, 0) AS revenue,
                   COALESCE(rev.count, 0) AS invoice_count,
                   COALESCE(rev.amount_sale, 0) AS revenue_sale,
                   COALESCE(rev.amount_service, 0) AS revenue_service,
                   COALESCE(cs.open_count, 0) AS open_count,
                   COALESCE(cs.success_count, 0) AS success_count,
                   COALESCE(cs.failure_count, 0) AS failure_count,
                   COALESCE(cs.success_days, 0) AS success_days,
                   COALESCE(cs.failure_days, 0) AS failure_days
              FROM r2_crm_campaign k
         LEFT JOIN (SELECT campaign_id, SUM(amount) AS amount
                      FROM r2_crm_campaign_cost WHERE campaign_id IN %%(ids)s
                     GROUP BY campaign_id) manual ON manual.campaign_id = k.id
         LEFT JOIN (SELECT r2_crm_campaign_id AS campaign_id,
                           SUM(amount_untaxed_signed) AS amount, COUNT(*) AS count
                      FROM account_invoice
                     WHERE r2_crm_campaign_id IN %%(ids)s
                       AND type IN %%(cost_types)s AND state IN %%(posted)s
                     GROUP BY r2_crm_campaign_id) bill ON bill.campaign_id = k.id
         LEFT JOIN (SELECT c.campaign_id, SUM(i.amount_untaxed_signed) AS amount,
                           SUM(i.amount_untaxed_signed)
                               FILTER (WHERE c.purpose = %%(sale)s) AS amount_sale,
                           SUM(i.amount_untaxed_signed)
                               FILTER (WHERE c.purpose = %%(service)s)
                               AS amount_service,
                           COUNT(*) AS count
                      FROM account_invoice i JOIN %(cases)s c
                        ON c.id = i.r2_crm_case_id
                     WHERE c.campaign_id IN %%(ids)s AND i.type IN %%(revenue_types)s
                       AND i.state IN %%(posted)s %(period)s
                     GROUP BY c.campaign_id) rev ON rev.campaign_id = k.id
         LEFT JOIN (SELECT campaign_id,
                           COUNT(*) FILTER (WHERE state = %%(open)s) AS open_count,
                           COUNT(*) FILTER (WHERE state = %%(success)s)
                               AS success_count,
                           COUNT(*) FILTER (WHERE state = %%(failure)s)
                               AS failure_count,
                           SUM(date_closed - date_open)
                               FILTER (WHERE state = %%(success)s) AS success_days,
                           SUM(date_closed - date_open)
                               FILTER (WHERE state = %%(failure)s) AS failure_days
                      FROM %(cases)s c WHERE campaign_id IN %%(ids)s
                     GROUP BY campaign_id) cs ON cs.campaign_id = k.id
             WHERE k.id IN %%(ids)s""" % {
            "cases": self._r2_crm_readable_cases(),
            "period": period,
        }
        params = {
            "ids": tuple(self.ids) or (0,),
            "cost_types": COST_TYPES,
            "revenue_types": REVENUE_TYPES,
            "posted": POSTED_STATES,
            "open": rules.OPEN,
            "success": rules.SUCCESS,
            "failure": rules.FAILURE,
            "sale": rules.SALE,
            "service": rules.SERVICE,
            "date_from": date_from,
            "date_to": date_to,
        }
        self.env.cr.execute(query, params)
        rows = {row.pop("campaign_id"): row for row in self.env.cr.dictfetchall()}
        for campaign in self:
            figures = rules.campaign_figures(**rows.get(campaign.id, {}))
            for name, value in figures.items():
                campaign[name] = value if value is not None else False

    # --------------------------------------------------------------- actions
    def _action_cases(self, state=None):
        self.ensure_one()
        action = self.env.ref("r2_crm.r2_crm_case_action_sale").read()[0]
        action["domain"] = [("campaign_id", "=", self.id)]
        if state:
            action["domain"].append(("state", "=", state))
        action["context"] = {
            "default_campaign_id": self.id,
            "default_purpose": rules.SALE,
        }
        return action

    def action_view_cases_open(self):
        return self._action_cases(rules.OPEN)

    def action_view_cases_success(self):
        return self._action_cases(rules.SUCCESS)

    def action_view_cases_failure(self):
        return self._action_cases(rules.FAILURE)

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        action["domain"] = [
            ("r2_crm_case_id.campaign_id", "=", self.id),
            ("type", "in", list(REVENUE_TYPES)),
        ]
        action["context"] = {"create": False}
        return action

    def action_view_bills(self):
        self.ensure_one()
        action = self.env.ref("account.action_invoice_tree2").read()[0]
        action["domain"] = [("r2_crm_campaign_id", "=", self.id)]
        action["context"] = {
            "default_r2_crm_campaign_id": self.id,
            "type": "in_invoice",
            "default_type": "in_invoice",
        }
        return action

    def action_statistics_period(self):
        self.ensure_one()
        action = self.env.ref("r2_crm.r2_crm_campaign_period_wizard_action").read()[0]
        action["context"] = {"default_campaign_id": self.id}
        return action


class R2CrmCampaignCost(models.Model):
    _name = "r2.crm.campaign.cost"
    _description = "Campaign cost"
    _order = "date desc, id desc"

    campaign_id = fields.Many2one(
        "r2.crm.campaign", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(string="Description", required=True)
    date = fields.Date(default=fields.Date.context_today)
    amount = fields.Monetary(required=True)
    company_id = fields.Many2one(
        related="campaign_id.company_id", store=True, readonly=True
    )
    currency_id = fields.Many2one(related="campaign_id.currency_id", readonly=True)
