"""A contract's draft customer invoice, made from its products by its
salespeople; billing users validate it. A repair's, once it is closed and
unless it is a warranty repair, from its parts and labour (those the customer
did not reject with the quote), by its clerks or at once by S2.

r2_crm puts no record rule on Odoo's invoice models, so that a clerk who has
invoice rights from another module (a purchase user's vendor bills) keeps
them: the contract's button checks the contract (the clerk may change it),
then makes the draft as the server, and the clerk reads it as every internal
user reads invoices."""

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from .. import rules


class R2CrmCase(models.Model):
    _inherit = "r2.crm.case"

    invoice_ids = fields.One2many(
        "account.invoice", "r2_crm_case_id", string="Invoices", readonly=True
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")

    def _compute_invoice_count(self):
        # a count only: CRM users without invoicing rights see it too
        counts = self._r2_crm_counts(
            self.env["account.invoice"].sudo(), "r2_crm_case_id"
        )
        for case in self:
            case.invoice_count = counts.get(case.id, 0)

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
        """A draft customer invoice of the contract's products. Who may change
        the contract may make it; changing and validating it stays with
        billing users (Odoo's own access rights)."""
        self.ensure_one()
        self._r2_crm_ensure_invoiceable()
        return self._r2_crm_invoice_action(self._r2_crm_create_invoice())

    def _r2_crm_invoice_problem(self):
        """Why the case cannot be invoiced (rules.invoice_problem), or None."""
        invoiced = (
            self.sudo().invoice_ids.filtered(lambda invoice: invoice.state != "cancel")
            if self.purpose == rules.SERVICE
            else None
        )
        return rules.invoice_problem(
            self.purpose,
            self.state,
            self.warranty,
            self.quote_state,
            len(self.line_ids),
            len(self._r2_crm_billable_lines()),
            bool(invoiced),
        )

    def _r2_crm_ensure_invoiceable(self):
        """Whoever may not invoice the contract learns why."""
        problem = self._r2_crm_invoice_problem()
        if problem:
            messages = {
                rules.INV_NO_LINES: _("%(case)s has no products to invoice."),
                rules.INV_FIASCO: _("%(case)s ended as a fiasco and is not invoiced."),
                rules.INV_OPEN: _(
                    "%(case)s is still open: a repair is invoiced once it is "
                    "closed (result S2)."
                ),
                rules.INV_WARRANTY: _(
                    "%(case)s is a warranty repair: the customer pays nothing."
                ),
                rules.INV_REJECTED: _(
                    "The customer rejected the quote of %(case)s: only lines added "
                    "after the rejection (a diagnosis fee, say) are invoiced, and "
                    "there are none."
                ),
                rules.INV_INVOICED: _(
                    "%(case)s is invoiced already: see its Invoices."
                ),
            }
            raise UserError(messages[problem] % {"case": self.name})
        try:
            self.check_access_rights("write")
            self.check_access_rule("write")
        except AccessError:
            raise UserError(
                _(
                    "You may not invoice %(case)s: invoices are made by billing "
                    "users and by the salespeople of the contract's department."
                )
                % {"case": self.name}
            )

    def _r2_crm_invoice_at_completion(self):
        """S2 makes the draft invoice of the paid repairs of self at once when
        their company says so (r2_crm_invoice_on_s2); a case that is not to be
        invoiced (warranty, nothing billable) is left as it is."""
        for case in self.filtered(
            lambda case: case.purpose == rules.SERVICE
            and case.state == rules.SUCCESS
            and case.company_id.sudo().r2_crm_invoice_on_s2
        ):
            if not case._r2_crm_invoice_problem():
                case._r2_crm_create_invoice()

    def _r2_crm_prepare_invoice(self):
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

    def _r2_crm_create_invoice(self):
        """The draft invoice, made as the server once _r2_crm_ensure_invoiceable
        let the user invoice the contract. Its chatter holds one message of
        r2_crm's, by the user, in the user's language: not Odoo's creation log
        and assignment e-mail, whose Polish is half English and whose author
        would be the server's user. The user follows the invoice."""
        Invoice = self.env["account.invoice"].with_context(type="out_invoice")
        quiet = {"mail_create_nolog": True, "tracking_disable": True}
        invoice = (
            Invoice.sudo().with_context(**quiet).create(self._r2_crm_prepare_invoice())
        )
        for line in self._r2_crm_billable_lines():
            invoice.env["account.invoice.line"].create(
                line._r2_crm_prepare_invoice_line(invoice)
            )
        invoice.compute_taxes()
        invoice = invoice.with_context(mail_auto_subscribe_no_notify=True)
        invoice.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        note = _("Draft invoice made from %(case)s by %(user)s.") % {
            "case": self.name,
            "user": self.env.user.name,
        }
        invoice.message_post(
            body="<p>%s</p>" % html_escape(note),
            subtype="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )
        return invoice.with_env(Invoice.env)
