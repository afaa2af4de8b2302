"""One page of a long list: what a list page shows, and all it asks of the database.

The page number comes from `?page=N` (or another argument, for a second list on the
same page). No COUNT of the whole list: one row more
than a page is read to know whether a next page exists, so a page costs the
same for a team of ten tasks or of ten thousand.
"""
from dataclasses import dataclass

from flask import abort, request

from project.extensions import db

# Far beyond any real list; a larger number would overflow the OFFSET it makes.
LAST_PAGE_NUMBER = 100_000


@dataclass
class Page:
    items: list
    number: int
    has_next: bool
    argument: str = "page"

    @property
    def has_previous(self):
        return self.number > 1

    def here(self):
        """The query argument that keeps this list at its page, for the links of another list
        on the same page: none on the first page."""
        return {self.argument: self.number} if self.has_previous else {}

    def link(self, number, arguments):
        """The query arguments of page `number` of this list: its page number first, then
        `arguments` (the page's others, which stay)."""
        others = {name: value for name, value in arguments.items() if name != self.argument}
        return {self.argument: number, **others}


def page_of(query, per_page, argument="page"):
    """The requested page of the rows `query` (a select, in a stable order) returns."""
    return page_read_by(
        lambda limit, offset: db.session.scalars(query.limit(limit).offset(offset)).all(),
        per_page, argument,
    )


def page_read_by(read, per_page, argument="page"):
    """The requested page of a list whose rows `read(limit, offset)` returns, for lists a
    plain LIMIT and OFFSET would read slowly (project/blueprints/tasks/ordering.py); 404
    for a page number that is not a whole number from 1 to LAST_PAGE_NUMBER."""
    number = request.args.get(argument, 1, type=int)
    if not 1 <= number <= LAST_PAGE_NUMBER:
        abort(404)
    rows = read(per_page + 1, (number - 1) * per_page)
    return Page(rows[:per_page], number, len(rows) > per_page, argument)
