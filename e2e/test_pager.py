"""The KONTAKTY list counts its matches up to the limit and says so in the
pager ("1-3 / 5+"), as the service clerk sees it."""

import os

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from e2e.browser import (
    login,
    screenshot,
    severe_console_errors,
    wait_css,
    wait_for_view,
)
from e2e.conftest import SHOTS
from tools import devtool

LIMIT_PARAM = "r2_crm.pager_count_limit"


def set_limit(value):
    db = os.environ.get("R2CRM_E2E_DB", "r2crm_test")
    problems = devtool.run_script(
        db,
        "env['ir.config_parameter'].set_param(%r, %r)\n" % (LIMIT_PARAM, value),
        "e2e-pager-limit",
    )
    assert not problems, problems


def test_the_pager_shows_the_limit_with_a_plus(driver, base_url):
    set_limit("5")
    try:
        login(driver, base_url, "serwis", "serwis")
        driver.get(
            base_url + "/web#model=r2.crm.contact&view_type=list"
            "&action=r2_crm.r2_crm_contact_action"
        )
        wait_for_view(driver, ".o_list_view")
        WebDriverWait(driver, 30).until(
            lambda d: len(d.find_elements(By.CSS_SELECTOR, ".o_list_view .o_data_row"))
            > 5
        )
        # a page of three: the page is full, so the pager counts the matches
        wait_css(driver, ".o_pager_value").click()
        field = wait_css(driver, ".o_pager_value input")
        # (selenium's clear() leaves the field, which saves the pager at once)
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys("1-3\n")
        WebDriverWait(driver, 30).until(
            lambda d: len(d.find_elements(By.CSS_SELECTOR, ".o_list_view .o_data_row"))
            == 3
        )
        limit = driver.find_element(By.CSS_SELECTOR, ".o_pager_limit")
        WebDriverWait(driver, 30).until(lambda d: limit.text == "5+")
        screenshot(driver, os.path.join(SHOTS, "pager_capped.png"))
        assert severe_console_errors(driver) == []
    finally:
        set_limit(False)
