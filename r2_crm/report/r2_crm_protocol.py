from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import rules


class R2CrmProtocolReport(models.AbstractModel):
    """What the two service protocols share: they print only from the note
    whose result opened (intake) or closed (completion) its case."""

    _name = "r2.crm.protocol.report"
    _description = "Service protocol"

    # the kind of protocol (rules.INTAKE, rules.COMPLETION) the report prints
    _r2_crm_kind = None

    def _r2_crm_label(self):
        raise NotImplementedError

    def _ensure_printable(self, notes):
        """Anything but the right note is refused clearly, never printed blank."""
        label = self._r2_crm_label()
        if not notes:
            raise UserError(
                _("Choose the note to print the %(protocol)s from.")
                % {"protocol": label}
            )
        for note in notes:
            if not note.case_id:
                raise UserError(
                    _(
                        "The note '%(note)s' is not linked to a case, so it has no "
                        "%(protocol)s."
                    )
                    % {"note": note.name, "protocol": label}
                )
            kind = note._r2_crm_protocol_kind()
            if kind != self._r2_crm_kind:
                raise UserError(self._r2_crm_wrong_note(note, kind, label))

    def _r2_crm_wrong_note(self, note, kind, label):
        """What the note is and which protocol it has, when it is not this one."""
        values = {
            "protocol": label,
            "note": note.name,
            "case": note.case_id.name,
            "result": note.result_id.code or _("none"),
        }
        if kind == rules.INTAKE:
            message = _(
                "The note '%(note)s' (result %(result)s) opened %(case)s: it prints "
                "the intake protocol, not the %(protocol)s."
            )
        elif kind == rules.COMPLETION:
            message = _(
                "The note '%(note)s' (result %(result)s) closed %(case)s: it prints "
                "the completion protocol, not the %(protocol)s."
            )
        else:
            message = _(
                "The note '%(note)s' (result %(result)s) neither opened nor closed "
                "%(case)s, so it prints no protocol. The %(protocol)s prints from "
                "the note whose result opened or closed the case."
            )
        return message % values

    def _r2_crm_values(self, notes):
        """Values the template needs besides the notes."""
        return {}

    @api.model
    def get_report_values(self, docids, data=None):
        notes = self.env["r2.crm.contact"].browse(docids)
        self._ensure_printable(notes)
        values = {"doc_ids": docids, "doc_model": "r2.crm.contact", "docs": notes}
        values.update(self._r2_crm_values(notes))
        return values


class ReportIntakeProtocol(models.AbstractModel):
    _name = "report.r2_crm.report_intake_protocol"
    _inherit = "r2.crm.protocol.report"
    _description = "Service intake protocol"
    _r2_crm_kind = rules.INTAKE

    def _r2_crm_label(self):
        return _("intake protocol")


class ReportCompletionProtocol(models.AbstractModel):
    _name = "report.r2_crm.report_completion_protocol"
    _inherit = "r2.crm.protocol.report"
    _description = "Service completion protocol"
    _r2_crm_kind = rules.COMPLETION

    def _r2_crm_label(self):
        return _("completion protocol")

    def _r2_crm_values(self, notes):
        """Days taken against the days the deadline allowed, per note."""
        to_date = fields.Date.from_string
        timings = {}
        for note in notes:
            case = note.case_id
            timings[note.id] = rules.protocol_timing(
                to_date(case.date_open),
                to_date(case.date_closed or note._r2_crm_date_local()),
                to_date(case.date_deadline),
                case.days_waited,
            )
        return {"timings": timings}
