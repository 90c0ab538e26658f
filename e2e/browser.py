"""Headless Debian Chromium driven by selenium, for r2_crm's browser tests."""

import glob
import os
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def make_driver(width=1400, height=900):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
        "--window-size=%d,%d" % (width, height),
        "--user-data-dir=%s" % tempfile.mkdtemp(prefix="r2crm-chromium-"),
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def wait_css(driver, selector, timeout=30):
    return WebDriverWait(driver, timeout).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, selector))
    )


def login(
    driver, base_url, login_name="admin", password="admin", lands="#oe_main_menu_navbar"
):
    """Log in through the form; ``lands``: what the first page shows (the
    backend's menu bar, or the portal's ".o_portal_my_home" for a customer)."""
    driver.get(base_url + "/web/login")
    wait_css(driver, "input[name=login]").send_keys(login_name)
    driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(password)
    driver.find_element(
        By.CSS_SELECTOR, "form.oe_login_form button[type=submit]"
    ).click()
    wait_css(driver, lands)


def severe_console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def wait_for_view(driver, selector, timeout=30):
    """Wait until the action manager shows a view matching selector."""
    element = wait_css(driver, selector, timeout)
    time.sleep(0.5)  # let the last RPCs of the view settle
    return element


def screenshot(driver, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    driver.save_screenshot(path)
    return path


def open_menu(driver, label, timeout=60):
    """Click a menu entry of the current app's left menu by its label, and
    wait until the action it opens has replaced the one shown before: until
    then the old view still matches what a test waits for (a list view), and
    on a busy machine the test read the old breadcrumb."""
    entry = WebDriverWait(driver, 30).until(
        EC.element_to_be_clickable(
            (By.XPATH, "//a[@data-menu]/span[normalize-space()='%s']" % label)
        )
    )
    crumbs = driver.find_elements(By.CSS_SELECTOR, ".o_control_panel .breadcrumb")
    before = (crumbs[0], crumbs[0].text) if crumbs else None
    entry.click()
    if before:
        WebDriverWait(driver, timeout).until(lambda _driver: _replaced(*before))


def _replaced(element, text):
    """Whether ``element`` (a breadcrumb) left the page or shows another text."""
    try:
        return element.text != text
    except StaleElementReferenceException:
        return True


def assert_no_style_error(driver):
    boxes = driver.find_elements(By.XPATH, "//*[contains(text(), 'Style error')]")
    assert not boxes, "the backend assets failed to compile (Style error box)"


def fill(driver, name, value):
    """Type into a char or text field of the open form, by field name."""
    field = wait_css(driver, ".o_form_view [name='%s']" % name)
    field.clear()
    field.send_keys(value)


def pick_many2one(driver, name, text):
    """Type into a many2one and choose the first suggestion containing text."""
    field = wait_css(driver, ".o_form_view div[name='%s'] input" % name)
    field.clear()
    field.send_keys(text)
    item = WebDriverWait(driver, 20).until(
        EC.element_to_be_clickable(
            (
                By.XPATH,
                "//ul[contains(@class, 'ui-autocomplete')]"
                "//a[contains(normalize-space(), '%s')]" % text,
            )
        )
    )
    item.click()


def click_button(driver, label):
    button = WebDriverWait(driver, 20).until(
        EC.element_to_be_clickable(
            (
                By.XPATH,
                "//button[normalize-space()='%s'] | //a[normalize-space()='%s']"
                % (label, label),
            )
        )
    )
    button.click()


def form_field_text(driver, name):
    return wait_css(driver, ".o_form_view [name='%s']" % name).text


def enable_downloads(driver, path):
    """Let headless Chromium save downloads (the PDF a report sends) in path."""
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": path}
    )


def wait_download(path, pattern="*.pdf", timeout=120):
    """The file a download saved in path, once it is complete."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        done = [
            name
            for name in glob.glob(os.path.join(path, pattern))
            if not name.endswith(".crdownload")
        ]
        if done:
            return done[0]
        time.sleep(0.5)
    raise AssertionError("nothing was downloaded to %s" % path)


def press(driver, key):
    """Press a key (selenium's Keys.F2, say) in the page."""
    ActionChains(driver).send_keys(key).perform()


def draw_stroke(driver, canvas):
    """A zigzag drawn with the mouse across a signing pad's canvas, as a
    finger would sign."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", canvas)
    time.sleep(0.3)
    chain = ActionChains(driver).move_to_element_with_offset(canvas, -120, 10)
    chain.click_and_hold()
    for step in range(10):
        chain.move_by_offset(22, -12 if step % 2 else 12)
    chain.release().perform()


def draw_signature(driver):
    """Sign the open dialog's pad with the mouse."""
    draw_stroke(driver, wait_css(driver, ".modal .o_r2crm_sign_pad canvas"))


def sign_note(driver, signer):
    """The customer signs the open note (Klient podpisuje): a stroke on the
    pad, their name typed over the one proposed. Returns the proposed name."""
    click_button(driver, "Klient podpisuje")
    draw_signature(driver)
    name = wait_css(driver, ".modal [name='signed_by']")
    proposed = name.get_attribute("value")
    name.clear()
    name.send_keys(signer)
    driver.find_element(
        By.XPATH,
        "//div[contains(@class, 'modal-footer')]//button[normalize-space()='Podpisz']",
    ).click()
    WebDriverWait(driver, 30).until(
        EC.invisibility_of_element_located((By.CSS_SELECTOR, ".modal"))
    )
    return proposed


SAMPLES = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    "r2_crm",
    "static",
    "import",
)


def import_sample(driver, base_url, kind, name, dry_run=True):
    """Import from R2faktury (as a CRM manager): read the sample file ``name``
    of ``kind`` (contacts or cases), letting the import create customers;
    returns the wizard's modal once its figures show."""
    driver.get(base_url + "/web#action=r2_crm.r2_crm_import_wizard_action")
    driver.refresh()  # a fresh wizard, also after another one
    wait_css(driver, ".modal select[name='kind']").find_element(
        By.XPATH, ".//option[contains(@value, '%s')]" % kind
    ).click()
    driver.find_element(By.CSS_SELECTOR, ".modal input.o_input_file").send_keys(
        os.path.join(SAMPLES, name)
    )
    driver.find_element(
        By.CSS_SELECTOR, ".modal div[name='create_partners'] input"
    ).click()
    if not dry_run:
        driver.find_element(By.CSS_SELECTOR, ".modal div[name='dry_run'] input").click()
    driver.find_element(By.CSS_SELECTOR, ".modal button[name='action_import']").click()
    wait_css(driver, ".modal [name='log']")
    return driver.find_element(By.CSS_SELECTOR, ".modal")
