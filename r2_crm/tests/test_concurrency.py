"""Real concurrent transactions: committed data, several cursors, threads."""

import threading
import unittest

import odoo
from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.service import model as rpc_model
from odoo.tests.common import get_db_name
from odoo.tools.misc import mute_logger


class TestConcurrency(unittest.TestCase):
    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(TestConcurrency, cls).setUpClass()
        cls.db = get_db_name()
        cls.registry = odoo.registry(cls.db)

    def run_in_env(self, func):
        """Run func(env) in its own thread, transaction and ORM cache.

        The test runner's thread already has an Environment.manage() block;
        an environment on a second cursor inside it would share its cache and
        recomputation queue with the other tests' environments."""
        outcome = {}

        def target():
            try:
                with api.Environment.manage(), self.registry.cursor() as cr:
                    outcome["value"] = func(api.Environment(cr, SUPERUSER_ID, {}))
            except BaseException as error:  # re-raised in the test's thread
                outcome["error"] = error

        thread = threading.Thread(target=target)
        thread.start()
        thread.join(120)
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    def setUp(self):
        super(TestConcurrency, self).setUp()

        def setup(env):
            partner = env["res.partner"].create({"name": "Concurrency test customer"})
            note = env["r2.crm.contact"].create(
                {
                    "purpose": "service",
                    "partner_id": partner.id,
                    "name": "Intake",
                    "result_id": env.ref("r2_crm.result_s1").id,
                }
            )
            return partner.id, note.case_id.id

        self.partner_id, self.case_id = self.run_in_env(setup)

    def tearDown(self):
        def cleanup(env):
            cr = env.cr
            cr.execute(
                "DELETE FROM mail_activity WHERE res_model = 'r2.crm.contact' AND "
                "res_id IN (SELECT id FROM r2_crm_contact WHERE partner_id = %s)",
                (self.partner_id,),
            )
            for model, table in (
                ("r2.crm.contact", "r2_crm_contact"),
                ("r2.crm.case", "r2_crm_case"),
            ):
                for related in ("mail_followers", "mail_message"):
                    cr.execute(
                        (
                            "DELETE FROM %s WHERE model = %%s AND res_id IN "
                            "(SELECT id FROM %s WHERE partner_id = %%s)"
                            % (related, table)
                            if related == "mail_message"
                            else "DELETE FROM %s WHERE res_model = %%s AND res_id IN "
                            "(SELECT id FROM %s WHERE partner_id = %%s)"
                            % (related, table)
                        ),
                        (model, self.partner_id),
                    )
            cr.execute(
                "DELETE FROM r2_crm_contact WHERE partner_id = %s", (self.partner_id,)
            )
            cr.execute(
                "DELETE FROM r2_crm_case WHERE partner_id = %s", (self.partner_id,)
            )
            cr.execute("DELETE FROM res_partner WHERE id = %s", (self.partner_id,))

        self.run_in_env(cleanup)
        super(TestConcurrency, self).tearDown()

    def create_as_request(self, vals):
        """Create like a web client request does: Odoo's own retry on concurrency
        errors (service.model.check), each try with a fresh cursor and cache."""
        registry = self.registry

        @rpc_model.check
        def create(dbname):
            with api.Environment.manage(), registry.cursor() as cr:
                return (
                    api.Environment(cr, SUPERUSER_ID, {})["r2.crm.contact"]
                    .create(vals)
                    .id
                )

        with mute_logger("odoo.sql_db"):
            return create(self.db)

    def s2_values(self, name):
        return {
            "purpose": "service",
            "partner_id": self.partner_id,
            "name": name,
            "case_id": self.case_id,
            "result_id": self.s2_id,
        }

    def test_two_s2_on_one_case_exactly_one_wins(self):
        self.s2_id = self.run_in_env(lambda env: env.ref("r2_crm.result_s2").id)
        first_holds_lock = threading.Event()
        outcome = {}

        def first():
            with api.Environment.manage(), self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["r2.crm.contact"].create(self.s2_values(name="First S2"))
                first_holds_lock.set()
                # keep the transaction (and the row lock) open a moment
                threading.Event().wait(0.8)
            outcome["first"] = "committed"

        def second():
            first_holds_lock.wait(10)
            try:
                self.create_as_request(self.s2_values(name="Second S2"))
                outcome["second"] = "committed"
            except ValidationError as error:
                outcome["second"] = error.name
            except Exception as error:  # reported by the assertion below
                outcome["second"] = repr(error)

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(outcome["first"], "committed")
        self.assertIn("already closed", outcome["second"])

        def check(env):
            case = env["r2.crm.case"].browse(self.case_id)
            self.assertEqual(case.state, "success")
            self.assertEqual(case.contact_ids.mapped("name"), ["First S2", "Intake"])

        self.run_in_env(check)

    def test_parallel_s1_notes_get_distinct_numbers(self):
        s1_id = self.run_in_env(lambda env: env.ref("r2_crm.result_s1").id)
        created = []
        errors = []

        def intake(index):
            try:
                note_id = self.create_as_request(
                    {
                        "purpose": "service",
                        "partner_id": self.partner_id,
                        "name": "Parallel %d" % index,
                        "result_id": s1_id,
                    }
                )
                created.append(note_id)
            except Exception as error:  # reported by the assertion below
                errors.append(repr(error))

        threads = [threading.Thread(target=intake, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(errors, [])

        def check(env):
            notes = env["r2.crm.contact"].browse(created)
            numbers = notes.mapped("case_id.name")
            self.assertEqual(len(notes), 6)
            self.assertEqual(len(set(numbers)), 6)

        self.run_in_env(check)
