"""What an adversarial client tries, as the non-admin users who would send
it: the users and records to attack (AdversarialCase), the requests a row of
a table sends, and the check that turns each row into a test.

Each row is one test: a department clerk, a sales clerk, a user of all
departments, a manager or a user of another company sends a request that must
be refused with a clear error (class and the field or reason it names), and
nothing may change (common.assertRefusedAndNothingSaved). The tables are in
test_adversarial.py (a case and its history) and test_adversarial_access.py
(access and clear errors); the other doors to the same data in
test_adversarial_doors.py.
"""

from collections import namedtuple

from odoo import models
from odoo.models import check_method_name

from .common import R2CrmTestCase

Row = namedtuple("Row", "label user run error fragment")


# What a row's request creates, besides the values it gives.
NEW_VALUES = {
    "r2.crm.case": {"purpose": "service"},
    "r2.crm.contact": {"type": "note", "purpose": "service", "name": "Adversarial"},
}


def create(model, **values):
    def run(t, env):
        vals = dict(NEW_VALUES[model], partner_id=t.partner.id)
        vals.update(t.resolve(values))
        env[model].create(vals)

    return run


def write(model, fixture, /, **values):
    def run(t, env):
        env[model].browse(getattr(t, fixture).id).write(t.resolve(values))

    return run


def new_case(**values):
    return create("r2.crm.case", **values)


def new_entry(**values):
    return create("r2.crm.contact", **values)


def write_case(fixture, /, **values):
    return write("r2.crm.case", fixture, **values)


def write_entry(fixture, /, **values):
    return write("r2.crm.contact", fixture, **values)


def entry(t, env, name):
    return env["r2.crm.contact"].browse(getattr(t, name).id)


def call(model_attr, attr, method, *args, **kwargs):
    def run(t, env):
        records = env[model_attr].browse(getattr(t, attr).ids)
        getattr(records, method)(*args, **kwargs)

    return run


def report(xmlid, note):
    def run(t, env):
        env.ref(xmlid).render_qweb_html(entry(t, env, note).ids)

    return run


def with_context(context, run):
    def wrapped(t, env):
        run(t, env(context=dict(env.context, **context)))

    return wrapped


def fiasco_wizard(cases, reason):
    def run(t, env):
        wizard = (
            env["r2.crm.case.fiasco.wizard"]
            .with_context(active_model="r2.crm.case", active_ids=getattr(t, cases).ids)
            .create({"failure_reason_id": t.resolve(reason)})
        )
        wizard.action_confirm()

    return run


def campaign_revenue(context):
    def run(t, env):
        env["r2.crm.campaign"].browse(t.campaign.id).with_context(**context).read(
            ["revenue"]
        )

    return run


def detach_then_delete(t, env):
    note = entry(t, env, "closed_call")
    note.write({"case_id": False})
    note.unlink()


def rpc_method(name):
    def run(t, env):
        check_method_name(name)

    return run


class AdversarialCase(R2CrmTestCase):
    """Users of every kind, and records of every state, to attack."""

    @classmethod
    def setUpClass(cls):
        super(AdversarialCase, cls).setUpClass()
        env = cls.env
        department = "r2_crm.r2_crm_group_user_department"
        manager = "r2_crm.r2_crm_group_manager"
        both = env.user.company_id | env["res.company"].create({"name": "Oddział B"})
        cls.company_b = both[1]

        def user(login, group, department_code=False, companies=None):
            return cls.make_user("r2_adv_" + login, group, department_code, companies)

        cls.users = {
            "svc": cls.service_clerk,
            "sal": cls.sales_clerk,
            "nodept": user("nodept", department),
            "alld": cls.all_departments_user,
            "mgr": cls.manager,
            "mgr_ab": user("mgr_ab", manager, "sale", both),
            "usr_b": user("usr_b", manager, "service", cls.company_b),
        }
        Result = env["r2.crm.result"]
        cls.result_none = Result.create(
            {"code": "T-NONE", "name": "Called", "purpose": "service"}
        )
        cls.result_fail = Result.create(
            {
                "code": "T-FAIL",
                "name": "Not repairable",
                "purpose": "service",
                "action": "close_failure",
            }
        )
        cls.result_h1 = Result.create(
            {"code": "T-H1", "name": "Offer sent", "purpose": "sale"}
        )
        cls.reason_price = env.ref("r2_crm.failure_reason_price")
        cls.reason_competitor = env.ref("r2_crm.failure_reason_competitor")

        svc, sal = cls.users["svc"], cls.users["sal"]
        note = cls.note
        Contracts = env["r2.crm.case"].sudo(sal)
        # A service case in progress, and one closed with S2
        cls.open_s1 = note(svc, name="Intake", result_id=cls.s1.id)
        cls.srv_open = cls.open_s1.case_id
        cls.open_call = note(svc, name="Call", case_id=cls.srv_open.id)
        cls.open_task = note(
            svc, type="task", name="Call back", date_deadline="2026-12-01"
        )
        closed_s1 = note(svc, name="Intake 2", result_id=cls.s1.id)
        cls.srv_closed = closed_s1.case_id
        cls.closed_call = note(svc, name="Parts", case_id=cls.srv_closed.id)
        cls.closed_s2 = note(
            svc, name="Done", case_id=cls.srv_closed.id, result_id=cls.s2.id
        )
        cls.free_note = note(svc, name="Question")
        # Sales: an open contract with lines in a campaign, and a fiasco
        cls.campaign = env["r2.crm.campaign"].create({"name": "Adversarial fair"})
        cls.sal_open = Contracts.create(
            {
                "purpose": "sale",
                "partner_id": cls.partner.id,
                "campaign_id": cls.campaign.id,
                "line_ids": [
                    (0, 0, {"name": "Cash register", "quantity": 2, "price_unit": 900})
                ],
            }
        )
        cls.sal_lines = cls.sal_open.line_ids
        cls.sal_note = note(sal, purpose="sale", name="Offer", case_id=cls.sal_open.id)
        cls.sal_fiasco = Contracts.create(
            {"purpose": "sale", "partner_id": cls.partner.id}
        )
        cls.sal_fiasco._r2_crm_close(
            "failure", "2026-03-01", {"failure_reason_id": cls.reason_price.id}
        )
        cls.other_case = env["r2.crm.case"].create(
            {"purpose": "other", "partner_id": cls.partner.id}
        )
        # The fixtures were made by their users; the tests read them as admin.
        for name, value in list(vars(cls).items()):
            if isinstance(value, models.BaseModel):
                setattr(cls, name, value.with_env(env))

    def resolve(self, values):
        """A row's values, where "@name" is the id of the fixture ``name``."""
        if isinstance(values, dict):
            return {key: self.resolve(value) for key, value in values.items()}
        if isinstance(values, str) and values.startswith("@"):
            return getattr(self, values[1:]).id
        return values

    def check_refused(self, row):
        env = self.env(user=self.users[row.user].id)
        self.assertRefusedAndNothingSaved(
            row.error, row.fragment, lambda: row.run(self, env)
        )


def add_tests(cls, rows):
    """Each row of ``rows`` becomes the test ``test_refused_NNN`` of ``cls``."""

    def make(row):
        def test(self):
            self.check_refused(row)

        test.__doc__ = row.label
        return test

    for number, row in enumerate(rows, 1):
        setattr(cls, "test_refused_%03d" % number, make(row))
