"""Devices follow their cases' department rules (#23): who may not change a
case of the device may not change the device, whose serial and owner its
cases' forms, protocols and portal pages show. Everyone reads it."""

from odoo.exceptions import AccessError

from .common import R2CrmTestCase


class TestDeviceAccess(R2CrmTestCase):
    @classmethod
    def setUpClass(cls):
        super(TestDeviceAccess, cls).setUpClass()
        intake = cls.note(
            cls.service_clerk, result_id=cls.s1.id, device_serial="R2DEV77001"
        )
        cls.case = intake.case_id
        cls.device = cls.case.device_id

    def test_the_intake_made_the_device_of_the_case(self):
        self.assertEqual(self.device.serial, "R2DEV77001")
        self.assertEqual(self.device.case_ids, self.case)

    def test_a_clerk_of_another_department_reads_but_does_not_change_it(self):
        device = self.device.sudo(self.sales_clerk)
        self.assertEqual(device.serial, "R2DEV77001")
        for values in (
            {"serial": "XYZ999"},
            {"partner_id": self.other_partner.id},
            {"name": "Another model"},
        ):
            with self.subTest(values=values):
                with self.assertRaises(AccessError) as error, self.cr.savepoint():
                    device.write(values)
                self.assertIn("R2DEV77001", error.exception.name)
        with self.assertRaises(AccessError), self.cr.savepoint():
            device.unlink()
        self.device.invalidate_cache()
        self.assertEqual(self.device.serial, "R2DEV77001")
        self.assertEqual(self.device.partner_id, self.partner)
        self.assertEqual(self.case.device_serial, "R2DEV77001")

    def test_the_cases_department_and_a_manager_change_it(self):
        self.device.sudo(self.service_clerk).write({"name": "Lenovo T480"})
        self.assertEqual(self.device.name, "Lenovo T480")
        self.device.sudo(self.manager).write({"serial": "R2DEV-77001"})
        self.assertEqual(self.case.device_serial, "R2DEV-77001")

    def test_a_device_without_cases_is_anyones_to_correct(self):
        device = (
            self.env["r2.crm.device"]
            .sudo(self.sales_clerk)
            .create({"serial": "NEW-1", "partner_id": self.partner.id})
        )
        device.write({"name": "Cash register"})
        self.assertEqual(device.name, "Cash register")
