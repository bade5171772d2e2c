//! Alibaba Cloud RPC: ENS 2017-11-10 and ECS 2014-05-26 image actions,
//! both signatures (ACS3-HMAC-SHA256 and the classic HMAC-SHA1), nonce and
//! timestamp checks, and the JSON error body with RequestId, HostId, Code,
//! Message and Recommend.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::rules;
use crate::provider::Provider;
use crate::sign::alibaba as sig;

use super::state::{ECS_PHASES, ENS_PHASES, Image, Lifecycle, State};
use super::wire::{Req, Resp, get, indexed, truthy, uuid};
use super::{Ctx, MAX_SKEW, now_unix, secret_for};

pub const ENS_VERSION: &str = "2017-11-10";
pub const ECS_VERSION: &str = "2014-05-26";

pub fn operation(req: &Req) -> String {
    req.header("x-acs-action")
        .map(str::to_string)
        .or_else(|| get(&req.params(), "Action").map(str::to_string))
        .unwrap_or_default()
}

/// An API error: HTTP status, code, message.
pub struct ApiErr(u16, String, String);

fn e(status: u16, code: &str, msg: impl Into<String>) -> ApiErr {
    ApiErr(status, code.to_string(), msg.into())
}

fn missing(name: &str) -> ApiErr {
    e(
        400,
        "MissingParameter",
        format!(
            "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
        ),
    )
}

fn invalid(name: &str) -> ApiErr {
    e(
        400,
        "InvalidParameter",
        format!("The specified parameter \"{name}\" is not valid."),
    )
}

pub fn error(p: Provider, host: &str, status: u16, code: &str, msg: &str) -> Resp {
    let rid = uuid().to_uppercase();
    let product = if p == Provider::Ens { "Ens" } else { "Ecs" };
    Resp::json(
        status,
        &json!({
            "RequestId": rid,
            "HostId": host,
            "Code": code,
            "Message": msg,
            "Recommend": format!("https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US&q={code}&product={product}&requestId={rid}"),
        }),
    )
    .with_header("x-acs-request-id", rid)
}

pub fn server_error(p: Provider, host: &str, status: u16) -> Resp {
    if status == 503 {
        error(
            p,
            host,
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        )
    } else {
        error(
            p,
            host,
            500,
            "InternalError",
            "The request processing has failed due to some unknown error, exception or failure.",
        )
    }
}

pub fn throttled(p: Provider, host: &str, retry_after_ms: u64) -> Resp {
    error(
        p,
        host,
        400,
        "Throttling.User",
        "Request was denied due to user flow control.",
    )
    .with_header("x-acs-retry-after", retry_after_ms.max(1).to_string())
}

fn fresh(ts: &str) -> bool {
    OffsetDateTime::parse(ts, &Rfc3339)
        .is_ok_and(|t| (t.unix_timestamp() - now_unix()).unsigned_abs() <= MAX_SKEW.as_secs())
}

/// Checks either signature, the timestamp window and the nonce.
pub fn authenticate(req: &Req, p: Provider, st: &mut State) -> Result<(), Resp> {
    let host = req.host();
    let fail = |status: u16, code: &str, msg: &str| Err(error(p, host, status, code, msg));
    let (nonce, ts, ok) = if let Some(auth) = req
        .header("authorization")
        .filter(|a| a.starts_with("ACS3-HMAC-SHA256"))
    {
        let Some(ak) = sig::v3_credential(auth) else {
            return fail(
                400,
                "IncompleteSignature",
                "The request signature does not conform to Aliyun standards.",
            );
        };
        let Some(secret) = secret_for(ak) else {
            return fail(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            );
        };
        let ok = sig::verify_v3(
            &req.method,
            &req.path,
            &req.query(),
            &req.headers,
            &req.body,
            auth,
            &secret,
        );
        (
            req.header("x-acs-signature-nonce").map(str::to_string),
            req.header("x-acs-date").map(str::to_string),
            ok,
        )
    } else {
        let params = req.params();
        let Some(ak) = get(&params, "AccessKeyId") else {
            return fail(
                400,
                "MissingAccessKeyId",
                "AccessKeyId is mandatory for this action.",
            );
        };
        let Some(secret) = secret_for(ak) else {
            return fail(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            );
        };
        if get(&params, "Signature").is_none() {
            return fail(
                400,
                "MissingSignature",
                "Signature is mandatory for this action.",
            );
        }
        if get(&params, "SignatureMethod").is_some_and(|m| m != "HMAC-SHA1") {
            return fail(
                400,
                "InvalidSignatureMethod",
                "Specified signature method is not supported.",
            );
        }
        let ok = sig::verify_v1(&req.method, &params, &secret);
        (
            get(&params, "SignatureNonce").map(str::to_string),
            get(&params, "Timestamp").map(str::to_string),
            ok,
        )
    };
    if !ok {
        return fail(
            400,
            "SignatureDoesNotMatch",
            "Specified signature is not matched with our calculation.",
        );
    }
    let Some(ts) = ts else {
        return fail(
            400,
            "MissingTimestamp",
            "Timestamp is mandatory for this action.",
        );
    };
    if !fresh(&ts) {
        return fail(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        );
    }
    let Some(nonce) = nonce.filter(|n| !n.is_empty()) else {
        return fail(
            400,
            "MissingSignatureNonce",
            "SignatureNonce is mandatory for this action.",
        );
    };
    if !st.fresh_nonce(&nonce, MAX_SKEW) {
        return fail(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        );
    }
    Ok(())
}

/// Parameters that belong to the signature, not to the operation.
const COMMON: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Timestamp",
    "SecurityToken",
    "ClientToken",
    "DryRun",
];

pub fn handle(p: Provider, action: &str, req: &Req, ctx: &mut Ctx) -> Resp {
    let params = req.params();
    let version = req
        .header("x-acs-version")
        .map(str::to_string)
        .or_else(|| get(&params, "Version").map(str::to_string))
        .unwrap_or_default();
    let r = match (p, action) {
        (Provider::Ens, "CreateImage") => ens_create(&params, ctx),
        (Provider::Ens, "ImportImage") => ens_import(&params, ctx),
        (Provider::Ens, "ModifyImageAttribute") => ens_modify(&params, ctx),
        (Provider::Ens, "DescribeSelfImages") => ens_describe(&params, ctx, true),
        (Provider::Ens, "DescribeImages") => ens_describe(&params, ctx, false),
        (Provider::Ens, "DeleteImage") => delete(p, &params, ctx),
        (Provider::Ens, "DescribeInstances") => describe_instances(p, &params, ctx),
        (Provider::Ecs, _) if get(&params, "RegionId").is_none() => Err(missing("RegionId")),
        (Provider::Ecs, "CreateImage") => ecs_create(&params, ctx),
        (Provider::Ecs, "ImportImage") => ecs_import(&params, ctx),
        (Provider::Ecs, "ModifyImageAttribute") => ecs_modify(&params, ctx),
        (Provider::Ecs, "DescribeImages") => ecs_describe(&params, ctx),
        (Provider::Ecs, "DeleteImage") => delete(p, &params, ctx),
        (Provider::Ecs, "DescribeInstances") => describe_instances(p, &params, ctx),
        (Provider::Ecs, "CopyImage") => ecs_copy(&params, ctx),
        _ => Err(e(
            404,
            "InvalidAction.NotFound",
            format!(
                "Specified api {action} is not found for version {version}, please check your url and method."
            ),
        )),
    };
    let rid = uuid().to_uppercase();
    match r {
        Ok(mut v) => {
            if let Some(o) = v.as_object_mut() {
                o.insert("RequestId".into(), json!(rid));
                // ENS answers carry an integer Code 0 on success.
                if p == Provider::Ens {
                    o.insert("Code".into(), json!(0));
                }
            }
            Resp::json(200, &v).with_header("x-acs-request-id", rid)
        }
        Err(ApiErr(status, code, msg)) => error(p, &ctx.host, status, &code, &msg),
    }
}

type R = Result<Value, ApiErr>;

fn check_name(
    p: Provider,
    region: &str,
    name: &str,
    st: &State,
    except: Option<&str>,
) -> Result<(), ApiErr> {
    if !rules::name_ok(p, name) {
        return Err(e(
            400,
            "InvalidImageName.Malformed",
            "The specified parameter \"ImageName\" is not valid.",
        ));
    }
    if st
        .name_taken(p, region, name)
        .is_some_and(|i| Some(i.id.as_str()) != except)
    {
        return Err(e(
            400,
            "InvalidImageName.Duplicated",
            "The specified ImageName is already in use.",
        ));
    }
    Ok(())
}

fn find<'a>(
    p: Provider,
    params: &[(String, String)],
    st: &'a mut State,
) -> Result<&'a mut Image, ApiErr> {
    let id = get(params, "ImageId").ok_or_else(|| missing("ImageId"))?;
    st.image_mut(p, id).ok_or_else(|| {
        e(
            404,
            "InvalidImageId.NotFound",
            "The specified ImageId does not exist.",
        )
    })
}

fn source_instance(p: Provider, params: &[(String, String)], st: &State) -> Result<(), ApiErr> {
    if let Some(i) = get(params, "InstanceId")
        && !st.has_instance(p, i)
    {
        return Err(e(
            404,
            "InvalidInstanceId.NotFound",
            "The specified InstanceId does not exist.",
        ));
    }
    if let Some(s) = get(params, "SnapshotId")
        && !st.has_instance(p, s)
    {
        return Err(e(
            404,
            "InvalidSnapshotId.NotFound",
            "The specified SnapshotId does not exist.",
        ));
    }
    Ok(())
}

fn oss_exists(st: &State, bucket: &str, object: &str) -> Result<(), ApiErr> {
    if st.has_object("oss", bucket, object) {
        Ok(())
    } else {
        Err(e(
            404,
            "InvalidOSSObject.NotFound",
            format!("The specified OSS object oss://{bucket}/{object} does not exist."),
        ))
    }
}

fn new_image(p: Provider, name: String, region: &str, ctx: &Ctx) -> Image {
    let (phases, failed) = match p {
        Provider::Ens => (ENS_PHASES, "Pack_failed"),
        _ => (ECS_PHASES, "CreateFailed"),
    };
    let mut life = Lifecycle::new(phases);
    if ctx.fail {
        life = life.failing(failed);
    }
    Image::new(p, State::new_id(p), name, region, life)
}

// ---------------------------------------------------------------- ENS

fn ens_create(params: &[(String, String)], ctx: &mut Ctx) -> R {
    let name = get(params, "ImageName").ok_or_else(|| missing("ImageName"))?;
    if get(params, "InstanceId").is_none() && get(params, "SnapshotId").is_none() {
        return Err(missing("InstanceId"));
    }
    source_instance(Provider::Ens, params, ctx.state)?;
    check_name(Provider::Ens, "", name, ctx.state, None)?;
    let mut img = new_image(Provider::Ens, name.to_string(), "", ctx);
    img.instance_id = get(params, "InstanceId").map(str::to_string);
    img.snapshot_id = get(params, "SnapshotId").map(str::to_string);
    img.set("Architecture", "x86_64");
    img.set("ComputeType", "ens_vm");
    for k in [
        "WithDataDisks",
        "DeleteAfterImageUpload",
        "TargetOSSRegionId",
    ] {
        if let Some(v) = get(params, k) {
            img.set(k, v);
        }
    }
    let id = img.id.clone();
    ctx.state.images.push(img);
    Ok(json!({"ImageId": id}))
}

fn ens_import(params: &[(String, String)], ctx: &mut Ctx) -> R {
    let name = get(params, "ImageName").ok_or_else(|| missing("ImageName"))?;
    let arch = get(params, "Architecture").ok_or_else(|| missing("Architecture"))?;
    let mut disks: Vec<(String, String)> = Vec::new();
    if let Some(b) = get(params, "OSSBucket") {
        let o = get(params, "OSSObject").ok_or_else(|| missing("OSSObject"))?;
        disks.push((b.to_string(), o.to_string()));
    }
    if let Some(m) = get(params, "DiskDeviceMapping") {
        let v: Value = serde_json::from_str(m).map_err(|_| invalid("DiskDeviceMapping"))?;
        for d in v.as_array().ok_or_else(|| invalid("DiskDeviceMapping"))? {
            let (Some(b), Some(o)) = (d["OSSBucket"].as_str(), d["OSSObject"].as_str()) else {
                return Err(invalid("DiskDeviceMapping"));
            };
            disks.push((b.to_string(), o.to_string()));
        }
    }
    if disks.is_empty() {
        return Err(missing("OSSBucket"));
    }
    for (b, o) in &disks {
        oss_exists(ctx.state, b, o)?;
    }
    check_name(Provider::Ens, "", name, ctx.state, None)?;
    let mut img = new_image(Provider::Ens, name.to_string(), "", ctx);
    img.set("Architecture", arch);
    for (k, attr) in [
        ("OSType", "OSType"),
        ("Platform", "Platform"),
        ("OSVersion", "OsVersion"),
        ("ImageFormat", "Format"),
        ("ComputeType", "ComputeType"),
        ("LicenseType", "LicenseType"),
    ] {
        if let Some(v) = get(params, k) {
            img.set(attr, v);
        }
    }
    img.disks = disks
        .iter()
        .map(|(b, o)| format!("oss://{b}/{o}"))
        .collect();
    let id = img.id.clone();
    ctx.state.images.push(img);
    Ok(json!({"ImageId": id}))
}

fn not_while_creating(img: &Image, speed: std::time::Duration) -> Result<(), ApiErr> {
    if !img.life.done(speed) {
        return Err(e(
            400,
            "InvalidStatus.ImageIsCreating",
            "The operation is not permitted while the image is being created.",
        ));
    }
    Ok(())
}

fn ens_modify(params: &[(String, String)], ctx: &mut Ctx) -> R {
    let name = get(params, "ImageName").ok_or_else(|| missing("ImageName"))?;
    let speed = ctx.speed;
    let img = find(Provider::Ens, params, ctx.state)?;
    not_while_creating(img, speed)?;
    let id = img.id.clone();
    check_name(Provider::Ens, "", name, ctx.state, Some(&id))?;
    if let Some(img) = ctx.state.image_mut(Provider::Ens, &id) {
        img.name = name.to_string();
    }
    Ok(json!({}))
}

fn page(params: &[(String, String)], max: usize) -> Result<(usize, usize), ApiErr> {
    let num = match get(params, "PageNumber") {
        Some(n) => n
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| invalid("PageNumber"))?,
        None => 1,
    };
    let size = match get(params, "PageSize") {
        Some(n) => n
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| invalid("PageSize"))?,
        None => 10,
    };
    Ok((num, size))
}

fn ens_describe(params: &[(String, String)], ctx: &mut Ctx, own: bool) -> R {
    let max = 50;
    let (num, size) = page(params, max)?;
    let id = get(params, "ImageId");
    let name = get(params, "ImageName");
    let snap = get(params, "SnapshotId");
    let speed = ctx.speed;
    let matched: Vec<usize> = ctx
        .state
        .images
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            i.provider == Provider::Ens
                // DescribeSelfImages matches ImageId and ImageName fuzzily.
                && id.is_none_or(|x| if own { i.id.contains(x) } else { i.id == x })
                && name.is_none_or(|x| i.name.contains(x))
                && snap.is_none_or(|x| i.snapshot_id.as_deref() == Some(x))
        })
        .map(|(n, _)| n)
        .collect();
    let total = matched.len();
    let mut items = Vec::new();
    for &n in matched.iter().skip((num - 1) * size).take(size) {
        let i = &mut ctx.state.images[n];
        let mut v = json!({
            "ImageId": i.id,
            "ImageName": i.name,
            "Architecture": i.attr("Architecture").unwrap_or("x86_64"),
            "CreationTime": i.created_at,
            "ImageOwnerAlias": "self",
            "ImageSize": "20",
            "Platform": i.attr("Platform").unwrap_or("centos"),
            "RegionId": "cn-hangzhou",
            "SnapshotId": i.snapshot_id.clone().unwrap_or_default(),
            "DiskDeviceMappings": {"DiskDeviceMapping": [
                {"Format": i.attr("Format").unwrap_or("qcow2"), "Size": "20", "Type": "system", "imageId": i.id}
            ]},
        });
        if own {
            v["Status"] = json!(i.life.status(speed));
            v["ComputeType"] = json!(i.attr("ComputeType").unwrap_or("ens_vm"));
            v["ImageStorageSize"] = json!("20");
            v["InstanceId"] = json!(i.instance_id.clone().unwrap_or_default());
            v["OsVersion"] = json!(i.attr("OsVersion").unwrap_or(""));
            i.life.observe();
        }
        items.push(v);
    }
    let (pn, ps, tc) = if own {
        (
            json!(num.to_string()),
            json!(size.to_string()),
            json!(total.to_string()),
        )
    } else {
        (json!(num), json!(size), json!(total))
    };
    Ok(json!({"Images": {"Image": items}, "PageNumber": pn, "PageSize": ps, "TotalCount": tc}))
}

/// ENS and ECS DescribeInstances: the instances images are made from.
/// `InstanceIds` is a JSON array of ids (both clouds), ENS also takes one
/// `InstanceId`; unknown ids match nothing, as on Alibaba Cloud.
fn describe_instances(p: Provider, params: &[(String, String)], ctx: &mut Ctx) -> R {
    let (num, size) = page(params, 100)?;
    let mut wanted: Option<Vec<String>> = match get(params, "InstanceIds") {
        Some(s) => Some(serde_json::from_str(s).map_err(|_| invalid("InstanceIds"))?),
        None => None,
    };
    if p == Provider::Ens
        && let Some(one) = get(params, "InstanceId")
    {
        wanted.get_or_insert_with(Vec::new).push(one.to_string());
    }
    let region = get(params, "RegionId").unwrap_or("cn-hangzhou").to_string();
    let ids: Vec<String> = ctx
        .state
        .instance_ids(p)
        .into_iter()
        .filter(|i| wanted.as_ref().is_none_or(|w| w.contains(i)))
        .collect();
    let total = ids.len();
    let items: Vec<Value> = ids
        .iter()
        .skip((num - 1) * size)
        .take(size)
        .map(|id| match p {
            Provider::Ens => json!({
                "InstanceId": id,
                "InstanceName": id,
                "HostName": id,
                "Status": "Running",
                "EnsRegionId": "cn-hangzhou-telecom",
                "ImageId": super::state::SEED_ENS_IMAGE,
                "InstanceTypeId": "ens.sn1.stiny",
                "SpecName": "ens.sn1.stiny",
                "OSName": "Ubuntu 22.04 64 bit",
                "InstanceResourceType": "EnsService",
                "CreationTime": "2026-01-01T00:00:00Z",
            }),
            _ => json!({
                "InstanceId": id,
                "InstanceName": id,
                "HostName": id,
                "Status": "Running",
                "RegionId": region,
                "ZoneId": format!("{region}-i"),
                "ImageId": super::state::SEED_ECS_IMAGE,
                "InstanceType": "ecs.g7.large",
                "OSType": "linux",
                "OSName": "Ubuntu 22.04 64 bit",
                "Cpu": 2,
                "Memory": 8192,
                "InstanceChargeType": "PostPaid",
                "CreationTime": "2026-01-01T00:00Z",
            }),
        })
        .collect();
    Ok(json!({
        "TotalCount": total,
        "PageNumber": num,
        "PageSize": size,
        "Instances": {"Instance": items},
    }))
}

/// DeleteImage. ENS: the id must be one of yours. ECS (DeleteImage doc,
/// error table): 404 for an unknown id; 403 refusals that are not about
/// permissions: in use by instances (unless Force), shared with other
/// accounts, being copied (source or copy); then DryRun.
fn delete(p: Provider, params: &[(String, String)], ctx: &mut Ctx) -> R {
    let id = get(params, "ImageId").ok_or_else(|| missing("ImageId"))?;
    let region = get(params, "RegionId").unwrap_or_default();
    let speed = ctx.speed;
    let Some(img) = ctx
        .state
        .images
        .iter()
        .find(|i| i.provider == p && i.id == id && (p == Provider::Ens || i.region == region))
    else {
        return Err(e(
            404,
            "InvalidImageId.NotFound",
            "The specified ImageId does not exist.",
        ));
    };
    if p == Provider::Ecs {
        if img.attr("InUseBy").is_some() && !truthy(get(params, "Force")) {
            return Err(e(
                403,
                "ImageUsingByInstance",
                "The specified image is being used by instances; use Force to delete it anyway.",
            ));
        }
        if img.attr("SharedWith").is_some() {
            return Err(e(
                403,
                "ImageUseShared",
                "The specified image has been shared with other accounts.",
            ));
        }
        let copying = |i: &Image| i.copied_from.is_some() && !i.life.done(speed);
        if copying(img)
            || ctx
                .state
                .images
                .iter()
                .any(|c| c.provider == p && c.copied_from.as_deref() == Some(id) && copying(c))
        {
            return Err(e(
                403,
                "OperationDenied.ImageCopying",
                "The operation is denied because the image is being copied.",
            ));
        }
        if truthy(get(params, "DryRun")) {
            return Err(dry_run());
        }
    }
    ctx.state
        .images
        .retain(|i| !(i.provider == p && i.id == id));
    Ok(json!({}))
}

/// CopyImage, received by the source region: an Available custom image
/// of this region is copied to DestinationRegionId, where the copy is
/// Creating for a while before it is Available.
fn ecs_copy(params: &[(String, String)], ctx: &mut Ctx) -> R {
    let region = get(params, "RegionId").unwrap_or_default().to_string();
    let dest = get(params, "DestinationRegionId")
        .ok_or_else(|| missing("DestinationRegionId"))?
        .to_string();
    if let Some(id) = idempotent(params, ctx.state)? {
        return Ok(json!({"ImageId": id}));
    }
    let speed = ctx.speed;
    let id = get(params, "ImageId").ok_or_else(|| missing("ImageId"))?;
    let src = ctx
        .state
        .images
        .iter()
        .find(|i| i.provider == Provider::Ecs && i.id == id && i.region == region)
        .ok_or_else(|| {
            e(
                404,
                "InvalidImageId.NotFound",
                "The specified ImageId does not exist.",
            )
        })?;
    if !src.life.done(speed) || src.life.failed(speed) {
        return Err(e(
            403,
            "IncorrectImageStatus",
            "The current status of the image does not support this operation.",
        ));
    }
    let (src_name, attrs) = (src.name.clone(), src.attrs.clone());
    let name = match get(params, "DestinationImageName") {
        Some(n) => n.to_string(),
        None => src_name,
    };
    check_name(Provider::Ecs, &dest, &name, ctx.state, None)
        .map_err(|ApiErr(s, c, m)| ApiErr(s, c.replace("ImageName", "DestinationImageName"), m))?;
    if let Some(d) = get(params, "DestinationDescription")
        && !rules::description_ok(Provider::Ecs, d)
    {
        return Err(e(
            400,
            "InvalidDescription.Malformed",
            "The specified parameter \"DestinationDescription\" is not valid.",
        ));
    }
    if truthy(get(params, "DryRun")) {
        return Err(dry_run());
    }
    let mut img = new_image(Provider::Ecs, name, &dest, ctx);
    img.attrs = attrs;
    img.attrs.remove("InUseBy");
    img.attrs.remove("SharedWith");
    img.description = get(params, "DestinationDescription").map(str::to_string);
    img.copied_from = Some(id.to_string());
    let new_id = img.id.clone();
    ctx.state.images.push(img);
    remember_token(params, ctx.state, &new_id);
    Ok(json!({"ImageId": new_id}))
}

// ---------------------------------------------------------------- ECS

fn dry_run() -> ApiErr {
    e(
        400,
        "DryRunOperation",
        "Request validation has been passed with DryRun flag set.",
    )
}

/// A request's identity for ClientToken reuse: everything but the
/// signature's own parameters.
fn fingerprint(params: &[(String, String)]) -> String {
    let mut p: Vec<String> = params
        .iter()
        .filter(|(k, _)| !COMMON.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    p.sort();
    p.join("&")
}

/// The ClientToken's earlier image, if this is a repeat of that request.
fn idempotent(params: &[(String, String)], st: &State) -> Result<Option<String>, ApiErr> {
    let Some(tok) = get(params, "ClientToken") else {
        return Ok(None);
    };
    if tok.len() > 64 || !tok.is_ascii() {
        return Err(invalid("ClientToken"));
    }
    match st.client_tokens.get(tok) {
        Some((fp, id)) if *fp == fingerprint(params) => Ok(Some(id.clone())),
        Some(_) => Err(e(
            400,
            "IdempotentParameterMismatch",
            "The specified parameter has changed while using an already used clientToken.",
        )),
        None => Ok(None),
    }
}

fn remember_token(params: &[(String, String)], st: &mut State, id: &str) {
    if let Some(tok) = get(params, "ClientToken") {
        st.client_tokens
            .insert(tok.to_string(), (fingerprint(params), id.to_string()));
    }
}

fn ecs_common_attrs(img: &mut Image, params: &[(String, String)]) {
    for k in [
        "Platform",
        "Architecture",
        "OSType",
        "BootMode",
        "ImageFamily",
        "ImageVersion",
        "LicenseType",
        "ResourceGroupId",
        "Features.NvmeSupport",
        "Features.ImdsSupport",
    ] {
        if let Some(v) = get(params, k) {
            img.set(k, v);
        }
    }
    img.description = get(params, "Description").map(str::to_string);
    img.tags = ecs_tags(params);
}

fn ecs_tags(params: &[(String, String)]) -> Vec<(String, String)> {
    indexed(params, "Tag")
        .into_iter()
        .filter_map(|g| {
            let k = g.iter().find(|(f, _)| f == "Key")?.1.clone();
            let v = g
                .iter()
                .find(|(f, _)| f == "Value")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            Some((k, v))
        })
        .collect()
}

fn ecs_check_description(params: &[(String, String)]) -> Result<(), ApiErr> {
    if let Some(d) = get(params, "Description")
        && !rules::description_ok(Provider::Ecs, d)
    {
        return Err(e(
            400,
            "InvalidDescription.Malformed",
            "The specified parameter \"Description\" is not valid.",
        ));
    }
    if !rules::tags_ok(Provider::Ecs, &ecs_tags(params)) {
        // ECS answers a bad Tag.N with InvalidTagKey.Malformed or
        // InvalidTagValue.Malformed; one code for both keeps this simple.
        return Err(e(
            400,
            "InvalidTagKey.Malformed",
            "The specified parameter \"Tag.n.Key\" or \"Tag.n.Value\" is not valid.",
        ));
    }
    Ok(())
}

fn ecs_create(params: &[(String, String)], ctx: &mut Ctx) -> R {
    let region = get(params, "RegionId").unwrap_or_default().to_string();
    if let Some(id) = idempotent(params, ctx.state)? {
        return Ok(json!({"ImageId": id}));
    }
    let mappings = indexed(params, "DiskDeviceMapping");
    if get(params, "InstanceId").is_none()
        && get(params, "SnapshotId").is_none()
        && mappings.is_empty()
    {
        return Err(missing("InstanceId"));
    }
    source_instance(Provider::Ecs, params, ctx.state)?;
    let name = match get(params, "ImageName") {
        Some(n) => {
            check_name(Provider::Ecs, &region, n, ctx.state, None)?;
            n.to_string()
        }
        None => format!("image-{}", super::wire::b36_id(12)),
    };
    ecs_check_description(params)?;
    if truthy(get(params, "DryRun")) {
        return Err(dry_run());
    }
    let mut img = new_image(Provider::Ecs, name, &region, ctx);
    img.instance_id = get(params, "InstanceId").map(str::to_string);
    img.snapshot_id = get(params, "SnapshotId").map(str::to_string);
    ecs_common_attrs(&mut img, params);
    let id = img.id.clone();
    ctx.state.images.push(img);
    remember_token(params, ctx.state, &id);
    Ok(json!({"ImageId": id}))
}

fn ecs_import(params: &[(String, String)], ctx: &mut Ctx) -> R {
    let region = get(params, "RegionId").unwrap_or_default().to_string();
    if let Some(id) = idempotent(params, ctx.state)? {
        return Ok(
            json!({"ImageId": id, "RegionId": region, "TaskId": format!("t-{}", super::wire::b36_id(16))}),
        );
    }
    let disks = indexed(params, "DiskDeviceMapping");
    if disks.is_empty() {
        return Err(missing("DiskDeviceMapping.1.OSSBucket"));
    }
    let mut urls = Vec::new();
    for (n, d) in disks.iter().enumerate() {
        let f = |k: &str| d.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str());
        let (Some(b), Some(o)) = (f("OSSBucket"), f("OSSObject")) else {
            return Err(missing(&format!("DiskDeviceMapping.{}.OSSBucket", n + 1)));
        };
        if let Some(fmt) = f("Format")
            && !["RAW", "VHD", "QCOW2", "VMDK", ""].contains(&fmt.to_ascii_uppercase().as_str())
        {
            return Err(invalid(&format!("DiskDeviceMapping.{}.Format", n + 1)));
        }
        oss_exists(ctx.state, b, o)?;
        urls.push(format!("oss://{b}/{o}"));
    }
    let name = match get(params, "ImageName") {
        Some(n) => {
            check_name(Provider::Ecs, &region, n, ctx.state, None)?;
            n.to_string()
        }
        None => format!("image-{}", super::wire::b36_id(12)),
    };
    ecs_check_description(params)?;
    if truthy(get(params, "DryRun")) {
        return Err(dry_run());
    }
    let mut img = new_image(Provider::Ecs, name, &region, ctx);
    ecs_common_attrs(&mut img, params);
    img.disks = urls;
    let id = img.id.clone();
    ctx.state.images.push(img);
    remember_token(params, ctx.state, &id);
    Ok(
        json!({"ImageId": id, "RegionId": region, "TaskId": format!("t-{}", super::wire::b36_id(16))}),
    )
}

fn one_of(params: &[(String, String)], name: &str, allowed: &[&str]) -> Result<(), ApiErr> {
    match get(params, name) {
        Some(v) if !allowed.contains(&v) => Err(invalid(name)),
        _ => Ok(()),
    }
}

fn ecs_modify(params: &[(String, String)], ctx: &mut Ctx) -> R {
    let region = get(params, "RegionId").unwrap_or_default().to_string();
    let speed = ctx.speed;
    let img = find(Provider::Ecs, params, ctx.state)?;
    not_while_creating(img, speed)?;
    if get(params, "Features.ImdsSupport") == Some("v1")
        && img.attr("Features.ImdsSupport") == Some("v2")
    {
        return Err(e(
            400,
            "InvalidOperation.FeaturesImdsSupportNotMatch",
            "The ImdsSupport feature of the image cannot be changed from v2 to v1.",
        ));
    }
    let id = img.id.clone();
    one_of(params, "Status", &["Deprecated", "Available"])?;
    one_of(params, "BootMode", &["BIOS", "UEFI", "UEFI-Preferred"])?;
    one_of(params, "LicenseType", &["BYOL"])?;
    one_of(
        params,
        "Features.NvmeSupport",
        &["supported", "unsupported"],
    )?;
    one_of(params, "Features.ImdsSupport", &["v1", "v2"])?;
    if let Some(n) = get(params, "ImageName") {
        check_name(Provider::Ecs, &region, n, ctx.state, Some(&id))?;
    }
    ecs_check_description(params)?;
    if truthy(get(params, "DryRun")) {
        return Err(dry_run());
    }
    let Some(img) = ctx.state.image_mut(Provider::Ecs, &id) else {
        return Err(e(
            404,
            "InvalidImageId.NotFound",
            "The specified ImageId does not exist.",
        ));
    };
    if let Some(n) = get(params, "ImageName") {
        img.name = n.to_string();
    }
    if let Some(d) = get(params, "Description") {
        img.description = Some(d.to_string());
    }
    match get(params, "Status") {
        Some("Deprecated") => img.status_override = Some("Deprecated".into()),
        Some("Available") => img.status_override = None,
        _ => {}
    }
    for (k, attr) in [
        ("BootMode", "BootMode"),
        ("LicenseType", "LicenseType"),
        ("ImageFamily", "ImageFamily"),
        ("Features.NvmeSupport", "Features.NvmeSupport"),
        ("Features.ImdsSupport", "Features.ImdsSupport"),
    ] {
        if let Some(v) = get(params, k) {
            img.set(attr, v);
        }
    }
    Ok(json!({}))
}

const ECS_STATUSES: &[&str] = &[
    "Creating",
    "Waiting",
    "Available",
    "UnAvailable",
    "CreateFailed",
    "Deprecated",
];

fn ecs_describe(params: &[(String, String)], ctx: &mut Ctx) -> R {
    let region = get(params, "RegionId").unwrap_or_default().to_string();
    let (num, size) = page(params, 100)?;
    // Status defaults to Available: a creating image is invisible unless asked for.
    let status = get(params, "Status").unwrap_or("Available");
    let statuses: Vec<&str> = status.split(',').map(str::trim).collect();
    let all = statuses == ["ALL"];
    if !all && statuses.iter().any(|s| !ECS_STATUSES.contains(s)) {
        return Err(invalid("Status"));
    }
    let owner = get(params, "ImageOwnerAlias");
    one_of(
        params,
        "ImageOwnerAlias",
        &["system", "self", "others", "marketplace"],
    )?;
    let ids: Option<Vec<&str>> =
        get(params, "ImageId").map(|s| s.split(',').map(str::trim).collect());
    let name = get(params, "ImageName");
    let speed = ctx.speed;
    let mut total = 0;
    let mut items = Vec::new();
    for i in ctx.state.images.iter_mut().filter(|i| {
        i.provider == Provider::Ecs
            && i.region == region
            && owner.is_none_or(|o| o == "self")
            && ids.as_ref().is_none_or(|ids| ids.contains(&i.id.as_str()))
            && name.is_none_or(|n| i.name.contains(n))
    }) {
        let st = i
            .status_override
            .clone()
            .unwrap_or_else(|| i.life.status(speed).to_string());
        let progress = i.life.progress(speed);
        i.life.observe();
        if !all && !statuses.contains(&st.as_str()) {
            continue;
        }
        total += 1;
        if total <= (num - 1) * size || items.len() >= size {
            continue;
        }
        let a = |k: &str, d: &str| i.attr(k).unwrap_or(d).to_string();
        let disks: Vec<Value> = if i.disks.is_empty() {
            vec![
                json!({"Device": "/dev/xvda", "Size": "40", "Type": "system", "Format": "", "Progress": format!("{progress}%")}),
            ]
        } else {
            i.disks
                .iter()
                .enumerate()
                .map(|(n, u)| {
                    let (b, o) = u.trim_start_matches("oss://").split_once('/').unwrap_or(("", ""));
                    json!({"Device": format!("/dev/xvd{}", char::from(b'a' + (n % 26) as u8)), "Size": "40",
                           "Type": if n == 0 { "system" } else { "data" },
                           "ImportOSSBucket": b, "ImportOSSObject": o, "Progress": format!("{progress}%")})
                })
                .collect()
        };
        items.push(json!({
            "ImageId": i.id,
            "ImageName": i.name,
            "Description": i.description.clone().unwrap_or_default(),
            "Status": st,
            "Progress": format!("{progress}%"),
            "Size": 40,
            "CreationTime": i.created_at,
            "Architecture": a("Architecture", "x86_64"),
            "OSType": a("OSType", "linux"),
            "OSName": a("Platform", "Others Linux"),
            "OSNameEn": a("Platform", "Others Linux"),
            "Platform": a("Platform", "Others Linux"),
            "BootMode": a("BootMode", "BIOS"),
            "ImageFamily": a("ImageFamily", ""),
            "ImageVersion": a("ImageVersion", ""),
            "LicenseType": a("LicenseType", "Auto"),
            "ResourceGroupId": a("ResourceGroupId", ""),
            "ImageOwnerAlias": "self",
            "IsPublic": false,
            "IsSelfShared": "",
            "Usage": "none",
            "Features": {"NvmeSupport": a("Features.NvmeSupport", "unsupported"),
                         "ImdsSupport": a("Features.ImdsSupport", "v1")},
            "Tags": {"Tag": i.tags.iter().map(|(k, v)| json!({"TagKey": k, "TagValue": v})).collect::<Vec<_>>()},
            "DiskDeviceMappings": {"DiskDeviceMapping": disks},
        }));
    }
    Ok(json!({
        "RegionId": region,
        "TotalCount": total,
        "PageNumber": num,
        "PageSize": size,
        "Images": {"Image": items},
    }))
}
