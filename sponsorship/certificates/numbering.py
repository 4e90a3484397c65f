"""Certificate numbers: a letter for the kind, then random capitals and digits. Drawn from the
operating system's secure random source, so a number cannot be guessed from another."""

import secrets

from .models import CertificateKind

# No I or O: they read as 1 and 0 on paper and over the phone.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

# DOMAIN.md: a CoS number is 11 characters starting with C; a CAS number is 14.
FORMATS: dict[str, tuple[str, int]] = {
    CertificateKind.COS: ("C", 11),
    CertificateKind.CAS: ("E", 14),
}


def new_certificate_number(kind: str) -> str:
    prefix, length = FORMATS[kind]
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(length - len(prefix)))
