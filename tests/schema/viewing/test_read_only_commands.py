"""The commands that only read the history take each revision's header from a cache kept by the
file's content: a revision module runs when its file is first read, and afterwards only to
upgrade or downgrade. Their cost does not grow with the length of the history."""
from tests.migrations.revisions import add_revision

MESSAGE = "a revision that says when its module runs"
# Each command, and what it prints of the revision (the database is empty; no branches).
READ_ONLY = {("current",): "", ("branches",): "", ("heads", "-v"): MESSAGE,
             ("history",): MESSAGE, ("history", "-v"): MESSAGE, ("show", "0c0ffee0cafe"): MESSAGE}


def test_read_only_commands_run_no_revision_module_once_its_header_is_known(project):
    ran = project.root / "revision-ran.txt"
    script = add_revision(project.root / "migrations", "0c0ffee0cafe",
                          MESSAGE, "pass")
    # A line of the module's own, run whenever the module is.
    script.write_text(script.read_text().replace(
        "\nrevision = ", f"\nopen({str(ran)!r}, 'a').write('ran\\n')\n\nrevision = ", 1))

    assert "0c0ffee0cafe (head)" in project.succeed("db", "heads").stdout
    assert ran.read_text() == "ran\n"  # read once, for its header
    ran.unlink()
    for command, printed in READ_ONLY.items():
        assert printed in project.succeed("db", *command).stdout
        assert not ran.exists(), f"flask db {' '.join(command)} ran the revision's module"

    project.succeed("db", "upgrade")
    assert ran.read_text() == "ran\n"  # run when it upgrades the database
