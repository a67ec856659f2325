"""/v1/events: the articles about one happening, compared outlet by outlet."""

from flask.views import MethodView

from api.blueprint import Blueprint, get_or_404
from api.pagination import paginate, paginate_by_position
from models import Event
from schemas.event import (
    CoverageSchema,
    EventPage,
    EventQuery,
    EventSchema,
    TimelinePage,
    TimelineQuery,
)

blp = Blueprint(
    "events",
    __name__,
    url_prefix="/v1/events",
    description="Events: the articles about one happening, and how each outlet covered it.",
)


@blp.route("")
class Events(MethodView):
    @blp.doc(operationId="listEvents")
    @blp.arguments(EventQuery, location="query", as_kwargs=True)
    @blp.response(200, EventPage)
    def get(self, limit, cursor=None, **filters):
        """List events

        Each with its dates, the articles about it and the entities it concerns.
        """
        return paginate(Event.matching(**filters), Event.id, limit, cursor, Event.load_members)


@blp.route("/<id:event_id>")
class EventItem(MethodView):
    @blp.doc(operationId="getEvent")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, EventSchema)
    def get(self, event_id):
        """Get an event with its dates, articles and entities

        The dates are the event's as the articles establish them.
        """
        return get_or_404(Event.select(), Event, event_id)


@blp.route("/<id:event_id>/coverage")
class EventCoverage(MethodView):
    @blp.doc(operationId="getEventCoverage")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, CoverageSchema)
    def get(self, event_id):
        """Compare the outlets: whom each quoted and how, what each carried and left out

        Computed from the data: an assertion is a group of claims linked by `same_assertion`
        (a claim without such a link is one of its own); an outlet carried it if one of its
        claims is in the group. Speakers are counted by quote type, and flagged when no other
        outlet quoted them.

        Time-aware: an assertion an outlet did not carry is `omitted` only if one of the
        outlet's articles appeared after it was made; `after_report` if every article appeared
        before; `unknown_date` when the dates do not tell. An article appeared on its
        `published_on`, or else on the ISO date its `published_on_note` names; an assertion was
        made on a claim's `stated_on` (or the date its `stated_on_note` names), or else no later
        than the first article carrying it, no earlier than an assertion it `updates` and no
        later than one that `updates` it.

        `probably_carried` lists likely matches apart from the confirmed ones: the outlet's
        claims that `/v1/claims/{id}/related/suggestions` proposes for a claim of an assertion
        it did not carry, with their score.
        """
        return get_or_404(Event.select(), Event, event_id).coverage()


@blp.route("/<id:event_id>/timeline")
class EventTimeline(MethodView):
    @blp.doc(operationId="getEventTimeline")
    @blp.arguments(TimelineQuery, location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, TimelinePage)
    def get(self, event_id, limit, cursor=None):
        """List the event's statements in the order they were made

        By the day stated (`stated_on`), or else the day stated by a claim of the same
        assertion (`same_assertion`, `said_on_basis` `inferred`), or else the day the article was
        published; undated statements last, in article and reading order.
        """
        event = get_or_404(Event.select(), Event, event_id)
        return paginate_by_position(event.timeline_entries, limit, cursor)
