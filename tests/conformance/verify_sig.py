"""Recompute the signature of a captured request with the SDK's OWN signing code.

Each verifier takes a :class:`capture.CapturedRequest` and the secret and
returns ``(ok, expected, got)``:

* ``expected`` is what the official SDK's signing function produces for
  the request as it arrived (same method, path, decoded parameters, signed
  headers, body bytes, and the request's own date and nonce);
* ``got`` is the signature/Authorization the request carried;
* ``ok`` is ``expected == got`` (plus, where the scheme has one, the body
  hash header matching the body).

Nothing here re-implements an algorithm: the functions only take the
request apart and hand the pieces to

* Alibaba V1 (HMAC-SHA1, ``Signature`` parameter):
  ``alibabacloud_tea_openapi.utils.Utils.get_rpcsignature`` (the code that
  signs in tea-openapi 0.4.6) or, with ``impl="openapi-util"``,
  ``alibabacloud_openapi_util.client.Client.get_rpcsignature``;
* Alibaba V3 (ACS3-HMAC-SHA256, ``Authorization``): ``get_authorization``
  of the same two modules;
* Huawei AK/SK (SDK-HMAC-SHA256): ``huaweicloudsdkcore.signer.signer.Signer``
  fed with the captured ``X-Sdk-Date``;
* AWS SigV4: ``botocore.auth.SigV4Auth`` with the captured ``X-Amz-Date``.

``tamper_one_byte`` changes exactly one byte of one parameter on the wire, to
prove that a verifier rejects what it should.
"""

from __future__ import annotations

import hashlib
import re
from types import SimpleNamespace
from typing import Dict, List, Optional, Tuple
from urllib.parse import unquote

from capture import CapturedRequest

Result = Tuple[bool, str, str]

__all__ = [
    "alibaba_v1", "alibaba_v3", "alibaba", "huawei_aksk", "sigv4", "verify",
    "parse_authorization", "tamper_one_byte", "tamper_path",
]


def _alibaba_utils(impl: str):
    if impl == "tea-openapi":
        from alibabacloud_tea_openapi.utils import Utils
        return Utils
    if impl == "openapi-util":
        from alibabacloud_openapi_util.client import Client
        return Client
    raise ValueError(f"impl must be 'tea-openapi' or 'openapi-util', not {impl!r}")


def _rpc_params(req: CapturedRequest) -> Dict[str, str]:
    params: Dict[str, str] = {}
    for k, v in list(req.query) + list(req.form()):
        params[k] = v
    return params


def parse_authorization(value: str) -> Tuple[str, Dict[str, str]]:
    """``'ALG k1=v1, k2=v2'`` or ``'ALG k1=v1,k2=v2'`` -> ``('ALG', {k1: v1, k2: v2})``."""
    alg, _, rest = (value or "").strip().partition(" ")
    fields = {}
    for part in re.split(r",\s*", rest):
        k, sep, v = part.partition("=")
        if sep:
            fields[k.strip()] = v.strip()
    return alg, fields


def _signed_header_map(req: CapturedRequest, names: List[str]) -> Tuple[Dict[str, str], List[str]]:
    """{name: captured value} for each signed header; also the names that are missing."""
    out, missing = {}, []
    for n in names:
        values = req.header_all(n)
        if not values:
            missing.append(n)
        else:
            out[n] = ",".join(values) if len(values) > 1 else values[0]
    return out, missing


# --------------------------------------------------------------------------
# Alibaba
# --------------------------------------------------------------------------


def alibaba_v1(req: CapturedRequest, secret: str, access_key_id: Optional[str] = None,
               impl: str = "tea-openapi") -> Result:
    """Classic RPC signature: ``Signature`` over every query + form parameter."""
    params = _rpc_params(req)
    got = params.pop("Signature", "")
    expected = _alibaba_utils(impl).get_rpcsignature(params, req.method.upper(), secret)
    ok = bool(got) and expected == got
    if access_key_id is not None and params.get("AccessKeyId") != access_key_id:
        ok = False
    return ok, expected, got


def alibaba_v3(req: CapturedRequest, secret: str, access_key_id: Optional[str] = None,
               impl: str = "tea-openapi") -> Result:
    """ACS3-HMAC-SHA256: ``Authorization`` over method, path, query, signed headers, body hash."""
    got = req.header("authorization") or ""
    alg, fields = parse_authorization(got)
    ak = fields.get("Credential", "")
    names = [n for n in fields.get("SignedHeaders", "").split(";") if n]
    headers, missing = _signed_header_map(req, names)
    body_hash = hashlib.sha256(req.body).hexdigest()  # the real body, not the header's claim
    request = SimpleNamespace(
        method=req.method.upper(),
        pathname=unquote(req.path) or "/",
        query=dict(req.query),
        headers=headers,
    )
    expected = _alibaba_utils(impl).get_authorization(request, alg or "ACS3-HMAC-SHA256", body_hash, ak, secret)
    ok = bool(got) and expected == got and not missing
    if (req.header("x-acs-content-sha256") or "") != body_hash:
        ok = False  # the signed hash header must describe the body actually sent
    if access_key_id is not None and ak != access_key_id:
        ok = False
    if missing:
        expected += f"  [signed headers missing from request: {';'.join(missing)}]"
    return ok, expected, got


def alibaba(req: CapturedRequest, secret: str, access_key_id: Optional[str] = None,
            impl: str = "tea-openapi") -> Result:
    """V3 when the request has an ACS3 Authorization header, V1 otherwise."""
    if (req.header("authorization") or "").startswith("ACS3-"):
        return alibaba_v3(req, secret, access_key_id, impl)
    return alibaba_v1(req, secret, access_key_id, impl)


# --------------------------------------------------------------------------
# Huawei AK/SK
# --------------------------------------------------------------------------


def huawei_aksk(req: CapturedRequest, sk: str, ak: Optional[str] = None) -> Result:
    """SDK-HMAC-SHA256, recomputed by ``huaweicloudsdkcore.signer.signer.Signer``.

    The Signer is handed the captured request: method, raw path, query pairs,
    exactly the headers the request says it signed (X-Sdk-Date among them, so
    the Signer uses the captured time) and the body bytes.
    """
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    got = req.header("authorization") or ""
    alg, fields = parse_authorization(got)
    got_ak = fields.get("Access", "")
    names = [n for n in fields.get("SignedHeaders", "").split(";") if n]
    headers, missing = _signed_header_map(req, names)
    sdk_req = SdkRequest(
        method=req.method.upper(),
        schema="http",
        host=req.header("host") or "",
        resource_path=req.path,
        query_params=list(req.query),
        header_params=dict(headers),
        body=req.body,
    )
    Signer(SimpleNamespace(ak=got_ak, sk=sk)).sign(sdk_req)
    expected = sdk_req.header_params.get("Authorization", "")
    ok = bool(got) and alg == "SDK-HMAC-SHA256" and expected == got and not missing
    if ak is not None and got_ak != ak:
        ok = False
    if missing:
        expected += f"  [signed headers missing from request: {';'.join(missing)}]"
    return ok, expected, got


# --------------------------------------------------------------------------
# AWS SigV4
# --------------------------------------------------------------------------


def sigv4(req: CapturedRequest, secret: str, access_key_id: Optional[str] = None) -> Result:
    """AWS4-HMAC-SHA256, recomputed by botocore's SigV4Auth at the captured X-Amz-Date.

    Region and service come from the request's own credential scope.
    """
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    got = req.header("authorization") or ""
    alg, fields = parse_authorization(got)
    cred = fields.get("Credential", "")
    try:
        akid, date, region, service, terminator = cred.split("/")
    except ValueError:
        return False, "<malformed Credential scope>", got
    names = [n for n in fields.get("SignedHeaders", "").split(";") if n]
    headers, missing = _signed_header_map(req, names)
    amz_date = req.header("x-amz-date") or ""
    r = AWSRequest(method=req.method.upper(), url=f"http://{req.header('host')}{req.raw_path}",
                   headers=headers, data=req.body)
    r.context["timestamp"] = amz_date
    auth = SigV4Auth(Credentials(akid, secret), service, region)
    canonical = auth.canonical_request(r)
    string_to_sign = auth.string_to_sign(r, canonical)
    signature = auth.signature(string_to_sign, r)
    expected = (f"AWS4-HMAC-SHA256 Credential={akid}/{auth.credential_scope(r)}, "
                f"SignedHeaders={auth.signed_headers(auth.headers_to_sign(r))}, Signature={signature}")
    ok = (bool(got) and alg == "AWS4-HMAC-SHA256" and expected == got and not missing
          and date == amz_date[:8] and terminator == "aws4_request")
    if access_key_id is not None and akid != access_key_id:
        ok = False
    if missing:
        expected += f"  [signed headers missing from request: {';'.join(missing)}]"
    return ok, expected, got


# --------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------


def verify(req: CapturedRequest, secret: str, access_key_id: Optional[str] = None) -> Result:
    """Pick the scheme from the request itself."""
    auth = req.header("authorization") or ""
    if auth.startswith("AWS4-HMAC-SHA256"):
        return sigv4(req, secret, access_key_id)
    if auth.startswith("SDK-HMAC-SHA256"):
        return huawei_aksk(req, secret, access_key_id)
    if auth.startswith("ACS3-") or any(k == "Signature" for k, _ in req.query):
        return alibaba(req, secret, access_key_id)
    return False, "<no signature scheme recognised>", auth


# --------------------------------------------------------------------------
# Tampering
# --------------------------------------------------------------------------


def _bump(c: str) -> str:
    if c.isdigit():
        return str((int(c) + 1) % 10)
    if c.isalpha():
        base = "a" if c.islower() else "A"
        return chr((ord(c) - ord(base) + 1) % 26 + ord(base))
    raise ValueError(c)


def _bump_encoded(value: str) -> str:
    """Change one byte of a percent-encoded value, keeping it well formed."""
    i = 0
    while i < len(value):
        if value[i] == "%":
            i += 3
            continue
        if value[i].isascii() and value[i].isalnum():
            return value[:i] + _bump(value[i]) + value[i + 1:]
        i += 1
    m = re.search(r"%[0-9A-Fa-f]([0-9A-Fa-f])", value)  # only escapes: change one hex digit
    if m:
        j = m.start(1)
        return value[:j] + ("0" if value[j] != "0" else "1") + value[j + 1:]
    raise ValueError(f"value {value!r} has no byte that can be changed in place")


def _tamper_urlencoded(raw: str, name: str) -> Optional[str]:
    parts = raw.split("&")
    for i, part in enumerate(parts):
        k, sep, v = part.partition("=")
        if sep and unquote(k.replace("+", " ")) == name and v:
            parts[i] = k + "=" + _bump_encoded(v)
            return "&".join(parts)
    return None


def tamper_one_byte(req: CapturedRequest, name: str) -> CapturedRequest:
    """A copy of ``req`` in which one byte of parameter ``name``'s value changed.

    Looks in the query, then a form body, then a JSON body (``"name": value``).
    Lengths and every header (signature included) stay as they were.
    """
    q = _tamper_urlencoded(req.raw_query, name)
    if q is not None:
        return req.replace(raw_path=req.path + "?" + q)
    if req.is_form():
        b = _tamper_urlencoded(req.body.decode("utf-8"), name)
        if b is not None:
            return req.replace(body=b.encode("utf-8"))
    key = b'"' + name.encode("utf-8") + b'"'
    at = req.body.find(key)
    if at >= 0:
        j = req.body.index(b":", at + len(key)) + 1
        body = bytearray(req.body)
        while j < len(body):
            c = chr(body[j])
            if c == "\\":  # keep JSON escapes (\uXXXX, \n, ...) intact
                j += 6 if body[j + 1:j + 2] == b"u" else 2
                continue
            if c.isascii() and c.isalnum():
                body[j] = ord(_bump(c))
                return req.replace(body=bytes(body))
            j += 1
    raise KeyError(f"parameter {name!r} not found in request")


def tamper_path(req: CapturedRequest) -> CapturedRequest:
    """A copy of ``req`` in which one byte of the last path segment changed."""
    path = req.path
    head, _, last = path.rpartition("/")
    new = head + "/" + _bump_encoded(last)
    return req.replace(raw_path=new + (("?" + req.raw_query) if "?" in req.raw_path else ""))
