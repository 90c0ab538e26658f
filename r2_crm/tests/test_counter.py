"""Beyond R2faktury at the service counter (#14), as the service clerk does it:
devices and their history, waiting that pauses Wiek (the customer's signature:
test_contact_signature.py)."""

from odoo.exceptions import UserError, ValidationError

from .. import rules
from .common import R2CrmTestCase


class TestDevices(R2CrmTestCase):
    @classmethod
    def setUpClass(cls):
        super(TestDevices, cls).setUpClass()
        cls.Device = cls.env["r2.crm.device"].sudo(cls.service_clerk)

    def intake(self, serial, **values):
        values.setdefault("date", "2026-03-01 10:00:00")
        return self.note(
            self.service_clerk, result_id=self.s1.id, device_serial=serial, **values
        )

    def test_serials_are_unique_per_company_whatever_the_spelling(self):
        self.Device.create({"serial": "PF1-XYZ 99"})
        with self.assertRaises(ValidationError) as caught, self.cr.savepoint():
            self.Device.create({"serial": "pf1-xyz99"})
        self.assertIn("Serial number", caught.exception.name)
        other = self.env["res.company"].create({"name": "Other shop"})
        self.env["r2.crm.device"].create(
            {"serial": "PF1-XYZ99", "company_id": other.id}
        )

    def test_an_s1_note_makes_the_device_and_the_next_one_finds_it(self):
        first = self.intake(
            "pf1 xyz", item_description="Laptop Lenovo T480\nwith charger"
        )
        device = first.case_id.device_id
        self.assertEqual(device.serial, "pf1 xyz")
        self.assertEqual(device.name, "Laptop Lenovo T480")
        self.assertEqual(device.partner_id, self.partner)
        self.assertEqual(first.item_description, "Laptop Lenovo T480\nwith charger")
        second = self.intake(
            "PF1XYZ", date="2026-06-01 10:00:00", confirm_second_case=True
        )
        self.assertEqual(second.case_id.device_id, device)
        self.assertEqual(device.case_ids, first.case_id | second.case_id)
        self.assertEqual(device.case_count, 2)
        self.assertEqual(self.partner.r2_crm_device_count, 1)

    def test_a_device_in_repair_gets_a_second_case_only_when_confirmed(self):
        first = self.intake("TWICE-1").case_id
        error = self.assertRefusedAndNothingSaved(
            ValidationError,
            "already in repair in the open case %s" % first.name,
            lambda: self.intake("twice 1", date="2026-03-02 10:00:00"),
        )
        self.assertIn("Open a second case for the device", error.name)
        second = self.intake(
            "TWICE-1", date="2026-03-02 10:00:00", confirm_second_case=True
        ).case_id
        self.assertNotEqual(second, first)
        self.assertEqual(first.device_id.case_ids, first | second)
        first._r2_crm_close(rules.SUCCESS, "2026-03-03")
        # a note without a result does not open a case: nothing to confirm
        self.note(self.service_clerk, device_serial="TWICE-1")

    def test_the_form_names_the_open_case_before_saving(self):
        open_case = self.intake("SN-OPEN-7").case_id
        Contact = self.Contact.sudo(self.service_clerk)
        values = Contact.default_get(list(Contact._fields))
        values.update(
            {
                "partner_id": self.partner.id,
                "name": "New intake",
                "device_serial": "sn open 7",
                "device_id": False,
                "device_case_ids": [(6, 0, [])],
                "device_open_case_ids": [(6, 0, [])],
            }
        )
        result = Contact.onchange(values, "device_serial", Contact._onchange_spec())
        # Odoo 11 sends a many2many as (5,) then (1, id, values) or (4, id)
        cases = [
            command[1]
            for command in result["value"]["device_open_case_ids"]
            if command[0] in (1, 4)
        ]
        self.assertEqual(cases, [open_case.id], result["value"])

    def test_typing_a_known_serial_shows_its_earlier_cases_before_saving(self):
        earlier = self.intake("SN-42").case_id
        Contact = self.Contact.sudo(self.service_clerk)
        spec = Contact._onchange_spec()
        values = Contact.default_get(list(Contact._fields))
        values.update(
            {
                "partner_id": self.partner.id,
                "name": "New intake",
                "device_serial": "sn 42",
                # as the web client sends them: the form's current values
                "device_id": False,
                "device_case_ids": [(6, 0, [])],
            }
        )
        result = Contact.onchange(values, "device_serial", spec)["value"]
        self.assertEqual(result["device_id"][0], earlier.device_id.id)
        # Odoo 11 sends a many2many as (5,) then (1, id, values) per record
        cases = [command[1] for command in result["device_case_ids"] if command[0] == 1]
        self.assertEqual(cases, [earlier.id])
        values.update(device_serial="UNKNOWN-1", device_id=earlier.device_id.id)
        result = Contact.onchange(values, "device_serial", spec)["value"]
        self.assertFalse(result["device_id"])

    def test_repeat_repair_at_day_29_not_at_day_31(self):
        self.env.user.company_id.r2_crm_repeat_days = 30
        first = self.intake("REP-1", date="2026-03-01 10:00:00").case_id
        first._r2_crm_close(rules.SUCCESS, "2026-03-02")
        back = self.intake("REP-1", date="2026-03-31 10:00:00").case_id  # 29 days
        self.assertTrue(back.is_repeat)
        back._r2_crm_close(rules.SUCCESS, "2026-04-01")
        later = self.intake("REP-1", date="2026-05-02 10:00:00").case_id  # 31 days
        self.assertFalse(later.is_repeat)
        repeats = self.Case.sudo(self.service_clerk).search(
            [("is_repeat", "=", True), ("device_id", "=", first.device_id.id)]
        )
        self.assertEqual(repeats, back)

    def test_a_serial_is_found_however_it_is_typed(self):
        dashed = self.intake("ZZ-4401-A").case_id
        spaced = self.note(self.service_clerk, device_serial="zz 4401 a", name="Again")
        Contact = self.Contact.sudo(self.service_clerk)
        for typed in ("ZZ4401A", "zz-4401-a", "zz 4401 a", "4401"):
            with self.subTest(typed=typed):
                found = Contact.search([("serial_lookup", "ilike", typed)])
                self.assertEqual(found, dashed.contact_ids | spaced)
        self.assertFalse(Contact.search([("serial_lookup", "ilike", "-- --")]))
        # Enter in the search box: the subject, the goods and the serial
        action_domain = [
            "|",
            "|",
            ("name", "ilike", "zz4401a"),
            ("item_description", "ilike", "zz4401a"),
            ("serial_lookup", "ilike", "zz4401a"),
        ]
        self.assertEqual(Contact.search(action_domain), dashed.contact_ids | spaced)

    def test_serials_are_found_from_every_window(self):
        case = self.intake("QX 5521").case_id
        Case = self.Case.sudo(self.service_clerk)
        self.assertEqual(
            Case.search([("device_id", "ilike", "qx5521")]), case, "KONTRAKTY/SPRAWY"
        )
        self.assertEqual(
            self.Device.search([("serial_lookup", "ilike", "qx 55")]), case.device_id
        )
        self.assertEqual(
            self.Contact.sudo(self.service_clerk).search(
                [("device_serial", "ilike", "QX 5521")]
            ),
            case.contact_ids,
        )


class TestWaiting(R2CrmTestCase):
    @classmethod
    def setUpClass(cls):
        super(TestWaiting, cls).setUpClass()

    def make_case(self):
        return (
            self.Case.sudo(self.service_clerk)
            .create(
                {
                    "purpose": "service",
                    "partner_id": self.partner.id,
                    "date_open": "2026-03-01",
                    "date_deadline": "2026-03-15",
                }
            )
            .with_context(tracking_disable=False)
        )

    def wait(self, case, reason=rules.WAIT_PARTS, note=False):
        wizard = (
            self.env["r2.crm.case.wait.wizard"]
            .sudo(self.service_clerk)
            .with_context(**case.action_wait()["context"])
            .create({"waiting_reason": reason, "waiting_note": note})
        )
        wizard.action_confirm()

    def test_wait_and_resume_move_the_deadline_by_the_days_waited(self):
        case = self.make_case()
        with self.frozen_today(self.d(2026, 3, 10)):
            self.wait(case)
            self.assertTrue(case.waiting)
            self.assertEqual(case.waiting_since, "2026-03-10")
        with self.frozen_today(self.d(2026, 3, 20)):
            case.invalidate_cache()
            self.assertEqual(case.days_left, 5, "Wiek stood still while waiting")
            self.assertEqual(case.wiek_state, "waiting")
            self.assertEqual(case.wiek, "Waiting for parts")
            self.assertEqual(
                self.Case.search([("id", "=", case.id), ("days_left", "<", 0)]),
                self.Case,
                "a waiting case is not overdue",
            )
            case.action_resume()
            self.assertFalse(case.waiting)
            self.assertEqual(case.date_deadline, "2026-03-25")
            self.assertEqual(case.days_waited, 10)
            self.assertEqual(case.days_left, 5)
            self.assertEqual(case.wiek_state, "left")
        with self.frozen_today(self.d(2026, 3, 22)):
            self.wait(case, rules.WAIT_CUSTOMER)
        with self.frozen_today(self.d(2026, 3, 24)):
            case.action_resume()
            self.assertEqual(case.days_waited, 12, "the total of all pauses")
            self.assertEqual(case.date_deadline, "2026-03-27")
        tracked = case.sudo().message_ids.mapped("tracking_value_ids")
        # the chatter says what the case waited for, in words, not "true -> false"
        self.assertIn("waiting_reason", tracked.mapped("field"))
        self.assertNotIn("waiting", tracked.mapped("field"))
        self.assertIn("date_deadline", tracked.mapped("field"))
        self.assertIn("Waiting for the customer", tracked.mapped("old_value_char"))

    def test_something_else_says_what_and_sales_contracts_do_not_wait(self):
        case = self.make_case()
        with self.assertRaises(UserError), self.cr.savepoint():
            self.wait(case, rules.WAIT_OTHER)
        self.wait(case, rules.WAIT_OTHER, "  opinia rzeczoznawcy ")
        self.assertEqual(case.waiting_note, "opinia rzeczoznawcy")
        case.action_resume()
        self.assertFalse(case.waiting_note)
        contract = self.Case.sudo(self.sales_clerk).create(
            {"purpose": "sale", "partner_id": self.partner.id}
        )
        with self.assertRaises(UserError) as caught:
            contract.action_wait()
        self.assertIn("Only service cases wait", caught.exception.name)
        self.assertFalse(contract.waiting)

    def test_closing_a_waiting_case_resumes_it(self):
        case = self.make_case()
        note = self.note(self.service_clerk, name="Intake", case_id=case.id)
        self.assertTrue(note)
        with self.frozen_today(self.d(2026, 3, 10)):
            self.wait(case)
        self.note(
            self.service_clerk,
            case_id=case.id,
            result_id=self.s2.id,
            name="Repaired",
            date="2026-03-14 12:00:00",
        )
        self.assertEqual(case.state, rules.SUCCESS)
        self.assertFalse(case.waiting)
        self.assertEqual(case.days_waited, 4)
        self.assertEqual(case.date_deadline, "2026-03-19")

    def test_only_open_cases_wait_and_only_waiting_ones_resume(self):
        case = self.make_case()
        with self.assertRaises(UserError):
            case.action_resume()
        with self.frozen_today(self.d(2026, 3, 10)):
            self.wait(case)
        with self.assertRaises(UserError):
            case.action_wait()
        with self.assertRaises(UserError), self.cr.savepoint():
            case.write({"waiting": False})
        with self.assertRaises(UserError), self.cr.savepoint():
            case.write({"days_waited": 0, "waiting_since": "2026-03-12"})
        self.assertEqual(case.waiting_since, "2026-03-10")

    def test_the_completion_protocol_prints_the_days_waited(self):
        opening = self.note(
            self.service_clerk, result_id=self.s1.id, date="2026-03-01 09:00:00"
        )
        case = opening.case_id
        with self.frozen_today(self.d(2026, 3, 5)):
            self.wait(case)
        closing = self.note(
            self.service_clerk,
            case_id=case.id,
            result_id=self.s2.id,
            name="Done",
            date="2026-03-19 12:00:00",
        )
        html = (
            self.env.ref("r2_crm.r2_crm_report_completion_protocol")
            .render_qweb_html(closing.ids)[0]
            .decode()
        )
        # 18 days taken, 14 allowed + 14 waited: on time
        self.assertRegex(html, r"Days waited:</strong>\s*<span>14</span>")
        self.assertIn("on time", html)
