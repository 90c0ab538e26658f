"""E-mail with the customer, out and in.

Out: the case's e-mails (the protocols of S1 and S2, the quote) go to the
customer alone. Posted as an ordinary chatter message, they reached every
follower too, a partner a clerk added among them; they are posted with a
subtype that no follower holds (r2_crm.mt_customer_mail), so the followers see
them in the chatter and only the customer receives them. The mail queue sends
them: the message's Message-Id stays with the case, and Reply-To is the
catchall address, so the customer's answer comes back to the case.

In: an answer to a case's e-mail (Odoo's mail gateway matches its
In-Reply-To or References) is a conversation: a KONTAKTY note of the case, by
e-mail, and a task for today for the case's responsible user to answer it
(r2_crm_mail_gateway.py makes them).
"""

from email.utils import formataddr

from odoo import _, models
from odoo.exceptions import UserError


class R2CrmCase(models.Model):
    _inherit = "r2.crm.case"

    def _r2_crm_mail_customer(self, subject, body, attachments):
        """E-mail ``subject`` and ``body`` (HTML) with ``attachments`` [(name,
        bytes)] to the case's customer alone, from the shop's address; the
        message stays in the case's chatter. Odoo's mail queue sends it."""
        self.ensure_one()
        company = self.company_id or self.env.user.company_id
        shop_address = self.env["mail.message"]._r2_crm_shop_address(company)
        if not shop_address:
            raise UserError(
                _("The company %(company)s has no e-mail address to send from.")
                % {"company": company.name}
            )
        return self.with_context(
            mail_post_autofollow=False, mail_notify_force_send=False
        ).message_post(
            body=body,
            subject=subject,
            message_type="comment",
            subtype="r2_crm.mt_customer_mail",
            partner_ids=[self.partner_id.id],
            author_id=company.partner_id.id,
            email_from=formataddr((company.name, shop_address)),
            attachments=attachments,
        )

    def message_update(self, msg_dict, update_vals=None):
        """The mail gateway routed an answer to this case: it is a KONTAKTY
        note of the case (r2.crm.contact._r2_crm_entry_from_mail)."""
        Contact = self.env["r2.crm.contact"]
        for case in self:
            Contact._r2_crm_reply_entry(case.sudo(), msg_dict)
        return super(R2CrmCase, self).message_update(msg_dict, update_vals=update_vals)
