"""Staff sign-in with a second factor: an authenticator app (TOTP), a passkey (WebAuthn) and
recovery codes, on django-otp and django-otp-webauthn, wired into Wagtail's admin.

`policy` says who must use one; `devices` makes and removes them; `throttle` pauses guessing;
`passkeys` binds passkeys to the site's address; `middleware` keeps a person who owes a second
factor out of everything that needs a sign-in; `views` and `forms` are the pages that ask for
it; `admin` is what `wagtail_hooks.py` registers. docs/security.md says how it works."""
