"""A partner's Socket.io client for tests: Debian's python-socketio (python3-socketio,
python3-websocket, python3-requests), run with /usr/bin/python3 by test/support/python-client.ts.

argv[1] is JSON {url, namespace, auth?, headers?, transports?}. It connects, then speaks JSON
lines: it prints {"type": "connect"} or {"type": "connect_error", "data": ...} (then exits),
every server event as {"type": "event", "event": NAME, "data": ...}, {"type": "ack", "id": N,
"data": ...} for each stdin line {"id": N, "emit": EVENT, "data": ...}, and
{"type": "disconnect"}. A stdin line {"close": true} (or end of input) disconnects and exits.
"""
import json
import sys
import threading

import socketio

config = json.loads(sys.argv[1])
namespace = config["namespace"]
out_lock = threading.Lock()


def say(message):
    with out_lock:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()


sio = socketio.Client(reconnection=False)
refused = threading.Event()


@sio.on("connect", namespace=namespace)
def on_connect():
    say({"type": "connect", "transport": sio.transport()})


@sio.on("connect_error", namespace=namespace)
def on_connect_error(data=None):
    refused.set()
    say({"type": "connect_error", "data": data})


@sio.on("disconnect", namespace=namespace)
def on_disconnect():
    say({"type": "disconnect"})


@sio.on("*", namespace=namespace)
def on_event(event, data=None):
    say({"type": "event", "event": event, "data": data})


kwargs = {"namespaces": [namespace], "headers": config.get("headers") or {}, "wait_timeout": 5}
if "auth" in config:
    kwargs["auth"] = config["auth"]
if config.get("transports"):
    kwargs["transports"] = config["transports"]
try:
    sio.connect(config["url"], **kwargs)
except socketio.exceptions.ConnectionError as error:
    if not refused.is_set():
        say({"type": "connect_error", "data": {"message": str(error)}})
    sys.exit(0)


def acked(request_id):
    return lambda *args: say({"type": "ack", "id": request_id, "data": args[0] if args else None})


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    command = json.loads(line)
    if command.get("close"):
        break
    sio.emit(command["emit"], command.get("data"), namespace=namespace, callback=acked(command["id"]))
sio.disconnect()
