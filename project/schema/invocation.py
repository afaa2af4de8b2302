"""Which Alembic command migrations/env.py is serving, whether from `flask db` or from Python.

Tools and test suites call `alembic.command.revision(config, autogenerate=True)`
and `alembic.command.check(config)` with a Config they built themselves, whose
`cmd_opts` is None: reading `config.cmd_opts.autogenerate`, as a CLI-only
env.py does, would silently skip the migrate guard there. So the command is
read from what Alembic hands to every run instead: a revision or check run
carries its RevisionContext in the migration context's options.

Acknowledgments (`-x allow-drop=...`, `-x rename=...`) come from the command
line's `-x` (`config.cmd_opts.x`, which `flask db migrate -x` and `alembic -x`
fill) and, for a Python caller, from `config.attributes["x_arguments"]`, a list
of the same strings: `attributes` is the dictionary Alembic provides for
handing a caller's values to env.py.
"""
import inspect

from alembic import command

X_ARGUMENTS = "x_arguments"


def _revision_context(migration_context):
    return migration_context.opts.get("revision_context")


def comparing(migration_context):
    """True while Alembic compares the models with the database: `migrate` and `check`.

    Nothing of the history runs then: an error is the caller's or the comparison's.
    """
    revision_context = _revision_context(migration_context)
    return bool(revision_context and revision_context.command_args.get("autogenerate"))


def writing_a_revision(migration_context):
    """True for `flask db migrate` and `command.revision(config, autogenerate=True)`.

    `check` autogenerates too, only to compare, with the same arguments as
    `revision`: Alembic tells env.py nothing else, so it is recognised as the
    call of `alembic.command.check` that is running this environment.
    """
    return comparing(migration_context) and not _called_from(command.check)


def _called_from(function):
    frame = inspect.currentframe()
    while frame is not None:
        if frame.f_code is function.__code__:
            return True
        frame = frame.f_back
    return False


def x_arguments(environment_context):
    """The `-x` strings of the command line, then those a Python caller put in attributes."""
    given = environment_context.config.attributes.get(X_ARGUMENTS, ())
    if isinstance(given, str):
        given = [given]
    return [*environment_context.get_x_argument(as_dictionary=False), *given]
