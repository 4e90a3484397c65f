"""The Home Office back office's API, mounted under /api/v1/casework/: work queues and
decisions, sponsors and their licences, users, the message board, the bank holiday calendar.
It calls the services the casework pages call."""

from ninja import Router

from .calendar import calendar_router
from .messages import messages_router
from .requests import requests_router
from .sponsors import sponsors_router
from .users import users_router

router = Router()
for part in (requests_router, sponsors_router, users_router, messages_router, calendar_router):
    router.add_router("", part)
