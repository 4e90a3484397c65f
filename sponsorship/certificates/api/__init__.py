"""The certificates API: routers mounted by sponsorship.api.api."""

from .addresses import router as addresses_router
from .batches import router as batches_router
from .cas import router as cas_router
from .casework import router as casework_router
from .certificates import router as certificates_router
from .defined import router as defined_router
from .drafts import router as drafts_router

# Mounted at /api/v1/; the casework router at /api/v1/casework/.
routers = [
    drafts_router,
    certificates_router,
    batches_router,
    addresses_router,
    defined_router,
    cas_router,
]

__all__ = ["casework_router", "routers"]
