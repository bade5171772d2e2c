"""One small capture server for every cloud's conformance test.

A threaded HTTP/1.1 server on 127.0.0.1 (ephemeral port) that records every
request exactly as it arrived -- method, raw request target, query pairs in
wire order, headers as a list, raw body bytes -- and answers through a
pluggable responder.  The default responder gives a plausible success body for
the image APIs of Alibaba Cloud ENS/ECS (RPC), AWS EC2 (Query/XML) and Huawei
Cloud IAM+IMS (REST/JSON), enough for the official SDKs to parse the answer.

    with CaptureServer() as srv:
        some_sdk_call(endpoint=srv.url)
        req = srv.last()            # a CapturedRequest
        print(req.method, req.raw_path, req.query, req.body)

A responder is ``callable(CapturedRequest) -> Response | None``; returning
``None`` falls back to the default responder.  Swap it at any time with
``srv.responder = fn``.

Only the standard library is used here, so this module also works outside the
conformance virtualenv.
"""

from __future__ import annotations

import json
import random
import socket
import string
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterable, List, Optional, Tuple
from urllib.parse import parse_qsl, unquote
from xml.sax.saxutils import escape as _xml_escape

__all__ = [
    "CapturedRequest",
    "Response",
    "CaptureServer",
    "DefaultResponder",
    "classify",
    "alibaba_params",
    "ENS_VERSION",
    "ECS_VERSION",
    "EC2_VERSION",
    "HUAWEI_PROJECT_ID",
]

ENS_VERSION = "2017-11-10"
ECS_VERSION = "2014-05-26"
EC2_VERSION = "2016-11-15"
EC2_XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/"
# Project id the default Huawei responder hands out when the caller gives none.
HUAWEI_PROJECT_ID = "0123456789abcdef0123456789abcdef"


# --------------------------------------------------------------------------
# What was received
# --------------------------------------------------------------------------


@dataclass
class CapturedRequest:
    """One request as it arrived on the wire."""

    method: str
    raw_path: str  # the request target exactly as on the request line
    headers: List[Tuple[str, str]]  # in arrival order, duplicates kept
    body: bytes
    http_version: str = "HTTP/1.1"
    received_at: float = field(default_factory=time.time)

    # -- request target -----------------------------------------------------
    @property
    def path(self) -> str:
        """The path part of the request target, still percent-encoded."""
        return self.raw_path.split("?", 1)[0]

    @property
    def raw_query(self) -> str:
        """The query string exactly as sent ('' when there is none)."""
        return self.raw_path.split("?", 1)[1] if "?" in self.raw_path else ""

    @property
    def query(self) -> List[Tuple[str, str]]:
        """Decoded query pairs in wire order.

        Decoding is application/x-www-form-urlencoded (``+`` is a space),
        which is what every server in scope does: the Tea SDK sends its query
        built with ``urlencode`` (``+`` for space), others send ``%20``.
        """
        return parse_qsl(self.raw_query, keep_blank_values=True, strict_parsing=False)

    # -- headers --------------------------------------------------------------
    def header(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """First value of header ``name`` (case-insensitive)."""
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v
        return default

    def header_all(self, name: str) -> List[str]:
        lname = name.lower()
        return [v for k, v in self.headers if k.lower() == lname]

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").strip()

    # -- body -------------------------------------------------------------------
    def is_form(self) -> bool:
        return self.content_type.lower().startswith("application/x-www-form-urlencoded")

    def form(self) -> List[Tuple[str, str]]:
        """Decoded form-body pairs in wire order ([] unless the body is a form)."""
        if not self.body or not self.is_form():
            return []
        return parse_qsl(self.body.decode("utf-8"), keep_blank_values=True)

    def json(self):
        """The body parsed as JSON (None for an empty body)."""
        if not self.body:
            return None
        return json.loads(self.body.decode("utf-8"))

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def to_dict(self) -> dict:
        """A JSON-friendly view, handy in assertion messages."""
        return {
            "method": self.method,
            "raw_path": self.raw_path,
            "query": self.query,
            "headers": self.headers,
            "body": self.text(),
        }

    def replace(self, **changes) -> "CapturedRequest":
        """A copy with some fields replaced (used to tamper in tests)."""
        d = dict(
            method=self.method,
            raw_path=self.raw_path,
            headers=list(self.headers),
            body=self.body,
            http_version=self.http_version,
            received_at=self.received_at,
        )
        d.update(changes)
        return CapturedRequest(**d)


@dataclass
class Response:
    status: int = 200
    headers: List[Tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @classmethod
    def json(cls, obj, status: int = 200, headers: Iterable[Tuple[str, str]] = ()) -> "Response":
        body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        return cls(status, [("Content-Type", "application/json;charset=utf-8"), *headers], body)

    @classmethod
    def xml(cls, text: str, status: int = 200, headers: Iterable[Tuple[str, str]] = ()) -> "Response":
        return cls(status, [("Content-Type", "text/xml;charset=UTF-8"), *headers], text.encode("utf-8"))


Responder = Callable[[CapturedRequest], Optional[Response]]


# --------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------


def alibaba_params(req: CapturedRequest) -> dict:
    """All RPC parameters (query + form body), last value wins."""
    out = dict(req.query)
    out.update(dict(req.form()))
    return out


def classify(req: CapturedRequest) -> Optional[str]:
    """'alibaba', 'ec2', 'huawei' or None."""
    if req.header("x-acs-action"):
        return "alibaba"
    query = dict(req.query)
    form = dict(req.form())
    params = {**query, **form}
    if "Action" in params:
        auth = req.header("authorization") or ""
        if params.get("Version") == EC2_VERSION or auth.startswith("AWS4-HMAC-SHA256"):
            return "ec2"
        return "alibaba"
    p = req.path
    if p.startswith(("/v3/", "/v3.0/", "/v2/", "/v2.1/", "/v1/")) or p == "/v3":
        return "huawei"
    return None


# --------------------------------------------------------------------------
# Default responder: plausible success bodies
# --------------------------------------------------------------------------


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class DefaultResponder:
    """Stateful (ids, jobs) responder; one per server."""

    def __init__(self, seed: Optional[int] = None):
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.jobs = {}  # huawei job_id -> image_id

    # -- ids ---------------------------------------------------------------------
    def _rand(self, alphabet: str, n: int) -> str:
        with self._lock:
            return "".join(self._rng.choice(alphabet) for _ in range(n))

    def alibaba_image_id(self) -> str:
        return "m-" + self._rand(string.ascii_lowercase + string.digits, 20)

    def alibaba_request_id(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128))).upper()

    def ec2_id(self, prefix: str) -> str:
        return prefix + self._rand("0123456789abcdef", 17)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def hex32(self) -> str:
        return self._rand("0123456789abcdef", 32)

    # -- dispatch ------------------------------------------------------------------
    def __call__(self, req: CapturedRequest) -> Response:
        kind = classify(req)
        if kind == "alibaba":
            return self.alibaba(req)
        if kind == "ec2":
            return self.ec2(req)
        if kind == "huawei":
            return self.huawei(req)
        return Response.json({"error": "capture server: unrecognised request",
                              "path": req.path}, status=404)

    # -- Alibaba RPC (ENS 2017-11-10, ECS 2014-05-26) -----------------------------------------
    def alibaba(self, req: CapturedRequest) -> Response:
        params = alibaba_params(req)
        action = req.header("x-acs-action") or params.get("Action", "")
        version = req.header("x-acs-version") or params.get("Version", "")
        rid = self.alibaba_request_id()
        headers = [("x-acs-request-id", rid)]
        image_id = params.get("ImageId") or self.alibaba_image_id()
        name = params.get("ImageName") or "captured-image"
        if version == ENS_VERSION:
            body = self._ens(action, params, image_id, name)
        else:  # ECS and anything else RPC-shaped
            body = self._ecs(action, params, image_id, name)
        body["RequestId"] = rid
        return Response.json(body, headers=headers)

    def _ens(self, action, params, image_id, name) -> dict:
        if action in ("CreateImage", "ImportImage"):
            return {"Code": 0, "ImageId": image_id}
        if action in ("DescribeSelfImages", "DescribeImages"):
            img = {
                "ImageId": image_id, "ImageName": name, "Architecture": "x86_64",
                "CreationTime": _now_iso(), "ImageOwnerAlias": "self", "ImageSize": "40",
                "Platform": "ubuntu", "OSType": "linux", "SnapshotId": params.get("SnapshotId", ""),
            }
            if action == "DescribeSelfImages":
                img.update({"Status": "Available", "ComputeType": "ens_vm", "ImageStorageSize": "4",
                            "InstanceId": "", "OsVersion": "22.04", "RegionId": "cn-beijing"})
                return {"Code": 0, "Images": {"Image": [img]}, "PageNumber": "1",
                        "PageSize": "10", "TotalCount": "1"}
            return {"Code": 0, "Images": {"Image": [img]}, "PageNumber": 1, "PageSize": 10,
                    "TotalCount": 1}
        return {"Code": 0}

    def _ecs(self, action, params, image_id, name) -> dict:
        region = params.get("RegionId", "cn-hangzhou")
        if action == "CreateImage":
            return {"ImageId": image_id}
        if action == "ImportImage":
            return {"ImageId": image_id, "RegionId": region,
                    "TaskId": "t-" + self._rand(string.ascii_lowercase + string.digits, 20)}
        if action == "DescribeImages":
            img = {
                "ImageId": image_id, "ImageName": name, "Status": "Available", "Progress": "100%",
                "Size": 40, "CreationTime": _now_iso(), "Architecture": "x86_64",
                "OSType": "linux", "OSName": "Ubuntu 22.04 64 bit", "Platform": "Ubuntu",
                "BootMode": "UEFI", "ImageOwnerAlias": "self", "Usage": "none",
                "Features": {"NvmeSupport": "supported", "ImdsSupport": "v2"},
                "Tags": {"Tag": []},
                "DiskDeviceMappings": {"DiskDeviceMapping": [
                    {"Device": "/dev/xvda", "Size": "40", "Type": "system", "Format": "qcow2",
                     "Progress": "100%", "SnapshotId": "s-" + image_id[2:]}]},
            }
            return {"RegionId": region, "TotalCount": 1, "PageNumber": 1, "PageSize": 10,
                    "Images": {"Image": [img]}}
        return {}

    # -- AWS EC2 Query API ------------------------------------------------------------------
    def ec2(self, req: CapturedRequest) -> Response:
        pairs = list(req.query) + list(req.form())
        params = dict(pairs)
        action = params.get("Action", "Unknown")
        rid = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        inner = self._ec2_inner(action, pairs, params)
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<{action}Response xmlns="{EC2_XMLNS}">'
               f"<requestId>{rid}</requestId>{inner}</{action}Response>")
        return Response.xml(xml)

    @staticmethod
    def _indexed(pairs, prefix: str) -> List[str]:
        """Values of ``prefix.N`` in N order (e.g. ImageId.1, ImageId.2)."""
        found = []
        for k, v in pairs:
            if k.startswith(prefix + ".") and k[len(prefix) + 1:].isdigit():
                found.append((int(k[len(prefix) + 1:]), v))
        return [v for _, v in sorted(found)]

    @staticmethod
    def _tags_for(pairs, resource_type: str) -> List[Tuple[str, str]]:
        """Tags of the TagSpecification whose ResourceType is resource_type."""
        d = dict(pairs)
        n = 1
        while f"TagSpecification.{n}.ResourceType" in d:
            if d[f"TagSpecification.{n}.ResourceType"] == resource_type:
                tags, m = [], 1
                while f"TagSpecification.{n}.Tag.{m}.Key" in d:
                    tags.append((d[f"TagSpecification.{n}.Tag.{m}.Key"],
                                 d.get(f"TagSpecification.{n}.Tag.{m}.Value", "")))
                    m += 1
                return tags
            n += 1
        return []

    @staticmethod
    def _tag_set(tags) -> str:
        if not tags:
            return "<tagSet/>"
        items = "".join(f"<item><key>{_xml_escape(k)}</key><value>{_xml_escape(v)}</value></item>"
                        for k, v in tags)
        return f"<tagSet>{items}</tagSet>"

    def _ec2_inner(self, action, pairs, params) -> str:
        x = _xml_escape
        if action in ("CreateImage", "RegisterImage", "CopyImage"):
            return f"<imageId>{self.ec2_id('ami-')}</imageId>"
        if action == "ImportImage":
            bucket = params.get("DiskContainer.1.UserBucket.S3Bucket", "")
            key = params.get("DiskContainer.1.UserBucket.S3Key", "")
            fmt = params.get("DiskContainer.1.Format", "")
            return (f"<importTaskId>{self.ec2_id('import-ami-')}</importTaskId>"
                    "<status>active</status><statusMessage>pending</statusMessage><progress>2</progress>"
                    f"<description>{x(params.get('Description', ''))}</description>"
                    f"<architecture>{x(params.get('Architecture', 'x86_64'))}</architecture>"
                    f"<platform>{x(params.get('Platform', 'Linux'))}</platform>"
                    f"<licenseType>{x(params.get('LicenseType', 'BYOL'))}</licenseType>"
                    "<snapshotDetailSet><item><diskImageSize>0.0</diskImageSize>"
                    f"<format>{x(fmt)}</format><userBucket><s3Bucket>{x(bucket)}</s3Bucket>"
                    f"<s3Key>{x(key)}</s3Key></userBucket></item></snapshotDetailSet>"
                    + self._tag_set(self._tags_for(pairs, "import-image-task")))
        if action == "DescribeImages":
            ids = self._indexed(pairs, "ImageId") or [self.ec2_id("ami-")]
            items = "".join(
                "<item>"
                f"<imageId>{x(i)}</imageId><imageLocation>123456789012/captured</imageLocation>"
                "<imageState>available</imageState><imageOwnerId>123456789012</imageOwnerId>"
                f"<creationDate>{_now_iso()}</creationDate><isPublic>false</isPublic>"
                "<architecture>x86_64</architecture><imageType>machine</imageType>"
                "<name>captured</name><description>captured</description>"
                "<rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName>"
                "<blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs>"
                f"<snapshotId>{self.ec2_id('snap-')}</snapshotId><volumeSize>8</volumeSize>"
                "<deleteOnTermination>true</deleteOnTermination><volumeType>gp3</volumeType>"
                "<encrypted>false</encrypted></ebs></item></blockDeviceMapping>"
                "<virtualizationType>hvm</virtualizationType><hypervisor>xen</hypervisor>"
                "<bootMode>uefi</bootMode><tagSet/></item>"
                for i in ids)
            return f"<imagesSet>{items}</imagesSet>"
        if action == "DescribeImportImageTasks":
            ids = self._indexed(pairs, "ImportTaskId") or [self.ec2_id("import-ami-")]
            items = "".join(
                f"<item><importTaskId>{x(i)}</importTaskId><status>completed</status>"
                f"<imageId>{self.ec2_id('ami-')}</imageId><architecture>x86_64</architecture>"
                "<platform>Linux</platform><licenseType>BYOL</licenseType><bootMode>uefi</bootMode>"
                "<snapshotDetailSet><item><diskImageSize>1.0</diskImageSize><format>VMDK</format>"
                f"<snapshotId>{self.ec2_id('snap-')}</snapshotId><status>completed</status>"
                "</item></snapshotDetailSet><tagSet/></item>"
                for i in ids)
            return f"<importImageTaskSet>{items}</importImageTaskSet>"
        return "<return>true</return>"

    # -- Huawei IAM + IMS -----------------------------------------------------------------------
    def huawei(self, req: CapturedRequest) -> Response:
        m, p = req.method.upper(), unquote(req.path).rstrip("/")
        parts = p.split("/")
        rid = self.hex32()
        hdr = [("X-Request-Id", rid)]
        if p == "/v3/auth/tokens" and m == "POST":
            return self._hw_token(req, hdr)
        if p == "/v3/projects" and m == "GET":
            q = dict(req.query)
            name = q.get("name", "cn-north-4")
            return Response.json({
                "projects": [{"id": HUAWEI_PROJECT_ID, "name": name, "domain_id": "d" * 32,
                              "parent_id": "d" * 32, "enabled": True, "is_domain": False,
                              "description": "", "links": {"self": f"/v3/projects/{HUAWEI_PROJECT_ID}"}}],
                "links": {"self": "/v3/projects", "next": None, "previous": None}}, headers=hdr)
        if m == "POST" and p in ("/v2/cloudimages/action", "/v2.1/cloudimages/action",
                                 "/v2/cloudimages/quickimport/action", "/v2.1/cloudimages/quickimport/action",
                                 "/v1/cloudimages/wholeimages/action", "/v1/cloudimages/dataimages/action"):
            job = "ff8080" + self._rand("0123456789abcdef", 26)
            self.jobs[job] = self.uuid()
            return Response.json({"job_id": job}, headers=hdr)
        # GET /v1/{project_id}/jobs/{job_id} and GET /v1/cloudimages/job/{job_id}
        if m == "GET" and ((len(parts) == 5 and parts[1] == "v1" and parts[3] == "jobs")
                           or p.startswith("/v1/cloudimages/job/")):
            job = parts[-1]
            image_id = self.jobs.setdefault(job, self.uuid())
            return Response.json({
                "status": "SUCCESS", "job_id": job, "job_type": "createImageByInstance",
                "begin_time": "2026-01-01T00:00:00.000Z", "end_time": "2026-01-01T00:05:00.000Z",
                "error_code": None, "fail_reason": None,
                "entities": {"image_id": image_id, "process_percent": 1.0,
                             "results": [{"image_id": image_id, "project_id": HUAWEI_PROJECT_ID,
                                          "status": "success"}]}}, headers=hdr)
        if m == "GET" and p == "/v2/cloudimages":
            q = dict(req.query)
            image = self._hw_image(q.get("id") or self.uuid(), q.get("name"))
            return Response.json({"images": [image]}, headers=hdr)
        if m == "PATCH" and len(parts) == 4 and parts[1] == "v2" and parts[2] == "cloudimages":
            image = self._hw_image(parts[3])
            try:
                ops = req.json() or []
            except ValueError:
                ops = []
            for op in ops if isinstance(ops, list) else []:
                if isinstance(op, dict) and op.get("op") in ("add", "replace") and op.get("path"):
                    image[op["path"].lstrip("/")] = op.get("value")
            return Response.json(image, headers=hdr)
        if m == "DELETE" and p.startswith("/v2/images/"):
            return Response(204, hdr, b"")
        return Response.json({"error": {"code": "IMG.0001", "message": "capture server: no such API"}},
                             status=404, headers=hdr)

    def _hw_token(self, req, hdr) -> Response:
        try:
            body = req.json() or {}
        except ValueError:
            body = {}
        auth = body.get("auth", {}) if isinstance(body, dict) else {}
        user = auth.get("identity", {}).get("password", {}).get("user", {})
        domain_name = (user.get("domain") or {}).get("name", "demo")
        scope_project = (auth.get("scope") or {}).get("project") or {}
        project_name = scope_project.get("name", "cn-north-4")
        project_id = scope_project.get("id", HUAWEI_PROJECT_ID)
        domain = {"id": "d" * 32, "name": domain_name}
        token = {
            "catalog": [], "expires_at": "2099-01-01T00:00:00.000000Z", "issued_at": "2026-01-01T00:00:00.000000Z",
            "methods": ["password"],
            "project": {"domain": domain, "id": project_id, "name": project_name},
            "roles": [{"id": "0", "name": "te_admin"}],
            "user": {"domain": domain, "id": "u" * 32, "name": user.get("name", "demo"),
                     "password_expires_at": ""},
        }
        subject = "MIIcapture" + self._rand(string.ascii_letters + string.digits, 64)
        return Response.json({"token": token}, status=201, headers=[*hdr, ("X-Subject-Token", subject)])

    def _hw_image(self, image_id: str, name: Optional[str] = None) -> dict:
        return {
            "id": image_id, "name": name or "captured-image", "status": "active",
            "visibility": "private", "__imagetype": "private", "__os_type": "Linux",
            "__os_version": "Ubuntu 22.04 server 64bit", "__platform": "Ubuntu",
            "min_disk": 40, "min_ram": 0, "max_ram": "0", "disk_format": "zvhd2",
            "container_format": "bare", "protected": False, "__description": "",
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:05:00Z",
            "__image_size": "4294967296", "enterprise_project_id": "0",
            "hw_firmware_type": "bios", "virtual_env_type": "FusionCompute",
            "self": f"/v2/images/{image_id}", "file": f"/v2/images/{image_id}/file",
            "schema": "/v2/schemas/image", "tags": [],
        }


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "imgctl-capture/1"
    timeout = 30  # an idle keep-alive connection is closed after this

    def setup(self):
        super().setup()
        self.server.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def log_message(self, format, *args):  # noqa: A002 - keep stderr clean (no secrets in logs)
        pass

    def _read_body(self) -> bytes:
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)  # CRLF after each chunk
            return b"".join(chunks)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _handle(self):
        if (self.headers.get("Expect") or "").lower() == "100-continue":
            self.send_response_only(100)
            self.end_headers()
        body = self._read_body()
        req = CapturedRequest(
            method=self.command,
            raw_path=self.path,
            headers=[(k, v) for k, v in self.headers.items()],
            body=body,
            http_version=self.request_version,
        )
        self.server.record(req)
        try:
            resp = self.server.respond(req)
        except Exception as exc:  # a broken responder must not hang the client
            resp = Response.json({"error": f"capture responder failed: {exc!r}"}, status=500)
        self.send_response(resp.status)
        names = {k.lower() for k, _ in resp.headers}
        for k, v in resp.headers:
            self.send_header(k, v)
        if "content-length" not in names:
            self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if self.command != "HEAD" and resp.body:
            self.wfile.write(resp.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: "CaptureServer"):
        self.owner = owner
        self._conns = set()
        self._conns_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def track(self, conn, alive: bool):
        with self._conns_lock:
            (self._conns.add if alive else self._conns.discard)(conn)

    def close_connections(self):
        with self._conns_lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        # A client that exits with a keep-alive connection open resets it;
        # that is how CLIs end, not a failure worth a traceback.
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)

    def record(self, req):
        self.owner._record(req)

    def respond(self, req):
        return self.owner._respond(req)


class CaptureServer:
    """Context manager: start on enter, stop (and close every connection) on exit."""

    def __init__(self, responder: Optional[Responder] = None, seed: Optional[int] = None):
        self.responder = responder
        self.default = DefaultResponder(seed)
        self._requests: List[CapturedRequest] = []
        self._lock = threading.Lock()
        self._httpd: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None

    # -- life cycle -----------------------------------------------------------------
    def start(self) -> "CaptureServer":
        if self._httpd is not None:
            return self
        self._httpd = _Server(self)
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name=f"capture-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        self._httpd = None

    def __enter__(self) -> "CaptureServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def host(self) -> str:
        """host:port, what the Tea SDK wants as ``endpoint``."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT, what boto3, the Huawei SDK and imgctl want."""
        return f"http://127.0.0.1:{self.port}"

    # -- recorded requests ---------------------------------------------------------------
    def _record(self, req: CapturedRequest) -> None:
        with self._lock:
            self._requests.append(req)

    def _respond(self, req: CapturedRequest) -> Response:
        resp = self.responder(req) if self.responder is not None else None
        return resp if resp is not None else self.default(req)

    @property
    def requests(self) -> List[CapturedRequest]:
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    def last(self) -> CapturedRequest:
        with self._lock:
            if not self._requests:
                raise AssertionError("capture server received no request")
            return self._requests[-1]

    def take(self) -> List[CapturedRequest]:
        """Return and forget everything recorded so far."""
        with self._lock:
            out, self._requests = self._requests, []
            return out
