"""The customer follows his repair from his phone (#27): the intake protocol
prints a QR code of the case's token link, and the token page says where
the repair stands, in his words, and nothing of his other cases."""

import html
from urllib.parse import parse_qs, urlsplit

from odoo import SUPERUSER_ID, api, fields

from .. import rules
from .common import R2CrmPolishCase
from .test_portal import PortalCase


def qr_links(page):
    """The links the QR codes of an HTML ``page`` carry: the value of each
    /report/barcode/?type=QR image."""
    links = []
    for src in _image_sources(page):
        parts = urlsplit(src)
        query = parse_qs(parts.query)
        if parts.path == "/report/barcode/" and query.get("type") == ["QR"]:
            links.append(query["value"][0])
    return links


def _image_sources(page):
    sources, rest = [], page
    while 'src="' in rest:
        rest = rest.split('src="', 1)[1]
        sources.append(html.unescape(rest.split('"', 1)[0]))
    return sources


class TestIntakeQrCode(R2CrmPolishCase):
    def render(self, note, lang="pl_PL"):
        report = self.env.ref("r2_crm.r2_crm_report_intake_protocol")
        page, _kind = report.with_context(lang=lang).render_qweb_html(note.ids)
        return page.decode()

    def test_the_intake_protocol_prints_the_token_link_as_a_qr_code(self):
        note = self.note(result_id=self.s1.id)
        case = note.case_id
        page = self.render(note)
        self.assertEqual(qr_links(page), [case.portal_link])
        self.assertIn("access_token=%s" % case.access_token, case.portal_link)
        self.assertIn("Status naprawy: zeskanuj kod", page)


class TestTokenPage(PortalCase):
    """A visitor with the code's link, without an account."""

    def change(self, case, method, *args):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            getattr(env["r2.crm.case"].browse(case["id"]), method)(*args)

    def visit(self, case):
        return self.get("/my/cases/%s?access_token=%s" % (case["id"], case["token"]))

    def test_the_status_in_the_customers_words(self):
        # their customer is Polish
        case = self.their_case
        response = self.visit(case)
        self.assertEqual(response.status_code, 200)
        self.assertIn("w naprawie", response.text)
        self.change(case, "_r2_crm_wait", rules.WAIT_PARTS)
        self.assertIn("czeka na części", self.visit(case).text)
        self.change(case, "_r2_crm_close", rules.SUCCESS, fields.Date.today())
        self.assertIn("gotowe do odbioru", self.visit(case).text)

    def test_the_qr_codes_image_is_served(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            src = env["r2.crm.case"].browse(self.our_case["id"])._r2_crm_portal_qr_src()
        response = self.get(src)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertTrue(response.content.startswith(b"\x89PNG"))

    def test_nothing_of_the_customers_other_cases(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            first = env["r2.crm.case"].browse(self.their_case["id"])
            second = (
                env["r2.crm.contact"]
                .create(
                    {
                        "type": "note",
                        "purpose": "service",
                        "partner_id": first.partner_id.id,
                        "name": "Intake",
                        "item_description": "Second device OTHER-GOODS",
                        "result_id": env.ref("r2_crm.result_s1").id,
                    }
                )
                .case_id
            )
            other = {"name": second.name, "goods": "OTHER-GOODS"}
        response = self.visit(self.their_case)
        self.assertIn(self.their_case["name"], response.text)
        self.assertNothingOf(response, other)
        self.assertNotIn('/my/cases"', response.text)
