"""Turn a captured request into a form that can be compared across clients.

The official SDK and imgctl must agree on *what* they ask for; they cannot
agree on the clock, the nonce or the signature, and they may legitimately
differ in the order of parameters.  These functions keep the former and drop
the latter.

Alibaba (RPC, V1 or V3)   ``alibaba(req) -> dict``
    Every API parameter from the query and the form body, plus ``Action``
    and ``Version`` (taken from the ``x-acs-action``/``x-acs-version``
    headers when the request is V3), so that a V1 and a V3 request for the
    same call normalise to the same dict.  Boolean values are lower-cased
    (see ``BOOLEAN_CASE`` below).  The parameters in ``ALIBABA_EXCLUDED`` are
    dropped, each for the reason given there.  A parameter that appears
    twice is an error (RPC has no repeated names).

EC2 (Query)               ``ec2(req) -> Counter``
    The multiset of ``(name, value)`` pairs of the form body (and the query,
    if any), Action and Version included: position does not matter (boto3
    keeps kwargs order, the AWS CLI uses model order), multiplicity does.
    ``ec2_sorted`` gives the same as a sorted list, for readable diffs.

Huawei (REST + JSON)      ``huawei(req) -> HuaweiCall``
    ``(method, path, sorted query pairs, JSON body as a value)``.  The body
    is compared parsed, because the Python SDK sends non-ASCII as ``\\uXXXX``
    escapes and ``", "``/``": "`` separators, which any JSON producer may
    legitimately do differently.  The path is percent-decoded.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Dict, List, NamedTuple, Tuple
from urllib.parse import unquote

from capture import CapturedRequest, classify

__all__ = ["ALIBABA_EXCLUDED", "BOOLEAN_CASE", "alibaba", "ec2", "ec2_sorted", "huawei", "HuaweiCall",
           "normalize"]

# Parameter -> why it is left out of the comparison.
ALIBABA_EXCLUDED: Dict[str, str] = {
    "Signature": "the V1 signature itself; checked by verify_sig, not compared",
    "SignatureNonce": "a fresh random value per request (V1); V3 carries it in x-acs-signature-nonce",
    "Timestamp": "the signing clock (V1); V3 carries it in x-acs-date",
    "AccessKeyId": "the credential, not an API parameter; checked by verify_sig (V3 puts it in Authorization)",
    "SecurityToken": "an STS credential, not an API parameter (V3 sends x-acs-security-token)",
    "SignatureMethod": "always HMAC-SHA1 in V1; V3 has no such parameter",
    "SignatureVersion": "always 1.0 in V1; V3 has no such parameter",
    "SignatureType": "the classic core SDK adds an empty one (and Tea adds BEARERTOKEN for bearer auth); "
                     "it says nothing about the call",
    "Format": "response format of V1 (the Tea SDK sends 'json', the Go SDK/CLI 'JSON'); V3 never sends it",
}

BOOLEAN_CASE = (
    "The Python Tea SDK stringifies booleans with str(): 'True'/'False'. The Go SDK, the aliyun CLI and "
    "Terraform send 'true'/'false', and the API accepts both. A value that is 'true' or 'false' in any "
    "case is therefore compared lower-cased. (String-typed flags such as ENS DeleteAfterImageUpload "
    "travel as the caller wrote them, and are lower-cased by the same rule.)"
)


def _bool_case(v: str) -> str:
    return v.lower() if v.lower() in ("true", "false") else v


def alibaba(req: CapturedRequest) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for k, v in list(req.query) + list(req.form()):
        if k in out:
            raise ValueError(f"parameter {k!r} appears twice in {req.raw_path!r}")
        out[k] = v
    for header, name in (("x-acs-action", "Action"), ("x-acs-version", "Version")):
        hv = req.header(header)
        if name not in out and hv:
            out[name] = hv
    return {k: _bool_case(v) for k, v in out.items() if k not in ALIBABA_EXCLUDED}


def ec2(req: CapturedRequest) -> Counter:
    return Counter(list(req.query) + list(req.form()))


def ec2_sorted(req: CapturedRequest) -> List[Tuple[str, str]]:
    return sorted(ec2(req).elements())


class HuaweiCall(NamedTuple):
    method: str
    path: str
    query: Tuple[Tuple[str, str], ...]
    body: Any  # parsed JSON, None for no body, raw bytes when it is not JSON


def huawei(req: CapturedRequest) -> HuaweiCall:
    if not req.body:
        body: Any = None
    else:
        try:
            body = json.loads(req.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            body = req.body
    return HuaweiCall(req.method.upper(), unquote(req.path), tuple(sorted(req.query)), body)


def normalize(req: CapturedRequest):
    """Dispatch on the kind of request (see capture.classify)."""
    kind = classify(req)
    if kind == "alibaba":
        return alibaba(req)
    if kind == "ec2":
        return ec2(req)
    if kind == "huawei":
        return huawei(req)
    raise ValueError(f"cannot tell which cloud {req.method} {req.raw_path} is for")
