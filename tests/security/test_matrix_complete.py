"""The matrix has a row for every URL pattern, every action of an ``<str:action>`` route, every frame type a
consumer accepts and every API operation, and every row has a way to be performed and a cell per role."""

import ast
import inspect
import textwrap
from fnmatch import fnmatch

from django.urls import URLPattern, URLResolver, get_resolver

from api.v1 import api
from config.routing import websocket_urlpatterns
from consult import views as consult_views
from issues import views as issue_views
from meetings import actions as meeting_actions
from meetings import consumers as meeting_consumers
from meetings import views as meeting_views
from polls import views as poll_views
from tests.security.matrix import API, HTTP, MATRIX, PUBLIC_READS, ROLES, WS
from tests.security.requests import API_WRITES, HTTP_REQUESTS


def url_names(resolver=None, namespace="") -> list[str]:
    """Every URL pattern's name (with its namespaces), walking nested includes; unnamed ones by their route."""
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            names += url_names(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
        elif isinstance(pattern, URLPattern):
            names.append(namespace + (pattern.name or str(pattern.pattern)))
    return names


def covered_url_names() -> list[str]:
    """The API's URL patterns are its operations, which have rows of their own (checked below)."""
    return [*PUBLIC_READS, *(key.split()[1] for key in HTTP), "api-v1:*"]


def test_every_url_pattern_has_a_row():
    covered = covered_url_names()
    missing = [name for name in url_names() if not any(fnmatch(name, pattern) for pattern in covered)]
    assert missing == [], f"URL patterns without a row in tests/security/matrix.py: {missing}"


def _dispatch_keys(function) -> set[str]:
    """The actions a view dispatches on: the string keys of its dict literals and the strings compared to
    ``action``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and node.keys and all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys):
            if all(isinstance(v, ast.Lambda | ast.Tuple) for v in node.values):
                keys |= {k.value for k in node.keys}
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == "action":
            keys |= {c.value for c in node.comparators if isinstance(c, ast.Constant)}
    return keys


ACTION_ROUTES = {
    "issues:issue-action": set(issue_views.actions()),
    "consult:consultation-action": _dispatch_keys(consult_views.consultation_action),
    "consult:proposal-action": _dispatch_keys(consult_views.proposal_action),
    "consult:comment-action": _dispatch_keys(consult_views.comment_action),
    "meetings:meeting-action": _dispatch_keys(meeting_views.meeting_action) | set(meeting_actions.BY_PATH),
    "polls:poll-action": {"open", "close"} | _dispatch_keys(poll_views.poll_action),
}


def test_every_action_of_an_action_route_has_a_row():
    rows = {tuple(key.split()[1:3]) for key in HTTP if len(key.split()) >= 3}
    missing = [f"{name} {action}" for name, actions in ACTION_ROUTES.items() for action in sorted(actions)
               if (name, action) not in rows]
    assert all(ACTION_ROUTES.values()), "an action route's dispatch table was not found"
    assert missing == [], f"actions without a row in tests/security/matrix.py: {missing}"


def consumer_frames() -> dict[str, set[str]]:
    """Each WebSocket route and the frame types its consumer accepts (every socket answers ``ping``)."""
    frames = {}
    for route in websocket_urlpatterns:
        consumer = route.callback.consumer_class
        accepted = {"connect", "ping"}
        if consumer is meeting_consumers.MeetingConsumer:
            accepted |= set(meeting_actions.BY_FRAME)
        frames[str(route.pattern)] = accepted
    return frames


def test_every_consumer_action_has_a_row():
    rows = {(key.split()[1], key.split()[2]) for key in WS}
    missing = [f"{route} {frame}" for route, accepted in consumer_frames().items() for frame in sorted(accepted)
               if (route, frame) not in rows]
    assert missing == [], f"WebSocket actions without a row in tests/security/matrix.py: {missing}"


def test_every_api_operation_has_a_row():
    operations = [(method.upper(), path) for path, methods in api.get_openapi_schema()["paths"].items()
                  for method in methods]
    missing = [f"{method} {path}" for method, path in operations
               if f"API {method} {path}" not in API and method != "GET"]
    reads = [path for method, path in operations if method == "GET" and f"API GET {path}" not in API]
    from tests.security.requests import API_READS

    read_templates = {_template(path) for path in API_READS(_Placeholder())}
    missing += [f"GET {path}" for path in reads if path not in read_templates]
    assert missing == [], f"API operations without a row in tests/security/matrix.py: {missing}"


class _Placeholder:
    """Stands for the world: every object's primary key (and slug) is a placeholder."""

    def __getattr__(self, name):
        return self

    pk = slug = "{}"


def _template(path: str) -> str:
    """``/api/v1/issues/{}`` → ``/api/v1/issues/{issue_id}``, matched against the OpenAPI paths below."""
    schema_paths = api.get_openapi_schema()["paths"]
    for candidate in schema_paths:
        parts, mine = candidate.split("/"), path.split("/")
        if len(parts) == len(mine) and all(a == b or (a.startswith("{") and b == "{}") for a, b in zip(parts, mine)):
            return candidate
    return path


def test_every_row_can_be_performed_and_names_every_role():
    performed = set(HTTP_REQUESTS) | {"GET public pages"} | set(API_WRITES) | {"API GET public"} | set(WS)
    assert sorted(set(MATRIX) - performed) == [], "rows that no test performs"
    assert sorted(set(HTTP_REQUESTS) - set(HTTP)) == [], "requests for rows that are not in the matrix"
    assert [key for key, cells in MATRIX.items() if set(cells) != set(ROLES)] == []
