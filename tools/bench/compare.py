#!/usr/bin/env python3
# Copyright 2026 The mco Authors.
"""mco against Go: runs each benchmark for both, alternately, and compares.

Run it through tools/bench/compare.sh (which installs missing packages
first); tools/bench/README.md says what each benchmark does and how to read
the table.

  tools/bench/compare.sh [--runs N] [--only NAME,...] [--full] [--readme]
                         [--no-build] [--quick] [--list]

Builds the mco side with Bazel (-c opt) and the Go side with `go build`
(GOPATH mode, offline, cache and binaries under /tmp), then runs every
selected benchmark N times per side, interleaved (mco, Go, Go, mco, ...), and
prints the medians and their ratio. Writes the same table to
tools/bench/RESULTS.md (with the date, the machine and the command), and with
--readme also between the bench markers of README.md. Exits 0 only if every
run verified its result.

Environment:
  MCO_BENCH_OUTPUT_BASE  Bazel --output_base to build in (default: Bazel's)
  MCO_BENCH_GO_DIR       where Go's cache and binaries go
                         (default: /tmp/mco-bench-go-$UID)
"""

import argparse
import datetime
import http.client
import os
import platform
import re
import selectors
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS_MD = os.path.join(ROOT, "tools", "bench", "RESULTS.md")
README_MD = os.path.join(ROOT, "README.md")
BEGIN_MARK = "<!-- bench:begin -->"
END_MARK = "<!-- bench:end -->"

LOWER, HIGHER = "lower", "higher"

# Environment variables that would change how a Go program runs; the Go side
# runs with Go's defaults (GOMAXPROCS = all cores unless a benchmark says).
GO_RUNTIME_ENV = ("GOMAXPROCS", "GOGC", "GOMEMLIMIT", "GODEBUG")


class Row:
    """One line of the table: a metric of a case's result line."""

    def __init__(self, label, unit, key, better):
        self.label, self.unit, self.key, self.better = label, unit, key, better


class Case:
    """One benchmark configuration, run for both sides.

    kind "suite": `mco_suite ARGS` against `go/suite ARGS`; "echo": the two
    echo servers under the Go load client; "http": the two HTTP servers
    under wrk. `group` is the name --only selects.
    """

    def __init__(self, name, group, kind, rows, args=(), timeout=600):
        self.name, self.group, self.kind = name, group, kind
        self.rows, self.args, self.timeout = rows, list(args), timeout


def make_cases(quick, full):
    """The benchmarks, with the issue's counts (a tenth of them if quick)."""

    def count(c):
        return max(c // 10, 4) if quick else c

    spawn, yields, trips = count(1_000_000), count(5_000_000), count(1_000_000)
    items, pairs, sleepers = count(10_000_000), count(10_000), count(100_000)
    idle = count(1_000_000 if full else 100_000)
    rounds, secs = count(2000), 1 if quick else 5
    h = human_count
    return [
        Case("spawn", "spawn", "suite", [
            Row("spawn %s" % h(spawn), "ns per coroutine", "ns_per_op", LOWER),
            Row("spawn %s: peak RSS" % h(spawn), "MB", "peak_rss_mb", LOWER),
        ], ["spawn", "--n=%d" % spawn]),
        Case("yield", "yield", "suite", [
            Row("yield 2x%s, 1 worker" % h(yields), "ns per yield",
                "ns_per_op", LOWER),
        ], ["yield", "--n=%d" % yields, "--workers=1"]),
        Case("chan_pingpong/1", "chan_pingpong", "suite", [
            Row("chan_pingpong %s, 1 worker" % h(trips), "ns per round trip",
                "ns_per_op", LOWER),
        ], ["chan_pingpong", "--n=%d" % trips, "--workers=1"]),
        Case("chan_pingpong/all", "chan_pingpong", "suite", [
            Row("chan_pingpong %s, all workers" % h(trips),
                "ns per round trip", "ns_per_op", LOWER),
        ], ["chan_pingpong", "--n=%d" % trips]),
        Case("chan_mpmc", "chan_mpmc", "suite", [
            Row("chan_mpmc 4x4, cap 1024, %s" % h(items), "M items/s",
                "mitems_per_s", HIGHER),
        ], ["chan_mpmc", "--n=%d" % items]),
        Case("mutex", "mutex", "suite", [
            Row("mutex 1000x%s" % h(pairs), "ns per lock+unlock", "ns_per_op",
                LOWER),
        ], ["mutex", "--n=%d" % pairs]),
        Case("timers", "timers", "suite", [
            Row("timers %s x 10 x 10 ms" % h(sleepers), "wall ms (ideal 100)",
                "wall_ms", LOWER),
        ], ["timers", "--n=%d" % sleepers]),
        Case("idle_mem", "idle_mem", "suite", [
            Row("idle_mem %s parked" % h(idle), "KB RSS per coroutine",
                "kb_per_op", LOWER),
        ], ["idle_mem", "--n=%d" % idle], timeout=1800 if full else 600),
        Case("echo", "echo", "echo", [
            Row("echo 100 conns x %s x 64 B" % h(rounds), "requests/s", "rps",
                HIGHER),
            Row("echo: p50 latency", "us", "p50_us", LOWER),
            Row("echo: p99 latency", "us", "p99_us", LOWER),
        ], ["--conns=100", "--rounds=%d" % rounds, "--size=64"]),
        Case("http", "http", "http", [
            Row("http wrk -t1 -c100 -d%ds" % secs, "requests/s", "rps", HIGHER),
        ], ["-t1", "-c100", "-d%ds" % secs]),
    ]


def human_count(n):
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return "%dM" % (n // 1_000_000)
    if n >= 1000 and n % 1000 == 0:
        return "%dk" % (n // 1000)
    return str(n)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def parse_result(text, bench):
    """The fields of the last `result BENCH k=v ...` line, or None."""
    found = None
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "result" and parts[1] == bench:
            fields = {}
            for p in parts[2:]:
                k, sep, v = p.partition("=")
                if not sep:
                    return None
                try:
                    fields[k] = float(v)
                except ValueError:
                    return None
            found = fields
    return found


class Outcome:
    """One run of one side: its fields, or why it did not verify."""

    def __init__(self, fields=None, error=None):
        self.fields, self.error = fields, error

    @property
    def ok(self):
        return self.error is None


def tail(text, lines=5):
    return " | ".join(text.strip().splitlines()[-lines:])


# --- building -----------------------------------------------------------------


def bazel_cmd():
    cmd = ["bazel"]
    base = os.environ.get("MCO_BENCH_OUTPUT_BASE")
    if base:
        cmd.append("--output_base=" + base)
    return cmd


def build(cases, go_dir, skip):
    """Builds what `cases` need; returns the paths of the programs."""
    kinds = {c.kind for c in cases}
    targets = ["//tools/bench/suite:mco_suite"]
    go_pkgs = ["suite"]
    if "echo" in kinds:
        targets += ["//launcher:mco-run", "//samples/echo_server:echo_server.so"]
        go_pkgs += ["echo_server", "echo_client"]
    if "http" in kinds:
        targets += ["//launcher:mco-run", "//samples/http_server:http_server.so"]
        go_pkgs += ["http_server"]
    targets = sorted(set(targets))
    if not skip:
        log("build: bazel build -c opt " + " ".join(targets))
        subprocess.run(bazel_cmd() + ["build", "-c", "opt", "--noshow_progress",
                                      "--ui_event_filters=-info"] + targets,
                       cwd=ROOT, check=True)
    bin_dir = subprocess.run(bazel_cmd() + ["info", "-c", "opt", "bazel-bin"],
                             cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout.strip()
    env = dict(os.environ, GO111MODULE="off", GOFLAGS="",
               GOCACHE=os.path.join(go_dir, "cache"),
               GOPATH=os.path.join(go_dir, "gopath"))
    go_bin = os.path.join(go_dir, "bin")
    os.makedirs(go_bin, exist_ok=True)
    if not skip:
        for pkg in go_pkgs:
            log("build: go build tools/bench/go/%s" % pkg)
            subprocess.run(["go", "build", "-o", os.path.join(go_bin, pkg),
                            "./tools/bench/go/" + pkg],
                           cwd=ROOT, env=env, check=True)
    paths = {
        "mco_suite": os.path.join(bin_dir, "tools/bench/suite/mco_suite"),
        "mco_run": os.path.join(bin_dir, "launcher/mco-run"),
        "mco_echo": os.path.join(bin_dir, "samples/echo_server/echo_server.so"),
        "mco_http": os.path.join(bin_dir, "samples/http_server/http_server.so"),
    }
    for pkg in ["suite", "echo_server", "echo_client", "http_server"]:
        paths["go_" + pkg] = os.path.join(go_bin, pkg)
    return paths


# --- running ------------------------------------------------------------------


def go_env():
    return {k: v for k, v in os.environ.items() if k not in GO_RUNTIME_ENV}


def run_suite(case, side, paths):
    prog = paths["mco_suite"] if side == "mco" else paths["go_suite"]
    env = os.environ if side == "mco" else go_env()
    try:
        p = subprocess.run([prog] + case.args, capture_output=True, text=True,
                           timeout=case.timeout, env=env)
    except subprocess.TimeoutExpired:
        return Outcome(error="timed out after %d s" % case.timeout)
    if p.returncode != 0:
        return Outcome(error="exit %d: %s" % (p.returncode, tail(p.stderr)))
    fields = parse_result(p.stdout, case.args[0])
    if fields is None:
        return Outcome(error="no result line: " + tail(p.stdout))
    return Outcome(fields)


class Server:
    """A server process that announces `listening on HOST:PORT` first."""

    def __init__(self, cmd, env):
        # stderr to a file: a chatty server must never block on a full pipe.
        self.err = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=self.err, text=True, env=env)
        self.port = None

    def wait_announce(self, timeout=30):
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        ready = sel.select(timeout)
        sel.close()
        if not ready:
            return "no `listening on` line within %d s" % timeout
        line = self.proc.stdout.readline().strip()
        m = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)", line)
        if not m:
            return "first line was %r, not `listening on 127.0.0.1:PORT`" % line
        self.port = int(m.group(1))
        return None

    def stderr(self):
        self.err.seek(0)
        return self.err.read()

    def stop(self):
        """SIGTERM; None if it then exited 0, else what went wrong."""
        try:
            if self.proc.poll() is not None:
                self.proc.communicate()
                return "server died during the run (exit %d): %s" % (
                    self.proc.returncode, tail(self.stderr()))
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.communicate()
                return "server did not exit within 15 s of SIGTERM"
            if self.proc.returncode != 0:
                return "server exited %d after SIGTERM: %s" % (
                    self.proc.returncode, tail(self.stderr()))
            return None
        finally:
            self.err.close()


def server_cmd(case, side, paths):
    if side == "mco":
        module = paths["mco_echo"] if case.kind == "echo" else paths["mco_http"]
        return [paths["mco_run"], module, "--", "127.0.0.1:0"], os.environ
    prog = paths["go_echo_server"] if case.kind == "echo" else paths["go_http_server"]
    return [prog, "127.0.0.1:0"], go_env()


def http_get_hello(port):
    """None if GET / answers 200 "Hello, World!\\n", else what it answered."""
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/")
        r = c.getresponse()
        body = r.read()
        c.close()
    except (OSError, http.client.HTTPException) as e:
        return "GET /: %s" % e
    if r.status != 200 or body != b"Hello, World!\n":
        return "GET /: %d %r" % (r.status, body[:60])
    return None


def parse_wrk(out):
    """(fields, error) from wrk's report."""
    for bad in ("Non-2xx or 3xx responses", "Socket errors"):
        m = re.search(r"^\s*%s:.*$" % re.escape(bad), out, re.M)
        if m:
            return None, "wrk: " + m.group(0).strip()
    m = re.search(r"^\s*Requests/sec:\s+([\d.]+)", out, re.M)
    n = re.search(r"^\s*(\d+) requests in ", out, re.M)
    if not m or not n or int(n.group(1)) == 0:
        return None, "wrk: no requests/s in its report: " + tail(out)
    return {"rps": float(m.group(1)), "requests": float(n.group(1))}, None


def run_server_case(case, side, paths):
    cmd, env = server_cmd(case, side, paths)
    server = Server(cmd, env)
    error = server.wait_announce()
    fields = None
    if error is None:
        url_port = server.port
        try:
            if case.kind == "echo":
                p = subprocess.run(
                    [paths["go_echo_client"], "--addr=127.0.0.1:%d" % url_port]
                    + case.args, capture_output=True, text=True,
                    timeout=case.timeout, env=go_env())
                if p.returncode != 0:
                    error = "echo_client exit %d: %s" % (p.returncode,
                                                         tail(p.stderr))
                else:
                    fields = parse_result(p.stdout, "echo")
                    if fields is None:
                        error = "echo_client: no result line"
            else:
                error = http_get_hello(url_port)
                if error is None:
                    p = subprocess.run(
                        ["wrk"] + case.args + ["http://127.0.0.1:%d/" % url_port],
                        capture_output=True, text=True, timeout=case.timeout)
                    if p.returncode != 0:
                        error = "wrk exit %d: %s" % (p.returncode,
                                                     tail(p.stderr + p.stdout))
                    else:
                        fields, error = parse_wrk(p.stdout)
                if error is None:
                    error = http_get_hello(url_port)  # still serving
        except subprocess.TimeoutExpired:
            error = "load client timed out after %d s" % case.timeout
    stop_error = server.stop()
    if error is None:
        error = stop_error
    return Outcome(fields, error) if error else Outcome(fields)


def run_once(case, side, paths):
    if case.kind == "suite":
        return run_suite(case, side, paths)
    return run_server_case(case, side, paths)


def check_twins(case, mco, go):
    """The two sides must have run the same configuration."""
    if case.kind != "suite" or not (mco.ok and go.ok):
        return
    for key in ("workers", "n"):
        if mco.fields.get(key) != go.fields.get(key):
            msg = "sides differ in %s: mco %s, Go %s" % (
                key, mco.fields.get(key), go.fields.get(key))
            mco.error = go.error = msg


# --- reporting ----------------------------------------------------------------


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 1000:
        return "{:,.0f}".format(v)
    if abs(v) >= 100:
        return "%.0f" % v
    if abs(v) >= 10:
        return "%.1f" % v
    return "%.2f" % v


def summarize(cases, results):
    """Table rows: (label, unit, mco, go, ratio, better, verified, runs)."""
    rows = []
    for case in cases:
        outs = results.get(case.name)
        if outs is None:
            continue
        mco_outs, go_outs = outs["mco"], outs["go"]
        good = sum(o.ok for o in mco_outs + go_outs)
        total = len(mco_outs) + len(go_outs)
        verified = "yes" if good == total else "NO (%d/%d)" % (good, total)
        for row in case.rows:
            mv = [o.fields[row.key] for o in mco_outs if o.ok and row.key in o.fields]
            gv = [o.fields[row.key] for o in go_outs if o.ok and row.key in o.fields]
            m = statistics.median(mv) if mv else None
            g = statistics.median(gv) if gv else None
            ratio = m / g if m is not None and g else None
            rows.append((row.label, row.unit, m, g, ratio, row.better, verified,
                         (mv, gv)))
    return rows


HEADER = ("benchmark", "unit", "mco", "Go", "mco/Go", "better", "verified")


def cells(r):
    label, unit, m, g, ratio, better, verified, _ = r
    return (label, unit, fmt(m), fmt(g), "-" if ratio is None else "%.2f" % ratio,
            better, verified)


def text_table(rows):
    lines = [HEADER] + [cells(r) for r in rows]
    widths = [max(len(l[i]) for l in lines) for i in range(len(HEADER))]
    right = {2, 3, 4}
    out = []
    for i, l in enumerate(lines):
        out.append("  ".join(c.rjust(w) if j in right else c.ljust(w)
                             for j, (c, w) in enumerate(zip(l, widths))).rstrip())
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def md_table(rows):
    out = ["| " + " | ".join(HEADER) + " |",
           "|---|---|---:|---:|---:|---|---|"]
    for r in rows:
        out.append("| " + " | ".join(cells(r)) + " |")
    return "\n".join(out)


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = ", %.0f GiB RAM" % (kb / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return "%d vCPUs (nproc), %s%s, Linux %s" % (
        os.cpu_count() or 0, model, mem, platform.release())


def versions():
    go = subprocess.run(["go", "version"], capture_output=True, text=True)
    go = go.stdout.split()[2] if go.returncode == 0 else "go ?"
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                         capture_output=True, text=True)
    rev = rev.stdout.strip() if rev.returncode == 0 else "?"
    return go, rev


RATIO_NOTE = ("mco/Go is mco's median over Go's. Where lower is better, below "
              "1 means mco is ahead; where higher is better, above 1 does.")


def write_results(rows, header, runs_detail):
    text = ["# mco vs Go: benchmark results", "",
            "Generated by `tools/bench/compare.sh`; see "
            "[README.md](README.md) for what each benchmark does.", ""]
    text += header + ["", md_table(rows), "", RATIO_NOTE,
                      "The machine is a shared VM: compare only ratios "
                      "measured in the same run.", "",
                      "## Every run", "",
                      "| benchmark | mco runs | Go runs |", "|---|---|---|"]
    text += runs_detail
    with open(RESULTS_MD, "w") as f:
        f.write("\n".join(text) + "\n")


def update_readme(rows, summary_line):
    with open(README_MD) as f:
        text = f.read()
    b, e = text.find(BEGIN_MARK), text.find(END_MARK)
    if b < 0 or e < b:
        raise SystemExit("compare: README.md has no %s ... %s section"
                         % (BEGIN_MARK, END_MARK))
    body = "\n%s\n\n%s\n\n%s\n" % (summary_line, md_table(rows), RATIO_NOTE)
    text = text[:b + len(BEGIN_MARK)] + body + text[e:]
    with open(README_MD, "w") as f:
        f.write(text)


# --- main ---------------------------------------------------------------------


def main(argv):
    ap = argparse.ArgumentParser(
        prog="tools/bench/compare.sh",
        description="Runs mco's benchmarks against equivalent Go programs.")
    ap.add_argument("--runs", type=int, default=3,
                    help="runs per side and benchmark; medians are shown "
                         "(default 3)")
    ap.add_argument("--only", default="",
                    help="comma-separated benchmarks to run (see --list)")
    ap.add_argument("--full", action="store_true",
                    help="idle_mem with 1,000,000 coroutines, as issue 5 asks "
                         "(default 100,000: the full count takes ~5 min per "
                         "mco run on a 2-vCPU VM)")
    ap.add_argument("--readme", action="store_true",
                    help="also replace the table between the bench markers "
                         "in README.md")
    ap.add_argument("--no-build", action="store_true",
                    help="use the programs of the last build")
    ap.add_argument("--quick", action="store_true",
                    help="a smoke test: a tenth of every count; writes no "
                         "RESULTS.md")
    ap.add_argument("--list", action="store_true",
                    help="list the benchmarks and exit")
    args = ap.parse_args(argv[1:])
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if args.quick and args.readme:
        ap.error("--quick results do not go into README.md")

    cases = make_cases(args.quick, args.full)
    groups = []
    for c in cases:
        if c.group not in groups:
            groups.append(c.group)
    if args.list:
        print("\n".join(groups))
        return 0
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        unknown = [w for w in wanted if w not in groups]
        if unknown:
            ap.error("unknown benchmark %s (known: %s)"
                     % (", ".join(unknown), ", ".join(groups)))
        cases = [c for c in cases if c.group in wanted]
    if any(c.kind == "http" for c in cases) and not shutil.which("wrk"):
        raise SystemExit("compare: wrk not found (apt-get install wrk)")

    command = "tools/bench/compare.sh" + "".join(
        " " + shlex.quote(a) for a in argv[1:])
    go_dir = os.environ.get("MCO_BENCH_GO_DIR",
                            "/tmp/mco-bench-go-%d" % os.getuid())
    paths = build(cases, go_dir, args.no_build)

    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()[0]
    t_start = time.monotonic()
    results = {}
    for case in cases:
        outs = {"mco": [], "go": []}
        results[case.name] = outs
        for r in range(args.runs):
            order = ("mco", "go") if r % 2 == 0 else ("go", "mco")
            this = {}
            for side in order:
                t0 = time.monotonic()
                this[side] = run_once(case, side, paths)
                o = this[side]
                what = ("error: " + o.error if not o.ok else " ".join(
                    "%s=%s" % (row.key, fmt(o.fields.get(row.key)))
                    for row in case.rows))
                log("%-18s run %d/%d %-3s %5.1fs  %s" % (
                    case.name, r + 1, args.runs, side,
                    time.monotonic() - t0, what))
            check_twins(case, this["mco"], this["go"])
            for side in ("mco", "go"):
                outs[side].append(this[side])
    elapsed = time.monotonic() - t_start

    rows = summarize(cases, results)
    all_ok = all(o.ok for outs in results.values()
                 for side in outs.values() for o in side)
    go_version, rev = versions()
    print()
    print(text_table(rows))
    print()
    print(RATIO_NOTE)
    print("%d run(s) per side, interleaved; %s; %s; load average %.1f at "
          "the start; %.0f s." % (args.runs, machine(), go_version, load_before,
                              elapsed))
    for case in cases:
        for side in ("mco", "go"):
            for i, o in enumerate(results[case.name][side]):
                if not o.ok:
                    print("UNVERIFIED %s %s run %d: %s"
                          % (case.name, side, i + 1, o.error))

    if not args.quick:
        date = started.strftime("%Y-%m-%d %H:%M UTC")
        header = [
            "- Date: %s" % date,
            "- Machine: %s; load average %.1f at the start" % (machine(),
                                                              load_before),
            "- Versions: mco %s (plus any uncommitted changes), %s"
            % (rev, go_version),
            "- Command: `%s` (%d runs per side, interleaved mco/Go; medians; "
            "%.0f s)" % (command, args.runs, elapsed),
        ]
        detail = []
        for case in cases:
            for row in case.rows:
                per = []
                for side in ("mco", "go"):
                    per.append(", ".join(
                        fmt(o.fields[row.key]) if o.ok and row.key in o.fields
                        else "unverified" for o in results[case.name][side]))
                detail.append("| %s (%s) | %s | %s |"
                              % (row.label, row.unit, per[0], per[1]))
        write_results(rows, header, detail)
        log("wrote %s" % os.path.relpath(RESULTS_MD, ROOT))
        if args.readme:
            update_readme(rows, "Measured %s on %s (mco %s, %s); medians of "
                          "%d runs per side, every run in "
                          "`tools/bench/RESULTS.md`:"
                          % (date, machine(), rev, go_version, args.runs))
            log("updated README.md")
    print("all results verified" if all_ok else "SOME RESULTS UNVERIFIED")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
