"""Steps the pipeline staff-page tests share: store an enquiry or a project, post a staff form."""

from tests.editing_fixtures import csrf_token
from tests.forms import form_values

ENQUIRY = {"parcel_codes": ("T-001", "T-002"), "company": "马鞍山智造有限公司",
           "contact_name": "张三", "phone": "13812345678", "email": "zhang@example.cn",
           "industry": "intelligent_equipment", "investment_wan": 12000.0, "jobs": 80,
           "message": "想了解工业用地", "language": "zh",
           "requirement": "land_use=1001&min_mu=10", "consent_at": "2026-12-01T02:00:00+00:00"}


def store_of(app):
    """The app's store."""
    return app.extensions["landgis.store"]


def add_enquiry(app, **changes):
    """Store an enquiry (ENQUIRY with the given changes) as the public form would."""
    return store_of(app).pipeline.add_enquiry({**ENQUIRY, **changes})


def add_project(app, actor="eddie", **values):
    """Store a project (name 项目甲, stage lead unless given) as an editor would."""
    return store_of(app).pipeline.add_project({"name": "项目甲", "stage": "lead", **values},
                                              actor)


def post_form(client, path: str, data: dict, token_page: str = "/admin/projects"):
    """POST a staff form with the session's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, token_page), **data})


def project_form(client, project_id: int) -> dict[str, str]:
    """The edit form of a project as a browser would send it back unchanged."""
    path = f"/admin/projects/{project_id}/edit"
    return form_values(client.get(path).get_data(as_text=True), path)
