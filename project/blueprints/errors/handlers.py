from flask import render_template
from sqlalchemy.orm.exc import StaleDataError

from project.blueprints.errors import bp
from project.extensions import db


@bp.app_errorhandler(StaleDataError)
def changed_meanwhile(error):
    """A row changed or deleted by another request between this one's read and its write.

    Its version (version_id_col) no longer matched, so nothing was written; the
    person tries again on what is there now. (The task edit form answers this
    itself, with both versions side by side.)
    """
    db.session.rollback()
    return render_template("errors/409.html"), 409
