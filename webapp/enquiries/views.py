"""The enquiry routes: the form, its submission, the page with the reference, the privacy
notice. Parse, call one function, render."""

from datetime import UTC, datetime

from flask import current_app, redirect, render_template, request, session, url_for

from webapp.domain.audit import utc_now_iso
from webapp.domain.enquiry_form import (
    decoy_reference,
    first_parcel_codes,
    is_spam,
    parse_enquiry,
)
from webapp.domain.errors import InvalidEditError
from webapp.enquiries import bp
from webapp.enquiries.notification import notify_staff
from webapp.enquiries.pages import SENT_KEY, remember_sent, render_form, sent_summary
from webapp.enquiries.subject import enquiry_subject
from webapp.public.map_page import language
from webapp.ratelimit import count_enquiry
from webapp.services import get_landuse_table, get_store


@bp.get("/enquire")
def form():
    """The empty form about the parcels (?parcel=, up to 20) and requirement in the link."""
    subject = enquiry_subject(get_store(), get_landuse_table(),
                              first_parcel_codes(request.args.getlist("parcel")),
                              request.args.get("requirement"))
    return render_form(subject)


@bp.post("/enquire")
def submit():
    """Check the enquiry, store it, notify staff, and answer with its reference (303)."""
    if is_spam(request.form):  # a bot: counted, answered as a success, nothing stored
        count_enquiry()
        remember_sent(decoy_reference(datetime.now(UTC).date().isoformat()), request.form)
        return redirect(url_for("enquiries.sent"), 303)
    subject = enquiry_subject(get_store(), get_landuse_table(),
                              first_parcel_codes(request.form.getlist("parcel")),
                              request.form.get("requirement"))
    try:
        values = parse_enquiry(request.form, request.form.getlist("parcel"), subject.codes,
                               subject.requirement, language(), utc_now_iso())
    except InvalidEditError as error:
        return render_form(subject, error), 422
    count_enquiry()  # RATE_LIMIT_ENQUIRY, counted once an enquiry passed its checks: 429
    enquiry = get_store().pipeline.add_enquiry(values)
    notify_staff(current_app, enquiry, subject.parcels,
                 url_for("projects.enquiry", enquiry_id=enquiry.id, _external=True))
    remember_sent(enquiry.reference, values, subject.parcels)
    return redirect(url_for("enquiries.sent"), 303)


@bp.get("/enquire/sent")
def sent():
    """The reference of the enquiry this browser sent last, and what happens next."""
    summary = sent_summary(session.get(SENT_KEY))
    if summary is None:
        return redirect(url_for("enquiries.form"), 303)
    return render_template("enquiries/sent.html", summary=summary)


@bp.get("/privacy")
def privacy():
    """The privacy notice of the enquiry form (个人信息保护法)."""
    return render_template("enquiries/privacy.html",
                           contact=current_app.config["PRIVACY_CONTACT"])
