"""At `flask db migrate` and `check`: what a new revision may contain; the audit of scripts."""
