"""The API description promises one error shape for every error."""

import pytest

from .api_client import ApiClient, assert_error


@pytest.fixture
def api(token_for, level1):
    return ApiClient(token_for(level1))


def test_the_documentation_is_public(client, db):
    assert client.get("/api/v1/docs").status_code == 200
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_every_operation_documents_the_error_shape(client, db):
    document = client.get("/api/v1/openapi.json").json()
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status in ("400", "401", "403", "404", "422", "429"):
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/messages/1/unknown"])
def test_an_unknown_api_path_gets_the_error_shape(api, path):
    assert_error(api.get(path), 404, "not_found")


def test_a_method_not_offered_gets_the_error_shape(api):
    response = api.client.put("/api/v1/me", headers={"Authorization": f"Bearer {api.secret}"})
    assert_error(response, 405)
    assert response["Allow"] == "GET"
