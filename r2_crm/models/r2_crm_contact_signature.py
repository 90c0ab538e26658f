"""The customer's signature on a note's protocol, kept as evidence.

When a customer disputes a repair, the shop shows the protocol he signed. So
the stroke, the signer's name and the moment are written together by the
signing step alone (``_r2_crm_sign``, called by the sign wizard), at the
server's time; they are workflow fields of the entry, which no create, write,
default or copy sets. A signed note is not signed over: the signature is
cleared first. Signing and clearing each log a chatter message of their own,
with the image's SHA-256, which no context key switches off.
"""

from odoo import _, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_escape

from .. import rules, trust


class R2CrmContact(models.Model):
    _inherit = "r2.crm.contact"

    signature = fields.Binary(
        string="Customer's signature", attachment=True, copy=False, readonly=True
    )
    signed_by = fields.Char(copy=False, readonly=True)
    signed_on = fields.Datetime(copy=False, readonly=True)

    def action_sign(self):
        """The customer signs the protocol of this note (the sign wizard)."""
        self.ensure_one()
        self._r2_crm_ensure_protocol()
        self._r2_crm_ensure_unsigned()
        action = self.env.ref("r2_crm.r2_crm_contact_sign_wizard_action").read()[0]
        action["context"] = {"active_model": self._name, "active_id": self.id}
        return action

    def action_clear_signature(self):
        """Clear the signature, so that the customer may sign again."""
        for note in self.filtered("signed_on"):
            note._r2_crm_clear_signature()
        return True

    def _r2_crm_ensure_unsigned(self):
        if self.signed_on:
            raise UserError(
                _(
                    "'%(note)s' was signed by %(name)s on %(date)s. Clear the "
                    "signature first to let the customer sign again."
                )
                % {
                    "note": self.name,
                    "name": self.signed_by,
                    "date": self._r2_crm_local_time(self.signed_on),
                }
            )

    def _r2_crm_sign(self, signature, signed_by):
        """The signing step: the customer's ``signature`` (base64 of a PNG or
        JPEG) and name are recorded with the server's time, as the user who
        may change the note, and the chatter says so."""
        self.ensure_one()
        self._r2_crm_ensure_protocol()
        self._r2_crm_ensure_unsigned()
        name = (signed_by or "").strip()
        if not name:
            raise UserError(_("Name of the signer: type the customer's name."))
        data = self._r2_crm_signature_bytes(signature)
        self.check_access_rights("write")
        self.check_access_rule("write")
        trust.as_workflow(self).write(
            {
                "signature": signature,
                "signed_by": name,
                "signed_on": fields.Datetime.now(),
            }
        )
        self._r2_crm_log(
            "<p>%s</p>"
            % html_escape(
                _(
                    "%(name)s signed the protocol on %(date)s in the presence of "
                    "%(user)s. Signature SHA-256: %(digest)s."
                )
                % {
                    "name": name,
                    "date": self._r2_crm_local_time(self.signed_on),
                    "user": self.env.user.name,
                    "digest": rules.signature_digest(data),
                }
            ),
            subtype=rules.SIGNATURE_SUBTYPE,
        )

    def _r2_crm_clear_signature(self):
        self.ensure_one()
        self.check_access_rights("write")
        self.check_access_rule("write")
        signed_by, signed_on = self.signed_by, self.signed_on
        trust.as_workflow(self).write(
            {"signature": False, "signed_by": False, "signed_on": False}
        )
        self._r2_crm_log(
            "<p>%s</p>"
            % html_escape(
                _(
                    "The customer's signature (%(name)s, %(date)s) was cleared by "
                    "%(user)s."
                )
                % {
                    "name": signed_by or "",
                    "date": self._r2_crm_local_time(signed_on),
                    "user": self.env.user.name,
                }
            ),
            subtype=rules.SIGNATURE_SUBTYPE,
        )

    def _r2_crm_signature_bytes(self, signature):
        """The image of ``signature``, or a clear refusal naming what is wrong."""
        try:
            data = rules.signature_bytes(signature)
        except ValueError:
            data, problem = b"", rules.SIG_NOT_BASE64
        else:
            problem = rules.signature_problem(data)
        if not problem:
            return data
        messages = {
            rules.SIG_EMPTY: _("Signature: the customer has not signed yet."),
            rules.SIG_NOT_BASE64: _(
                "Signature: what was sent is not an image encoded in base64."
            ),
            rules.SIG_TOO_LARGE: _(
                "Signature: the image has %(size)s KB; a signature has at most "
                "%(max)s KB."
            ),
            rules.SIG_NOT_IMAGE: _(
                "Signature: what was sent is not a PNG or JPEG image that can be "
                "read."
            ),
            rules.SIG_FORMAT: _(
                "Signature: only PNG and JPEG images are accepted, not %(format)s."
            ),
            rules.SIG_DIMENSIONS: _(
                "Signature: the image is larger than %(side)s pixels a side."
            ),
        }
        raise ValidationError(
            messages[problem]
            % {
                "size": len(data) // 1024 if problem == rules.SIG_TOO_LARGE else 0,
                "max": rules.SIGNATURE_MAX_BYTES // 1024,
                "format": (
                    rules.signature_format(data) if problem == rules.SIG_FORMAT else ""
                ),
                "side": rules.SIGNATURE_MAX_SIDE,
            }
        )

    def _r2_crm_local_time(self, moment):
        """A UTC date-time of Odoo as the user's local time, to the minute."""
        if not moment:
            return ""
        return fields.Datetime.context_timestamp(
            self, fields.Datetime.from_string(moment)
        ).strftime("%Y-%m-%d %H:%M")
