"""The seed's service story through the real web client, in Polish, as the
demo service clerk: S1 note, case number, Wiek, F2 prints the protocol."""

import re
import subprocess
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from e2e.browser import (
    click_button,
    enable_downloads,
    fill,
    form_field_text,
    login,
    open_menu,
    pick_many2one,
    press,
    severe_console_errors,
    sign_note,
    wait_css,
    wait_download,
    wait_for_view,
)

SERVICE_LOGIN = ("serwis", "serwis")  # demo clerk of the service department


def wait_readonly_form(driver):
    WebDriverWait(driver, 30).until(
        EC.presence_of_element_located(
            (By.CSS_SELECTOR, ".o_form_view.o_form_readonly")
        )
    )
    time.sleep(0.5)


def test_intake_note_opens_a_case_and_f2_prints_the_polish_protocol(driver, base_url):
    downloads = tempfile.mkdtemp(prefix="r2crm-downloads-")
    enable_downloads(driver, downloads)
    login(driver, base_url, *SERVICE_LOGIN)
    title = wait_for_view(driver, ".o_control_panel .breadcrumb")
    assert "Moje zadania na dziś" in title.text

    open_menu(driver, "Kontakty")
    wait_for_view(driver, ".o_list_view")
    press(driver, Keys.F4)  # R2faktury's F4: the filters
    wait_css(
        driver,
        ".o_search_options .dropdown-menu .o_menu_item, "
        ".o_search_options .open .dropdown-menu",
    )
    press(driver, Keys.ESCAPE)
    click_button(driver, "Utwórz")
    wait_for_view(driver, ".o_form_view.o_form_editable")
    fill(driver, "name", "Przyjęcie z testu przeglądarki")
    pick_many2one(driver, "partner_id", "Kowalski i Syn")
    fill(driver, "item_description", "Posnet Ergo, SN E2E-001, zasilacz")
    fill(driver, "description", "Nie drukuje paragonów")
    pick_many2one(driver, "result_id", "S1")
    click_button(driver, "Zapisz")
    wait_readonly_form(driver)

    case_number = form_field_text(driver, "case_id")
    assert re.match(r"^SRV/\d{4}/\d{5}$", case_number), case_number

    # F2 on the note that opened the case prints its intake protocol
    press(driver, Keys.F2)
    pdf = wait_download(downloads)
    assert pdf.endswith(
        "Protokół przyjęcia %s.pdf" % case_number.replace("/", "-")
    ), pdf
    text = subprocess.check_output(["pdftotext", pdf, "-"]).decode()
    assert "Protokół otwarcia usługi serwisowej" in text
    assert case_number in text
    assert not driver.find_elements(
        By.CSS_SELECTOR, ".o_dialog_warning, .modal .o_error_detail"
    )

    driver.find_element(By.CSS_SELECTOR, ".o_form_view [name='case_id']").click()
    WebDriverWait(driver, 30).until(
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".o_form_view h1"), case_number
        )
    )
    wait_readonly_form(driver)
    wiek = wait_css(driver, ".o_form_view .text-success[name='wiek']").text
    assert wiek == "14 dni", wiek  # the company's default deadline, from today
    assert "otwarty" in wait_css(driver, ".o_statusbar_status .btn-primary").text
    assert severe_console_errors(driver) == []


def count_images(pdf):
    """The images a PDF embeds (not their transparency masks)."""
    listing = subprocess.check_output(["pdfimages", "-list", pdf]).decode()
    rows = [line.split() for line in listing.strip().splitlines()[2:]]
    return sum(1 for row in rows if row[2] == "image")


def test_a_known_device_shows_its_cases_and_the_customer_signs_the_protocol(
    driver, base_url
):
    downloads = tempfile.mkdtemp(prefix="r2crm-downloads-")
    enable_downloads(driver, downloads)
    login(driver, base_url, *SERVICE_LOGIN)
    open_menu(driver, "Kontakty")
    wait_for_view(driver, ".o_list_view")
    click_button(driver, "Utwórz")
    wait_for_view(driver, ".o_form_view.o_form_editable")
    fill(driver, "name", "Kasa wraca na serwis")
    pick_many2one(driver, "partner_id", "Kowalski i Syn")
    # the demo shop repaired this till before: typed another way, it is known
    fill(driver, "device_serial", "abc 123-456")
    press(driver, Keys.TAB)
    known = wait_css(driver, ".o_form_view .o_r2crm_known_device").text
    assert "ABC123456" in known, known
    earlier = wait_css(
        driver, ".o_form_view .o_field_many2many[name='device_case_ids']"
    )
    assert re.search(r"SRV/\d{4}/\d{5}", earlier.text), earlier.text
    # it is in repair now: a second case only when the clerk confirms it
    warning = wait_css(driver, ".o_form_view .o_r2crm_second_case")
    assert re.search(r"SRV/\d{4}/\d{5}", warning.text), warning.text
    tick = warning.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    driver.execute_script("arguments[0].click();", tick)
    fill(driver, "item_description", "Posnet Ergo, nie drukuje")
    pick_many2one(driver, "result_id", "S1")
    click_button(driver, "Zapisz")
    wait_readonly_form(driver)
    case_number = form_field_text(driver, "case_id")
    press(driver, Keys.F2)  # unsigned: the empty line
    unsigned = count_images(wait_download(downloads))

    proposed = sign_note(driver, "Jan Kowalski")
    assert proposed == "", "a company is no signer: the clerk types the person"
    click_button(driver, "Podpis")  # the note's Signature tab
    image = wait_css(driver, ".o_form_view img.o_r2crm_signature")
    assert image.get_attribute("naturalWidth") not in (None, "0")
    assert "Jan Kowalski" in form_field_text(driver, "signed_by")

    downloads = tempfile.mkdtemp(prefix="r2crm-downloads-")
    enable_downloads(driver, downloads)
    press(driver, Keys.F2)
    pdf = wait_download(downloads)
    text = subprocess.check_output(["pdftotext", pdf, "-"]).decode()
    assert case_number in text
    assert "Jan Kowalski" in text and "Podpis klienta" in text
    assert count_images(pdf) == unsigned + 1, "the signature is not in the PDF"
    assert severe_console_errors(driver) == []
