//! Alibaba Cloud RPC signatures: the classic HMAC-SHA1 one (SignatureVersion
//! 1.0, the "V2" of the docs) and ACS3-HMAC-SHA256 (V3, the SDK default).
//! See ref/alibaba.md sections 1 and 2; the tests replay its vectors.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{EagerHash, Hmac, KeyInit, Mac};

use super::{percent_encode, sha256_hex};

/// Credentials as borrowed strings: the caller owns the secret type.
#[derive(Clone, Copy)]
pub struct AcsCredentials<'a> {
    pub access_key_id: &'a str,
    pub access_key_secret: &'a str,
    pub security_token: Option<&'a str>,
}

const V3_ALGORITHM: &str = "ACS3-HMAC-SHA256";

fn hmac<D: EagerHash>(key: &[u8], data: &[u8]) -> Vec<u8> {
    match Hmac::<D>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC takes keys of any length, so this arm is dead; an empty MAC is
        // rejected by the server and by the verifiers below, never a panic.
        Err(_) => Vec::new(),
    }
}

/// Both signatures canonicalise parameters the same way: sort by raw name,
/// then `enc(k)=enc(v)` joined by `&` (an empty value still gives `k=`).
fn canonical_query<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut sorted: Vec<_> = params.into_iter().collect();
    sorted.sort_unstable();
    let pairs: Vec<String> = sorted
        .into_iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    pairs.join("&")
}

fn pairs(params: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    params.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

/// Length is not secret; the contents are compared without an early exit.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    !a.is_empty()
        && a.len() == b.len()
        && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Classic RPC signature (HMAC-SHA1, SignatureVersion 1.0).
/// `params` are the API parameters only; the common ones are added here.
/// Returns the query string to send: sorted, RFC 3986, `Signature` last.
pub fn sign_v1(
    method: &str,
    action: &str,
    version: &str,
    params: &[(String, String)],
    creds: &AcsCredentials,
    timestamp: &str,
    nonce: &str,
) -> String {
    let common = [
        ("Action", action),
        ("Version", version),
        ("Format", "JSON"),
        ("AccessKeyId", creds.access_key_id),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
        ("Timestamp", timestamp),
    ];
    let token = creds.security_token.map(|t| ("SecurityToken", t));
    let all = pairs(params).chain(common).chain(token);
    // Sending exactly the string that was signed leaves no room for the
    // server to decode something else than what we hashed.
    let query = canonical_query(all);
    let string_to_sign = format!("{method}&%2F&{}", percent_encode(&query));
    let signature = v1_signature(&string_to_sign, creds.access_key_secret);
    format!("{query}&Signature={}", percent_encode(&signature))
}

/// `METHOD&%2F&enc(canonical query)` over every parameter but `Signature`
/// (for POST, the query and the form body together).
pub fn v1_string_to_sign(method: &str, all_params: &[(String, String)]) -> String {
    let query = canonical_query(pairs(all_params).filter(|(k, _)| *k != "Signature"));
    format!("{method}&%2F&{}", percent_encode(&query))
}

/// Base64 of HMAC-SHA1 keyed with `secret + "&"`: the trailing `&` is part
/// of the key (V3, unlike this, uses the bare secret).
pub fn v1_signature(string_to_sign: &str, secret: &str) -> String {
    let key = format!("{secret}&");
    STANDARD.encode(hmac::<sha1::Sha1>(
        key.as_bytes(),
        string_to_sign.as_bytes(),
    ))
}

/// Checks a decoded V1 request (query and form parameters together, with
/// `Signature`). Freshness of `Timestamp` and nonce reuse are the caller's.
pub fn verify_v1(
    method: &str,
    all_params_including_signature: &[(String, String)],
    secret: &str,
) -> bool {
    let mut sigs = all_params_including_signature
        .iter()
        .filter(|(k, _)| k == "Signature");
    let (Some((_, given)), None) = (sigs.next(), sigs.next()) else {
        return false;
    };
    let expected = v1_signature(
        &v1_string_to_sign(method, all_params_including_signature),
        secret,
    );
    ct_eq(expected.as_bytes(), given.as_bytes())
}

/// What `sign_v3` produces: the query to send and the headers to set.
#[derive(Clone)]
pub struct V3Signed {
    pub query: String,
    pub headers: Vec<(String, String)>,
}

/// The header set the official SDKs sign (minus `accept`, `user-agent` and
/// `x-acs-credentials-provider`, which they add but the server does not need).
#[allow(clippy::too_many_arguments)]
fn v3_headers(
    host: &str,
    action: &str,
    version: &str,
    body_hash: &str,
    content_type: Option<&str>,
    creds: &AcsCredentials,
    date: &str,
    nonce: &str,
) -> Vec<(String, String)> {
    let mut headers = vec![
        ("host", host),
        ("x-acs-action", action),
        ("x-acs-version", version),
        ("x-acs-date", date),
        ("x-acs-signature-nonce", nonce),
        ("x-acs-content-sha256", body_hash),
    ];
    headers.extend(content_type.map(|ct| ("content-type", ct)));
    if let Some(token) = creds.security_token {
        headers.push(("x-acs-security-token", token));
        headers.push(("x-acs-accesskey-id", creds.access_key_id));
    }
    headers
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// V3 signature (ACS3-HMAC-SHA256) of an RPC call at path `/`. `host` must be
/// exactly what the Host header will carry, port included when non-default.
#[allow(clippy::too_many_arguments)]
pub fn sign_v3(
    method: &str,
    host: &str,
    action: &str,
    version: &str,
    query: &[(String, String)],
    body: &[u8],
    content_type: Option<&str>,
    creds: &AcsCredentials,
    date: &str,
    nonce: &str,
) -> V3Signed {
    let body_hash = sha256_hex(body);
    let mut headers = v3_headers(
        host,
        action,
        version,
        &body_hash,
        content_type,
        creds,
        date,
        nonce,
    );
    let (canonical_request, signed_headers) =
        v3_canonical_request(method, "/", query, &headers, &body_hash);
    let signature = v3_signature(&canonical_request, creds.access_key_secret);
    headers.sort_unstable();
    headers.push((
        "authorization".to_owned(),
        format!(
            "{V3_ALGORITHM} Credential={},SignedHeaders={signed_headers},Signature={signature}",
            creds.access_key_id
        ),
    ));
    V3Signed {
        query: canonical_query(pairs(query)),
        headers,
    }
}

/// Returns the canonical request and the `;`-joined signed header names.
/// Every header given is signed: the caller picks the set.
pub fn v3_canonical_request(
    method: &str,
    canonical_uri: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    payload_hash: &str,
) -> (String, String) {
    let mut canon: Vec<(String, &str)> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim()))
        .collect();
    canon.sort_unstable();
    let header_block: String = canon.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = canon
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    // header_block already ends in '\n', so the format's '\n' leaves the blank
    // line the spec requires before the signed header list.
    let canonical_request = format!(
        "{method}\n{canonical_uri}\n{}\n{header_block}\n{signed_headers}\n{payload_hash}",
        canonical_query(pairs(query))
    );
    (canonical_request, signed_headers)
}

/// Hex HMAC-SHA256, keyed with the bare secret (no `&`, unlike V1), over
/// `ACS3-HMAC-SHA256\n` + hex(SHA-256(canonical request)).
pub fn v3_signature(canonical_request: &str, secret: &str) -> String {
    let string_to_sign = format!(
        "{V3_ALGORITHM}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    hex::encode(hmac::<sha2::Sha256>(
        secret.as_bytes(),
        string_to_sign.as_bytes(),
    ))
}

struct V3Authorization<'a> {
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_v3_authorization(authorization: &str) -> Option<V3Authorization<'_>> {
    let rest = authorization
        .strip_prefix(V3_ALGORITHM)?
        .strip_prefix(' ')?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=')?;
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => return None,
        };
        if slot.replace(value).is_some() {
            return None;
        }
    }
    Some(V3Authorization {
        credential: credential?,
        signed_headers: signed_headers?,
        signature: signature?,
    })
}

/// The AccessKeyId named by a V3 `Authorization`, so a verifier can find the
/// secret before calling `verify_v3`.
pub fn v3_credential(authorization: &str) -> Option<&str> {
    parse_v3_authorization(authorization).map(|a| a.credential)
}

/// Checks a V3 request. `query` is decoded; `headers` are all the request's
/// headers (any case). Only the headers listed in `SignedHeaders` are rebuilt.
pub fn verify_v3(
    method: &str,
    canonical_uri: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    body: &[u8],
    authorization: &str,
    secret: &str,
) -> bool {
    let Some(auth) = parse_v3_authorization(authorization) else {
        return false;
    };
    let listed: Vec<&str> = auth.signed_headers.split(';').collect();
    // Without this, a request signing only `host` would let anyone swap the
    // action or replay it with a new date/nonce.
    const MUST_SIGN: [&str; 6] = [
        "host",
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
    ];
    let mut present_acs = headers
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .filter(|k| k.starts_with("x-acs-"));
    if !MUST_SIGN.iter().all(|h| listed.contains(h))
        || !present_acs.all(|h| listed.contains(&h.as_str()))
    {
        return false;
    }
    let mut signed = Vec::with_capacity(listed.len());
    for name in &listed {
        let mut found = headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name));
        // A repeated signed header is ambiguous; refuse rather than guess.
        let (Some(header), None) = (found.next(), found.next()) else {
            return false;
        };
        signed.push(header.clone());
    }
    let body_hash = sha256_hex(body);
    if signed
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("x-acs-content-sha256") && v.trim() != body_hash)
    {
        return false;
    }
    let (canonical_request, rebuilt) =
        v3_canonical_request(method, canonical_uri, query, &signed, &body_hash);
    // The client signed its own list; a non-canonical one cannot match ours.
    if rebuilt != auth.signed_headers {
        return false;
    }
    let expected = v3_signature(&canonical_request, secret);
    ct_eq(expected.as_bytes(), auth.signature.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(params: &[(&str, &str)]) -> Vec<(String, String)> {
        params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn header<'a>(signed: &'a V3Signed, name: &str) -> &'a str {
        let found: Vec<_> = signed.headers.iter().filter(|(k, _)| k == name).collect();
        assert_eq!(found.len(), 1, "{name}");
        &found[0].1
    }

    const V1_CREDS: AcsCredentials = AcsCredentials {
        access_key_id: "testid",
        access_key_secret: "testsecret",
        security_token: None,
    };

    fn tv1a_params(timestamp_key: &str) -> Vec<(String, String)> {
        owned(&[
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            (timestamp_key, "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ])
    }

    #[test]
    fn tv1a_official_doc() {
        let params = tv1a_params("Timestamp");
        let sts = v1_string_to_sign("GET", &params);
        assert_eq!(
            sts,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        let sig = v1_signature(&sts, "testsecret");
        assert_eq!(sig, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
        assert_eq!(percent_encode(&sig), "OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D");

        let mut signed = params.clone();
        signed.push(("Signature".into(), sig));
        assert!(verify_v1("GET", &signed, "testsecret"));
        assert!(!verify_v1("POST", &signed, "testsecret"));
        assert!(!verify_v1("GET", &signed, "testsecreT"));
        assert!(!verify_v1("GET", &params, "testsecret"), "no Signature");
    }

    #[test]
    fn tv1b_older_doc_timestamp_key() {
        let sts = v1_string_to_sign("GET", &tv1a_params("TimeStamp"));
        assert_eq!(
            sts,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(
            v1_signature(&sts, "testsecret"),
            "CT9X0VtwR86fNWSnsc6v8YGOjuE="
        );
    }

    const TV1C_QUERY: &str = "AccessKeyId=testid&Action=DescribeImages&Format=JSON&ImageId=m-5t3n1p0xxx&ImageName=my%20image%2A~%2F%C3%A9%2B%26%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=b1a2c3d4e5f60718293a4b5c6d7e8f90&SignatureVersion=1.0&Timestamp=2024-01-02T03%3A04%3A05Z&Version=2017-11-10";

    fn tv1c_api_params() -> Vec<(String, String)> {
        owned(&[
            ("ImageId", "m-5t3n1p0xxx"),
            ("ImageName", "my image*~/é+&="),
        ])
    }

    fn tv1c_sign(method: &str, api: &[(String, String)]) -> String {
        let (ts, nonce) = ("2024-01-02T03:04:05Z", "b1a2c3d4e5f60718293a4b5c6d7e8f90");
        sign_v1(
            method,
            "DescribeImages",
            "2017-11-10",
            api,
            &V1_CREDS,
            ts,
            nonce,
        )
    }

    #[test]
    fn tv1c_special_characters_get_and_post() {
        let mut all = tv1c_api_params();
        all.extend(owned(&[
            ("AccessKeyId", "testid"),
            ("Action", "DescribeImages"),
            ("Format", "JSON"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "b1a2c3d4e5f60718293a4b5c6d7e8f90"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2024-01-02T03:04:05Z"),
            ("Version", "2017-11-10"),
        ]));
        assert_eq!(
            v1_string_to_sign("GET", &all),
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeImages%26Format%3DJSON%26ImageId%3Dm-5t3n1p0xxx%26ImageName%3Dmy%2520image%252A~%252F%25C3%25A9%252B%2526%253D%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Db1a2c3d4e5f60718293a4b5c6d7e8f90%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-02T03%253A04%253A05Z%26Version%3D2017-11-10"
        );

        let get = tv1c_sign("GET", &tv1c_api_params());
        assert_eq!(
            get,
            format!("{TV1C_QUERY}&Signature=RWYd1rZTJHa3ZCvdcEV%2BJVvqQts%3D")
        );
        let post = tv1c_sign("POST", &tv1c_api_params());
        assert_eq!(
            post,
            format!("{TV1C_QUERY}&Signature=5rpppdldHmohLWNvj7sPjaYAMkY%3D")
        );

        all.push(("Signature".into(), "RWYd1rZTJHa3ZCvdcEV+JVvqQts=".into()));
        assert!(verify_v1("GET", &all, "testsecret"));
        let last = all.len() - 1;
        all[last].1 = "5rpppdldHmohLWNvj7sPjaYAMkY=".into();
        assert!(verify_v1("POST", &all, "testsecret"));
        all[1].1 = "my image*~/é+&-".into();
        assert!(!verify_v1("POST", &all, "testsecret"));
    }

    #[test]
    fn tv1c_core_sdk_signs_empty_signature_type() {
        let mut api = tv1c_api_params();
        api.push(("SignatureType".into(), String::new()));
        let query = tv1c_sign("GET", &api);
        assert!(
            query.contains("&SignatureType=&SignatureVersion=1.0&"),
            "{query}"
        );
        assert!(
            query.ends_with("&Signature=bJCggJkts7mY1FDSkou0%2FpVxEs4%3D"),
            "{query}"
        );
    }

    /// Rebuilds a captured Tea SDK query in its wire order, checking our
    /// encoder byte for byte, and the signature over the same parameters.
    fn check_tea_capture(params: &[(&str, &str)], signature: &str, captured: &str) {
        let params = owned(params);
        let sts = v1_string_to_sign("POST", &params);
        assert_eq!(v1_signature(&sts, "YourAccessKeySecret"), signature);

        let mut with_sig = params;
        with_sig.push(("Signature".into(), signature.into()));
        let wire: Vec<String> = with_sig
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect();
        assert_eq!(wire.join("&"), captured);

        assert!(verify_v1("POST", &with_sig, "YourAccessKeySecret"));
        assert!(!verify_v1("GET", &with_sig, "YourAccessKeySecret"));
        with_sig[0].1.push('s');
        assert!(!verify_v1("POST", &with_sig, "YourAccessKeySecret"));
    }

    #[test]
    fn tv1d_tea_sdk_modify_image_attribute() {
        check_tea_capture(
            &[
                ("Action", "ModifyImageAttribute"),
                ("Format", "json"),
                ("Version", "2014-05-26"),
                ("Timestamp", "2023-10-26T10:22:32Z"),
                ("SignatureNonce", "3156853299f313e23d1673dc12e1703d"),
                ("BootMode", "UEFI"),
                ("DryRun", "True"),
                ("Features.ImdsSupport", "v2"),
                ("Features.NvmeSupport", "supported"),
                ("ImageId", "m-test"),
                ("RegionId", "cn-hangzhou"),
                ("SignatureMethod", "HMAC-SHA1"),
                ("SignatureVersion", "1.0"),
                ("AccessKeyId", "YourAccessKeyId"),
            ],
            "ZEmicLXDk2WJRhMfUwm0npg+em8=",
            "Action=ModifyImageAttribute&Format=json&Version=2014-05-26&Timestamp=2023-10-26T10%3A22%3A32Z&SignatureNonce=3156853299f313e23d1673dc12e1703d&BootMode=UEFI&DryRun=True&Features.ImdsSupport=v2&Features.NvmeSupport=supported&ImageId=m-test&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=YourAccessKeyId&Signature=ZEmicLXDk2WJRhMfUwm0npg%2Bem8%3D",
        );
    }

    #[test]
    fn tv1d_tea_sdk_sts_delete_image() {
        check_tea_capture(
            &[
                ("Action", "DeleteImage"),
                ("Format", "json"),
                ("Version", "2017-11-10"),
                ("Timestamp", "2023-10-26T10:22:32Z"),
                ("SignatureNonce", "3156853299f313e23d1673dc12e1703d"),
                ("ImageId", "m-test"),
                ("SecurityToken", "STS.TokenExample"),
                ("SignatureMethod", "HMAC-SHA1"),
                ("SignatureVersion", "1.0"),
                ("AccessKeyId", "YourAccessKeyId"),
            ],
            "PBdT8HR780g9KU/420HnWHvFldM=",
            "Action=DeleteImage&Format=json&Version=2017-11-10&Timestamp=2023-10-26T10%3A22%3A32Z&SignatureNonce=3156853299f313e23d1673dc12e1703d&ImageId=m-test&SecurityToken=STS.TokenExample&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=YourAccessKeyId&Signature=PBdT8HR780g9KU%2F420HnWHvFldM%3D",
        );
    }

    #[test]
    fn sign_v1_adds_security_token() {
        let creds = AcsCredentials {
            security_token: Some("STS.TokenExample"),
            ..V1_CREDS
        };
        let query = sign_v1("GET", "DeleteImage", "2017-11-10", &[], &creds, "t", "n");
        assert!(
            query.contains("&SecurityToken=STS.TokenExample&SignatureMethod="),
            "{query}"
        );
    }

    const V3_DATE: &str = "2023-10-26T10:22:32Z";
    const V3_NONCE: &str = "3156853299f313e23d1673dc12e1703d";
    const V3_CREDS: AcsCredentials = AcsCredentials {
        access_key_id: "YourAccessKeyId",
        access_key_secret: "YourAccessKeySecret",
        security_token: None,
    };
    const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    struct V3Case<'a> {
        host: &'a str,
        action: &'a str,
        version: &'a str,
        query: Vec<(String, String)>,
        body: &'a [u8],
        content_type: Option<&'a str>,
        creds: AcsCredentials<'a>,
    }

    impl V3Case<'_> {
        fn sign(&self) -> V3Signed {
            let c = self;
            sign_v3(
                "POST",
                c.host,
                c.action,
                c.version,
                &c.query,
                c.body,
                c.content_type,
                &c.creds,
                V3_DATE,
                V3_NONCE,
            )
        }

        /// The canonical request of `sign`'s header set, through the lower level.
        fn canonical_request(&self) -> (String, String) {
            let c = self;
            let hash = sha256_hex(c.body);
            let headers = v3_headers(
                c.host,
                c.action,
                c.version,
                &hash,
                c.content_type,
                &c.creds,
                V3_DATE,
                V3_NONCE,
            );
            v3_canonical_request("POST", "/", &c.query, &headers, &hash)
        }

        /// Asserts the published hash, signed headers and signature, then that
        /// the verifier takes the signed request and refuses altered copies.
        fn check(&self, cr_hash: &str, signed_headers: &str, signature: &str) -> V3Signed {
            let (cr, sh) = self.canonical_request();
            assert_eq!(sha256_hex(cr.as_bytes()), cr_hash);
            assert_eq!(sh, signed_headers);
            assert_eq!(v3_signature(&cr, self.creds.access_key_secret), signature);

            let signed = self.sign();
            let auth = header(&signed, "authorization").to_owned();
            assert_eq!(
                auth,
                format!(
                    "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders={signed_headers},Signature={signature}"
                )
            );
            assert_eq!(v3_credential(&auth), Some("YourAccessKeyId"));
            let names: Vec<&str> = signed.headers.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(names.join(";"), format!("{signed_headers};authorization"));
            assert_eq!(
                header(&signed, "x-acs-content-sha256"),
                sha256_hex(self.body)
            );

            let secret = self.creds.access_key_secret;
            let verify = |query: &[(String, String)],
                          headers: &[(String, String)],
                          body: &[u8],
                          auth: &str| {
                verify_v3("POST", "/", query, headers, body, auth, secret)
            };
            let hdrs = signed.headers.clone();
            assert!(verify(&self.query, &hdrs, self.body, &auth));
            // Header names arrive in any case; extra unsigned ones are ignored.
            let mut loose = hdrs.clone();
            loose
                .iter_mut()
                .for_each(|(k, _)| *k = k.to_ascii_uppercase());
            loose.push(("accept".into(), "application/json".into()));
            assert!(verify(&self.query, &loose, self.body, &auth));

            assert!(!verify_v3(
                "GET",
                "/",
                &self.query,
                &hdrs,
                self.body,
                &auth,
                secret
            ));
            assert!(!verify(
                &self.query,
                &hdrs,
                self.body,
                &auth.replace(signature, &signature[1..])
            ));
            let mut bad_sig = auth.clone();
            let flipped = if bad_sig.ends_with('0') { "1" } else { "0" };
            bad_sig.replace_range(bad_sig.len() - 1.., flipped);
            assert!(!verify(&self.query, &hdrs, self.body, &bad_sig));
            let mut body = self.body.to_vec();
            body.push(b'&');
            assert!(!verify(&self.query, &hdrs, &body, &auth));
            let mut query = self.query.clone();
            query.push(("Extra".into(), String::new()));
            assert!(!verify(&query, &hdrs, self.body, &auth));
            let mut date = hdrs.clone();
            date.iter_mut()
                .filter(|(k, _)| k == "x-acs-date")
                .for_each(|(_, v)| v.replace_range(18..19, "3"));
            assert!(!verify(&self.query, &date, self.body, &auth));
            let mut unsigned = hdrs.clone();
            unsigned.push(("x-acs-extra".into(), "1".into()));
            assert!(
                !verify(&self.query, &unsigned, self.body, &auth),
                "unsigned x-acs-*"
            );
            signed
        }
    }

    fn tv3a() -> V3Case<'static> {
        V3Case {
            host: "ecs.cn-shanghai.aliyuncs.com",
            action: "RunInstances",
            version: "2014-05-26",
            query: owned(&[
                (
                    "ImageId",
                    "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
                ),
                ("RegionId", "cn-shanghai"),
            ]),
            body: b"",
            content_type: None,
            creds: V3_CREDS,
        }
    }

    const BASE_SIGNED: &str =
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";

    #[test]
    fn tv3a_official_doc() {
        let case = tv3a();
        let (cr, _) = case.canonical_request();
        assert_eq!(
            cr,
            "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
             host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n\
             x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
             x-acs-version:2014-05-26\n\n\
             host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let signed = case.check(
            "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
            BASE_SIGNED,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
        );
        assert_eq!(
            signed.query,
            "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai"
        );
        assert_eq!(header(&signed, "x-acs-content-sha256"), EMPTY_HASH);
        assert!(signed.headers.iter().all(|(k, _)| k != "content-type"));
    }

    #[test]
    fn tv3b_ens_import_image_json_param() {
        let case = V3Case {
            host: "ens.aliyuncs.com",
            action: "ImportImage",
            version: "2017-11-10",
            query: owned(&[
                ("ImageName", "my-img"),
                ("OSType", "linux"),
                ("Platform", "ubuntu"),
                ("Architecture", "x86_64"),
                ("ImageFormat", "qcow2"),
                ("ComputeType", "ens_vm"),
                (
                    "DiskDeviceMapping",
                    r#"[{"OSSBucket":"bkt","OSSObject":"disk1.qcow2","OSSRegion":"cn-beijing"}]"#,
                ),
            ]),
            body: b"",
            content_type: None,
            creds: V3_CREDS,
        };
        let signed = case.check(
            "fd9888e6c382df4b9afe5dc4db3ade59cb3eee359d7a844eeb40939b1911ecb5",
            BASE_SIGNED,
            "a0692ccca6ea029ae8b43a0db7cfa50985801e6119014ccee2d9d0cb565ece83",
        );
        assert_eq!(
            signed.query,
            "Architecture=x86_64&ComputeType=ens_vm&DiskDeviceMapping=%5B%7B%22OSSBucket%22%3A%22bkt%22%2C%22OSSObject%22%3A%22disk1.qcow2%22%2C%22OSSRegion%22%3A%22cn-beijing%22%7D%5D&ImageFormat=qcow2&ImageName=my-img&OSType=linux&Platform=ubuntu"
        );
    }

    #[test]
    fn tv3c_sts_token_headers() {
        let case = V3Case {
            host: "ens.aliyuncs.com",
            action: "DeleteImage",
            version: "2017-11-10",
            query: owned(&[("ImageId", "m-5t3n1p0xxx")]),
            body: b"",
            content_type: None,
            creds: AcsCredentials {
                security_token: Some("STS.TokenExample"),
                ..V3_CREDS
            },
        };
        let signed = case.check(
            "7ee1779ff9c056f6d163e1b9a5ea829b23171d3bbbb8659d53d32620482d2cc6",
            "host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version",
            "9b2aabcc46284859be8b7789fbf4145109fc4c466acff9e03d920ef15b64c3bb",
        );
        assert_eq!(header(&signed, "x-acs-security-token"), "STS.TokenExample");
        assert_eq!(header(&signed, "x-acs-accesskey-id"), "YourAccessKeyId");
        // Dropping the token from the signed list must not verify.
        let auth = header(&signed, "authorization").replace("x-acs-security-token;", "");
        assert!(!verify_v3(
            "POST",
            "/",
            &case.query,
            &signed.headers,
            b"",
            &auth,
            "YourAccessKeySecret"
        ));
    }

    #[test]
    fn tv3d_form_body() {
        let case = V3Case {
            host: "ecs.cn-hangzhou.aliyuncs.com",
            action: "ModifyImageAttribute",
            version: "2014-05-26",
            query: Vec::new(),
            body: b"DryRun=true&Features.NvmeSupport=supported&ImageId=m-abc&RegionId=cn-hangzhou",
            content_type: Some("application/x-www-form-urlencoded"),
            creds: V3_CREDS,
        };
        let signed = case.check(
            "55af99d82a99048f742c1d15f7e1ab093ffd2c3bb263035c7a2ea6301f5fd8d5",
            "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
            "33b0e6fdb22e8333ab3b03dcee42c25691443ef02fdfcf731296c13b4e179fe7",
        );
        assert_eq!(
            header(&signed, "x-acs-content-sha256"),
            "4c6b049aef450f828ccb12e9ec7dd6532ed65f03278bddd108c751656fbb65fa"
        );
        assert_eq!(signed.query, "");
        assert!(
            case.canonical_request()
                .0
                .starts_with("POST\n/\n\ncontent-type:")
        );
    }

    #[test]
    fn tv3e_query_style() {
        let case = V3Case {
            host: "ecs.cn-hangzhou.aliyuncs.com",
            action: "ModifyImageAttribute",
            version: "2014-05-26",
            query: owned(&[
                ("RegionId", "cn-hangzhou"),
                ("ImageId", "m-abc"),
                ("DryRun", "true"),
                ("Features.NvmeSupport", "supported"),
                ("Features.ImdsSupport", "v2"),
            ]),
            body: b"",
            content_type: None,
            creds: V3_CREDS,
        };
        let signed = case.check(
            "c4061e7657724ad85777c200ec28242b5edb9abadb5a11a2de9b93c2cbb68128",
            BASE_SIGNED,
            "363776b0c3871ab9f5a77eb532b6182dc3d9c2930f56af68ba76e14c72f509d9",
        );
        assert_eq!(
            signed.query,
            "DryRun=true&Features.ImdsSupport=v2&Features.NvmeSupport=supported&ImageId=m-abc&RegionId=cn-hangzhou"
        );
    }

    #[test]
    fn v3_canonical_request_lowercases_and_trims() {
        let headers = owned(&[("X-Acs-B", "  two "), ("Host", "h:8443")]);
        let (cr, sh) =
            v3_canonical_request("GET", "/", &owned(&[("k", "a b")]), &headers, EMPTY_HASH);
        assert_eq!(sh, "host;x-acs-b");
        assert_eq!(
            cr,
            format!("GET\n/\nk=a%20b\nhost:h:8443\nx-acs-b:two\n\nhost;x-acs-b\n{EMPTY_HASH}")
        );
    }

    /// Requests that carry a valid HMAC over a set the verifier must refuse.
    #[test]
    fn verify_v3_rejects_well_signed_but_unsound_requests() {
        let case = tv3a();
        let body_hash = sha256_hex(b"");
        let base = v3_headers(
            case.host,
            case.action,
            case.version,
            &body_hash,
            None,
            &case.creds,
            V3_DATE,
            V3_NONCE,
        );
        let sign = |headers: &[(String, String)], payload_hash: &str, listed: Option<&str>| {
            let (cr, sh) = v3_canonical_request("POST", "/", &case.query, headers, payload_hash);
            let sig = v3_signature(&cr, "YourAccessKeySecret");
            let sh = listed.unwrap_or(&sh).to_owned();
            let auth = format!(
                "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders={sh},Signature={sig}"
            );
            verify_v3(
                "POST",
                "/",
                &case.query,
                headers,
                b"",
                &auth,
                "YourAccessKeySecret",
            )
        };
        assert!(sign(&base, &body_hash, None));
        let no_nonce: Vec<_> = base
            .iter()
            .filter(|(k, _)| k != "x-acs-signature-nonce")
            .cloned()
            .collect();
        assert!(
            !sign(&no_nonce, &body_hash, None),
            "mandatory header missing"
        );
        let mut lying = base.clone();
        lying
            .iter_mut()
            .filter(|(k, _)| k == "x-acs-content-sha256")
            .for_each(|(_, v)| *v = "00".into());
        assert!(
            !sign(&lying, &body_hash, None),
            "x-acs-content-sha256 differs from body"
        );
        let unsorted =
            "x-acs-version;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce";
        assert!(
            !sign(&base, &body_hash, Some(unsorted)),
            "non-canonical SignedHeaders"
        );
        assert!(!ct_eq(b"", b""), "an empty MAC never matches");
    }

    #[test]
    fn verify_v1_rejects_repeated_signature() {
        let mut params = tv1a_params("Timestamp");
        params.push(("Signature".into(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=".into()));
        assert!(verify_v1("GET", &params, "testsecret"));
        params.push(("Signature".into(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=".into()));
        assert!(!verify_v1("GET", &params, "testsecret"));
    }

    #[test]
    fn verify_v3_rejects_malformed_authorization() {
        let case = tv3a();
        let signed = case.sign();
        let auth = header(&signed, "authorization");
        let v = |a: &str| {
            verify_v3(
                "POST",
                "/",
                &case.query,
                &signed.headers,
                b"",
                a,
                "YourAccessKeySecret",
            )
        };
        assert!(v(auth));
        assert!(!v(&auth.replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SHA1")));
        assert!(!v(&auth.replace("Credential=", "Credential=x,Credential=")));
        assert!(!v(&auth.replace(",Signature=", ",Signature=,Signature=")));
        // Signing fewer headers than the mandatory set must not verify.
        let short = auth.replace("x-acs-signature-nonce;", "");
        assert!(!v(&short));
        let mut dup = signed.headers.clone();
        dup.push(("Host".into(), "evil.example".into()));
        assert!(!verify_v3(
            "POST",
            "/",
            &case.query,
            &dup,
            b"",
            auth,
            "YourAccessKeySecret"
        ));
        assert_eq!(v3_credential("Bearer x"), None);
    }
}
