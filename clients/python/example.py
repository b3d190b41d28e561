"""The Python client at work, as installed with ``pip install ./clients/python``:
desire a task, wait for it to complete by following the events stream, read its
result, resolve and delete it; replay and resume the events stream; receive a
completion callback and check its signature.

    TASKBBS_URL=http://127.0.0.1:8080 TASKBBS_TOKEN=... TASKBBS_DOMAIN=demo \
    [TASKBBS_CALLBACK_SIGNING_SECRET=whsec_...] python example.py [GUID]

The callback part needs a server in development mode (callbacks to loopback are
refused otherwise) and its signing secret. Prints one JSON line of what it saw;
exits non-zero on the first surprise.
"""

import json
import os
import queue
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

from taskbbs import InvalidSignature, Reset, connect, follow_events, verify_callback, wait_for_completion
from taskbbs_client.api.tasks import delete_task, desire_task, get_task, list_tasks, resolving_task
from taskbbs_client.models import Action, ActionRun, Problem, Task, TaskDefinition, TaskEventType, TaskState

domain = os.environ.get("TASKBBS_DOMAIN", "default")
secret = os.environ.get("TASKBBS_CALLBACK_SIGNING_SECRET")
guid = sys.argv[1] if len(sys.argv) > 1 else f"py-client-{int(time.time() * 1000)}"
seen = {"client": "python", "guid": guid}


def fail(what, detail):
    print(f"{what}: {detail}", file=sys.stderr)
    sys.exit(1)


def definition(guid, script, domain=domain, callback_url=None):
    return TaskDefinition(
        guid=guid,
        domain=domain,
        root_fs="preloaded:cflinuxfs4",
        action=Action(run=ActionRun(path="sh", args=["-c", script], user="root")),
        result_file="result.txt",
        annotation="desired by the Python client",
        **({"completion_callback_url": callback_url} if callback_url else {}),
    )


def receive_callbacks():
    """A loopback HTTP server putting (headers, raw body) of each POST on a queue."""
    received = queue.Queue()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["content-length"]))
            received.put(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


with connect() as client:
    # A bad definition answers 422 with every bad field, parsed as a Problem.
    bad = desire_task.sync_detailed(client=client, body=definition("not a guid", "true"))
    if bad.status_code != 422 or not isinstance(bad.parsed, Problem):
        fail("expected a 422 for a bad guid", bad.content)
    seen["bad_field"] = bad.parsed.errors[0].field

    # A domain the token does not cover: 403 (no token at all: the server may allow it).
    elsewhere = desire_task.sync_detailed(
        client=client, body=definition(f"{guid}-elsewhere", "true", domain=f"{domain}-elsewhere")
    )
    seen["other_domain"] = (
        elsewhere.parsed.code.value if isinstance(elsewhere.parsed, Problem) else elsewhere.status_code
    )

    desired = desire_task.sync(client=client, body=definition(guid, "echo 42 > result.txt"))
    if not isinstance(desired, Task):
        fail("desire failed", desired)
    task = wait_for_completion(client, guid, timeout=60)
    if task.failed:
        fail("the task failed", task.failure_reason)
    seen["result"] = task.result.strip()

    listed = list_tasks.sync(client=client, domain=domain, state=TaskState.COMPLETED)
    if not any(t.guid == guid for t in listed.tasks):
        fail("the completed task is not listed", listed)
    resolving = resolving_task.sync(client=client, guid=guid)
    if not isinstance(resolving, Task) or resolving.state != TaskState.RESOLVING:
        fail("resolving failed", resolving)
    deleted = delete_task.sync_detailed(client=client, guid=guid)
    if deleted.status_code != 204:
        fail("delete failed", deleted.content)
    gone = get_task.sync(client=client, guid=guid)
    seen["after_delete"] = gone.code.value if isinstance(gone, Problem) else None

    # The task's whole history from the oldest event kept ("0-0"), then again
    # resumed after its first event: the same events but the first, none twice.
    def history(after):
        events = []
        for event in follow_events(client, domain=domain, last_event_id=after, timeout=30):
            if isinstance(event, Reset) or event.guid != guid:
                continue
            events.append(event)
            if event.type_ == TaskEventType.TASK_REMOVED:
                return events

    replayed = history("0-0")
    resumed = history(replayed[0].id)
    seen["events"] = [f"{e.type_.value}:{e.state.value}" for e in replayed]
    seen["resumed_after_first"] = [e.id for e in resumed] == [e.id for e in replayed[1:]]

    if secret:
        # A completion callback, its signature checked; the same body altered is refused.
        server, received = receive_callbacks()
        url = f"http://127.0.0.1:{server.server_address[1]}/done"
        desire_task.sync(client=client, body=definition(f"{guid}-cb", "echo 7 > result.txt", callback_url=url))
        headers, body = received.get(timeout=60)
        callback = verify_callback(secret, body, headers)
        try:
            verify_callback(secret, body.replace(b'"7', b'"8'), headers)
            seen["forged_refused"] = False
        except InvalidSignature:
            seen["forged_refused"] = True
        seen["callback"] = {"task_guid": callback.task_guid, "result": callback.result.strip()}
        server.shutdown()

print(json.dumps(seen))
