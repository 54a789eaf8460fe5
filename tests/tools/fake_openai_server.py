#!/usr/bin/env python3
"""A small OpenAI-compatible chat-completions server for the openai backend's tests.

Python 3 standard library only. Listens on 127.0.0.1 (never another interface) on a port the OS
picks and prints that port as the first line of stdout. It speaks POST /v1/chat/completions,
streamed (server-sent events: a role chunk, one chunk per word, a finish chunk, a usage chunk when
stream_options.include_usage, then `data: [DONE]`) and not, and GET /v1/models.

Every request is checked as a real VLM server would see it: a model name, one user message with a
text part and an image_url part holding a base64 data URL whose bytes match its MIME type,
temperature 0, max_tokens a positive integer when present, stream_options with streaming. A
request that fails a check gets 400 with the reason, so the client's test fails loudly.

Answers: with --suite, a request carrying `X-Imaxbench-Sample-Id: ID` for a record of that suite
is checked against the record (the image bytes are the file's, or for DICOM and 16-bit PNG an 8-bit
gray PNG of the same size; the prompt holds the record's phrase or question) and answered from
--answers (a predictions JSONL), 404 when that file has no answer. Other requests are answered
from a small table keyed by the prompt, else "echo: PROMPT".

Knobs, per URL prefix: /x/KNOBS/v1/... where KNOBS is `name=value` pairs joined by commas; counters
(fail, drop) and statistics are kept per distinct KNOBS string, so each test uses its own prefix:
  fail=N status=S retry_after=R  the first N requests get HTTP S (default 503), with Retry-After R
  drop=N                          the first N requests are answered by closing the connection
  delay_ms=D                      wait D ms before the response starts
  chunk_delay_ms=D                wait D ms before each streamed chunk
  hang_s=S                        wait S s (at most 60) before anything: past the client's timeout
  bad=1                           400 with an OpenAI error body that echoes the Authorization header
  usage=0                         never send a usage block
  error_chunk=1                   stream one word, then an error chunk
  nostream=1                      answer with one JSON body even when asked to stream
  max_tokens=N                    require max_tokens == N
  bad200=KIND bad200_n=N          HTTP 200 with a body that is not the protocol (the first N requests;
                                  default all): html (an HTML error page), empty, garbage (bytes
                                  that are neither SSE nor JSON), nochoices (well-formed JSON or SSE
                                  with no choices), cut (an answer cut short: a stream without
                                  finish_reason or [DONE], or truncated JSON)
  huge_mb=M                       the answer is M MiB of "x" (streamed in 16 KiB deltas)
  echo_key=1                      the answer text repeats the request's Authorization header
                                  (streamed in 4-byte chunks)
  echo_request=1                  the answer is JSON: the request's headers, its body with the image
                                  URL replaced by {"mime", "width", "height"} of the image sent
  sampling=1                      any temperature >= 0 is accepted (default: it must be 0)
  vllm=1                          also refuse what vLLM's chat API refuses: message roles other than
                                  system/user/assistant, content parts other than text/image_url,
                                  "stop" other than a string or a list of strings, a "chat_template"
                                  or "top_k" of the wrong type
GET /x/KNOBS/stats returns {"requests", "max_in_flight", "in_flight", "bytes_sent", "cut_by_client"}
for that prefix; the last two count huge_mb answers (bytes written, answers the client hung up on).

--api-key-env NAME makes every request need `Authorization: Bearer $NAME`. The server exits when
--parent-pid is gone or after --max-seconds, whichever comes first.
"""
import argparse
import base64
import binascii
import json
import os
import re
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MAX_BODY = 64 << 20
PROMPT_TABLE = {
    "Say hello.": "Hello there, friend.",
    "Count to five.": "one two three four five",
    "Say nothing.": "",  # an honest empty answer: a finish_reason and no content
}
PNG_SIG = b"\x89PNG\r\n\x1a\n"


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.prefix = {}  # knob string -> {"requests", "in_flight", "max_in_flight"}

    def enter(self, key):
        with self.lock:
            s = self.prefix.setdefault(key, self.empty())
            s["requests"] += 1
            s["in_flight"] += 1
            s["max_in_flight"] = max(s["max_in_flight"], s["in_flight"])
            return s["requests"]

    def leave(self, key):
        with self.lock:
            self.prefix[key]["in_flight"] -= 1

    def add(self, key, name, n):
        with self.lock:
            self.prefix[key][name] += n

    def stats(self, key):
        with self.lock:
            return dict(self.prefix.get(key, self.empty()))

    @staticmethod
    def empty():
        return {"requests": 0, "in_flight": 0, "max_in_flight": 0, "bytes_sent": 0, "cut_by_client": 0}


def png_info(data):
    """(width, height, bit depth, colour type) from a PNG's IHDR, or None."""
    if len(data) < 29 or not data.startswith(PNG_SIG) or data[12:16] != b"IHDR":
        return None
    w, h, depth, colour = struct.unpack(">IIBB", data[16:26])
    return w, h, depth, colour


def jpeg_size(data):
    """(width, height) from a JPEG's first SOF marker, or None."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    return None


def dicom_size(data):
    """(columns, rows) from the first Rows/Columns elements of a DICOM file, or None."""
    def find(tag):
        for vr_form in (tag + b"US\x02\x00", tag + b"\x02\x00\x00\x00"):
            i = data.find(vr_form, 132)
            if i >= 0:
                return struct.unpack("<H", data[i + len(vr_form):i + len(vr_form) + 2])[0]
        return None
    rows, cols = find(b"\x28\x00\x10\x00"), find(b"\x28\x00\x11\x00")
    return (cols, rows) if rows and cols else None


class Suite:
    """Records of a suite by id, with the folder their image paths are relative to."""

    def __init__(self, suite_path, answers_path):
        self.records, self.answers = {}, {}
        if suite_path:
            suite_path = Path(suite_path)
            suite = json.loads(suite_path.read_text())
            for task in suite["tasks"]:
                split = suite_path.parent / task["split"]
                for line in split.read_text().splitlines():
                    if line.strip():
                        rec = json.loads(line)
                        self.records[rec["id"]] = (rec, split.parent)
        if answers_path:
            for line in Path(answers_path).read_text().splitlines():
                if line.strip():
                    rec = json.loads(line)
                    self.answers[rec["id"]] = rec["prediction"]

    def check(self, sample_id, prompt, mime, image):
        """Problems of a request for a known record, as a list of strings."""
        rec, folder = self.records[sample_id]
        path = folder / rec["image"]
        source = path.read_bytes()
        problems = []
        info = png_info(source)
        if source.startswith(b"\xff\xd8\xff") or (info and info[2] <= 8):
            if image != source:
                problems.append("image bytes differ from %s" % path)
        else:  # DICOM or 16-bit PNG: must arrive as 8-bit gray PNG of the same size
            got = png_info(image)
            want = info[:2] if info else dicom_size(source)
            if mime != "image/png" or not got or got[2:] != (8, 0):
                problems.append("%s should arrive as an 8-bit grayscale PNG, got %s %s" % (path, mime, got))
            elif want and got[:2] != tuple(want):
                problems.append("%s is %s but the PNG is %s" % (path, want, got[:2]))
        if "prompt" in rec and prompt != rec["prompt"]:
            problems.append("prompt %r is not the record's %r" % (prompt, rec["prompt"]))
        for field in ("phrase", "question"):
            if field in rec and rec[field] not in prompt:
                problems.append("prompt %r lacks the record's %s %r" % (prompt, field, rec[field]))
        return problems


def check_request(body, knobs):
    """(prompt, mime, image bytes) of a well-formed request; raises ValueError naming the problem."""
    if not isinstance(body.get("model"), str) or not body["model"]:
        raise ValueError("model must be a non-empty string")
    msgs = body.get("messages")
    if isinstance(msgs, list) and len(msgs) == 2 and msgs[0].get("role") == "system":
        if not isinstance(msgs[0].get("content"), str) or not msgs[0]["content"]:
            raise ValueError("a system message must have text content")
        msgs = msgs[1:]
    if not isinstance(msgs, list) or len(msgs) != 1 or msgs[0].get("role") != "user":
        raise ValueError("messages must be one user message (after an optional system message)")
    content = msgs[0].get("content")
    if not isinstance(content, list):
        raise ValueError("content must be a list of parts")
    texts = [p for p in content if p.get("type") == "text"]
    images = [p for p in content if p.get("type") == "image_url"]
    if len(texts) != 1 or len(images) != 1 or len(content) != 2:
        raise ValueError("content must be one text part and one image_url part")
    prompt = texts[0].get("text")
    if not isinstance(prompt, str) or not prompt:
        raise ValueError("the text part is empty")
    m = re.fullmatch(r"data:(image/(?:png|jpeg));base64,([A-Za-z0-9+/]*={0,2})", images[0]["image_url"]["url"])
    if not m:
        raise ValueError("image_url.url must be a data:image/png or image/jpeg base64 URL")
    try:
        image = base64.b64decode(m.group(2), validate=True)
    except binascii.Error as e:
        raise ValueError("bad base64 in the data URL: %s" % e)
    mime = m.group(1)
    if mime == "image/png" and not image.startswith(PNG_SIG):
        raise ValueError("image/png data URL without a PNG signature")
    if mime == "image/jpeg" and not image.startswith(b"\xff\xd8\xff"):
        raise ValueError("image/jpeg data URL without a JPEG signature")
    t = body.get("temperature")
    if knobs.get("sampling") == "1":
        if not isinstance(t, (int, float)) or isinstance(t, bool) or t < 0:
            raise ValueError("temperature must be a number >= 0, got %r" % t)
    elif t != 0:
        raise ValueError("temperature must be 0, got %r" % t)
    mt = body.get("max_tokens")
    if mt is not None and (not isinstance(mt, int) or mt <= 0):
        raise ValueError("max_tokens must be a positive integer")
    if "max_tokens" in knobs and mt != int(knobs["max_tokens"]):
        raise ValueError("max_tokens should be %s, got %r" % (knobs["max_tokens"], mt))
    if knobs.get("vllm") == "1":
        check_vllm_request(body)
    if body.get("stream") and body.get("stream_options", {}).get("include_usage") is not True:
        raise ValueError("streaming requests should ask for stream_options.include_usage")
    if not body.get("stream") and "stream_options" in body:
        raise ValueError("stream_options is only allowed with stream: true")
    return prompt, mime, image


def check_vllm_request(body):
    """What vLLM's ChatCompletionRequest (pydantic) would refuse with a 400."""
    for m in body["messages"]:
        if m.get("role") not in ("system", "user", "assistant"):
            raise ValueError("vllm: unknown role %r" % m.get("role"))
        if isinstance(m.get("content"), list):
            for part in m["content"]:
                if part.get("type") not in ("text", "image_url"):
                    raise ValueError("vllm: unknown content part %r" % part.get("type"))
                if part["type"] == "image_url" and not isinstance(part.get("image_url"), dict):
                    raise ValueError("vllm: image_url must be an object with a url")
    stop = body.get("stop")
    if stop is not None and not (isinstance(stop, str) or (isinstance(stop, list) and all(isinstance(x, str) for x in stop))):
        raise ValueError("vllm: stop must be a string or a list of strings, got %r" % (stop,))
    if "chat_template" in body and not isinstance(body["chat_template"], str):
        raise ValueError("vllm: chat_template must be a string")
    if "top_k" in body and (not isinstance(body["top_k"], int) or isinstance(body["top_k"], bool)):
        raise ValueError("vllm: top_k must be an integer")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # small SSE writes must not wait for delayed ACKs (40 ms each)
    server_version = "fake-openai/1"

    def log_message(self, fmt, *args):  # quiet: tests read only the port line
        pass

    def route(self):
        """(knob string, knobs dict, rest of the path)."""
        m = re.fullmatch(r"(?:/x/([^/]*))?(/.*)", self.path)
        key = m.group(1) or ""
        knobs = dict(kv.split("=", 1) for kv in key.split(",") if "=" in kv)
        return key, knobs, m.group(2)

    def send_json(self, status, obj, extra=()):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, message, extra=()):
        self.send_json(status, {"error": {"message": message, "type": "invalid_request_error", "code": status}},
                       extra)

    def authorized(self):
        want = self.server.api_key
        if want is None or self.headers.get("Authorization") == "Bearer " + want:
            return True
        self.error(401, "invalid or missing API key")
        return False

    def do_GET(self):
        key, _, rest = self.route()
        if rest == "/stats":
            return self.send_json(200, self.server.state.stats(key))
        if not self.authorized():
            return
        if rest == "/v1/models":
            return self.send_json(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
        self.error(404, "no route %s" % rest)

    def do_POST(self):
        key, knobs, rest = self.route()
        length = int(self.headers.get("Content-Length", "0"))
        if length > MAX_BODY:
            self.close_connection = True
            return self.error(413, "body over %d bytes" % MAX_BODY)
        raw = self.rfile.read(length)
        if rest != "/v1/chat/completions":
            return self.error(404, "no route %s" % rest)
        state = self.server.state
        n = state.enter(key)
        try:
            self.complete(n, knobs, raw, key)
        finally:
            state.leave(key)

    def complete(self, n, knobs, raw, key):
        if not self.authorized():
            return
        if n <= int(knobs.get("drop", 0)):
            self.close_connection = True
            self.connection.shutdown(2)
            return
        time.sleep(min(float(knobs.get("hang_s", 0)), 60))
        time.sleep(int(knobs.get("delay_ms", 0)) / 1000)
        if n <= int(knobs.get("fail", 0)):
            extra = [("Retry-After", knobs["retry_after"])] if "retry_after" in knobs else []
            return self.error(int(knobs.get("status", 503)), "overloaded, try again", extra)
        if knobs.get("bad") == "1":
            return self.error(400, "bad request; you sent Authorization: %s" % self.headers.get("Authorization"))
        try:
            body = json.loads(raw)
            prompt, mime, image = check_request(body, knobs)
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            return self.error(400, "fake server: %s" % e)
        stream = body.get("stream") and knobs.get("nostream") != "1"
        if "bad200" in knobs and n <= int(knobs.get("bad200_n", n)):
            return self.bad200(knobs["bad200"], stream)
        if "huge_mb" in knobs:
            return self.huge(int(knobs["huge_mb"]) << 20, stream, body, key)
        suite, sample_id = self.server.suite, self.headers.get("X-Imaxbench-Sample-Id")
        if knobs.get("echo_key") == "1":
            answer = "You sent Authorization: %s" % self.headers.get("Authorization")
        elif knobs.get("echo_request") == "1":
            size = png_info(image)[:2] if mime == "image/png" else jpeg_size(image)
            for m in body["messages"]:
                for part in m["content"] if isinstance(m["content"], list) else []:
                    if part.get("type") == "image_url":
                        part["image_url"]["url"] = {"mime": mime, "width": size[0], "height": size[1]}
            answer = json.dumps({"headers": dict(self.headers.items()), "body": body})
        elif sample_id in suite.records:
            problems = suite.check(sample_id, prompt, mime, image)
            if problems:
                return self.error(400, "fake server: sample %s: %s" % (sample_id, "; ".join(problems)))
            if sample_id not in suite.answers:
                return self.error(404, "fake server: no answer for sample %s" % sample_id)
            answer = suite.answers[sample_id]
        else:
            answer = PROMPT_TABLE.get(prompt, "echo: " + prompt)
        pieces = [p for p in re.split(r"(?<=\s)(?=\S)", answer) if p]
        if knobs.get("echo_key") == "1":  # the key split over chunks, as a tokenizer would split it
            pieces = [answer[i:i + 4] for i in range(0, len(answer), 4)]
        usage = None
        if knobs.get("usage") != "0":
            usage = {"prompt_tokens": len(prompt.split()) + 100, "completion_tokens": len(pieces),
                     "total_tokens": len(prompt.split()) + 100 + len(pieces)}
        if stream:
            self.stream(body, pieces, usage, knobs)
        else:
            out = {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": body["model"],
                   "choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                                "finish_reason": "stop"}]}
            if usage:
                out["usage"] = usage
            self.send_json(200, out)

    def stream(self, body, pieces, usage, knobs):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        delay = int(knobs.get("chunk_delay_ms", 0)) / 1000
        base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": body["model"]}

        def send(obj):
            time.sleep(delay)
            event = ("data: %s\n\n" % (obj if isinstance(obj, str) else json.dumps(obj))).encode()
            # Two HTTP chunks per event: the client must join pieces of one SSE line.
            for part in (event[: len(event) // 2], event[len(event) // 2:]):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.flush()

        def choice(delta, finish=None):
            return dict(base, choices=[{"index": 0, "delta": delta, "finish_reason": finish}])

        send(choice({"role": "assistant", "content": ""}))
        if knobs.get("error_chunk") == "1":
            send(choice({"content": pieces[0] if pieces else "x"}))
            send({"error": {"message": "engine failed mid-stream", "type": "InternalServerError", "code": 500}})
        else:
            for p in pieces:
                send(choice({"content": p}))
            send(choice({}, "stop"))
            if usage and body.get("stream_options", {}).get("include_usage"):
                send(dict(base, choices=[], usage=usage))
        send("[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def send_raw(self, status, content_type, data):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def bad200(self, kind, stream):
        """HTTP 200 whose body is not a chat completion, as proxies and broken servers send."""
        chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": "fake"}
        content_type = "text/event-stream" if stream else "application/json"
        if kind == "html":
            return self.send_raw(200, "text/html", b"<!DOCTYPE html><html><body><h1>Service Unavailable</h1>"
                                 b"<p>The upstream server is restarting.</p></body></html>")
        if kind == "empty":
            return self.send_raw(200, content_type, b"")
        if kind == "garbage":
            return self.send_raw(200, content_type, b"\x00\x17\x9c garbage \xff\xfe\nnot: sse\n\n%%% \n")
        if kind == "nochoices":
            if stream:
                data = ("data: %s\n\ndata: [DONE]\n\n" % json.dumps(chunk)).encode()
            else:
                data = json.dumps(dict(chunk, object="chat.completion")).encode()
            return self.send_raw(200, content_type, data)
        if kind == "cut":
            if stream:
                events = [dict(chunk, choices=[{"index": 0, "delta": d, "finish_reason": None}])
                          for d in ({"role": "assistant", "content": ""}, {"content": "Hel"})]
                data = "".join("data: %s\n\n" % json.dumps(e) for e in events).encode()
            else:
                data = b'{"choices":[{"index":0,"message":{"role":"assistant","content":"Hel'
            return self.send_raw(200, content_type, data)
        self.error(400, "fake server: unknown bad200 kind %r" % kind)

    def huge(self, size, stream, body, key):
        """An answer of `size` bytes; counts what was written and whether the client hung up."""
        state = self.server.state
        piece = "x" * (16 << 10)
        base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": body["model"]}
        try:
            if not stream:
                out = {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": body["model"],
                       "choices": [{"index": 0, "message": {"role": "assistant", "content": "x" * size},
                                    "finish_reason": "stop"}]}
                data = json.dumps(out).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                for i in range(0, len(data), 1 << 20):
                    self.wfile.write(data[i:i + (1 << 20)])
                    state.add(key, "bytes_sent", len(data[i:i + (1 << 20)]))
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

            def send(obj):
                event = ("data: %s\n\n" % (obj if isinstance(obj, str) else json.dumps(obj))).encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
                state.add(key, "bytes_sent", len(event))

            delta = dict(base, choices=[{"index": 0, "delta": {"content": piece}, "finish_reason": None}])
            for _ in range(size // len(piece)):
                send(delta)
            send(dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "length"}]))
            send("[DONE]")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            state.add(key, "cut_by_client", 1)
            self.close_connection = True


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout tests) breaks the pipe; that is expected here


def watchdog(parent_pid, max_seconds):
    end = time.monotonic() + max_seconds
    while time.monotonic() < end:
        if parent_pid:
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                break
        time.sleep(0.2)
    os._exit(0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suite", help="suite.json whose records requests may name")
    ap.add_argument("--answers", help="predictions JSONL answering those records")
    ap.add_argument("--api-key-env", help="require Authorization: Bearer $NAME")
    ap.add_argument("--parent-pid", type=int, default=0, help="exit when this process is gone")
    ap.add_argument("--max-seconds", type=float, default=600, help="exit after this long in any case")
    args = ap.parse_args()
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.state = State()
    server.suite = Suite(args.suite, args.answers)
    server.api_key = None
    if args.api_key_env:
        server.api_key = os.environ.get(args.api_key_env)
        if not server.api_key:
            sys.exit("fake_openai_server: environment variable %s is not set" % args.api_key_env)
    threading.Thread(target=watchdog, args=(args.parent_pid, args.max_seconds), daemon=True).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
