"""Who the public should contact about what, the contact form, and the messages it brings in."""
