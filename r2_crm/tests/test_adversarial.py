"""What an adversarial client tries, as the non-admin users who would send it.

Each row of REFUSED is one test: a department clerk, a sales clerk, a user of
all departments, a manager or a user of another company sends a request that
must be refused with a clear error (class and the field or reason it names),
and nothing may change: no case, entry or link, and no case number drawn.
The other doors to the same data (lines, statistics, the analysis, search,
read_group, export) are tested below the table.
"""

from collections import namedtuple

from odoo import models
from odoo.exceptions import AccessError, UserError, ValidationError
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


# Workflow fields of a case: written only by the transitions.
CASE_WORKFLOW_WRITES = [
    ("name", "HACKED/1", "Number"),
    ("name", "", "Number"),
    ("name", False, "Number"),
    ("state", "success", "Status"),
    ("state", "failure", "Status"),
    ("date_closed", "2026-01-31", "Closed on"),
    ("failure_reason_id", "@reason_price", "Fiasco reason"),
    ("failure_note", "Too expensive", "Why the customer gave up"),
    ("waiting", True, "Waiting"),
    ("waiting_reason", "parts", "Waiting Reason"),
    ("waiting_since", "2026-01-01", "Waiting Since"),
    ("days_waited", 99, "Days Waited"),
    ("access_token", "guessable", "Security token"),
]
CASE_WORKFLOW_CREATES = [
    ("name", "SRV/1999/00001", "Number"),
    ("state", "success", "Status"),
    ("state", "failure", "Status"),
    ("date_closed", "2026-01-31", "Closed on"),
    ("failure_reason_id", "@reason_price", "Fiasco reason"),
    ("failure_note", "Too expensive", "Why the customer gave up"),
    ("days_waited", 99, "Days Waited"),
    ("access_token", "guessable", "Security token"),
]

REFUSED = (
    # --------------------------------------------- 1. integrity of a case
    [
        Row(
            "%s writes %s=%r on an open case" % (user, field, value),
            user,
            write_case(target, **{field: value}),
            UserError,
            label,
        )
        for field, value, label in CASE_WORKFLOW_WRITES
        for user, target in (("svc", "srv_open"), ("alld", "srv_open"))
    ]
    + [
        Row(
            "%s creates a case with %s" % (user, field),
            user,
            new_case(purpose=purpose, **{field: value}),
            UserError,
            label,
        )
        for field, value, label in CASE_WORKFLOW_CREATES
        for user, purpose in (("svc", "service"), ("sal", "sale"))
    ]
    + [
        Row(
            "svc reopens a closed case by writing state",
            "svc",
            write_case("srv_closed", state="open"),
            UserError,
            "Status",
        ),
        Row(
            "svc clears the closing date of a closed case",
            "svc",
            write_case("srv_closed", date_closed=False),
            UserError,
            "Closed on",
        ),
        Row(
            "svc closes by writing state with the old context key",
            "svc",
            with_context(
                {"r2_crm_state_change": True},
                write_case("srv_open", state="success"),
            ),
            UserError,
            "Status",
        ),
        Row(
            "svc closes by writing state with a forged workflow key",
            "svc",
            with_context(
                {"r2_crm_workflow": True}, write_case("srv_open", state="success")
            ),
            UserError,
            "Status",
        ),
        Row(
            "a user of all departments corrects a fiasco reason",
            "alld",
            write_case("sal_fiasco", failure_reason_id="@reason_competitor"),
            UserError,
            "managers",
        ),
        Row(
            "a user of all departments corrects a fiasco note",
            "alld",
            write_case("sal_fiasco", failure_note="Rewritten"),
            UserError,
            "managers",
        ),
        Row(
            "the sales clerk corrects his fiasco through the wizard",
            "sal",
            fiasco_wizard("sal_fiasco", "@reason_competitor"),
            UserError,
            "managers",
        ),
        Row(
            "a manager clears the reason of a fiasco",
            "mgr",
            write_case("sal_fiasco", failure_reason_id=False),
            ValidationError,
            "Fiasco reason",
        ),
        Row(
            "a manager writes a fiasco reason on an open contract",
            "mgr",
            write_case("sal_open", failure_reason_id="@reason_price"),
            UserError,
            "Fiasco reason",
        ),
        Row(
            "svc reopens with the button",
            "svc",
            call("r2.crm.case", "srv_closed", "action_reopen"),
            UserError,
            "managers",
        ),
        Row(
            "sal marks a closed contract as success",
            "sal",
            call("r2.crm.case", "sal_fiasco", "action_mark_success"),
            UserError,
            "Not open",
        ),
        Row(
            "sal marks a closed contract as fiasco",
            "sal",
            call("r2.crm.case", "sal_fiasco", "action_mark_fiasco"),
            UserError,
            "Not open",
        ),
        Row(
            "alld calls the private transition over RPC",
            "alld",
            rpc_method("_r2_crm_close"),
            AccessError,
            "Private methods",
        ),
        Row(
            "svc creates a case of an unknown purpose",
            "svc",
            new_case(purpose="bogus"),
            ValidationError,
            "Purpose",
        ),
        Row(
            "svc creates a case without customer",
            "svc",
            new_case(partner_id=False),
            ValidationError,
            "Customer",
        ),
        Row(
            "svc creates a case due before it opens",
            "svc",
            new_case(date_open="2026-05-10", date_deadline="2026-05-01"),
            ValidationError,
            "Deadline",
        ),
        Row(
            "sal creates a contract with probability 150",
            "sal",
            new_case(purpose="sale", probability=150),
            ValidationError,
            "Probability",
        ),
        Row(
            "sal creates a contract with probability -1",
            "sal",
            new_case(purpose="sale", probability=-1),
            ValidationError,
            "Probability",
        ),
        Row(
            "svc sets a deadline before the opening on his case",
            "svc",
            write_case("srv_open", date_deadline="2000-01-01"),
            ValidationError,
            "deadline",
        ),
        Row(
            "alld writes probability 101 on a contract",
            "alld",
            write_case("sal_open", probability=101),
            ValidationError,
            "probability",
        ),
    ]
    # --------------------------------------------- 1. integrity of the history
    + [
        Row(
            "%s detaches an entry of a closed case" % user,
            user,
            write_entry("closed_call", case_id=False),
            ValidationError,
            "Linked to",
        )
        for user in ("svc", "alld", "mgr")
    ]
    + [
        Row(
            "%s moves an entry of a closed case to another case" % user,
            user,
            write_entry("closed_call", case_id="@srv_open"),
            ValidationError,
            "Linked to",
        )
        for user in ("svc", "alld", "mgr")
    ]
    + [
        Row(
            "%s detaches, then deletes, an entry of a closed case" % user,
            user,
            detach_then_delete,
            ValidationError,
            "Linked to",
        )
        for user in ("svc", "alld")
    ]
    + [
        Row(
            "%s deletes an entry of a closed case" % user,
            user,
            call("r2.crm.contact", "closed_call", "unlink"),
            UserError,
            "history",
        )
        for user in ("svc", "mgr")
    ]
    + [
        Row(
            "%s changes the result of the closing note to %s" % (user, result),
            user,
            write_entry("closed_s2", result_id=result),
            ValidationError,
            "Result",
        )
        for user in ("svc", "mgr")
        for result in (False, "@result_none", "@s1", "@result_fail")
    ]
    # --------------------------------------------- 1. results where they belong
    + [
        Row(
            "svc puts S1 on a sales note",
            "svc",
            new_entry(purpose="sale", result_id="@s1"),
            ValidationError,
            "Result",
        ),
        Row(
            "sal puts S1 on a sales note",
            "sal",
            new_entry(purpose="sale", result_id="@s1"),
            ValidationError,
            "Result",
        ),
        Row(
            "sal puts H1 on a service note",
            "sal",
            new_entry(result_id="@result_h1"),
            ValidationError,
            "Result",
        ),
        Row(
            "svc turns his S1 note into a sales note",
            "svc",
            write_entry("open_s1", purpose="sale"),
            ValidationError,
            "Result",
        ),
        Row(
            "svc closes P's case with a note for customer Q",
            "svc",
            new_entry(
                partner_id="@other_partner", case_id="@srv_open", result_id="@s2"
            ),
            ValidationError,
            "Linked to",
        ),
        Row(
            "svc moves a note of P's case to customer Q",
            "svc",
            write_entry("open_call", partner_id="@other_partner"),
            ValidationError,
            "Linked to",
        ),
        Row(
            "svc closes with S2 without a case",
            "svc",
            new_entry(result_id="@s2"),
            ValidationError,
            "not linked to any case",
        ),
        Row(
            "svc closes a closed case again",
            "svc",
            new_entry(case_id="@srv_closed", result_id="@s2"),
            ValidationError,
            "already closed",
        ),
        Row(
            "svc opens a case from a linked note",
            "svc",
            new_entry(case_id="@srv_open", result_id="@s1"),
            ValidationError,
            "already linked",
        ),
        Row(
            "svc takes in a device on 9999-12-31",
            "svc",
            new_entry(result_id="@s1", date="9999-12-31 10:00:00"),
            ValidationError,
            "Date",
        ),
        Row(
            "svc links a task to someone's activity",
            "svc",
            new_entry(type="task", date_deadline="2026-12-01", task_activity_id=1),
            UserError,
            "Activity",
        ),
        Row(
            "svc re-links his task to another activity",
            "svc",
            write_entry("open_task", task_activity_id=1),
            UserError,
            "Activity",
        ),
        Row(
            "svc marks a note's customer e-mail as sent",
            "svc",
            write_entry("open_task", customer_mail_state="sent"),
            UserError,
            "E-mail to the customer",
        ),
        Row(
            "svc creates a note whose customer e-mail is pending",
            "svc",
            new_entry(customer_mail_state="pending"),
            UserError,
            "E-mail to the customer",
        ),
        Row(
            "svc makes his task a nudge",
            "svc",
            write_entry("open_task", is_nudge=True),
            UserError,
            "Nudge",
        ),
        Row(
            "svc gives his note the key of an imported entry",
            "svc",
            write_entry("open_task", import_key="0" * 40),
            UserError,
            "Import key",
        ),
        Row(
            "svc creates an entry with an import key, to hide it from a re-import",
            "svc",
            new_entry(import_key="0" * 40),
            UserError,
            "Import key",
        ),
        Row(
            "svc creates a task without due date",
            "svc",
            new_entry(type="task"),
            ValidationError,
            "due date",
        ),
    ]
    # --------------------------------------------- 2. access: no door around rules
    + [
        Row(
            "%s links a new note to a sales contract he cannot open" % user,
            user,
            new_entry(purpose=purpose, case_id="@sal_open"),
            AccessError,
            "Linked to",
        )
        for user, purpose in (("svc", "service"), ("svc", "other"), ("nodept", "other"))
    ]
    + [
        Row(
            "%s re-points his note to a sales contract" % user,
            user,
            write_entry(note, case_id="@sal_open"),
            AccessError,
            "Linked to",
        )
        for user, note in (("svc", "open_call"), ("svc", "free_note"))
    ]
    + [
        Row(
            "svc re-points his note to a case that does not exist",
            "svc",
            write_entry("free_note", case_id=999999999),
            AccessError,
            "Linked to",
        ),
        Row(
            "a user of company B links a note to a case of company A",
            "usr_b",
            new_entry(partner_id="@partner", case_id="@srv_open"),
            AccessError,
            "Linked to",
        ),
        Row(
            "svc edits a sales note he can read",
            "svc",
            write_entry("sal_note", name="Changed by service"),
            AccessError,
            "",
        ),
        Row(
            "svc deletes a sales note he can read",
            "svc",
            call("r2.crm.contact", "sal_note", "unlink"),
            AccessError,
            "",
        ),
        Row(
            "svc writes on a sales contract",
            "svc",
            write_case("sal_open", description="hacked"),
            AccessError,
            "",
        ),
        Row(
            "svc reads a sales contract",
            "svc",
            call("r2.crm.case", "sal_open", "read", ["amount_total"]),
            AccessError,
            "",
        ),
        Row(
            "svc reads a line of a sales contract by id",
            "svc",
            call("r2.crm.case.line", "sal_lines", "read", ["price_unit"]),
            AccessError,
            "",
        ),
        Row(
            "svc changes the price of a sales line",
            "svc",
            call("r2.crm.case.line", "sal_lines", "write", {"price_unit": 1}),
            AccessError,
            "",
        ),
        Row(
            "svc adds a line to a sales contract",
            "svc",
            lambda t, env: env["r2.crm.case.line"].create(
                {"case_id": t.sal_open.id, "name": "Free", "price_unit": 0}
            ),
            AccessError,
            "",
        ),
        Row(
            "svc exports a sales contract",
            "svc",
            call("r2.crm.case", "sal_open", "export_data", ["name", "amount_total"]),
            AccessError,
            "",
        ),
        Row(
            "a service user deletes a case",
            "svc",
            call("r2.crm.case", "other_case", "unlink"),
            AccessError,
            "",
        ),
        Row(
            "a manager deletes a case with entries",
            "mgr",
            call("r2.crm.case", "srv_open", "unlink"),
            UserError,
            "cannot be deleted",
        ),
    ]
    + [
        Row(
            "%s moves %s into a company he does not belong to" % (user, what),
            user,
            run,
            AccessError,
            "Company",
        )
        for user in ("svc", "mgr")
        for what, run in (
            ("his case", write_case("srv_open", company_id="@company_b")),
            ("his note", write_entry("free_note", company_id="@company_b")),
            ("a new case", new_case(company_id="@company_b")),
            ("a new note", new_entry(company_id="@company_b")),
        )
    ]
    + [
        Row(
            "a manager of both companies moves a case with entries",
            "mgr_ab",
            write_case("srv_open", company_id="@company_b"),
            UserError,
            "Company",
        ),
        Row(
            "a manager of both companies moves a linked note away from its case",
            "mgr_ab",
            write_entry("open_call", company_id="@company_b"),
            ValidationError,
            "Linked to",
        ),
        Row(
            "a manager of both companies moves a result in use",
            "mgr_ab",
            write("r2.crm.result", "s1", company_id="@company_b"),
            UserError,
            "Company",
        ),
        Row(
            "a manager of both companies moves a campaign with contracts",
            "mgr_ab",
            write("r2.crm.campaign", "campaign", company_id="@company_b"),
            UserError,
            "Company",
        ),
        Row(
            "a manager deletes a campaign with contracts",
            "mgr",
            call("r2.crm.campaign", "campaign", "unlink"),
            UserError,
            "in use",
        ),
    ]
    # --------------------------------------------- 3. clear errors, never a crash
    + [
        Row(
            "svc prints the intake protocol of a linked note without result",
            "svc",
            report("r2_crm.r2_crm_report_intake_protocol", "open_call"),
            UserError,
            "intake protocol",
        ),
        Row(
            "svc prints the completion protocol of a linked note without result",
            "svc",
            report("r2_crm.r2_crm_report_completion_protocol", "open_call"),
            UserError,
            "completion protocol",
        ),
        Row(
            "svc prints the intake protocol of the closing note",
            "svc",
            report("r2_crm.r2_crm_report_intake_protocol", "closed_s2"),
            UserError,
            "intake protocol",
        ),
        Row(
            "svc prints a protocol of a note without case",
            "svc",
            report("r2_crm.r2_crm_report_intake_protocol", "free_note"),
            UserError,
            "not linked to a case",
        ),
    ]
    + [
        Row(
            "%s reads campaign revenue from %s=%r" % (user, key, value),
            user,
            campaign_revenue({key: value}),
            UserError,
            "is not a date",
        )
        for user in ("svc", "mgr")
        for key in ("revenue_date_from", "revenue_date_to")
        for value in ("garbage", "2026-13-45")
    ]
)


class AdversarialCase(R2CrmTestCase):
    """Users of every kind, and records of every state, to attack."""

    @classmethod
    def setUpClass(cls):
        super(AdversarialCase, cls).setUpClass()
        env = cls.env
        department = "r2_crm.r2_crm_group_user_department"
        all_departments = "r2_crm.r2_crm_group_user"
        manager = "r2_crm.r2_crm_group_manager"
        both = env.user.company_id | env["res.company"].create({"name": "Oddział B"})
        cls.company_b = both[1]

        def user(login, group, department_code=False, companies=None):
            return cls.make_user("r2_adv_" + login, group, department_code, companies)

        cls.users = {
            "svc": user("svc", department, "service"),
            "sal": user("sal", department, "sale"),
            "nodept": user("nodept", department),
            "alld": user("alld", all_departments, "service"),
            "mgr": user("mgr", manager, "sale"),
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


class TestAdversarial(AdversarialCase):
    """The rows of REFUSED become one test each (see the end of this module)."""


def _make_test(row):
    def test(self):
        self.check_refused(row)

    test.__doc__ = row.label
    return test


for _number, _row in enumerate(REFUSED, 1):
    setattr(
        TestAdversarial,
        "test_refused_%03d" % _number,
        _make_test(_row),
    )


class TestDoors(AdversarialCase):
    """Every other door to a contract's data applies the same rules; what the
    workflow allows still works for the users who may do it."""

    def as_user(self, key, model):
        return self.env[model].sudo(self.users[key])

    def test_lines_of_other_departments_are_not_listed(self):
        found = self.as_user("svc", "r2.crm.case.line").search_read(
            [], ["price_unit", "case_id"]
        )
        self.assertNotIn(self.sal_lines.id, [row["id"] for row in found])
        self.assertEqual(
            self.as_user("sal", "r2.crm.case.line").search(
                [("id", "in", self.sal_lines.ids)]
            ),
            self.sal_lines,
        )

    def test_read_group_and_name_search_hide_other_departments(self):
        Case = self.as_user("svc", "r2.crm.case")
        groups = Case.read_group([], ["purpose", "amount_total"], ["purpose"])
        self.assertNotIn("sale", [group["purpose"] for group in groups])
        self.assertFalse(Case.name_search(self.sal_open.name))
        self.assertEqual(
            [name for _id, name in Case.name_search(self.srv_open.name)],
            [self.srv_open.name],
        )

    def test_campaign_statistics_count_only_readable_contracts(self):
        for key, count in (("svc", 0), ("sal", 1), ("alld", 1), ("mgr", 1)):
            campaign = self.as_user(key, "r2.crm.campaign").browse(self.campaign.id)
            self.assertEqual(campaign.case_count_open, count, key)

    def invoice_contract(self):
        invoice = self.env["account.invoice"].browse(
            self.sal_open.action_create_invoice()["res_id"]
        )
        invoice.action_invoice_open()

    def test_campaign_revenue_counts_only_readable_contracts(self):
        self.invoice_contract()
        for key, revenue in (("svc", 0.0), ("sal", 1800.0), ("mgr", 1800.0)):
            campaign = self.as_user(key, "r2.crm.campaign").browse(self.campaign.id)
            self.assertAlmostEqual(campaign.revenue, revenue, msg=key)
            self.assertAlmostEqual(campaign.profit, revenue, msg=key)

    def test_campaign_analysis_counts_only_readable_contracts(self):
        self.invoice_contract()
        self.campaign.write({"cost_line_ids": [(0, 0, {"name": "Ads", "amount": 50})]})
        for key, revenue, count in (("svc", 0.0, 0), ("sal", 1800.0, 1)):
            Report = self.as_user(key, "r2.crm.campaign.report")
            Report.invalidate_cache()
            row = Report.read_group(
                [("campaign_id", "=", self.campaign.id)],
                ["campaign_id", "cost", "revenue", "case_count"],
                ["campaign_id"],
            )[0]
            self.assertAlmostEqual(row["revenue"], revenue, msg=key)
            self.assertEqual(row["case_count"], count, key)
            self.assertAlmostEqual(row["cost"], 50.0, msg=key)

    def test_partner_counts_only_readable_contracts(self):
        partner = self.as_user("svc", "res.partner").browse(self.partner.id)
        visible = self.as_user("svc", "r2.crm.case").search_count(
            [("partner_id", "child_of", self.partner.id)]
        )
        self.assertEqual(partner.r2_crm_case_count, visible)
        self.assertEqual(
            self.partner.r2_crm_case_count,
            self.Case.search_count([("partner_id", "child_of", self.partner.id)]),
        )
        self.assertLess(partner.r2_crm_case_count, self.partner.r2_crm_case_count)

    def test_department_user_reads_every_entry_and_its_history(self):
        note = self.as_user("svc", "r2.crm.contact").browse(self.sal_note.id)
        self.assertEqual(note.name, "Offer")
        self.assertEqual(note.read(["case_id"])[0]["case_id"][1], self.sal_open.name)
        history = self.as_user("svc", "r2.crm.contact").browse(self.free_note.id)
        self.assertIn(self.sal_note, history.history_ids)

    def test_entries_show_whether_the_user_may_edit_them(self):
        Contact = self.as_user("svc", "r2.crm.contact")
        self.assertFalse(Contact.browse(self.sal_note.id).can_edit)
        self.assertTrue(Contact.browse(self.open_call.id).can_edit)
        self.assertTrue(
            self.as_user("alld", "r2.crm.contact").browse(self.sal_note.id).can_edit
        )
        self.assertTrue(Contact.new({"name": "New"}).can_edit)

    def test_a_case_number_is_never_empty(self):
        for name in ("", "/", False):
            case = self.as_user("svc", "r2.crm.case").create(
                {"purpose": "service", "partner_id": self.partner.id, "name": name}
            )
            self.assertRegex(case.name, r"^SRV/\d{4}/\d{5}$")

    def test_a_new_case_is_not_titled_slash(self):
        defaults = self.as_user("svc", "r2.crm.case").default_get(["name"])
        self.assertEqual(defaults["name"], "New")

    def test_a_manager_corrects_a_fiasco_and_the_chatter_tracks_it(self):
        case = self.as_user("mgr", "r2.crm.case").browse(self.sal_fiasco.id)
        action = case.action_correct_fiasco()
        self.assertEqual(
            action["context"]["default_failure_reason_id"], self.reason_price.id
        )
        wizard = (
            self.as_user("mgr", "r2.crm.case.fiasco.wizard")
            .with_context(action["context"], tracking_disable=False)
            .create(
                {
                    "failure_reason_id": self.reason_competitor.id,
                    "failure_note": "They chose the cheaper offer",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(self.sal_fiasco.failure_reason_id, self.reason_competitor)
        self.assertEqual(self.sal_fiasco.state, "failure")
        tracked = self.sal_fiasco.message_ids.mapped("tracking_value_ids")
        self.assertIn("failure_reason_id", tracked.mapped("field"))
        self.assertIn("failure_note", tracked.mapped("field"))

    def test_duplicating_an_opening_note_gives_a_plain_new_note(self):
        copy = self.as_user("svc", "r2.crm.contact").browse(self.open_s1.id).copy()
        self.assertFalse(copy.case_id)
        self.assertFalse(copy.result_id)
        self.assertEqual(copy.item_description, self.open_s1.item_description)
        self.assertEqual(self.srv_open.state, "open")

    def test_duplicating_a_closing_note_keeps_the_case_not_the_result(self):
        copy = self.as_user("svc", "r2.crm.contact").browse(self.closed_s2.id).copy()
        self.assertEqual(copy.case_id, self.srv_closed)
        self.assertFalse(copy.result_id)

    def test_entries_of_an_open_case_can_still_move_and_go(self):
        other = self.note(result_id=self.s1.id).case_id
        call = self.as_user("svc", "r2.crm.contact").browse(self.open_call.id)
        call.write({"case_id": other.id})
        self.assertEqual(self.open_call.case_id, other)
        call.write({"case_id": False})
        call.unlink()
        self.assertFalse(self.open_call.exists())
