"""The classroom benchmark, one run or the whole matrix (docs/benchmarks.md says how to read the results).

A run: a fresh database (SQLite file, or PostgreSQL database `certprep_bench`), migrate, load_content, load_bank,
make_bench_data; gunicorn with production settings (gthread, sized for 2 cores); the classroom scenario and the
capacity phases of bench/load.py; the server's memory and CPU sampled from /proc all along; then the integrity
check (bench/integrity.py) and the write-lock hold time of start and submit over the same database
(bench/locks.py). Results: bench/results/<run>.json (small) and bench/results/raw/<run>/ (every
request, the server's logs, the run log; git-ignored).

    python -m bench.run --db sqlite --students 40 --mode think      # make bench
    python -m bench.run --matrix                                     # make bench-full: 2 × 3 × 2 runs
    python -m bench.run --db postgres --students 200 --mode think    # make bench-class (after SQLite)
    python -m bench.run --check bench/results/raw/<run>/run-log.json  # integrity again (DATABASE_URL of the run)

Exit status: 0 when every run had no error and passed the integrity check; 1 otherwise. Latency and
throughput targets are reported, not enforced (the machine is shared and the numbers are noisy).
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from psycopg import sql

from bench import load
from config import docker_smoke

BASE = Path(__file__).resolve().parent.parent
RESULTS = BASE / "bench" / "results"
DATABASE_NAME = "certprep_bench"  # never certprep or test_*: the test suite uses those
HOST = "127.0.0.1"
ACCESS_FORMAT = "%({x-bench-phase}i)s %({x-bench-name}i)s %(s)s %(D)s"
TARGETS = {
    "save_p95_ms": 100,  # at N = 100 with think time
    "submit_p95_ms": 2000,  # synchronized submit of 100 students
    "save_floor_ratio": 0.5,
    "start_lock_ms": 3,  # the write transaction of a start (p95, one process, 65 questions)
    "submit_lock_ms": 5,  # and of a submit
}
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------------------------- the database
def prepare_database(args, run_dir, env, *, name=DATABASE_NAME):
    """A fresh database with the content and the bench students (on PostgreSQL, the database `name`); returns
    the seconds each step took."""
    if args.db == "postgres":
        server = docker_smoke.server_url()
        docker_smoke.run_sql(
            server, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        docker_smoke.run_sql(server, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    timings = {}
    students = args.students + args.capacity_clients
    steps = (
        ("migrate", ["migrate", "--noinput", "-v0"]),
        ("load_content", ["load_content", "-v0"]),
        ("load_bank", ["load_bank"]),
        ("make_bench_data", ["make_bench_data", "--students", str(students), "--seed", str(args.seed)]),
    )
    for name, command in steps:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", *command],
            cwd=BASE,
            env=env,
            check=True,
            stdout=(run_dir / "setup.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        timings[name] = round(time.perf_counter() - started, 1)
    return timings


def use_bench_settings(secret):
    """Settings for a tool that measures in this process (bench.run --check, bench.locks, bench.profile): the
    bench's settings module with its own key; DATABASE_URL (and anything already set) comes from the caller."""
    for key, value in {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": HOST,
    }.items():
        os.environ.setdefault(key, value)


@contextmanager
def scratch_database(db, name, *, students, seed, prefix):
    """A fresh database as a run prepares one (on PostgreSQL the database `name`, dropped afterwards), for the
    in-process tools (bench/locks.py, bench/profile.py): yields the production environment pointing at it."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    if db == "postgres":
        if not docker_smoke.postgres_is_reachable():
            sys.exit(f"PostgreSQL is not reachable at {docker_smoke.server_url()}")
        database_url = docker_smoke.database_url(docker_smoke.server_url(), name)
    else:
        database_url = f"sqlite:///{work / (name + '.sqlite3')}"
    env = docker_smoke.production_env(
        work, sys.executable, DJANGO_SETTINGS_MODULE="bench.settings", DATABASE_URL=database_url
    )
    options = SimpleNamespace(db=db, students=students, capacity_clients=0, seed=seed)
    try:
        prepare_database(options, work, env, name=name)
        yield env
    finally:
        if db == "postgres":
            docker_smoke.run_sql(
                docker_smoke.server_url(),
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
            )
        shutil.rmtree(work, ignore_errors=True)


def drop_database(args, sqlite_dir):
    if args.db == "postgres":
        docker_smoke.run_sql(
            docker_smoke.server_url(),
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE_NAME)),
        )
    shutil.rmtree(sqlite_dir, ignore_errors=True)


def write_lock_times(env, repeat=30):
    """How long a start and a submit of a mock hold the write transaction, in one process (bench/locks.py) on
    the database of `env`: {"start": {p50_ms, p95_ms, ...}, "submit": {...}, ...}."""
    done = subprocess.run(  # noqa: S603 - our own module with fixed arguments
        [sys.executable, "-m", "bench.locks", "--measure", "--repeat", str(repeat)],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"error": done.stderr[-2000:]}


# ------------------------------------------------------------------------------------------- the server
def start_server(args, run_dir, env, port):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--access-logfile",
        str(run_dir / "access.log"),
        "--access-logformat",
        ACCESS_FORMAT,
        "--no-control-socket",
    ]
    log = (run_dir / "server.log").open("w")
    server = subprocess.Popen(command, cwd=BASE, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    docker_smoke.wait_until_serving(server, port, deadline=time.monotonic() + 60)
    return server


def _read(path):
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def process_tree(pid):
    """The gunicorn master and its workers (children found through /proc)."""
    pids = [pid]
    children = _read(f"/proc/{pid}/task/{pid}/children").split()
    pids += [int(child) for child in children]
    return pids


def database_backends():
    """PostgreSQL backends serving the bench database (their process title names it)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and DATABASE_NAME.encode() in _read_bytes(entry / "cmdline"):
            pids.append(int(entry.name))
    return pids


def _read_bytes(path):
    try:
        return path.read_bytes()
    except OSError:
        return b""


def cpu_seconds(pid):
    fields = _read(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK if len(fields) > 12 else 0.0


def machine_busy_seconds():
    """CPU seconds all processes of the machine used since boot (the first line of /proc/stat, less idle)."""
    values = [int(value) for value in _read("/proc/stat").split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / CLK_TCK if len(values) == 8 else 0.0


def memory_kib(pid):
    rss = re.search(r"VmRSS:\s+(\d+)", _read(f"/proc/{pid}/status"))
    pss = re.search(r"Pss:\s+(\d+)", _read(f"/proc/{pid}/smaps_rollup"))
    return (int(rss.group(1)) if rss else 0), (int(pss.group(1)) if pss else 0)


class Sampler(threading.Thread):
    """Every half second: RSS and PSS of gunicorn's processes (and of the database's backends), and their CPU."""

    def __init__(self, master, *, postgres):
        super().__init__(daemon=True)
        self.master, self.postgres = master, postgres
        self.stopping = threading.Event()
        self.peak = defaultdict(int)
        self.samples = []
        self.cpu_seen = {}  # pid -> last CPU seconds (a process that exits keeps its last reading)

    def cpu(self):
        """CPU seconds used so far by the server's processes: {"gunicorn": s, "postgres": s}."""
        totals = {"gunicorn": 0.0, "postgres": 0.0}
        groups = {"gunicorn": process_tree(self.master)}
        if self.postgres:
            groups["postgres"] = database_backends()
        for group, pids in groups.items():
            for pid in pids:
                self.cpu_seen[(group, pid)] = cpu_seconds(pid) or self.cpu_seen.get((group, pid), 0.0)
        for (group, _pid), seconds in self.cpu_seen.items():
            totals[group] += seconds
        return totals

    def sample(self):
        pids = process_tree(self.master)
        readings = {pid: memory_kib(pid) for pid in pids}
        rss = sum(value[0] for value in readings.values())
        pss = sum(value[1] for value in readings.values())
        workers = [readings[pid][0] for pid in pids[1:]]
        self.peak["gunicorn_rss_kib"] = max(self.peak["gunicorn_rss_kib"], rss)
        self.peak["gunicorn_pss_kib"] = max(self.peak["gunicorn_pss_kib"], pss)
        self.peak["worker_rss_kib"] = max([self.peak["worker_rss_kib"], *workers])
        self.peak["master_rss_kib"] = max(self.peak["master_rss_kib"], readings[self.master][0])
        if self.postgres:
            backends = [memory_kib(pid) for pid in database_backends()]
            self.peak["postgres_backends_pss_kib"] = max(
                self.peak["postgres_backends_pss_kib"], sum(value[1] for value in backends)
            )
        self.samples.append((round(time.time(), 1), rss, pss, len(workers)))

    def run(self):
        while not self.stopping.wait(0.5):
            self.sample()

    def memory(self):
        mib = {key.replace("_kib", "_mib"): round(value / 1024, 1) for key, value in self.peak.items()}
        last = self.samples[-1] if self.samples else (0, 0, 0, 0)
        mib.update(gunicorn_rss_end_mib=round(last[1] / 1024, 1), workers=last[3])
        return mib


# ----------------------------------------------------------------------------------------------- numbers
def stats(seconds_list, *, count_errors=0, duration=None):
    milliseconds = [value * 1000 for value in seconds_list]
    result = {
        "count": len(milliseconds),
        "errors": count_errors,
        "p50_ms": _round(load.percentile(milliseconds, 0.50)),
        "p95_ms": _round(load.percentile(milliseconds, 0.95)),
        "p99_ms": _round(load.percentile(milliseconds, 0.99)),
        "max_ms": _round(max(milliseconds) if milliseconds else None),
    }
    if duration:
        result["rps"] = round(len(milliseconds) / duration, 1)
    return result


def _round(value):
    return None if value is None else round(value, 1)


def server_timings(run_dir):
    """(phase, name) -> [seconds] from gunicorn's access log (%(D)s: microseconds inside the worker), plus
    the count of 5xx answers per (phase, name)."""
    timings, server_errors = defaultdict(list), defaultdict(int)
    for line in _read(run_dir / "access.log").splitlines():
        parts = line.split()
        if len(parts) != 4 or not parts[3].isdigit():
            continue
        phase, name, status, micros = parts
        timings[(phase, name)].append(int(micros) / 1e6)
        if status.startswith("5"):
            server_errors[(phase, name)] += 1
    return timings, server_errors


def summarize_phase(recorder, timings, phase, *, names=None):
    rows = [row for row in recorder.rows if row[0] == phase]
    if not rows:
        return {}
    begin = min(row[2] for row in rows)
    end = max(row[2] + row[3] for row in rows)
    errors = defaultdict(int)
    for error_phase, name, _ in recorder.errors:
        if error_phase == phase:
            errors[name] += 1
    by_name = defaultdict(list)
    for _, name, _, seconds, _ in rows:
        by_name[name].append(seconds)
    endpoints = {}
    for name in names or sorted(by_name):
        endpoint = stats(by_name.get(name, []), count_errors=errors.get(name, 0), duration=end - begin)
        server = stats(timings.get((phase, name), []))
        endpoint.update(
            server_p50_ms=server["p50_ms"], server_p95_ms=server["p95_ms"], server_p99_ms=server["p99_ms"]
        )
        endpoints[name] = endpoint
    return {"seconds": round(end - begin, 1), "requests": len(rows), "endpoints": endpoints}


def burst_spread(recorder, phase, name):
    """How tightly a synchronized burst arrived: from the first request sent to the last one sent, in ms."""
    starts = [row[2] for row in recorder.rows if row[0] == phase and row[1] == name]
    return round((max(starts) - min(starts)) * 1000, 1) if starts else None


# ----------------------------------------------------------------------------------------------- profile
def find_py_spy(args):
    py_spy = args.py_spy or shutil.which("py-spy")
    if not py_spy or not Path(py_spy).exists():
        sys.exit("--profile needs py-spy (pip install py-spy, in any environment; then --py-spy PATH)")
    return py_spy


def start_profiler(py_spy, output, master):
    """py-spy sampling every server process (master and workers) at 50 Hz until stopped."""
    command = [py_spy, "record", "--pid", str(master), "--subprocesses", "--format", "raw", "--rate", "50"]
    command += ["--nonblocking", "--output", str(output)]
    profiler = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # noqa: S603
    time.sleep(0.5)  # attaching takes a moment; the capacity phases start with a second of warm-up anyway
    return profiler


def stop_profiler(profiler):
    if profiler is None:
        return
    profiler.send_signal(signal.SIGINT)
    try:
        profiler.wait(timeout=60)
    except subprocess.TimeoutExpired:
        profiler.kill()


def profile_summary(path, top=20):
    """Where the server's busy threads were, from py-spy's raw output: the share of samples in each function,
    inclusive (anywhere on the stack; our code, Django and the drivers only) and self (the innermost frame)."""
    inclusive, own, total = defaultdict(int), defaultdict(int), 0
    for line in _read(path).splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        total += int(count)
        frames = [
            re.sub(r":\d+\)$", ")", frame.strip()) for frame in stack.split(";")[2:]
        ]  # after process, thread
        if frames:
            own[frames[-1]] += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
    ours = (
        "apps/",
        "config/",
        "django/",
        "template_partials",
        "psycopg",
        "sqlite3",
        "axes/",
        "csp/",
        "gunicorn/",
    )

    def ranked(counts, keep=lambda frame: True):
        rows = sorted(
            ((frame, count) for frame, count in counts.items() if keep(frame)), key=lambda row: -row[1]
        )
        return [{"frame": frame, "share": round(count / total, 3)} for frame, count in rows[:top]]

    return {
        "samples": total,
        "inclusive": ranked(inclusive, lambda frame: any(part in frame for part in ours)) if total else [],
        "self": ranked(own) if total else [],
    }


# -------------------------------------------------------------------------------------------------- a run
def versions(env):
    code = (
        "import django, gunicorn, sqlite3, sys; "
        "print(sys.version.split()[0], django.get_version(), gunicorn.__version__, sqlite3.sqlite_version)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)  # noqa: S603
    out = found.stdout.split()
    keys = ("python", "django", "gunicorn", "sqlite")
    result = dict(zip(keys, out, strict=False))
    if env.get("DATABASE_URL", "").startswith("postgres"):
        import psycopg

        with psycopg.connect(docker_smoke.server_url(), connect_timeout=5) as connection:
            result["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]
    return result


def machine():
    cpuinfo = _read("/proc/cpuinfo")
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    memory = re.search(r"MemTotal:\s+(\d+)", _read("/proc/meminfo"))
    return {
        "cpus": os.cpu_count(),
        "model": model.group(1).strip() if model else platform.machine(),
        "memory_gib": round(int(memory.group(1)) / 1024 / 1024, 1) if memory else None,
        "loadavg_at_start": _read("/proc/loadavg").split()[:3],
    }


def git_state():
    def git(*arguments):
        command = ["git", *arguments]
        return subprocess.run(command, cwd=BASE, capture_output=True, text=True, check=False).stdout  # noqa: S603,S607

    return {
        "commit": git("rev-parse", "--short", "HEAD").strip(),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no").strip()),
    }


def run_once(args):
    py_spy = find_py_spy(args) if args.profile else None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run_id = f"{stamp}-{args.db}-n{args.students}-{args.mode}"
    run_dir = RESULTS / "raw" / run_id
    run_dir.mkdir(parents=True)
    sqlite_dir = Path(tempfile.mkdtemp(prefix="certprep-bench-"))
    if args.db == "postgres":
        database_url = docker_smoke.database_url(docker_smoke.server_url(), DATABASE_NAME)
    else:
        database_url = f"sqlite:///{sqlite_dir / 'bench.sqlite3'}"
    env = docker_smoke.production_env(
        run_dir, sys.executable, DJANGO_SETTINGS_MODULE="bench.settings", DATABASE_URL=database_url
    )
    print(f"== {run_id}: preparing the database", flush=True)
    summary = {
        "run": run_id,
        "git": git_state(),
        "machine": machine(),
        "versions": versions(env),
        "config": {
            "db": args.db,
            "students": args.students,
            "mode": args.mode,
            "think_seconds": args.think if args.mode == "think" else None,
            "questions": 65,
            "workers": args.workers,
            "threads": args.threads,
            "worker_class": "gthread",
            "seed": args.seed,
            "capacity_clients": args.capacity_clients,
            "capacity_seconds": args.capacity_seconds,
        },
    }
    summary["setup_seconds"] = prepare_database(args, run_dir, env)
    port = docker_smoke.free_port()
    server = start_server(args, run_dir, env, port)
    sampler = Sampler(server.pid, postgres=args.db == "postgres")
    sampler.start()
    recorder = load.Recorder()
    config = load.Config(
        host=HOST,
        port=port,
        students=args.students,
        seed=args.seed,
        think=tuple(args.think) if args.mode == "think" else None,
        login_window=args.login_window if args.login_window is not None else args.students / 5,
        capacity_clients=args.capacity_clients,
        capacity_seconds=args.capacity_seconds,
    )
    cpu_marks = {}
    client_cpu = {}
    profilers = {}

    def on_phase(name, edge):
        if py_spy and edge == "end":
            stop_profiler(profilers.pop(name, None))
        cpu_marks[(name, edge)] = {
            **sampler.cpu(),
            "machine": machine_busy_seconds(),
            "wall": time.monotonic(),
        }
        client_cpu[(name, edge)] = time.process_time()
        if py_spy and edge == "start":
            profilers[name] = start_profiler(py_spy, run_dir / f"profile-{name}.txt", server.pid)

    try:
        load.warm_up(config, recorder)
        print(f"   {args.students} students, {args.mode}: the classroom scenario", flush=True)
        students = load.classroom(config, recorder, on_phase)
        if args.capacity_seconds > 0:
            print("   capacity: trivial view, question page, answer save", flush=True)
            students += load.capacity(config, recorder, on_phase)
    finally:
        for profiler in profilers.values():
            stop_profiler(profiler)
        sampler.stopping.set()
        sampler.join()
        docker_smoke.stop(server)
    log = {"students": students}
    (run_dir / "run-log.json").write_text(json.dumps(log))
    (run_dir / "requests.json").write_text(json.dumps({"rows": recorder.rows, "errors": recorder.errors}))

    print("   integrity check", flush=True)
    checked = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.run", "--check", str(run_dir / "run-log.json")],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        integrity = json.loads(checked.stdout)
    except json.JSONDecodeError:
        integrity = {"ok": False, "problem_count": 1, "problems": [checked.stderr[-2000:]]}

    print("   write-lock hold time of start and submit (in one process)", flush=True)
    summary["write_lock_ms"] = write_lock_times(env)
    timings, server_errors = server_timings(run_dir)
    scenario_names = [
        "login_page",
        "login",
        "new_practice_page",
        "start",
        "question_first",
        "question",
        "save",
        "review",
        "submit",
        "results",
    ]
    summary["scenario"] = summarize_phase(recorder, timings, "scenario", names=scenario_names)
    summary["scenario"]["bursts_ms"] = {
        "start_sent_within": burst_spread(recorder, "scenario", "start"),
        "submit_sent_within": burst_spread(recorder, "scenario", "submit"),
    }
    capacity = {}
    for phase, name in (("floor", "floor"), ("question_page", "question"), ("answer_save", "save")):
        part = summarize_phase(recorder, timings, phase, names=[name])
        if not part:
            continue
        endpoint = part["endpoints"][name]
        handled = endpoint["count"] + sum(1 for row in recorder.rows if row[0] == "warmup" and row[1] == name)
        before, after = cpu_marks.get((phase, "start")), cpu_marks.get((phase, "end"))
        if before and after and handled:
            endpoint["server_cpu_ms_per_request"] = round(
                1000 * sum(after[key] - before[key] for key in ("gunicorn", "postgres")) / handled, 2
            )
            endpoint["client_cpu_ms_per_request"] = round(
                1000 * (client_cpu[(phase, "end")] - client_cpu[(phase, "start")]) / handled, 2
            )
        capacity[phase] = endpoint
    if capacity.get("floor", {}).get("rps"):
        floor_rps = capacity["floor"]["rps"]
        capacity["ratios"] = {
            phase: round(capacity[phase]["rps"] / floor_rps, 3)
            for phase in ("question_page", "answer_save")
            if phase in capacity
        }
    summary["capacity"] = capacity
    summary["memory"] = sampler.memory()
    start_mark, end_mark = cpu_marks.get(("scenario", "start")), cpu_marks.get(("scenario", "end"))
    summary["cpu_seconds"] = cpu_use(start_mark, end_mark, client_cpu)
    server_log = _read(run_dir / "server.log")
    summary["errors"] = {
        "client": len(recorder.errors),
        "first": recorder.errors[:10],
        "server_5xx": sum(server_errors.values()),
        "server_log_errors": len(re.findall(r'"level": "ERROR"|\bERROR\b', server_log)),
        "reconnects": recorder.reconnects,
    }
    summary["integrity"] = integrity
    if py_spy:
        summary["profile"] = {
            path.stem.removeprefix("profile-"): profile_summary(path)
            for path in sorted(run_dir.glob("profile-*.txt"))
        }
    summary["targets"] = targets(summary)
    summary["ok"] = bool(
        integrity.get("ok") and not summary["errors"]["client"] and not summary["errors"]["server_5xx"]
    )
    (RESULTS / f"{run_id}.json").write_text(json.dumps(summary, indent=2) + "\n")
    if args.keep:
        print(f"   database kept: DATABASE_URL={database_url}")
    else:
        drop_database(args, sqlite_dir)
    print_summary(summary)
    return summary


def cpu_use(start, end, client_cpu):
    """CPU seconds used during the scenario by the server, the load generator and everything else on the machine
    (other people's work on a shared machine shows up there), and the cores they kept busy on average."""
    if not start or not end:
        return None
    used = {key: round(end[key] - start[key], 1) for key in ("gunicorn", "postgres", "machine")}
    used["load_generator"] = round(client_cpu[("scenario", "end")] - client_cpu[("scenario", "start")], 1)
    used["other"] = round(used["machine"] - used["gunicorn"] - used["postgres"] - used["load_generator"], 1)
    wall = end["wall"] - start["wall"]
    used["cores_busy"] = {
        key: round(used[key] / wall, 2) for key in ("gunicorn", "postgres", "load_generator", "other")
    }
    return used


def targets(summary):
    endpoints = summary["scenario"].get("endpoints", {})
    ratio = summary["capacity"].get("ratios", {}).get("answer_save")
    save_p95 = endpoints.get("save", {}).get("p95_ms")
    submit_p95 = endpoints.get("submit", {}).get("p95_ms")
    return {
        "no_errors": summary["errors"]["client"] == 0 and summary["errors"]["server_5xx"] == 0,
        "no_lost_answers": bool(summary["integrity"].get("ok")),
        "save_p95_le_100ms": save_p95 is not None and save_p95 <= TARGETS["save_p95_ms"],
        "submit_p95_le_2s": submit_p95 is not None and submit_p95 <= TARGETS["submit_p95_ms"],
        "start_lock_p95_le_3ms": _at_most(summary, "start", TARGETS["start_lock_ms"]),
        "submit_lock_p95_le_5ms": _at_most(summary, "submit", TARGETS["submit_lock_ms"]),
        "save_ratio_ge_half_floor": ratio is not None and ratio >= TARGETS["save_floor_ratio"],
    }


def _at_most(summary, name, limit):
    p95 = summary.get("write_lock_ms", {}).get(name, {}).get("p95_ms")
    return p95 is not None and p95 <= limit


def print_summary(summary):
    scenario = summary["scenario"]
    print(f"-- {summary['run']} ({scenario.get('seconds')} s, {scenario.get('requests')} requests)")
    print(
        f"   {'endpoint':18} {'count':>6} {'err':>4} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8} {'srv p95':>8}"
    )
    for name, endpoint in scenario.get("endpoints", {}).items():
        print(
            f"   {name:18} {endpoint['count']:>6} {endpoint['errors']:>4} {_ms(endpoint['p50_ms'])} "
            f"{_ms(endpoint['p95_ms'])} {_ms(endpoint['p99_ms'])} {_ms(endpoint['max_ms'])} "
            f"{_ms(endpoint['server_p95_ms'])}"
        )
    for phase, endpoint in summary["capacity"].items():
        if phase != "ratios":
            print(
                f"   capacity {phase:14} {endpoint.get('rps')} req/s, p95 {endpoint['p95_ms']} ms, "
                f"server CPU {endpoint.get('server_cpu_ms_per_request')} ms/request"
            )
    print(f"   ratios to the floor: {summary['capacity'].get('ratios')}")
    print(f"   bursts: {scenario.get('bursts_ms')}; memory: {summary['memory']}")
    print(f"   errors: {summary['errors']['client']} client, {summary['errors']['server_5xx']} server 5xx")
    integrity = summary["integrity"]
    print(
        f"   integrity: {'ok' if integrity.get('ok') else 'FAILED'} ({integrity.get('problem_count')} problems, "
        f"{integrity.get('acknowledged_saves')} acknowledged saves, {integrity.get('attempts')} attempts)"
    )
    for problem in integrity.get("problems", [])[:10]:
        print(f"     - {problem}")
    locks = summary.get("write_lock_ms", {})
    if "error" in locks:
        print(f"   write-lock hold time: FAILED {locks['error'][-300:]}")
    else:
        print(
            "   write-lock hold time (one process, p50 / p95 ms): "
            f"start {locks['start']['p50_ms']} / {locks['start']['p95_ms']}, "
            f"submit {locks['submit']['p50_ms']} / {locks['submit']['p95_ms']}"
        )
    print(f"   targets: {summary['targets']}", flush=True)


def _ms(value):
    return f"{value:>8.1f}" if value is not None else f"{'-':>8}"


# ------------------------------------------------------------------------------------------------- matrix
def matrix_table(summaries):
    lines = [
        "| DB | N | load | errors | integrity | save p50 / p95 / p99 ms | question p95 ms | start p95 / max ms "
        "| submit p95 / max ms | lock start / submit p95 ms | save / page ÷ floor | gunicorn RSS peak MiB | other load (cores) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for summary in summaries:
        config, endpoints = summary["config"], summary["scenario"].get("endpoints", {})
        save, question = endpoints.get("save", {}), endpoints.get("question", {})
        start, submit = endpoints.get("start", {}), endpoints.get("submit", {})
        ratios = summary["capacity"].get("ratios", {})
        locks = summary.get("write_lock_ms", {})
        errors = summary["errors"]["client"] + summary["errors"]["server_5xx"]
        integrity = summary["integrity"]
        lines.append(
            f"| {config['db']} | {config['students']} | {config['mode']} | {errors} "
            f"| {'ok' if integrity.get('ok') else 'FAILED'} ({integrity.get('acknowledged_saves')} saves) "
            f"| {save.get('p50_ms')} / {save.get('p95_ms')} / {save.get('p99_ms')} | {question.get('p95_ms')} "
            f"| {start.get('p95_ms')} / {start.get('max_ms')} | {submit.get('p95_ms')} / {submit.get('max_ms')} "
            f"| {locks.get('start', {}).get('p95_ms')} / {locks.get('submit', {}).get('p95_ms')} "
            f"| {ratios.get('answer_save')} / {ratios.get('question_page')} "
            f"| {summary['memory'].get('gunicorn_rss_mib')} | {(summary['cpu_seconds'] or {}).get('cores_busy', {}).get('other')} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--mode", choices=["think", "stress"], default="think")
    parser.add_argument("--think", type=float, nargs=2, default=[0.5, 2.0], metavar=("MIN", "MAX"))
    parser.add_argument("--login-window", type=float, help="seconds the logins spread over (default N/5)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the image's default: 3)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (the image's default: 4)")
    parser.add_argument("--capacity-clients", type=int, default=16)
    parser.add_argument(
        "--capacity-seconds", type=float, default=10.0, help="per capacity phase; 0 skips them"
    )
    parser.add_argument(
        "--matrix", action="store_true", help="N = 40, 100, 200 × SQLite, PostgreSQL × both loads"
    )
    parser.add_argument("--profile", action="store_true", help="py-spy the server during the scenario")
    parser.add_argument("--py-spy", help="path of py-spy when it is not on PATH")
    parser.add_argument("--keep", action="store_true", help="keep the database after the run")
    parser.add_argument("--check", metavar="RUN_LOG", help="only run the integrity check on a run log")
    args = parser.parse_args(argv)

    if args.check:
        import django

        use_bench_settings("bench-check")  # only DATABASE_URL must come from the run
        django.setup()
        from bench import integrity

        report = integrity.check(json.loads(Path(args.check).read_text()))
        print(json.dumps(report.as_dict(), indent=2))
        return 0 if report.ok else 1

    if not (BASE / "staticfiles" / "staticfiles.json").exists():
        sys.exit("production settings need collected static files: run `make collectstatic` first")
    if (args.matrix or args.db == "postgres") and not docker_smoke.postgres_is_reachable():
        sys.exit(f"PostgreSQL is not reachable at {docker_smoke.server_url()}")
    if not args.matrix:
        return 0 if run_once(args).get("ok") else 1
    summaries = []
    for db in ("sqlite", "postgres"):
        for students in (40, 100, 200):
            for mode in ("think", "stress"):
                args.db, args.students, args.mode = db, students, mode
                summaries.append(run_once(args))
    table = matrix_table(summaries)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"matrix-{stamp}.md").write_text(table + "\n")
    print(table)
    return 0 if all(summary.get("ok") for summary in summaries) else 1


if __name__ == "__main__":
    sys.exit(main())
