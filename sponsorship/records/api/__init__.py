"""The records API: routers mounted by sponsorship.api.api at /api/v1/."""

from ninja import Router

from .compliance import compliance_router, packs_router
from .records import router as records_router

routers: list[Router] = [records_router, packs_router, compliance_router]

__all__ = ["routers"]
