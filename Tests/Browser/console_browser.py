"""The web console in a real browser: headless Chromium driven by Selenium
against a running cluster (ConsoleBrowserTests.swift starts it and passes
what it knows as JSON in argv[1]). Prints `PASS <check>` or
`FAIL <check>: <why>` per check (with the page's status line and any
JavaScript errors on `INFO` lines after a failure), saves a screenshot per
check, and exits 1 if any check failed.

Every wait is on a condition, never a fixed sleep, with a deadline meant for
a loaded 2-core CI machine running the whole suite beside this browser: a
passing check takes as long as the page needs, only a broken one waits out
the deadline.
"""
import atexit
import json
import os
import signal
import sys
import time
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

config = json.loads(sys.argv[1])
base = config["base"]
shots = config["screenshots"]
os.makedirs(shots, exist_ok=True)
failures = []
# Seconds a wait may take before the check fails: generous, since Chromium
# and three debug-built nodes share 2 cores with the rest of the test suite.
patience = 90


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = config.get("chromium", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--ignore-certificate-errors",
                     "--window-size=1400,1000", "--disable-gpu", "--force-prefers-reduced-motion"]:
        options.add_argument(argument)
    # The page's console messages, reported with a failed check.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(config.get("chromedriver", "/usr/bin/chromedriver")), options=options)


# Started by the Swift test runner from a thread that blocks SIGTERM, this
# process inherits that mask (and would pass it on to chromedriver and
# Chromium): unblock it, so the test's terminate() ends the script, and the
# browser is quit on the way out.
signal.pthread_sigmask(signal.SIG_SETMASK, [])
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
driver = browser()
atexit.register(driver.quit)


def page_report():
    """The URL, the status line and the JavaScript errors of the page: what a failure needs besides its screenshot."""
    lines = [f"url {driver.current_url}"]
    try:
        lines.append("status " + " | ".join(element.text for element in driver.find_elements(By.CSS_SELECTOR, "#status, #login-status")))
    except Exception as error:  # noqa: BLE001 - the report is best effort
        lines.append(f"status unreadable ({type(error).__name__})")
    try:
        for entry in driver.get_log("browser"):
            if entry.get("level") in ("SEVERE", "WARNING"):
                lines.append(f"browser {entry.get('level')} {entry.get('message', '')[:300]}")
    except Exception as error:  # noqa: BLE001
        lines.append(f"browser log unreadable ({type(error).__name__})")
    return lines


def check(name):
    def run(body):
        started = time.time()
        try:
            body()
            print(f"PASS {name} ({time.time() - started:.1f} s)", flush=True)
        except Exception as error:  # noqa: BLE001 - every failure is reported, the run goes on
            detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            failures.append(name)
            print(f"FAIL {name}: {detail} (after {time.time() - started:.1f} s)", flush=True)
            for line in page_report():
                print(f"INFO {name}: {line}", flush=True)
            traceback.print_exc(file=sys.stderr)
        finally:
            driver.save_screenshot(os.path.join(shots, f"{name}.png"))
    return run


def text(selector):
    return driver.find_element(By.CSS_SELECTOR, selector).text


def until(what, condition, seconds=None):
    seconds = seconds or patience
    deadline = time.time() + seconds
    last = None
    while time.time() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # noqa: BLE001 - the page is still changing
            last = error
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}" + (f" ({last})" if last else ""))


def login(token):
    field = until("the Token field", lambda: driver.find_element(By.ID, "token"))
    label = driver.find_element(By.CSS_SELECTOR, "label[for=token]").text
    assert label == "Token", f"the field's label is {label!r}"
    field.clear()
    field.send_keys(token + Keys.ENTER)


def canvas_drawn(selector):
    return driver.execute_script("""
        const canvas = document.querySelector(arguments[0]);
        if (!canvas || !canvas.width) return false;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
        return false;""", selector)


def run_query(query):
    box = until("the query box", lambda: driver.find_element(By.ID, "query"))
    box.clear()
    box.send_keys(query)
    box.send_keys(Keys.ESCAPE)
    box.send_keys(Keys.ENTER)


@check("login-wrong-token")
def _():
    driver.get(base + "/")
    login("not-a-token-of-this-node")
    until("the wrong-token message", lambda: "Wrong token" in text("#login-status"))
    assert driver.execute_script("return sessionStorage.getItem('tributary.token')") is None, "a wrong token was kept"


@check("login")
def _():
    login(config["token"])
    until("the home page", lambda: driver.find_element(By.CSS_SELECTOR, ".home .cards"))
    assert driver.find_element(By.ID, "logout").is_displayed(), "no Log out button"
    assert config["token"] not in driver.current_url, "the token is in the URL"


@check("explore-from-url")
def _():
    driver.get(base + "/explore?query=" + config["logQueryEncoded"] + "&since=15m")
    expected = config["logLines"]
    until(f"{expected} lines", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#lines > li")) == expected)
    assert f"{expected} lines" in text("#summary"), text("#summary")
    until("the histogram drawn", lambda: canvas_drawn("#histogram canvas"))
    first = driver.find_element(By.CSS_SELECTOR, "#lines > li .line")
    first.click()
    until("a line's fields", lambda: driver.find_element(By.CSS_SELECTOR, "#lines > li .details table.fields").is_displayed())


@check("explore-from-box")
def _():
    run_query(config["filterQuery"])
    expected = config["filterLines"]
    until(f"{expected} filtered lines", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#lines > li")) == expected)
    assert all(config["filterWord"] in item.text for item in driver.find_elements(By.CSS_SELECTOR, "#lines .text")), "a line without the filter word"
    until("the query in the URL", lambda: "needle" in driver.current_url)
    until("the histogram drawn", lambda: canvas_drawn("#histogram canvas"))
    driver.back()
    until("the back button's query", lambda: len(driver.find_elements(By.CSS_SELECTOR, "#lines > li")) == config["logLines"])


@check("explore-bad-query")
def _():
    bad = config["badQuery"]
    run_query(bad)
    marker = until("the error position", lambda: driver.find_element(By.ID, "error-position"))
    assert marker.get_attribute("data-position") == str(config["badPosition"]), marker.get_attribute("data-position")
    assert "position" in text(".notice.error"), text(".notice.error")


def append_to_tailed_file(message):
    with open(config["tailedFile"], "a") as file:
        file.write(f"level=info host=web-1 msg={message}\n")


@check("live-tail")
def _():
    run_query(config["logQuery"])
    until("the lines", lambda: driver.find_elements(By.CSS_SELECTOR, "#lines > li"))
    driver.find_element(By.ID, "tail").click()
    # A first line through the whole path (agent, node, WebSocket) shows the
    # tail is running; the lines already stored may be older than the
    # minute the tail starts with when the machine is slow.
    warmup = f"tail-warmup-{time.time_ns()}"
    append_to_tailed_file(warmup)
    until("a first line in the tail", lambda: warmup in text("#tail-lines"))
    # The page notes the moment the timed line is added (a MutationObserver):
    # the delay measured is the console's, not this script's polling.
    marker = f"tail-marker-{time.time_ns()}"
    driver.execute_script("""
        const [marker] = arguments;
        const list = document.getElementById('tail-lines');
        window.tailSeenAt = null;
        const observer = new MutationObserver(() => {
          if (list.textContent.includes(marker)) { window.tailSeenAt = Date.now(); observer.disconnect(); }
        });
        observer.observe(list, {childList: true, subtree: true, characterData: true});""", marker)
    append_to_tailed_file(marker)
    written = time.time()
    seen = until("the new line in the tail", lambda: driver.execute_script("return window.tailSeenAt"))
    elapsed = seen / 1000 - written
    print(f"INFO live tail: the line appeared {elapsed:.2f} s after it was written", flush=True)
    assert elapsed <= 2.0, f"the line took {elapsed:.2f} s (limit 2 s)"
    driver.find_element(By.ID, "pause").click()
    assert driver.find_element(By.ID, "pause").get_attribute("aria-pressed") == "true"
    driver.find_element(By.ID, "tail").click()


@check("metric-chart")
def _():
    driver.get(base + "/graph?query=" + config["metricQueryEncoded"] + "&since=15m")
    expected = config["metricSeries"]
    until(f"{expected} series", lambda: f"{expected} series" in text("#summary"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "#legend li")) == expected
    until("the chart drawn", lambda: canvas_drawn("#graph-output canvas"))
    driver.find_element(By.CSS_SELECTOR, "#legend button").click()
    assert driver.find_element(By.CSS_SELECTOR, "#legend button").get_attribute("aria-pressed") == "false"
    driver.find_element(By.CSS_SELECTOR, "#legend button").click()


@check("deploy-marker")
def _():
    until("the deploy marker", lambda: config["deployText"] in text("#event-markers"))
    assert "change event" in text("#summary"), text("#summary")


@check("cluster-nodes")
def _():
    driver.get(base + "/cluster")
    until("three nodes up", lambda: [row.get_attribute("data-state") for row in driver.find_elements(By.CSS_SELECTOR, "#nodes tbody tr")] == ["up"] * 3)
    # The test kills the node when asked, and answers on stdin.
    print(f"KILL {config['killNode']}", flush=True)
    assert sys.stdin.readline().strip() == "killed", "the test did not kill the node"
    victim = config["killNode"]
    until(f"{victim} marked down", lambda: driver.find_element(By.CSS_SELECTOR, f"#nodes tr[data-node='{victim}']").get_attribute("data-state") == "down")
    states = sorted(row.get_attribute("data-state") for row in driver.find_elements(By.CSS_SELECTOR, "#nodes tbody tr"))
    assert states == ["down", "up", "up"], states


@check("logout")
def _():
    driver.find_element(By.ID, "logout").click()
    until("the login form", lambda: driver.find_element(By.ID, "token"))
    assert driver.execute_script("return sessionStorage.getItem('tributary.token')") is None, "the token was kept"


sys.exit(1 if failures else 0)
