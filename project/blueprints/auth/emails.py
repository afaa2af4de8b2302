"""Sending mail: plain text, rendered from a template (each feature keeps its own)."""
from flask import render_template
from flask_mailman import EmailMessage


def send_email(to, subject, template, **context):
    body = render_template(template, **context)
    # A subject names what people typed (their name, a team's): a line break there would
    # end the header, and the mail library refuses it with an exception. Spaces instead.
    subject = " ".join(subject.split())
    EmailMessage(subject=subject, body=body, to=[to]).send()
