import subprocess
import tempfile
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from psycopg2 import sql

from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase
from odoo.tools import config

from . import users

# A 2 x 2 black PNG: what the signing pad sends, in small
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGNgYGBgYAAAAAYAAX"
    "KCmeoAAAAASUVORK5CYII="
)

# The numberings whose next number a refused case must not have drawn
SEQUENCES = (
    "r2_crm.r2_crm_sequence_case_service",
    "r2_crm.r2_crm_sequence_case_sale",
    "r2_crm.r2_crm_sequence_case_other",
)


def settle_registry(registry):
    """Signal now the registry change that installing the module left pending.

    Otherwise the first HTTP requests of the test process signal it (the
    stylesheets wkhtmltopdf fetches while a test renders a PDF), two of them at
    once race on the signaling sequence, and the next request reloads the
    registry under the running test, whose pending recomputations then fail
    with ``KeyError`` in ``_field_computed``.
    """
    registry.signal_changes()


@contextmanager
def failing_printer(registry):
    """Every PDF report of ``registry`` fails as Odoo reports a crash of
    wkhtmltopdf: UserError (its message, untranslated, as a test has it)."""

    def wkhtmltopdf_fails(report, res_ids=None, data=None):
        raise UserError(  # pylint: disable=translation-required
            "Wkhtmltopdf failed (error code: -11). Message: test"
        )

    with patch.object(
        registry["ir.actions.report"], "render_qweb_pdf", wkhtmltopdf_fails
    ):
        yield


class R2CrmTestCase(SavepointCase):
    """The real users (users.py), partners and shortcuts every r2_crm test
    builds on (no demo data).

    Post-install: base.automation hooks the models only once the registry is
    ready, so the result actions do not run in at-install tests.
    """

    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(R2CrmTestCase, cls).setUpClass()
        # unittest skips tearDownClass when setUpClass fails: the class's open
        # transaction would then hold its locks and hang every later test.
        cls.addClassCleanup(cls._r2_crm_release_cursor)
        settle_registry(cls.registry)
        # English unless a test says otherwise: the superuser of a database
        # with demo data works in Polish, and Odoo falls back on his language.
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                lang="en_US",
            )
        )
        cls.Contact = cls.env["r2.crm.contact"]
        cls.Case = cls.env["r2.crm.case"]
        cls.Result = cls.env["r2.crm.result"]
        cls.s1 = cls.env.ref("r2_crm.result_s1")
        cls.s2 = cls.env.ref("r2_crm.result_s2")
        cls.partner = cls.env["res.partner"].create(
            {
                "name": "Kowalski Sp. z o.o.",
                "is_company": True,
                "vat": "PL5260250274",
                "email": "biuro@kowalski.test",
                "phone": "+48 22 111 22 33",
                "street": "ul. Prosta 1",
                "zip": "00-001",
                "city": "Warszawa",
            }
        )
        cls.partner_contact = cls.env["res.partner"].create(
            {"name": "Jan Kowalski", "parent_id": cls.partner.id}
        )
        cls.other_partner = cls.env["res.partner"].create({"name": "Nowak"})
        for name, user in users.real_users(cls.env, cls.partner_contact).items():
            setattr(cls, name, user)

    @classmethod
    def make_user(cls, login, group, purpose=False, companies=None, **values):
        """A user of its own, for a test that needs more than the real users."""
        return users.make_user(cls.env, login, group, purpose, companies, **values)

    @classmethod
    def install_polish(cls):
        """Polish, with r2_crm's terms (a database without demo data has none)."""
        if not cls.env["res.lang"].search([("code", "=", "pl_PL")]):
            cls.env["res.lang"].load_lang("pl_PL")
        cls.env["ir.translation"].load_module_terms(["r2_crm"], ["pl_PL"])

    @classmethod
    def _r2_crm_release_cursor(cls):
        if not cls.cr.closed:
            cls.cr.rollback()
            cls.cr.close()

    @classmethod
    def note(cls, user=None, **values):
        """A service note by ``user`` (the service clerk by default)."""
        vals = {
            "type": "note",
            "purpose": "service",
            "partner_id": cls.partner.id,
            "name": "Laptop does not start",
            "item_description": "Lenovo T480, SN 123, charger",
            "description": "No power after a fall",
        }
        vals.update(values)
        return cls.Contact.sudo(user or cls.service_clerk).create(vals)

    def wizard(self, note, user=None, **values):
        """The signing step of ``note``, opened by ``user`` (the service clerk)."""
        action = note.sudo(user or self.service_clerk).action_sign()
        return (
            self.env["r2.crm.contact.sign.wizard"]
            .sudo(user or self.service_clerk)
            .with_context(**action["context"])
            .create(values)
        )

    def sign(self, note, name="Jan Kowalski", signature=SIGNATURE, context=None):
        """The customer ``name`` signs ``note`` at the counter."""
        wizard = self.wizard(note, signature=signature, signed_by=name)
        wizard.with_context(**(context or {})).action_confirm()

    def r2_crm_fingerprint(self):
        """What a refusal must leave as it was, read from the database: a
        checksum of every row of r2_crm's tables, and the next number of every
        yearly range of the case numberings (drawn outside transactions)."""
        self.env.cache.invalidate()
        self.cr.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_name LIKE 'r2\\_crm\\_%%' AND table_type = 'BASE TABLE' "
            "ORDER BY table_name"
        )
        tables = [row[0] for row in self.cr.fetchall()]
        sums = []
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(string_agg(t::text, ',' ORDER BY t::text)) "
                "FROM {} t"
            ).format(sql.Identifier(table))
            self.cr.execute(query)
            sums.append((table,) + self.cr.fetchone())
        numbers = [
            (rng.date_from, rng.number_next_actual)
            for xmlid in SEQUENCES
            for rng in self.env.ref(xmlid).date_range_ids
        ]
        return sums, numbers

    def assertRefusedAndNothingSaved(self, error, fragment, run):
        """``run()`` raises ``error`` with ``fragment`` in its message, and
        leaves no trace in r2_crm's tables or numbering: the one "refused, and
        nothing saved" check of the suite."""
        before = self.r2_crm_fingerprint()
        with self.assertRaises(error) as caught, self.cr.savepoint():
            run()
        message = getattr(caught.exception, "name", None) or str(caught.exception)
        self.assertIn(fragment, message)
        self.assertEqual(
            self.r2_crm_fingerprint(), before, "a refusal changed the data"
        )
        return caught.exception

    @contextmanager
    def frozen_today(self, today):
        """Freeze the date the cases count Wiek from."""
        with patch.object(type(self.Case), "_r2_crm_today", lambda self: today):
            yield

    @contextmanager
    def real_pdfs(self):
        """Reports render PDFs by wkhtmltopdf, fetching their stylesheets from
        this test server (Odoo renders HTML in tests otherwise)."""
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://localhost:%s" % config["http_port"]
        )
        with tempfile.TemporaryDirectory() as tmp, patch.dict(
            config.options, {"test_report_directory": tmp}
        ):
            yield

    @staticmethod
    def pdf_text(data):
        """The text of a PDF (poppler's pdftotext), as a reader copies it."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as fp:
            fp.write(data)
            fp.flush()
            return subprocess.check_output(["pdftotext", fp.name, "-"]).decode()

    @staticmethod
    def d(year, month, day):
        return date(year, month, day)


class R2CrmPolishCase(R2CrmTestCase):
    """A Polish shop: r2_crm's Polish terms loaded, the customer Polish."""

    @classmethod
    def setUpClass(cls):
        super(R2CrmPolishCase, cls).setUpClass()
        cls.install_polish()
        cls.partner.lang = "pl_PL"
