"""RODO: the confirmation step of an erasure. It says what will be erased and
what must stay (invoices in their tax retention period keep the buyer's
name, address and NIP), and its button erases."""

from odoo import _, api, fields, models
from odoo.tools.misc import format_date


class R2CrmPrivacyEraseWizard(models.TransientModel):
    _name = "r2.crm.privacy.erase.wizard"
    _description = "RODO: erase a customer's personal data"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    summary = fields.Text(compute="_compute_summary", string="What happens")

    @api.depends("partner_id")
    def _compute_summary(self):
        # any user may make a transient record over RPC: the counts it shows
        # (read with sudo, across departments) are for CRM managers only
        manager = self.env.user.has_group("r2_crm.r2_crm_group_manager")
        for wizard in self:
            show = manager and wizard.partner_id
            wizard.summary = wizard._r2_crm_summary() if show else False

    def _r2_crm_summary(self):
        preview = self.partner_id._r2_crm_erasure_preview()
        lines = [
            _(
                "Erased: the texts of %(entries)s entries and %(cases)s cases, "
                "the serials and models of %(devices)s devices, %(signatures)s "
                "signatures, the customer's attachments (protocols, quotes, "
                "e-mail attachments), the text of %(emails)s messages; the "
                "phone, e-mail, website and notes of %(partners)s partners; "
                "%(users)s portal users are archived and the cases' links stop "
                "working."
            )
            % preview,
            _(
                "Kept: case numbers, dates, states, results, purposes, amounts, "
                "campaigns and invoices, so that every statistic stays the same."
            ),
        ]
        if preview["kept_until"]:
            lines.append(
                _(
                    "Invoices bind the name, address and NIP until %(date)s "
                    "(Ordynacja podatkowa, art. 70 § 1): they stay until then."
                )
                % {
                    "date": format_date(
                        self.env, fields.Date.to_string(preview["kept_until"])
                    )
                }
            )
        else:
            lines.append(
                _("No invoice binds the name, address and NIP: they are erased too.")
            )
        lines.append(_("This cannot be undone."))
        return "\n\n".join(lines)

    def action_erase(self):
        self.ensure_one()
        self.partner_id._r2_crm_ensure_privacy_manager()
        self.partner_id._r2_crm_erase_personal_data()
        return {"type": "ir.actions.act_window_close"}
