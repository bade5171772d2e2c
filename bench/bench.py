#!/usr/bin/env python3
"""The speed benchmark of issue 16: imgctl against the physical floor, curl,
the AWS CLI and the official SDKs, on one machine, in one run, against the
same loopback server (`imgctl emulator --speed 0`).

Run it through bench/run.sh, which builds what it needs:

    bash bench/run.sh            # full run: writes docs/performance.md's table and docs/performance.png
    bash bench/run.sh --smoke    # a few iterations, into target/bench-smoke/ (CI)

Each contender is timed in pairs with the imgctl call that does the same
operation, in alternating order (A B, B A, ...), so a machine that drifts
(other builds starting or stopping) moves both members of a pair alike; the
ratio reported is the median of the per-pair ratios. Wall time is measured
around spawn and wait by a small runner (bench/measure.rs); CPU time (user +
system) and peak RSS come from the child's rusage.
"""
import argparse
import datetime
import hashlib
import hmac
import os
import platform
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY, SECRET = "imgctl-demo", "imgctl-demo-secret"
EC2_INSTANCE = "i-1234567890abcdef0"
ENS_INSTANCE = "i-5rr1bnyrc4tswr8cq3w6y"
ECS_IMAGE = "m-bp18ygjuqnwhechc"
IMS_INSTANCE = "877a2cda-ba63-4e1e-b95f-e67e48b6129a"
HW_PROJECT = "0123456789abcdef0123456789abcdef"

BOTO3 = """
import sys, boto3
c = boto3.client("ec2", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="imgctl-demo", aws_secret_access_key="imgctl-demo-secret")
c.create_image(InstanceId="i-1234567890abcdef0", Name=sys.argv[2])
"""

ALIBABA_ENS = """
import sys
from alibabacloud_tea_openapi.utils_models import Config
from alibabacloud_ens20171110.client import Client
from alibabacloud_ens20171110 import models as m
cfg = Config(access_key_id="imgctl-demo", access_key_secret="imgctl-demo-secret",
             endpoint=sys.argv[1].split("://")[1], protocol="http", region_id="cn-hangzhou")
Client(cfg).create_image(m.CreateImageRequest(image_name=sys.argv[2], instance_id="i-5rr1bnyrc4tswr8cq3w6y"))
"""

ALIBABA_ECS = """
import sys
from alibabacloud_tea_openapi.utils_models import Config
from alibabacloud_ecs20140526.client import Client
from alibabacloud_ecs20140526 import models as m
cfg = Config(access_key_id="imgctl-demo", access_key_secret="imgctl-demo-secret",
             endpoint=sys.argv[1].split("://")[1], protocol="http", region_id="cn-hangzhou")
Client(cfg).modify_image_attribute(m.ModifyImageAttributeRequest(
    region_id="cn-hangzhou", image_id="m-bp18ygjuqnwhechc", image_name=sys.argv[2]))
"""

HUAWEI_IMS = """
import sys
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkims.v2 import ImsClient
from huaweicloudsdkims.v2 import model as m
hc = HttpConfig.get_default_config()
hc.retry_times = 0
c = (ImsClient.new_builder()
     .with_credentials(BasicCredentials("imgctl-demo", "imgctl-demo-secret", "0123456789abcdef0123456789abcdef"))
     .with_endpoints([sys.argv[1]]).with_http_config(hc).build())
body = m.CreateImageRequestBody(name=sys.argv[2], instance_id="877a2cda-ba63-4e1e-b95f-e67e48b6129a")
c.create_image(m.CreateImageRequest(body=body))
"""


# ---------------------------------------------------------------- measuring

MEASURE = None  # bench/measure.rs, built by bench/run.sh


def run_once(argv, env, check=True):
    """(wall ms, cpu ms, peak RSS MiB) of one command, through the small
    runner bench/measure.rs (see there why not from Python)."""
    p = subprocess.run([MEASURE, *argv], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = p.stderr.decode(errors="replace")
    try:
        wall_ns, cpu_us, rss_kb, code = (int(x) for x in p.stdout.split())
    except ValueError:
        sys.exit(f"bench: measure failed on {argv[0]}: {err[-600:]}")
    if check and code != 0:
        sys.exit(f"bench: {argv[0]} {' '.join(argv[1:3])} exited {code}: {err[-600:]}")
    return wall_ns / 1e6, cpu_us / 1000, rss_kb / 1024


def pct(xs, q):
    s = sorted(xs)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


class Series:
    def __init__(self):
        self.wall, self.cpu, self.rss = [], [], []

    def add(self, m):
        self.wall.append(m[0])
        self.cpu.append(m[1])
        self.rss.append(m[2])


# ---------------------------------------------------------------- servers

def start_emulator(imgctl):
    p = subprocess.Popen([imgctl, "emulator", "--speed", "0"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    url = p.stdout.readline().strip()
    if not url.startswith("http://"):
        p.kill()
        sys.exit(f"bench: the emulator did not start ({imgctl})")
    return p, url


def make_ca(d):
    """A CA and a certificate for 127.0.0.1 signed by it (openssl)."""
    def ossl(*a):
        subprocess.run(["openssl", *a], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ca_key, ca, key, csr, crt = (os.path.join(d, n) for n in ("ca.key", "ca.pem", "srv.key", "srv.csr", "srv.pem"))
    ext = os.path.join(d, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    ossl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca_key,
         "-out", ca, "-days", "2", "-subj", "/CN=imgctl bench CA")
    ossl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr,
         "-subj", "/CN=127.0.0.1")
    ossl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", crt, "-days", "2",
         "-extfile", ext)
    return ca, crt, key


def start_tls_relay(crt, key, upstream):
    """TLS on 127.0.0.1, relayed in the clear to the emulator: imgctl and curl
    go through the same relay, so it costs both alike."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(crt, key)
    host, port = upstream.split("://")[1].split(":")
    lst = socket.socket()
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", 0))
    lst.listen(64)

    def pump(a, b):
        try:
            while True:
                data = a.recv(65536)
                if not data:
                    break
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass

    def conn(c):
        try:
            # No Nagle: small writes relayed at once (with it, delayed ACKs
            # add ~40 ms to every answer, for imgctl and curl alike).
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            t = ctx.wrap_socket(c, server_side=True)
            u = socket.create_connection((host, int(port)))
            u.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, ssl.SSLError):
            c.close()
            return
        threading.Thread(target=pump, args=(t, u), daemon=True).start()
        pump(u, t)

    def accept():
        while True:
            c, _ = lst.accept()
            threading.Thread(target=conn, args=(c,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return f"https://127.0.0.1:{lst.getsockname()[1]}"


def start_poll_stub(polls):
    """A keep-alive EC2 stub: DescribeImages answers pending polls-1 times,
    then available (repeating per image id asked)."""
    count = {"n": 0}

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes: without this, each
        # poll waits ~40 ms for a delayed ACK.
        disable_nagle_algorithm = True

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            count["n"] += 1
            state = "available" if count["n"] % polls == 0 else "pending"
            body = ('<?xml version="1.0" encoding="UTF-8"?><DescribeImagesResponse xmlns="http://ec2.amazonaws.com/'
                    'doc/2016-11-15/"><requestId>r</requestId><imagesSet><item><imageId>ami-0abc</imageId>'
                    f'<imageState>{state}</imageState><name>web-v1</name></item></imagesSet>'
                    '</DescribeImagesResponse>').encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_address[1]}"


# ---------------------------------------------------------------- the floor's request

def sigv4_create_image(hostport, name):
    """A raw, SigV4-signed EC2 CreateImage request (what the floor sends)."""
    body = f"Action=CreateImage&Version=2016-11-15&InstanceId={EC2_INSTANCE}&Name={name}"
    now = datetime.datetime.now(datetime.timezone.utc)
    amz, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    ctype = "application/x-www-form-urlencoded; charset=utf-8"
    signed = "content-type;host;x-amz-date"
    canon = (f"POST\n/\n\ncontent-type:{ctype}\nhost:{hostport}\nx-amz-date:{amz}\n\n{signed}\n"
             + hashlib.sha256(body.encode()).hexdigest())
    scope = f"{day}/us-east-1/ec2/aws4_request"
    sts = f"AWS4-HMAC-SHA256\n{amz}\n{scope}\n" + hashlib.sha256(canon.encode()).hexdigest()
    k = ("AWS4" + SECRET).encode()
    for part in (day, "us-east-1", "ec2", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    return (f"POST / HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: {ctype}\r\nX-Amz-Date: {amz}\r\n"
            f"Authorization: AWS4-HMAC-SHA256 Credential={KEY}/{scope}, SignedHeaders={signed}, Signature={sig}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}").encode()


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true", help="a few iterations, into --out")
    ap.add_argument("--imgctl", default=os.path.join(ROOT, "target", "release", "imgctl"))
    ap.add_argument("--floor", required=True, help="the floor program, built from bench/floor.rs")
    ap.add_argument("--measure", required=True, help="the runner, built from bench/measure.rs")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs"))
    ap.add_argument("--fast", type=int, default=None, help="pairs per fast contender")
    ap.add_argument("--slow", type=int, default=None, help="pairs per SDK/CLI contender")
    ap.add_argument("--many", type=int, default=None, help="calls in the sequential/parallel runs")
    a = ap.parse_args()
    global MEASURE
    MEASURE = a.measure
    fast = a.fast or (3 if a.smoke else 40)
    slow = a.slow or (2 if a.smoke else 12)
    many = a.many or (20 if a.smoke else 1000)
    venv_bin = os.path.dirname(sys.executable)
    tmp = tempfile.mkdtemp(prefix="imgctl-bench-")
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    base_env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "LANG": "C.UTF-8"}
    emu, url = start_emulator(a.imgctl)
    hostport = url.split("://")[1]
    try:
        ca, crt, key = make_ca(tmp)
        https = start_tls_relay(crt, key, url)
        poll_url = start_poll_stub(20)
        ec2_env = dict(base_env, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET, AWS_DEFAULT_REGION="us-east-1",
                       AWS_EC2_METADATA_DISABLED="true")
        ali_env = dict(base_env, ALIBABA_CLOUD_ACCESS_KEY_ID=KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET=SECRET)
        hw_env = dict(base_env, HUAWEICLOUD_SDK_AK=KEY, HUAWEICLOUD_SDK_SK=SECRET,
                      HUAWEICLOUD_SDK_PROJECT_ID=HW_PROJECT)
        tls_env = dict(ec2_env, SSL_CERT_FILE=ca)
        I = a.imgctl
        serial = iter(range(10 ** 9))

        def name(prefix):
            return f"{prefix}-{os.getpid()}-{next(serial)}"

        floor_file = os.path.join(tmp, "request")

        def floor_cmd():
            with open(floor_file, "wb") as f:
                f.write(sigv4_create_image(hostport, name("floor")))
            return [a.floor, hostport, floor_file], base_env

        def curl(endpoint, extra=()):
            return lambda: (["curl", "-sS", "-f", "-o", "/dev/null", *extra, "--aws-sigv4", "aws:amz:us-east-1:ec2",
                             "--user", f"{KEY}:{SECRET}", "-H",
                             "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
                             "--data", f"Action=CreateImage&Version=2016-11-15&InstanceId={EC2_INSTANCE}"
                                       f"&Name={name('curl')}", endpoint + "/"], base_env)

        def imgctl_ec2(endpoint, env):
            return lambda: ([I, "create", "--provider", "ec2", "--region", "us-east-1", "--endpoint-url", endpoint,
                             "--instance-id", EC2_INSTANCE, "--name", name("imgctl")], env)

        py = sys.executable
        # (label, contender, imgctl counterpart, iterations)
        cases = [
            ("floor (std-only Rust, HTTP)", floor_cmd, "imgctl ec2 create (HTTP)", fast),
            ("curl --aws-sigv4 (HTTP)", curl(url), "imgctl ec2 create (HTTP)", fast),
            ("curl --aws-sigv4 (HTTPS)", curl(https, ["--cacert", ca]), "imgctl ec2 create (HTTPS)", fast),
            ("aws ec2 create-image", lambda: ([os.path.join(venv_bin, "aws"), "ec2", "create-image",
                                               "--endpoint-url", url, "--instance-id", EC2_INSTANCE,
                                               "--name", name("awscli")], ec2_env),
             "imgctl ec2 create (HTTP)", slow),
            ("boto3 one-shot", lambda: ([py, "-c", BOTO3, url, name("boto3")], base_env),
             "imgctl ec2 create (HTTP)", slow),
            ("Alibaba SDK: ENS CreateImage", lambda: ([py, "-c", ALIBABA_ENS, url, name("ens-sdk")], base_env),
             "imgctl ens create", slow),
            ("Alibaba SDK: ECS ModifyImageAttribute",
             lambda: ([py, "-c", ALIBABA_ECS, url, name("ecs-sdk")], base_env), "imgctl ecs modify", slow),
            ("Huawei SDK: IMS create", lambda: ([py, "-c", HUAWEI_IMS, url, name("ims-sdk")], base_env),
             "imgctl ims create", slow),
        ]
        imgctl_cmds = {
            "imgctl ec2 create (HTTP)": imgctl_ec2(url, ec2_env),
            "imgctl ec2 create (HTTPS)": imgctl_ec2(https, tls_env),
            "imgctl ens create": lambda: ([I, "create", "--provider", "ens", "--endpoint-url", url, "--instance-id", ENS_INSTANCE,
                                           "--name", name("imgctl-ens")], ali_env),
            "imgctl ecs modify": lambda: ([I, "modify", "--provider", "ecs", "--region", "cn-hangzhou",
                                           "--endpoint-url", url, "--image-id", ECS_IMAGE,
                                           "--name", name("imgctl-ecs")], ali_env),
            "imgctl ims create": lambda: ([I, "create", "--provider", "ims", "--region", "cn-north-4",
                                           "--endpoint-url", url, "--instance-id", IMS_INSTANCE,
                                           "--name", name("imgctl-ims")], hw_env),
        }
        series = {k: Series() for k in imgctl_cmds}
        ratios = {}
        # One warm-up of each, unmeasured (page cache, the emulator's first answers).
        for mk in list(imgctl_cmds.values()) + [c[1] for c in cases]:
            argv, env = mk()
            run_once(argv, env)
        load_before = os.getloadavg()
        started = time.time()
        for label, mk, counterpart, n in cases:
            s = series[label] = Series()
            rs = ratios[label] = {"wall": [], "cpu": [], "rss": []}
            for i in range(n):
                order = [(mk, s), (imgctl_cmds[counterpart], series[counterpart])]
                if i % 2:
                    order.reverse()
                got = {}
                for m, ser in order:
                    argv, env = m()
                    r = run_once(argv, env)
                    ser.add(r)
                    got[id(ser)] = r
                x, b = got[id(s)], got[id(series[counterpart])]
                for j, k in enumerate(("wall", "cpu", "rss")):
                    rs[k].append(x[j] / b[j] if b[j] else float("nan"))
        # Start-up, the 20-poll wait, many calls.
        extra = {}
        for what, argv in (("imgctl --help", [I, "--help"]), ("imgctl --version", [I, "--version"])):
            s = Series()
            for _ in range(fast):
                s.add(run_once(argv, base_env))
            extra[what] = s
        s = Series()
        for _ in range(max(3, fast // 4)):
            s.add(run_once([I, "wait", "--provider", "ec2", "--region", "us-east-1", "--endpoint-url", poll_url,
                            "--image-id", "ami-0abc", "--poll-interval", "10ms"], ec2_env))
        extra["imgctl wait, 20 polls"] = s
        modify = (f"{I} modify --provider ecs --region cn-hangzhou --endpoint-url {url} "
                  f"--image-id {ECS_IMAGE} --name")
        t = time.perf_counter()
        subprocess.run(["bash", "-c", f"for i in $(seq {many}); do {modify} seq-$i >/dev/null || exit 1; done"],
                       env=ali_env, check=True)
        seq_s = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run(["bash", "-c", f"seq {many} | xargs -P 16 -I{{}} {modify} par-{{}} >/dev/null"],
                       env=ali_env, check=True)
        par_s = time.perf_counter() - t
        elapsed = time.time() - started
        load_after = os.getloadavg()
    finally:
        emu.terminate()
        emu.wait()

    size = os.path.getsize(a.imgctl)
    report = render(series, ratios, cases, extra, seq_s, par_s, many, size, load_before, load_after, elapsed,
                    fast, slow, a.smoke)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "performance-table.md"), "w") as f:
        f.write(report)
    print(report)
    chart(series, os.path.join(a.out, "performance.png"))
    if not a.smoke:
        splice(os.path.join(a.out, "performance.md"), report)


def fmt(x, d=1):
    return f"{x:.{d}f}"


def render(series, ratios, cases, extra, seq_s, par_s, many, size, lb, la, elapsed, fast, slow, smoke):
    m = lambda xs: statistics.median(xs)
    iqr = lambda xs: f"{fmt(pct(xs, .25), 1)}–{fmt(pct(xs, .75), 1)}"
    out = []
    out.append(f"Measured {datetime.date.today().isoformat()} on {platform.node() or 'this machine'}: "
               f"{os.cpu_count()} CPUs, {platform.platform()}; load average {lb[0]:.2f} before, {la[0]:.2f} "
               f"after ({elapsed:.0f} s){' — SMOKE RUN, figures meaningless' if smoke else ''}. "
               f"{fast} pairs per fast contender, {slow} per SDK/CLI contender.\n")
    out.append("| command | wall ms, median (IQR) | CPU ms, median | peak RSS MiB | wall ÷ imgctl (pairs, median) "
               "| CPU ÷ imgctl |")
    out.append("|---|---|---|---|---|---|")
    order = list(series.keys())
    for k in order:
        s = series[k]
        if k in ratios:
            r = ratios[k]
            rw, rc = f"{fmt(m(r['wall']), 2)}× (vs {dict((c[0], c[2]) for c in cases)[k]})", fmt(m(r["cpu"]), 2) + "×"
        else:
            rw, rc = "1 (itself)", "1"
        out.append(f"| {k} | {fmt(m(s.wall), 2)} ({iqr(s.wall)}) | {fmt(m(s.cpu), 2)} | {fmt(max(s.rss), 1)} "
                   f"| {rw} | {rc} |")
    out.append("")
    out.append("| other measure | value |")
    out.append("|---|---|")
    for k, s in extra.items():
        out.append(f"| {k}: wall ms median (IQR) / CPU ms median / peak RSS MiB | {fmt(m(s.wall), 2)} "
                   f"({iqr(s.wall)}) / {fmt(m(s.cpu), 2)} / {fmt(max(s.rss), 1)} |")
    out.append(f"| {many} sequential `imgctl modify` (ECS) against the emulator | {seq_s:.2f} s "
               f"({seq_s / many * 1000:.2f} ms per call) |")
    out.append(f"| {many} parallel (xargs -P 16) `imgctl modify` | {par_s:.2f} s ({many / par_s:.0f} calls/s) |")
    what = "debug binary (smoke run)" if smoke else "stripped release binary"
    out.append(f"| {what} | {size / 1e6:.2f} MB ({size} bytes) |")
    out.append("")
    # Targets of issue 16, each with its measure.
    r_floor = 1 / m(ratios["floor (std-only Rust, HTTP)"]["wall"])
    r_tls = 1 / m(ratios["curl --aws-sigv4 (HTTPS)"]["wall"])
    sdk = [k for k in ratios if k.startswith(("aws ", "boto3", "Alibaba", "Huawei"))]
    peak = max(max(series[k].rss) for k in series if k.startswith("imgctl"))
    rows = [
        ("per call over plain HTTP ÷ floor", f"{r_floor:.2f}×", "≤ 1.5×", r_floor <= 1.5),
        ("per call over HTTPS ÷ curl over HTTPS", f"{r_tls:.2f}×", "≤ 0.6×", r_tls <= 0.6),
    ]
    for k in sdk:
        v = m(ratios[k]["wall"])
        rows.append((f"{k} ÷ imgctl", f"{v:.0f}×", "≥ 50×", v >= 50))
    rows += [
        ("peak memory per call (imgctl, max)", f"{peak:.1f} MiB", "≤ 15 MB", peak * 1.048576 <= 15),
        ("stripped binary", f"{size / 1e6:.2f} MB", "≤ 10 MB", size <= 10e6),
        ("imgctl --help", f"{m(extra['imgctl --help'].wall):.2f} ms", "< 3 ms", m(extra['imgctl --help'].wall) < 3),
        ("CPU of a 20-poll --wait", f"{m(extra['imgctl wait, 20 polls'].cpu):.1f} ms", "< 50 ms",
         m(extra['imgctl wait, 20 polls'].cpu) < 50),
    ]
    out.append("| target (issue 16) | measured | target | met |")
    out.append("|---|---|---|---|")
    for what, v, t, ok in rows:
        out.append(f"| {what} | {v} | {t} | {'yes' if ok else '**no**'} |")
    return "\n".join(out) + "\n"


def chart(series, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench: matplotlib missing, no chart", file=sys.stderr)
        return
    names = list(series.keys())
    med = [statistics.median(series[k].wall) for k in names]
    lo = [m - pct(series[k].wall, .25) for k, m in zip(names, med)]
    hi = [pct(series[k].wall, .75) - m for k, m in zip(names, med)]
    colors = ["#2b7bba" if k.startswith("imgctl") else "#999999" for k in names]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(names) + 1.2))
    ax.barh(names, med, xerr=[lo, hi], color=colors)
    ax.set_xscale("log")
    ax.invert_yaxis()
    ax.set_xlabel("wall time per call, ms (median, bars: IQR; log scale)")
    for i, v in enumerate(med):
        ax.text(v + hi[i], i, f" {v:.1f}", va="center", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def splice(path, report):
    """Replaces the generated part of docs/performance.md."""
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    text = open(path).read() if os.path.exists(path) else f"# Performance\n\n{begin}\n{end}\n"
    if begin not in text or end not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w") as f:
        f.write(f"{head}{begin}\n{report}{end}{tail}")


if __name__ == "__main__":
    main()
