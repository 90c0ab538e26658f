"""Fields only the workflow writes (r2.crm.workflow.mixin), at every door.

Each r2 model lists its workflow-owned fields once, in
``_r2_crm_workflow_fields``. These tests read the same lists: for every field
of every list, the service clerk tries a direct value on create and write, a
``default_<field>`` key of the context, an ``ir.default`` of his own, and a
``copy()`` with such a key; none may set it. A stored, read-only field that no
copy carries is the workflow's: it must be on its model's list, so that a
field added later is not forgotten by the guard.
"""

import base64
import io

from PIL import Image

from odoo.exceptions import UserError, ValidationError

from .adversarial import AdversarialCase


def png(size=(2, 2)):
    out = io.BytesIO()
    Image.new("L", size).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


# What a new record of each model with workflow fields needs besides them
NEW_VALUES = {
    "r2.crm.case": {"purpose": "service"},
    "r2.crm.contact": {"type": "note", "purpose": "service", "name": "Forger"},
    "r2.crm.case.line": {"name": "Forged part"},
}
# What the workflow owns at the least (issue #23): the lists may grow
OWNED_AT_LEAST = (
    {
        ("r2.crm.case", name)
        for name in "name state date_closed failure_reason_id failure_note waiting "
        "waiting_reason waiting_since days_waited access_token quote_state "
        "quote_accepted_by quote_accepted_on quote_signature".split()
    }
    | {
        ("r2.crm.contact", name)
        for name in "customer_mail_state is_nudge import_key task_activity_id "
        "signature signed_by signed_on".split()
    }
    | {("r2.crm.case.line", "quote_rejected")}
)
MAGIC_FIELDS = ("id", "create_uid", "create_date", "write_uid", "write_date")


class WorkflowFieldsCase(AdversarialCase):
    @classmethod
    def setUpClass(cls):
        super(WorkflowFieldsCase, cls).setUpClass()
        cls.clerk = cls.users["svc"]
        cls.srv_line = cls.env["r2.crm.case.line"].create(
            {"case_id": cls.srv_open.id, "name": "Part"}
        )
        cls.activity = cls.env["mail.activity"].create(
            {
                "res_model_id": cls.env["ir.model"]._get("res.partner").id,
                "res_id": cls.partner.id,
                "summary": "Someone else's",
                "user_id": cls.env.uid,
            }
        )

    def workflow_fields(self):
        """[(model, field)] of every list."""
        found = [
            (name, field)
            for name in sorted(self.env.registry.models)
            if name.startswith("r2.crm.") and not self.env[name]._abstract
            for field in getattr(self.env[name], "_r2_crm_workflow_fields", ())
        ]
        self.assertGreaterEqual(set(found), OWNED_AT_LEAST)
        return found

    def forged(self, model, name):
        """A value no clerk may set on the workflow field ``name``."""
        field = self.env[model]._fields[name]
        if field.type == "selection":
            values = [
                key for key, _label in field.get_description(self.env)["selection"]
            ]
            default = field.default(self.env[model]) if field.default else None
            return [value for value in values if value != default][-1]
        if field.type == "many2one":
            return {
                "r2.crm.failure.reason": self.reason_price.id,
                "mail.activity": self.activity.id,
            }[field.comodel_name]
        return {
            "char": "FORGED/1",
            "text": "Forged",
            "boolean": True,
            "integer": 999,
            "date": "2020-01-02",
            "datetime": "2020-01-02 10:00:00",
            "binary": png(),
        }[field.type]

    def stored(self, record, name):
        value = record._fields[name].convert_to_write(record[name], record)
        return value.decode() if isinstance(value, bytes) else value

    def new(self, model, context=None, **values):
        parent = (
            {"case_id": self.srv_open.id}
            if model == "r2.crm.case.line"
            else {"partner_id": self.partner.id}
        )
        vals = dict(NEW_VALUES[model], **dict(parent, **values))
        return (
            self.env[model]
            .sudo(self.clerk)
            .with_context(**(context or {}))
            .create(vals)
        )

    def own_record(self, model):
        return {
            "r2.crm.case": self.srv_open,
            "r2.crm.contact": self.open_call,
            "r2.crm.case.line": self.srv_line,
        }[model]


class TestWorkflowFields(WorkflowFieldsCase):
    def test_every_model_lists_its_workflow_fields(self):
        models = {model for model, _field in self.workflow_fields()}
        self.assertEqual(models, {"r2.crm.case", "r2.crm.contact", "r2.crm.case.line"})
        for model, name in self.workflow_fields():
            self.assertIn(name, self.env[model]._fields, model)

    def test_every_read_only_field_no_copy_carries_is_on_a_list(self):
        listed = set(self.workflow_fields())
        for model in self.env.registry.models:
            Model = self.env[model]
            if not model.startswith("r2.crm.") or Model._abstract or Model._transient:
                continue
            for name, field in Model._fields.items():
                owned = (
                    field.store
                    and not field.compute
                    and not field.related
                    and field.readonly
                    and not field.copy
                    and field.type not in ("one2many", "many2many")
                    and name not in MAGIC_FIELDS
                )
                if owned:
                    self.assertIn((model, name), listed)

    def test_a_direct_value_is_refused_on_create_and_write(self):
        for model, name in self.workflow_fields():
            value = self.forged(model, name)
            record = self.own_record(model)
            before = self.stored(record, name)
            with self.subTest(model=model, field=name):
                with self.assertRaises(UserError), self.cr.savepoint():
                    self.new(model, **{name: value})
                with self.assertRaises(UserError), self.cr.savepoint():
                    record.sudo(self.clerk).write({name: value})
                record.invalidate_cache()
                self.assertEqual(self.stored(record, name), before)

    def test_a_context_default_sets_nothing(self):
        for model, name in self.workflow_fields():
            value = self.forged(model, name)
            with self.subTest(model=model, field=name):
                record = self.new(model, {"default_" + name: value})
                self.assertNotEqual(self.stored(record, name), value)
                defaults = (
                    self.env[model]
                    .sudo(self.clerk)
                    .with_context(**{"default_" + name: value})
                    .default_get([name])
                )
                self.assertNotEqual(defaults.get(name), value)

    def test_a_users_own_default_sets_nothing(self):
        Default = self.env["ir.default"].sudo(self.clerk)
        for model, name in self.workflow_fields():
            value = self.forged(model, name)
            with self.subTest(model=model, field=name):
                Default.set(model, name, value, user_id=self.clerk.id)
                self.assertEqual(Default.get(model, name, user_id=self.clerk.id), value)
                record = self.new(model)
                self.assertNotEqual(self.stored(record, name), value)

    def test_a_copy_with_a_context_default_sets_nothing(self):
        for model, name in self.workflow_fields():
            value = self.forged(model, name)
            with self.subTest(model=model, field=name):
                copy = (
                    self.own_record(model)
                    .sudo(self.clerk)
                    .with_context(**{"default_" + name: value})
                    .copy()
                )
                self.assertNotEqual(self.stored(copy, name), value)

    def test_s1_opens_its_case_whatever_the_context_proposes(self):
        context = {
            "default_" + name: self.forged("r2.crm.case", name)
            for name in self.env["r2.crm.case"]._r2_crm_workflow_fields
        }
        note = self.new(
            "r2.crm.contact", context, result_id=self.s1.id, name="Intake by RPC"
        )
        case = note.case_id
        self.assertEqual(case.state, "open")
        self.assertRegex(case.name, r"^SRV/\d{4}/\d{5}$")
        self.assertFalse(case.date_closed or case.waiting or case.days_waited)
        self.assertNotEqual(case.sudo().access_token, context["default_access_token"])

    def test_the_import_key_and_nudge_of_the_examples_are_not_stored(self):
        note = self.new(
            "r2.crm.contact",
            {
                "default_customer_mail_state": "sent",
                "default_is_nudge": True,
                "default_import_key": "x",
                "default_signature": png(),
                "default_signed_by": "Forged Signer",
                "default_signed_on": "2020-01-01 10:00:00",
            },
        )
        self.assertFalse(
            note.customer_mail_state
            or note.is_nudge
            or note.import_key
            or note.signature
            or note.signed_by
            or note.signed_on
        )


class TestDuplicateAndDates(WorkflowFieldsCase):
    def test_a_closed_case_is_duplicated_as_a_new_open_case(self):
        for case, user in ((self.srv_closed, "svc"), (self.sal_fiasco, "sal")):
            with self.subTest(case=case.name):
                copy = case.sudo(self.users[user]).copy()
                self.assertEqual(copy.state, "open")
                self.assertNotEqual(copy.name, case.name)
                self.assertRegex(copy.name, r"^(SRV|SAL)/\d{4}/\d{5}$")
                self.assertFalse(copy.date_closed)
                self.assertFalse(copy.failure_reason_id or copy.failure_note)
                self.assertFalse(copy.waiting or copy.days_waited)
                self.assertFalse(copy.contact_ids)
                self.assertEqual(copy.partner_id, case.partner_id)

    def test_a_date_that_is_no_date_is_refused_clearly(self):
        for value in ([2026, 1, 2], {"y": 2026}, 20260102, "2026-13-45"):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError) as error, self.cr.savepoint():
                    self.new("r2.crm.case", date_open=value)
                self.assertIn("Opened on", error.exception.name)
                with self.assertRaises(ValidationError), self.cr.savepoint():
                    self.srv_open.sudo(self.clerk).write({"date_deadline": value})
                with self.assertRaises(ValidationError), self.cr.savepoint():
                    self.new("r2.crm.contact", date=value)
