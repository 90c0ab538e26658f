"""Real concurrent requests: committed data, one cursor per request, threads.

The requests go through ``odoo.service.model.execute``, the entry point of
XML-RPC and JSON-RPC calls, where Odoo retries a transaction that lost a race
(serialization failure, lock timeout) in a fresh one. They are sent by
service-department clerks, as at a real counter.
"""

import threading
import unittest

import odoo
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError, ValidationError
from odoo.service import model as rpc_model
from odoo.tests.common import get_db_name
from odoo.tools.misc import mute_logger

from .common import settle_registry

CLERKS = 4


class TestConcurrency(unittest.TestCase):
    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(TestConcurrency, cls).setUpClass()
        cls.db = get_db_name()
        cls.registry = odoo.registry(cls.db)
        settle_registry(cls.registry)

        def setup(env):
            department = env.ref("r2_crm.r2_crm_group_user_department")
            users = env["res.users"].with_context(no_reset_password=True)
            clerks = []
            for number in range(CLERKS):
                login = "r2_concurrency_clerk_%d" % number
                clerk = users.with_context(active_test=False).search(
                    [("login", "=", login)]
                ) or users.create(
                    {
                        "name": "Concurrency clerk %d" % number,
                        "login": login,
                        "email": "clerk%d@r2.test" % number,
                        "r2_crm_purpose": "service",
                        "groups_id": [(6, 0, department.ids)],
                    }
                )
                clerk.active = True
                clerks.append(clerk.id)
            partner = env["res.partner"].create({"name": "Concurrency customer"})
            return (
                clerks,
                partner.id,
                env.ref("r2_crm.result_s1").id,
                env.ref("r2_crm.result_s2").id,
            )

        cls.clerks, cls.partner_id, cls.s1_id, cls.s2_id = cls.run_in_env(setup)

    @classmethod
    def tearDownClass(cls):
        def cleanup(env):
            cr = env.cr
            partner = (cls.partner_id,)
            cr.execute(
                "DELETE FROM mail_activity WHERE res_model = 'r2.crm.contact' AND "
                "res_id IN (SELECT id FROM r2_crm_contact WHERE partner_id = %s)",
                partner,
            )
            for model, table in (
                ("r2.crm.contact", "r2_crm_contact"),
                ("r2.crm.case", "r2_crm_case"),
            ):
                select = "SELECT id FROM %s WHERE partner_id = %%s" % table
                cr.execute(
                    "DELETE FROM mail_message WHERE model = %%s AND res_id IN (%s)"
                    % select,
                    (model,) + partner,
                )
                cr.execute(
                    "DELETE FROM mail_followers WHERE res_model = %%s AND "
                    "res_id IN (%s)" % select,
                    (model,) + partner,
                )
            cr.execute("DELETE FROM r2_crm_contact WHERE partner_id = %s", partner)
            cr.execute("DELETE FROM r2_crm_case WHERE partner_id = %s", partner)
            cr.execute("DELETE FROM res_partner WHERE id = %s", partner)
            env["res.users"].browse(cls.clerks).write({"active": False})

        cls.run_in_env(cleanup)
        super(TestConcurrency, cls).tearDownClass()

    @classmethod
    def run_in_env(cls, func):
        """Run func(env) as admin in its own thread, transaction and ORM cache.

        The test runner's thread already has an Environment.manage() block;
        an environment on a second cursor inside it would share its cache and
        recomputation queue with the other tests' environments."""
        outcome = {}

        def target():
            try:
                with api.Environment.manage(), cls.registry.cursor() as cr:
                    outcome["value"] = func(api.Environment(cr, SUPERUSER_ID, {}))
            except BaseException as error:  # re-raised in the test's thread
                outcome["error"] = error

        thread = threading.Thread(target=target)
        thread.start()
        thread.join(120)
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    def rpc(self, uid, model, method, *args):
        """One RPC request, as a client's: own cursor, Odoo's retries."""
        with api.Environment.manage(), mute_logger("odoo.sql_db"):
            return rpc_model.execute(self.db, uid, model, method, *args)

    def simultaneously(self, requests):
        """Send the requests (callables) at the same moment, one thread each;
        return each one's result or exception, in order."""
        start = threading.Barrier(len(requests))
        outcomes = [None] * len(requests)

        def send(index, request):
            start.wait(30)
            try:
                outcomes[index] = request()
            except Exception as error:  # judged by the caller
                outcomes[index] = error

        threads = [
            threading.Thread(target=send, args=(index, request))
            for index, request in enumerate(requests)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        return outcomes

    def clerk(self, number):
        return self.clerks[number % CLERKS]

    def note(self, number, **values):
        vals = {
            "purpose": "service",
            "partner_id": self.partner_id,
            "name": "Note %s" % number,
        }
        vals.update(values)
        return vals

    def intake(self):
        note_id = self.rpc(
            self.clerk(0),
            "r2.crm.contact",
            "create",
            self.note(0, result_id=self.s1_id),
        )
        return self.run_in_env(
            lambda env: env["r2.crm.contact"].browse(note_id).case_id.id
        )

    def test_sixteen_s2_on_one_case_exactly_one_wins(self):
        for _round in range(3):
            case_id = self.intake()
            outcomes = self.simultaneously(
                [
                    (
                        lambda number=number: self.rpc(
                            self.clerk(number),
                            "r2.crm.contact",
                            "create",
                            self.note(
                                "S2 %d" % number, case_id=case_id, result_id=self.s2_id
                            ),
                        )
                    )
                    for number in range(16)
                ]
            )
            won = [value for value in outcomes if isinstance(value, int)]
            refused = [
                error
                for error in outcomes
                if isinstance(error, ValidationError) and "already closed" in error.name
            ]
            self.assertEqual(len(won), 1, outcomes)
            self.assertEqual(len(refused), 15, outcomes)

            def check(env):
                case = env["r2.crm.case"].browse(case_id)
                self.assertEqual(case.state, "success")
                self.assertEqual(
                    case.contact_ids.filtered("result_id").mapped("result_id.code"),
                    ["S2", "S1"],
                )
                self.assertEqual(
                    case.contact_ids.filtered(lambda note: note.id in won).ids, won
                )

            self.run_in_env(check)

    def test_parallel_s1_notes_get_distinct_numbers(self):
        outcomes = self.simultaneously(
            [
                (
                    lambda number=number: self.rpc(
                        self.clerk(number),
                        "r2.crm.contact",
                        "create",
                        self.note("Parallel %d" % number, result_id=self.s1_id),
                    )
                )
                for number in range(8)
            ]
        )
        self.assertTrue(all(isinstance(value, int) for value in outcomes), outcomes)
        numbers = self.run_in_env(
            lambda env: env["r2.crm.contact"].browse(outcomes).mapped("case_id.name")
        )
        self.assertEqual(len(set(numbers)), 8)

    def test_an_entry_deleted_while_its_case_closes_stays_history(self):
        """Closing a case and deleting one of its entries touch different rows.

        Without the case lock, the deletion reads the case as still open in
        its snapshot and goes through while the S2 note closes the case, and a
        closed case loses part of its history."""
        case_id = self.intake()
        call_id = self.rpc(
            self.clerk(1),
            "r2.crm.contact",
            "create",
            self.note("Call", case_id=case_id),
        )
        closing_holds_lock = threading.Event()
        outcome = {}

        def close():
            with api.Environment.manage(), self.registry.cursor() as cr:
                env = api.Environment(cr, self.clerk(0), {})
                env["r2.crm.contact"].create(
                    self.note("S2", case_id=case_id, result_id=self.s2_id)
                )
                closing_holds_lock.set()
                threading.Event().wait(1.0)  # keep the transaction open a moment
            outcome["close"] = "committed"

        def delete():
            closing_holds_lock.wait(30)
            try:
                outcome["delete"] = self.rpc(
                    self.clerk(1), "r2.crm.contact", "unlink", [call_id]
                )
            except Exception as error:  # judged below
                outcome["delete"] = error

        threads = [threading.Thread(target=close), threading.Thread(target=delete)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(outcome["close"], "committed")
        self.assertIsInstance(outcome["delete"], UserError, outcome)
        self.assertIn("history", outcome["delete"].name)
        self.assertTrue(
            self.run_in_env(lambda env: env["r2.crm.contact"].browse(call_id).exists())
        )
