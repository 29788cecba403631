"""landgis: a land-resource GIS web app. Build it with create_app(); nothing runs at import."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: settings, i18n, the parcel store, blueprints, error pages, CLI."""
    from webapp import (
        admin,
        api,
        attachments,
        auth,
        body_limits,
        cli,
        errors,
        health,
        i18n,
        metrics,
        ratelimit,
        security,
        services,
    )
    from webapp.brochures import bp as brochures_bp
    from webapp.config import load_settings, validate_settings
    from webapp.dashboard import bp as dashboard_bp
    from webapp.domain.parcel import format_range
    from webapp.domain.parcel_key import parcel_url_key
    from webapp.embed import bp as embed_bp
    from webapp.enquiries import bp as enquiries_bp
    from webapp.imports import bp as imports_bp
    from webapp.projects import bp as projects_bp
    from webapp.public import bp as public_bp

    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "LANDGIS_INSTANCE_PATH")
    app = Flask(__name__, instance_path=os.path.abspath(instance_path) if instance_path else None)
    app.config.from_mapping(load_settings(Path(app.instance_path), test_config))
    validate_settings(app.config)
    body_limits.init_app(app)  # UPLOAD_MAX_MB for the upload, FORM_MAX_KB for every other route
    if app.config["TRUSTED_PROXIES"]:  # client address and scheme as the proxies saw them
        hops = app.config["TRUSTED_PROXIES"]  # the host only when configured; never port/prefix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops,
                                x_host=hops if app.config["TRUSTED_PROXY_HOST"] else 0)
    i18n.init_app(app)
    services.init_app(app)
    errors.init_app(app)
    metrics.init_app(app)  # times every request; /metrics for METRICS_ALLOW only
    health.init_app(app)  # /healthz, /readyz for load balancers
    security.init_app(app)
    auth.init_app(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(brochures_bp)  # PDF brochures of parcels, shortlists, sets
    admin.init_app(app)
    attachments.init_app(app)  # parcel photos and documents
    app.register_blueprint(imports_bp)
    app.register_blueprint(enquiries_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(embed_bp)  # /embed, the map other sites may frame
    api.init_app(app)
    ratelimit.init_app(app)  # after the API and export routes it limits
    app.jinja_env.globals["format_range"] = format_range
    app.jinja_env.globals["parcel_url_key"] = parcel_url_key
    cli.init_app(app)
    return app
