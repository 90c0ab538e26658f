from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .. import rules


class ResCompany(models.Model):
    _inherit = "res.company"

    r2_crm_case_deadline_days = fields.Integer(
        string="Default case deadline (days)",
        default=14,
        help="A service case opened by a result (S1) gets this many days "
        "until its deadline.",
    )
    r2_crm_protocol_terms = fields.Text(
        string="Service protocol terms",
        translate=True,
        help="Printed on the service intake protocol, for example the terms of "
        "repair and of collecting the goods.",
    )
    r2_crm_repeat_days = fields.Integer(
        string="Repeat repair within (days)",
        default=30,
        help="A device taken in again at most this many days after its repair "
        "is marked as a repeat repair.",
    )
    r2_crm_nudge_days = fields.Integer(
        string="Nudge after (days without entry)",
        default=rules.NUDGE_DAYS,
        help="An open case with no entry for this many days gets a task for its "
        "responsible user, once per silence.",
    )

    r2_crm_own_logo = fields.Binary(
        string="Logo of the shop",
        compute="_compute_r2_crm_own_logo",
        help="The company's logo, unless it is Odoo's placeholder ('Your logo'), "
        "which no protocol prints.",
    )
    r2_crm_mail_delay_minutes = fields.Integer(
        string="Customer e-mail waits for the signature (minutes)",
        default=rules.MAIL_DELAY_MINUTES,
        help="The intake and completion e-mails leave as soon as the customer "
        "has signed the note, or this many minutes after the result, unsigned.",
    )
    r2_crm_quote_days = fields.Integer(
        string="Repair quote holds (days)",
        default=rules.QUOTE_DAYS,
        help="A repair quote holds this many days from the day it is sent: the "
        "customer accepts it on the portal until then.",
    )
    r2_crm_invoice_on_s2 = fields.Boolean(
        string="Invoice repairs at completion",
        help="Result S2 makes the draft invoice of a paid repair at once "
        "(parts and labour, not under warranty). Otherwise the clerk makes it "
        "with Create invoice.",
    )

    r2_crm_retention_years = fields.Integer(
        string="Erase silent customers after (years)",
        default=0,
        help="RODO: a daily scheduled action erases the personal data of the "
        "customers with no entry, case or invoice for this many years. 0: off.",
    )
    r2_crm_service_user_id = fields.Many2one(
        "res.users",
        string="Answers new service e-mail",
        domain=[("share", "=", False)],
        help="Who gets the task to answer an e-mail to the service address that "
        "belongs to no case. Empty: the first CRM manager.",
    )

    def _r2_crm_service_user(self):
        """Who answers new service e-mail: the company's choice, else its first
        active CRM manager (else the administrator)."""
        self.ensure_one()
        if self.r2_crm_service_user_id.active:
            return self.r2_crm_service_user_id
        managers = self.env.ref("r2_crm.r2_crm_group_manager").sudo().users
        managers = managers.filtered(
            lambda user: user.active and self in user.company_ids
        ).sorted("id")
        return managers[:1] or self.env.ref("base.user_root")

    @api.depends("logo")
    def _compute_r2_crm_own_logo(self):
        placeholder = self._get_logo()
        for company in self:
            logo = company.logo
            own = logo and (logo if isinstance(logo, bytes) else logo.encode())
            company.r2_crm_own_logo = own if own and own != placeholder else False

    @api.constrains(
        "r2_crm_repeat_days",
        "r2_crm_nudge_days",
        "r2_crm_mail_delay_minutes",
        "r2_crm_quote_days",
        "r2_crm_retention_years",
    )
    def _check_r2_crm_days(self):
        for company in self:
            if company.r2_crm_mail_delay_minutes < 0:
                raise ValidationError(
                    _(
                        "Customer e-mail waits for the signature (minutes): a "
                        "number of minutes, 0 or more."
                    )
                )
            if company.r2_crm_repeat_days < 0:
                raise ValidationError(
                    _("Repeat repair within (days): a number of days, 0 or more.")
                )
            if company.r2_crm_retention_years < 0:
                raise ValidationError(
                    _(
                        "Erase silent customers after (years): a number of years, "
                        "0 (off) or more."
                    )
                )
            if company.r2_crm_quote_days < 1:
                raise ValidationError(_("Repair quote holds (days): at least 1 day."))
            if company.r2_crm_nudge_days < 1:
                raise ValidationError(
                    _("Nudge after (days without entry): at least 1 day.")
                )
