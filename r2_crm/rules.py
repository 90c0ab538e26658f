"""Business rules of r2_crm that need no database.

The models call these functions; ``tests/test_rules.py`` tests them directly.
Dates are ``datetime.date`` objects here: the models convert Odoo's strings.
"""

import base64
import binascii
import hashlib
import io
import re
from collections import namedtuple
from datetime import date, timedelta

from PIL import Image

# Purposes (Cel) of entries and cases; a user's department is one of them.
SALE = "sale"
SERVICE = "service"
OTHER = "other"
PURPOSES = [(SALE, "Sales"), (SERVICE, "Service"), (OTHER, "Other")]

# Types of KONTAKTY entries
NOTE = "note"
TASK = "task"
ENTRY_TYPES = [(NOTE, "Note"), (TASK, "Task")]

# Result actions (r2.crm.result.action)
NONE = "none"
OPEN_CASE = "open_case"
CLOSE_SUCCESS = "close_success"
CLOSE_FAILURE = "close_failure"
RESULT_ACTIONS = [
    (NONE, "Nothing"),
    (OPEN_CASE, "Open a case"),
    (CLOSE_SUCCESS, "Close the case as success"),
    (CLOSE_FAILURE, "Close the case as fiasco"),
]
CLOSING_ACTIONS = (CLOSE_SUCCESS, CLOSE_FAILURE)

# The protocols of a service case, by the result of the note they print from:
# intake from the note whose result opened its case, completion from the one
# whose result closed it (protocol_kind)
INTAKE = "intake"
COMPLETION = "completion"
PROTOCOL_KINDS = [(INTAKE, "Intake protocol"), (COMPLETION, "Completion protocol")]
PROTOCOL_ACTIONS = {INTAKE: (OPEN_CASE,), COMPLETION: CLOSING_ACTIONS}

# Case states (r2.crm.case.state)
OPEN = "open"
SUCCESS = "success"
FAILURE = "failure"
CASE_STATES = [(OPEN, "Open"), (SUCCESS, "Success"), (FAILURE, "Fiasco")]
CLOSED_STATES = (SUCCESS, FAILURE)

# How the Wiek of an open case reads (r2.crm.case.wiek_state)
WIEK_LEFT = "left"
WIEK_OVERDUE = "overdue"
WIEK_WAITING = "waiting"
WIEK_STATES = [
    (WIEK_LEFT, "Days left"),
    (WIEK_OVERDUE, "Overdue"),
    (WIEK_WAITING, "Waiting"),
]

# Why an open case waits (r2.crm.case.waiting_reason): its Wiek stands still
WAIT_PARTS = "parts"
WAIT_CUSTOMER = "customer"
WAIT_OTHER = "other"
WAITING_REASONS = [
    (WAIT_PARTS, "Waiting for parts"),
    (WAIT_CUSTOMER, "Waiting for the customer"),
    (WAIT_OTHER, "Waiting for something else"),
]

# The customer's e-mail about a note's result (r2.crm.contact.customer_mail_state):
# the result marks it pending, the scheduled action sends it or says why not
MAIL_PENDING = "pending"
MAIL_SENT = "sent"
MAIL_NOT_SENT = "not_sent"
# The e-mail waits for the customer's signature at most this many minutes
# (res.company.r2_crm_mail_delay_minutes), so that it carries the signed protocol
MAIL_DELAY_MINUTES = 15
CUSTOMER_MAIL_STATES = [
    (MAIL_PENDING, "To be sent"),
    (MAIL_SENT, "Sent"),
    (MAIL_NOT_SENT, "Not sent"),
]

# How many days without an entry make an open case silent (the nudge)
NUDGE_DAYS = 7

# The repair quote of a service case (r2.crm.case.quote_state)
QUOTE_DRAFT = "draft"
QUOTE_SENT = "sent"
QUOTE_ACCEPTED = "accepted"
QUOTE_REJECTED = "rejected"
QUOTE_STATES = [
    (QUOTE_DRAFT, "Draft"),
    (QUOTE_SENT, "Sent to the customer"),
    (QUOTE_ACCEPTED, "Accepted"),
    (QUOTE_REJECTED, "Rejected"),
]
# A quote holds this many days from the day it is sent (res.company.r2_crm_quote_days)
QUOTE_DAYS = 14
# Where the customer answers a quote: the counter (the clerk records it, also
# an answer given by phone) or the portal (the customer himself)
AT_COUNTER = "counter"
ON_PORTAL = "portal"

# Why a quote cannot be sent or answered, or a case invoiced; the models turn
# these into translated messages.
Q_NOT_SERVICE = "not_service"
Q_NOT_OPEN = "not_open"
Q_WARRANTY = "warranty"
Q_NO_LINES = "no_lines"
Q_ACCEPTED = "accepted"
Q_NOT_SENT = "not_sent"
Q_EXPIRED = "expired"
INV_NO_LINES = "no_lines"
INV_FIASCO = "fiasco"
INV_OPEN = "open"
INV_WARRANTY = "warranty"
INV_REJECTED = "rejected"
INV_INVOICED = "invoiced"

# How a conversation happened (r2.crm.contact.channel): a clerk's entry is
# made at the counter by default; the mail gateway's are e-mails
COUNTER = "counter"
PHONE = "phone"
EMAIL = "email"
PORTAL = "portal"
CHANNELS = [
    (COUNTER, "At the counter"),
    (PHONE, "Phone"),
    (EMAIL, "E-mail"),
    (PORTAL, "Portal"),
]
# An attachment of an incoming e-mail larger than this is not kept: it is
# named in the entry instead (a quarter of Odoo's default upload limit)
MAIL_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Precedence values of mass and automatic mail (RFC 2076, RFC 3834)
AUTOMATIC_PRECEDENCE = ("bulk", "junk", "list", "auto_reply")

# Where a repair stands, in the customer's words (the portal's status)
IN_REPAIR = "in_repair"
WAITING_FOR_PARTS = "waiting_parts"
WAITING_FOR_CUSTOMER = "waiting_customer"
WAITING_OTHER = "waiting_other"
READY = "ready"
NOT_REPAIRED = "not_repaired"

# Why a result cannot be applied; the models turn these into translated messages.
ERR_ALREADY_LINKED = "already_linked"
ERR_NO_CASE = "no_case"
ERR_CASE_CLOSED = "case_closed"

Transition = namedtuple("Transition", "operation new_state")
"""operation is "create" (open a new case), "close" (close the linked one) or None."""


class TransitionError(Exception):
    """A result cannot be applied; ``code`` is one of the ERR_* constants."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def result_transition(action, case_state):
    """What applying a result with ``action`` does to the note's case.

    ``case_state`` is the linked case's state, or None when the note has no case.
    Returns a Transition, or raises TransitionError.
    """
    if action in (None, False, NONE):
        return Transition(None, case_state)
    if action == OPEN_CASE:
        if case_state is not None:
            raise TransitionError(ERR_ALREADY_LINKED)
        return Transition("create", OPEN)
    if action in CLOSING_ACTIONS:
        if case_state is None:
            raise TransitionError(ERR_NO_CASE)
        if case_state != OPEN:
            raise TransitionError(ERR_CASE_CLOSED)
        return Transition("close", SUCCESS if action == CLOSE_SUCCESS else FAILURE)
    raise ValueError("unknown result action %r" % (action,))


def protocol_kind(result_action, linked):
    """The protocol a note prints (INTAKE, COMPLETION), or None: only a note
    linked to its case, whose result opened or closed it, has one."""
    if not linked:
        return None
    for kind, actions in PROTOCOL_ACTIONS.items():
        if result_action in actions:
            return kind
    return None


def days_left(deadline, today, state=OPEN, waiting_since=None):
    """Days until the deadline of an open case, negative when it is overdue.

    While the case waits, its days stand still at the day it began to wait.
    A closed case and a case without deadline have none: None.
    """
    if state != OPEN or not deadline:
        return None
    return (deadline - (waiting_since or today)).days


def resume(deadline, waiting_since, today, days_waited=0):
    """A waiting case resumes: (new deadline, total days waited). The deadline
    moves by the days of this pause; a case without deadline keeps none."""
    paused = max(0, (today - waiting_since).days)
    return (add_days(deadline, paused) if deadline else deadline), (
        days_waited or 0
    ) + paused


def normalize_serial(serial):
    """A serial number as devices are compared: letters and digits only, in
    capitals, as "sn 42", "SN-42" and "sn/42" name the same label."""
    return "".join(char for char in (serial or "") if char.isalnum()).upper()


# The customer's signature: a PNG or JPEG image that decodes, of at most
# 256 KB and of a size a signing pad draws.
SIGNATURE_MAX_BYTES = 256 * 1024
SIGNATURE_MAX_SIDE = 4000
SIGNATURE_FORMATS = ("PNG", "JPEG")
# Why a signature is refused (signature_problem)
SIG_EMPTY = "empty"
SIG_NOT_BASE64 = "not_base64"
SIG_TOO_LARGE = "too_large"
SIG_NOT_IMAGE = "not_image"
SIG_FORMAT = "format"
SIG_DIMENSIONS = "dimensions"


def signature_bytes(value):
    """The bytes of a signature sent as base64 (as Odoo's binary fields and
    the signing pad send it, with or without a ``data:image/...;base64,``
    prefix); ValueError when it is not base64."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    value = re.sub(r"^data:[\w/+.-]+;base64,", "", (value or "").strip())
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64")


def signature_problem(data):
    """Why the image ``data`` (bytes) cannot be a customer's signature, one of
    the SIG_ codes, or None when it can: a PNG or JPEG that decodes whole, of
    at most SIGNATURE_MAX_BYTES and SIGNATURE_MAX_SIDE pixels a side (so that
    a small file cannot unpack to gigabytes)."""
    if not data:
        return SIG_EMPTY
    if len(data) > SIGNATURE_MAX_BYTES:
        return SIG_TOO_LARGE
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in SIGNATURE_FORMATS:
                return SIG_FORMAT
            if max(image.size) > SIGNATURE_MAX_SIDE:
                return SIG_DIMENSIONS
            image.load()  # decodes every pixel: a cut or forged file fails
    except Exception:  # pylint: disable=broad-except
        # Pillow raises many kinds (OSError, SyntaxError, zlib.error, ...)
        return SIG_NOT_IMAGE
    return None


def signature_format(data):
    """The image format Pillow reads in ``data`` (PNG, GIF, ...), or None."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.format
    except Exception:  # pylint: disable=broad-except
        return None


def signature_digest(data):
    """The SHA-256 of a signature's bytes, as the chatter records it."""
    return hashlib.sha256(data).hexdigest()


def is_repeat(date_open, successes, repeat_days):
    """A repeat repair: the device's earlier case closed as success at most
    ``repeat_days`` before this intake (``successes``: their closing dates)."""
    return any(
        closed <= date_open and (date_open - closed).days <= repeat_days
        for closed in successes
    )


def wiek(days, waiting=False):
    """The Wiek as the manual shows it, from ``days_left``: (kind, days) with
    the days left (WIEK_LEFT) or, past the deadline, the days overdue as a
    positive number (WIEK_OVERDUE); a waiting case's stand still
    (WIEK_WAITING). Without days left, (False, None)."""
    if days is None:
        return False, None
    if waiting:
        return WIEK_WAITING, days
    return (WIEK_OVERDUE, -days) if days < 0 else (WIEK_LEFT, days)


def number_pattern(prefix, suffix=""):
    """A regular expression that reads back the numbers an ir.sequence with
    this prefix and suffix draws: groups ``year`` (4 digits, from %(year)s or
    %(range_year)s) and ``number``. Other placeholders match anything."""

    def part(text, seen):
        pieces = []
        for piece in re.split(r"(%\([a-z_]+\)s)", text or ""):
            if piece in ("%(year)s", "%(range_year)s") and "year" not in seen:
                seen.add("year")
                pieces.append(r"(?P<year>\d{4})")
            elif piece.startswith("%("):
                pieces.append(".*?")
            else:
                pieces.append(re.escape(piece))
        return "".join(pieces)

    seen = set()
    return re.compile(
        "^%s(?P<number>\\d+)%s$" % (part(prefix, seen), part(suffix, seen))
    )


# A sequence's counter is a PostgreSQL integer; the numbering continues
# after the highest number, so that number is at most one less.
MAX_SEQUENCE_NUMBER = 2**31 - 2
MIN_SEQUENCE_YEAR, MAX_SEQUENCE_YEAR = 1900, 2999


def _read_number(pattern, name):
    """(year or None, number) of a case number the pattern reads, or None."""
    match = pattern.match(name or "")
    if not match:
        return None
    year = match.groupdict().get("year")
    return (int(year) if year else None), int(match.group("number"))


def beyond_numbering(name, prefix, suffix=""):
    """True when ``name`` reads as a number of this numbering that its
    counter cannot continue from: a number past MAX_SEQUENCE_NUMBER, or a
    year outside MIN_SEQUENCE_YEAR..MAX_SEQUENCE_YEAR."""
    read = _read_number(number_pattern(prefix, suffix), name)
    if not read:
        return False
    year, number = read
    return number > MAX_SEQUENCE_NUMBER or (
        year is not None and not MIN_SEQUENCE_YEAR <= year <= MAX_SEQUENCE_YEAR
    )


def highest_numbers(names, prefix, suffix=""):
    """{year or None: the highest number} among the case numbers ``names``
    that a sequence with this prefix and suffix could have drawn (those
    beyond_numbering are passed over: no counter reaches them)."""
    pattern = number_pattern(prefix, suffix)
    highest = {}
    for name in names:
        read = _read_number(pattern, name)
        if read and not beyond_numbering(name, prefix, suffix):
            year, number = read
            highest[year] = max(highest.get(year, 0), number)
    return highest


def add_days(day, days):
    """``day`` + ``days``, or None when that falls outside the calendar
    (after 31 December 9999)."""
    try:
        return day + timedelta(days)
    except OverflowError:
        return None


def weighted_value(amount, probability, state=OPEN):
    """The pipeline value of a contract: value x probability / 100 while it
    is open; a success weighs its whole value, a fiasco nothing."""
    if state == SUCCESS:
        return amount or 0.0
    if state == FAILURE:
        return 0.0
    return (amount or 0.0) * (probability or 0.0) / 100.0


# The figures campaign_figures() returns: the Statistics fields of a campaign.
CAMPAIGN_FIGURES = (
    "cost_total",
    "revenue",
    "revenue_sale",
    "revenue_service",
    "profit",
    "roi_percent",
    "case_count",
    "case_count_open",
    "case_count_success",
    "case_count_failure",
    "win_rate",
    "success_avg_days",
    "failure_avg_days",
    "bill_count",
    "invoice_count",
)


def campaign_figures(
    manual_cost=0.0,
    bill_cost=0.0,
    revenue=0.0,
    bill_count=0,
    invoice_count=0,
    open_count=0,
    success_count=0,
    failure_count=0,
    success_days=0,
    failure_days=0,
    revenue_sale=0.0,
    revenue_service=0.0,
):
    """The Statistics tab of a campaign, from its aggregated raw numbers.

    The arguments are the columns of the campaign statistics query:
    ``*_count`` count the cases of each state, and the bills and invoices;
    ``*_days`` are the summed durations (date_closed - date_open, in days) of
    the success and fiasco cases; ``revenue_sale`` and ``revenue_service`` the
    part of the revenue invoiced from sales contracts and from repairs.
    Figures that cannot be computed (ROI without cost, win rate without closed
    cases, mean of nothing) are None.
    """
    cost_total = (manual_cost or 0.0) + (bill_cost or 0.0)
    revenue = revenue or 0.0
    profit = revenue - cost_total
    won, lost = success_count or 0, failure_count or 0
    return {
        "cost_total": cost_total,
        "revenue": revenue,
        "revenue_sale": revenue_sale or 0.0,
        "revenue_service": revenue_service or 0.0,
        "profit": profit,
        "roi_percent": profit / cost_total * 100.0 if cost_total else None,
        "case_count": (open_count or 0) + won + lost,
        "case_count_open": open_count or 0,
        "case_count_success": won,
        "case_count_failure": lost,
        "win_rate": won / (won + lost) * 100.0 if won + lost else None,
        "success_avg_days": success_days / won if won else None,
        "failure_avg_days": failure_days / lost if lost else None,
        "bill_count": bill_count or 0,
        "invoice_count": invoice_count or 0,
    }


def protocol_timing(date_open, date_closed, deadline, days_waited=0):
    """Days a service case took, against the days its deadline allowed.

    The deadline has moved by the days the case waited (``resume``), so days
    spent waiting are never late."""
    days_taken = (date_closed - date_open).days
    timing = {"days_taken": days_taken, "days_waited": days_waited or 0}
    if not deadline:
        return dict(timing, days_allowed=None, days_late=0)
    days_allowed = (deadline - date_open).days
    return dict(
        timing,
        days_allowed=days_allowed,
        days_late=max(0, days_taken - days_allowed),
    )


def quote_send_problem(purpose, state, warranty, line_count, quote_state):
    """Why a case's quote cannot be sent (one of the Q_ codes), or None.

    A quote is a service case's, open, not under warranty (the shop pays
    that repair), with at least one line. An accepted quote is not sent again:
    changing its lines sends it back to draft first. A sent quote may be sent
    again (the customer lost the e-mail), a rejected one too (a new offer)."""
    if purpose != SERVICE:
        return Q_NOT_SERVICE
    if state != OPEN:
        return Q_NOT_OPEN
    if warranty:
        return Q_WARRANTY
    if not line_count:
        return Q_NO_LINES
    if quote_state == QUOTE_ACCEPTED:
        return Q_ACCEPTED
    return None


def quote_valid_until(sent_on, days):
    """The last day a quote sent on ``sent_on`` holds (None: not sent)."""
    if not sent_on:
        return None
    return add_days(sent_on, max(days or 0, 0))


def quote_answer_problem(
    where, purpose, state, warranty, line_count, quote_state, valid_until, today
):
    """Why the customer's answer to a quote cannot be recorded ``where``
    (AT_COUNTER, ON_PORTAL), one of the Q_ codes, or None.

    On the portal the customer answers a quote he was sent, while it holds.
    At the counter the clerk also records the answer to a quote the customer
    reads on paper (draft), and after its validity (the shop's choice)."""
    problem = quote_send_problem(purpose, state, warranty, line_count, quote_state)
    if problem:
        return problem
    if where == ON_PORTAL:
        if quote_state != QUOTE_SENT:
            return Q_NOT_SENT
        if valid_until and today > valid_until:
            return Q_EXPIRED
    elif quote_state not in (QUOTE_DRAFT, QUOTE_SENT):
        return Q_NOT_SENT
    return None


def warranty_proposed(warranty_until, date_open, is_repeat):
    """A case is proposed as a warranty repair when the device's warranty
    runs on its intake date, or when it is a repeat repair."""
    return bool(is_repeat or (warranty_until and date_open <= warranty_until))


def invoice_problem(
    purpose, state, warranty, quote_state, line_count, billable_count, invoiced
):
    """Why a contract or case cannot be invoiced (one of the INV_ codes), or
    None.

    A sales contract is invoiced from its products unless it ended as a
    fiasco. A service case once it is closed, not under warranty, once: the
    lines the customer rejected with the quote are not billable, so a case
    whose quote was rejected is invoiced only for the lines added after (a
    diagnosis fee), also when it closed as a fiasco."""
    if purpose != SERVICE:
        if not line_count:
            return INV_NO_LINES
        return INV_FIASCO if state == FAILURE else None
    if state == OPEN:
        return INV_OPEN
    if warranty:
        return INV_WARRANTY
    if quote_state == QUOTE_REJECTED:
        if not billable_count:
            return INV_REJECTED
    elif state == FAILURE:
        return INV_FIASCO
    elif not line_count:
        return INV_NO_LINES
    if invoiced:
        return INV_INVOICED
    return None


def is_automatic_mail(headers):
    """Whether a message with these ``headers`` (a mapping of lower-case
    names to values) was sent by a machine, not a person: an auto-reply, a
    vacation notice, a mailing list or a bulk sender (RFC 3834's
    Auto-Submitted, Precedence, and the de-facto X-Autoreply headers). The
    contact log answers people only: answering a machine starts a mail loop."""
    auto_submitted = (headers.get("auto-submitted") or "").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return True
    precedence = (headers.get("precedence") or "").strip().lower()
    if precedence in AUTOMATIC_PRECEDENCE:
        return True
    return bool(headers.get("x-autoreply") or headers.get("x-autorespond"))


def best_partner(candidates):
    """The partner an e-mail address belongs to, when several partners share
    it: ``candidates`` are (partner id, date of its most recent case or None);
    the one with the most recent case, else the oldest partner (lowest id)."""
    if not candidates:
        return None
    return sorted(candidates, key=lambda c: (c[1] is None, _negated(c[1]), c[0]))[0][0]


def _negated(day):
    return -day.toordinal() if day else 0


def repair_progress(state, waiting, waiting_reason):
    """Where a service case stands for its customer (one of IN_REPAIR, ...)."""
    if state == SUCCESS:
        return READY
    if state == FAILURE:
        return NOT_REPAIRED
    if not waiting:
        return IN_REPAIR
    return {
        WAIT_PARTS: WAITING_FOR_PARTS,
        WAIT_CUSTOMER: WAITING_FOR_CUSTOMER,
    }.get(waiting_reason, WAITING_OTHER)


# RODO (GDPR): what r2_crm did with a customer's personal data (r2.crm.privacy.log)
# the subtype of what the signing steps log: they name the signer, and an
# erasure clears them by it (a cleared signature's name is nowhere else)
SIGNATURE_SUBTYPE = "r2_crm.mt_signature"
PRIVACY_EXPORT = "export"
PRIVACY_ERASE = "erase"
PRIVACY_RETENTION = "retention"
PRIVACY_ACTIONS = [
    (PRIVACY_EXPORT, "Export on request"),
    (PRIVACY_ERASE, "Erasure on request"),
    (PRIVACY_RETENTION, "Erasure after the retention period"),
]
# Ordynacja podatkowa, art. 70 § 1: a tax liability expires five years from
# the end of the calendar year in which the payment fell due
TAX_LIMITATION_YEARS = 5
# VAT falls due on the 25th of the month after the invoice's (art. 103 ust. 1
# ustawy o VAT, monthly settlement)
VAT_DUE_DAY = 25


def vat_due_date(invoice_date):
    """The day the VAT of an invoice of ``invoice_date`` falls due: the 25th
    of the next month."""
    if invoice_date.month == 12:
        return date(invoice_date.year + 1, 1, VAT_DUE_DAY)
    return date(invoice_date.year, invoice_date.month + 1, VAT_DUE_DAY)


def tax_retention_until(invoice_dates):
    """Until when invoices of ``invoice_dates`` bind the buyer's name, address
    and NIP: the end of the fifth calendar year after the one in which the
    last of their taxes fell due; None without invoices."""
    if not invoice_dates:
        return None
    year = max(vat_due_date(day).year for day in invoice_dates)
    return date(year + TAX_LIMITATION_YEARS, 12, 31)


def retention_cutoff(today, years):
    """A customer whose last entry, case and invoice are all before this day
    has been silent for ``years`` years (a 29 February counts from the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


# The lists' pager counts the matches of KONTAKTY and cases up to this many
# ("1-80 / 10000+"), as later Odoo versions do: a full count of ten years of
# entries takes longer than the page itself (README, Ten years of history).
# The system parameter r2_crm.pager_count_limit changes it; 0 counts all.
PAGER_COUNT_LIMIT = 10000
PAGER_COUNT_LIMIT_PARAM = "r2_crm.pager_count_limit"
