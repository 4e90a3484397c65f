"""The bulk data transfer API: routers mounted by sponsorship.api.api."""

from .files import router

routers = [router]

__all__ = ["routers"]
