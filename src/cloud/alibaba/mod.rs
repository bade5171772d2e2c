//! What ENS and ECS share: the RPC call (parameters in, signed request out,
//! typed answer or typed error back) and the table of error codes we know
//! how to explain.

pub mod credentials;
pub mod ecs;
pub mod ens;
pub mod error_codes;
pub mod rpc;

use serde_json::Value;

use crate::backend::Ctx;
use crate::error::{Error, ErrorKind, ProviderError, Result};
use crate::ops::{ImageSummary, ListImages, Observation, Outcome, PollState, normalize_created};
use crate::provider::Provider;
use crate::transport::Idempotency;
use rpc::{Answer, Api, Params};

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

/// Every page of a DescribeImages-shaped action (ECS DescribeImages, ENS
/// DescribeSelfImages): `PageNumber` from 1 until `PageNumber × PageSize`
/// reaches `TotalCount` (a number on ECS, a string on ENS), a page comes
/// back empty, or the limit is reached. The clouds' name filters are
/// fuzzy: `req.keeps` makes `--name` exact and `--name-prefix` a prefix.
pub async fn list_pages(
    ctx: &Ctx,
    api: &Api,
    creds: &crate::refresh::Handle,
    action: &str,
    base: &Params,
    req: &ListImages,
) -> Result<Outcome> {
    let size = req.page_size(api.provider);
    let mut images = Vec::new();
    let mut raws = Vec::new();
    let mut request_id = None;
    let mut page = 1usize;
    loop {
        let mut p = base.clone();
        p.put("PageNumber", page.to_string())
            .put("PageSize", size.to_string());
        let a = rpc::call(ctx, api, creds, action, &p, Idempotency::Safe).await?;
        request_id = a.request_id.clone().or(request_id);
        let list = image_list(&a, action)?;
        for img in list {
            let Some(image_id) = text(img, "ImageId") else {
                continue;
            };
            let s = ImageSummary {
                image_id,
                name: text(img, "ImageName"),
                status: text(img, "Status"),
                state: None,
                created: normalize_created(text(img, "CreationTime").as_deref()),
            };
            if req.keeps(s.name.as_deref(), s.status.as_deref()) && !req.full(images.len()) {
                images.push(s);
            }
        }
        if ctx.raw {
            raws.push(a.body.clone());
        }
        let total = text(&a.body, "TotalCount")
            .and_then(|t| t.parse::<usize>().ok())
            .unwrap_or(0);
        if list.is_empty() || req.full(images.len()) || page.saturating_mul(size) >= total {
            break;
        }
        page += 1;
    }
    Ok(Outcome {
        provider: api.provider.as_str(),
        operation: "list",
        images: Some(images),
        request_id,
        raw: ctx.raw.then(|| Value::Array(raws)),
        ..Outcome::default()
    })
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
