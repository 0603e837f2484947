"""A real HTTP server standing in for an OpenAI-compatible chat-completions API (OpenAI, Mistral, Ollama, vLLM):
it records what it receives and answers as scripted: valid content, text that is not JSON, JSON that does not
match the schema, a slow answer, a 500, or a 400 to JSON-Schema structured output (servers without it)."""

import json
import threading
import time

from tests.server_support import StandInHandler, StandInServer

USAGE = {"prompt_tokens": 1800, "completion_tokens": 3200, "total_tokens": 5000}


class OpenAIStub(StandInServer):
    def __init__(self) -> None:
        self.content: dict = {}  # what a "valid" answer carries
        self.script: list = []  # per request: "valid", "bad_json", "invalid_schema", "slow", or an HTTP status
        self.refuse_json_schema = False
        self.slow_seconds = 1.5
        self.received: list[dict] = []
        self.authorizations: list[str] = []
        self._lock = threading.Lock()
        super().__init__()

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1"

    def _answer_for(self, request: dict) -> tuple[int, dict]:
        if self.refuse_json_schema and request.get("response_format", {}).get("type") == "json_schema":
            return 400, {"error": {"message": "response_format json_schema is not supported", "type": "invalid_request_error"}}
        with self._lock:
            step = self.script.pop(0) if self.script else "valid"
        if isinstance(step, int):
            return step, {"error": {"message": "the model crashed", "type": "server_error"}}
        if step == "slow":
            time.sleep(self.slow_seconds)
        text = {
            "valid": json.dumps(self.content), "slow": json.dumps(self.content),
            "bad_json": '{"title": "Une lecture", "reading": ',
            "invalid_schema": json.dumps({"title": "Une lecture", "reading": "trop court"}),
        }[step]
        return 200, {
            "id": "chatcmpl-lumira", "object": "chat.completion", "created": int(time.time()), "model": request["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": USAGE,
        }

    def handler(self) -> type[StandInHandler]:
        stub = self

        class Handler(StandInHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                with stub._lock:
                    stub.received.append(body)
                    stub.authorizations.append(self.headers.get("Authorization", ""))
                status, answer = stub._answer_for(body) if self.path == "/v1/chat/completions" else (404, {})
                self.reply(status, json.dumps(answer).encode())

        return Handler
