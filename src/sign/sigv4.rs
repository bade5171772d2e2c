//! AWS SigV4 for EC2 Query POSTs, delegated to the `aws-sigv4` crate.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

pub struct AwsCreds<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub session_token: Option<&'a str>,
}

/// Signs an EC2 Query POST. Returns the headers to add (x-amz-date,
/// authorization, x-amz-security-token when a token is given), lowercase names.
///
/// Only content-type is handed to the signer (it adds host and x-amz-date),
/// matching botocore's `content-type;host;x-amz-date`; whatever else the HTTP
/// client adds later (content-length, user-agent) stays unsigned.
pub fn sign_query_post(
    url: &str,
    body: &str,
    content_type: &str,
    creds: &AwsCreds,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<Vec<(String, String)>, String> {
    let identity: Identity = Credentials::new(
        creds.access_key_id,
        creds.secret_access_key,
        creds.session_token.map(str::to_owned),
        None,
        "imgctl",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| format!("sigv4 parameters: {e}"))?
        .into();
    let signable = SignableRequest::new(
        "POST",
        url,
        std::iter::once(("content-type", content_type)),
        SignableBody::Bytes(body.as_bytes()),
    )
    .map_err(|e| format!("sigv4 request {url}: {e}"))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| format!("sigv4 signing: {e}"))?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const URL: &str = "https://ec2.us-east-1.amazonaws.com/";
    const BODY: &str = "Action=CreateImage&Version=2016-11-15&InstanceId=i-1234567890abcdef0&Name=my-ami&NoReboot=true";
    const CT: &str = "application/x-www-form-urlencoded; charset=utf-8";
    /// 2015-08-30T12:36:00Z, the SigV4 test-suite time.
    const T0: u64 = 1_440_938_160;

    fn creds(token: Option<&str>) -> AwsCreds<'_> {
        AwsCreds {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            session_token: token,
        }
    }

    fn run(url: &str, token: Option<&str>, secs: u64) -> Vec<(String, String)> {
        let t = UNIX_EPOCH + Duration::from_secs(secs);
        sign_query_post(url, BODY, CT, &creds(token), "us-east-1", "ec2", t).unwrap()
    }

    fn get<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
        h.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    // ref/aws.md §4/§5 golden vector (botocore, aws-sigv4 and a hand HMAC agree).
    #[test]
    fn golden_ec2_post() {
        let h = run(URL, None, T0);
        assert_eq!(get(&h, "x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(
            get(&h, "authorization"),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ec2/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date, \
                 Signature=d162d99dbe8b0e02dfc17ef920862358a10ba82fadf5ecefb8e98f2bf6de9def"
            )
        );
        assert_eq!(h.len(), 2);
    }

    // Expected values below come from botocore 1.43.11 SigV4Auth with the same inputs.
    #[test]
    fn session_token_is_sent_and_signed() {
        let h = run(URL, Some("SESSIONTOKEN-EXAMPLE"), T0);
        assert_eq!(
            get(&h, "x-amz-security-token"),
            Some("SESSIONTOKEN-EXAMPLE")
        );
        assert_eq!(
            get(&h, "authorization"),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ec2/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, \
                 Signature=f1c828dd2bbd74ad2e44d0681d1a3c1703e045b1287a295b44073c53c1e087a0"
            )
        );
    }

    #[test]
    fn time_changes_date_scope_and_signature() {
        let h = run(URL, None, T0 + 86_400);
        assert_eq!(get(&h, "x-amz-date"), Some("20150831T123600Z"));
        assert_eq!(
            get(&h, "authorization"),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-east-1/ec2/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date, \
                 Signature=1b7cf03648ac027dde384f10c446dbd3b30e0a2089637836d6a6004ac59399d0"
            )
        );
    }

    // A local emulator (moto) URL: a non-default port is part of the signed host.
    #[test]
    fn non_default_port_is_signed() {
        let h = run("http://127.0.0.1:47322/", None, T0);
        let auth = get(&h, "authorization").unwrap_or_default();
        assert!(
            auth.ends_with(
                "Signature=d224d9776d5a9060608b839d39c1790695c266dc318601ed8864a57e134a057f"
            ),
            "{auth}"
        );
    }

    #[test]
    fn bad_url_is_an_error() {
        let t = UNIX_EPOCH + Duration::from_secs(T0);
        let r = sign_query_post("not a url", BODY, CT, &creds(None), "us-east-1", "ec2", t);
        assert!(r.is_err());
    }
}
