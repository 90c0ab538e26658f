"""The business rules, tested without a database."""

import io
import os
import unittest
from datetime import date

from PIL import Image

from .. import rules
from .common import SIGNATURE


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


class TestWeightedValue(unittest.TestCase):
    def test_an_open_contract_weighs_its_probability_a_closed_one_its_outcome(self):
        self.assertEqual(rules.weighted_value(1000.0, 30.0), 300.0)
        self.assertEqual(rules.weighted_value(1000.0, 30.0, rules.SUCCESS), 1000.0)
        self.assertEqual(rules.weighted_value(1000.0, 30.0, rules.FAILURE), 0.0)
        self.assertEqual(rules.weighted_value(False, False), 0.0)


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


class TestCounterRules(unittest.TestCase):
    def test_serials_compare_without_case_or_spaces(self):
        self.assertEqual(rules.normalize_serial(" abc 12\t34 "), "ABC1234")
        self.assertEqual(rules.normalize_serial("sn-42/a.b"), "SN42AB")
        self.assertEqual(rules.normalize_serial(None), "")

    def test_repeat_within_the_days(self):
        intake = date(2026, 3, 31)
        self.assertTrue(rules.is_repeat(intake, [date(2026, 3, 2)], 30))  # 29 days
        self.assertTrue(rules.is_repeat(intake, [date(2026, 3, 1)], 30))  # 30 days
        self.assertFalse(rules.is_repeat(intake, [date(2026, 2, 28)], 30))  # 31
        self.assertFalse(rules.is_repeat(intake, [date(2026, 4, 2)], 30), "later")

    def test_resume_moves_the_deadline_by_the_pause(self):
        deadline, waited = rules.resume(
            date(2026, 3, 20), date(2026, 3, 10), date(2026, 3, 15), 2
        )
        self.assertEqual((deadline, waited), (date(2026, 3, 25), 7))
        self.assertEqual(
            rules.resume(False, date(2026, 3, 10), date(2026, 3, 15)), (False, 5)
        )

    def test_a_waiting_case_stands_still(self):
        days = rules.days_left(
            date(2026, 3, 20), date(2026, 3, 30), rules.OPEN, date(2026, 3, 15)
        )
        self.assertEqual(rules.wiek(days, waiting=True), (rules.WIEK_WAITING, 5))

    def test_days_waited_are_never_late(self):
        # opened 1.3 with 14 days, waited 5 (deadline 20.3), done 18.3
        timing = rules.protocol_timing(
            date(2026, 3, 1), date(2026, 3, 18), date(2026, 3, 20), 5
        )
        self.assertEqual(timing["days_late"], 0)
        self.assertEqual(timing["days_waited"], 5)


class TestSignatureRules(unittest.TestCase):
    def test_a_png_and_a_jpeg_that_decode_are_signatures(self):
        self.assertIsNone(rules.signature_problem(image("PNG")))
        self.assertIsNone(rules.signature_problem(image("JPEG")))
        self.assertIsNone(
            rules.signature_problem(rules.signature_bytes(SIGNATURE)), "the pad's"
        )

    def test_what_is_no_signature_says_why(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0L9 9"/></svg>'
        cases = {
            b"": rules.SIG_EMPTY,
            b"not an image": rules.SIG_NOT_IMAGE,
            svg: rules.SIG_NOT_IMAGE,
            image("PNG")[:60]: rules.SIG_NOT_IMAGE,  # cut short
            image("GIF"): rules.SIG_FORMAT,
            image("BMP"): rules.SIG_FORMAT,
            os.urandom(5 * 1024 * 1024): rules.SIG_TOO_LARGE,
            image("PNG", (5000, 10)): rules.SIG_DIMENSIONS,
        }
        for data, code in cases.items():
            with self.subTest(data=data[:20]):
                self.assertEqual(rules.signature_problem(data), code)

    def test_the_pads_base64_is_read_with_or_without_its_prefix(self):
        data = rules.signature_bytes(SIGNATURE)
        self.assertEqual(
            rules.signature_bytes("data:image/png;base64," + SIGNATURE), data
        )
        with self.assertRaises(ValueError):
            rules.signature_bytes("not base64 at all!")


def image(kind, size=(40, 20)):
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, kind)
    return out.getvalue()


class TestQuoteRules(unittest.TestCase):
    """The repair quote, warranty and invoicing of repairs (#26)."""

    def send(self, **values):
        args = dict(
            purpose=rules.SERVICE,
            state=rules.OPEN,
            warranty=False,
            line_count=2,
            quote_state=rules.QUOTE_DRAFT,
        )
        args.update(values)
        return rules.quote_send_problem(**args)

    def test_a_quote_is_an_open_paid_repairs_with_lines(self):
        self.assertIsNone(self.send())
        self.assertIsNone(self.send(quote_state=rules.QUOTE_SENT), "sent again")
        self.assertIsNone(self.send(quote_state=rules.QUOTE_REJECTED), "a new offer")
        self.assertEqual(self.send(purpose=rules.SALE), rules.Q_NOT_SERVICE)
        self.assertEqual(self.send(state=rules.SUCCESS), rules.Q_NOT_OPEN)
        self.assertEqual(self.send(warranty=True), rules.Q_WARRANTY)
        self.assertEqual(self.send(line_count=0), rules.Q_NO_LINES)
        self.assertEqual(self.send(quote_state=rules.QUOTE_ACCEPTED), rules.Q_ACCEPTED)

    def answer(self, where, quote_state, valid_until=None, today=date(2026, 12, 4)):
        return rules.quote_answer_problem(
            where, rules.SERVICE, rules.OPEN, False, 1, quote_state, valid_until, today
        )

    def test_the_portal_answers_a_sent_quote_while_it_holds(self):
        last_day = date(2026, 12, 4)
        self.assertIsNone(self.answer(rules.ON_PORTAL, rules.QUOTE_SENT, last_day))
        self.assertEqual(
            self.answer(rules.ON_PORTAL, rules.QUOTE_SENT, date(2026, 12, 3)),
            rules.Q_EXPIRED,
        )
        for state in (rules.QUOTE_DRAFT, rules.QUOTE_REJECTED):
            self.assertEqual(self.answer(rules.ON_PORTAL, state), rules.Q_NOT_SENT)
        self.assertEqual(
            self.answer(rules.ON_PORTAL, rules.QUOTE_ACCEPTED), rules.Q_ACCEPTED
        )

    def test_the_counter_also_answers_a_printed_or_expired_quote(self):
        self.assertIsNone(self.answer(rules.AT_COUNTER, rules.QUOTE_DRAFT))
        self.assertIsNone(
            self.answer(rules.AT_COUNTER, rules.QUOTE_SENT, date(2026, 1, 1))
        )
        self.assertEqual(
            self.answer(rules.AT_COUNTER, rules.QUOTE_REJECTED), rules.Q_NOT_SENT
        )

    def test_validity_counts_from_the_day_sent(self):
        self.assertEqual(
            rules.quote_valid_until(date(2026, 12, 20), 14), date(2027, 1, 3)
        )
        self.assertIsNone(rules.quote_valid_until(None, 14))

    def test_warranty_runs_on_the_intake_date_or_repeats(self):
        day = date(2026, 6, 30)
        self.assertTrue(rules.warranty_proposed(day, day, False))
        self.assertFalse(rules.warranty_proposed(date(2026, 6, 29), day, False))
        self.assertFalse(rules.warranty_proposed(None, day, False))
        self.assertTrue(rules.warranty_proposed(None, day, True))

    def invoice(self, **values):
        args = dict(
            purpose=rules.SERVICE,
            state=rules.SUCCESS,
            warranty=False,
            quote_state=rules.QUOTE_ACCEPTED,
            line_count=2,
            billable_count=2,
            invoiced=False,
        )
        args.update(values)
        return rules.invoice_problem(**args)

    def test_a_closed_paid_repair_is_invoiced_once(self):
        self.assertIsNone(self.invoice())
        self.assertIsNone(self.invoice(quote_state=rules.QUOTE_DRAFT))
        self.assertEqual(self.invoice(state=rules.OPEN), rules.INV_OPEN)
        self.assertEqual(self.invoice(warranty=True), rules.INV_WARRANTY)
        self.assertEqual(self.invoice(state=rules.FAILURE), rules.INV_FIASCO)
        self.assertEqual(
            self.invoice(line_count=0, billable_count=0), rules.INV_NO_LINES
        )
        self.assertEqual(self.invoice(invoiced=True), rules.INV_INVOICED)

    def test_a_rejected_quote_invoices_only_the_lines_added_after(self):
        rejected = dict(quote_state=rules.QUOTE_REJECTED, line_count=2)
        self.assertEqual(self.invoice(billable_count=0, **rejected), rules.INV_REJECTED)
        self.assertIsNone(self.invoice(billable_count=1, **rejected))
        self.assertIsNone(
            self.invoice(billable_count=1, state=rules.FAILURE, **rejected),
            "a diagnosis fee of a repair the customer declined",
        )

    def test_a_sales_contract_is_invoiced_unless_a_fiasco(self):
        sale = dict(purpose=rules.SALE, quote_state=rules.QUOTE_DRAFT)
        self.assertIsNone(self.invoice(state=rules.OPEN, **sale))
        self.assertIsNone(self.invoice(invoiced=True, **sale), "in parts")
        self.assertEqual(self.invoice(state=rules.FAILURE, **sale), rules.INV_FIASCO)
        self.assertEqual(
            self.invoice(line_count=0, billable_count=0, **sale), rules.INV_NO_LINES
        )


class TestMailRules(unittest.TestCase):
    def test_machines_are_told_from_people(self):
        automatic = rules.is_automatic_mail
        self.assertFalse(automatic({}))
        self.assertFalse(automatic({"auto-submitted": "no"}))
        self.assertFalse(automatic({"auto-submitted": "No (a person)"}))
        self.assertTrue(automatic({"auto-submitted": "auto-replied"}))
        self.assertTrue(automatic({"auto-submitted": "auto-generated"}))
        for precedence in ("bulk", "Bulk", "junk", "list", " auto_reply "):
            self.assertTrue(automatic({"precedence": precedence}), precedence)
        self.assertFalse(automatic({"precedence": "first-class"}))
        self.assertTrue(automatic({"x-autoreply": "yes"}))
        self.assertTrue(automatic({"x-autorespond": "1"}))

    def test_of_partners_sharing_an_address_the_one_with_the_newest_case(self):
        best = rules.best_partner
        self.assertIsNone(best([]))
        self.assertEqual(best([(7, None)]), 7)
        self.assertEqual(best([(3, None), (9, date(2026, 1, 2))]), 9)
        self.assertEqual(
            best([(3, date(2025, 5, 1)), (9, date(2026, 1, 2)), (4, None)]), 9
        )
        self.assertEqual(best([(8, None), (5, None)]), 5, "else the oldest")
        self.assertEqual(
            best([(8, date(2026, 1, 2)), (5, date(2026, 1, 2))]), 5, "a tie"
        )

    def test_where_the_repair_stands(self):
        progress = rules.repair_progress
        self.assertEqual(progress(rules.OPEN, False, False), rules.IN_REPAIR)
        self.assertEqual(
            progress(rules.OPEN, True, rules.WAIT_PARTS), rules.WAITING_FOR_PARTS
        )
        self.assertEqual(
            progress(rules.OPEN, True, rules.WAIT_CUSTOMER),
            rules.WAITING_FOR_CUSTOMER,
        )
        self.assertEqual(
            progress(rules.OPEN, True, rules.WAIT_OTHER), rules.WAITING_OTHER
        )
        self.assertEqual(progress(rules.SUCCESS, False, False), rules.READY)
        self.assertEqual(progress(rules.FAILURE, False, False), rules.NOT_REPAIRED)


class TestPrivacyRules(unittest.TestCase):
    def test_vat_falls_due_on_the_25th_of_the_next_month(self):
        self.assertEqual(rules.vat_due_date(date(2026, 3, 31)), date(2026, 4, 25))
        self.assertEqual(rules.vat_due_date(date(2026, 12, 1)), date(2027, 1, 25))

    def test_invoices_bind_until_five_years_after_the_year_the_tax_fell_due(self):
        until = rules.tax_retention_until
        self.assertIsNone(until([]))
        self.assertEqual(until([date(2026, 6, 10)]), date(2031, 12, 31))
        self.assertEqual(until([date(2026, 12, 10)]), date(2032, 12, 31))
        self.assertEqual(
            until([date(2026, 12, 10), date(2021, 1, 5)]), date(2032, 12, 31)
        )

    def test_the_retention_cutoff(self):
        cutoff = rules.retention_cutoff
        self.assertEqual(cutoff(date(2026, 7, 1), 3), date(2023, 7, 1))
        self.assertEqual(cutoff(date(2028, 2, 29), 1), date(2027, 2, 28))
