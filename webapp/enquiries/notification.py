"""The staff notification of a new enquiry by e-mail (smtplib), when SMTP_HOST and
ENQUIRY_NOTIFY_TO are set; the staff inbox (the store) always has it anyway.

The mail is plain text in the district's default language: the reference, the parcels, the
company, industry and investment, and the link to the enquiry's staff page. The contact
person, phone, e-mail and message stay in the store, behind the staff login. Mail goes out
on a background thread after the enquiry was stored: a mail that cannot be sent is logged and
never fails or delays the investor's request.
"""

import logging
import os
import smtplib
import ssl
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.domain.parcel import Parcel
from webapp.domain.pipeline import INDUSTRY_TITLES, Enquiry

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_S = 10.0  # connecting and each command (on the mail thread, not the request's)
MAIL_SENDER_KEY = "landgis.mail"


@dataclass(frozen=True)
class MailSettings:
    """Where and how notification mail is sent."""

    host: str
    port: int
    user: str
    password: str
    starttls: bool
    sender: str
    recipients: tuple[str, ...]


def mail_settings(config: Mapping[str, object]) -> MailSettings | None:
    """The SMTP settings of the app, or None when SMTP_HOST or ENQUIRY_NOTIFY_TO is empty."""
    recipients = tuple(a.strip() for a in str(config["ENQUIRY_NOTIFY_TO"]).split(",")
                       if a.strip())
    if not config["SMTP_HOST"] or not recipients:
        return None
    return MailSettings(str(config["SMTP_HOST"]), int(str(config["SMTP_PORT"])),
                        str(config["SMTP_USER"]), str(config["SMTP_PASSWORD"]),
                        bool(config["SMTP_STARTTLS"]), str(config["MAIL_FROM"]), recipients)


def _lines(enquiry: Enquiry, parcels: tuple[Parcel, ...], link: str) -> list[str]:
    names = {parcel.code: parcel.name for parcel in parcels}
    listed = [f"  {code} {names.get(code) or ''}".rstrip() for code in enquiry.parcel_codes]
    industry = INDUSTRY_TITLES.get(enquiry.industry or "")
    wan = "—" if enquiry.investment_wan is None else f"{enquiry.investment_wan:,.0f}"
    return [
        _("A new enquiry has arrived: %(reference)s (%(time)s UTC).",
          reference=enquiry.reference, time=enquiry.received_at[:16].replace("T", " ")),
        "",
        _("Parcels:") + ("" if listed else " " + _("none named (a general enquiry)")), *listed,
        _("Company: %(company)s", company=enquiry.company or "—"),
        _("Industry: %(industry)s", industry=_(industry) if industry else "—"),
        _("Planned investment: %(wan)s (10,000 yuan)", wan=wan),
        "",
        _("Contact details and the message are on the staff page (log in first):"),
        link,
    ]


def notification_message(enquiry: Enquiry, parcels: tuple[Parcel, ...], link: str,
                         settings: MailSettings, language: str) -> EmailMessage:
    """The plain-text notification of one enquiry, in `language`."""
    with force_locale(language):
        message = EmailMessage()
        message["Subject"] = _("New enquiry %(reference)s", reference=enquiry.reference)
        message.set_content("\n".join(_lines(enquiry, parcels, link)) + "\n")
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    return message


def send_mail(settings: MailSettings, message: EmailMessage) -> bool:
    """Send one message (STARTTLS and login when configured); False, logged, when the server
    cannot be reached or refuses it."""
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_S) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password)
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:  # ssl.SSLError is an OSError
        logger.error("enquiry notification to %s:%s not sent (%s): %s", settings.host,
                     settings.port, message["Subject"], error)
        return False
    return True


class MailSender:
    """Sends notification mail on one background thread per server process, so a slow or
    unreachable mail server never delays the investor's answer; mail still queued when the
    process exits is sent first (the pool's thread is joined at exit)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pid = 0
        self._pending: set[Future] = set()

    def submit(self, settings: MailSettings, message: EmailMessage) -> Future:
        """Queue one message; the future tells whether it was sent."""
        with self._lock:
            if self._pool is None or self._pid != os.getpid():  # a forked worker: its own
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail")
                self._pid, self._pending = os.getpid(), set()
            future = self._pool.submit(send_mail, settings, message)
            self._pending.add(future)
        future.add_done_callback(self._pending.discard)
        return future

    def wait(self, timeout_s: float) -> bool:
        """Wait until every queued message was sent or given up; whether all were done."""
        with self._lock:
            pending = set(self._pending)
        return not wait(pending, timeout_s).not_done


def notify_staff(app: Flask, enquiry: Enquiry, parcels: tuple[Parcel, ...],
                 link: str) -> Future | None:
    """Queue the notification when mail is configured (None when it is not)."""
    settings = mail_settings(app.config)
    if settings is None:
        return None
    message = notification_message(enquiry, parcels, link, settings,
                                   str(app.config["DEFAULT_LANGUAGE"]))
    sender = app.extensions.setdefault(MAIL_SENDER_KEY, MailSender())
    return sender.submit(settings, message)
