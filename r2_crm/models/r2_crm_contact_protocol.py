"""Which protocol fits a note (intake, completion), in which language and
under which file name."""

from odoo import _, models
from odoo.exceptions import UserError

from .. import rules


class R2CrmContact(models.Model):
    _inherit = "r2.crm.contact"

    def _r2_crm_protocol(self):
        """The protocol that fits the note: intake for the note whose result
        opened its case, completion for the one whose result closed it."""
        if self.case_id and self.result_id.action == rules.OPEN_CASE:
            return self.env.ref("r2_crm.r2_crm_report_intake_protocol")
        if self.case_id and self.result_id.action in rules.CLOSING_ACTIONS:
            return self.env.ref("r2_crm.r2_crm_report_completion_protocol")
        return self.env["ir.actions.report"]

    def _ensure_protocol(self):
        """The note's protocol; a note without one is told so."""
        report = self._r2_crm_protocol()
        if not report:
            raise UserError(
                _(
                    "The note '%(note)s' neither opened nor closed a case: it has "
                    "no protocol."
                )
                % {"note": self.name}
            )
        return report

    def action_print_protocol(self):
        """F2 in KONTAKTY (R2faktury: print standing on the note)."""
        self.ensure_one()
        return self._ensure_protocol().report_action(self)

    def _r2_crm_protocol_lang(self):
        """Protocols speak the customer's language, else the shop's."""
        return (
            self.partner_id.lang
            or self.company_id.partner_id.lang
            or self.env.lang
            or "en_US"
        )

    def _r2_crm_protocol_filename(self):
        """The PDF's name, in the protocol's language: Protokół przyjęcia
        SRV-2026-00002."""
        self = self.with_context(lang=self._r2_crm_protocol_lang())
        if self.result_id.action == rules.OPEN_CASE:
            title = _("Intake protocol")
        else:
            title = _("Completion protocol")
        return "%s %s" % (title, (self.case_id.name or "").replace("/", "-"))
