"""What an adversarial client tries against a case and its history, as the
users who would send it (the table's rows: adversarial.py says how a row
becomes a test)."""

from odoo.exceptions import AccessError, UserError, ValidationError

from .adversarial import (
    AdversarialCase,
    Row,
    add_tests,
    call,
    detach_then_delete,
    fiasco_wizard,
    new_case,
    new_entry,
    rpc_method,
    with_context,
    write_case,
    write_entry,
)

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
)


class TestAdversarial(AdversarialCase):
    """The rows of REFUSED, one test each."""


add_tests(TestAdversarial, REFUSED)
