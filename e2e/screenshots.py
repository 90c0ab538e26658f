"""Take the README's screenshots from a running demo database (make run).

Usage: .venv/bin/python -m e2e.screenshots [http://localhost:8069]
"""

import os
import sys
import time

from selenium.webdriver.common.by import By

from e2e.browser import (
    login,
    make_driver,
    open_menu,
    screenshot,
    wait_css,
    wait_for_view,
)

DOCS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs")


def shot(driver, name):
    time.sleep(1.0)
    print(screenshot(driver, os.path.join(DOCS, name + ".png")))


def clear_facets(driver):
    for remove in driver.find_elements(By.CSS_SELECTOR, ".o_facet_remove"):
        remove.click()
        time.sleep(0.8)


def open_row(driver, text):
    driver.find_element(
        By.XPATH, "//tr[contains(@class, 'o_data_row')][contains(., '%s')]" % text
    ).click()
    wait_for_view(driver, ".o_form_view")


def main(base_url):
    driver = make_driver(1400, 860)
    try:
        login(driver, base_url)
        wait_for_view(driver, ".o_list_view")
        shot(driver, "01_my_tasks_today")
        open_menu(driver, "Contacts")
        wait_for_view(driver, ".o_list_view")
        shot(driver, "02_contacts_list")
        open_row(driver, "Drukarka wydana klientowi")
        driver.find_element(By.XPATH, "//a[normalize-space()='History']").click()
        shot(driver, "03_contact_history")
        open_menu(driver, "Contracts/Cases")
        wait_for_view(driver, ".o_list_view")
        clear_facets(driver)
        wait_css(driver, ".o_list_view")
        shot(driver, "04_cases_wiek")
        open_menu(driver, "Campaigns")
        wait_for_view(driver, ".o_list_view")
        open_row(driver, "Targi Retail")
        shot(driver, "05_campaign_statistics")
    finally:
        driver.quit()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8069")
