"""The customer's signature on a protocol, as evidence (#14, #19): set by the
signing step alone, with the server's time; the signer never rewritten; a real
PNG or JPEG of at most 256 KB; signing and clearing logged whatever the
context says. As the service clerk who takes the device in."""

import base64
import io
import os
import subprocess
import tempfile
from unittest.mock import patch

from PIL import Image

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import config

from .. import rules
from .common import SIGNATURE, R2CrmTestCase

# What no context key may silence
QUIET = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_auto_subscribe_no_notify": True,
}


def image(kind, size=(40, 20)):
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, kind)
    return out.getvalue()


class TestSignature(R2CrmTestCase):
    def messages(self, note):
        return note.sudo().message_ids.mapped("body")

    def test_the_customer_signs_at_the_servers_time_and_the_chatter_says_so(self):
        note = self.note(self.service_clerk, result_id=self.s1.id)
        before = fields.Datetime.now()
        self.sign(note, context=QUIET)
        self.assertEqual(note.signed_by, "Jan Kowalski")
        self.assertTrue(before <= note.signed_on <= fields.Datetime.now())
        digest = rules.signature_digest(base64.b64decode(SIGNATURE))
        logged = [body for body in self.messages(note) if digest in body]
        self.assertEqual(len(logged), 1, "one message with the image's SHA-256")
        self.assertIn("Jan Kowalski signed the protocol", logged[0])

    def test_the_signer_cannot_be_rewritten_whatever_the_context(self):
        note = self.note(self.service_clerk, result_id=self.s1.id)
        self.sign(note)
        for values in (
            {"signed_by": "Forged Signer"},
            {"signed_on": "2020-01-01 10:00:00"},
            {"signature": SIGNATURE},
            {"signature": False},
        ):
            with self.subTest(values=values):
                with self.assertRaises(UserError), self.cr.savepoint():
                    note.sudo(self.service_clerk).with_context(**QUIET).write(values)
        note.invalidate_cache()
        self.assertEqual(note.signed_by, "Jan Kowalski")

    def test_a_signed_note_is_cleared_before_it_is_signed_again(self):
        note = self.note(self.service_clerk, result_id=self.s1.id)
        self.sign(note)
        with self.assertRaises(UserError) as error:
            self.sign(note, "Anna Nowak")
        self.assertIn("Clear the signature first", error.exception.name)
        self.assertEqual(note.signed_by, "Jan Kowalski")
        note.sudo(self.service_clerk).with_context(**QUIET).action_clear_signature()
        self.assertFalse(note.signature or note.signed_by or note.signed_on)
        self.sign(note, "Anna Nowak", context=QUIET)
        self.assertEqual(note.signed_by, "Anna Nowak")
        bodies = " ".join(self.messages(note))
        self.assertIn("was cleared by", bodies)
        self.assertEqual(bodies.count("signed the protocol"), 2)

    def test_only_a_png_or_jpeg_of_at_most_256_kb_is_accepted(self):
        note = self.note(self.service_clerk, result_id=self.s1.id)
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0L9 9"/></svg>'
        refused = {
            "random 5 MB": (os.urandom(5 * 1024 * 1024), "at most 256 KB"),
            "not an image": (b"not an image", "not a PNG or JPEG"),
            "svg": (svg, "not a PNG or JPEG"),
            "gif": (image("GIF"), "not GIF"),
        }
        for label, (data, message) in refused.items():
            with self.subTest(label):
                with self.assertRaises(ValidationError) as error, self.cr.savepoint():
                    self.sign(note, signature=base64.b64encode(data))
                self.assertIn(message, error.exception.name)
                note.invalidate_cache()
                self.assertFalse(note.signature or note.signed_by or note.signed_on)
        self.sign(note, signature=base64.b64encode(image("JPEG")))
        self.assertTrue(note.signed_on)

    def test_only_who_may_change_the_note_records_a_signature(self):
        note = self.note(self.service_clerk, result_id=self.s1.id)
        Wizard = self.env["r2.crm.contact.sign.wizard"].sudo(self.sales_clerk)
        wizard = Wizard.create(
            {"note_id": note.id, "signature": SIGNATURE, "signed_by": "Forger"}
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertFalse(note.signed_on)
        self.sign(note)
        with self.assertRaises(AccessError):
            note.sudo(self.sales_clerk).action_clear_signature()
        self.assertEqual(note.signed_by, "Jan Kowalski")

    def test_only_a_note_with_a_protocol_is_signed(self):
        with self.assertRaises(UserError):
            self.note(self.service_clerk, name="Just a call").sudo(
                self.service_clerk
            ).action_sign()

    def test_signing_needs_a_stroke_and_a_name(self):
        note = self.note(self.service_clerk, result_id=self.s1.id)
        with self.assertRaises(UserError):
            self.wizard(note, signed_by="Jan").action_confirm()
        with self.assertRaises(UserError):
            self.wizard(note, signature=SIGNATURE, signed_by=" ").action_confirm()
        self.assertFalse(note.signature)

    def test_the_signature_is_printed_on_the_protocol(self):
        report = self.env.ref("r2_crm.r2_crm_report_intake_protocol")
        unsigned = self.note(self.service_clerk, result_id=self.s1.id)
        signed = self.note(self.service_clerk, result_id=self.s1.id)
        self.sign(signed, "Anna Nowak")
        html = report.render_qweb_html(signed.ids)[0].decode()
        self.assertIn("data:image/png;base64,%s" % SIGNATURE, html)
        self.assertIn("Anna Nowak", html)
        self.assertNotIn(
            "r2_crm_signed", report.render_qweb_html(unsigned.ids)[0].decode()
        )
        images = [self.pdf_images(report, note) for note in (unsigned, signed)]
        self.assertEqual(images[1], images[0] + 1, "the signature is an image more")

    def pdf_images(self, report, note):
        """How many images the protocol's PDF (wkhtmltopdf) embeds."""
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://localhost:%s" % config["http_port"]
        )
        with tempfile.TemporaryDirectory() as tmp, patch.dict(
            config.options, {"test_report_directory": tmp}
        ):
            pdf, _kind = report.render_qweb_pdf(note.ids)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as fp:
            fp.write(pdf)
            fp.flush()
            listing = subprocess.check_output(["pdfimages", "-list", fp.name]).decode()
        return len(listing.strip().splitlines()) - 2  # two header lines

    def test_the_signer_proposed_is_the_notes_contact_person_never_a_company(self):
        person = self.note(partner_id=self.partner_contact.id, result_id=self.s1.id)
        company = self.note(result_id=self.s1.id)
        Wizard = self.env["r2.crm.contact.sign.wizard"].sudo(self.service_clerk)
        for note, proposed in ((person, "Jan Kowalski"), (company, False)):
            action = note.sudo(self.service_clerk).action_sign()
            wizard = Wizard.with_context(**action["context"]).new({"note_id": note.id})
            wizard._onchange_note_id()
            self.assertEqual(wizard.signed_by, proposed)
