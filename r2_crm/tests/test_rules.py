"""The business rules, tested without a database."""

import unittest
from datetime import date

from .. import rules


class TestResultTransition(unittest.TestCase):

    def test_open_case_without_case_creates_one(self):
        self.assertEqual(
            rules.result_transition(rules.OPEN_CASE, None),
            rules.Transition("create", rules.OPEN),
        )

    def test_open_case_on_linked_note_is_refused(self):
        for state in (rules.OPEN, rules.SUCCESS):
            with self.assertRaises(rules.TransitionError) as error:
                rules.result_transition(rules.OPEN_CASE, state)
            self.assertEqual(error.exception.code, rules.ERR_ALREADY_LINKED)

    def test_close_success_and_failure_on_open_case(self):
        self.assertEqual(
            rules.result_transition(rules.CLOSE_SUCCESS, rules.OPEN),
            rules.Transition("close", rules.SUCCESS),
        )
        self.assertEqual(
            rules.result_transition(rules.CLOSE_FAILURE, rules.OPEN),
            rules.Transition("close", rules.FAILURE),
        )

    def test_close_without_case_is_refused(self):
        with self.assertRaises(rules.TransitionError) as error:
            rules.result_transition(rules.CLOSE_SUCCESS, None)
        self.assertEqual(error.exception.code, rules.ERR_NO_CASE)

    def test_close_on_closed_case_is_refused(self):
        for state in (rules.SUCCESS, rules.FAILURE):
            with self.assertRaises(rules.TransitionError) as error:
                rules.result_transition(rules.CLOSE_FAILURE, state)
            self.assertEqual(error.exception.code, rules.ERR_CASE_CLOSED)

    def test_no_action_changes_nothing(self):
        self.assertEqual(
            rules.result_transition(rules.NONE, rules.OPEN),
            rules.Transition(None, rules.OPEN),
        )
        self.assertEqual(
            rules.result_transition(False, None), rules.Transition(None, None)
        )

    def test_unknown_action_is_a_programming_error(self):
        with self.assertRaises(ValueError):
            rules.result_transition("reopen", rules.OPEN)


class TestWiekRules(unittest.TestCase):
    today = date(2026, 3, 10)

    def test_future_deadline_counts_days_left(self):
        self.assertEqual(rules.days_left(date(2026, 3, 24), self.today), 14)

    def test_deadline_today_is_zero(self):
        self.assertEqual(rules.days_left(self.today, self.today), 0)

    def test_overdue_is_negative(self):
        self.assertEqual(rules.days_left(date(2026, 3, 7), self.today), -3)

    def test_closed_case_is_frozen_at_closing_date(self):
        days = rules.days_left(
            date(2026, 3, 7), self.today, rules.SUCCESS, date(2026, 3, 5)
        )
        self.assertEqual(days, 2)

    def test_no_deadline_has_no_wiek(self):
        self.assertIsNone(rules.days_left(None, self.today))

    def test_colours(self):
        self.assertEqual(rules.wiek_colour(3), "green")
        self.assertEqual(rules.wiek_colour(0), "green")
        self.assertEqual(rules.wiek_colour(-1), "red")
        self.assertIsNone(rules.wiek_colour(-1, rules.SUCCESS))
