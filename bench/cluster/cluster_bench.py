#!/usr/bin/env python3
"""Cluster benchmark: time to spread after a join, tenant outage after kill -9 and after SIGSTOP.

Runs a local cluster with scripts/cluster.sh (PostgreSQL on loopback, silo processes), creates FREE
tenants that share one tenant database, keeps a steady load of `select 1` calls on them through the REST
API and measures. Each scenario runs --runs times on a fresh cluster; the median goes to docs/BENCHMARKS.md.

    python3 bench/cluster/cluster_bench.py [--tenants 200] [--runs 3] [--scenario join|kill|stop|all]

Definitions (all wall-clock, measured by this script):
  join spread   from starting the 3rd silo (2 silos, all tenants active) until the cluster view shows it
                holding >= 80 % of its fair share (tenants / 3), and until the spread stops changing.
  kill outage   kill -9 of one of 2 silos under a steady load (4 workers, round-robin over the tenants; a
                worker retries a tenant that failed every 50 ms until it answers): for each tenant, the
                time from the start of its first failed call to its next success; reported: the worst
                tenant, and the time from the kill until every tenant has answered again (which also
                includes reactivating all of the dead silo's tenants on the survivor).
  stop outage   the same with SIGSTOP (a hung silo): the process keeps its sockets open.
                Both outage scenarios signal once the spread has settled (no move for 7 s): see wait_settled.
                With --signal-while-moving they signal as soon as the victim holds a tenant, while the
                rebalancer is still moving tenants to it (the Orleans race in docs/OPERATIONS.md, Failover);
                a caller held past the 60 s HTTP timeout shows as all_tenants_back_s >= 60.
  dead after    from the signal until the survivor's cluster view shows the silo as dead.
"""
import argparse, json, os, signal, statistics, subprocess, sys, threading, time, urllib.error, urllib.request, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STATE = os.environ.get("CONDUIT_CLUSTER_DIR", os.path.join(ROOT, ".cluster"))


def sh(*args, env=None):
    return subprocess.run(args, check=True, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True).stdout


def cluster_env():
    env = {}
    with open(os.path.join(STATE, "env")) as f:
        for line in f:
            key, _, value = line.strip().removeprefix("export ").partition("=")
            env[key] = value.strip("'")
    return env


def silo(index):
    with open(os.path.join(STATE, f"silo-{index}.urls")) as f:
        url = f.read().split()[0]
    with open(os.path.join(STATE, f"silo-{index}.pid")) as f:
        pid = int(f.read())
    with open(os.path.join(STATE, f"silo-{index}.urls")) as f:
        endpoint = f.read().split()[1].removeprefix("silo=")
    return url, pid, endpoint


class Api:
    def __init__(self, url, key):
        self.url, self.key = url, key

    def call(self, method, path, body=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
            return json.loads(text) if text else None

    def tenants_by_silo(self):
        view = self.call("GET", "/api/platform/cluster")
        return {s["endpoint"]: (s["status"], s["tenantActivations"]) for s in view["silos"]}


def start_cluster(silos):
    subprocess.run(["bash", "scripts/cluster.sh", "stop"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, CONDUIT_CLUSTER_NO_BUILD=os.environ.get("CONDUIT_CLUSTER_NO_BUILD", "0"))
    sh("bash", "scripts/cluster.sh", str(silos), env=env)
    os.environ["CONDUIT_CLUSTER_NO_BUILD"] = "1"  # build once per benchmark run


def create_tenants(api, count):
    env = cluster_env()
    port = env["CONDUIT_CLUSTER_PG_PORT"]
    password = env["DATABASE_URL"].split(":")[2].split("@")[0]
    database = "tenants"
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "postgres", "-qAt", "-c", f"CREATE DATABASE {database}"],
                   check=True, env=dict(os.environ, PGPASSWORD=password), stdout=subprocess.DEVNULL)
    tenant_db = f"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database={database}"
    refs = [f"bench-{uuid.uuid4().hex[:12]}" for _ in range(count)]

    def create(chunk):
        for ref in chunk:
            api.call("POST", "/api/platform/projects", {"ref": ref, "tier": "FREE"})
            api.call("POST", f"/api/platform/projects/{ref}/databases", {"type": "postgresql", "connectionString": tenant_db})
            api.call("POST", f"/api/platform/projects/{ref}/postgresql/query", {"sql": "select 1"})

    threads = [threading.Thread(target=create, args=(refs[i::8],)) for i in range(8)]
    for t in threads: t.start()
    for t in threads: t.join()
    return refs


class Load:
    """Round-robin `select 1` over the tenants from `workers` threads; per tenant: failure and success times."""

    def __init__(self, apis, refs, workers=4):
        self.refs, self.stop = refs, threading.Event()
        self.last_ok, self.first_fail_after, self.outages = {}, {}, {}
        self.slow, self.errors = [], {}
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(apis[w % len(apis)], w, workers), daemon=True) for w in range(workers)]
        for t in self.threads: t.start()

    def run(self, api, offset, stride):
        i = offset
        while not self.stop.is_set():
            ref = self.refs[i % len(self.refs)]
            started = time.monotonic()
            try:
                api.call("POST", f"/api/platform/projects/{ref}/postgresql/query", {"sql": "select 1"}, timeout=60)
                now = time.monotonic()
                i += stride
                with self.lock:
                    self.last_ok[ref] = now
                    if ref in self.first_fail_after:
                        self.outages[ref] = now - self.first_fail_after.pop(ref)
                    if now - started > 1:
                        self.slow.append(round(now - started, 1))
            except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
                # A client retries the tenant that failed (after 50 ms), so an outage lasts until it answers.
                now = time.monotonic()
                kind = f"HTTP {e.code}" if isinstance(e, urllib.error.HTTPError) else type(e).__name__
                with self.lock:
                    self.first_fail_after.setdefault(ref, started)
                    self.errors[kind] = self.errors.get(kind, 0) + 1
                    if now - started > 1:
                        self.slow.append(round(now - started, 1))
                time.sleep(0.05)

    def all_answered_since(self, t):
        with self.lock:
            return all(self.last_ok.get(r, 0) > t for r in self.refs) and not self.first_fail_after

    def close(self):
        self.stop.set()
        for t in self.threads: t.join()


def wait(condition, within, step=0.1):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def wait_settled(api, quiet=7.0, within=120):
    """Waits until every active silo holds tenants and the spread has not changed for `quiet` seconds.

    A silo that hangs while the rebalancer is moving tenants to it leaves the calls queued on those
    activations waiting for Orleans' response timeout (docs/OPERATIONS.md, Failover); the outage scenarios
    measure failure detection and reactivation, so they start from a settled cluster."""
    deadline = time.monotonic() + within
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        counts = tuple(v[1] for k, v in sorted(api.tenants_by_silo().items()) if v[0] == "active")
        if counts != last:
            last, since = counts, time.monotonic()
        elif len(counts) > 1 and min(counts) > 0 and time.monotonic() - since >= quiet:
            return last
        time.sleep(0.25)
    raise SystemExit(f"the spread did not settle within {within} s (last: {last})")


def scenario_join(tenants):
    start_cluster(2)
    env = cluster_env()
    apis = [Api(silo(i)[0], env["CONDUIT_ADMIN_KEY"]) for i in (1, 2)]
    refs = create_tenants(apis[0], tenants)
    wait(lambda: min(v[1] for v in apis[0].tenants_by_silo().values() if v[0] == "active") > 0, 120, 1)
    load = Load(apis, refs)
    started = time.monotonic()
    sh("bash", "scripts/cluster.sh", "add")
    _, _, endpoint = silo(3)
    fair = tenants / 3
    share_at = None
    last, stable_since, history = None, None, []
    while time.monotonic() - started < 180:
        spread = apis[0].tenants_by_silo()
        now = time.monotonic() - started
        counts = tuple(v[1] for k, v in sorted(spread.items()) if v[0] == "active")
        history.append((round(now, 1), counts))
        if share_at is None and spread.get(endpoint, ("", 0))[1] >= 0.8 * fair:
            share_at = now
        if counts != last:
            last, stable_since = counts, now
        elif share_at is not None and now - stable_since >= 15:
            break
        time.sleep(0.5)
    load.close()
    failures = len(load.outages) + len(load.first_fail_after)
    return {"share80_s": share_at, "settled_s": stable_since, "final": last, "tenants_with_failed_calls": failures,
            "history": history[::4]}


def scenario_outage(tenants, sig, while_moving=False):
    start_cluster(2)
    env = cluster_env()
    survivor, victim = Api(silo(1)[0], env["CONDUIT_ADMIN_KEY"]), silo(2)
    refs = create_tenants(survivor, tenants)
    if while_moving:
        wait(lambda: survivor.tenants_by_silo().get(victim[2], ("", 0))[1] > 0, 120, 0.05)
    else:
        wait_settled(survivor)
    on_victim = survivor.tenants_by_silo()[victim[2]][1]
    load = Load([survivor], refs)
    if not while_moving:
        time.sleep(2)
    t0 = time.monotonic()
    os.kill(victim[1], sig)
    dead_at = None
    def dead():
        nonlocal dead_at
        if survivor.tenants_by_silo().get(victim[2], ("",))[0] == "dead":
            dead_at = time.monotonic() - t0
            return True
        return False
    wait(dead, 60, 0.1)
    wait(lambda: load.all_answered_since(t0), 60, 0.05)
    all_back = time.monotonic() - t0
    load.close()
    worst = max(load.outages.values(), default=0.0)
    exited = None
    if sig == signal.SIGSTOP:
        os.kill(victim[1], signal.SIGCONT)
        exited = wait(lambda: subprocess.run(["kill", "-0", str(victim[1])], stderr=subprocess.DEVNULL).returncode != 0, 30, 0.2)
    return {"tenants_on_victim": on_victim, "declared_dead_s": dead_at, "all_tenants_back_s": all_back,
            "worst_tenant_outage_s": worst, "tenants_with_outage": len(load.outages), "exited_after_resume": exited,
            "errors": load.errors, "slow_calls_s": sorted(load.slow)[-10:]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tenants", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenario", choices=["join", "kill", "stop", "all"], default="all")
    parser.add_argument("--signal-while-moving", action="store_true", help="kill/stop while tenants still move to the victim")
    args = parser.parse_args()
    scenarios = ["join", "kill", "stop"] if args.scenario == "all" else [args.scenario]
    results = {}
    try:
        for name in scenarios:
            runs = []
            for run in range(args.runs):
                result = scenario_join(args.tenants) if name == "join" else scenario_outage(args.tenants, signal.SIGKILL if name == "kill" else signal.SIGSTOP, args.signal_while_moving)
                print(json.dumps({"scenario": name, "run": run + 1, **result}), flush=True)
                runs.append(result)
            keys = ["share80_s", "settled_s"] if name == "join" else ["declared_dead_s", "all_tenants_back_s", "worst_tenant_outage_s"]
            results[name] = {k: statistics.median([r[k] for r in runs if r[k] is not None] or [float("nan")]) for k in keys}
            print(json.dumps({"scenario": name, "median": results[name]}), flush=True)
    finally:
        subprocess.run(["bash", "scripts/cluster.sh", "stop"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(json.dumps({"medians": results, "tenants": args.tenants, "runs": args.runs, "signal_while_moving": args.signal_while_moving}, indent=2))


if __name__ == "__main__":
    sys.exit(main())
