import uuid

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import rules

SEQUENCE_CODES = {
    rules.SALE: "r2.crm.case.sale",
    rules.SERVICE: "r2.crm.case.service",
    rules.OTHER: "r2.crm.case.other",
}


class R2CrmCase(models.Model):
    _name = "r2.crm.case"
    _description = "Contract / case"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "r2.crm.purpose.mixin",
        "r2.crm.in.use.mixin",
        "r2.crm.workflow.mixin",
    ]
    _order = "date_deadline, id desc"
    # What only the workflow writes: the number, and what the transitions set.
    _r2_crm_workflow_fields = (
        "name",
        "state",
        "date_closed",
        "failure_reason_id",
        "failure_note",
        "waiting",
        "waiting_reason",
        "waiting_note",
        "waiting_since",
        "days_waited",
        "access_token",
        "quote_state",
        "quote_sent_on",
        "quote_accepted_by",
        "quote_accepted_on",
        "quote_signature",
    )
    _r2_crm_used_by = [
        ("r2.crm.contact", "case_id"),
        ("account.invoice", "r2_crm_case_id"),
    ]
    # columns that sort by the deadline
    _r2_crm_sorted_by_deadline = ("wiek", "days_left")

    name = fields.Char(
        string="Number",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: _("New"),
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        track_visibility="onchange",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        index=True,
        track_visibility="onchange",
    )
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    date_open = fields.Date(
        string="Opened on", required=True, default=fields.Date.context_today
    )
    date_deadline = fields.Date(
        string="Deadline", index=True, track_visibility="onchange"
    )
    date_closed = fields.Date(string="Closed on", readonly=True, copy=False)
    state = fields.Selection(
        rules.CASE_STATES,
        string="Status",
        required=True,
        default=rules.OPEN,
        readonly=True,
        copy=False,
        index=True,
        track_visibility="onchange",
    )
    item_description = fields.Text(
        string="Goods", help="The goods taken in: model, serial number, accessories."
    )
    description = fields.Text(
        help="The reported problem, or the needs of the customer."
    )
    contact_ids = fields.One2many("r2.crm.contact", "case_id", string="Entries")
    contact_count = fields.Integer(compute="_compute_contact_count")
    # Devices
    device_id = fields.Many2one("r2.crm.device", index=True, ondelete="restrict")
    device_serial = fields.Char(related="device_id.serial", readonly=True)
    repeat_days = fields.Integer(
        related="company_id.r2_crm_repeat_days",
        string="Repeat repair within (days)",
        readonly=True,
    )
    is_repeat = fields.Boolean(
        string="Repeat repair",
        compute="_compute_is_repeat",
        store=True,
        index=True,
        help="The same device left this shop repaired (success) at most the "
        "company's repeat days before this intake: a warranty return?",
    )
    # Sales contracts
    level_id = fields.Many2one(
        "r2.crm.level", ondelete="restrict", index=True, track_visibility="onchange"
    )
    probability = fields.Float(
        string="Probability (%)",
        track_visibility="onchange",
        help="Chance of success. Choosing a level suggests it.",
    )
    line_ids = fields.One2many(
        "r2.crm.case.line", "case_id", string="Products", copy=True
    )
    amount_total = fields.Monetary(
        string="Value",
        compute="_compute_amounts",
        store=True,
        track_visibility="onchange",
        help="The net value of the products, parts and labour.",
    )
    amount_tax = fields.Monetary(string="VAT", compute="_compute_amounts", store=True)
    amount_gross = fields.Monetary(
        string="Gross value", compute="_compute_amounts", store=True
    )
    amount_weighted = fields.Monetary(
        string="Weighted value", compute="_compute_amounts", store=True
    )
    campaign_id = fields.Many2one(
        "r2.crm.campaign", index=True, ondelete="restrict", track_visibility="onchange"
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "Case numbers must be unique per company.",
        ),
        ("name_not_empty", "CHECK (name <> '')", "A case needs a number."),
    ]

    def init(self):
        # The open list ordered by deadline and the Overdue filter; the
        # columns of the department and company rules ride along, so that a
        # clerk's counts (the pager, Overdue) are index-only scans too.
        self.env.cr.execute("DROP INDEX IF EXISTS r2_crm_case_state_deadline_idx")
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS r2_crm_case_state_deadline_rules_idx "
            "ON r2_crm_case (state, date_deadline) "
            "INCLUDE (purpose, user_id, company_id)"
        )
        # A campaign's figures count and date its cases by state and purpose,
        # as the user's rules allow: an index-only scan of the campaign's cases
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS r2_crm_case_campaign_figures_idx "
            "ON r2_crm_case (campaign_id) "
            "INCLUDE (state, purpose, date_open, date_closed, user_id, company_id) "
            "WHERE campaign_id IS NOT NULL"
        )

    def _init_column(self, column_name):
        """When the column appears, each existing case gets a token of its own."""
        if column_name != "access_token":
            return super(R2CrmCase, self)._init_column(column_name)
        self.env.cr.execute(
            "UPDATE r2_crm_case SET access_token = md5(md5(random()::varchar "
            "|| id::varchar) || clock_timestamp()::varchar)::uuid::varchar "
            "WHERE access_token IS NULL"
        )

    @api.depends("device_id", "date_open")
    def _compute_is_repeat(self):
        to_date = fields.Date.from_string
        for case in self:
            if not case.device_id or not case.date_open:
                case.is_repeat = False
                continue
            earlier = self.sudo().search(
                [
                    ("device_id", "=", case.device_id.id),
                    ("state", "=", rules.SUCCESS),
                    ("date_closed", "<=", case.date_open),
                    ("id", "!=", case.id or 0),
                ]
            )
            case.is_repeat = rules.is_repeat(
                to_date(case.date_open),
                [to_date(day) for day in earlier.mapped("date_closed")],
                case.company_id.r2_crm_repeat_days,
            )

    def _compute_contact_count(self):
        counts = self._r2_crm_counts(self.env["r2.crm.contact"], "case_id")
        for case in self:
            case.contact_count = counts.get(case.id, 0)

    @api.depends(
        "line_ids.price_subtotal", "line_ids.price_total", "probability", "state"
    )
    def _compute_amounts(self):
        for case in self:
            case.amount_total = sum(case.line_ids.mapped("price_subtotal"))
            case.amount_gross = sum(case.line_ids.mapped("price_total"))
            case.amount_tax = case.amount_gross - case.amount_total
            case.amount_weighted = rules.weighted_value(
                case.amount_total, case.probability, case.state
            )

    @api.constrains("date_open", "date_deadline")
    def _check_dates(self):
        for case in self:
            if case.date_deadline and case.date_deadline < case.date_open:
                raise ValidationError(
                    _("The deadline of %(case)s cannot be before its opening date.")
                    % {"case": case.name}
                )

    @api.constrains("probability")
    def _check_probability(self):
        for case in self:
            if not 0 <= case.probability <= 100:
                raise ValidationError(
                    _("The probability of %(case)s must be between 0 and 100.")
                    % {"case": case.name}
                )

    @api.onchange("level_id")
    def _onchange_level_id(self):
        if self.level_id:
            self.probability = self.level_id.probability

    def _r2_crm_suggest_probability(self, vals):
        """A new level suggests its probability unless one is given too."""
        if vals.get("level_id") and "probability" not in vals:
            vals["probability"] = (
                self.env["r2.crm.level"].browse(vals["level_id"]).probability
            )
        return vals

    @api.model
    def create(self, vals):
        # copy() calls create() on the record it copies: the checks are those
        # of a new case all the same
        Case = self.browse()
        vals = Case._r2_crm_check_dates(vals)
        purpose = vals.get("purpose") or Case._default_purpose()
        Case._r2_crm_ensure_can_create(dict(vals, purpose=purpose))
        date_open = vals.get("date_open") or fields.Date.context_today(self)
        if purpose == rules.SERVICE and not vals.get("date_deadline"):
            vals["date_deadline"] = Case._r2_crm_default_deadline(date_open)
        if vals.get("name") in Case._r2_crm_workflow_initial("name"):
            # numbered in the year it opens: SRV/2027/00001 after SRV/2026/...
            vals["name"] = (
                self.env["ir.sequence"]
                .with_context(ir_sequence_date=date_open)
                .next_by_code(SEQUENCE_CODES[purpose])
            )
        vals["access_token"] = str(uuid.uuid4())  # drawn here, never written
        return super(R2CrmCase, self).create(self._r2_crm_suggest_probability(vals))

    def write(self, vals):
        vals = self._r2_crm_check_dates(vals)
        self._r2_crm_ensure_workflow_fields(vals)
        return super(R2CrmCase, self).write(self._r2_crm_suggest_probability(vals))

    def copy(self, default=None):
        """A duplicate is a new case: open, numbered anew, opened today (and
        so due by the company's deadline if it is a service case), without
        closing, fiasco or waiting data and without entries."""
        self.ensure_one()
        default = dict(default or {})
        today = fields.Date.context_today(self)
        default.setdefault("date_open", today)
        if not self.date_deadline or self.date_deadline < today:
            default.setdefault("date_deadline", False)
        return super(R2CrmCase, self).copy(default)

    def _r2_crm_default_deadline(self, date_open, company=None):
        """The company's default deadline after ``date_open``, as a string."""
        company = company or self.env.user.company_id
        deadline = rules.add_days(
            fields.Date.from_string(date_open),
            company.sudo().r2_crm_case_deadline_days,  # a setting any user reads
        )
        if deadline is None:
            raise ValidationError(
                _("Date: %(date)s is too late to count a deadline from.")
                % {"date": date_open}
            )
        return fields.Date.to_string(deadline)

    @api.onchange("purpose", "date_open")
    def _onchange_purpose_deadline(self):
        """A service case gets the company's default deadline, as S1 gives."""
        if self.purpose == rules.SERVICE and self.date_open and not self.date_deadline:
            self.date_deadline = self._r2_crm_default_deadline(
                self.date_open, self.company_id
            )

    @api.model
    def _r2_crm_sync_number_ranges(self):
        """Each purpose's yearly numbering continues after the highest number
        its cases already carry in that year (numbered before the numbering
        was yearly, or imported with their old numbers): nothing is drawn
        twice."""
        for purpose, code in SEQUENCE_CODES.items():
            for sequence in (
                self.env["ir.sequence"].sudo().search([("code", "=", code)])
            ):
                query = "SELECT name FROM r2_crm_case WHERE purpose = %s"
                params = [purpose]
                if sequence.company_id:
                    query += " AND company_id = %s"
                    params.append(sequence.company_id.id)
                self.env.cr.execute(query, params)
                highest = rules.highest_numbers(
                    [row[0] for row in self.env.cr.fetchall()],
                    sequence.prefix,
                    sequence.suffix,
                )
                for year, number in highest.items():
                    if not sequence.use_date_range:
                        counter = sequence
                    elif year:
                        day = "%04d-01-01" % year
                        counter = sequence.date_range_ids.filtered(
                            lambda rng: rng.date_from <= day <= rng.date_to
                        ) or sequence._create_date_range_seq(day)
                    else:
                        continue
                    if counter.number_next_actual <= number:
                        counter.number_next_actual = number + 1

    def _r2_crm_in_use_error(self):
        return UserError(
            _("%(case)s has linked contacts or invoices and cannot be deleted.")
            % {"case": self.name}
        )

    # ---------------------------------------------------------------- guards
    def _r2_crm_ensure_can_create(self, vals):
        """Refuse what can be refused before a number is drawn, so that a
        refused case does not leave a gap in the numbering."""
        self._ensure_purpose(vals["purpose"])
        self.check_access_rights("create")
        self._ensure_company_allowed(vals)
        self._r2_crm_ensure_workflow_fields(vals)
        if not vals.get("partner_id"):
            raise ValidationError(_("Customer: a contract or case needs a customer."))
        # Values of a wrong type are left to the ORM, which refuses them.
        date_open = vals.get("date_open") or fields.Date.context_today(self)
        deadline = vals.get("date_deadline")
        if isinstance(deadline, str) and isinstance(date_open, str):
            if deadline < date_open:
                raise ValidationError(
                    _("Deadline: it cannot be before the opening date %(date)s.")
                    % {"date": date_open}
                )
        probability = vals.get("probability") or 0
        if isinstance(probability, (int, float)) and not 0 <= probability <= 100:
            raise ValidationError(_("Probability: it must be between 0 and 100."))

    def action_view_contacts(self):
        self.ensure_one()
        action = self.env.ref("r2_crm.r2_crm_contact_action").read()[0]
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {
            "default_case_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_purpose": self.purpose,
        }
        return action
