"""Sending mail: plain text, rendered from a template (each feature keeps its own)."""
from flask import render_template
from flask_mailman import EmailMessage


def send_email(to, subject, template, **context):
    body = render_template(template, **context)
    EmailMessage(subject=subject, body=body, to=[to]).send()
