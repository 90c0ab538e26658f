from odoo.exceptions import AccessError, UserError

from .common import R2CrmTestCase


class TestDepartments(R2CrmTestCase):

    @classmethod
    def setUpClass(cls):
        super(TestDepartments, cls).setUpClass()
        department = "r2_crm.r2_crm_group_user_department"
        cls.nodept = cls.make_user("r2_no_dept", department)
        Case = cls.env["r2.crm.case"]
        cls.sale_case = Case.create(
            {
                "purpose": "sale",
                "partner_id": cls.partner.id,
                "user_id": cls.env.ref("base.user_root").id,
            }
        )
        cls.service_case = Case.create(
            {
                "purpose": "service",
                "partner_id": cls.partner.id,
                "user_id": cls.env.ref("base.user_root").id,
            }
        )
        cls.other_case = Case.create(
            {
                "purpose": "other",
                "partner_id": cls.partner.id,
                "user_id": cls.env.ref("base.user_root").id,
            }
        )
        Contact = cls.env["r2.crm.contact"]
        cls.sale_note = Contact.create(
            {
                "purpose": "sale",
                "partner_id": cls.partner.id,
                "name": "Sales talk",
                "case_id": cls.sale_case.id,
                "user_id": cls.env.ref("base.user_root").id,
            }
        )

    def visible_cases(self, user):
        ids = (self.sale_case | self.service_case | self.other_case).ids
        return self.Case.sudo(user).search([("id", "in", ids)])

    def test_service_clerk_cannot_read_or_write_sales(self):
        self.assertEqual(
            self.visible_cases(self.service_clerk), self.service_case | self.other_case
        )
        with self.assertRaises(AccessError):
            self.sale_case.sudo(self.service_clerk).read(["name"])
        with self.assertRaises(AccessError):
            self.sale_case.sudo(self.service_clerk).write({"description": "hacked"})
        with self.assertRaises(AccessError):
            self.sale_note.sudo(self.service_clerk).write({"name": "hacked"})
        self.assertFalse(self.sale_case.description)
        self.assertEqual(self.sale_note.name, "Sales talk")

    def test_every_user_reads_every_entry(self):
        """The manual: whoever talks to a customer checks the earlier contacts."""
        for user in (self.service_clerk, self.sales_clerk, self.nodept):
            found = self.Contact.sudo(user).search([("id", "=", self.sale_note.id)])
            self.assertEqual(found, self.sale_note, user.login)
            self.assertEqual(found.name, "Sales talk")

    def test_sales_user_sees_sales_and_other(self):
        self.assertEqual(
            self.visible_cases(self.sales_clerk), self.sale_case | self.other_case
        )

    def test_user_without_department_sees_other_and_own(self):
        own = self.Case.sudo(self.nodept).create(
            {"purpose": "service", "partner_id": self.partner.id}
        )
        ids = (self.sale_case | self.service_case | self.other_case | own).ids
        self.assertEqual(
            self.Case.sudo(self.nodept).search([("id", "in", ids)]),
            self.other_case | own,
        )

    def test_all_departments_user_sees_everything(self):
        self.assertEqual(
            self.visible_cases(self.all_departments_user),
            self.sale_case | self.service_case | self.other_case,
        )

    def test_groups_form_a_ladder_and_admin_is_manager(self):
        manager = self.env.ref("r2_crm.r2_crm_group_manager")
        user = self.env.ref("r2_crm.r2_crm_group_user")
        department = self.env.ref("r2_crm.r2_crm_group_user_department")
        self.assertIn(user, manager.implied_ids)
        self.assertIn(department, user.implied_ids)
        self.assertTrue(
            self.env.ref("base.user_root").has_group("r2_crm.r2_crm_group_manager")
        )

    def test_users_cannot_write_configuration(self):
        with self.assertRaises(AccessError):
            self.s1.sudo(self.all_departments_user).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            self.env.ref("r2_crm.level_offer").sudo(self.all_departments_user).write(
                {"probability": 1}
            )
        with self.assertRaises(AccessError):
            self.Case.sudo(self.all_departments_user).browse(
                self.other_case.id
            ).unlink()


class TestCompanies(R2CrmTestCase):

    def test_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "Oddział B"})
        user_b = self.make_user(
            "r2_company_b", "r2_crm.r2_crm_group_manager", companies=company_b
        )
        case_a = self.Case.create({"purpose": "sale", "partner_id": self.partner.id})
        note_a = self.note()
        case_b = self.Case.sudo(user_b).create(
            {"purpose": "sale", "partner_id": self.other_partner.id}
        )
        self.assertEqual(case_b.company_id, company_b)
        self.assertEqual(case_b.name[:4], "SAL/")
        visible = self.Case.sudo(user_b).search([("id", "in", (case_a | case_b).ids)])
        self.assertEqual(visible, case_b)
        with self.assertRaises(AccessError):
            case_a.sudo(user_b).read(["name"])
        with self.assertRaises(AccessError):
            note_a.sudo(user_b).read(["name"])
        self.assertNotIn(self.s1, self.Result.sudo(user_b).search([]))
        self.assertFalse(
            self.Case.search([("id", "=", case_b.id)]).filtered(
                lambda case: case.company_id != company_b
            )
        )


class TestDeleting(R2CrmTestCase):

    def test_entries_of_closed_cases_cannot_be_deleted(self):
        opening = self.note(result_id=self.s1.id)
        case = opening.case_id
        call = self.note(case_id=case.id, name="Call")
        self.note(case_id=case.id, result_id=self.s2.id)
        with self.assertRaises(UserError):
            call.unlink()
        self.assertTrue(call.exists())

    def test_entries_of_open_cases_can_be_deleted(self):
        case = self.note(result_id=self.s1.id).case_id
        call = self.note(case_id=case.id, name="Typo")
        call.unlink()
        self.assertFalse(call.exists())

    def test_case_with_entries_cannot_be_deleted(self):
        case = self.note(result_id=self.s1.id).case_id
        with self.assertRaises(UserError):
            case.unlink()
        self.assertTrue(case.exists())
        empty = self.Case.create({"purpose": "sale", "partner_id": self.partner.id})
        empty.unlink()
        self.assertFalse(empty.exists())

    def test_dictionaries_in_use_are_archived_not_deleted(self):
        self.note(result_id=self.s1.id)
        with self.assertRaises(UserError):
            self.s1.unlink()
        level = self.env.ref("r2_crm.level_offer")
        contract = self.Case.create(
            {"purpose": "sale", "partner_id": self.partner.id, "level_id": level.id}
        )
        with self.assertRaises(UserError):
            level.unlink()
        level.active = False
        self.assertNotIn(level, self.env["r2.crm.level"].search([]))
        contract.invalidate_cache()
        self.assertEqual(
            contract.level_id, level, "an archived level stays on its contracts"
        )
        unused = self.env["r2.crm.failure.reason"].create({"name": "Unused"})
        unused.unlink()
        self.assertFalse(unused.exists())


class TestFormsWithoutInvoicingRights(R2CrmTestCase):
    """A CRM user without accounting rights can open every r2_crm form."""

    def test_forms_read_as_department_user(self):
        user = self.service_clerk
        self.assertFalse(user.has_group("account.group_account_invoice"))
        case = self.note(result_id=self.s1.id).case_id
        campaign = self.env["r2.crm.campaign"].create({"name": "Visible"})
        records = [case, case.contact_ids, campaign, self.partner]
        for record in records:
            as_user = record.sudo(user)
            view = as_user.fields_view_get(view_type="form")
            values = as_user.read(list(view["fields"]))
            self.assertEqual(values[0]["id"], record.id)
