"""The one family of errors that services raise and views and the API translate."""


class ApplicationError(Exception):
    """A rule of the service was broken; `message` is plain English for the user."""

    code = "application_error"
    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        errors: list[tuple[str, str]] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code
        # Every (field, message) that is wrong, when there is more than one.
        self.errors = errors or ([(field, message)] if field else [])


class NotPermitted(ApplicationError):
    """The actor may not do this (their level, or the licence status forbids it)."""

    code = "not_permitted"
    http_status = 403


class NotFound(ApplicationError):
    """The object does not exist, or belongs to another sponsor: the same answer either way."""

    code = "not_found"
    http_status = 404


class RateLimited(ApplicationError):
    """Too many requests in a short time."""

    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Conflict(ApplicationError):
    """The request clashes with the current state: a licence status, a stale form, a status
    that cannot change this way. `code` says which, stably, for API clients."""

    code = "conflict"
    http_status = 409


class InvalidTransition(Conflict):
    code = "invalid_transition"


class StaleEdit(Conflict):
    """Someone else changed the record since this form was loaded (another tab or person)."""

    code = "stale_edit"

    def __init__(self, message: str = "", **kwargs: object):
        super().__init__(
            message
            or "Someone changed this since you opened it. Reload the page, check the "
            "details and try again.",
            **kwargs,  # type: ignore[arg-type]
        )


class AllocationExhausted(Conflict):
    code = "allocation_exhausted"


class NotReady(Conflict):
    """A draft cannot be assigned yet: `errors` names each field to fix."""

    code = "not_ready"
