"""Rows of a particular shape that a revision needs to find when it runs.

The history suite writes rows into every table before each revision, generated
from the columns as they stand at that point. Where a revision needs more (a
data migration that reads names to fill slugs, say), its team adds an entry
here, beside its revision: the revision id, then rows per table, written with
plain SQL before upgrading to that revision, in the order given.

    SEEDS_BEFORE = {
        "3f2a9c1b7d10": {"teams": [{"id": 1, "name": "Blue Team"}]},
    }
"""

SEEDS_BEFORE = {
    # add team slug filled from the name: two names that make the same slug,
    # and one with no ASCII letters at all.
    "21a259fcf248": {
        "teams": [
            {"id": 1, "name": "Blue Team"},
            {"id": 2, "name": "blue team!"},
            {"id": 3, "name": "チーム"},
        ],
    },
}
