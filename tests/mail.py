"""The mail the app sent, read back from the file backend's directory as a user's inbox."""
import email
import re
from email import policy
from pathlib import Path
from urllib.parse import urlsplit

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
LINK = re.compile(r"https?://\S+")


class Mailbox:
    def __init__(self, directory):
        self.directory = Path(directory)

    def empty(self):
        for path in self.directory.glob("*.log"):
            path.unlink()

    def messages(self):
        """Every message sent, oldest first, as email.message.EmailMessage objects."""
        files = sorted(self.directory.glob("*.log"), key=lambda path: path.stat().st_mtime_ns)
        return [
            email.message_from_bytes(raw, policy=policy.default)
            for path in files
            for raw in path.read_bytes().split(SEPARATOR)
            if raw.strip()
        ]

    def link_in(self, message):
        """The path of the first link in `message`, as the test client requests it."""
        link = LINK.search(message.get_content()).group(0)
        parts = urlsplit(link)
        return parts.path + (f"?{parts.query}" if parts.query else "")
