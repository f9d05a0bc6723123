"""The header and cookie rules of the MDN HTTP Observatory (scoring version 6), as penalties:
what its scan would deduct from the baseline of 100 for one response. Only penalties are
modelled; the tests assert there are none.

Source of the rules: the Observatory's documented tests (CSP, cookies, CORS, redirection,
Referrer-Policy, HSTS, Subresource Integrity, X-Content-Type-Options, X-Frame-Options,
Cross-Origin-Resource-Policy)."""

import re
from http.cookies import SimpleCookie

SIX_MONTHS = 15_768_000


def parse_csp(header):
    policy = {}
    for part in (header or "").split(";"):
        words = part.split()
        if words:
            policy.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    return policy


def csp_penalties(headers):
    header = headers.get("Content-Security-Policy")
    if not header:
        return {"csp-not-implemented": -25}
    policy = parse_csp(header)
    script = policy.get("script-src", policy.get("default-src"))
    if script is None:
        return {"csp-implemented-with-unsafe-inline (no script-src or default-src)": -20}
    penalties = {}
    has_nonce_or_hash = any(s.startswith(("'nonce-", "'sha")) for s in script)
    if "'unsafe-inline'" in script and not has_nonce_or_hash:
        penalties["csp-implemented-with-unsafe-inline"] = -20
    if "'unsafe-eval'" in script:
        penalties["csp-implemented-with-unsafe-eval"] = -10
    if any(s in ("http:", "https:", "*", "data:") for s in script):
        penalties["csp-implemented-with-insecure-scheme (script-src)"] = -20
    objects = policy.get("object-src", policy.get("default-src", []))
    if "'none'" not in objects:
        penalties["csp-implemented-with-unsafe-inline (object-src not 'none')"] = -20
    return penalties


def cookie_penalties(set_cookie_headers, https=True):
    penalties = {}
    for header in set_cookie_headers:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            session_like = re.search(r"sess|login|token|csrf|auth", name, re.I)
            if https and not morsel["secure"]:
                key = "session" if session_like else "cookies"
                penalties[f"{key}-without-secure-flag ({name})"] = -40 if session_like else -20
            if session_like and not morsel["httponly"] and "csrf" not in name.lower():
                penalties[f"cookies-session-without-httponly-flag ({name})"] = -30
            if not morsel["samesite"]:
                penalties[f"cookies-samesite-flag-not-set ({name})"] = -5
            elif morsel["samesite"].lower() == "none":
                penalties[f"cookies-samesite-none ({name})"] = -5
    return penalties


def header_penalties(headers):
    penalties = {}
    if headers.get("Access-Control-Allow-Origin", "").strip() == "*":
        penalties["cross-origin-resource-sharing-implemented-with-universal-access"] = -50
    referrer = headers.get("Referrer-Policy", "").lower()
    if any(v in referrer for v in ("unsafe-url", "no-referrer-when-downgrade")):
        penalties["referrer-policy-unsafe"] = -5
    hsts = headers.get("Strict-Transport-Security")
    if not hsts:
        penalties["hsts-not-implemented"] = -20
    else:
        age = re.search(r"max-age=(\d+)", hsts)
        if not age or int(age.group(1)) < SIX_MONTHS:
            penalties["hsts-implemented-max-age-less-than-six-months"] = -10
    if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        penalties["x-content-type-options-not-implemented"] = -5
    frame_ancestors = "frame-ancestors" in parse_csp(headers.get("Content-Security-Policy"))
    xfo = headers.get("X-Frame-Options", "").upper()
    if xfo not in ("DENY", "SAMEORIGIN") and not frame_ancestors:
        penalties["x-frame-options-not-implemented"] = -20
    corp = headers.get("Cross-Origin-Resource-Policy")
    if corp is not None and corp.lower() not in ("same-site", "same-origin", "cross-origin"):
        penalties["corp-header-invalid"] = -5
    return penalties


def sri_penalties(html):
    """External scripts without integrity: the page's own origin is relative paths only."""
    penalties = {}
    for tag in re.findall(r"<script\b[^>]*>", html, re.I):
        src = re.search(r'\ssrc="([^"]+)"', tag)
        if src and re.match(r"(https?:)?//", src.group(1)) and "integrity=" not in tag:
            penalties[f"sri-not-implemented-but-external-scripts-loaded ({src.group(1)})"] = -5
    return penalties


def score(headers, set_cookie_headers, html, redirects_to_https):
    penalties = {
        **csp_penalties(headers),
        **cookie_penalties(set_cookie_headers),
        **header_penalties(headers),
        **sri_penalties(html),
    }
    if not redirects_to_https:
        penalties["redirection-missing"] = -20
    return penalties
