import base64
import subprocess
import tempfile
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.modules.module import get_module_resource
from odoo.tools import config
from odoo.tools.safe_eval import safe_eval

from .common import R2CrmTestCase


class TestProtocols(R2CrmTestCase):

    @classmethod
    def setUpClass(cls):
        super(TestProtocols, cls).setUpClass()
        cls.intake = cls.env.ref("r2_crm.r2_crm_report_intake_protocol")
        cls.completion = cls.env.ref("r2_crm.r2_crm_report_completion_protocol")
        cls.env.user.company_id.r2_crm_protocol_terms = (
            "Goods not collected within 90 days"
        )

    def service_story(self):
        opening = self.note(
            result_id=self.s1.id,
            date="2026-03-02 09:30:00",
            description="No power\nafter a fall",
        )
        case = opening.case_id
        self.note(
            case_id=case.id,
            name="Ordered a new motherboard",
            date="2026-03-05 10:00:00",
        )
        closing = self.note(
            case_id=case.id,
            result_id=self.s2.id,
            name="Repaired",
            date="2026-03-20 16:00:00",
            description="Replaced the motherboard, tested 24 h",
        )
        return opening, closing, case

    def html(self, report, notes):
        return report.render_qweb_html(notes.ids)[0].decode()

    def test_intake_protocol_content(self):
        opening, _closing, case = self.service_story()
        html = self.html(self.intake, opening)
        self.assertIn("Service intake protocol", html)
        self.assertIn(case.name, html)
        self.assertIn("Kowalski Sp. z o.o.", html)
        self.assertIn("PL5260250274", html)
        self.assertIn("biuro@kowalski.test", html)
        self.assertIn("Lenovo T480, SN 123, charger", html)
        self.assertIn("No power<br", html, "line breaks are kept")
        self.assertIn(self.service_clerk.name, html)
        self.assertIn("Goods not collected within 90 days", html)
        self.assertIn("Customer's signature", html)
        self.assertIn("Employee's signature", html)

    def test_the_shops_header_once_and_never_odoos_placeholder_logo(self):
        opening = self.service_story()[0]
        company = self.env.user.company_id
        company.logo = company._get_logo()  # a shop that never set its logo
        html = self.html(self.intake, opening)
        self.assertEqual(html.count('class="row r2_crm_company"'), 1)
        self.assertEqual(
            html.count("VAT number: <span"), 2, "the shop's and the customer's"
        )
        self.assertNotIn(
            "data:image/png;base64", html.split("<h2")[0], "no placeholder"
        )
        self.assertFalse(company.r2_crm_own_logo)
        with open(
            get_module_resource("r2_crm", "static", "img", "demo_logo.png"), "rb"
        ) as fp:
            company.logo = base64.b64encode(fp.read())
        html = self.html(self.intake, opening)
        self.assertIn(
            "data:image/png;base64", html.split("<h2")[0], "the shop's own logo"
        )

    def test_completion_protocol_content(self):
        _opening, closing, case = self.service_story()
        html = self.html(self.completion, closing)
        self.assertIn("Service completion protocol", html)
        self.assertIn(case.name, html)
        self.assertIn("Replaced the motherboard, tested 24 h", html)
        self.assertIn("Lenovo T480, SN 123, charger", html)
        self.assertIn("Ordered a new motherboard", html)
        self.assertIn("Laptop does not start", html, "the opening note is listed")
        self.assertIn("S2 Resolved", html)
        # opened 2026-03-02 with 14 days, closed 2026-03-20: 18 days, 4 late
        self.assertRegex(html, r"Days taken:</strong>\s*<span>18</span>")
        self.assertRegex(html, r"<span>4</span> days late")

    def test_user_text_is_escaped(self):
        opening = self.note(
            result_id=self.s1.id,
            description="<script>alert('x')</script>",
            item_description="<b>bold</b>",
        )
        html = self.html(self.intake, opening)
        self.assertNotIn("<script>alert", html)
        self.assertIn("&lt;script&gt;alert", html)
        self.assertNotIn("<b>bold</b>", html)

    def test_printing_from_the_wrong_note_is_refused(self):
        opening, closing, case = self.service_story()
        plain = self.note(name="Just a call")
        linked_plain = case.contact_ids.filtered(lambda c: not c.result_id)
        with self.assertRaises(UserError):
            self.html(self.intake, plain)
        with self.assertRaises(UserError) as caught:
            self.html(self.intake, closing)
        self.assertIn(
            "(result S2) closed %s: it prints the completion protocol, not the "
            "intake protocol" % case.name,
            caught.exception.name,
        )
        with self.assertRaises(UserError) as caught:
            self.html(self.completion, opening)
        self.assertIn(
            "(result S1) opened %s: it prints the intake protocol, not the "
            "completion protocol" % case.name,
            caught.exception.name,
        )
        with self.assertRaises(UserError) as caught:
            self.html(self.completion, linked_plain)
        self.assertIn("neither opened nor closed %s" % case.name, caught.exception.name)

    def test_report_actions_are_in_the_print_menu(self):
        for report in (self.intake, self.completion):
            self.assertEqual(report.binding_model_id.model, "r2.crm.contact")
            self.assertEqual(report.report_type, "qweb-pdf")
        _opening, closing, case = self.service_story()
        name = safe_eval(self.completion.print_report_name, {"object": closing})
        self.assertIn(case.name.replace("/", "-"), name)

    def test_real_pdf_through_wkhtmltopdf(self):
        opening, _closing, case = self.service_story()
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://localhost:%s" % config["http_port"]
        )
        with tempfile.TemporaryDirectory() as tmp, patch.dict(
            config.options, {"test_report_directory": tmp}
        ):
            pdf, kind = self.intake.render_qweb_pdf(opening.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as fp:
            fp.write(pdf)
            fp.flush()
            text = subprocess.check_output(["pdftotext", fp.name, "-"]).decode()
        self.assertIn(case.name, text)
        self.assertIn("Service intake protocol", text)
