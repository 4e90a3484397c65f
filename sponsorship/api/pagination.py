"""One pagination shape for every API list."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from ninja import Schema


class PageInfo(Schema):
    page: int
    page_size: int
    total_items: int
    total_pages: int


def paginate(queryset: QuerySet, page: int, page_size: int) -> tuple[list[Any], PageInfo]:
    """One page of `queryset`; the query schema has already bounded page and page_size."""
    paginator = Paginator(queryset, page_size)
    items = list(paginator.page(page).object_list) if page <= paginator.num_pages else []
    return items, PageInfo(
        page=page, page_size=page_size, total_items=paginator.count, total_pages=paginator.num_pages
    )
