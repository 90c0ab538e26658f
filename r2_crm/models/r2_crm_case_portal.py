"""The customer follows his case on the portal, or by the link of the
case's e-mails, which carries the case's own token."""

from werkzeug.urls import url_encode

from odoo import fields, models

from .. import rules


class R2CrmCase(models.Model):
    _inherit = "r2.crm.case"

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

    def _r2_crm_portal_qr_src(self):
        """The QR code of the case's token link, as an image from Odoo's
        barcode route (its query form: the path form drops the link's query
        string, and with it the token)."""
        self.ensure_one()
        query = {"type": "QR", "value": self.sudo().portal_link}
        return "/report/barcode/?%s&width=220&height=220" % url_encode(query)

    def _r2_crm_progress(self):
        """Where the repair stands, for its customer (rules.repair_progress)."""
        self.ensure_one()
        return rules.repair_progress(self.state, self.waiting, self.waiting_reason)

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

    def _r2_crm_protocol_note(self, kind):
        """The note that prints the case's protocol of ``kind`` (rules.INTAKE,
        rules.COMPLETION): the last of the case whose result's action prints
        it (rules.PROTOCOL_ACTIONS, which rules.protocol_kind reads too)."""
        self.ensure_one()
        return self.env["r2.crm.contact"].search(
            [
                ("case_id", "=", self.id),
                ("result_id.action", "in", rules.PROTOCOL_ACTIONS[kind]),
            ],
            order="date desc, id desc",
            limit=1,
        )
