from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import UserError, ValidationError

from .. import rules, trust

SEQUENCE_CODES = {
    rules.SALE: "r2.crm.case.sale",
    rules.SERVICE: "r2.crm.case.service",
    rules.OTHER: "r2.crm.case.other",
}
# What only the workflow writes: the number, and what the transitions set.
WORKFLOW_FIELDS = ("name", "state", "date_closed", "failure_reason_id", "failure_note")
# ... of which a manager may correct these on a fiasco (tracked in the chatter)
CORRECTABLE_FIELDS = ("failure_reason_id", "failure_note")


class R2CrmCase(models.Model):
    _name = "r2.crm.case"
    _description = "Contract / case"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "r2.crm.purpose.mixin",
        "r2.crm.in.use.mixin",
    ]
    _order = "date_deadline, id desc"
    _r2_crm_used_by = [
        ("r2.crm.contact", "case_id"),
        ("account.invoice", "r2_crm_case_id"),
    ]

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
    description = fields.Text(string="Problem")
    contact_ids = fields.One2many("r2.crm.contact", "case_id", string="Entries")
    contact_count = fields.Integer(compute="_compute_contact_count")
    days_left = fields.Integer(
        string="Wiek",
        compute="_compute_days_left",
        help="Days left until the deadline (green), or days overdue (red, "
        "negative). Frozen at the closing date once the case is closed.",
    )
    wiek_colour = fields.Char(
        compute="_compute_days_left",
        help="How the views colour the Wiek: green, red, or nothing.",
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
        "account.invoice",
        "r2_crm_case_id",
        string="Invoices",
        readonly=True,
        groups="account.group_account_invoice",
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
        # The open list ordered by deadline and the Overdue filter.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS r2_crm_case_state_deadline_idx "
            "ON r2_crm_case (state, date_deadline)"
        )

    def _r2_crm_today(self):
        """Today in the user's timezone, as a date (tests freeze it)."""
        return fields.Date.from_string(fields.Date.context_today(self))

    @api.depends("date_deadline", "state", "date_closed")
    def _compute_days_left(self):
        today = self._r2_crm_today()
        for case in self:
            days = rules.days_left(
                fields.Date.from_string(case.date_deadline),
                today,
                case.state,
                fields.Date.from_string(case.date_closed),
            )
            case.days_left = days or 0
            case.wiek_colour = rules.wiek_colour(days, case.state) or False

    def _count_per_case(self, model, field):
        """{case id: number of `model` records whose `field` points at it}."""
        groups = model.read_group([(field, "in", self.ids)], [field], [field])
        return {row[field][0]: row[field + "_count"] for row in groups}

    def _compute_contact_count(self):
        counts = self._count_per_case(self.env["r2.crm.contact"], "case_id")
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
        counts = self._count_per_case(
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
        purpose = vals.get("purpose") or self._default_purpose()
        self._ensure_can_create(dict(vals, purpose=purpose))
        if vals.get("name") in (None, False, "", "/", _("New")):
            vals["name"] = self.env["ir.sequence"].next_by_code(SEQUENCE_CODES[purpose])
        return super(R2CrmCase, self).create(self._suggest_probability(vals))

    def write(self, vals):
        self._ensure_workflow_fields(vals)
        return super(R2CrmCase, self).write(self._suggest_probability(vals))

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

    def _r2_crm_field_label(self, name):
        return self._fields[name].get_description(self.env)["string"]

    def _ensure_workflow_fields(self, vals):
        """The number, the status, the closing date and the fiasco reason are
        written by the workflow only: its buttons, results and the fiasco
        wizard. A manager may correct the reason and note of a fiasco."""
        if trust.is_workflow(self):
            return
        if not self:  # create: the number is drawn, a new case is open
            new = {
                "name": (None, False, "", "/", _("New")),
                "state": (None, rules.OPEN),
            }
            changed = [
                name
                for name in WORKFLOW_FIELDS
                if vals.get(name) not in new.get(name, (None, False, ""))
            ]
        else:
            changed = [
                name
                for name in WORKFLOW_FIELDS
                if name in vals
                and any(
                    self._fields[name].convert_to_write(case[name], case)
                    != (vals[name] or False)
                    for case in self
                )
            ]
        if not changed:
            return
        if (
            self
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
        raise UserError(
            _(
                "%(field)s is set by the workflow (the buttons, the results and the "
                "fiasco wizard) and cannot be written directly."
            )
            % {"field": self._r2_crm_field_label(changed[0])}
        )

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

    def _fiasco_wizard_action(self, **context):
        action = self.env.ref("r2_crm.r2_crm_case_fiasco_wizard_action").read()[0]
        action["context"] = dict(context, active_model=self._name, active_ids=self.ids)
        return action

    def action_mark_fiasco(self):
        self._ensure_open_for_fiasco()
        return self._fiasco_wizard_action()

    def action_correct_fiasco(self):
        """A manager corrects the reason and note of a fiasco, in the wizard."""
        self.ensure_one()
        self._ensure_state(
            [rules.FAILURE],
            _("Only the reason of a fiasco can be corrected. Not a fiasco: %(cases)s."),
        )
        action = self._fiasco_wizard_action(
            default_failure_reason_id=self.failure_reason_id.id,
            default_failure_note=self.failure_note,
        )
        action["name"] = _("Correct the fiasco reason")
        return action

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

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        action["domain"] = [("r2_crm_case_id", "=", self.id)]
        action["context"] = {
            "default_r2_crm_case_id": self.id,
            "default_partner_id": self.partner_id.id,
            "type": "out_invoice",
        }
        if len(self.invoice_ids) == 1:
            action["views"] = [(self.env.ref("account.invoice_form").id, "form")]
            action["res_id"] = self.invoice_ids.id
        return action

    def action_create_invoice(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(
                _("Contract %(case)s has no products to invoice.") % {"case": self.name}
            )
        invoice = self._create_invoice()
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        action.update(
            {
                "views": [(self.env.ref("account.invoice_form").id, "form")],
                "res_id": invoice.id,
            }
        )
        return action

    # ------------------------------------------------------- business methods
    def _r2_crm_close(self, new_state, date_closed, values=None):
        """Close the cases as success or failure (buttons and results)."""
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
        Invoice = self.env["account.invoice"].with_context(type="out_invoice")
        invoice = Invoice.create(self._prepare_invoice())
        for line in self.line_ids:
            self.env["account.invoice.line"].create(line._prepare_invoice_line(invoice))
        invoice.compute_taxes()
        invoice.message_post_with_view(
            "mail.message_origin_link",
            values={"self": invoice, "origin": self},
            subtype_id=self.env.ref("mail.mt_note").id,
        )
        return invoice


class R2CrmCaseLine(models.Model):
    _name = "r2.crm.case.line"
    _description = "Contract product line"
    _order = "case_id, sequence, id"

    case_id = fields.Many2one(
        "r2.crm.case", required=True, ondelete="cascade", index=True
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
