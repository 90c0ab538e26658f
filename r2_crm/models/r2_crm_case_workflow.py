"""The case's states: open, success, fiasco. Only the transitions here
(buttons, results, the fiasco wizard, the import) write what the workflow
owns (_r2_crm_workflow_fields), with trust's key."""

from odoo import _, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_escape, plaintext2html

from .. import rules, trust

# Of the fields only the workflow writes (R2CrmCase._r2_crm_workflow_fields),
# a manager may correct these on a fiasco (tracked in the chatter)
CORRECTABLE_FIELDS = ("failure_reason_id", "failure_note")


class R2CrmCase(models.Model):
    _inherit = "r2.crm.case"

    failure_reason_id = fields.Many2one(
        "r2.crm.failure.reason",
        string="Fiasco reason",
        ondelete="restrict",
        readonly=True,
        copy=False,
        track_visibility="onchange",
    )
    failure_note = fields.Text(
        string="Why the customer gave up",
        readonly=True,
        copy=False,
        track_visibility="onchange",
    )

    def _r2_crm_workflow_initial(self, name):
        values = super(R2CrmCase, self)._r2_crm_workflow_initial(name)
        return values + ["/"] if name == "name" else values

    def _r2_crm_workflow_error(self, name):
        return UserError(
            _(
                "%(field)s is set by the workflow (the buttons, the results and the "
                "fiasco wizard) and cannot be written directly."
            )
            % {"field": self._r2_crm_field_label(name)}
        )

    def _r2_crm_ensure_workflow_fields(self, vals):
        """The number, the status, the closing date and the fiasco reason are
        written by the workflow only: its buttons, results and the fiasco
        wizard. A manager may correct the reason and note of a fiasco."""
        if trust.is_workflow(self):
            return
        changed = self._r2_crm_workflow_changes(vals)
        if (
            self
            and changed
            and set(changed) <= set(CORRECTABLE_FIELDS)
            and set(self.mapped("state")) == {rules.FAILURE}
        ):
            if not self.env.user.has_group("r2_crm.r2_crm_group_manager"):
                raise UserError(
                    _("Only CRM managers can correct the reason of a fiasco.")
                )
            if "failure_reason_id" in changed and not vals["failure_reason_id"]:
                raise ValidationError(_("Fiasco reason: a fiasco needs a reason."))
            return
        super(R2CrmCase, self)._r2_crm_ensure_workflow_fields(vals)

    def _r2_crm_transition(self, transition, **options):
        """The entry point of every change of a case's state. Each transition
        checks what it needs, then writes what the workflow owns with its key
        (trust.as_workflow), which no request can send. Who calls which:

        - ``"result"``: the results of the notes ``notes``, from the automated
          actions on KONTAKTY (data/r2_crm_data.xml), in
          r2.crm.contact._r2_crm_apply_result: S1 opens a numbered case for
          its note (_r2_crm_open_case), S2 closes the note's case as success
          and a failure result as fiasco (_r2_crm_close); S1 and S2 mark the
          customer's e-mail, which a scheduled action sends.
        - ``"success"``: the *Mark as success* button.
        - ``"fiasco"``: the fiasco wizard, with ``reason`` (a fiasco reason's
          id) and ``note``; a manager's correction of a fiasco's reason is a
          write the guard allows (_r2_crm_ensure_workflow_fields).
        - ``"reopen"``: a manager's *Reopen*.
        - ``"wait"``: the wait wizard, with ``reason`` (and ``note`` for
          something else; ``since``, today); service cases only.
        - ``"resume"``: *Resume* (and ``day``, today); closing a waiting case
          resumes it first.
        - ``"import"``: the import from R2faktury creates a case with its
          history (``vals``) and returns it, or closes a case it had open
          (``state``, ``date_closed``, ``values``); its results change nothing.
        """
        if transition == "result":
            return options["notes"]._r2_crm_apply_result()
        if transition == "success":
            return self._r2_crm_mark_success()
        if transition == "fiasco":
            return self._r2_crm_mark_fiasco(options["reason"], options.get("note"))
        if transition == "reopen":
            return self._r2_crm_reopen()
        if transition == "wait":
            return self._r2_crm_wait(
                options["reason"], options.get("since"), options.get("note")
            )
        if transition == "resume":
            return self._r2_crm_resume(options.get("day"))
        if transition == "import":
            if "vals" in options:
                return trust.as_import(self.browse()).create(options["vals"])
            return trust.as_import(self)._r2_crm_close(
                options["state"], options["date_closed"], options.get("values")
            )
        raise ValueError("unknown transition %r" % transition)

    def _r2_crm_ensure_state(self, allowed, message):
        wrong = self.filtered(lambda case: case.state not in allowed)
        if wrong:
            raise UserError(message % {"cases": ", ".join(wrong.mapped("name"))})

    def action_mark_success(self):
        self._r2_crm_transition("success")
        return True

    def _r2_crm_mark_success(self):
        self._r2_crm_ensure_state(
            [rules.OPEN],
            _(
                "Only open contracts and cases can be marked as success. Not "
                "open: %(cases)s."
            ),
        )
        self._r2_crm_close(rules.SUCCESS, fields.Date.context_today(self))
        self._r2_crm_invoice_at_completion()

    def _r2_crm_mark_fiasco(self, reason_id, note=None):
        """Close open contracts as fiasco with a reason (the fiasco wizard)."""
        self._r2_crm_ensure_open_for_fiasco()
        if not reason_id:
            raise UserError(_("Choose the reason of the fiasco."))
        self._r2_crm_close(
            rules.FAILURE,
            fields.Date.context_today(self),
            {"failure_reason_id": reason_id, "failure_note": note or False},
        )
        reason = self.env["r2.crm.failure.reason"].browse(reason_id)
        body = html_escape(_("Fiasco: %(reason)s") % {"reason": reason.name})
        if note:
            body += plaintext2html(note)
        for case in self:
            case.message_post(body=body)

    def _r2_crm_ensure_open_for_fiasco(self):
        """Checked when the wizard opens and again when it is confirmed."""
        self._r2_crm_ensure_state(
            [rules.OPEN],
            _(
                "Only open contracts and cases can be marked as fiasco. Not "
                "open: %(cases)s."
            ),
        )

    def _r2_crm_wizard_action(self, xmlid, **context):
        """The action of a wizard (fiasco, wait) on the cases of self."""
        action = self.env.ref(xmlid).read()[0]
        action["context"] = dict(context, active_model=self._name, active_ids=self.ids)
        return action

    def action_mark_fiasco(self):
        self._r2_crm_ensure_open_for_fiasco()
        return self._r2_crm_wizard_action("r2_crm.r2_crm_case_fiasco_wizard_action")

    def action_correct_fiasco(self):
        """A manager corrects the reason and note of a fiasco, in the wizard."""
        self.ensure_one()
        self._r2_crm_ensure_state(
            [rules.FAILURE],
            _("Only the reason of a fiasco can be corrected. Not a fiasco: %(cases)s."),
        )
        action = self._r2_crm_wizard_action(
            "r2_crm.r2_crm_case_fiasco_wizard_action",
            default_failure_reason_id=self.failure_reason_id.id,
            default_failure_note=self.failure_note,
        )
        action["name"] = _("Correct the fiasco reason")
        return action

    def action_reopen(self):
        self._r2_crm_transition("reopen")
        return True

    def _r2_crm_reopen(self):
        if not self.env.user.has_group("r2_crm.r2_crm_group_manager"):
            raise UserError(
                _("Only CRM managers can reopen closed contracts and cases.")
            )
        self._r2_crm_ensure_state(
            rules.CLOSED_STATES,
            _(
                "Only closed contracts and cases can be reopened. Already open: "
                "%(cases)s."
            ),
        )
        trust.as_workflow(self).write(
            {
                "state": rules.OPEN,
                "date_closed": False,
                "failure_reason_id": False,
                "failure_note": False,
            }
        )

    def _r2_crm_close(self, new_state, date_closed, values=None):
        """Close the cases as success or failure (buttons and results). A
        waiting case resumes first: it is done, and its days waited count."""
        self._r2_crm_resume(date_closed)
        vals = dict(values or {}, state=new_state, date_closed=date_closed)
        trust.as_workflow(self).write(vals)
