//! Entry points that feed arbitrary bytes to every parser of one kind of
//! input — the clouds' answers (Alibaba JSON, EC2 XML success and error,
//! Huawei JSON, IMS job and IAM token bodies) and the config files — and
//! throw the results away: the only failure they can show is a panic.
//! `tests/parsers.rs` (property tests, in `cargo test`) and the cargo-fuzz
//! targets under `fuzz/` both call them, so the two cover the same code.

use serde_json::Value;

use crate::cloud::alibaba::{self, rpc};
use crate::cloud::aws::{ec2, errors as aws_errors, xml};
use crate::cloud::huawei::{api, auth, errors as hw_errors, ims};
use crate::provider::Provider;
use crate::transport::{HttpResponse, httpdate, retry_after};

fn resp(status: u16, headers: &[(&str, &str)], body: &[u8]) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.to_vec(),
    }
}

/// The statuses every answer is read under: success, refusal, throttling,
/// server failure, gateway page.
const STATUSES: &[u16] = &[200, 400, 401, 404, 429, 500, 502, 503];

/// Alibaba RPC answers (ENS and ECS): the retry verdict, the typed error
/// or answer, and what the backends read from an answer.
pub fn alibaba_response(data: &[u8]) {
    for &status in STATUSES {
        let r = resp(status, &[("x-acs-request-id", "r")], data);
        let _ = rpc::classify(&r);
        for p in [Provider::Ens, Provider::Ecs] {
            let Ok(a) = rpc::parse(p, &r) else { continue };
            let _ = alibaba::outcome(p, "describe", &a, true);
            let _ = alibaba::required(&a, "CreateImage", "ImageId");
            if let Ok(list) = alibaba::image_list(&a, "DescribeImages") {
                for i in list {
                    let _ = alibaba::text(i, "ImageId");
                    let _ = alibaba::progress(i.get("Progress"));
                }
                let _ = alibaba::exact(list, "m-1");
            }
        }
    }
}

/// EC2 Query answers: the XML tree, its error form, the retry verdict and
/// typed error, and the image and import-task states the waiter reads.
pub fn ec2_response(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(root) = xml::parse(&text) {
        let _ = root.to_json();
        let _ = root.text_of("requestId");
        for i in root.items("imagesSet") {
            let _ = ec2::image_state("ami-1", i);
        }
        for t in root.items("importImageTaskSet") {
            let _ = ec2::task_state(t);
        }
    }
    let _ = xml::parse_error(&text);
    for &status in STATUSES {
        let r = resp(status, &[("Retry-After", "1")], data);
        let _ = aws_errors::verdict(&r);
        let _ = aws_errors::to_error(&r, "CreateImage", "us-east-1").to_string();
    }
}

/// Huawei (IMS and IAM) answers: the error body in all its shapes, the
/// retry verdict, the reply, and the request id.
pub fn huawei_response(data: &[u8]) {
    let _ = hw_errors::parse_body(data);
    let _ = hw_errors::excerpt(data);
    for &status in STATUSES {
        let r = resp(status, &[("X-Request-Id", "r")], data);
        let _ = api::classify(&r);
        let _ = hw_errors::is_retryable(&r);
        let _ = hw_errors::is_clock_skew(&r);
        let _ = hw_errors::request_id(&r);
        let _ = hw_errors::to_error(&r).to_string();
        let _ = api::into_reply(r);
    }
}

/// An IMS job body (ShowJob): progress, failure, the image it made.
pub fn ims_job(data: &[u8]) {
    let Ok(job) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let _ = ims::job_progress(&job);
    let _ = ims::job_failure(&job);
    let _ = ims::job_image_id(&job);
}

/// An IAM token answer (the body and the X-Subject-Token header), the
/// project list, and a cached token file.
pub fn iam_token(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for token in ["MIItoken", ""] {
        let r = resp(201, &[("X-Subject-Token", token)], data);
        let _ = auth::parse_token_response(&r);
    }
    let _ = auth::parse_projects(data, "cn-north-4");
    if let Ok(c) = serde_json::from_str::<auth::CachedToken>(&text) {
        let _ = auth::Token::from_cached(c);
    }
}

/// Every config-file parser on the text.
pub fn config_files(data: &[u8]) {
    let _ = crate::config::parse_config_texts(&String::from_utf8_lossy(data));
}

/// The small parsers of header and field values: HTTP dates, Retry-After,
/// creation times, durations.
pub fn values(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = httpdate(&text);
    let _ = crate::ops::parse_time(&text);
    let r = resp(
        429,
        &[("Retry-After", &text), ("x-acs-retry-after", &text)],
        b"",
    );
    let _ = retry_after(&r);
    let _ = crate::ops::parse_duration(&text);
}
