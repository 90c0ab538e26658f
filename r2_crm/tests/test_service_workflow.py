from datetime import datetime

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.exceptions import UserError, ValidationError
from odoo.tools.safe_eval import safe_eval

from .common import R2CrmTestCase


class TestServiceWorkflow(R2CrmTestCase):

    def test_s1_opens_exactly_one_numbered_case(self):
        cases_before = self.Case.search_count([])
        note = self.note(result_id=self.s1.id)
        case = note.case_id
        self.assertEqual(self.Case.search_count([]), cases_before + 1)
        self.assertRegex(case.name, r"^SRV/\d{4}/\d{5}$")
        self.assertEqual(case.contact_ids, note)
        self.assertEqual(case.state, "open")
        self.assertEqual(case.partner_id, self.partner)
        self.assertEqual(case.purpose, "service")
        self.assertEqual(case.user_id, self.service_clerk)
        self.assertEqual(case.item_description, "Lenovo T480, SN 123, charger")
        self.assertEqual(case.description, "No power after a fall")

    def test_s1_deadline_follows_company_setting(self):
        self.env.user.company_id.r2_crm_case_deadline_days = 5
        case = self.note(result_id=self.s1.id, date="2026-03-10 09:00:00").case_id
        self.assertEqual(case.date_open, "2026-03-10")
        self.assertEqual(case.date_deadline, "2026-03-15")

    def test_numbers_are_sequential_per_purpose(self):
        first = self.note(result_id=self.s1.id).case_id
        second = self.note(result_id=self.s1.id).case_id
        number = lambda case: int(case.name.rsplit("/", 1)[1])  # noqa: E731
        self.assertEqual(number(second), number(first) + 1)
        sale = self.Case.create({"purpose": "sale", "partner_id": self.partner.id})
        self.assertTrue(sale.name.startswith("SAL/"))

    def test_s2_closes_case_as_success(self):
        case = self.note(result_id=self.s1.id).case_id
        closing = self.note(
            result_id=self.s2.id,
            case_id=case.id,
            name="Repaired",
            date="2026-03-12 15:00:00",
        )
        self.assertEqual(case.state, "success")
        self.assertEqual(case.date_closed, "2026-03-12")
        self.assertEqual(closing.case_id, case)

    def test_result_set_later_by_write_applies(self):
        case = self.note(result_id=self.s1.id).case_id
        note = self.note(case_id=case.id, name="Customer called")
        self.assertEqual(case.state, "open")
        note.write({"result_id": self.s2.id})
        self.assertEqual(case.state, "success")

    def test_writing_other_fields_does_not_reapply_result(self):
        note = self.note(result_id=self.s1.id)
        case = note.case_id
        note.write({"description": "Also the screen is cracked"})
        self.assertEqual(
            self.Case.search_count([("partner_id", "=", self.partner.id)]), 1
        )
        self.assertEqual(note.case_id, case)

    def refused_note(self, message_part, **values):
        self.assertRefusedAndNothingSaved(
            ValidationError, message_part, lambda: self.note(**values)
        )

    def test_s2_without_case_is_refused(self):
        self.refused_note("not linked to any case", result_id=self.s2.id)

    def test_s2_on_closed_case_is_refused(self):
        case = self.note(result_id=self.s1.id).case_id
        self.note(result_id=self.s2.id, case_id=case.id)
        self.refused_note("already closed", result_id=self.s2.id, case_id=case.id)
        self.assertEqual(len(case.contact_ids), 2)

    def test_s1_on_linked_note_is_refused(self):
        case = self.note(result_id=self.s1.id).case_id
        self.refused_note("already linked", result_id=self.s1.id, case_id=case.id)

    def test_custom_close_failure_result(self):
        gave_up = self.Result.create(
            {
                "code": "T-FAIL",
                "name": "Not repairable",
                "purpose": "service",
                "action": "close_failure",
            }
        )
        case = self.note(result_id=self.s1.id).case_id
        self.note(result_id=gave_up.id, case_id=case.id, date="2026-03-20 10:00:00")
        self.assertEqual(case.state, "failure")
        self.assertEqual(case.date_closed, "2026-03-20")

    def test_duplicate_result_code_is_refused(self):
        self.Result.create({"code": "T-DUP", "name": "First", "action": "none"})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.Result.create({"code": "T-DUP", "name": "Second", "action": "none"})
        self.assertEqual(self.Result.search_count([("code", "=", "T-DUP")]), 1)

    def test_deadline_before_opening_is_refused(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.Case.create(
                {
                    "partner_id": self.partner.id,
                    "date_open": "2026-03-10",
                    "date_deadline": "2026-03-09",
                }
            )


class TestWiekOfCases(R2CrmTestCase):

    def make_case(self, deadline, **values):
        vals = {
            "purpose": "service",
            "partner_id": self.partner.id,
            "date_open": "2026-01-01",
            "date_deadline": deadline,
        }
        vals.update(values)
        return self.Case.create(vals)

    def test_wiek_future_today_overdue_closed(self):
        future = self.make_case("2026-03-24")
        today = self.make_case("2026-03-10")
        overdue = self.make_case("2026-03-07")
        closed = self.make_case("2026-03-07")
        closed._r2_crm_close("success", "2026-03-05")
        no_deadline = self.make_case(False, purpose="sale")
        cases = future | today | overdue | closed | no_deadline
        with self.frozen_today(self.d(2026, 3, 10)):
            cases.invalidate_cache()
            self.assertEqual(future.days_left, 14)
            self.assertEqual((future.wiek, future.wiek_state), ("14 days", "left"))
            self.assertEqual((today.wiek, today.wiek_state), ("due today", "left"))
            self.assertEqual(overdue.days_left, -3)
            self.assertEqual(
                (overdue.wiek, overdue.wiek_state), ("3 days overdue", "overdue")
            )
            self.assertFalse(closed.wiek, "a closed case shows how long it took")
            self.assertFalse(closed.wiek_state)
            self.assertEqual(closed.duration_days, 63)
            self.assertFalse(no_deadline.wiek, "no deadline, no Wiek, not a green 0")
            self.assertFalse(no_deadline.wiek_state)

    def test_wiek_reads_polish(self):
        self.install_polish()
        overdue = self.make_case("2026-03-09").with_context(lang="pl_PL")
        one_left = self.make_case("2026-03-11").with_context(lang="pl_PL")
        self.env["r2.crm.case"].invalidate_cache()
        with self.frozen_today(self.d(2026, 3, 10)):
            self.assertEqual(overdue.wiek, "1 dzień po terminie")
            self.assertEqual(one_left.wiek, "1 dzień")

    def test_searching_days_left_finds_exactly_the_overdue_open_cases(self):
        future = self.make_case("2026-03-24")
        overdue = self.make_case("2026-03-07")
        closed = self.make_case("2026-03-07")
        closed._r2_crm_close("success", "2026-03-05")
        no_deadline = self.make_case(False, purpose="sale")
        mine = [("id", "in", (future | overdue | closed | no_deadline).ids)]
        with self.frozen_today(self.d(2026, 3, 10)):
            self.assertEqual(self.Case.search(mine + [("days_left", "<", 0)]), overdue)
            self.assertEqual(self.Case.search(mine + [("days_left", ">=", 14)]), future)
            self.assertEqual(self.Case.search(mine + [("days_left", "=", 14)]), future)
            self.assertEqual(
                self.Case.search(mine + [("days_left", "<=", 100)]), future | overdue
            )
        with self.assertRaises(UserError):
            self.Case.search(mine + [("days_left", "ilike", "x")])

    def test_wiek_column_sorts_by_deadline(self):
        cases = (
            self.make_case("2026-03-24")
            | self.make_case("2026-03-07")
            | self.make_case("2026-03-10")
        )
        self.assertTrue(self.Case.fields_get(["wiek"])["wiek"]["sortable"])
        with self.frozen_today(self.d(2026, 3, 10)):
            rows = self.Case.search_read(
                [("id", "in", cases.ids)], ["days_left"], order="wiek desc"
            )
            self.assertEqual([row["days_left"] for row in rows], [14, 0, -3])
            rows = self.Case.search_read(
                [("id", "in", cases.ids)], ["days_left"], order="days_left"
            )
            self.assertEqual([row["days_left"] for row in rows], [-3, 0, 14])

    def search_filter(self, name, today):
        arch = etree.fromstring(
            self.env.ref("r2_crm.r2_crm_case_view_search").arch.encode()
        )
        domain = arch.xpath("//filter[@name='%s']" % name)[0].get("domain")
        domain = safe_eval(
            domain,
            {
                "context_today": lambda: datetime(today.year, today.month, today.day),
                "relativedelta": relativedelta,
                "uid": self.env.uid,
            },
        )
        return self.Case.search(domain + [("partner_id", "=", self.partner.id)])

    def test_overdue_and_due_this_week_filters(self):
        future = self.make_case("2026-03-24")
        soon = self.make_case("2026-03-15")
        today = self.make_case("2026-03-10")
        overdue = self.make_case("2026-03-07")
        closed = self.make_case("2026-03-07")
        closed._r2_crm_close("success", "2026-03-05")
        today_date = self.d(2026, 3, 10)
        with self.frozen_today(today_date):
            self.assertEqual(self.search_filter("overdue", today_date), overdue)
        self.assertEqual(self.search_filter("due_week", today_date), today | soon)
        self.assertNotIn(future, self.search_filter("due_week", today_date))

    def test_list_order_by_deadline_gives_wiek_order(self):
        cases = (
            self.make_case("2026-03-24")
            | self.make_case("2026-03-07")
            | self.make_case("2026-03-10")
        )
        with self.frozen_today(self.d(2026, 3, 10)):
            ordered = self.Case.search([("id", "in", cases.ids)])
            self.assertEqual(ordered.mapped("days_left"), [-3, 0, 14])


class TestHistory(R2CrmTestCase):

    def test_history_lists_case_entries_then_the_customers_earlier_ones(self):
        """Manual: "inne notatki dotyczące bieżącego kontraktu lub innych
        wcześniejszych kontraktów z tym kontrahentem"."""
        earlier = self.note(result_id=self.s1.id, date="2026-01-10 10:00:00")
        earlier_call = self.note(
            case_id=earlier.case_id.id,
            name="Earlier call",
            partner_id=self.partner_contact.id,
            date="2026-01-12 10:00:00",
        )
        opening = self.note(result_id=self.s1.id, date="2026-03-01 10:00:00")
        case = opening.case_id
        call = self.note(case_id=case.id, name="Called", date="2026-03-03 10:00:00")
        question = self.note(name="Unrelated question", date="2026-03-04 10:00:00")
        self.note(name="Other customer", partner_id=self.other_partner.id)
        closing = self.note(
            result_id=self.s2.id,
            case_id=case.id,
            name="Done",
            date="2026-03-05 10:00:00",
        )
        self.assertEqual(
            closing.history_ids.ids,
            [call.id, opening.id, question.id, earlier_call.id, earlier.id],
        )
        self.assertEqual(
            call.history_ids.ids[:2], [closing.id, opening.id], "its case first"
        )
        self.assertEqual(closing.history_ids.mapped("case_id"), case | earlier.case_id)

    def test_history_without_case_lists_partner_entries(self):
        first = self.note(name="First", date="2026-03-01 10:00:00")
        child = self.note(
            name="Person",
            partner_id=self.partner_contact.id,
            date="2026-03-02 10:00:00",
        )
        self.note(name="Other customer", partner_id=self.other_partner.id)
        latest = self.note(name="Latest", date="2026-03-03 10:00:00")
        self.assertEqual(latest.history_ids.ids, [child.id, first.id])


class TestPurposeDefault(R2CrmTestCase):
    def test_purpose_defaults_to_department(self):
        note = self.Contact.sudo(self.service_clerk).create(
            {"partner_id": self.partner.id, "name": "Hello"}
        )
        self.assertEqual(note.purpose, "service")
