from email.utils import formataddr

from odoo import api, fields, models


class MailMessage(models.Model):
    """Counter clerks often have no mailbox. Odoo refuses every chatter message
    of a user without an e-mail address ("Unable to send email, please configure
    the sender's email address"), so such a clerk could not even save a note:
    creating it, tracking a field and marking a task done all post one.

    Such a user now writes under the company's address (else the catchall
    address), with their own name: "Piotr Serwisant" <serwis@firma.pl>."""

    _inherit = "mail.message"

    # the field's default is bound to mail's own function: point it at the method
    email_from = fields.Char(default=lambda self: self._get_default_from())

    @api.model
    def _get_default_from(self):
        user = self.env.user
        if user.email:
            return super(MailMessage, self)._get_default_from()
        address = self._r2_crm_shop_address(user.company_id)
        return formataddr((user.name, address)) if address else user.name

    @api.model
    def _r2_crm_shop_address(self, company):
        """The address the shop writes from: the company's, else the catchall
        one; empty when there is neither (the message is kept all the same,
        but no e-mail can leave until the company has an address)."""
        if company.email:
            return company.email
        params = self.env["ir.config_parameter"].sudo()
        alias = params.get_param("mail.catchall.alias")
        domain = params.get_param("mail.catchall.domain")
        return "%s@%s" % (alias, domain) if alias and domain else ""
