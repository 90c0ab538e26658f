import uuid

from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from .. import rules, trust

SEQUENCE_CODES = {
    rules.SALE: "r2.crm.case.sale",
    rules.SERVICE: "r2.crm.case.service",
    rules.OTHER: "r2.crm.case.other",
}
# Of the fields only the workflow writes (R2CrmCase._r2_crm_workflow_fields),
# a manager may correct these on a fiasco (tracked in the chatter)
CORRECTABLE_FIELDS = ("failure_reason_id", "failure_note")


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
        "waiting_since",
        "days_waited",
        "access_token",
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
    days_left = fields.Integer(
        string="Days left",
        compute="_compute_wiek",
        search="_search_days_left",
        help="Days until the deadline of an open case, negative when it is "
        "overdue; a closed case and one without deadline have none.",
    )
    wiek = fields.Char(
        compute="_compute_wiek",
        help="Days left until the deadline (green), or days overdue (red). "
        "A closed case shows how long it took instead.",
    )
    wiek_state = fields.Selection(
        rules.WIEK_STATES, string="Wiek state", compute="_compute_wiek"
    )
    duration_days = fields.Integer(
        string="Took (days)",
        compute="_compute_wiek",
        help="Days from opening to closing.",
    )
    # Waiting pauses Wiek (Wait and Resume buttons)
    waiting = fields.Boolean(
        readonly=True, copy=False, index=True, track_visibility="onchange"
    )
    waiting_reason = fields.Selection(
        rules.WAITING_REASONS,
        readonly=True,
        copy=False,
        track_visibility="onchange",
    )
    waiting_since = fields.Date(readonly=True, copy=False)
    days_waited = fields.Integer(
        readonly=True,
        copy=False,
        help="Days the case waited, over all its pauses: they moved its deadline.",
    )
    # Devices
    device_id = fields.Many2one("r2.crm.device", index=True, ondelete="restrict")
    device_serial = fields.Char(related="device_id.serial", readonly=True)
    is_repeat = fields.Boolean(
        string="Repeat repair",
        compute="_compute_is_repeat",
        store=True,
        index=True,
        help="The same device left this shop repaired (success) at most the "
        "company's repeat days before this intake: a warranty return?",
    )
    # The customer follows the case on the portal, or by the e-mails' link
    access_token = fields.Char(
        string="Security token",
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="Opens the case's portal page without logging in: it is in the "
        "link of the e-mails to the customer.",
    )
    portal_link = fields.Char(
        compute="_compute_portal_link",
        groups="base.group_user",
        help="The case's portal page with its security token, as the e-mails "
        "to the customer give it.",
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
    )
    amount_weighted = fields.Monetary(
        string="Weighted value", compute="_compute_amounts", store=True
    )
    failure_reason_id = fields.Many2one(
        "r2.crm.failure.reason",
        string="Fiasco reason",
        ondelete="restrict",
        readonly=True,
        copy=False,
        track_visibility="onchange",
    )
    failure_note = fields.Text(
        string="Why the customer gave up",
        readonly=True,
        copy=False,
        track_visibility="onchange",
    )
    invoice_ids = fields.One2many(
        "account.invoice", "r2_crm_case_id", string="Invoices", readonly=True
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
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

    def _init_column(self, column_name):
        """When the column appears, each existing case gets a token of its own."""
        if column_name != "access_token":
            return super(R2CrmCase, self)._init_column(column_name)
        self.env.cr.execute(
            "UPDATE r2_crm_case SET access_token = md5(md5(random()::varchar "
            "|| id::varchar) || clock_timestamp()::varchar)::uuid::varchar "
            "WHERE access_token IS NULL"
        )

    def _compute_portal_url(self):
        for case in self:
            case.portal_url = "/my/cases/%s" % case.id

    def _compute_portal_link(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        for case in self:
            case.portal_link = "%s%s?access_token=%s" % (
                base_url,
                case.portal_url,
                case.sudo().access_token,
            )

    def get_access_action(self, access_uid=None):
        """Customers (portal users) open their case on the portal, as the
        link of Odoo's e-mails leads them."""
        self.ensure_one()
        user = self.env["res.users"].sudo().browse(access_uid or self.env.uid)
        if user.share:
            return {
                "type": "ir.actions.act_url",
                "url": self.portal_url,
                "target": "self",
                "res_id": self.id,
            }
        return super(R2CrmCase, self).get_access_action(access_uid)

    def _r2_crm_today(self):
        """Today in the user's timezone, as a date (tests freeze it)."""
        return fields.Date.from_string(fields.Date.context_today(self))

    @api.depends(
        "date_deadline", "state", "date_open", "date_closed", "waiting", "waiting_since"
    )
    def _compute_wiek(self):
        today = self._r2_crm_today()
        to_date = fields.Date.from_string
        label = self._r2_crm_wiek_labeller()
        for case in self:
            days = rules.days_left(
                to_date(case.date_deadline),
                today,
                case.state,
                to_date(case.waiting_since) if case.waiting else None,
            )
            kind, number = rules.wiek(days, case.waiting)
            case.days_left = days or 0
            case.wiek_state = kind
            case.wiek = label(kind, number, case.waiting_reason)
            case.duration_days = (
                (to_date(case.date_closed) - to_date(case.date_open)).days
                if case.date_closed and case.date_open
                else 0
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

    def _r2_crm_wiek_labeller(self):
        """A function (kind, days, waiting reason) -> Wiek's label, in the
        user's language. The labels are translated once for all the cases of a
        list: looking a term up costs more than the rest of Wiek."""
        reasons = dict(
            self._fields["waiting_reason"].get_description(self.env)["selection"]
        )
        overdue_1, overdue = _("1 day overdue"), _("%(days)s days overdue")
        today, left_1, left = _("due today"), _("1 day"), _("%(days)s days")

        def label(kind, days, reason):
            if kind == rules.WIEK_WAITING:
                return reasons.get(reason or rules.WAIT_OTHER)
            if kind == rules.WIEK_OVERDUE:
                return overdue_1 if days == 1 else overdue % {"days": days}
            if kind == rules.WIEK_LEFT:
                return {0: today, 1: left_1}.get(days) or left % {"days": days}
            return False

        return label

    def _search_days_left(self, operator, value):
        """days_left compares with the deadline: ``days_left < 0`` finds the
        open cases whose deadline has passed, and nothing closed. A waiting
        case's days stand still at the day it began to wait."""
        if operator not in ("<", "<=", ">", ">=", "=", "!=") or not isinstance(
            value, int
        ):
            raise UserError(
                _("Days left: search with a number and <, <=, >, >=, = or !=.")
            )
        deadline = rules.add_days(self._r2_crm_today(), value)
        if deadline is None:
            return [("id", "=", 0)]
        # the operator is one of the six above
        self.env.cr.execute(
            "SELECT id FROM r2_crm_case WHERE state = %%s AND waiting "
            "AND date_deadline - waiting_since %s %%s" % operator,
            (rules.OPEN, value),
        )
        waiting = [row[0] for row in self.env.cr.fetchall()]
        return expression.normalize_domain(
            [
                ("state", "=", rules.OPEN),
                ("date_deadline", "!=", False),
                "|",
                "&",
                ("waiting", "=", False),
                ("date_deadline", operator, fields.Date.to_string(deadline)),
                ("id", "in", waiting),
            ]
        )

    @api.model
    def _generate_order_by(self, order_spec, query):
        """Wiek sorts by the deadline (Odoo drops a non-stored field from
        ORDER BY): fewest days left first."""
        if order_spec:
            parts = []
            for part in order_spec.split(","):
                words = part.split()
                if words and words[0] in self._r2_crm_sorted_by_deadline:
                    words[0] = "date_deadline"
                parts.append(" ".join(words))
            order_spec = ", ".join(parts)
        return super(R2CrmCase, self)._generate_order_by(order_spec, query)

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        res = super(R2CrmCase, self).fields_get(allfields, attributes)
        for name in self._r2_crm_sorted_by_deadline:
            if name in res and (not attributes or "sortable" in attributes):
                res[name]["sortable"] = True
        return res

    def _compute_contact_count(self):
        counts = self._r2_crm_counts(self.env["r2.crm.contact"], "case_id")
        for case in self:
            case.contact_count = counts.get(case.id, 0)

    @api.depends("line_ids.price_subtotal", "probability")
    def _compute_amounts(self):
        for case in self:
            case.amount_total = sum(case.line_ids.mapped("price_subtotal"))
            case.amount_weighted = rules.weighted_value(
                case.amount_total, case.probability
            )

    def _compute_invoice_count(self):
        # a count only: CRM users without invoicing rights see it too
        counts = self._r2_crm_counts(
            self.env["account.invoice"].sudo(), "r2_crm_case_id"
        )
        for case in self:
            case.invoice_count = counts.get(case.id, 0)

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

    def _suggest_probability(self, vals):
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
        Case._ensure_can_create(dict(vals, purpose=purpose))
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
        return super(R2CrmCase, self).create(self._suggest_probability(vals))

    def write(self, vals):
        vals = self._r2_crm_check_dates(vals)
        self._ensure_workflow_fields(vals)
        return super(R2CrmCase, self).write(self._suggest_probability(vals))

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
    def _ensure_can_create(self, vals):
        """Refuse what can be refused before a number is drawn, so that a
        refused case does not leave a gap in the numbering."""
        self._ensure_purpose(vals["purpose"])
        self.check_access_rights("create")
        self._ensure_company_allowed(vals)
        self._ensure_workflow_fields(vals)
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

    def _r2_crm_workflow_initial(self, name):
        values = super(R2CrmCase, self)._r2_crm_workflow_initial(name)
        return values + ["/"] if name == "name" else values

    def _r2_crm_workflow_error(self, name):
        return UserError(
            _(
                "%(field)s is set by the workflow (the buttons, the results and the "
                "fiasco wizard) and cannot be written directly."
            )
            % {"field": self._r2_crm_field_label(name)}
        )

    def _ensure_workflow_fields(self, vals):
        """The number, the status, the closing date and the fiasco reason are
        written by the workflow only: its buttons, results and the fiasco
        wizard. A manager may correct the reason and note of a fiasco."""
        if trust.is_workflow(self):
            return
        changed = self._r2_crm_workflow_changes(vals)
        if (
            self
            and changed
            and set(changed) <= set(CORRECTABLE_FIELDS)
            and set(self.mapped("state")) == {rules.FAILURE}
        ):
            if not self.env.user.has_group("r2_crm.r2_crm_group_manager"):
                raise UserError(
                    _("Only CRM managers can correct the reason of a fiasco.")
                )
            if "failure_reason_id" in changed and not vals["failure_reason_id"]:
                raise ValidationError(_("Fiasco reason: a fiasco needs a reason."))
            return
        super(R2CrmCase, self)._ensure_workflow_fields(vals)

    # --------------------------------------------------------------- actions
    def _ensure_state(self, allowed, message):
        wrong = self.filtered(lambda case: case.state not in allowed)
        if wrong:
            raise UserError(message % {"cases": ", ".join(wrong.mapped("name"))})

    def action_mark_success(self):
        self._ensure_state(
            [rules.OPEN],
            _("Only open contracts can be marked as success. Not open: %(cases)s."),
        )
        self._r2_crm_close(rules.SUCCESS, fields.Date.context_today(self))
        return True

    def _ensure_open_for_fiasco(self):
        """Checked when the wizard opens and again when it is confirmed."""
        self._ensure_state(
            [rules.OPEN],
            _("Only open contracts can be marked as fiasco. Not open: %(cases)s."),
        )

    def _r2_crm_wizard_action(self, xmlid, **context):
        """The action of a wizard (fiasco, wait) on the cases of self."""
        action = self.env.ref(xmlid).read()[0]
        action["context"] = dict(context, active_model=self._name, active_ids=self.ids)
        return action

    def action_mark_fiasco(self):
        self._ensure_open_for_fiasco()
        return self._r2_crm_wizard_action("r2_crm.r2_crm_case_fiasco_wizard_action")

    def action_correct_fiasco(self):
        """A manager corrects the reason and note of a fiasco, in the wizard."""
        self.ensure_one()
        self._ensure_state(
            [rules.FAILURE],
            _("Only the reason of a fiasco can be corrected. Not a fiasco: %(cases)s."),
        )
        action = self._r2_crm_wizard_action(
            "r2_crm.r2_crm_case_fiasco_wizard_action",
            default_failure_reason_id=self.failure_reason_id.id,
            default_failure_note=self.failure_note,
        )
        action["name"] = _("Correct the fiasco reason")
        return action

    def _ensure_can_wait(self):
        self._ensure_state(
            [rules.OPEN], _("Only open cases can wait. Not open: %(cases)s.")
        )
        waiting = self.filtered("waiting")
        if waiting:
            raise UserError(
                _("%(cases)s already waits.")
                % {"cases": ", ".join(waiting.mapped("name"))}
            )

    def action_wait(self):
        """Wait (for parts, for the customer): the wizard asks why."""
        self._ensure_can_wait()
        return self._r2_crm_wizard_action("r2_crm.r2_crm_case_wait_wizard_action")

    def _r2_crm_wait(self, reason, since=None):
        """The cases wait from ``since`` (today): their Wiek stands still."""
        trust.as_workflow(self).write(
            {
                "waiting": True,
                "waiting_reason": reason,
                "waiting_since": since or fields.Date.to_string(self._r2_crm_today()),
            }
        )

    def action_resume(self):
        """Resume: the deadline moves by the days the case waited."""
        not_waiting = self.filtered(lambda case: not case.waiting)
        if not_waiting:
            raise UserError(
                _("%(cases)s does not wait.")
                % {"cases": ", ".join(not_waiting.mapped("name"))}
            )
        self._r2_crm_resume()
        return True

    def _r2_crm_resume(self, day=None):
        """The waiting cases of self resume on ``day`` (today)."""
        today = fields.Date.from_string(day) if day else self._r2_crm_today()
        to_date = fields.Date.from_string
        for case in self.filtered("waiting"):
            deadline, days_waited = rules.resume(
                to_date(case.date_deadline),
                to_date(case.waiting_since),
                today,
                case.days_waited,
            )
            trust.as_workflow(case).write(
                {
                    "waiting": False,
                    "waiting_reason": False,
                    "waiting_since": False,
                    "days_waited": days_waited,
                    "date_deadline": (
                        fields.Date.to_string(deadline) if deadline else False
                    ),
                }
            )

    def action_reopen(self):
        if not self.env.user.has_group("r2_crm.r2_crm_group_manager"):
            raise UserError(_("Only CRM managers can reopen closed contracts."))
        self._ensure_state(
            rules.CLOSED_STATES,
            _("Only closed contracts can be reopened. Already open: %(cases)s."),
        )
        trust.as_workflow(self).write(
            {
                "state": rules.OPEN,
                "date_closed": False,
                "failure_reason_id": False,
                "failure_note": False,
            }
        )
        return True

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

    def _r2_crm_invoice_form(self):
        """Odoo's invoice form for billing users; for a salesperson, one that
        does not read journal items (which only accountants may)."""
        if self.env.user.has_group("account.group_account_invoice"):
            return self.env.ref("account.invoice_form")
        return self.env.ref("r2_crm.r2_crm_account_invoice_view_form_draft")

    def _r2_crm_invoice_action(self, invoices):
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        form = self._r2_crm_invoice_form()
        action["context"] = {
            "default_r2_crm_case_id": self.id,
            "default_partner_id": self.partner_id.id,
            "type": "out_invoice",
        }
        if len(invoices) == 1:
            action.update({"views": [(form.id, "form")], "res_id": invoices.id})
        else:
            action["domain"] = [("r2_crm_case_id", "=", self.id)]
            action["views"] = [
                (self.env.ref("account.invoice_tree").id, "tree"),
                (form.id, "form"),
            ]
        return action

    def action_view_invoices(self):
        self.ensure_one()
        return self._r2_crm_invoice_action(self.invoice_ids)

    def action_create_invoice(self):
        """A draft customer invoice of the contract's products. Its salesperson
        may make it (the department rules on invoices); validating it stays
        with billing users (account_invoice.py)."""
        self.ensure_one()
        self._ensure_invoiceable()
        return self._r2_crm_invoice_action(self._create_invoice())

    # ------------------------------------------------------- business methods
    def _ensure_invoiceable(self):
        """Whoever may not invoice the contract learns why."""
        if not self.line_ids:
            raise UserError(
                _("Contract %(case)s has no products to invoice.") % {"case": self.name}
            )
        if self.state == rules.FAILURE:
            raise UserError(
                _("Contract %(case)s ended as a fiasco and is not invoiced.")
                % {"case": self.name}
            )
        try:
            self.check_access_rule("write")
            self.env["account.invoice"].check_access_rights("create")
        except AccessError:
            raise UserError(
                _(
                    "You may not invoice %(case)s: invoices are made by billing "
                    "users and by the salespeople of the contract's department."
                )
                % {"case": self.name}
            )

    def _r2_crm_close(self, new_state, date_closed, values=None):
        """Close the cases as success or failure (buttons and results). A
        waiting case resumes first: it is done, and its days waited count."""
        self._r2_crm_resume(date_closed)
        vals = dict(values or {}, state=new_state, date_closed=date_closed)
        trust.as_workflow(self).write(vals)

    def _prepare_invoice(self):
        partner = self.partner_id
        invoice = self.env["account.invoice"].new(
            {
                "type": "out_invoice",
                "partner_id": partner.id,
                "company_id": self.company_id.id,
            }
        )
        invoice._onchange_partner_id()
        vals = invoice._convert_to_write(invoice._cache)
        vals.update(
            {
                "type": "out_invoice",
                "origin": self.name,
                "r2_crm_case_id": self.id,
                "user_id": self.user_id.id,
                "company_id": self.company_id.id,
            }
        )
        return vals

    def _create_invoice(self):
        """The draft invoice, made as its user (checked by _ensure_invoiceable
        and the rules on invoices). Only the bare record is made as superuser:
        creating one computes its payments, which reads journal items."""
        Invoice = self.env["account.invoice"].with_context(type="out_invoice")
        invoice = Invoice.sudo().create(self._prepare_invoice()).with_env(Invoice.env)
        for line in self.line_ids:
            self.env["account.invoice.line"].create(line._prepare_invoice_line(invoice))
        invoice.compute_taxes()
        invoice.message_post_with_view(
            "mail.message_origin_link",
            values={"self": invoice, "origin": self},
            subtype_id=self.env.ref("mail.mt_note").id,
        )
        return invoice

    # ------------------------------------------------------------- the nudge
    @api.model
    def _cron_nudge_inactive_cases(self):
        """The scheduled action r2_crm.ir_cron_inactivity_nudge: each open case
        without an entry for the company's nudge days gives its responsible user
        one task, "what is new?", once per silence."""
        today = self._r2_crm_today()
        Contact = trust.as_workflow(self.env["r2.crm.contact"])
        for case_id, quiet_since in self._r2_crm_silent_cases(today):
            case = self.browse(case_id)
            case = case.with_context(lang=case.user_id.lang or self.env.lang)
            Contact.create(
                {
                    "type": rules.TASK,
                    "purpose": case.purpose,
                    "partner_id": case.partner_id.id,
                    "case_id": case.id,
                    "user_id": case.user_id.id,
                    "date_deadline": fields.Date.to_string(today),
                    "is_nudge": True,
                    "name": case._r2_crm_nudge_subject(quiet_since, today),
                }
            )

    def _r2_crm_nudge_subject(self, quiet_since, today):
        return _("%(case)s: no entry for %(days)s days. What is new?") % {
            "case": self.name,
            "days": (today - fields.Date.from_string(quiet_since)).days,
        }

    @api.model
    def _r2_crm_silent_cases(self, today):
        """[(case id, the day its silence began)] of the open cases, not
        waiting, with an active responsible user, whose last entry by a person (or their
        opening) is at least the company's nudge days before ``today`` (at
        day 7, not at day 6) and that got no nudge since that entry.

        One query whatever the number of cases: the entries of the open cases
        are summed up per case (last date, last id, last nudge's id); a nudge
        with an id above the last entry's belongs to the present silence. An
        entry made after the nudge, even dated earlier, ends the silence."""
        self.env.cr.execute(
            """
            WITH entries AS (
                SELECT e.case_id,
                       max(e.date) FILTER (WHERE NOT coalesce(e.is_nudge, false))
                           AS last_date,
                       max(e.id) FILTER (WHERE NOT coalesce(e.is_nudge, false))
                           AS last_id,
                       max(e.id) FILTER (WHERE e.is_nudge) AS nudge_id
                  FROM r2_crm_contact e
                  JOIN r2_crm_case c ON c.id = e.case_id AND c.state = %(open)s
                 GROUP BY e.case_id
            )
            SELECT c.id,
                   to_char(coalesce(e.last_date::date, c.date_open), 'YYYY-MM-DD')
              FROM r2_crm_case c
              JOIN res_users u ON u.id = c.user_id AND u.active
              LEFT JOIN res_company co ON co.id = c.company_id
              LEFT JOIN entries e ON e.case_id = c.id
             WHERE c.state = %(open)s
               AND NOT coalesce(c.waiting, false)
               AND coalesce(e.last_date::date, c.date_open)
                   <= %(today)s::date - coalesce(co.r2_crm_nudge_days, %(days)s)
               AND (e.nudge_id IS NULL OR e.nudge_id < coalesce(e.last_id, 0))
             ORDER BY c.id
            """,
            {
                "open": rules.OPEN,
                "today": fields.Date.to_string(today),
                "days": rules.NUDGE_DAYS,
            },
        )
        return self.env.cr.fetchall()


class R2CrmCaseLine(models.Model):
    _name = "r2.crm.case.line"
    _description = "Contract product line"
    _order = "case_id, sequence, id"

    # auto_join: the department rule on lines (case_id.purpose, case_id.user_id)
    # joins the case instead of listing every case of the department first
    case_id = fields.Many2one(
        "r2.crm.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", index=True)
    name = fields.Char(string="Description", required=True)
    quantity = fields.Float(
        digits=dp.get_precision("Product Unit of Measure"), default=1.0
    )
    price_unit = fields.Float(
        string="Unit price", digits=dp.get_precision("Product Price")
    )
    price_subtotal = fields.Monetary(
        string="Subtotal", compute="_compute_price_subtotal", store=True
    )
    currency_id = fields.Many2one(related="case_id.currency_id", readonly=True)
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, readonly=True, index=True
    )

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.quantity * line.price_unit

    @api.constrains("quantity", "price_unit")
    def _check_not_negative(self):
        for line in self.sudo():  # values only: access is the rules' business
            if line.quantity < 0 or line.price_unit < 0:
                raise ValidationError(
                    _("The quantity and the price of '%(line)s' cannot be negative.")
                    % {"line": line.name}
                )

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.name = self.product_id.display_name
            self.price_unit = self.product_id.lst_price

    def _prepare_invoice_line(self, invoice):
        """Values of the invoice line, with Odoo's own account and tax onchange."""
        line = self.env["account.invoice.line"].new(
            {
                "invoice_id": invoice.id,
                "product_id": self.product_id.id,
                "quantity": self.quantity,
            }
        )
        if self.product_id:
            line._onchange_product_id()
        else:
            line.account_id = invoice.journal_id.default_credit_account_id
        vals = line._convert_to_write(line._cache)
        vals.update(
            {
                "invoice_id": invoice.id,
                "name": self.name,
                "quantity": self.quantity,
                "price_unit": self.price_unit,
            }
        )
        return vals
