"""The mixins on throw-away models: the purpose and company of a record, and
the guard of records in use (odoo-test-helper's FakeModelLoader)."""

from odoo_test_helper import FakeModelLoader

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import R2CrmTestCase


class TestMixins(R2CrmTestCase):
    @classmethod
    def setUpClass(cls):
        super(TestMixins, cls).setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_models import R2CrmFakeDictionary, R2CrmFakeDocument

        cls.loader.update_registry((R2CrmFakeDictionary, R2CrmFakeDocument))
        cls.Dictionary = cls.env["r2.crm.fake.dictionary"]
        cls.Document = cls.env["r2.crm.fake.document"]
        cls.company_b = cls.env["res.company"].create({"name": "Mixin company B"})

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        # Restoring rebuilds the model classes; the automated actions patch
        # theirs in _register_hook, which only a full registry load runs.
        cls.env["base.automation"]._register_hook()
        super(TestMixins, cls).tearDownClass()

    def test_purpose_defaults_to_the_users_department(self):
        Document = self.Document.sudo(self.service_clerk)
        self.assertEqual(Document.default_get(["purpose"])["purpose"], "service")
        self.service_clerk.r2_crm_purpose = False
        self.assertEqual(Document.default_get(["purpose"])["purpose"], "other")

    def test_an_unknown_purpose_is_refused_by_name(self):
        with self.assertRaises(ValidationError) as caught:
            self.Document._ensure_purpose("bogus")
        self.assertIn("Purpose", caught.exception.name)
        self.assertIn("bogus", caught.exception.name)

    def test_a_record_lives_in_a_company_of_its_user(self):
        with self.assertRaises(AccessError) as caught:
            self.Document.sudo(self.service_clerk)._ensure_company_allowed(
                {"company_id": self.company_b.id}
            )
        self.assertIn("Company", caught.exception.name)
        self.Document.sudo(self.service_clerk)._ensure_company_allowed(
            {"company_id": self.service_clerk.company_id.id}
        )

    def test_an_entry_in_use_is_neither_deleted_nor_moved(self):
        used = self.Dictionary.create({"name": "Used"})
        self.Document.create({"name": "Doc", "dictionary_id": used.id})
        with self.assertRaises(UserError), self.cr.savepoint():
            used.unlink()
        with self.assertRaises(UserError), self.cr.savepoint():
            used.write({"company_id": self.company_b.id})
        self.assertTrue(used.exists())
        self.assertFalse(used.company_id)

    def test_an_entry_not_in_use_goes(self):
        unused = self.Dictionary.create({"name": "Unused"})
        unused.write({"company_id": self.company_b.id})
        self.assertEqual(unused.company_id, self.company_b)
        unused.unlink()
        self.assertFalse(unused.exists())
