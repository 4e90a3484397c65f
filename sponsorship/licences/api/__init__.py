"""The licence's API, one module per part of the licence menu, each with its own router."""

from .action_plans import action_plans_router
from .allocations import allocations_router
from .key_people import key_people_router
from .licence import router as licence_router
from .paye import paye_router
from .requests import requests_router
from .status import status_router
from .users import users_router

routers = [
    licence_router,
    users_router,
    key_people_router,
    requests_router,
    paye_router,
    allocations_router,
    action_plans_router,
    status_router,
]
