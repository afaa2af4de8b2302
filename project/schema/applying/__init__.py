"""At `flask db upgrade` and `downgrade`: lock, copies, SQLite integrity, failures."""
