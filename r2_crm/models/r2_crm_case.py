from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .. import rules
from .res_users import DEPARTMENTS

CASE_STATES = [("open", "Open"), ("success", "Success"), ("failure", "Fiasco")]
SEQUENCE_CODES = {
    "sale": "r2.crm.case.sale",
    "service": "r2.crm.case.service",
    "other": "r2.crm.case.other",
}


class R2CrmCase(models.Model):
    _name = "r2.crm.case"
    _description = "Contract / case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id desc"

    def _default_purpose(self):
        return self.env.user.r2_crm_department or "other"

    name = fields.Char(
        string="Number", required=True, copy=False, readonly=True, default="/",
        index=True)
    purpose = fields.Selection(
        DEPARTMENTS, required=True, default=_default_purpose, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True,
        track_visibility="onchange")
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user,
        index=True, track_visibility="onchange")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id)
    date_open = fields.Date(
        string="Opened on", required=True, default=fields.Date.context_today)
    date_deadline = fields.Date(
        string="Deadline", index=True, track_visibility="onchange")
    date_closed = fields.Date(string="Closed on", readonly=True, copy=False)
    state = fields.Selection(
        CASE_STATES, string="Status", required=True, default="open", readonly=True,
        copy=False, index=True, track_visibility="onchange")
    item_description = fields.Text(
        string="Goods", help="The goods taken in: model, serial number, accessories.")
    description = fields.Text(string="Problem")
    contact_ids = fields.One2many("r2.crm.contact", "case_id", string="Entries")
    contact_count = fields.Integer(compute="_compute_contact_count")
    days_left = fields.Integer(
        string="Wiek", compute="_compute_days_left",
        help="Days left until the deadline (green), or days overdue (red, "
             "negative). Frozen at the closing date once the case is closed.")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)",
         "Case numbers must be unique per company."),
    ]

    def _r2_crm_today(self):
        """Today in the user's timezone, as a date (tests freeze it)."""
        return fields.Date.from_string(fields.Date.context_today(self))

    @api.depends("date_deadline", "state", "date_closed")
    def _compute_days_left(self):
        today = self._r2_crm_today()
        for case in self:
            days = rules.days_left(
                fields.Date.from_string(case.date_deadline), today, case.state,
                fields.Date.from_string(case.date_closed))
            case.days_left = days or 0

    def _compute_contact_count(self):
        counts = dict(
            (row["case_id"][0], row["case_id_count"])
            for row in self.env["r2.crm.contact"].read_group(
                [("case_id", "in", self.ids)], ["case_id"], ["case_id"]))
        for case in self:
            case.contact_count = counts.get(case.id, 0)

    @api.constrains("date_open", "date_deadline")
    def _check_dates(self):
        for case in self:
            if case.date_deadline and case.date_deadline < case.date_open:
                raise ValidationError(_(
                    "The deadline of %(case)s cannot be before its opening date.")
                    % {"case": case.name})

    @api.model
    def create(self, vals):
        if vals.get("name", "/") == "/":
            purpose = vals.get("purpose") or self._default_purpose()
            vals["name"] = self.env["ir.sequence"].next_by_code(
                SEQUENCE_CODES[purpose]) or "/"
        return super(R2CrmCase, self).create(vals)

    def action_view_contacts(self):
        self.ensure_one()
        action = self.env.ref("r2_crm.r2_crm_contact_action").read()[0]
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {
            "default_case_id": self.id, "default_partner_id": self.partner_id.id,
            "default_purpose": self.purpose,
        }
        return action

    def _r2_crm_close(self, new_state, date_closed):
        """Close open cases as success or failure (the result's transition)."""
        self.write({"state": new_state, "date_closed": date_closed})
