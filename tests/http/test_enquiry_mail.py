"""The staff notification of a new enquiry through a real local SMTP server (aiosmtpd): the
mail arrives, plain text, naming the reference, parcels, company and the staff link; login
when configured; with the server down the enquiry is still stored and answered."""

import socket
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.conftest import DATA, make_app
from tests.hostile import HOSTILE
from tests.http.enquiries import GOOD, send_enquiry, stored_enquiries
from webapp.enquiries import notification
from webapp.enquiries.notification import MAIL_SENDER_KEY

USER, PASSWORD = "landgis", "smtp secret"


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self) -> list:
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


class Logins:
    """An aiosmtpd authenticator that accepts USER/PASSWORD and records who logged in."""

    def __init__(self) -> None:
        self.users: list[str] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        accepted = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
        if accepted:
            self.users.append(auth_data.login.decode())
        return AuthResult(success=accepted)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free loopback port (login offered without TLS: loopback only)."""
    inbox, logins = Inbox(), Logins()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=logins, auth_require_tls=False,
                            auth_exclude_mechanism=["LOGIN"])  # a refused LOGIN hangs smtplib
    controller.start()
    try:
        yield controller, inbox, logins
    finally:
        controller.stop()


def sent(app, client=None, **fields):
    """Send a good enquiry (fields replaced) and wait until its mail went out or failed."""
    response = send_enquiry(client or app.test_client(), **fields)
    assert response.status_code == 303
    assert app.extensions[MAIL_SENDER_KEY].wait(30)
    return response


def mail_app(tmp_path, port: int, **settings):
    return make_app(tmp_path, DATA / "small.geojson", SMTP_HOST="127.0.0.1", SMTP_PORT=port,
                    MAIL_FROM="landgis@district.example",
                    ENQUIRY_NOTIFY_TO="zhaoshang@district.example, lead@district.example",
                    **settings)


def test_enquiry_mail_arrives_with_reference_parcels_company_and_link(tmp_path, smtp_server):
    controller, inbox, _logins = smtp_server
    app = mail_app(tmp_path, controller.port)
    sent(app, parcels=("T-001", "T-004"))
    [enquiry] = stored_enquiries(app)
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "landgis@district.example"
    assert envelope.rcpt_tos == ["zhaoshang@district.example", "lead@district.example"]
    [mail] = inbox.messages()
    assert mail["Subject"] == f"新的投资咨询 {enquiry.reference}"  # the district's language
    assert mail.get_content_type() == "text/plain"
    body = mail.get_content()
    assert enquiry.reference in body and GOOD["company"] in body
    assert "T-001 金家庄街道测试工业地块" in body and "T-004" in body
    assert f"http://localhost/admin/enquiries/{enquiry.id}" in body


def test_enquiry_mail_leaves_contact_details_and_message_out(tmp_path, smtp_server):
    controller, inbox, _logins = smtp_server
    sent(mail_app(tmp_path, controller.port))
    body = inbox.messages()[0].get_content()
    for private in (GOOD["contact_name"], "13812345678", "138 1234 5678", GOOD["email"],
                    GOOD["message"]):
        assert private not in body


def test_enquiry_mail_logs_in_when_a_user_is_set(tmp_path, smtp_server):
    controller, inbox, logins = smtp_server
    sent(mail_app(tmp_path, controller.port, SMTP_USER=USER, SMTP_PASSWORD=PASSWORD))
    assert logins.users == [USER] and len(inbox.envelopes) == 1


def test_enquiry_mail_with_hostile_company_is_plain_text(tmp_path, smtp_server):
    controller, inbox, _logins = smtp_server
    company = HOSTILE["script_close"] + HOSTILE["line_separators"]
    sent(mail_app(tmp_path, controller.port), company=company)
    [mail] = inbox.messages()
    assert mail.get_content_type() == "text/plain" and not mail.is_multipart()
    assert company in mail.get_content()


def test_enquiry_without_mail_settings_sends_nothing(tmp_path, smtp_server):
    controller, inbox, _logins = smtp_server
    app = make_app(tmp_path, DATA / "small.geojson", SMTP_HOST="127.0.0.1",
                   SMTP_PORT=controller.port)  # no ENQUIRY_NOTIFY_TO: the inbox only
    assert send_enquiry(app.test_client()).status_code == 303
    assert len(stored_enquiries(app)) == 1 and MAIL_SENDER_KEY not in app.extensions
    assert inbox.envelopes == []


def test_enquiry_is_stored_and_answered_when_the_mail_server_is_down(tmp_path, caplog):
    app = mail_app(tmp_path, free_port())  # nobody listens there
    client = app.test_client()
    sent(app, client)
    [enquiry] = stored_enquiries(app)
    assert enquiry.reference in client.get("/enquire/sent").get_data(as_text=True)
    assert any("enquiry notification" in r.getMessage() and enquiry.reference in r.getMessage()
               for r in caplog.records)


def test_enquiry_answer_does_not_wait_for_a_hung_mail_server(tmp_path, smtp_server,
                                                              monkeypatch, caplog):
    controller, inbox, logins = smtp_server  # aiosmtpd never answers a refused AUTH PLAIN
    monkeypatch.setattr(notification, "SMTP_TIMEOUT_S", 2.0)
    app = mail_app(tmp_path, controller.port, SMTP_USER=USER, SMTP_PASSWORD="wrong")
    started = time.monotonic()
    assert send_enquiry(app.test_client()).status_code == 303
    assert time.monotonic() - started < 1.5 and len(stored_enquiries(app)) == 1
    assert app.extensions[MAIL_SENDER_KEY].wait(30)
    assert inbox.envelopes == [] and logins.users == []
    assert any("enquiry notification" in r.getMessage() for r in caplog.records)
