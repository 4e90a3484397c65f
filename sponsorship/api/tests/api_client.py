"""Speaking to the API as an integrating system does: a bearer token, no session."""

from django.test import Client


class ApiClient:
    """A cookie-less client that sends `Authorization: Bearer <secret>` on every request."""

    def __init__(self, secret: str | None):
        self.client = Client()
        self.secret = secret

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"} if self.secret else {}

    def get(self, path, data=None):
        return self.client.get(path, data, headers=self._headers())

    def post(self, path, body="", content_type="application/json"):
        return self.client.post(path, body, content_type=content_type, headers=self._headers())

    def post_json(self, path, data):
        return self.client.post(
            path, data, content_type="application/json", headers=self._headers()
        )

    def delete(self, path):
        return self.client.delete(path, headers=self._headers())


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The documented error shape: {"error": {"code", "message", "fields"}}."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], list)
    for field in error["fields"]:
        assert set(field) == {"field", "message"}
    if code is not None:
        assert error["code"] == code
    return error
