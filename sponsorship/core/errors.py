"""The one family of errors that services raise and views and the API translate."""


class ApplicationError(Exception):
    """A rule of the service was broken; `message` is plain English for the user."""

    code = "application_error"
    http_status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


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
