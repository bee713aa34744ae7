"""Optional error reporting to any Sentry-compatible server (Sentry, GlitchTip …) named by CHISO_SENTRY_DSN.
sentry-sdk is imported only when a DSN is set, so a server without one never loads it."""

from __future__ import annotations


def init_error_reporting(dsn: str, environment: str, release: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn, environment=environment, release=release, integrations=[DjangoIntegration()],
        # No personal data leaves the province's server: no user e-mails, IPs, cookies or request bodies.
        send_default_pii=False, max_request_body_size="never", traces_sample_rate=0.0,
    )
