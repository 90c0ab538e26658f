"""No English where a Polish clerk looks (#24): the screens of a clerk's day,
as the Polish service clerk, the portal customer and the manager, read for
English text.

English is the source of any term the database's Polish translations know
(a term whose Polish is another word), and a few words that must never show.
Each hit is printed with its screen, and the test fails on any."""

import os
import re

import psycopg2
import pytest
from babel.messages.pofile import read_po
from selenium.webdriver.common.by import By

import odoo
from e2e.browser import login, make_driver, open_menu, wait_css, wait_for_view
from tools.devtool import ROOT

DB = os.environ.get("R2CRM_E2E_DB", "r2crm_test")
SERVICE_LOGIN = ("serwis", "serwis")
MANAGER_LOGIN = ("admin", "admin")
PORTAL_LOGIN = ("klient", "klient")

# Never on a Polish screen, whatever the translations say
NEVER = ("the", "has been", "You have", "created", "Your logo", "Not Found")
# English sources that are Polish words too, or names, as a Polish screen
# shows them: "Data" (date), "Model" (of a device), "Portal", ...
SAME_IN_POLISH = {
    "Data",
    "Model",
    "Portal",
    "Status",
    "Start",
    "Plan",
    "Format",
    "Serwis",
    "Odoo",
    "Partner",
    "Internet",
    "Online",
    "Import",
    "Filtr",
    "Test",
    "Email",
    "Manager",
}


def english_terms():
    """The English sources that the Polish translations of the installed
    modules (their i18n/pl.po files, r2_crm's among them) put into other
    words, as whole words of at least four letters: what an untranslated term
    of the page would show. Read from the files, not the database, so that a
    translation missing in the database is found too."""
    with psycopg2.connect(dbname=DB) as conn, conn.cursor() as cr:
        cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
        modules = [row[0] for row in cr.fetchall()]
    odoo_addons = os.path.join(os.path.dirname(odoo.__file__), "addons")
    words = re.compile(r"^[A-Za-z][A-Za-z ']*[A-Za-z]$")
    terms = set()
    for module in modules:
        root = ROOT if module == "r2_crm" else odoo_addons
        path = os.path.join(root, module, "i18n", "pl.po")
        if not os.path.exists(path):
            continue
        with open(path, "rb") as fp:
            catalog = read_po(fp)
        for message in catalog:
            source, polish = message.id, message.string
            if not isinstance(source, str) or not isinstance(polish, str):
                continue
            source = source.strip()
            if (
                polish.strip()
                and polish.strip().lower() != source.lower()
                and 4 <= len(source) <= 60
                and words.match(source)
                and source not in SAME_IN_POLISH
            ):
                terms.add(source)
    return sorted(terms)


@pytest.fixture(scope="module")
def english():
    terms = english_terms()
    assert len(terms) > 1000, "the Polish translations are loaded"
    pattern = re.compile(
        r"(?<![\w-])(%s)(?![\w-])"
        % "|".join(
            re.escape(term)
            for term in sorted(terms, key=len, reverse=True) + list(NEVER)
        )
    )
    return pattern


def record_id(xmlid):
    module, name = xmlid.split(".")
    with psycopg2.connect(dbname=DB) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s",
            (module, name),
        )
        return cr.fetchone()[0]


def first_id(query):
    with psycopg2.connect(dbname=DB) as conn, conn.cursor() as cr:
        cr.execute(query)
        return cr.fetchone()[0]


def open_form(driver, base_url, model, res_id, wait=".o_form_view"):
    driver.get(base_url + "/web#model=%s&id=%d&view_type=form" % (model, res_id))
    driver.refresh()
    return wait_for_view(driver, wait)


def hits_of(driver, screen, english):
    text = driver.find_element(By.CSS_SELECTOR, "body").text
    return [
        "%s: %r in ...%s..."
        % (
            screen,
            match.group(1),
            text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " | "),
        )
        for match in english.finditer(text)
    ]


def test_the_clerks_day_shows_no_english(driver, base_url, english):
    hits = []
    login(driver, base_url, *SERVICE_LOGIN)
    open_menu(driver, "Kontakty")
    wait_for_view(driver, ".o_list_view")
    hits += hits_of(driver, "KONTAKTY list", english)
    open_menu(driver, "Sprawy serwisowe")
    wait_for_view(driver, ".o_list_view")
    hits += hits_of(driver, "open service cases list", english)
    open_menu(driver, "Urządzenia")
    wait_for_view(driver, ".o_list_view")
    hits += hits_of(driver, "devices list", english)
    # then the forms, by their addresses
    note = record_id("r2_crm.r2_crm_note_srv_soon_s1_demo")
    open_form(driver, base_url, "r2.crm.contact", note)
    hits += hits_of(driver, "KONTAKTY note form", english)
    # another department's note: read-only, and no Edit offered on it
    sales_note = record_id("r2_crm.r2_crm_note_sal_offer_demo")
    open_form(driver, base_url, "r2.crm.contact", sales_note)
    hits += hits_of(driver, "another department's note", english)
    edit = driver.find_elements(By.CSS_SELECTOR, ".o_form_button_edit")
    assert not any(button.is_displayed() for button in edit), "Edit offered"
    case = first_id("SELECT case_id FROM r2_crm_contact WHERE id = %d" % note)
    open_form(driver, base_url, "r2.crm.case", case, ".o_form_view .o_mail_thread")
    hits += hits_of(driver, "service case with its chatter", english)
    device = first_id("SELECT id FROM r2_crm_device ORDER BY id LIMIT 1")
    open_form(driver, base_url, "r2.crm.device", device)
    hits += hits_of(driver, "device form", english)
    partner = record_id("r2_crm.r2_crm_partner_kowalski_demo")
    open_form(driver, base_url, "res.partner", partner, ".o_form_view .o_mail_thread")
    hits += hits_of(driver, "partner form", english)
    invoice = first_id(
        "SELECT id FROM account_invoice WHERE r2_crm_case_id IS NOT NULL "
        "ORDER BY id LIMIT 1"
    )
    open_form(
        driver, base_url, "account.invoice", invoice, ".o_form_view .o_mail_thread"
    )
    hits += hits_of(driver, "invoice made from a contract", english)
    campaign = first_id("SELECT id FROM r2_crm_campaign ORDER BY id LIMIT 1")
    open_form(driver, base_url, "r2.crm.campaign", campaign)
    hits += hits_of(driver, "campaign statistics", english)
    assert not hits, "English on the clerk's screens:\n" + "\n".join(hits)


def test_the_customer_and_the_manager_see_no_english(driver, base_url, english):
    hits = []
    login(driver, base_url, *PORTAL_LOGIN, lands=".o_portal_my_home")
    driver.get(base_url + "/my/cases")
    wait_css(driver, ".o_r2crm_portal_cases").find_element(By.CSS_SELECTOR, "a").click()
    wait_css(driver, ".o_r2crm_portal_case")
    hits += hits_of(driver, "portal case page", english)
    driver.get(base_url + "/my/cases/987654321")
    wait_css(driver, ".o_r2crm_portal_not_found")
    hits += hits_of(driver, "portal: a case not found", english)
    driver.get(base_url + "/web/session/logout")
    login(driver, base_url, *MANAGER_LOGIN)
    driver.get(base_url + "/web#action=r2_crm.r2_crm_import_wizard_action")
    driver.refresh()
    wait_css(driver, ".modal select[name='kind']")
    hits += hits_of(driver, "import wizard", english)
    assert not hits, "English on the screens:\n" + "\n".join(hits)


def test_the_lists_fit_a_1366_pixel_screen(base_url):
    """KONTAKTY, the case lists and the devices need no sideways scrolling,
    as the manager sees them: every department's rows."""
    driver = make_driver(1366, 800)
    try:
        login(driver, base_url, *MANAGER_LOGIN)
        for menu in (
            "Kontakty",
            "Sprawy serwisowe",
            "Kontrakty sprzedażowe",
            "Wszystkie kontrakty i sprawy",
            "Urządzenia",
        ):
            open_menu(driver, menu)
            wait_for_view(driver, ".o_list_view")
            scroll, width = driver.execute_script(
                "var c = document.querySelector('.o_content');"
                "return [c.scrollWidth, c.clientWidth];"
            )
            assert scroll <= width, "%s scrolls sideways: %d > %d" % (
                menu,
                scroll,
                width,
            )
    finally:
        driver.quit()


def test_an_empty_product_table_does_not_scroll(driver, base_url):
    login(driver, base_url, "handel", "handel")
    open_menu(driver, "Kontrakty sprzedażowe")
    wait_for_view(driver, ".o_list_view")
    driver.find_element(By.CSS_SELECTOR, ".o_list_button_add").click()
    wait_for_view(driver, ".o_form_view.o_form_editable")
    wait_css(driver, ".o_r2crm_lines .table-responsive")
    scroll, width = driver.execute_script(
        "var t = document.querySelector('.o_r2crm_lines .table-responsive');"
        "return [t.scrollWidth, t.clientWidth];"
    )
    assert scroll <= width, "the empty product lines scroll: %d > %d" % (scroll, width)
