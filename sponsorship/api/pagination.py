"""One pagination shape for every API list."""

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from ninja import Schema

from sponsorship.core.errors import ApplicationError


class PageInfo(Schema):
    page: int
    page_size: int
    total_items: int
    total_pages: int


def paginate(queryset: QuerySet, page: int, page_size: int) -> tuple[list[Any], PageInfo]:
    if page < 1:
        raise ApplicationError("page must be 1 or more", field="page", code="invalid_query")
    if not 1 <= page_size <= settings.API_PAGE_SIZE_MAX:
        raise ApplicationError(
            f"page_size must be between 1 and {settings.API_PAGE_SIZE_MAX}",
            field="page_size",
            code="invalid_query",
        )
    paginator = Paginator(queryset, page_size)
    items = list(paginator.page(page).object_list) if page <= paginator.num_pages else []
    return items, PageInfo(
        page=page, page_size=page_size, total_items=paginator.count, total_pages=paginator.num_pages
    )
