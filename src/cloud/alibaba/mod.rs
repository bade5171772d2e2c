//! What ENS and ECS share: the RPC call (parameters in, signed request out,
//! typed answer or typed error back) and the table of error codes we know
//! how to explain.

pub mod ecs;
pub mod ens;
pub mod error_codes;
pub mod rpc;

use serde_json::Value;

use crate::error::{Error, ErrorKind, ProviderError, Result};
use crate::ops::{Observation, Outcome, PollState};
use crate::provider::Provider;
use rpc::Answer;

/// The outcome every Alibaba operation starts from: ids and the request
/// id from the answer, the answer itself with `--raw`.
pub fn outcome(provider: Provider, operation: &'static str, a: &Answer, raw: bool) -> Outcome {
    Outcome {
        provider: provider.as_str(),
        operation,
        image_id: a.str("ImageId"),
        request_id: a.request_id.clone(),
        dry_run: a.dry_run,
        raw: raw.then(|| a.body.clone()),
        ..Outcome::default()
    }
}

/// A field a successful answer to `action` always carries (the new
/// image's or task's id): without it the answer cannot be trusted, and
/// exit 0 with no id would leave the user guessing.
pub fn required(a: &Answer, action: &str, key: &str) -> Result<String> {
    a.str(key).ok_or_else(|| Error::BadResponse {
        message: format!("{action}: the answer has no {key}"),
        http_status: 200,
        request_id: a.request_id.clone(),
    })
}

/// `"45"`, `"45%"` or a number → 45; anything else → none.
pub fn progress(v: Option<&Value>) -> Option<u8> {
    crate::vocab::percent(v?)
}

/// A string field of a JSON object, or a number written as one.
pub fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `Images.Image[]` of a describe answer (ENS and ECS share the shape);
/// a missing list is empty, any other shape is a bad response.
pub fn image_list<'a>(a: &'a Answer, action: &str) -> Result<&'a [Value]> {
    match a.body.pointer("/Images/Image") {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(list)) => Ok(list),
        Some(_) => Err(Error::BadResponse {
            message: format!("{action}: Images.Image is not a list"),
            http_status: 200,
            request_id: a.request_id.clone(),
        }),
    }
}

/// The image whose id is exactly `image_id` (the cloud's filter may be fuzzy).
pub fn exact(list: &[Value], image_id: &str) -> Option<Value> {
    list.iter()
        .find(|i| i.get("ImageId").and_then(Value::as_str) == Some(image_id))
        .cloned()
}

/// Describe found nothing: a NotFound provider error (exit 1) carrying the
/// request id of the describe call.
pub fn not_found(provider: Provider, message: String, hint: &str, a: &Answer) -> Error {
    ProviderError {
        provider: Some(provider),
        code: "InvalidImageId.NotFound".into(),
        message,
        http_status: 200,
        request_id: a.request_id.clone(),
        recommend: None,
        hint: Some(hint.into()),
        kind: ErrorKind::NotFound,
    }
    .into()
}

/// One waiter observation from a lookup: a missing image is "not visible
/// yet" (the waiter decides how long that is tolerated), not an error.
pub fn observe(
    found: Result<(Answer, Option<Value>)>,
    look: impl FnOnce(&Value) -> Observation,
) -> Result<PollState> {
    match found {
        Ok((_, Some(img))) => Ok(PollState::Seen(look(&img))),
        Ok((_, None)) => Ok(PollState::NotFound),
        Err(Error::Provider(e)) if e.kind == ErrorKind::NotFound => Ok(PollState::NotFound),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn progress_forms() {
        assert_eq!(progress(Some(&json!("45%"))), Some(45));
        assert_eq!(progress(Some(&json!("100"))), Some(100));
        assert_eq!(progress(Some(&json!(7))), Some(7));
        assert_eq!(progress(Some(&json!(""))), None);
        assert_eq!(progress(Some(&json!("150%"))), None);
        assert_eq!(progress(None), None);
    }
}
