"""The reading pages in headless Chromium with the network closed, driven over the DevTools
protocol (a pipe, no driver or browser download): highlights sit exactly on the claims'
spans, the keyboard reaches each, hostile text stays text, nothing comes from elsewhere. The
screenshots in docs/ are taken here."""

import base64
import json
import os
import subprocess
from pathlib import Path

import pytest

from models import Article, Claim, Outlet, Speaker, database
from tests.tooling import live_server, require_tool

DOCS = Path(__file__).resolve().parent.parent / "docs"
# `UPDATE_SCREENSHOTS=1 pytest tests/test_pages_browser.py` rewrites docs/*.png; else they go to
# a temporary folder, so that a test run leaves the work tree as it was.
UPDATE_SCREENSHOTS = os.environ.get("UPDATE_SCREENSHOTS") == "1"
SCREENSHOTS = {  # page: file in docs/, and at most how tall (the event's page runs long)
    "/read/articles/2": ("read-article.png", 2100),
    "/read/events/1": ("read-event.png", 2300),
    "/read/speakers/1": ("read-speaker.png", 1400),
}
WIDTH = 1360


class Browser:
    """Headless Chromium and one page of it, commanded over --remote-debugging-pipe: JSON
    messages ending in a NUL byte, commands on the child's fd 3, answers and events on fd 4."""

    def __init__(self, chromium: str, profile: Path):
        commands_read, self.commands = os.pipe()
        self.answers, answers_write = os.pipe()

        def on_fds_3_and_4():
            os.dup2(commands_read, 3)
            os.dup2(answers_write, 4)

        self.process = subprocess.Popen(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--remote-debugging-pipe",
                "about:blank",
            ],  # fmt: skip
            pass_fds=(3, 4),
            preexec_fn=on_fds_3_and_4,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_read)
        os.close(answers_write)
        self.buffer, self.events, self.next_id = b"", [], 0
        (page,) = [
            target["targetId"]
            for target in self.send("Target.getTargets")["targetInfos"]
            if target["type"] == "page"
        ]
        self.session = self.send("Target.attachToTarget", targetId=page, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable", session=True)

    def message(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = os.read(self.answers, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self.buffer += chunk
        text, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(text)

    def send(self, method: str, session: bool = False, **params) -> dict:
        """Run one DevTools command and return its result; events meanwhile are kept."""
        self.next_id += 1
        command = {"id": self.next_id, "method": method, "params": params}
        if session:
            command["sessionId"] = self.session
        os.write(self.commands, json.dumps(command).encode() + b"\0")
        while True:
            message = self.message()
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message["result"]
            self.events.append(message)

    def wait_for(self, event: str) -> dict:
        while True:
            for index, message in enumerate(self.events):
                if message.get("method") == event:
                    return self.events.pop(index)
            self.events.append(self.message())

    def open(self, url: str) -> None:
        self.events.clear()
        self.send("Emulation.setDeviceMetricsOverride", session=True, width=WIDTH, height=900,
                  deviceScaleFactor=1, mobile=False)  # fmt: skip
        self.send("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.send(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def press_tab(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", session=True, type=kind, key="Tab", code="Tab",
                      windowsVirtualKeyCode=9)  # fmt: skip

    def requested(self) -> list[str]:
        return [
            message["params"]["request"]["url"]
            for message in self.events
            if message.get("method") == "Network.requestWillBeSent"
        ]

    def screenshot(self, path: Path, most: int) -> None:
        """The page from its top, as tall as its content up to `most` pixels, to a PNG."""
        height = min(most, self.evaluate("document.documentElement.scrollHeight"))
        self.send("Emulation.setDeviceMetricsOverride", session=True, width=WIDTH,
                  height=height, deviceScaleFactor=1, mobile=False)  # fmt: skip
        shot = self.send("Page.captureScreenshot", session=True, format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        os.close(self.commands)
        os.close(self.answers)


@pytest.fixture
def server(seeded, database_url, tmp_path):
    with live_server(database_url, tmp_path / "gunicorn.log") as base_url:
        yield base_url


@pytest.fixture
def browser(tmp_path):
    chromium = require_tool("chromium", "apt-get install chromium (Debian's package)")
    browser = Browser(chromium, tmp_path / "chromium-profile")
    yield browser
    browser.close()


def seed_claims() -> list[dict]:
    with database.connection_context():
        return list(Claim.select(Claim.id, Claim.article, Claim.start, Claim.end).dicts())


HIGHLIGHT_TEXTS = """Object.fromEntries([...new Set([...document.querySelectorAll(
    '#body mark[data-claim]')].map(mark => mark.dataset.claim))].map(id => [id,
    [...document.querySelectorAll('#body mark[data-claim="' + id + '"]')]
        .filter(mark => !mark.parentElement.closest('mark[data-claim="' + id + '"]'))
        .map(mark => mark.textContent).join('')]))"""


def test_every_highlight_sits_exactly_on_its_claims_span(server, browser, client):
    claims = seed_claims()
    for article_id in sorted({claim["article"] for claim in claims}):
        body = client.get(f"/v1/articles/{article_id}").get_json()["body"]
        browser.open(f"{server}/read/articles/{article_id}")
        shown = browser.evaluate(HIGHLIGHT_TEXTS)
        # The text of the page's body is the article's, character for character.
        assert browser.evaluate("document.getElementById('body').textContent") == body
        expected = {
            str(claim["id"]): body[claim["start"] : claim["end"]]
            for claim in claims
            if claim["article"] == article_id
        }
        assert shown == expected
    assert len(claims) == 19


def test_the_keyboard_reaches_every_highlight_in_reading_order(server, browser):
    browser.open(f"{server}/read/articles/2")
    highlights = browser.evaluate(
        "[...document.querySelectorAll('#body mark[tabindex]')].map(mark => mark.id)"
    )
    focused = []
    for _ in range(60):  # the page's links, then the highlights, then the notes' links
        browser.press_tab()
        focused.append(browser.evaluate("document.activeElement.id"))
    reached = [element for element in focused if element.startswith("claim-")]
    assert reached == highlights and len(highlights) == 11
    # Focus on the last highlight lights up its margin note, which names the speaker.
    browser.open(f"{server}/read/articles/2")
    for _ in range(focused.index(highlights[-1]) + 1):
        browser.press_tab()
    assert browser.evaluate("document.activeElement.id") == highlights[-1]
    assert browser.evaluate("document.querySelector('li.note.active .who a').textContent") == (
        "Bouthaina Shaaban"
    )


def test_an_article_holding_a_script_shows_it_as_text_and_runs_nothing(server, browser):
    body = 'Before. <script>window.ran = "body"</script> <img src=x onerror="window.ran=1"> After.'
    with database.connection_context():
        outlet = Outlet.create(slug="hostile", name="<script>window.ran='outlet'</script>")
        article = Article.create(
            outlet=outlet, url="urn:test:hostile", headline="<b>bold</b>", body=body
        )
        speaker = Speaker.create(
            slug="hostile", name='"><script>window.ran="speaker"</script>', kind="person"
        )
        Claim.create_anchored(article, text='<script>window.ran = "body"</script>',
                              speaker=speaker, quote_type="direct", cue="said")  # fmt: skip
    browser.open(f"{server}/read/articles/{article.id}")
    assert browser.evaluate("document.getElementById('body').textContent") == body
    assert browser.evaluate("typeof window.ran") == "undefined"
    assert browser.evaluate("document.querySelectorAll('main script, main img').length") == 0
    assert browser.evaluate("document.querySelector('h1').textContent") == "<b>bold</b>"
    browser.open(f"{server}/read/speakers/{speaker.id}")
    assert browser.evaluate("typeof window.ran") == "undefined"
    assert browser.evaluate("document.querySelector('h1').textContent") == speaker.name


def test_pages_load_only_from_the_app_and_screenshots_go_to_docs(server, browser, tmp_path):
    folder = DOCS if UPDATE_SCREENSHOTS else tmp_path
    for path, (name, height) in SCREENSHOTS.items():
        browser.open(f"{server}{path}")
        assert browser.evaluate("document.styleSheets.length") == 1  # the app's own CSS loaded
        assert [url for url in browser.requested() if not url.startswith(f"{server}/")] == []
        browser.screenshot(folder / name, height)
        assert (folder / name).stat().st_size > 10_000


REVIEWED_BODY = (
    'The mayor spoke on Monday. "We will rebuild the bridge by spring," said Maria Lopez, the '
    'mayor of the town.\n"Nobody will be left behind," Lopez told reporters on Tuesday.\nJohn '
    'Carter, a local engineer, said the river had risen faster than anyone expected.\n"The '
    'water is still rising," said Ahmed Saleh, a resident.'
)


def api_answer(browser: Browser, path: str) -> int:
    """The status of the API's answer to the page's request of `path`, once it has come."""
    while True:
        message = browser.wait_for("Network.responseReceived")
        if message["params"]["response"]["url"].endswith(path):
            return message["params"]["response"]["status"]


def review(browser: Browser, server: str, click: str, path: str) -> None:
    """Press a review control, see the API answer 2xx and the page reload with the result."""
    browser.evaluate(f"document.querySelector({json.dumps(click)}).click()")
    assert api_answer(browser, path) in (200, 201)
    browser.wait_for("Page.loadEventFired")


def test_a_review_round_trip_in_the_page_with_a_pasted_key(
    server, browser, client, issue_key, tmp_path
):
    key = issue_key("write")
    writer = {"Authorization": f"Bearer {key}"}
    created = client.post(
        "/v1/articles",
        json={"outlet_id": 1, "url": "https://example.org/review", "headline": "Review",
              "body": REVIEWED_BODY},
        headers=writer,
    )  # fmt: skip
    article = created.get_json()
    page = f"{server}/read/articles/{article['id']}"
    browser.open(page)
    requested = browser.events[:]  # open() forgets the events of the page before
    assert browser.evaluate("document.querySelector('.needs-script').hidden") is True
    # A wrong key: the API's problem detail is shown, nothing changes.
    browser.evaluate("document.getElementById('api-key').focus()")
    browser.send("Input.insertText", session=True, text="not-a-key")
    browser.evaluate("document.querySelector('button.run-extractor').click()")
    assert api_answer(browser, f"/v1/articles/{article['id']}/proposals") == 401
    shown = ""
    while not shown:  # the page reads the answer's body after its status has come
        shown = browser.evaluate("document.getElementById('review-result').textContent")
    assert shown.startswith("Not done: ") and len(shown) > len("Not done: ")
    # The right key, pasted over the wrong one, runs the extractor.
    browser.evaluate("document.getElementById('api-key').select()")
    browser.send("Input.insertText", session=True, text=key)
    review(browser, server, "button.run-extractor", f"/v1/articles/{article['id']}/proposals")
    proposals = client.get(f"/v1/articles/{article['id']}/proposals").get_json()["data"]
    marked = browser.evaluate("document.querySelectorAll('#body mark.proposal').length")
    assert len(proposals) == marked == 4
    spring, behind, carter, water = proposals
    assert browser.evaluate("document.getElementById('api-key').value") == key  # kept

    review(browser, server, f'li[data-proposal="{spring["id"]}"] button.accept',
           f"/v1/proposals/{spring['id']}/accept")  # fmt: skip
    claim_id = client.get(f"/v1/proposals/{spring['id']}").get_json()["claim_id"]
    assert browser.evaluate("document.getElementById('review-result').textContent") == (
        f"Accepted: claim {claim_id} made. claim {claim_id} (JSON)"
    )
    assert browser.evaluate("document.querySelector('#review-result a').pathname") == (
        f"/v1/claims/{claim_id}"
    )
    folder = DOCS if UPDATE_SCREENSHOTS else tmp_path
    browser.screenshot(folder / "read-review.png", 1500)

    review(browser, server, f'li[data-proposal="{behind["id"]}"] button.reject',
           f"/v1/proposals/{behind['id']}/reject")  # fmt: skip
    corrections = f'li[data-proposal="{carter["id"]}"] form.corrections'
    browser.evaluate(f"""(() => {{ const form = document.querySelector({json.dumps(corrections)});
        form.closest('details').open = true;
        form.elements.speaker_name.value = 'John Carter (engineer)';
        form.elements.speaker_kind.value = 'person';
        form.elements.quote_type.value = 'mixed';
        form.elements.cue.value = 'explained'; }})()""")
    review(browser, server, f"{corrections} button[type=submit]",
           f"/v1/proposals/{carter['id']}/accept")  # fmt: skip
    # Corrected to a stored speaker, by id (the one the first accept created).
    lopez = client.get(f"/v1/claims/{claim_id}").get_json()["speaker"]["id"]
    corrections = f'li[data-proposal="{water["id"]}"] form.corrections'
    browser.evaluate(f"""(() => {{ const form = document.querySelector({json.dumps(corrections)});
        form.closest('details').open = true;
        form.elements.speaker_id.value = '{lopez}';
        form.elements.quote_type.value = 'indirect'; }})()""")
    review(browser, server, f"{corrections} button[type=submit]",
           f"/v1/proposals/{water['id']}/accept")  # fmt: skip
    requested += browser.events

    statuses = {
        p["id"]: (p["status"], p["claim_id"])
        for p in client.get(f"/v1/articles/{article['id']}/proposals").get_json()["data"]
    }
    claims = {
        c["id"]: c for c in client.get(f"/v1/articles/{article['id']}/claims").get_json()["data"]
    }
    corrected, restated = statuses[carter["id"]][1], statuses[water["id"]][1]
    assert statuses == {spring["id"]: ("accepted", claim_id), behind["id"]: ("rejected", None),
                        carter["id"]: ("accepted", corrected),
                        water["id"]: ("accepted", restated)}  # fmt: skip
    assert set(claims) == {claim_id, corrected, restated}
    for claim in claims.values():
        assert claim["text"] == REVIEWED_BODY[claim["start"] : claim["end"]]
    assert claims[claim_id]["text"] == spring["text"]
    assert claims[claim_id]["speaker"]["name"] == "Maria Lopez"
    assert claims[corrected]["text"] == carter["text"]
    assert claims[corrected]["speaker"]["name"] == "John Carter (engineer)"
    assert (claims[corrected]["quote_type"], claims[corrected]["cue"]) == ("mixed", "explained")
    assert claims[restated]["text"] == water["text"] and claims[restated]["cue"] == "said"
    assert claims[restated]["speaker"]["id"] == lopez
    assert claims[restated]["quote_type"] == "indirect"
    # The page now highlights both claims and no proposal.
    assert browser.evaluate(HIGHLIGHT_TEXTS) == {
        str(claim_id): spring["text"],
        str(corrected): carter["text"],
        str(restated): water["text"],
    }
    assert browser.evaluate("document.querySelectorAll('#body mark.proposal').length") == 0

    # The key: in this tab's sessionStorage, in no URL, sent to the API's origin only.
    assert browser.evaluate("sessionStorage.getItem('claims-api-key')") == key
    assert browser.evaluate("localStorage.length") == 0
    sent = [m["params"] for m in requested if m.get("method") == "Network.requestWillBeSent"]
    assert len(sent) > 10
    for request in sent:
        assert key not in request["request"]["url"] and key not in request["documentURL"]
        if "Authorization" in request["request"]["headers"]:
            assert request["request"]["url"].startswith(f"{server}/v1/")
    authorised = [r for r in sent if "Authorization" in r["request"]["headers"]]
    assert len(authorised) == 6  # two extractor runs, three accepts, one reject
    assert key not in browser.evaluate("location.href + document.cookie")


def test_a_proposal_holding_a_script_renders_as_text_in_the_browser(
    server, browser, client, writer
):
    body = REVIEWED_BODY.replace(
        "We will",
        "<script>window.ran = 'proposal'</script><img src=x onerror='window.ran=1'> We will",
    )
    created = client.post(
        "/v1/articles",
        json={"outlet_id": 1, "url": "https://example.org/hostile-review", "headline": "Review",
              "body": body},
        headers=writer,
    )  # fmt: skip
    article = created.get_json()
    run = client.post(f"/v1/articles/{article['id']}/proposals", headers=writer).get_json()
    (hostile,) = [p for p in run["data"] if "<script>" in p["text"]]
    browser.open(f"{server}/read/articles/{article['id']}")
    assert browser.evaluate("typeof window.ran") == "undefined"
    assert browser.evaluate("document.querySelectorAll('main script, main img').length") == 0
    assert browser.evaluate("document.getElementById('body').textContent") == body
    marked = browser.evaluate(
        f"""[...document.querySelectorAll('#body mark[data-proposal="{hostile["id"]}"]')]
            .map(mark => mark.textContent).join('')"""
    )
    assert marked == hostile["text"]
    quoted = f'li[data-proposal="{hostile["id"]}"] blockquote'
    assert browser.evaluate(f"document.querySelector('{quoted}').textContent") == hostile["text"]
