from odoo import _, api, fields, models
from odoo.tools import html_escape


class ResPartner(models.Model):
    _inherit = "res.partner"

    r2_crm_contact_count = fields.Integer(
        string="CRM contacts", compute="_compute_r2_crm_counts"
    )
    r2_crm_case_count = fields.Integer(
        string="Contracts/cases", compute="_compute_r2_crm_counts"
    )
    r2_crm_device_count = fields.Integer(
        string="Devices", compute="_compute_r2_crm_counts"
    )

    @api.model
    def create(self, vals):
        """A customer added from a note or a case (context r2_crm_walk_in, set
        by their forms) logs r2_crm's message in the clerk's language, not
        Odoo's creation log, whose Polish is half English ("Contact utworzono")."""
        if not self.env.context.get("r2_crm_walk_in"):
            return super(ResPartner, self).create(vals)
        partner = super(ResPartner, self.with_context(mail_create_nolog=True)).create(
            vals
        )
        partner.message_post(
            body="<p>%s</p>"
            % html_escape(
                _("Customer added in CRM (R2) by %(user)s.")
                % {"user": self.env.user.name}
            ),
            subtype="mail.mt_note",
        )
        return partner.with_env(self.env)

    def _compute_r2_crm_counts(self):
        Contact = self.env["r2.crm.contact"]
        Case = self.env["r2.crm.case"]
        Device = self.env["r2.crm.device"]
        for partner in self:
            if not isinstance(partner.id, int):
                continue
            domain = [("partner_id", "child_of", partner.id)]
            partner.r2_crm_contact_count = Contact.search_count(domain)
            partner.r2_crm_case_count = Case.search_count(domain)
            partner.r2_crm_device_count = Device.search_count(domain)

    def _notify_by_chat(self, message):
        """Format the message for the web client's inbox only when someone is
        to get it: mail.message._notify calls this for every message, also
        with no partner, and formatting one costs a dozen queries (a note's
        log in a case's chatter, or a case's tracking)."""
        if not self:
            return None
        return super(ResPartner, self)._notify_by_chat(message)

    def _r2_crm_action(self, xmlid):
        self.ensure_one()
        action = self.env.ref(xmlid).read()[0]
        action["domain"] = [("partner_id", "child_of", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_r2_crm_contacts(self):
        return self._r2_crm_action("r2_crm.r2_crm_contact_action")

    def action_view_r2_crm_cases(self):
        return self._r2_crm_action("r2_crm.r2_crm_case_action")

    def action_view_r2_crm_devices(self):
        return self._r2_crm_action("r2_crm.r2_crm_device_action")
