"""What an adversarial client tries around the record rules, and the clear
errors it must get instead of a crash (the table's rows: adversarial.py says
how a row becomes a test)."""

from odoo.exceptions import AccessError, UserError, ValidationError

from .adversarial import (
    AdversarialCase,
    Row,
    add_tests,
    call,
    campaign_revenue,
    new_case,
    new_entry,
    report,
    write,
    write_case,
    write_entry,
)

REFUSED = (
    # --------------------------------------------- 2. access: no door around rules
    [
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


class TestAdversarialAccess(AdversarialCase):
    """The rows of REFUSED, one test each."""


add_tests(TestAdversarialAccess, REFUSED)
