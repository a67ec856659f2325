"""A Python client generated from openapi.yaml by openapi-python-client drives a live server."""

import importlib
import re
import subprocess
import sys
import uuid
from functools import cache
from pathlib import Path

import pytest
import yaml

from tests.conftest import SEEDS
from tests.tooling import CONTRACT_TOOLS, OPENAPI_YAML, live_server, openapi_document

PACKAGE = "claims_api_client"
# Operations openapi-python-client leaves out, with its reason; any other one left out fails.
NOT_GENERATED = {"createImport": "it cannot send an application/x-ndjson body"}


@pytest.fixture(scope="module")
def sdk(tmp_path_factory):
    """The generated client package, built and installed (by pip) into a temporary folder."""
    work = tmp_path_factory.mktemp("sdk")
    bin_dir = Path(sys.executable).parent
    generate = [
        str(bin_dir / "openapi-python-client"), "generate", "--path", str(OPENAPI_YAML),
        "--config", str(CONTRACT_TOOLS / "openapi-python-client.yaml"), "--meta", "pdm",
        "--output-path", str(work / "claims-api-client"),
    ]  # fmt: skip
    generated = run(generate)
    skipped = set(re.findall(r"WARNING parsing \S+ (\S+) within", generated))
    assert skipped <= {path_of(name) for name in NOT_GENERATED}, generated
    install = [
        sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
        "--target", str(work / "site"), str(work / "claims-api-client"),
    ]  # fmt: skip
    run(install)
    sys.path.insert(0, str(work / "site"))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(work / "site"))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def path_of(operation_id: str) -> str:
    return next(
        path
        for path, item in openapi_document()["paths"].items()
        for op in item.values()
        if isinstance(op, dict) and op.get("operationId") == operation_id
    )


@pytest.fixture
def server(seeded, database_url, tmp_path):
    """A gunicorn serving the seeded database of this test."""
    with live_server(database_url, tmp_path / "gunicorn.log") as base_url:
        yield base_url


@pytest.fixture
def client(sdk, server, writer):
    """A generated client for the live server, holding an API key with the `write` scope."""
    token = writer["Authorization"].removeprefix("Bearer ")
    return sdk.AuthenticatedClient(base_url=server, token=token, raise_on_unexpected_status=True)


def operation(name: str):
    """The generated module for an operationId, e.g. `listSpeakerClaims`."""
    tag = operation_tags()[name]
    module = "".join(f"_{char.lower()}" if char.isupper() else char for char in name)
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{module}")


@cache
def operation_tags() -> dict[str, str]:
    """operationId -> the tag that names its package in the generated client."""
    return {
        op["operationId"]: op["tags"][0]
        for item in openapi_document()["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }


def seeded_claims_of(speaker_slug: str) -> list[str]:
    annotations = yaml.safe_load((SEEDS / "annotations.yaml").read_text(encoding="utf-8"))
    return [claim["text"] for claim in annotations["claims"] if claim["speaker"] == speaker_slug]


def test_reads_the_seeded_khashan_statements_with_typed_models(sdk, client):
    speakers = operation("listSpeakers").sync(client=client, name="Khashan")
    (khashan,) = speakers.data
    assert isinstance(khashan, sdk.models.Speaker) and khashan.slug == "hilal-khashan"

    page = operation("listSpeakerClaims").sync(client=client, speaker_id=khashan.id, limit=100)

    assert isinstance(page, sdk.models.ClaimPage) and page.next_cursor is None
    assert sorted(claim.text for claim in page.data) == sorted(seeded_claims_of("hilal-khashan"))
    for claim in page.data:
        article = operation("getArticle").sync(client=client, article_id=claim.article.id)
        assert article.body[claim.start : claim.end] == claim.text
        assert claim.outlet.id == article.outlet.id and claim.speaker.id == khashan.id


def test_pages_through_every_claim_with_the_cursor(sdk, client):
    list_claims = operation("listClaims")
    everything = list_claims.sync(client=client, limit=100)
    seen, cursor = [], sdk.types.UNSET
    while True:
        page = list_claims.sync(client=client, limit=4, cursor=cursor)
        seen += [claim.id for claim in page.data]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [claim.id for claim in everything.data] and len(seen) > 4


def test_creates_and_updates_with_a_key_an_idempotency_key_and_if_match(sdk, client):
    models = sdk.models
    once = str(uuid.uuid4())
    outlet_body = models.OutletCreate(name="Levant Weekly", country="LB", ownership="private")
    created = operation("createOutlet").sync_detailed(
        client=client, body=outlet_body, idempotency_key=once
    )
    replayed = operation("createOutlet").sync_detailed(
        client=client, body=outlet_body, idempotency_key=once
    )
    assert created.status_code == replayed.status_code == 201
    outlet = created.parsed
    assert isinstance(outlet, models.Outlet) and replayed.parsed.id == outlet.id
    assert created.headers["Location"].endswith(f"/v1/outlets/{outlet.id}")

    body = "The minister said the border crossing would reopen next week."
    article = operation("createArticle").sync(
        client=client,
        body=models.ArticleCreate(
            outlet_id=outlet.id,
            url="https://levant.example/crossing",
            headline="Crossing",
            body=body,
        ),
        idempotency_key=str(uuid.uuid4()),
    )
    speaker = operation("createSpeaker").sync(
        client=client,
        body=models.SpeakerCreate(name="Samir Haddad", kind="person"),
        idempotency_key=str(uuid.uuid4()),
    )
    claim = operation("createClaim").sync(
        client=client,
        body=models.ClaimCreate(
            article_id=article.id,
            speaker_id=speaker.id,
            quote_type="indirect",
            cue="said",
            text="the border crossing would reopen next week",
        ),
        idempotency_key=str(uuid.uuid4()),
    )
    assert isinstance(claim, models.Claim)
    assert body[claim.start : claim.end] == claim.text and claim.outlet.id == outlet.id

    fetched = operation("getClaim").sync_detailed(client=client, claim_id=claim.id)
    etag = fetched.headers["ETag"]
    update = operation("updateClaim")
    updated = update.sync_detailed(
        client=client, claim_id=claim.id, body=models.ClaimPatch(cue="announced"), if_match=etag
    )
    assert updated.status_code == 200 and updated.parsed.cue == "announced"
    assert updated.headers["ETag"] != etag

    stale = update.sync_detailed(
        client=client, claim_id=claim.id, body=models.ClaimPatch(cue="claimed"), if_match=etag
    )
    assert stale.status_code == 412 and isinstance(stale.parsed, models.Problem)


def test_an_invalid_claim_is_a_typed_422_problem(sdk, client):
    khashan = operation("listSpeakers").sync(client=client, name="Khashan").data[0]
    article = operation("listArticles").sync(client=client).data[0]

    answer = operation("createClaim").sync_detailed(
        client=client,
        body=sdk.models.ClaimCreate(
            article_id=article.id,
            speaker_id=khashan.id,
            quote_type="direct",
            text="words that appear nowhere in the article",
        ),
    )

    assert answer.status_code == 422
    problem = answer.parsed
    assert isinstance(problem, sdk.models.Problem) and problem.status == 422
    assert [error.pointer for error in problem.errors] == ["#/text"]
