"""Take the README's screenshots and protocol pages from a running demo
database (make run), in Polish, as the demo clerks see them.

Usage: .venv/bin/python -m e2e.screenshots [http://localhost:8069]
"""

import os
import subprocess
import sys
import tempfile
import time

import requests
from selenium.webdriver.common.by import By

from e2e.browser import (
    draw_stroke,
    import_sample,
    login,
    make_driver,
    open_menu,
    screenshot,
    sign_note,
    wait_css,
    wait_for_view,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")


def shot(driver, name):
    time.sleep(1.0)
    print(screenshot(driver, os.path.join(DOCS, name + ".png")))


def open_row(driver, text):
    driver.find_element(
        By.XPATH, "//tr[contains(@class, 'o_data_row')][contains(., '%s')]" % text
    ).click()
    wait_for_view(driver, ".o_form_view")
    return int(driver.current_url.split("id=")[1].split("&")[0])


def protocol_page(driver, base_url, report, note_id, name):
    """The protocol's (or quote's) first page as a PNG, printed with the
    clerk's session."""
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    response = requests.get(
        "%s/report/pdf/r2_crm.%s/%d" % (base_url, report, note_id),
        cookies=cookies,
        timeout=120,
    )
    response.raise_for_status()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(response.content)
        pdf.flush()
        out = os.path.join(DOCS, name)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-singlefile", pdf.name, out], check=True
        )
    print(out + ".png")


def search_id(driver, base_url, model, name):
    """The id of the ``model`` record named ``name``, with the browser's session."""
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    response = requests.post(
        base_url + "/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": "search",
                "args": [[("name", "=", name)]],
                "kwargs": {},
            },
        },
        cookies=cookies,
        timeout=60,
    )
    response.raise_for_status()
    return response.json()["result"][0]


def main(base_url):
    driver = make_driver(1400, 860)
    try:
        login(driver, base_url, "serwis", "serwis")
        wait_for_view(driver, ".o_list_view")
        shot(driver, "01_my_tasks_today")
        open_menu(driver, "Kontakty")
        wait_for_view(driver, ".o_list_view")
        shot(driver, "02_contacts_list")
        intake = open_row(driver, "Przyjęcie kasy do naprawy")
        driver.back()
        wait_for_view(driver, ".o_list_view")
        closing = open_row(driver, "Drukarka wydana klientowi")
        driver.find_element(By.XPATH, "//a[normalize-space()='Historia']").click()
        shot(driver, "03_contact_history")
        protocol_page(
            driver, base_url, "report_intake_protocol", intake, "protocol_intake"
        )
        # the intake of a till the shop repaired before: its earlier case
        driver.get(
            "%s/web#model=r2.crm.contact&view_type=form&id=%d" % (base_url, intake)
        )
        wait_css(driver, ".o_form_view .o_r2crm_known_device")
        earlier = wait_css(driver, ".o_form_view [name='device_case_ids']")
        driver.execute_script("arguments[0].scrollIntoView(false);", earlier)
        shot(driver, "07_intake_known_device")
        sign_note(driver, "Jan Kowalski")
        protocol_page(
            driver,
            base_url,
            "report_intake_protocol",
            intake,
            "protocol_intake_signed",
        )
        protocol_page(
            driver,
            base_url,
            "report_completion_protocol",
            closing,
            "protocol_completion",
        )
        open_menu(driver, "Sprawy serwisowe")
        wait_for_view(driver, ".o_list_view")
        shot(driver, "04_cases_wiek")

        # the repair quote of the till: sent to Kowalski i Syn, who accepts it
        repair = open_row(driver, "Kasa fiskalna Posnet Ergo, SN ABC123456")
        wait_css(driver, ".o_form_view.o_form_readonly")
        driver.find_element(
            By.XPATH, "//button[normalize-space()='Wyślij kosztorys']"
        ).click()
        wait_css(driver, ".o_form_view .o_r2crm_banner")
        shot(driver, "10_case_quote")
        protocol_page(driver, base_url, "report_repair_quote", repair, "quote_repair")

        driver.get(base_url + "/web/session/logout")
        login(driver, base_url, "handel", "handel")
        wait_for_view(driver, ".o_control_panel")
        open_menu(driver, "Kontrakty sprzedażowe")
        wait_for_view(driver, ".o_list_view")
        shot(driver, "06_sales_contracts")
        open_menu(driver, "Kampanie")
        wait_for_view(driver, ".o_list_view")
        open_row(driver, "Targi Retail")
        shot(driver, "05_campaign_statistics")

        # the customer's side: Jan Kowalski follows his company's case
        driver.get(base_url + "/web/session/logout")
        login(driver, base_url, "klient", "klient", lands=".o_portal_my_home")
        driver.get(base_url + "/my/cases")
        wait_css(driver, "table.o_r2crm_portal_cases a").click()
        wait_css(driver, ".o_r2crm_portal_case")
        shot(driver, "08_portal_case")
        driver.get("%s/my/cases/%d" % (base_url, repair))
        draw_stroke(driver, wait_css(driver, ".o_r2crm_quote_pad canvas"))
        shot(driver, "11_portal_quote")

        # switching from R2faktury: the manager imports the sample cases, then
        # a dry run of the sample KONTAKTY
        driver.get(base_url + "/web/session/logout")
        login(driver, base_url, "admin", "admin")
        wait_for_view(driver, ".o_control_panel")
        import_sample(driver, base_url, "cases", "sprawy_wzor.csv", dry_run=False)
        import_sample(driver, base_url, "contacts", "kontakty_wzor.csv")
        shot(driver, "09_import_dry_run")

        # RODO: the erasure's confirmation step on a customer (not confirmed)
        partner = search_id(driver, base_url, "res.partner", "Nowak Handel")
        driver.get(base_url + "/web#id=%d&model=res.partner&view_type=form" % partner)
        wait_for_view(driver, ".o_form_view")
        driver.find_element(
            By.XPATH, "//button[contains(., 'Usuń dane osobowe')]"
        ).click()
        wait_css(driver, ".modal .o_form_view")
        shot(driver, "12_rodo_erase")
    finally:
        driver.quit()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8069")
