"""Certificates of Sponsorship and Confirmations of Acceptance for Studies."""
