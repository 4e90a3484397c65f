"""The duties API: routers mounted by sponsorship.api.api."""

from .casework import router as casework_router
from .duties import router as duties_router
from .events import router as events_router
from .reminders import router as reminders_router
from .reports import router as reports_router
from .students import router as students_router
from .workers import router as workers_router

# Mounted at /api/v1/; the casework router at /api/v1/casework/.
routers = [
    workers_router,
    events_router,
    reports_router,
    students_router,
    duties_router,
    reminders_router,
]

__all__ = ["casework_router", "routers"]
