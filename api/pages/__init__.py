"""/read: server-rendered pages for people who would rather look than read JSON. An article
with its claims highlighted in place, an event's outlets side by side, a speaker's statements
in context, and the extractor's pending proposals in the article to review. Stored text is
hostile input: templates autoescape it, and a strict Content-Security-Policy allows only this
app's own stylesheet and script, which talks to this app's API only."""

import re
from collections import Counter

from flask import Blueprint, Response, abort, current_app, render_template
from werkzeug.routing import ValidationError

from api.blueprint import IdConverter
from api.pages.highlights import highlighted, in_context
from models import QUOTE_TYPES, SPEAKER_KINDS, Article, Claim, Event, Outlet, Speaker
from models.event import NOT_CARRIED_REASONS
from models.proposal import REVIEWABLE, Proposal

LISTED = 100  # items of each kind on the index page; the JSON lists them all
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SPEAKER_COLOURS = 12  # `speaker-0` … `speaker-11` in pages.css; the label tells speakers apart

blp = Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/read/static",
)


@blp.after_request
def strict_content_security(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


@blp.app_template_filter("speaker_colour")
def speaker_colour(index: int) -> str:
    return f"speaker-{index % SPEAKER_COLOURS}"


def page_id(text: str) -> int:
    """The id a page's URL names, by the rule of the API's URLs; any other text is a 404 (an
    `<id:...>` route would answer a problem document for it, not a page)."""
    converter = IdConverter(current_app.url_map)
    try:
        if re.fullmatch(converter.regex, text):
            return converter.to_python(text)
    except ValidationError:
        pass
    abort(404)


@blp.get("/read")
def index():
    """Where to start: the events, articles and speakers, each a link to its page."""
    return render_template(
        "pages/index.html",
        events=Event.select().order_by(Event.id).limit(LISTED),
        articles=Article.select(Article.id, Article.headline, Outlet.name)
        .join(Outlet)
        .order_by(Article.id)
        .limit(LISTED),
        speakers=Speaker.select().order_by(Speaker.name, Speaker.id).limit(LISTED),
    )


@blp.get("/read/articles/<article_id>")
def article_page(article_id: str):
    """An article's text with every claim highlighted in place, its speakers and a note on
    each claim; the pending proposals marked apart, each with its review controls."""
    article_id = page_id(article_id)
    article = Article.select(Article, Outlet).join(Outlet).where(Article.id == article_id)
    article = article.get_or_none() or abort(404)
    claims = list(
        Claim.with_attribution()
        .where(Claim.article == article_id)
        .order_by(Claim.start, Claim.end.desc(), Claim.id)
    )
    proposals = list(
        Proposal.select()
        .where((Proposal.article == article_id) & (Proposal.status == REVIEWABLE))
        .order_by(Proposal.start, Proposal.end.desc(), Proposal.id)
    )
    speakers = speakers_by_first_claim(claims)
    return render_template(
        "pages/article.html",
        article=article,
        claims=claims,
        proposals=proposals,
        quote_types=QUOTE_TYPES,
        speaker_kinds=SPEAKER_KINDS,
        runs=highlighted(article.body, claims, proposals),
        speakers=speakers,
        colour={speaker.id: index for index, (speaker, _) in enumerate(speakers)},
        number={claim.id: index for index, claim in enumerate(claims, start=1)},
        events=Event.matching(article_id=article_id).order_by(Event.id),
    )


def speakers_by_first_claim(claims: list[Claim]) -> list[tuple[Speaker, Counter]]:
    """Each speaker of `claims` with its counts by quote type, in order of first claim."""
    counts: dict[int, tuple[Speaker, Counter]] = {}
    for claim in claims:
        counts.setdefault(claim.speaker.id, (claim.speaker, Counter()))[1][claim.quote_type] += 1
    return list(counts.values())


@blp.get("/read/events/<event_id>")
def event_page(event_id: str):
    """An event's outlets side by side: whom each quoted and how, the assertions each carried
    (aligned), probably carried or did not carry and why, and the timeline."""
    event = Event.get_or_none(Event.id == page_id(event_id)) or abort(404)
    coverage = event.coverage()
    shared_first = sorted(coverage.assertions, key=lambda item: -len(item.outlets))
    return render_template(
        "pages/event.html",
        event=event,
        coverage=coverage,
        assertions=shared_first,
        reasons=NOT_CARRIED_REASONS,
        timeline=event.timeline(),
    )


@blp.get("/read/speakers/<speaker_id>")
def speaker_page(speaker_id: str):
    """Everything a speaker said, across outlets, each statement in its article's words."""
    speaker = Speaker.get_or_none(Speaker.id == page_id(speaker_id)) or abort(404)
    claims = (
        Claim.with_attribution()
        .where(Claim.speaker == speaker.id)
        .order_by(Outlet.name, Article.id, Claim.start, Claim.id)
    )
    return render_template(
        "pages/speaker.html", speaker=speaker, statements=[in_context(c) for c in claims]
    )


@blp.get("/read/<path:unknown>")
def unknown_page(unknown: str):
    """A reading page that does not exist (an id out of range included) is an HTML 404."""
    abort(404)


@blp.errorhandler(404)
def not_found(error):
    """HTML for the reading pages' 404s; the API's stay problem documents."""
    return render_template("pages/not_found.html"), 404
