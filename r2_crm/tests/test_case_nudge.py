"""The nudge (#15): an open case without an entry for the company's nudge
days gives its responsible user one task, once per silence."""

from datetime import datetime
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

from .. import rules
from .common import R2CrmTestCase


class TestNudge(R2CrmTestCase):
    @classmethod
    def setUpClass(cls):
        super(TestNudge, cls).setUpClass()
        cls.env.user.company_id.r2_crm_nudge_days = 7

    def silent_case(self, day="2026-03-01 10:00:00"):
        return self.note(self.service_clerk, result_id=self.s1.id, date=day).case_id

    def nudge(self, today):
        with self.frozen_today(today):
            self.Case._cron_nudge_inactive_cases()

    def nudges(self, case):
        return self.Contact.search([("case_id", "=", case.id), ("is_nudge", "=", True)])

    def test_a_nudge_at_day_7_not_at_day_6_and_once(self):
        case = self.silent_case()
        self.nudge(self.d(2026, 3, 7))  # 6 days
        self.assertFalse(self.nudges(case))
        self.nudge(self.d(2026, 3, 8))  # 7 days
        nudge = self.nudges(case)
        self.assertEqual(len(nudge), 1)
        self.assertEqual(nudge.type, rules.TASK)
        self.assertEqual(nudge.user_id, self.service_clerk)
        self.assertEqual(nudge.date_deadline, "2026-03-08")
        self.assertIn(case.name, nudge.name)
        self.assertIn("7", nudge.name)
        self.assertEqual(
            nudge.task_activity_id.user_id, self.service_clerk, "activity menu"
        )
        self.nudge(self.d(2026, 3, 9))
        self.nudge(self.d(2026, 3, 20))
        self.assertEqual(self.nudges(case), nudge, "one nudge per silence")

    def test_the_nudge_is_among_my_tasks_today(self):
        case = self.silent_case()
        today = fields.Date.context_today(self.Contact)
        self.nudge(fields.Date.from_string(today))
        action = self.env.ref("r2_crm.r2_crm_contact_action_my_tasks_today")
        domain = safe_eval(
            action.domain,
            {
                "uid": self.service_clerk.id,
                "context_today": lambda: datetime.strptime(today, "%Y-%m-%d"),
            },
        )
        self.assertIn(
            self.nudges(case), self.Contact.sudo(self.service_clerk).search(domain)
        )

    def test_an_entry_by_a_person_ends_the_silence(self):
        case = self.silent_case()
        self.nudge(self.d(2026, 3, 8))
        first = self.nudges(case)
        first.sudo(self.service_clerk).action_mark_done()  # not an entry: still silent
        self.nudge(self.d(2026, 3, 18))
        self.assertEqual(self.nudges(case), first)
        self.note(
            self.service_clerk,
            case_id=case.id,
            name="Parts ordered",
            date="2026-03-18 09:00:00",
        )
        self.nudge(self.d(2026, 3, 24))  # 6 days after the entry
        self.assertEqual(self.nudges(case), first)
        self.nudge(self.d(2026, 3, 25))
        self.assertEqual(len(self.nudges(case)), 2)

    def test_waiting_and_closed_cases_are_left_alone(self):
        waiting = self.silent_case()
        waiting._r2_crm_wait(rules.WAIT_PARTS, "2026-03-02")
        closed = self.silent_case()
        closed._r2_crm_close(rules.SUCCESS, "2026-03-02")
        self.nudge(self.d(2026, 4, 1))
        self.assertFalse(self.nudges(waiting) | self.nudges(closed))

    def test_a_case_of_an_archived_user_gets_no_nudge(self):
        case = self.silent_case()
        self.service_clerk.active = False
        self.nudge(self.d(2026, 4, 1))
        self.assertFalse(self.nudges(case))

    def test_the_silent_cases_are_read_in_one_query(self):
        for _count in range(3):
            self.silent_case()
        counts = []
        for _round in range(2):
            before = self.cr.sql_log_count
            found = self.Case._r2_crm_silent_cases(self.d(2026, 4, 1))
            counts.append(self.cr.sql_log_count - before)
            self.silent_case()
            self.silent_case()
        self.assertEqual(counts, [1, 1])
        self.assertGreaterEqual(len(found), 3)

    def test_nudge_days_are_at_least_one(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env.user.company_id.r2_crm_nudge_days = 0

    def test_a_run_that_read_before_another_nudged_makes_no_second_nudge(self):
        """Two nodes' runs at once: the second read the silent cases before
        the first committed its nudges; the database keeps one per silence."""
        case = self.silent_case()
        with self.frozen_today(self.d(2026, 3, 8)):
            stale = self.Case._r2_crm_silent_cases(self.d(2026, 3, 8))
            self.Case._cron_nudge_inactive_cases()
            first = self.nudges(case)
            self.assertEqual(len(first), 1)
            with patch.object(
                type(self.Case), "_r2_crm_silent_cases", lambda *args: stale
            ):
                self.Case._cron_nudge_inactive_cases()
        self.assertEqual(self.nudges(case), first)
        self.assertEqual(first.nudge_after_id, max((case.contact_ids - first).ids))
