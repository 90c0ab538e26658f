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

    def test_closed_case_has_no_days_left(self):
        for state in rules.CLOSED_STATES:
            self.assertIsNone(rules.days_left(date(2026, 3, 7), self.today, state))

    def test_no_deadline_has_no_wiek(self):
        self.assertIsNone(rules.days_left(None, self.today))
        self.assertEqual(rules.wiek(None), (False, None))

    def test_wiek_shows_days_left_or_days_overdue_as_a_positive_number(self):
        self.assertEqual(rules.wiek(3), (rules.WIEK_LEFT, 3))
        self.assertEqual(rules.wiek(0), (rules.WIEK_LEFT, 0))
        self.assertEqual(rules.wiek(-1), (rules.WIEK_OVERDUE, 1))
        self.assertEqual(rules.wiek(-12), (rules.WIEK_OVERDUE, 12))


class TestNumbering(unittest.TestCase):
    def test_numbers_are_read_back_per_year(self):
        names = ["SRV/2026/00012", "SRV/2026/00003", "SRV/2025/00100", "SAL/2026/7"]
        self.assertEqual(
            rules.highest_numbers(names, "SRV/%(range_year)s/"), {2026: 12, 2025: 100}
        )
        self.assertEqual(rules.highest_numbers(names, "SRV/%(year)s/")[2025], 100)

    def test_numbers_without_year_and_with_suffix(self):
        self.assertEqual(
            rules.highest_numbers(["A-7-X", "A-12-X", "B-99-X"], "A-", "-X"),
            {None: 12},
        )

    def test_other_placeholders_match_anything(self):
        pattern = rules.number_pattern("%(range_year)s/%(month)s/", "")
        match = pattern.match("2026/11/0042")
        self.assertEqual((match.group("year"), match.group("number")), ("2026", "0042"))
        self.assertIsNone(pattern.match("2026/11/x"))
