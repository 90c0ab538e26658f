"""The customer follows his repair from his phone (#27): the QR code of the
intake protocol opens the case's page through its token link, without an
account, and says where the repair stands."""

import time

from selenium.webdriver.common.by import By

from e2e.browser import severe_console_errors, wait_css
from e2e.test_service_quote import SERVICE_LOGIN, logout, rpc


def test_the_token_link_shows_the_status_without_logging_in(driver, base_url):
    call = rpc(base_url, *SERVICE_LOGIN)
    partner = call(
        "res.partner", "search", [("name", "=", "Kowalski i Syn Sp. z o.o.")]
    )[0]
    s1 = call("r2.crm.result", "search", [("code", "=", "S1")])[0]
    note = call(
        "r2.crm.contact",
        "create",
        {
            "type": "note",
            "purpose": "service",
            "partner_id": partner,
            "name": "Drukarka do przeglądu",
            "item_description": "Drukarka fiskalna Thermal",
            "device_serial": "E2E-FOLLOW-%d" % int(time.time()),
            "result_id": s1,
        },
    )
    case_id = call("r2.crm.contact", "read", [note], ["case_id"])[0]["case_id"][0]
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
