"""RODO (GDPR): a customer's personal data on request, and erased when it
must be, without breaking the books.

The customer is a commercial partner with its contacts. r2_crm holds most of
what a shop knows of him: entries, cases, devices, signatures, quotes, the
e-mails exchanged. A CRM manager

- exports it: a ZIP with dane.json (the structure is documented in
  PERSONAL_DATA_FORMAT below), the protocols and quotes as PDF and the
  signature images;
- erases it (after a confirmation step): the texts of the customer's entries
  and cases become "[usunięto na żądanie, <date>]", device serials and models
  are blanked, signatures and the customer's attachments are deleted, the
  e-mails with him and the chatter and tracking that name him are cleared,
  his portal user is archived and the cases' links renewed. What stays:
  numbers, dates, states, results, purposes, amounts, campaigns and
  invoices, so that every statistic is the same before and after.
  Invoices in their tax retention period (Ordynacja podatkowa, art. 70 § 1)
  keep the buyer's name, address and NIP until it ends.

The erasure rewrites what the workflow guards (signed notes, closed cases,
their tracking): it writes the r2 tables in SQL, around the guards and the
tracking that would copy the old texts into the chatter, all in the
caller's transaction. Each export and erasure is in r2.crm.privacy.log.
"""

import base64
import io
import json
import logging
import uuid
import zipfile

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext
from odoo.tools.misc import format_date

from .. import rules, trust

_logger = logging.getLogger(__name__)

MANAGER = "r2_crm.r2_crm_group_manager"

# dane.json, version 1:
#   format, exported_on (UTC), customer (partner id)
#   partners:   [{id, name, is_company, parent_id, street, street2, zip, city,
#                 country, email, phone, mobile, website, vat, lang, comment}]
#   entries:    [{id, type, channel, date, purpose, partner_id, subject, goods,
#                 description, result, case, user, deadline, done, signed_by,
#                 signed_on, signature_file}]
#   cases:      [{id, number, purpose, partner_id, state, date_open,
#                 date_deadline, date_closed, goods, description, device_id,
#                 amount_net, amount_tax, amount_gross, warranty,
#                 quote: {state, sent_on, accepted_by, accepted_on,
#                         signature_file, lines: [{description, quantity,
#                         unit_price, net, gross}]}}]
#   devices:    [{id, serial, model, warranty_until, partner_id}]
#   emails:     [{id, date, model, record_id, subject, from, to, text}]
#   files:      the other files of the ZIP (protocols/, quotes/, signatures/)
PERSONAL_DATA_FORMAT = "r2_crm personal data 1"

# The r2 texts that name or describe the customer, replaced on erasure
ENTRY_TEXTS = ("name", "item_description", "description")
CASE_TEXTS = ("item_description", "description", "failure_note", "waiting_note")
# The lock of the retention cron's run (pg_try_advisory_xact_lock)
RETENTION_LOCK = "r2_crm.privacy_retention"
# What invoices in their tax retention period keep of the buyer, besides his name
KEPT_FOR_INVOICES = (
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "vat",
)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "r2.crm.workflow.mixin"]
    # what only the erasure writes: a forged date would hide a customer from
    # the retention cron, or have it erase a live customer's name
    _r2_crm_workflow_fields = ("r2_crm_erased_on", "r2_crm_kept_until")

    r2_crm_erased_on = fields.Date(
        string="Personal data erased on",
        readonly=True,
        copy=False,
        help="RODO: the day r2_crm erased this customer's personal data.",
    )
    r2_crm_kept_until = fields.Date(
        string="Name, address and NIP kept until",
        readonly=True,
        copy=False,
        help="Invoices bind the buyer's name, address and NIP until the tax on "
        "them can no longer be assessed (Ordynacja podatkowa, art. 70 § 1).",
    )

    @api.model
    def create(self, vals):
        self.browse()._r2_crm_ensure_workflow_fields(vals)
        return super(ResPartner, self).create(vals)

    def write(self, vals):
        self._r2_crm_ensure_workflow_fields(vals)
        return super(ResPartner, self).write(vals)

    # ----------------------------------------------------------------- access
    def _r2_crm_ensure_privacy_manager(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                _(
                    "Only a CRM manager may export or erase a customer's personal "
                    "data."
                )
            )

    def _r2_crm_customer_scope(self):
        """The customer: the commercial partner and all its contacts."""
        self.ensure_one()
        commercial = self.sudo().commercial_partner_id
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", commercial.id)])
        )

    def _r2_crm_records(self):
        """The customer's r2 records: (entries, cases, devices), sudo."""
        scope = self._r2_crm_customer_scope()
        Contact = self.env["r2.crm.contact"].sudo().with_context(active_test=False)
        Case = self.env["r2.crm.case"].sudo().with_context(active_test=False)
        Device = self.env["r2.crm.device"].sudo().with_context(active_test=False)
        entries = Contact.search([("partner_id", "in", scope.ids)])
        cases = Case.search([("partner_id", "in", scope.ids)])
        devices = Device.search(
            ["|", ("partner_id", "in", scope.ids), ("case_ids", "in", cases.ids)]
        )
        return scope, entries, cases, devices

    def _r2_crm_messages(self, scope, entries, cases):
        """The chatter of the customer's records, and every message he wrote
        or received elsewhere (the e-mails exchanged with him)."""
        Message = self.env["mail.message"].sudo()
        domain = ["|", "|", "|", "|"]
        domain += [
            "&",
            ("model", "=", "r2.crm.contact"),
            ("res_id", "in", entries.ids),
            "&",
            ("model", "=", "r2.crm.case"),
            ("res_id", "in", cases.ids),
            "&",
            ("model", "=", "res.partner"),
            ("res_id", "in", scope.ids),
            ("author_id", "in", scope.ids),
            ("partner_ids", "in", scope.ids),
        ]
        return Message.search(domain)

    # ------------------------------------------------------------------ export
    def action_r2_crm_export_personal_data(self):
        """RODO, art. 15 and 20: the customer's data as a ZIP (the action
        downloads it); logged."""
        self._r2_crm_ensure_privacy_manager()
        self.ensure_one()
        data, name = self._r2_crm_personal_data_zip()
        log = self._r2_crm_privacy_log(
            rules.PRIVACY_EXPORT,
            _("Exported %(name)s: %(size)s bytes.") % {"name": name, "size": len(data)},
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "datas_fname": name,
                    "datas": base64.b64encode(data),
                    "res_model": log._name,
                    "res_id": log.id,
                    "mimetype": "application/zip",
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "self",
        }

    def _r2_crm_personal_data_zip(self):
        """(the ZIP's bytes, its file name)."""
        scope, entries, cases, devices = self._r2_crm_records()
        files = {}

        def add(path, content):
            files[path] = content
            return path

        lang = self.sudo().commercial_partner_id.lang or self.env.lang
        data = {
            "format": PERSONAL_DATA_FORMAT,
            "exported_on": fields.Datetime.now(),
            "customer": self.sudo().commercial_partner_id.id,
            "partners": [self._r2_crm_partner_data(partner) for partner in scope],
            "entries": [],
            "cases": [],
            "devices": [
                {
                    "id": device.id,
                    "serial": device.serial,
                    "model": device.name or "",
                    "warranty_until": device.warranty_until or None,
                    "partner_id": device.partner_id.id or None,
                }
                for device in devices
            ],
        }
        for entry in entries:
            signature = None
            if entry.signature:
                signature = add(
                    "signatures/entry-%s.png" % entry.id,
                    base64.b64decode(entry.signature),
                )
            data["entries"].append(
                {
                    "id": entry.id,
                    "type": entry.type,
                    "channel": entry.channel,
                    "date": entry.date,
                    "purpose": entry.purpose,
                    "partner_id": entry.partner_id.id,
                    "subject": entry.name,
                    "goods": entry.item_description or "",
                    "description": entry.description or "",
                    "result": entry.result_id.code or None,
                    "case": entry.case_id.name or None,
                    "user": entry.user_id.name,
                    "deadline": entry.date_deadline or None,
                    "done": entry.done,
                    "signed_by": entry.signed_by or None,
                    "signed_on": entry.signed_on or None,
                    "signature_file": signature,
                }
            )
            kind = entry._r2_crm_protocol_kind()
            if entry.case_id and kind:
                add(
                    "protocols/%s.pdf" % entry._r2_crm_protocol_filename(),
                    entry._r2_crm_render_protocol(),
                )
        for case in cases:
            data["cases"].append(self._r2_crm_case_data(case, add))
        data["emails"] = [
            {
                "id": message.id,
                "date": message.date,
                "model": message.model,
                "record_id": message.res_id,
                "subject": message.subject or "",
                "from": message.email_from or "",
                "to": [partner.id for partner in message.partner_ids & scope],
                "text": html2plaintext(message.body or ""),
            }
            for message in self._r2_crm_messages(scope, entries, cases).filtered(
                lambda message: message.message_type in ("email", "comment")
                and (message.author_id & scope or message.partner_ids & scope)
            )
        ]
        data["files"] = sorted(files)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "dane.json",
                json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True),
            )
            for path, content in sorted(files.items()):
                archive.writestr(path, content)
        name = self.with_context(lang=lang)._r2_crm_export_name()
        return buffer.getvalue(), name

    def _r2_crm_export_name(self):
        return _("Personal data %(id)s %(date)s.zip") % {
            "id": self.commercial_partner_id.id,
            "date": fields.Date.context_today(self),
        }

    @staticmethod
    def _r2_crm_partner_data(partner):
        return {
            "id": partner.id,
            "name": partner.name or "",
            "is_company": partner.is_company,
            "parent_id": partner.parent_id.id or None,
            "street": partner.street or "",
            "street2": partner.street2 or "",
            "zip": partner.zip or "",
            "city": partner.city or "",
            "country": partner.country_id.code or "",
            "email": partner.email or "",
            "phone": partner.phone or "",
            "mobile": partner.mobile or "",
            "website": partner.website or "",
            "vat": partner.vat or "",
            "lang": partner.lang or "",
            "comment": partner.comment or "",
        }

    @staticmethod
    def _r2_crm_case_data(case, add):
        quote = None
        if case._r2_crm_quote_shown():
            signature = None
            if case.quote_signature:
                signature = add(
                    "signatures/quote-%s.png" % case.id,
                    base64.b64decode(case.quote_signature),
                )
            add(
                "quotes/%s.pdf" % case._r2_crm_quote_filename(),
                case._r2_crm_render_quote(),
            )
            quote = {
                "state": case.quote_state,
                "sent_on": case.quote_sent_on or None,
                "accepted_by": case.quote_accepted_by or None,
                "accepted_on": case.quote_accepted_on or None,
                "signature_file": signature,
                "lines": [
                    {
                        "description": line.name,
                        "quantity": line.quantity,
                        "unit_price": line.price_unit,
                        "net": line.price_subtotal,
                        "gross": line.price_total,
                    }
                    for line in case.line_ids
                ],
            }
        return {
            "id": case.id,
            "number": case.name,
            "purpose": case.purpose,
            "partner_id": case.partner_id.id,
            "state": case.state,
            "date_open": case.date_open,
            "date_deadline": case.date_deadline or None,
            "date_closed": case.date_closed or None,
            "goods": case.item_description or "",
            "description": case.description or "",
            "device_id": case.device_id.id or None,
            "amount_net": case.amount_total,
            "amount_tax": case.amount_tax,
            "amount_gross": case.amount_gross,
            "warranty": case.warranty,
            "quote": quote,
        }

    # ----------------------------------------------------------------- erasure
    def action_r2_crm_erase_personal_data(self):
        """RODO, art. 17: the confirmation step, which says what will be
        erased and what must stay; its button erases."""
        self._r2_crm_ensure_privacy_manager()
        self.ensure_one()
        self._r2_crm_ensure_erasable()
        wizard = self.env["r2.crm.privacy.erase.wizard"].create(
            {"partner_id": self.commercial_partner_id.id}
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Erase personal data"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _r2_crm_ensure_erasable(self):
        """A customer, not the shop: no company of this database, no user
        who works in it."""
        scope = self._r2_crm_customer_scope()
        staff = scope.filtered(
            lambda partner: partner.user_ids.filtered(lambda user: not user.share)
        )
        companies = (
            self.env["res.company"].sudo().search([("partner_id", "in", scope.ids)])
        )
        if staff or companies:
            raise UserError(
                _(
                    "%(partner)s is the shop's own company or one of its users, "
                    "not a customer: its data is not erased here."
                )
                % {"partner": (staff or companies.mapped("partner_id"))[0].name}
            )

    def _r2_crm_today(self):
        """Today, as a date (tests freeze it)."""
        return fields.Date.from_string(fields.Date.context_today(self))

    def _r2_crm_kept_until(self, scope):
        """Until when the customer's invoices bind his name, address and NIP
        (None: they do not, or no longer)."""
        invoices = (
            self.env["account.invoice"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", scope.ids),
                    ("state", "not in", ("draft", "cancel")),
                    ("date_invoice", "!=", False),
                ]
            )
        )
        until = rules.tax_retention_until(
            [fields.Date.from_string(day) for day in invoices.mapped("date_invoice")]
        )
        return until if until and until >= self._r2_crm_today() else None

    def _r2_crm_erasure_preview(self):
        """What an erasure would do: counts and the invoices' date."""
        scope, entries, cases, devices = self._r2_crm_records()
        return {
            "partners": len(scope),
            "entries": len(entries),
            "cases": len(cases),
            "devices": len(devices),
            "signatures": len(entries.filtered("signature"))
            + len(cases.filtered("quote_signature")),
            "emails": len(self._r2_crm_messages(scope, entries, cases)),
            "kept_until": self._r2_crm_kept_until(scope),
            "users": len(scope.mapped("user_ids")),
        }

    def _r2_crm_erase_personal_data(self, action=rules.PRIVACY_ERASE):
        """Erase the customer's personal data (see the module's docstring);
        the privacy log says what was done. Callers check the right to."""
        self.ensure_one()
        self._r2_crm_ensure_erasable()
        scope, entries, cases, devices = self._r2_crm_records()
        today = self._r2_crm_today()
        commercial = self.sudo().commercial_partner_id
        marker = self._r2_crm_erased_marker(today)
        secrets = self._r2_crm_secrets(scope, entries, cases, devices)
        messages = self._r2_crm_messages(scope, entries, cases)
        kept_until = self._r2_crm_kept_until(scope)
        cr = self.env.cr

        attachments = self._r2_crm_erase_attachments(scope, entries, cases, devices)
        # the signing steps left open keep a name and a signature until Odoo
        # vacuums them: they go now
        if entries:
            cr.execute(
                "DELETE FROM r2_crm_contact_sign_wizard WHERE note_id IN %s",
                (tuple(entries.ids),),
            )
        if cases:
            cr.execute(
                "DELETE FROM r2_crm_case_quote_wizard WHERE case_id IN %s",
                (tuple(cases.ids),),
            )
        self._r2_crm_erase_texts("r2_crm_contact", entries.ids, ENTRY_TEXTS, marker)
        self._r2_crm_erase_texts("r2_crm_case", cases.ids, CASE_TEXTS, marker)
        if entries:
            cr.execute(
                "UPDATE r2_crm_contact SET signed_by = NULL, device_serial = NULL "
                "WHERE id IN %s",
                (tuple(entries.ids),),
            )
        for case in cases:
            cr.execute(
                "UPDATE r2_crm_case SET quote_accepted_by = NULL, access_token = %s "
                "WHERE id = %s",
                (str(uuid.uuid4()), case.id),
            )
        for device in devices:
            serial = "%s-%s" % (marker, device.id)
            cr.execute(
                "UPDATE r2_crm_device SET serial = %s, serial_key = %s, name = NULL, "
                "active = false WHERE id = %s",
                (serial, rules.normalize_serial(serial), device.id),
            )
        self._r2_crm_erase_messages(messages, secrets, marker)
        self._r2_crm_erase_activities(scope, entries, cases, marker)
        self._r2_crm_erase_users(scope)
        self._r2_crm_erase_partners(scope, commercial, kept_until, marker, today)
        self.env.cache.invalidate()

        summary = _(
            "Erased: %(entries)s entries, %(cases)s cases, %(devices)s devices, "
            "%(attachments)s attachments and signatures, %(messages)s messages; "
            "%(users)s portal users archived."
        ) % {
            "entries": len(entries),
            "cases": len(cases),
            "devices": len(devices),
            "attachments": attachments,
            "messages": len(messages),
            "users": len(scope.mapped("user_ids")),
        }
        if kept_until:
            summary += " " + _(
                "Invoices bind the name, address and NIP until %(date)s: they stay "
                "until then."
            ) % {"date": fields.Date.to_string(kept_until)}
        self._r2_crm_privacy_log(action, summary, kept_until)
        return True

    def _r2_crm_erased_marker(self, today):
        """What replaces the customer's texts, in his language, as everything
        the shop wrote him: [usunięto na żądanie, 04.12.2026]."""
        lang = (
            self.sudo().commercial_partner_id.lang
            or self.env.user.company_id.partner_id.lang
            or self.env.lang
        )
        self = self.with_context(lang=lang)
        return _("[erased on request, %(date)s]") % {
            "date": format_date(self.env, fields.Date.to_string(today))
        }

    def _r2_crm_erase_identity(self, marker):
        """The partners lose their name (``marker`` instead), address and NIP:
        what invoices in their retention period keep."""
        values = dict.fromkeys(KEPT_FOR_INVOICES, False)
        values.update(name=marker, r2_crm_kept_until=False)
        trust.as_workflow(self.sudo().with_context(tracking_disable=True)).write(values)

    @staticmethod
    def _r2_crm_secrets(scope, entries, cases, devices):
        """The customer's strings that must not survive: names, addresses,
        phones, e-mails, signers, serials."""
        values = set()
        for partner in scope:
            values |= {
                partner.name,
                partner.email,
                partner.phone,
                partner.mobile,
                partner.street,
            }
        values |= set(entries.mapped("signed_by")) | set(
            entries.mapped("device_serial")
        )
        values |= set(cases.mapped("quote_accepted_by")) | set(devices.mapped("serial"))
        return {value.strip() for value in values if value and len(value.strip()) > 2}

    def _r2_crm_erase_texts(self, table, ids, columns, marker):
        if not ids:
            return
        query = sql.SQL("UPDATE {} SET {} WHERE id IN %s").format(
            sql.Identifier(table),
            sql.SQL(", ").join(
                sql.SQL(
                    "{column} = CASE WHEN {column} IS NULL THEN NULL ELSE %s END"
                ).format(column=sql.Identifier(column))
                for column in columns
            ),
        )
        self.env.cr.execute(query, [marker] * len(columns) + [tuple(ids)])

    def _r2_crm_erase_attachments(self, scope, entries, cases, devices):
        """Delete the attachments of the customer's records (protocols,
        quotes, e-mail attachments, signatures, images) and his exports."""
        Attachment = self.env["ir.attachment"].sudo()
        logs = (
            self.env["r2.crm.privacy.log"]
            .sudo()
            .search([("partner_ref", "in", scope.ids)])
        )
        domain = ["|", "|", "|", "|"]
        for model, records in (
            ("r2.crm.contact", entries),
            ("r2.crm.case", cases),
            ("r2.crm.device", devices),
            ("res.partner", scope),
            ("r2.crm.privacy.log", logs),
        ):
            domain += ["&", ("res_model", "=", model), ("res_id", "in", records.ids)]
        attachments = Attachment.with_context(active_test=False).search(
            domain + [("res_field", "!=", False)]
        ) | Attachment.with_context(active_test=False).search(domain)
        count = len(attachments)
        attachments.unlink()
        return count

    def _r2_crm_erase_messages(self, messages, secrets, marker):
        """The e-mails with the customer lose their text; the chatter and
        tracking of his records lose whatever names him."""
        if not messages:
            return
        cr = self.env.cr
        ids = tuple(messages.ids)
        cr.execute(
            "SELECT id FROM mail_message WHERE id IN %s AND ("
            " message_type = 'email' OR author_id IN %s OR id IN ("
            "  SELECT mail_message_id FROM mail_message_res_partner_rel"
            "  WHERE res_partner_id IN %s)"
            " OR subtype_id = %s"
            " OR concat_ws(' ', body, subject, email_from) ~* %s)",
            (
                ids,
                tuple(self._r2_crm_customer_scope().ids),
                tuple(self._r2_crm_customer_scope().ids),
                self.env.ref(rules.SIGNATURE_SUBTYPE).id,
                self._r2_crm_secrets_regex(secrets),
            ),
        )
        naming = tuple(row[0] for row in cr.fetchall()) or (0,)
        cr.execute(
            "UPDATE mail_message SET body = %s, subject = NULL, email_from = NULL "
            "WHERE id IN %s",
            ("<p>%s</p>" % marker, naming),
        )
        cr.execute("DELETE FROM mail_mail WHERE mail_message_id IN %s", (ids,))
        # the record names the messages keep (an entry's is its subject)
        cr.execute(
            "UPDATE mail_message m SET record_name = coalesce(c.name, m.record_name) "
            "FROM r2_crm_contact c WHERE m.id IN %s AND m.model = 'r2.crm.contact' "
            "AND c.id = m.res_id",
            (ids,),
        )
        cr.execute(
            "UPDATE mail_message SET record_name = %s WHERE id IN %s "
            "AND model = 'res.partner'",
            (marker, ids),
        )
        if secrets:
            cr.execute(
                "UPDATE mail_tracking_value SET old_value_char = NULL, "
                "new_value_char = NULL, old_value_text = NULL, new_value_text = NULL "
                "WHERE mail_message_id IN %s AND concat_ws(' ', old_value_char, "
                "new_value_char, old_value_text, new_value_text) ~* %s",
                (ids, self._r2_crm_secrets_regex(secrets)),
            )

    @staticmethod
    def _r2_crm_secrets_regex(secrets):
        """A PostgreSQL regular expression matching any of ``secrets``."""
        escaped = [
            "".join("\\" + char if not char.isalnum() else char for char in secret)
            for secret in sorted(secrets)
        ]
        return "(%s)" % "|".join(escaped) if escaped else "(?!)"

    def _r2_crm_erase_activities(self, scope, entries, cases, marker):
        """The activities of the customer's records keep their name in
        res_name, which Odoo does not recompute: they lose it and their text."""
        cr = self.env.cr
        for model, records in (
            ("r2.crm.contact", entries),
            ("r2.crm.case", cases),
            ("res.partner", scope),
        ):
            if records:
                cr.execute(
                    "UPDATE mail_activity SET summary = %s, note = NULL, res_name = %s "
                    "WHERE res_model = %s AND res_id IN %s",
                    (marker, marker, model, tuple(records.ids)),
                )

    def _r2_crm_erase_users(self, scope):
        """The customer's portal users are archived, with a login that names
        nobody."""
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", scope.ids), ("share", "=", True)])
        )
        for user in users:
            user.write(
                {"active": False, "login": "usunieto-%s" % user.id, "signature": False}
            )

    def _r2_crm_erase_partners(self, scope, commercial, kept_until, marker, today):
        """Everything of the partners goes; the commercial partner's name,
        address and NIP stay while invoices bind them."""
        erased = {
            "email": False,
            "phone": False,
            "mobile": False,
            "website": False,
            "comment": False,
            "function": False,
            "image": False,
            "signup_token": False,
            "r2_crm_erased_on": fields.Date.to_string(today),
            "active": False,
        }
        Partner = trust.as_workflow(
            self.env["res.partner"].sudo().with_context(tracking_disable=True)
        )
        erased = {name: value for name, value in erased.items() if name in self._fields}
        scope = Partner.browse(scope.ids)
        scope.write(erased)
        kept = scope & commercial if kept_until else Partner
        kept.write(
            {"r2_crm_kept_until": kept_until and fields.Date.to_string(kept_until)}
        )
        (scope - kept)._r2_crm_erase_identity(marker)
        # bank accounts are not what invoices keep (the customer invoice's
        # account is the shop's): they go in any case
        self.env["res.partner.bank"].sudo().search(
            [("partner_id", "in", scope.ids)]
        ).unlink()

    def _r2_crm_privacy_log(self, action, summary, kept_until=None):
        return (
            self.env["r2.crm.privacy.log"]
            .sudo()
            .create(
                {
                    "user_id": self.env.user.id,
                    "partner_ref": self.sudo().commercial_partner_id.id,
                    "action": action,
                    "summary": summary,
                    "kept_until": kept_until and fields.Date.to_string(kept_until),
                }
            )
        )

    # --------------------------------------------------------------- retention
    @api.model
    def _cron_r2_crm_privacy_retention(self):
        """The scheduled action r2_crm.ir_cron_privacy_retention: with the
        company's r2_crm_retention_years set, erase the customers with no
        entry, case or invoice for that many years. Erased customers are
        skipped, so that a second run does nothing.

        Every node runs the scheduled actions, and "Run manually" can run
        beside the scheduled run: a run that finds another one at work (its
        transaction holds the lock) leaves the day's erasures to it."""
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext(%s))", (RETENTION_LOCK,)
        )
        if not self.env.cr.fetchone()[0]:
            _logger.info("r2_crm: the RODO retention runs elsewhere: skipped")
            return
        for company in self.env["res.company"].search(
            [("r2_crm_retention_years", ">", 0)]
        ):
            cutoff = rules.retention_cutoff(
                self._r2_crm_today(), company.r2_crm_retention_years
            )
            for partner in self.browse(self._r2_crm_silent_customers(company, cutoff)):
                partner._r2_crm_erase_personal_data(rules.PRIVACY_RETENTION)
        self._r2_crm_release_kept()

    @api.model
    def _r2_crm_release_kept(self):
        """Erased customers whose invoices no longer bind them lose their
        name, address and NIP too."""
        today = fields.Date.to_string(self._r2_crm_today())
        partners = self.with_context(active_test=False).search(
            [("r2_crm_kept_until", "!=", False), ("r2_crm_kept_until", "<", today)]
        )
        for partner in partners:
            partner._r2_crm_erase_identity(
                partner._r2_crm_erased_marker(self._r2_crm_today())
            )
            partner._r2_crm_privacy_log(
                rules.PRIVACY_RETENTION,
                _("The invoices no longer bind the name, address and NIP: erased."),
            )

    @api.model
    def _r2_crm_silent_customers(self, company, cutoff):
        """The commercial partners of ``company``'s r2 customers not yet
        erased, whose every entry, case and invoice is before ``cutoff``."""
        cutoff = fields.Date.to_string(cutoff)
        self.env.cr.execute(
            """
            WITH activity AS (
                SELECT p.commercial_partner_id AS customer, c.date::date AS day
                  FROM r2_crm_contact c JOIN res_partner p ON p.id = c.partner_id
                 WHERE c.company_id = %(company)s
                UNION ALL
                SELECT p.commercial_partner_id,
                       greatest(k.date_open, k.date_closed)
                  FROM r2_crm_case k JOIN res_partner p ON p.id = k.partner_id
                 WHERE k.company_id = %(company)s
                UNION ALL
                SELECT p.commercial_partner_id, i.date_invoice
                  FROM account_invoice i JOIN res_partner p ON p.id = i.partner_id
                 WHERE i.company_id = %(company)s
            )
            SELECT a.customer FROM activity a
              JOIN res_partner p ON p.id = a.customer
             WHERE p.r2_crm_erased_on IS NULL
               AND NOT EXISTS (SELECT 1 FROM res_users u
                                WHERE u.partner_id = p.id AND u.share = false)
               AND NOT EXISTS (SELECT 1 FROM res_company co WHERE co.partner_id = p.id)
             GROUP BY a.customer
            HAVING max(a.day) < %(cutoff)s
               AND EXISTS (SELECT 1 FROM r2_crm_contact c2
                             JOIN res_partner p2 ON p2.id = c2.partner_id
                            WHERE p2.commercial_partner_id = a.customer)
             ORDER BY a.customer
            """,
            {"company": company.id, "cutoff": cutoff},
        )
        return [row[0] for row in self.env.cr.fetchall()]
