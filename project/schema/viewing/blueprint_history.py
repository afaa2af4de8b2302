"""`flask db history --blueprint NAME`: the revisions that touch one blueprint's tables."""
from project.schema.viewing.revision_facts import revision_facts


def blueprint_revisions(script, owners, blueprint):
    """[(revision, message, the blueprint's tables it touches)], newest first, as history lists."""
    touching = []
    for revision in script.walk_revisions():
        facts = revision_facts(revision)
        tables = sorted(table for table in facts.tables if owners.get(table) == blueprint)
        if tables:
            touching.append((facts.revision, facts.message, tables))
    return touching
