"""The Python client at work: desire a task, wait for it to complete, read its
result, resolve and delete it, through the package openapi-python-client
generated from openapi/openapi.json (generated/taskbbs_client).

    TASKBBS_URL=http://127.0.0.1:8080 [TASKBBS_TOKEN=...] python example.py [GUID]

Prints one JSON line of what it saw; exits non-zero on the first surprise.
"""
import json
import os
import sys
import time

from taskbbs_client import AuthenticatedClient, Client
from taskbbs_client.api.tasks import delete_task, desire_task, get_task, list_tasks, resolving_task
from taskbbs_client.models import Action, ActionRun, Problem, Task, TaskDefinition, TaskState


def fail(what, detail):
    print(f"{what}: {detail}", file=sys.stderr)
    sys.exit(1)


base_url = os.environ.get("TASKBBS_URL", "http://127.0.0.1:8080")
token = os.environ.get("TASKBBS_TOKEN")
guid = sys.argv[1] if len(sys.argv) > 1 else f"py-client-{int(time.time() * 1000)}"
client = AuthenticatedClient(base_url=base_url, token=token) if token else Client(base_url=base_url)


def definition(guid, script):
    return TaskDefinition(
        guid=guid,
        domain="clients",
        root_fs="preloaded:cflinuxfs4",
        action=Action(run=ActionRun(path="sh", args=["-c", script], user="root")),
        result_file="result.txt",
        annotation="desired by the Python client",
    )


with client:
    # A bad definition answers 422 with every bad field, parsed as a Problem.
    bad = desire_task.sync_detailed(client=client, body=definition("not a guid", "true"))
    if bad.status_code != 422 or not isinstance(bad.parsed, Problem):
        fail("expected a 422 for a bad guid", bad.content)
    bad_field = bad.parsed.errors[0].field

    desired = desire_task.sync(client=client, body=definition(guid, "echo 42 > result.txt"))
    if not isinstance(desired, Task):
        fail("desire failed", desired)

    task = desired
    deadline = time.monotonic() + 30
    while task.state != TaskState.COMPLETED:
        if time.monotonic() > deadline:
            fail("the task did not complete in 30 s", task.state)
        time.sleep(0.1)
        task = get_task.sync(client=client, guid=guid)
        if not isinstance(task, Task):
            fail("get failed", task)
    if task.failed:
        fail("the task failed", task.failure_reason)

    listed = list_tasks.sync(client=client, domain="clients", state=TaskState.COMPLETED)
    if not any(t.guid == guid for t in listed.tasks):
        fail("the completed task is not listed", listed)

    resolving = resolving_task.sync(client=client, guid=guid)
    if not isinstance(resolving, Task) or resolving.state != TaskState.RESOLVING:
        fail("resolving failed", resolving)

    deleted = delete_task.sync_detailed(client=client, guid=guid)
    if deleted.status_code != 204:
        fail("delete failed", deleted.content)

    gone = get_task.sync(client=client, guid=guid)
    print(json.dumps({
        "client": "python",
        "guid": guid,
        "result": task.result.strip(),
        "bad_field": bad_field,
        "after_delete": gone.code.value if isinstance(gone, Problem) else None,
    }))
