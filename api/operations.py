"""Health endpoints for orchestrators and load balancers."""

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from api.blueprint import Blueprint
from models import database

blp = Blueprint("operations", __name__, description="Liveness and readiness probes.")


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})


class ReadinessSchema(Schema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(["ok", "degraded"]),
        metadata={"description": "`degraded`: serving, but see `reasons`", "example": "ok"},
    )
    reasons = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "What is degraded (empty when `ok`)", "example": []},
    )


@blp.route("/livez")
class Liveness(MethodView):
    @blp.doc(operationId="getLiveness")
    @blp.response(200, HealthSchema)
    def get(self):
        """Is the process up?

        Checks no dependency: for a liveness probe, which restarts the process when it
        fails.
        """
        return {"status": "ok"}


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.doc(operationId="getReadiness")
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    @blp.response(200, ReadinessSchema)
    def get(self):
        """Can the service answer?

        Checks that the database answers a query: for a readiness probe, which takes the
        instance out of the load balancer while it answers 503. A dependency the service
        can do without for a while (Redis for the rate-limit counters) makes it `degraded`:
        still 200, with the reasons listed.
        """
        database.execute_sql("SELECT 1")  # failures are answered 503 by the error handlers
        reasons = current_app.extensions["rate_limits"].health()
        return {"status": "degraded" if reasons else "ok", "reasons": reasons}
