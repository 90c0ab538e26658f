"""Fields only the workflow writes: one list per model, every door closed.

A model lists its workflow-owned fields once, in ``_r2_crm_workflow_fields``.
The guard on ``create`` and ``write`` and the guard on defaults below read that
list, and so do the tests (``tests/test_workflow_fields.py``): a field added to
it is closed at every door at once.

The doors: a value sent to ``create`` or ``write``; a ``default_<field>`` key
of the context, which any RPC client may send; an ``ir.default``, which any
user may set for himself; and ``copy()``, which calls ``create()`` and so
fills what it does not copy from those same defaults.
"""

from datetime import date

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from .. import trust


def without_context_defaults(records):
    """``records`` in a context without ``default_<field>`` keys: what the
    workflow creates takes none of the values a client's context proposes."""
    context = {
        key: value
        for key, value in records.env.context.items()
        if not key.startswith("default_")
    }
    if len(context) == len(records.env.context):
        return records
    return records.with_env(records.env(context=context))


class R2CrmWorkflowMixin(models.AbstractModel):
    _name = "r2.crm.workflow.mixin"
    _description = "Fields only the workflow writes"

    # The fields of the model that only the workflow writes.
    _r2_crm_workflow_fields = ()

    @api.model
    def default_get(self, fields_list):
        """A workflow field gets only its own default (a case is open, a
        number is drawn): never one of the context's ``default_<field>``
        keys nor an ``ir.default``. Not even on the workflow's own path: it
        runs in the context of the request that triggered it, and it passes
        the values it means."""
        defaults = super(R2CrmWorkflowMixin, self).default_get(fields_list)
        for name in self._r2_crm_workflow_fields:
            if name not in defaults:
                continue
            field = self._fields[name]
            if field.default:
                defaults[name] = field.default(self)
            else:
                del defaults[name]
        return defaults

    def _r2_crm_workflow_initial(self, name):
        """The values a new record may carry in the workflow field ``name``
        without the workflow: the empty ones, and the field's own default."""
        values = [None, False, ""]
        field = self._fields[name]
        if field.default:
            values.append(field.default(self.browse()))
        return values

    def _r2_crm_workflow_changes(self, vals):
        """The workflow fields that ``vals`` would set on a new record (self
        empty) or change on the records of self, in the list's order."""
        names = [name for name in self._r2_crm_workflow_fields if name in vals]
        if not self:
            return [
                name
                for name in names
                if vals[name] not in self._r2_crm_workflow_initial(name)
            ]
        return [
            name
            for name in names
            if any(
                self._fields[name].convert_to_write(record[name], record)
                != (vals[name] or False)
                for record in self
            )
        ]

    def _r2_crm_check_dates(self, vals):
        """``vals`` with each date and date-time the model's code reads
        later as a string; anything else than a date, a date-time or their
        text is refused clearly, before the model's code trips on it."""
        vals = dict(vals)
        for name, value in vals.items():
            field = self._fields.get(name)
            if not value or field is None or field.type not in ("date", "datetime"):
                continue
            kind = fields.Date if field.type == "date" else fields.Datetime
            try:
                if isinstance(value, date):
                    vals[name] = kind.to_string(value)
                elif isinstance(value, str):
                    vals[name] = kind.to_string(kind.from_string(value))
                else:
                    raise TypeError(value)
            except (TypeError, ValueError, OverflowError):
                raise ValidationError(
                    _("%(field)s: %(value)r is not a date (YYYY-MM-DD).")
                    % {"field": self._r2_crm_field_label(name), "value": value}
                )
        return vals

    def _r2_crm_field_label(self, name):
        return self._fields[name].get_description(self.env)["string"]

    def _r2_crm_workflow_error(self, name):
        """The refusal of a direct value of the workflow field ``name``."""
        return UserError(
            _("%(field)s is set by the workflow and cannot be written directly.")
            % {"field": self._r2_crm_field_label(name)}
        )

    def _r2_crm_ensure_workflow_fields(self, vals):
        """Refuse ``vals`` that set a workflow field, unless the workflow
        itself (trust.as_workflow) writes them. ``self`` is empty on create."""
        if trust.is_workflow(self):
            return
        changed = self._r2_crm_workflow_changes(vals)
        if changed:
            raise self._r2_crm_workflow_error(changed[0])

    def _r2_crm_log(self, body, author=None, subtype="mail.mt_note"):
        """Log ``body`` (HTML) in the record's chatter as a note of the current
        user (or of the partner ``author``), as Odoo 12's _message_log does;
        ``subtype``: the XML id of an internal subtype (a note by default).
        The workflow writes it: no context key switches it off
        (tracking_disable, mail_notrack and the like concern tracking), no
        ``default_`` key adds to it, none of message_post's access checks and
        reply lookups is needed, and no one is notified of it."""
        self.ensure_one()
        Message = without_context_defaults(self.env["mail.message"])
        email_from = Message._get_default_from()
        return Message.sudo().create(
            {
                "model": self._name,
                "res_id": self.id,
                "record_name": self.display_name,
                "body": body,
                "message_type": "notification",
                "subtype_id": self.env.ref(subtype).id,
                "author_id": (author or self.env.user.partner_id).id,
                "email_from": email_from,
                "reply_to": email_from,
                "message_id": tools.generate_tracking_message_id("message-notify"),
            }
        )
