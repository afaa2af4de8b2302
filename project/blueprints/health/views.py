"""Probes for a load balancer or an orchestrator; no login, nothing but revision ids."""
import logging

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from project.blueprints.health import bp
from project.schema.applying.pending import partly_applied_revision, pending_revisions

logger = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    """200 while the process serves requests; it asks nothing of the database."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """200 when the database answers and its schema is at the head of the history, else 503.

    A deploy that routes traffic only to ready instances never sends a user to
    code whose schema is not there yet.
    """
    migrate = current_app.extensions["migrate"]
    try:
        partial = partly_applied_revision(migrate.db.engine)
        pending = pending_revisions(migrate.migrate.get_config(), migrate.db.engine)
    except SQLAlchemyError as error:
        # The reason goes to the log; the probe's answer names no host or user.
        logger.warning("readiness: the database does not answer: %s", type(error).__name__)
        return {"status": "unavailable", "reason": "the database does not answer"}, 503
    if partial:
        # Neither applied nor rolled back: `flask db resolve` must settle it first.
        return {"status": "partly applied", "partly_applied_revision": partial}, 503
    if pending:
        return {"status": "behind", "pending_revisions": pending}, 503
    return {"status": "ready"}
