"""The seed's service story through the real web client, as a CRM user."""

import re
import time

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from e2e.browser import (
    click_button,
    fill,
    form_field_text,
    login,
    open_menu,
    pick_many2one,
    severe_console_errors,
    wait_css,
    wait_for_view,
)

SERVICE_LOGIN = ("serwis", "serwis")  # demo user of the service department


def wait_readonly_form(driver):
    WebDriverWait(driver, 30).until(
        EC.presence_of_element_located(
            (By.CSS_SELECTOR, ".o_form_view.o_form_readonly")
        )
    )
    time.sleep(0.5)


def test_intake_note_opens_a_case_and_prints_the_protocol(driver, base_url):
    login(driver, base_url, *SERVICE_LOGIN)
    title = wait_for_view(driver, ".o_control_panel .breadcrumb")
    assert "My tasks today" in title.text

    open_menu(driver, "Contacts")
    wait_for_view(driver, ".o_list_view")
    click_button(driver, "Create")
    wait_for_view(driver, ".o_form_view.o_form_editable")
    fill(driver, "name", "Intake from the browser test")
    pick_many2one(driver, "partner_id", "Kowalski i Syn")
    fill(driver, "item_description", "Posnet Ergo, SN E2E-001, power supply")
    fill(driver, "description", "Does not print receipts")
    pick_many2one(driver, "result_id", "S1")
    click_button(driver, "Save")
    wait_readonly_form(driver)

    case_number = form_field_text(driver, "case_id")
    assert re.match(r"^SRV/\d{4}/\d{5}$", case_number), case_number
    note_id = int(re.search(r"id=(\d+)", driver.current_url).group(1))

    driver.find_element(By.CSS_SELECTOR, ".o_form_view [name='case_id']").click()
    WebDriverWait(driver, 30).until(
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".o_form_view h1"), case_number
        )
    )
    wait_readonly_form(driver)
    wiek = form_field_text(driver, "days_left")
    assert re.match(r"^-?\d+$", wiek), wiek
    assert int(wiek) == 14  # the company's default deadline, counted from today
    assert "Open" in wait_css(driver, ".o_statusbar_status .btn-primary").text

    # Print menu of the note, then the PDF itself with the browser's session.
    driver.back()
    WebDriverWait(driver, 30).until(
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".o_form_view h1"), "Intake from the browser test"
        )
    )
    wait_readonly_form(driver)
    print_menu = WebDriverWait(driver, 20).until(
        EC.element_to_be_clickable(
            (
                By.XPATH,
                "//div[contains(@class, 'o_cp_sidebar')]"
                "//button[contains(normalize-space(), 'Print')]",
            )
        )
    )
    print_menu.click()
    entry = WebDriverWait(driver, 20).until(
        EC.element_to_be_clickable(
            (By.XPATH, "//a[normalize-space()='Intake protocol']")
        )
    )
    entry.click()
    time.sleep(2)
    assert not driver.find_elements(
        By.CSS_SELECTOR, ".o_dialog_warning, .modal .o_error_detail"
    )
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    response = requests.get(
        "%s/report/pdf/r2_crm.report_intake_protocol/%d" % (base_url, note_id),
        cookies=cookies,
        timeout=120,
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert severe_console_errors(driver) == []
