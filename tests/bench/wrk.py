"""Drive a page with wrk: a Lua script carries the cookie, the form and the percentiles out."""

import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

CONNECTIONS = 16
THREADS = 2
MARKER = "BENCH-RESULT"

# Each thread counts the answers that are not 2xx (wrk itself only counts 4xx and 5xx, and a
# redirect to the sign-in page is a failure too); `done` adds them up and prints one line.
SCRIPT = """\
wrk.method = {method}
wrk.body = {body}
{headers}
local threads = {{}}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  first_status = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_status == 0 then first_status = status end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    if first == 0 then first = thread:get("first_status") end
  end
  local e = summary.errors
  io.write(string.format(
    "{marker} requests=%d duration_us=%d bytes=%d p50_us=%d p95_us=%d p99_us=%d " ..
    "max_us=%d mean_us=%.1f non2xx=%d first_status=%d connect=%d read=%d write=%d " ..
    "status=%d timeout=%d\\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean, bad, first,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int
    first_status: int
    socket_errors: int
    timeouts: int

    @property
    def failed(self) -> bool:
        return self.requests == 0 or self.non2xx > 0 or self.socket_errors > 0

    def problem(self) -> str:
        if self.requests == 0:
            return "no request completed"
        parts = []
        if self.non2xx:
            parts.append(f"{self.non2xx} answers not 2xx (the first was {self.first_status})")
        if self.socket_errors:
            parts.append(f"{self.socket_errors} socket errors ({self.timeouts} timeouts)")
        return "; ".join(parts)

    def as_dict(self) -> dict:
        return asdict(self) | {"failed": self.failed}


def lua_string(text: str) -> str:
    """Quote text as a Lua string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def script(method: str = "GET", body: str | None = None,
           headers: dict[str, str] | None = None) -> str:
    lines = "\n".join(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}"
                      for name, value in (headers or {}).items())
    return SCRIPT.format(method=lua_string(method), body=lua_string(body) if body else "nil",
                         headers=lines, marker=MARKER)


def parse(output: str) -> WrkResult:
    """Read the line the Lua `done` hook printed into numbers."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            values = dict(item.split("=", 1) for item in line.split()[1:])
            break
    else:
        raise ValueError(f"wrk printed no {MARKER} line:\n{output}")
    number = {key: float(value) for key, value in values.items()}
    seconds = number["duration_us"] / 1e6
    return WrkResult(
        requests=int(number["requests"]), seconds=round(seconds, 3),
        rps=number["requests"] / seconds if seconds else 0.0,
        p50_ms=number["p50_us"] / 1000, p95_ms=number["p95_us"] / 1000,
        p99_ms=number["p99_us"] / 1000, max_ms=number["max_us"] / 1000,
        non2xx=int(number["non2xx"]), first_status=int(number["first_status"]),
        socket_errors=int(number["connect"] + number["read"] + number["write"]
                          + number["timeout"]),
        timeouts=int(number["timeout"]))


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk).")
    return path


def version() -> str:
    result = subprocess.run([wrk_path(), "--version"], capture_output=True, text=True)
    return (result.stdout or result.stderr).split(" Copyright")[0].strip()


def run(url: str, lua: str, workdir: Path, seconds: float, connections: int = CONNECTIONS,
        threads: int = THREADS, timeout: float = 10) -> WrkResult:
    path = workdir / "page.lua"
    path.write_text(lua)
    command = [wrk_path(), "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
               "--timeout", f"{timeout:g}s", "-s", str(path), url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    return parse(result.stdout)
