"""Health endpoints for orchestrators and load balancers."""

from flask.views import MethodView
from marshmallow import Schema, fields

from api.blueprint import Blueprint
from models import database

blp = Blueprint("operations", __name__, description="Liveness and readiness probes.")


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})


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
    @blp.response(200, HealthSchema)
    def get(self):
        """Can the service answer?

        Checks that the database answers a query: for a readiness probe, which takes the
        instance out of the load balancer while it answers 503.
        """
        database.execute_sql("SELECT 1")  # failures are answered 503 by the error handlers
        return {"status": "ok"}
