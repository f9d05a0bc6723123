// django-otp-webauthn saves the passkey and says so with this event; the page then moves on to
// the recovery codes (or where the person was going), as the authenticator app's form does.
document.addEventListener("otp_webauthn.register_complete", () => {
  const enrolment = document.getElementById("passkey-enrolment");
  window.location.assign(enrolment.dataset.doneUrl);
});
