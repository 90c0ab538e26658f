"""The customer follows his repair from his phone (#27): the QR code of the
intake protocol opens the case's page through its token link, without an
account, and says where the repair stands."""

from selenium.webdriver.common.by import By

from e2e.browser import severe_console_errors, wait_css
from e2e.test_service_quote import SERVICE_LOGIN, intake, logout, rpc


def test_the_token_link_shows_the_status_without_logging_in(driver, base_url):
    call = rpc(base_url, *SERVICE_LOGIN)
    case_id = intake(
        call, "Drukarka do przeglądu", "Drukarka fiskalna Thermal", "E2E-FOLLOW"
    )
    case = call("r2.crm.case", "read", [case_id], ["name", "access_token"])[0]

    logout(driver, base_url)
    driver.get(
        base_url + "/my/cases/%d?access_token=%s" % (case_id, case["access_token"])
    )
    page = wait_css(driver, ".o_r2crm_portal_case")
    assert case["name"] in page.text, page.text
    assert wait_css(driver, ".o_r2crm_progress").text.strip() == "w naprawie"
    assert not driver.find_elements(By.CSS_SELECTOR, "input[name=password]")
    assert severe_console_errors(driver) == []
