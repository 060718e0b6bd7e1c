"""Throughput of the real API as ratios of a one-query anchor, measured side by side.

    .venv/bin/python -m bench.api [--databases sqlite,postgresql] [--seconds 6] [--pairs 3]

For each database: a fresh database (SQLite in a temporary directory; on PostgreSQL the database
`tdkt_bench` at TDKT_BENCH_PG_URL, default postgresql+asyncpg://postgres@127.0.0.1:5432, dropped
and created again), migrated and bootstrapped by the `tdkt` command; one uvicorn worker of the
app and one of `bench/anchor_app.py` (FastAPI + SQLAlchemy Core, one SELECT, no auth) both
pinned to CPU 0, wrk pinned to CPU 1. Each endpoint is measured in pairs that alternate anchor
and endpoint, so a neighbour's load hits both; the figure is the median ratio of the pairs. The
seed is what ../shared/bench/api_ratio.sh seeds (a unit officer, an open round, 60 draft dossiers
of three nominations; the list reads 50 of them), and the award type has no required papers so
that drafts can be submitted.

Prints the table, writes bench/results/api-<database>.json, and exits 1 when a target is missed
(2 when it could not measure). Needs `wrk` and `taskset` (apt-get install -y wrk).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
PG_URL = os.environ.get("TDKT_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
PG_NAME = os.environ.get("TDKT_BENCH_PG_NAME", "tdkt_bench")
# TDKT_BENCH_PORT (and TDKT_BENCH_PG_NAME) move both servers (the anchor on the next-but-one
# port) and the database, so that two runs can share a host.
PORT_APP = int(os.environ.get("TDKT_BENCH_PORT", "18890"))
PORT_ANCHOR = PORT_APP + 2
ADMIN_PASSWORD = "Bench-Admin-Pass-1"
UNIT_PASSWORD = "Bench-Unit-Pass-1"
AWARD = "bang_khen_chu_tich_ubnd_tinh"
DRAFTS_PER_SUBMIT_RUN = 2500


@dataclass
class Endpoint:
    key: str
    label: str
    target: float | None  # minimum ratio of the anchor; None: reported only
    method: str = "GET"
    path: str = ""
    token: str = "admin"
    lua: str = ""
    pairs: list[dict] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(p["ratio"] for p in self.pairs) if self.pairs else 0.0


def endpoints(dossier_id: int) -> list[Endpoint]:
    return [
        Endpoint("me", "GET /auth/me", 0.8, path="/api/v1/auth/me"),
        Endpoint(
            "dossier",
            "GET /dossiers/{id} (3 nominations)",
            0.5,
            path=f"/api/v1/dossiers/{dossier_id}",
        ),
        Endpoint(
            "page",
            "GET /dossiers?limit=50 (150 nominations)",
            0.15,
            path="/api/v1/dossiers?limit=50",
        ),
        Endpoint(
            "create",
            "POST /dossiers (3 nominations)",
            None,
            "POST",
            "/api/v1/dossiers",
            token="unit",
            lua="create",
        ),
        Endpoint(
            "submit",
            "POST /dossiers/{id}/submit",
            None,
            "POST",
            "/api/v1/dossiers/{id}/submit",
            token="unit",
            lua="submit",
        ),
    ]


class Api:
    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, method: str, path: str, body=None, token: str | None = None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        h = {"Content-Type": "application/json", **(headers or {})}
        if token:
            h["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        with urllib.request.urlopen(req) as r:
            return json.load(r), r.headers

    def token(self, username: str, password: str) -> str:
        data = urllib.parse.urlencode({"username": username, "password": password}).encode()
        with urllib.request.urlopen(self.base + "/api/v1/auth/token", data=data) as r:
            return json.load(r)["access_token"]


def seed(api: Api) -> dict:
    admin = api.token("admin", ADMIN_PASSWORD)
    unit, _ = api.call(
        "POST",
        "/api/v1/units",
        {"code": "bench1", "name": "Đơn vị đo hiệu năng", "aliases": []},
        admin,
    )
    api.call(
        "POST",
        "/api/v1/users",
        {
            "username": "benchunit",
            "password": UNIT_PASSWORD,
            "full_name": "Cán bộ đo",
            "role": "unit",
            "unit_id": unit["id"],
        },
        admin,
    )
    rnd, _ = api.call(
        "POST",
        "/api/v1/rounds",
        {
            "year": 2026,
            "number": 2,
            "name": "Đợt 2 năm 2026",
            "submission_opens_on": "2026-01-01",
            "submission_closes_on": "2026-12-31",
        },
        admin,
    )
    api.call("POST", f"/api/v1/rounds/{rnd['id']}/open", None, admin)
    _, headers = api.call("GET", f"/api/v1/award-types/{AWARD}", None, admin)
    api.call(
        "PATCH",
        f"/api/v1/award-types/{AWARD}",
        {"required_documents": []},
        admin,
        {"If-Match": headers["ETag"]},
    )
    officer = api.token("benchunit", UNIT_PASSWORD)
    last = 0
    for i in range(60):
        body = dossier_body(rnd["id"], f"seed-{i}")
        last = api.call("POST", "/api/v1/dossiers", body, officer)[0]["id"]
    return {"admin": admin, "unit": officer, "round_id": rnd["id"], "dossier_id": last}


def dossier_body(round_id: int, tag: str) -> dict:
    return {
        "round_id": round_id,
        "kind": "periodic",
        "title": f"Tờ trình số {tag}",
        "nominations": [
            {
                "nominee_kind": "individual",
                "nominee_name": f"Nguyễn Văn {tag}-{k}",
                "award_type_code": AWARD,
                "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm 2025",
                "position": "Chuyên viên",
                "birth_year": 1980,
            }
            for k in range(3)
        ],
    }


CREATE_LUA = """
local n = 0
local tag = "%(tag)s"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local t = tag .. "-" .. n
  local body = string.format(%(template)s, t, t, t, t)
  return wrk.format(nil, nil, nil, body)
end
"""

SUBMIT_LUA = """
local ids = {%(ids)s}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i + 1
  if i > #ids then i = #ids end
  return wrk.format(nil, "/api/v1/dossiers/" .. ids[i] .. "/submit", nil, "{}")
end
"""


def create_lua(round_id: int, tag: str) -> str:
    body = json.dumps(dossier_body(round_id, "%s"), ensure_ascii=False)
    return CREATE_LUA % {"tag": tag, "template": json.dumps(body, ensure_ascii=False)}


def wrk(url: str, seconds: float, token: str | None = None, script: Path | None = None) -> dict:
    cmd = ["taskset", "-c", "1", "wrk", "-t1", "-c32", f"-d{int(seconds)}s", "--latency"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=False).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    done = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else None,
        "requests": int(done.group(1)) if done else 0,
        "output": out,
    }


def wait_up(url: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"nothing answers at {url}")


def draft_ids(api: Api, token: str, need: int) -> list[int]:
    ids: list[int] = []
    offset = 0
    while len(ids) < need:
        page, _ = api.call(
            "GET", f"/api/v1/dossiers?status=draft&limit=200&offset={offset}", None, token
        )
        ids += [d["id"] for d in page["items"]]
        if len(page["items"]) < 200:
            break
        offset += 200
    return ids


def measure(database: str, seconds: int, pairs: int, only: str = "", project: Path = ROOT) -> dict:
    work = Path(tempfile.mkdtemp(prefix="tdkt-bench-"))
    env = {
        **os.environ,
        "TDKT_VAR_DIR": str(work / "var"),
        "TDKT_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "TDKT_ENV": "development",
    }
    env.pop("TDKT_DATABASE_URL", None)
    if database == "postgresql":
        server = PG_URL.replace("+asyncpg", "")
        for sql in (f"DROP DATABASE IF EXISTS {PG_NAME}", f"CREATE DATABASE {PG_NAME}"):
            subprocess.run(
                ["psql", server + "/postgres", "-qc", sql], check=True, capture_output=True
            )
        env["TDKT_DATABASE_URL"] = env["TDKT_ANCHOR_URL"] = f"{PG_URL}/{PG_NAME}"
    else:
        env["TDKT_ANCHOR_DB"] = str(work / "var" / "tdkt.db")
    bin_ = project / ".venv" / "bin"
    for step in ("migrate", "bootstrap"):
        subprocess.run([bin_ / "tdkt", step], env=env, cwd=project, check=True, capture_output=True)
    procs = []
    try:
        # The app of `project`; the anchor from this checkout, on the same packages.
        for module, port, log in (
            ("app.asgi:app", PORT_APP, "app.log"),
            ("bench.anchor_app:app", PORT_ANCHOR, "anchor.log"),
        ):
            procs.append(subprocess.Popen(
                ["taskset", "-c", "0", bin_ / "uvicorn", module, "--port", str(port),
                 "--no-access-log", "--app-dir", str(project if port == PORT_APP else ROOT)],
                env=env, cwd=project, stdout=open(work / log, "w"), stderr=subprocess.STDOUT,
            ))  # fmt: skip
        wait_up(f"http://127.0.0.1:{PORT_APP}/healthz")
        wait_up(f"http://127.0.0.1:{PORT_ANCHOR}/core")
        api = Api(f"http://127.0.0.1:{PORT_APP}")
        ctx = seed(api)
        anchor = f"http://127.0.0.1:{PORT_ANCHOR}/core"
        sent: set[int] = set()
        points = [e for e in endpoints(ctx["dossier_id"]) if not only or e.key in only.split(",")]
        for ep in points:
            for i in range(pairs):
                script = None
                url = api.base + ep.path
                if ep.lua == "create":
                    script = work / "create.lua"
                    script.write_text(
                        create_lua(ctx["round_id"], f"{database}-{i}-{time.time_ns()}")
                    )
                elif ep.lua == "submit":
                    # Drafts no earlier pair sent (some of its requests end after wrk stops),
                    # drafted beforehand (unmeasured) until there are enough.
                    ids = [d for d in draft_ids(api, ctx["admin"], 100_000) if d not in sent]
                    while len(ids) < DRAFTS_PER_SUBMIT_RUN:
                        filler = work / "fill.lua"
                        filler.write_text(create_lua(ctx["round_id"], f"fill-{time.time_ns()}"))
                        wrk(api.base + "/api/v1/dossiers", seconds, ctx["unit"], filler)
                        ids = [d for d in draft_ids(api, ctx["admin"], 100_000) if d not in sent]
                    script = work / "submit.lua"
                    script.write_text(SUBMIT_LUA % {"ids": ",".join(map(str, ids))})
                    url = api.base + "/api/v1/dossiers"
                if i == 0:  # warm both up
                    wrk(anchor, 1)
                    if not ep.lua:
                        wrk(url, 1, ctx[ep.token], script)
                a = wrk(anchor, seconds)
                b = wrk(url, seconds, ctx[ep.token], script)
                if ep.lua == "submit":
                    if b["requests"] + 64 > len(ids):
                        raise SystemExit("not enough drafts to submit; raise --seconds")
                    sent.update(ids[: b["requests"] + 64])
                if b["non_2xx"] or not a["rps"] or not b["rps"]:
                    log = (work / "app.log").read_text()[-3000:]
                    raise SystemExit(f"{ep.label}: no figure\n{a['output']}\n{b['output']}\n{log}")
                ep.pairs.append(
                    {
                        "anchor_rps": a["rps"],
                        "rps": b["rps"],
                        "p99_ms": b["p99_ms"],
                        "ratio": round(b["rps"] / a["rps"], 3),
                    }
                )
        rss = rss_mb(procs[0].pid)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)
        if database == "postgresql":
            server = PG_URL.replace("+asyncpg", "")
            subprocess.run(
                ["psql", server + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {PG_NAME}"],
                check=False,
                capture_output=True,
            )
        if not os.environ.get("TDKT_BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    return {
        "database": database,
        "seconds": seconds,
        "load_average": os.getloadavg(),
        "app_rss_mb": rss,
        "endpoints": [
            {
                "key": e.key,
                "label": e.label,
                "target": e.target,
                "ratio": round(e.ratio, 3),
                "rps": round(statistics.median(p["rps"] for p in e.pairs), 1),
                "anchor_rps": round(statistics.median(p["anchor_rps"] for p in e.pairs), 1),
                "pairs": e.pairs,
            }
            for e in points
        ],
    }


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def report(result: dict) -> bool:
    load = ", ".join(f"{x:.1f}" for x in result["load_average"])
    print(
        f"== {result['database']}: ratios of the one-query anchor (load average {load}; "
        f"app RSS {result['app_rss_mb']} MB)"
    )
    ok = True
    for e in result["endpoints"]:
        miss = e["target"] is not None and e["ratio"] < e["target"]
        ok &= not miss
        mark = "MISS" if miss else ("ok  " if e["target"] is not None else "    ")
        target = f"≥ {e['target']}" if e["target"] is not None else "reported"
        print(
            f"{mark} {e['label']:<44} {e['ratio']:>6.2f} of the anchor ({target})  "
            f"{e['rps']:>8.1f} req/s vs {e['anchor_rps']:.1f}"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--only", default="", help="endpoint keys, e.g. me,dossier")
    parser.add_argument(
        "--project",
        type=Path,
        default=ROOT,
        help="measure another checkout (with its .venv), e.g. the commit before",
    )
    parser.add_argument("--tag", default="", help="suffix of the results file")
    args = parser.parse_args()
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: apt-get install -y wrk util-linux")
            return 2
    ok = True
    RESULTS.mkdir(exist_ok=True)
    for database in args.databases.split(","):
        result = measure(database, args.seconds, args.pairs, args.only, args.project.resolve())
        result["project"] = str(args.project)
        name = f"api-{database}{'-' + args.tag if args.tag else ''}.json"
        (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
        ok &= report(result)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
