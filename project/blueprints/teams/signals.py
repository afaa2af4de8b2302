"""What the teams feature tells other features, so that they need not be imported here.

Tasks depends on teams, never the reverse: when a member leaves a team, the
tasks feature hears it and unassigns their tasks in that team.
"""
from blinker import Namespace

signals = Namespace()

# Sent with the Membership about to be deleted, before the session commits.
membership_ending = signals.signal("membership-ending")
