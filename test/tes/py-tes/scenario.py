"""Drives a taskbbs server with py-tes, the GA4GH TES client, through its whole
surface: service info, create, get in each view, list with paging, cancel, and
a task with an input, an output and two executors run to completion. List
filters (name_prefix, state, tags), which py-tes 1.1.4's list_tasks does not
take, go through py-tes's own request and unmarshalling functions.

Environment: TES_URL (the server), STORAGE_URL (an HTTP server that serves
/files/words.txt and takes uploads), TES_TOKEN (optional). Prints one JSON
object with what it saw; test/tes/py-tes.test.ts checks it.
"""
import json
import os
import time

import requests
import tes
from tes.client import append_suffixes_to_url, send_request
from tes.models import ListTasksResponse
from tes.utils import unmarshal

server = os.environ["TES_URL"]
storage = os.environ["STORAGE_URL"]
client = tes.HTTPClient(server, timeout=10, token=os.environ.get("TES_TOKEN"))
image = "busybox:1.36"
seen = {}


def list_filtered(**params):
    """GET /tasks with filters, through py-tes's transport and models."""
    response = send_request(
        paths=append_suffixes_to_url(client.urls, ["/tasks"]),
        kwargs_requests=client._request_params(params=params))
    return unmarshal(response.json(), ListTasksResponse)


def wait_for(task_id, states, timeout=30):
    deadline = time.time() + timeout
    while True:
        task = client.get_task(task_id, view="MINIMAL")
        if task.state in states or time.time() > deadline:
            return task
        time.sleep(0.1)


info = client.get_service_info()
seen["service"] = {"artifact": info.type["artifact"], "version": info.type["version"], "storage": info.storage}

# An input, an output and two executors, to completion.
pipeline = tes.Task(
    name="py-tes-pipeline",
    description="sort, then shout",
    tags={"suite": "py-tes"},
    inputs=[
        tes.Input(url=f"{storage}/files/words.txt", path="/data/words.txt", type="FILE"),
        tes.Input(content="!\n", path="/data/bang.txt"),
    ],
    outputs=[tes.Output(url=f"{storage}/out/py-tes", path="/data/result.txt", type="FILE")],
    resources=tes.Resources(cpu_cores=1, ram_gb=0.5),
    executors=[
        tes.Executor(image=image, command=["sort", "-r"], workdir="/data",
                     stdin="/data/words.txt", stdout="/data/sorted.txt"),
        tes.Executor(image=image, workdir="/data", env={"SUFFIX": "done"},
                     command=["sh", "-c", 'tr a-z A-Z < sorted.txt > result.txt; cat bang.txt >> result.txt; cat result.txt; echo "$SUFFIX" >&2']),
    ],
)
valid, problem = pipeline.is_valid()
assert valid, problem
pipeline_id = client.create_task(pipeline)
finished = client.wait(pipeline_id, timeout=60)
full = client.get_task(pipeline_id, view="FULL")
basic = client.get_task(pipeline_id, view="BASIC")
minimal = client.get_task(pipeline_id, view="MINIMAL")
log = full.logs[0]
seen["pipeline"] = {
    "wait_state": finished.state,
    "state": full.state,
    "name": full.name,
    "executors": len(full.executors),
    "exit_codes": [e.exit_code for e in log.logs],
    "stdout": [e.stdout for e in log.logs],
    "stderr": [e.stderr for e in log.logs],
    "ended_in_order": all(e.start_time <= e.end_time for e in log.logs) and log.logs[0].end_time <= log.logs[1].start_time,
    "outputs": [[o.path, o.size_bytes] for o in log.outputs],
    "full_content": full.inputs[1].content,
    "basic_content": basic.inputs[1].content,
    "basic_stdout": [e.stdout for e in basic.logs[0].logs],
    "basic_exit_codes": [e.exit_code for e in basic.logs[0].logs],
    "basic_system_logs": basic.logs[0].system_logs,
    "minimal": [minimal.id == pipeline_id, minimal.state, minimal.name, minimal.executors, minimal.logs],
    "creation_time": full.creation_time is not None,
}

# Paging through everything with list_tasks, and filters.
paged_ids = []
for i in range(3):
    paged_ids.append(client.create_task(tes.Task(
        name=f"py-tes-page-{i}", tags={"suite": "paging", "index": str(i)},
        executors=[tes.Executor(image=image, command=["true"])])))
for task_id in paged_ids:
    client.wait(task_id, timeout=30)
listed, token, pages = [], None, 0
while True:
    page = client.list_tasks(view="BASIC", page_size=2, page_token=token)
    pages += 1
    listed.extend(t.id for t in page.tasks)
    token = page.next_page_token
    if not token:
        break
minimal_page = client.list_tasks(page_size=1)
seen["paging"] = {
    "pages": pages,
    "listed": len(listed),
    "unique": len(set(listed)),
    "newest_first": listed[:3] == list(reversed(paged_ids)),
    "minimal_fields": [minimal_page.tasks[0].state is not None, minimal_page.tasks[0].executors],
}
seen["filters"] = {
    "name_prefix": [t.id == pipeline_id for t in list_filtered(name_prefix="py-tes-pipe").tasks],
    "tag": sorted(t.name for t in list_filtered(tag_key=["suite"], tag_value=["paging"], view="BASIC").tasks),
    "two_tags": [t.name for t in list_filtered(tag_key=["suite", "index"], tag_value=["paging", "1"], view="BASIC").tasks],
    "tag_any_value": len(list_filtered(tag_key=["index"]).tasks),
    "state_complete": len(list_filtered(state="COMPLETE").tasks),
    "state_queued": len(list_filtered(state="QUEUED").tasks),
}

# Cancel a running task.
sleeper = client.create_task(tes.Task(name="py-tes-sleeper", executors=[tes.Executor(image=image, command=["sleep", "60"])]))
running = wait_for(sleeper, ["RUNNING"])
client.cancel_task(sleeper)
seen["cancel"] = {"before": running.state, "after": client.get_task(sleeper, view="MINIMAL").state}
client.cancel_task(sleeper)  # a second cancel of a finished task is not an error

# A failing executor, and bad input.
failing = client.create_task(tes.Task(executors=[tes.Executor(image=image, command=["sh", "-c", "exit 7"])]))
failed = client.wait(failing, timeout=30)
seen["failing"] = {"state": failed.state, "exit_code": client.get_task(failing, view="BASIC").logs[0].logs[0].exit_code}
try:
    client.create_task(tes.Task(executors=[tes.Executor(image=image, command=["true"], stdout="relative.txt")]))
    seen["bad"] = "accepted"
except requests.exceptions.HTTPError as err:
    seen["bad"] = {"status": err.response.status_code, "detail": err.response.json()["detail"]}
try:
    client.get_task("no-such-task")
    seen["missing"] = "found"
except requests.exceptions.HTTPError as err:
    seen["missing"] = err.response.status_code

print(json.dumps(seen))
