"""Which protocol fits a note, in which language and under which file name.

One method decides it, ``_r2_crm_protocol_kind`` (by rules.protocol_kind):
the print menu and F2, the report itself, the signing step, the portal and
the e-mail to the customer all ask it."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import rules

# The report of each kind of protocol
PROTOCOL_REPORTS = {
    rules.INTAKE: "r2_crm.r2_crm_report_intake_protocol",
    rules.COMPLETION: "r2_crm.r2_crm_report_completion_protocol",
}


class R2CrmContact(models.Model):
    _inherit = "r2.crm.contact"

    protocol_kind = fields.Selection(
        rules.PROTOCOL_KINDS,
        string="Protocol",
        compute="_compute_protocol_kind",
        help="The protocol this note prints: intake for the note whose result "
        "opened its case, completion for the one whose result closed it.",
    )

    @api.depends("case_id", "result_id.action")
    def _compute_protocol_kind(self):
        for note in self:
            note.protocol_kind = note._r2_crm_protocol_kind()

    def _r2_crm_protocol_kind(self):
        """The kind of protocol the note prints (rules.INTAKE, rules.COMPLETION)
        or None: the one place that decides it."""
        return rules.protocol_kind(self.result_id.action, bool(self.case_id))

    def _r2_crm_protocol(self):
        """The report of the note's protocol, or an empty recordset."""
        kind = self._r2_crm_protocol_kind()
        if not kind:
            return self.env["ir.actions.report"]
        return self.env.ref(PROTOCOL_REPORTS[kind])

    def _r2_crm_ensure_protocol(self):
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
        return self._r2_crm_ensure_protocol().report_action(self)

    def _r2_crm_protocol_lang(self):
        """Protocols speak the customer's language, else the shop's."""
        return (
            self.partner_id.lang
            or self.company_id.partner_id.lang
            or self.env.lang
            or "en_US"
        )

    def _r2_crm_render_protocol(self):
        """The protocol's PDF in the customer's language and formats (dates,
        amounts), whoever prints it: the clerk, the mail's scheduled action,
        the portal."""
        report = self._r2_crm_ensure_protocol()
        pdf, _kind = report.with_context(
            lang=self._r2_crm_protocol_lang()
        ).render_qweb_pdf(self.ids)
        return pdf

    def _r2_crm_protocol_filename(self):
        """The PDF's name, in the protocol's language: Protokół przyjęcia
        SRV-2026-00002."""
        self = self.with_context(lang=self._r2_crm_protocol_lang())
        if self._r2_crm_protocol_kind() == rules.INTAKE:
            title = _("Intake protocol")
        else:
            title = _("Completion protocol")
        return "%s %s" % (title, (self.case_id.name or "").replace("/", "-"))
