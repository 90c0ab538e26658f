"""r2_crm benchmarks: ORM against hand-written SQL on the same data.

Run with `make bench` (SCALE=full, the default), `make bench SCALE=huge` (ten
times full: ten years of a chain) or `make bench SCALE=small`.
Fills a dedicated database quickly with SQL, then times each operation the way
the web client calls it, next to the equivalent SQL, as the median of several
warmed-up runs, and counts the ORM's queries. Results go to bench/results.json
(full scale, and huge under its "huge" key) or .test-logs/bench-small.json,
and a table is printed.
Timing is reported, never asserted: the smoke run only checks that ORM and SQL
agree.
"""

import base64
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timezone

import odoo
from odoo import SUPERUSER_ID, api

from tools import devtool
from tools.devtool import ROOT

SCALES = {
    # cases, contacts, campaigns (every campaign_every-th case beyond the
    # big campaign's has one), invoices, partners, big campaign cases,
    # history partner entries, bulk notes, imported KONTAKTY rows
    "full": dict(
        cases=100000,
        contacts=1000000,
        campaigns=200,
        campaign_every=2,
        invoices=100000,
        partners=20000,
        big=50000,
        history=5000,
        bulk=10000,
        imported=10000,
        runs=7,
    ),
    # ten years of a chain: ten times the full scale; a customer's history,
    # the big campaign, the other campaigns (about 120 cases each) and a
    # case's entries as at full scale, so that each page and form compares
    # with its full-scale twin. The bulk create and
    # the import do not depend on the rows around them: not run.
    "huge": dict(
        cases=1000000,
        contacts=10000000,
        campaigns=2000,
        campaign_every=4,
        invoices=1000000,
        partners=200000,
        big=50000,
        history=5000,
        bulk=0,
        imported=0,
        runs=7,
    ),
    "small": dict(
        cases=2000,
        contacts=20000,
        campaigns=20,
        campaign_every=2,
        invoices=2000,
        partners=500,
        big=1000,
        history=500,
        bulk=100,
        imported=200,
        runs=3,
    ),
}
USERS = 20
# The three kinds of user the operations run as: bench user 5 sees all
# departments, bench user 4 is a service-department clerk.
ALL_DEPARTMENTS_USER = 5
DEPARTMENT_USER = 4
# what the web client sends with every call
WEB_CONTEXT = {"lang": "en_US", "tz": "Europe/Warsaw"}


def log(message):
    print("bench: %s" % message, flush=True)


# ------------------------------------------------------------------ database
def build_database(db, scale_name):
    devtool.create_db(db, demo=False)
    if devtool.install(db, "bench-install-%s" % scale_name, "--without-demo=all"):
        sys.exit("bench: installing r2_crm failed")


def fill(env, s):
    """Realistic data through SQL: the ORM would take hours for a million rows."""
    cr = env.cr
    t0 = time.time()
    users = env["res.users"].with_context(no_reset_password=True)
    group = env.ref("r2_crm.r2_crm_group_user")
    department_group = env.ref("r2_crm.r2_crm_group_user_department")
    # every user sees all departments, except DEPARTMENT_USER, a service clerk
    user_ids = [
        users.create(
            {
                "name": "Bench user %02d" % i,
                "login": "bench%02d" % i,
                "r2_crm_purpose": ("sale", "service", "other")[i % 3],
                "groups_id": [
                    (6, 0, [(department_group if i == DEPARTMENT_USER else group).id])
                ],
            }
        ).id
        for i in range(USERS)
    ]
    company = env.user.company_id.id
    cr.execute(
        """
        INSERT INTO res_partner (name, display_name, active, type, company_id,
                                 customer, lang, is_company, invoice_warn,
                                 create_date, write_date)
        SELECT 'Bench customer ' || g, 'Bench customer ' || g, true, 'contact', %s,
               true, 'en_US', true, 'no-message', now(), now()
          FROM generate_series(1, %s) g""",
        (company, s["partners"]),
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id "
        "WHERE commercial_partner_id IS NULL"
    )
    cr.execute(
        "SELECT min(id), max(id) FROM res_partner WHERE name LIKE 'Bench customer %%'"
    )
    p_min, p_max = cr.fetchone()
    cr.execute(
        """
        INSERT INTO r2_crm_campaign (name, date_start, user_id, company_id, active,
                                     create_date, write_date)
        SELECT 'Bench campaign ' || g, current_date - 400 + (g %% 300), %s, %s, true,
               now(), now()
          FROM generate_series(1, %s) g""",
        (user_ids[0], company, s["campaigns"]),
    )
    cr.execute("SELECT min(id), max(id) FROM r2_crm_campaign")
    k_min, k_max = cr.fetchone()
    cr.execute(
        """
        INSERT INTO r2_crm_campaign_cost (campaign_id, name, date, amount, company_id)
        SELECT k.id, 'Cost ' || g, k.date_start + g, 100 + g * 10, %s
          FROM r2_crm_campaign k, generate_series(1, 3) g""",
        (company,),
    )
    # Cases: the first `big` ones belong to campaign k_min, the others spread over
    # the rest (or none); deadlines over +-1 year; states mixed.
    cr.execute(
        """
        INSERT INTO r2_crm_case (name, purpose, partner_id, user_id, company_id,
                                 date_open, date_deadline, date_closed, state,
                                 campaign_id, probability, amount_total,
                                 amount_weighted, quote_state,
                                 create_date, write_date)
        SELECT 'BENCH/' || lpad(g::text, 7, '0'),
               (ARRAY['sale', 'service', 'other'])[1 + g %% 3],
               %(p_min)s + (g::bigint * 7919) %% (%(p_max)s - %(p_min)s + 1),
               (%(users)s)[1 + g %% %(n_users)s], %(company)s,
               d.open, d.open + 14 + (g %% 30),
               CASE WHEN st.state = 'open' THEN NULL ELSE d.open + (g %% 60) END,
               st.state,
               CASE WHEN g <= %(big)s THEN %(k_min)s
                    WHEN g %% %(every)s = 0
                    THEN %(k_min)s + 1 + g %% (%(k_max)s - %(k_min)s)
                    ELSE NULL END,
               (g %% 10) * 10, 1000 + g %% 5000, (1000 + g %% 5000) * (g %% 10) / 10.0,
               'draft', now(), now()
          FROM generate_series(1, %(n)s) g,
               LATERAL (SELECT current_date - 380 + (g %% 730) AS open) d,
               LATERAL (SELECT (ARRAY['open', 'open', 'success', 'failure'])[1 + g %% 4]
                               AS state) st""",
        dict(
            p_min=p_min,
            p_max=p_max,
            users=user_ids,
            n_users=USERS,
            company=company,
            big=s["big"],
            k_min=k_min,
            k_max=k_max,
            every=s["campaign_every"],
            n=s["cases"],
        ),
    )
    cr.execute("SELECT min(id), max(id) FROM r2_crm_case")
    c_min, c_max = cr.fetchone()
    # Contacts: notes and tasks; the first `history` entries belong to one
    # partner (the partner-history benchmark), the rest spread.
    cr.execute(
        """
        INSERT INTO r2_crm_contact (type, purpose, partner_id, user_id, company_id,
                                    date, name, case_id, date_deadline, done,
                                    channel, create_date, write_date)
        SELECT CASE WHEN g %% 5 = 0 THEN 'task' ELSE 'note' END,
               (ARRAY['sale', 'service', 'other'])[1 + g %% 3],
               CASE WHEN g <= %(history)s THEN %(p_min)s
                    ELSE %(p_min)s + 1
                         + (g::bigint * 104729) %% (%(p_max)s - %(p_min)s) END,
               (%(users)s)[1 + (g / 50) %% %(n_users)s], %(company)s,
               now() - ((g %% 730) || ' days')::interval
                     - ((g %% 1440) || ' minutes')::interval,
               'Entry ' || g,
               CASE WHEN g %% 3 = 0
                    THEN %(c_min)s + g %% (%(c_max)s - %(c_min)s + 1) END,
               CASE WHEN g %% 5 = 0 THEN current_date - 30 + (g / 5) %% 60 END,
               g %% 5 = 0 AND g %% 50 <> 5,
               'counter', now(), now()
          FROM generate_series(1, %(n)s) g""",
        dict(
            history=s["history"],
            p_min=p_min,
            p_max=p_max,
            users=user_ids,
            n_users=USERS,
            company=company,
            c_min=c_min,
            c_max=c_max,
            n=s["contacts"],
        ),
    )
    # Validated customer invoices (and a tenth refunds) linked to cases.
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company)], limit=1
    )
    account = env["res.partner"].browse(p_min).property_account_receivable_id
    cr.execute(
        """
        INSERT INTO account_invoice (type, state, partner_id, commercial_partner_id,
                                     account_id, journal_id, currency_id, company_id,
                                     reference_type, date_invoice, amount_untaxed,
                                     amount_untaxed_signed, amount_total,
                                     amount_total_signed, amount_total_company_signed,
                                     residual, r2_crm_case_id, create_date, write_date)
        SELECT CASE WHEN g %% 10 = 0 THEN 'out_refund' ELSE 'out_invoice' END,
               CASE WHEN g %% 3 = 0 THEN 'paid' ELSE 'open' END,
               c.partner_id, c.partner_id, %(account)s, %(journal)s, %(currency)s,
               %(company)s, 'none', c.date_open + (g %% 90),
               a.amount, CASE WHEN g %% 10 = 0 THEN -a.amount ELSE a.amount END,
               a.amount * 1.23, a.amount * 1.23, a.amount * 1.23, 0, c.id, now(), now()
          FROM generate_series(1, %(n)s) g
          JOIN r2_crm_case c
            ON c.id = %(c_min)s + (g - 1) %% (%(c_max)s - %(c_min)s + 1),
               LATERAL (SELECT (100 + g %% 900)::numeric AS amount) a""",
        dict(
            account=account.id,
            journal=journal.id,
            currency=env.user.company_id.currency_id.id,
            company=company,
            n=s["invoices"],
            c_min=c_min,
            c_max=c_max,
        ),
    )
    # The case form's benchmark: a service case with 50 entries of its
    # customer (the last entries, away from the history partner's).
    cr.execute(
        "SELECT id, partner_id FROM r2_crm_case WHERE purpose = 'service' "
        "AND state = 'open' ORDER BY id LIMIT 1"
    )
    form_case, form_partner = cr.fetchone()
    cr.execute(
        """UPDATE r2_crm_contact SET case_id = %s, partner_id = %s, purpose = 'service'
            WHERE id IN (SELECT id FROM r2_crm_contact ORDER BY id DESC LIMIT 50)""",
        (form_case, form_partner),
    )
    # ...and Odoo's own invoice form, on a customer invoice of 5 lines
    env["account.invoice"].create(
        {
            "partner_id": p_min,
            "type": "out_invoice",
            "journal_id": journal.id,
            "invoice_line_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Service %d" % i,
                        "account_id": journal.default_credit_account_id.id,
                        "quantity": 1 + i,
                        "price_unit": 100.0 * (i + 1),
                    },
                )
                for i in range(5)
            ],
        }
    )
    cr.commit()
    vacuum_analyze(cr.dbname)
    log(
        "generated %(cases)d cases, %(contacts)d contacts, %(campaigns)d campaigns, "
        "%(invoices)d invoices in %(t).1f s" % dict(s, t=time.time() - t0)
    )
    return dict(user_ids=user_ids, history_partner=p_min, big_campaign=k_min)


def form_records(cr):
    """The case of the case form's benchmark (the service case with the most
    entries) and the invoice of the invoice form's (the last with lines)."""
    cr.execute(
        "SELECT case_id FROM r2_crm_contact WHERE case_id IS NOT NULL "
        "GROUP BY case_id ORDER BY count(*) DESC LIMIT 1"
    )
    case = cr.fetchone()[0]
    cr.execute("SELECT invoice_id FROM account_invoice_line ORDER BY id DESC LIMIT 1")
    return dict(form_case=case, form_invoice=cr.fetchone()[0])


# ------------------------------------------------------------------- timing
def median_ms(func, runs, before=None):
    func()  # warm-up
    samples = []
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        func()
        samples.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(samples)


def count_queries(env, func, before):
    before()
    start = env.cr.sql_log_count
    func()
    return env.cr.sql_log_count - start


def explain(env, sql, params, options=""):
    env.cr.execute("EXPLAIN %s %s" % (options, sql), params)
    return "\n".join(row[0] for row in env.cr.fetchall())


def vacuum_analyze(db, tables=""):
    """VACUUM ANALYZE, as autovacuum leaves a live database: statistics, and
    the visibility map that index-only scans need. VACUUM cannot run in a
    transaction: commit first."""
    subprocess.run(["psql", "-d", db, "-qc", "VACUUM ANALYZE " + tables], check=True)


def measure(env, ops, runs):
    results = {}
    invalidate = env["r2.crm.case"].invalidate_cache  # clears the whole cache

    def sql_runner(sql, params):
        def run():
            env.cr.execute(sql, params)
            return env.cr.fetchall()

        return run

    # Baseline: Odoo's own core model, an 80-row list with 6 fields.
    partner_fields = ["name", "email", "phone", "city", "user_id", "country_id"]
    base_orm = median_ms(
        lambda: env["res.partner"].search_read(
            [("customer", "=", True)], partner_fields, limit=80, order="name"
        ),
        runs,
        invalidate,
    )
    base_sql = median_ms(
        sql_runner(
            "SELECT p.id, p.name, p.email, p.phone, p.city, p.user_id, p.country_id "
            "FROM res_partner p WHERE p.active AND p.customer ORDER BY p.name LIMIT 80",
            (),
        ),
        runs,
    )
    results["baseline_partner_search_read"] = dict(
        orm_ms=base_orm,
        sql_ms=base_sql,
        ratio=base_orm / base_sql,
        ratio_sql=base_orm / base_sql,
        queries=count_queries(
            env,
            lambda: env["res.partner"].search_read(
                [("customer", "=", True)], partner_fields, limit=80, order="name"
            ),
            invalidate,
        ),
        target_ratio=None,
        baseline="sql",
    )

    for name, op in ops.items():
        orm = median_ms(op["orm"], runs, invalidate)
        sql = median_ms(sql_runner(op["sql"], op.get("params", ())), runs)
        queries = count_queries(env, op["orm"], invalidate)
        baseline = op["baseline"]
        # against Odoo's invoice list: filled in by kind_ratios()
        ratio = orm / {"partner": base_orm, "sql": sql}.get(baseline, sql)
        results[name] = dict(
            orm_ms=round(orm, 3),
            sql_ms=round(sql, 3),
            ratio=round(ratio, 2),
            ratio_sql=round(orm / sql, 2),
            queries=queries,
            target_ratio=op["target"],
            baseline=baseline,
            explain=explain(env, op["sql"], op.get("params", ())),
        )
        if op.get("check"):
            op["check"]()
        log(
            "%-28s orm %9.2f ms  sql %8.2f ms  ratio %6s "
            "(target %s vs %s)  %d queries"
            % (
                name,
                orm,
                sql,
                "%.2f" % ratio if not baseline.startswith("invoice") else "later",
                op["target"],
                baseline,
                queries,
            )
        )
    return results


def measure_kinds(env, data, runs):
    """The operations as the superuser, a user of all departments and a
    department clerk (issue: performance as the real users feel it). The
    superuser's results keep the operations' names; the others' are named
    ``operation@all_departments`` and ``operation@department``."""
    kinds = (
        ("", SUPERUSER_ID, data["user_ids"][ALL_DEPARTMENTS_USER]),
        (
            "@all_departments",
            data["user_ids"][ALL_DEPARTMENTS_USER],
            data["user_ids"][ALL_DEPARTMENTS_USER],
        ),
        (
            "@department",
            data["user_ids"][DEPARTMENT_USER],
            data["user_ids"][DEPARTMENT_USER],
        ),
    )
    results = {}
    for suffix, uid, me in kinds:
        log("as %s" % (suffix[1:] or "superuser"))
        kind_env = api.Environment(env.cr, uid, WEB_CONTEXT)
        ops = operations(kind_env, data, me)
        if uid != SUPERUSER_ID:
            for op in ops.values():
                # the checks compare with SQL over every row, which a user's
                # rules rightly narrow
                op.pop("check", None)
        if suffix == "@department":
            # a service clerk opens no sales campaign
            ops = {name: op for name, op in ops.items() if "campaign" not in name}
        measured = measure(kind_env, ops, runs)
        if suffix:
            measured.pop("baseline_partner_search_read")
        results.update({name + suffix: entry for name, entry in measured.items()})
    kind_ratios(results)
    return results


def kind_ratios(results):
    """Each list against Odoo's invoice list as the same user (ratio), and
    each operation of a user against the same as the superuser."""
    for name, entry in results.items():
        operation, _at, kind = name.partition("@")
        suffix = "@" + kind if kind else ""
        against = {"invoice": "invoice_list_80", "invoice form": "invoice_form_read"}
        if entry["baseline"] in against:
            invoice = results[against[entry["baseline"]] + suffix]["orm_ms"]
            entry["ratio"] = round(entry["orm_ms"] / invoice, 2)
        if kind and operation in results:
            entry["ratio_superuser"] = round(
                entry["orm_ms"] / results[operation]["orm_ms"], 2
            )


# The campaign statistics in one hand-written query, for a tuple of campaigns
CAMPAIGN_STATS_SQL = """
    SELECT k.id,
           (SELECT COALESCE(SUM(amount), 0) FROM r2_crm_campaign_cost
             WHERE campaign_id = k.id),
           (SELECT COALESCE(SUM(i.amount_untaxed_signed), 0)
              FROM account_invoice i JOIN r2_crm_case c ON c.id = i.r2_crm_case_id
             WHERE c.campaign_id = k.id AND i.state IN ('open', 'paid')
               AND i.type IN ('out_invoice', 'out_refund')),
           (SELECT COALESCE(SUM(amount_untaxed_signed), 0) FROM account_invoice
             WHERE r2_crm_campaign_id = k.id AND state IN ('open', 'paid')
               AND type IN ('in_invoice', 'in_refund')),
           (SELECT array_agg(s) FROM (
                SELECT state || ':' || COUNT(*) || ':'
                       || COALESCE(SUM(date_closed - date_open), 0) AS s
                  FROM r2_crm_case WHERE campaign_id = k.id GROUP BY state) t)
      FROM r2_crm_campaign k WHERE k.id IN %s"""


def operations(env, data, me):
    """The operations, as the user of ``env``; ``me`` is the user whose
    tasks "My tasks today" lists (the user himself, for the superuser bench
    user 5)."""
    from odoo.addons.r2_crm import rules
    from odoo.addons.r2_crm.controllers.dataset import count_up_to

    count_limit = rules.PAGER_COUNT_LIMIT
    stat_fields = ["name"] + list(rules.CAMPAIGN_FIGURES)
    today = date.today().isoformat()
    Case = env["r2.crm.case"]
    Contact = env["r2.crm.contact"]
    Campaign = env["r2.crm.campaign"]
    big = Campaign.browse(data["big_campaign"])
    # one task in ten is still open (g % 50 == 5), spread over all users
    user = me
    Invoice = env["account.invoice"]
    invoice_fields = list(Invoice.fields_view_get(view_type="tree")["fields"])
    kontakty_fields = list(Contact.fields_view_get(view_type="tree")["fields"])
    # the forms as the web client reads them: their fields, one record
    case_form_fields = list(Case.fields_view_get(view_type="form")["fields"])
    invoice_form_fields = list(
        Invoice.fields_view_get(
            view_id=env.ref("account.invoice_form").id, view_type="form"
        )["fields"]
    )
    form_case = Case.browse(data["form_case"])
    form_invoice = Invoice.browse(data["form_invoice"])
    list_fields = [
        "name",
        "partner_id",
        "date_deadline",
        "days_left",
        "state",
        "user_id",
    ]
    stats_sql = CAMPAIGN_STATS_SQL
    first80 = tuple(Campaign.search([], limit=80, order="date_start desc, id desc").ids)

    def check_big_stats():
        env.cr.execute(
            "SELECT COUNT(*) FROM r2_crm_case WHERE campaign_id = %s "
            "AND state = 'open'",
            (big.id,),
        )
        expected = env.cr.fetchone()[0]
        assert big.case_count_open == expected, "campaign stats disagree"

    def check_overdue():
        env.cr.execute(
            "SELECT COUNT(*) FROM r2_crm_case WHERE state = 'open' "
            "AND date_deadline < %s",
            (today,),
        )
        expected = env.cr.fetchone()[0]
        assert Case.search_count(overdue) == expected, "overdue disagrees"

    overdue = [("state", "=", "open"), ("date_deadline", "<", today)]
    tasks_domain = [
        ("type", "=", "task"),
        ("done", "=", False),
        ("user_id", "=", user),
        ("date_deadline", "<=", today),
    ]
    contact_fields = [
        "date",
        "partner_id",
        "name",
        "case_id",
        "user_id",
        "date_deadline",
    ]
    return {
        "campaign_stats_large": dict(
            orm=lambda: big.read(stat_fields),
            sql=stats_sql,
            params=((big.id,),),
            target=1.0,
            baseline="sql",
            check=check_big_stats,
        ),
        "campaign_stats_list_80": dict(
            orm=lambda: Campaign.search_read(
                [], stat_fields, limit=80, order="date_start desc, id desc"
            ),
            sql=stats_sql,
            params=(first80,),
            target=2.0,
            baseline="sql",
        ),
        "cases_list_80_open_by_deadline": dict(
            orm=lambda: Case.search_read(
                [("state", "=", "open")],
                list_fields,
                limit=80,
                order="date_deadline, id desc",
            ),
            sql="""SELECT c.id, c.name, c.partner_id, p.display_name, c.date_deadline,
                          c.date_deadline - current_date, c.state, c.user_id
                     FROM r2_crm_case c JOIN res_partner p ON p.id = c.partner_id
                    WHERE c.state = 'open' ORDER BY c.date_deadline, c.id DESC
                    LIMIT 80""",
            target=1.0,
            baseline="invoice",
        ),
        "cases_overdue_count": dict(
            orm=lambda: Case.search_count(overdue),
            sql="SELECT COUNT(*) FROM r2_crm_case WHERE state = 'open' "
            "AND date_deadline < %s",
            params=(today,),
            target=1.5,
            baseline="sql",
            check=check_overdue,
        ),
        "cases_pager_count": dict(
            orm=lambda: Case.search_count([("state", "=", "open")]),
            sql="SELECT COUNT(*) FROM r2_crm_case WHERE state = 'open'",
            target=1.5,
            baseline="sql",
        ),
        "cases_pager_count_capped": dict(
            # the pager of the open cases, counted up to the limit
            orm=lambda: count_up_to(Case, [("state", "=", "open")], count_limit + 1),
            sql="SELECT count(*) FROM (SELECT 1 FROM r2_crm_case "
            "WHERE state = 'open' LIMIT %s) page",
            params=(count_limit + 1,),
            target=1.5,
            baseline="sql",
        ),
        "kontakty_pager_count": dict(
            # Odoo 11's pager of the KONTAKTY window: every entry counted
            orm=lambda: Contact.search_count([]),
            sql="SELECT count(*) FROM r2_crm_contact",
            target=1.5,
            baseline="sql",
        ),
        "kontakty_pager_count_capped": dict(
            # r2_crm's pager: counted up to the limit ("1-80 / 10000+")
            orm=lambda: count_up_to(Contact, [], count_limit + 1),
            sql="SELECT count(*) FROM (SELECT 1 FROM r2_crm_contact LIMIT %s) page",
            params=(count_limit + 1,),
            target=1.5,
            baseline="sql",
        ),
        "my_tasks_today": dict(
            orm=lambda: Contact.search_read(
                tasks_domain, contact_fields, limit=80, order="date_deadline, id"
            ),
            sql="""SELECT id, date, partner_id, name, case_id, user_id, date_deadline
                     FROM r2_crm_contact WHERE type = 'task' AND NOT done
                      AND user_id = %s AND date_deadline <= %s
                    ORDER BY date_deadline, id LIMIT 80""",
            params=(user, today),
            target=0.5,
            baseline="invoice",
        ),
        "invoice_list_80": dict(
            # Odoo's own list of customer invoices, its tree view's fields
            orm=lambda: Invoice.search_read(
                [("type", "in", ("out_invoice", "out_refund"))],
                invoice_fields,
                limit=80,
            ),
            sql="""SELECT * FROM account_invoice
                    WHERE type IN ('out_invoice', 'out_refund')
                    ORDER BY date_invoice DESC, number DESC, id DESC LIMIT 80""",
            target=None,
            baseline="sql",
        ),
        "case_form_read": dict(
            # a service case with 50 entries, its form's fields
            orm=lambda: form_case.read(case_form_fields),
            sql="SELECT * FROM r2_crm_case WHERE id = %s",
            params=(form_case.id,),
            target=1.0,
            baseline="invoice form",
        ),
        "invoice_form_read": dict(
            # Odoo's own customer invoice form, on an invoice of 5 lines
            orm=lambda: form_invoice.read(invoice_form_fields),
            sql="SELECT * FROM account_invoice WHERE id = %s",
            params=(form_invoice.id,),
            target=None,
            baseline="sql",
        ),
        "kontakty_list_80": dict(
            # the KONTAKTY window: its tree view's fields, newest first
            orm=lambda: Contact.search_read([], kontakty_fields, limit=80),
            sql="""SELECT id, date, type, purpose, partner_id, name, result_id,
                          case_id, user_id, date_deadline, done
                     FROM r2_crm_contact ORDER BY date DESC, id DESC LIMIT 80""",
            target=1.0,
            baseline="invoice",
        ),
        "partner_history_page": dict(
            orm=lambda: Contact.search_read(
                [("partner_id", "child_of", data["history_partner"])],
                contact_fields,
                limit=80,
            ),
            sql="""SELECT id, date, partner_id, name, case_id, user_id, date_deadline
                     FROM r2_crm_contact WHERE partner_id = %s
                    ORDER BY date DESC, id DESC LIMIT 80""",
            params=(data["history_partner"],),
            target=1.0,
            baseline="invoice",
        ),
    }


PROFILED = (
    "kontakty_list_80",
    "cases_list_80_open_by_deadline",
    "case_form_read",
    "invoice_list_80",
)


def profiles(env, data, runs=20, top=25):
    """Where a department clerk's list and form reads spend their Python time:
    cProfile over ``runs`` calls of each, the ``top`` functions by cumulative
    time (a compute or a name_get shows with all it costs)."""
    import cProfile
    import io
    import pstats

    clerk_env = api.Environment(env.cr, data["user_ids"][DEPARTMENT_USER], WEB_CONTEXT)
    ops = operations(clerk_env, data, data["user_ids"][DEPARTMENT_USER])
    result = {}
    for name in PROFILED:
        func = ops[name]["orm"]
        func()
        profiler = cProfile.Profile()
        for _ in range(runs):
            env["r2.crm.case"].invalidate_cache()
            profiler.runcall(func)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(top)
        total = sum(entry[2] for entry in stats.stats.values()) / runs * 1000
        lines = [
            line.rstrip()
            .replace(os.path.dirname(odoo.__file__), "odoo")
            .replace(ROOT + "/", "")
            for line in out.getvalue().splitlines()
            if line.strip() and line.lstrip()[:1].isdigit()
        ]
        result[name + "@department"] = dict(
            ms_per_call=round(total, 1),
            runs=runs,
            top_by_cumulative_time=lines,
        )
        log("profiled %s: %.1f ms of Python a call" % (name, total))
    return result


def campaign_physical(env, data, runs):
    """The campaign statistics of the biggest campaign against what PostgreSQL
    needs for them at best: the hand-written SQL again with covering indexes
    on freshly vacuumed tables (index-only scans), and its buffers. Run last:
    the indexes stay on the bench database."""
    cr = env.cr
    big = data["big_campaign"]
    sql = CAMPAIGN_STATS_SQL
    plain_plan = explain(env, sql, ((big,),), "(ANALYZE, BUFFERS)")
    cr.execute(
        "CREATE INDEX IF NOT EXISTS bench_case_campaign_covering ON r2_crm_case "
        "(campaign_id, state) INCLUDE (date_open, date_closed, id)"
    )
    cr.execute(
        "CREATE INDEX IF NOT EXISTS bench_invoice_case_covering ON account_invoice "
        "(r2_crm_case_id) INCLUDE (state, type, amount_untaxed_signed)"
    )
    cr.commit()
    vacuum_analyze(cr.dbname, "r2_crm_case, account_invoice, r2_crm_campaign_cost")

    def run():
        cr.execute(sql, ((big,),))
        return cr.fetchall()

    best = median_ms(run, runs)
    best_plan = explain(env, sql, ((big,),), "(ANALYZE, BUFFERS)")
    cr.execute("SELECT COUNT(*) FROM r2_crm_case WHERE campaign_id = %s", (big,))
    cases = cr.fetchone()[0]
    log("campaign statistics: %.1f ms with covering indexes" % best)
    return dict(
        sql_ms_covering_indexes=round(best, 3),
        cases_of_campaign=cases,
        explain_analyze=plain_plan,
        explain_analyze_covering=best_plan,
    )


def bulk_create(env, data, n):
    """n S1 notes (n cases through the automated action) against n plain notes,
    created by the service clerk with the chatter on, as the web client does:
    each in a request of its own, that is with nothing cached from the note
    before (in one recordset, every read would fetch all the notes so far)."""
    env = api.Environment(env.cr, data["user_ids"][DEPARTMENT_USER], WEB_CONTEXT)
    s1 = env.ref("r2_crm.result_s1").id
    partner = data["history_partner"]
    timings = {}
    for label, result in (("plain", False), ("s1", s1)):
        env.cr.execute("SAVEPOINT bulk")
        start_queries = env.cr.sql_log_count
        t0 = time.perf_counter()
        for i in range(n):
            env["r2.crm.contact"].invalidate_cache()
            env["r2.crm.contact"].create(
                {
                    "purpose": "service",
                    "partner_id": partner,
                    "name": "Bulk %s %d" % (label, i),
                    "result_id": result,
                }
            )
        timings[label] = (
            (time.perf_counter() - t0) * 1000.0,
            env.cr.sql_log_count - start_queries,
        )
        if result:
            env.cr.execute("SELECT COUNT(*) FROM r2_crm_case WHERE name LIKE 'SRV/%%'")
            assert env.cr.fetchone()[0] >= n, "S1 notes did not open cases"
        env.cr.execute("ROLLBACK TO SAVEPOINT bulk")
        (
            env.invalidate_all()
            if hasattr(env, "invalidate_all")
            else env["r2.crm.contact"].invalidate_cache()
        )
    (s1_ms, s1_q), (plain_ms, plain_q) = timings["s1"], timings["plain"]
    log(
        "bulk create of %d notes: S1 %.0f ms (%d queries), plain %.0f ms (%d queries)"
        % (n, s1_ms, s1_q, plain_ms, plain_q)
    )
    return {
        "bulk_s1_notes": dict(
            orm_ms=round(s1_ms, 1),
            sql_ms=None,
            plain_ms=round(plain_ms, 1),
            ratio=round(s1_ms / plain_ms, 2),
            ratio_sql=None,
            queries=s1_q,
            plain_queries=plain_q,
            target_ratio=2.0,
            baseline="plain notes",
            notes=n,
        )
    }


def kontakty_csv(env, n):
    """A KONTAKTY export of n rows in Windows-1250, as R2faktury writes it:
    notes and tasks of the bench customers, every fourth linked to a case of
    its customer, the users by login; few tasks of an old program are open."""
    env.cr.execute(
        """SELECT c.name, p.name FROM r2_crm_case c
             JOIN res_partner p ON p.id = c.partner_id
            WHERE c.purpose = 'service'
            ORDER BY c.id LIMIT %s""",
        (max(n // 4, 1),),
    )
    cases = env.cr.fetchall()
    env.cr.execute("SELECT login FROM res_users WHERE login LIKE 'bench%%'")
    users = [row[0] for row in env.cr.fetchall()]
    lines = [
        "Data;Typ;Cel;Klient;NIP;Temat;Opis;Towar;Rezultat;Powiązany z;"
        "Termin;Wykonane;Użytkownik"
    ]
    for i in range(n):
        number, customer = cases[i % len(cases)]
        task = i % 5 == 0  # a fifth are tasks, and one in fifty is still open
        lines.append(
            ";".join(
                [
                    "%02d.%02d.2025 %02d:%02d"
                    % (i % 28 + 1, i % 12 + 1, i % 10 + 8, i % 60),
                    "zadanie" if task else "notatka",
                    "serwis",
                    customer,
                    "",
                    "Rozmowa nr %d" % i,
                    "Klient pyta o naprawę, ustalono termin",
                    "Kasa fiskalna",
                    "",
                    number if i % 4 == 0 else "",
                    "15.01.2026" if task else "",
                    "tak" if task and i % 50 else "",
                    users[i % len(users)],
                ]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1250")


def import_contacts(env, n):
    """The import of a KONTAKTY export of n rows by a CRM manager, against the
    same at n/10 rows: the time and queries per row should not grow."""
    manager = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench importer",
                "login": "bench_importer",
                "tz": "Europe/Warsaw",
                "groups_id": [(6, 0, env.ref("r2_crm.r2_crm_group_manager").ids)],
            }
        )
    )
    Wizard = env["r2.crm.import.wizard"].sudo(manager)
    timings = {}
    for rows in (max(n // 10, 1), n):
        data = kontakty_csv(env, rows)
        env.cr.execute("SAVEPOINT import_bench")
        wizard = Wizard.create(
            {
                "kind": "contacts",
                "data_file": base64.b64encode(data),
                "filename": "kontakty.csv",
                "dry_run": False,
            }
        )
        start_queries = env.cr.sql_log_count
        t0 = time.perf_counter()
        wizard.action_import()
        elapsed = (time.perf_counter() - t0) * 1000.0
        queries = env.cr.sql_log_count - start_queries
        assert wizard.created_count == rows, wizard.log[:500]
        assert wizard.error_count == 0, wizard.log[:500]
        timings[rows] = (elapsed, queries)
        env.cr.execute("ROLLBACK TO SAVEPOINT import_bench")
        env.clear()
    (few, (few_ms, few_q)), (many, (many_ms, many_q)) = sorted(timings.items())
    log(
        "import of %d KONTAKTY rows: %.1f s, %.1f queries a row (%d rows: %.1f s, "
        "%.1f queries a row)"
        % (many, many_ms / 1000, many_q / many, few, few_ms / 1000, few_q / few)
    )
    return {
        "import_kontakty": dict(
            orm_ms=round(many_ms, 1),
            sql_ms=None,
            ratio=round((many_ms / many) / (few_ms / few), 2),
            ratio_sql=None,
            queries=many_q,
            queries_per_row=round(many_q / many, 2),
            queries_per_row_at_tenth=round(few_q / few, 2),
            target_ratio=1.5,
            target_seconds=60 if many >= 10000 else None,
            seconds=round(many_ms / 1000, 1),
            baseline="n/10 rows",
            rows=many,
        )
    }


def previous_bulk(scale_name):
    """BULK=0: keep the bulk-create entry of the last results file (it takes
    minutes at full scale), marked with when it was measured."""
    path = os.path.join(ROOT, "bench", "results.json")
    if scale_name != "full" or not os.path.exists(path):
        return {}
    with open(path) as fp:
        previous = json.load(fp)
    entry = previous["operations"].get("bulk_s1_notes")
    if not entry:
        return {}
    entry.setdefault("measured_at", previous["measured_at"])
    return {"bulk_s1_notes": entry}


def main():
    scale_name = os.environ.get("SCALE", "full")
    scale = SCALES[scale_name]
    db = "r2crm_bench_%s" % scale_name
    reuse = os.environ.get("REUSE") == "1" and devtool.db_exists(db)
    if not reuse:
        build_database(db, scale_name)
    odoo.tools.config.parse_config(
        [
            "--addons-path=%s" % devtool.ADDONS_PATH,
            "-d",
            db,
            "--log-level=warn",
        ]
    )
    registry = odoo.registry(db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if reuse:
            cr.execute(
                "SELECT id FROM res_users WHERE login LIKE 'bench%%' ORDER BY login"
            )
            users = [row[0] for row in cr.fetchall()]
            cr.execute(
                "SELECT min(id) FROM res_partner WHERE name LIKE 'Bench customer %%'"
            )
            partner = cr.fetchone()[0]
            cr.execute("SELECT min(id) FROM r2_crm_campaign")
            data = dict(
                user_ids=users, history_partner=partner, big_campaign=cr.fetchone()[0]
            )
        else:
            data = fill(env, scale)
        data.update(form_records(cr))
        if os.environ.get("PROFILE_OUT"):
            # PROFILE_OUT=file: only the profiles, to compare a change with
            module = odoo.modules.get_module_path(devtool.MODULE)
            commit = subprocess.run(
                ["git", "-C", module, "rev-parse", "--short", "HEAD"],
                stdout=subprocess.PIPE,
                universal_newlines=True,
            ).stdout.strip()
            report = {
                "measured_at": datetime.now(timezone.utc).strftime(
                    "%Y-%m-%d %H:%M UTC"
                ),
                "r2_crm_commit": commit,
                "profiles": profiles(env, data),
            }
            with open(os.environ["PROFILE_OUT"], "w") as fp:
                json.dump(report, fp, indent=2, sort_keys=True)
            cr.rollback()
            return
        results = measure_kinds(env, data, scale["runs"])
        cr.execute("SHOW server_version")
        machine = "%d cores, PostgreSQL %s, Odoo 11.0 on Python %s (odoocompat)" % (
            os.cpu_count(),
            cr.fetchone()[0].split()[0],
            sys.version.split()[0],
        )
        if os.environ.get("BULK") == "0":
            results.update(previous_bulk(scale_name))
        elif scale["bulk"]:
            results.update(bulk_create(env, data, scale["bulk"]))
        if scale["imported"]:
            results.update(import_contacts(env, scale["imported"]))
        cr.rollback()
        report_profiles = profiles(env, data)
        cr.rollback()
        results["campaign_stats_large"]["physical"] = campaign_physical(
            env, data, scale["runs"]
        )
    for entry in results.values():
        entry["scale"] = scale_name
    report = {
        "measured_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine,
        "scale": dict(scale, name=scale_name),
        "operations": results,
        "profiles": report_profiles,
    }
    out = write_report(report, scale_name)
    print_table(results)
    for name, entry in results.items():
        if entry.get("explain"):
            print("\n-- EXPLAIN %s\n%s" % (name, entry["explain"]))
    log("results written to %s" % out)
    odoo.sql_db.close_db(db)
    if not os.environ.get("KEEP_DB"):
        devtool.dropdb(db)


def write_report(report, scale_name):
    """bench/results.json holds the full scale's run, and the huge scale's
    under "huge" (each run keeps the other's); the small scale's goes to
    .test-logs. The file written."""
    path = os.path.join(ROOT, "bench", "results.json")
    if scale_name == "small":
        path = os.path.join(devtool.LOG_DIR, "bench-small.json")
        stored = report
    else:
        with open(path) as fp:
            stored = json.load(fp)
        if scale_name == "full":
            report["huge"] = stored.get("huge")
            stored = report
        else:
            stored[scale_name] = report
    with open(path, "w") as fp:
        json.dump(stored, fp, indent=2, sort_keys=True)
    return path


def print_table(results):
    print(
        "\n%-32s %10s %10s %8s %8s %8s %8s"
        % ("operation", "orm_ms", "sql_ms", "ratio", "target", "vs", "queries")
    )
    for name, e in results.items():
        print(
            "%-32s %10s %10s %8s %8s %8s %8s"
            % (
                name,
                e["orm_ms"] if e["orm_ms"] is not None else "-",
                e["sql_ms"] if e["sql_ms"] is not None else "-",
                round(e["ratio"], 2),
                e["target_ratio"] or "-",
                e["baseline"][:8],
                e["queries"],
            )
        )


if __name__ == "__main__":
    main()
