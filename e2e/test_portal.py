"""The customer's side, in the real web client: the demo portal customer
(Jan Kowalski of Kowalski i Syn) follows his company's case and downloads its
intake protocol."""

import subprocess
import tempfile

from selenium.webdriver.common.by import By

from e2e.browser import (
    enable_downloads,
    login,
    severe_console_errors,
    wait_css,
    wait_download,
)

PORTAL_LOGIN = ("klient", "klient")


def test_the_customer_opens_his_case_and_downloads_its_protocol(driver, base_url):
    downloads = tempfile.mkdtemp(prefix="r2crm-downloads-")
    enable_downloads(driver, downloads)
    login(driver, base_url, *PORTAL_LOGIN, lands=".o_portal_my_home")
    entry = wait_css(driver, ".o_r2crm_portal_cases")
    assert "Sprawy serwisowe" in entry.text, entry.text
    entry.find_element(By.TAG_NAME, "a").click()

    table = wait_css(driver, "table.o_r2crm_portal_cases")
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr, tr:not(.active)")
    # the demo case in progress (other tests may have opened more)
    in_progress = [
        row
        for row in rows
        if "w naprawie" in row.text and "Kasa fiskalna Posnet" in row.text
    ]
    assert in_progress, table.text
    case_link = in_progress[0].find_element(By.TAG_NAME, "a")
    case_number = case_link.text
    case_link.click()

    page = wait_css(driver, ".o_r2crm_portal_case")
    assert case_number in page.text
    assert "Termin realizacji" in page.text
    assert "Protokół przyjęcia" in page.text
    driver.find_element(By.PARTIAL_LINK_TEXT, "Protokół przyjęcia").click()
    pdf = wait_download(downloads)
    assert pdf.endswith("Protokół przyjęcia %s.pdf" % case_number.replace("/", "-"))
    text = subprocess.check_output(["pdftotext", pdf, "-"]).decode()
    assert case_number in text
    assert "Protokół otwarcia usługi serwisowej" in text
    assert severe_console_errors(driver) == []
