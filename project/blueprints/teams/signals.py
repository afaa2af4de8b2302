"""What the teams feature tells other features, so that they need not be imported here.

Tasks depends on teams, never the reverse: when a member leaves a team, the
tasks feature hears it and unassigns their tasks in that team.
"""
from blinker import Namespace

signals = Namespace()

# Sent with the Membership about to be deleted, before the session commits.
membership_ending = signals.signal("membership-ending")

# Before a confirmation page, so that it names everything that goes: sent with the
# Membership about to end (leaving, removal) or the Team about to be deleted. Each
# receiver returns a sentence naming what of its own goes with it.
losses_of_membership_ending = signals.signal("losses-of-membership-ending")
losses_of_team_deletion = signals.signal("losses-of-team-deletion")


def counted(count, word):
    """'1 task', '3 tasks': how the sentences of a confirmation page count what goes."""
    return f"1 {word}" if count == 1 else f"{count} {word}s"


def losses(signal, sender):
    """The sentences every receiver of `signal` returns for `sender`."""
    return [sentence for _, sentence in signal.send(sender) if sentence]
