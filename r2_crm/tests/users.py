"""The real users of r2_crm, built once for every test class (common.py).

Each is named for what it is, with the groups, department, language and
mailbox a shop gives it:

- ``service_clerk`` and ``sales_clerk``: a department user of the service or
  the sales department (its record rules apply), working in Polish, in
  Warsaw's time, without a mailbox (no e-mail, notifications in Odoo);
- ``all_departments_user``: a CRM user who reads and edits every department;
- ``manager``: a CRM manager (settings, imports, devices of any case);
- ``billing_user``: an accountant who validates invoices and is no CRM user;
- ``portal_customer``: the portal user of the test customer.
"""

DEPARTMENT = "r2_crm.r2_crm_group_user_department"
ALL_DEPARTMENTS = "r2_crm.r2_crm_group_user"
MANAGER = "r2_crm.r2_crm_group_manager"
BILLING = "account.group_account_invoice"
PORTAL = "base.group_portal"


def make_user(env, login, group, purpose=False, companies=None, **values):
    """A user of ``group`` (an XML id) in ``companies`` (the current company by
    default), whose contacts and cases are of ``purpose`` by default."""
    companies = companies or env.user.company_id
    vals = {
        "name": login,
        "login": login,
        "lang": "en_US",
        "email": "%s@r2.test" % login,
        "r2_crm_purpose": purpose,
        "company_id": companies[0].id,
        "company_ids": [(6, 0, companies.ids)],
        "groups_id": [(6, 0, env.ref(group).ids)],
    }
    vals.update(values)
    return env["res.users"].with_context(no_reset_password=True).create(vals)


def activate_polish(env):
    """Polish as a language users may choose (its terms are install_polish's)."""
    Lang = env["res.lang"].with_context(active_test=False)
    lang = Lang.search([("code", "=", "pl_PL")])
    if not lang:
        Lang.load_lang("pl_PL")
    elif not lang.active:
        lang.active = True


def clerk(env, login, purpose, name):
    return make_user(
        env,
        login,
        DEPARTMENT,
        purpose,
        name=name,
        email=False,
        lang="pl_PL",
        tz="Europe/Warsaw",
        notification_type="inbox",
    )


def real_users(env, customer):
    """The users above, ``portal_customer`` being ``customer``'s."""
    activate_polish(env)
    return {
        "service_clerk": clerk(env, "r2_service_clerk", "service", "Ewa Serwisowa"),
        "sales_clerk": clerk(env, "r2_sales_clerk", "sale", "Piotr Handlowy"),
        "all_departments_user": make_user(
            env,
            "r2_all_departments",
            ALL_DEPARTMENTS,
            "service",
            name="Anna Wszystkie Działy",
        ),
        "manager": make_user(
            env,
            "r2_manager",
            MANAGER,
            "sale",
            name="Marek Kierownik",
            tz="Europe/Warsaw",
        ),
        "billing_user": make_user(env, "r2_billing", BILLING, name="Beata Księgowa"),
        "portal_customer": make_user(
            env,
            "r2_portal_customer",
            PORTAL,
            partner_id=customer.id,
            name=customer.name,
        ),
    }
