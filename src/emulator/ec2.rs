//! AWS EC2 Query API 2016-11-15: SigV4 verified by re-signing with the
//! `aws-sigv4` crate over the request's own SignedHeaders and X-Amz-Date,
//! image and import-task operations, XML answers and errors.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use super::rules;
use crate::provider::Provider;

use super::state::{
    EC2_OWNER_ID, EC2_PHASES, EC2_TASK_PHASES, Image, ImportTask, Lifecycle, State,
};
use super::wire::{Req, Resp, get, glob, hex_id, indexed, list, truthy, uuid, xml_escape as x};
use super::{Ctx, MAX_SKEW, now_unix, secret_for};

pub const VERSION: &str = "2016-11-15";
const XMLNS: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";

pub fn operation(req: &Req) -> String {
    get(&req.params(), "Action").unwrap_or_default().to_string()
}

struct ApiErr(u16, String, String);

fn e(status: u16, code: &str, msg: impl Into<String>) -> ApiErr {
    ApiErr(status, code.to_string(), msg.into())
}

pub fn error(status: u16, code: &str, msg: &str) -> Resp {
    let rid = uuid();
    Resp::xml(
        status,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{}</Code><Message>{}</Message></Error></Errors><RequestID>{rid}</RequestID></Response>",
            x(code),
            x(msg)
        ),
    )
}

pub fn server_error(status: u16) -> Resp {
    if status == 503 {
        error(
            503,
            "Unavailable",
            "The server is overloaded and can't handle the request.",
        )
    } else {
        error(500, "InternalError", "An internal error has occurred.")
    }
}

pub fn throttled(retry_after_ms: u64) -> Resp {
    error(503, "RequestLimitExceeded", "Request limit exceeded.").with_header(
        "Retry-After",
        retry_after_ms.div_ceil(1000).max(1).to_string(),
    )
}

fn auth_failure() -> Resp {
    error(
        401,
        "AuthFailure",
        "AWS was not able to validate the provided access credentials",
    )
}

struct SigV4<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(a: &str) -> Option<SigV4<'_>> {
    let rest = a.strip_prefix("AWS4-HMAC-SHA256 ")?;
    let (mut cred, mut sh, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => cred = Some(v),
            "SignedHeaders" => sh = Some(v),
            "Signature" => sig = Some(v),
            _ => return None,
        }
    }
    let mut c = cred?.split('/');
    let (ak, date, region, service, term) = (c.next()?, c.next()?, c.next()?, c.next()?, c.next()?);
    (term == "aws4_request" && c.next().is_none()).then_some(SigV4 {
        access_key_id: ak,
        date,
        region,
        service,
        signed_headers: sh?,
        signature: sig?,
    })
}

fn amz_time(s: &str) -> Option<SystemTime> {
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let t = time::PrimitiveDateTime::parse(s, fmt).ok()?.assume_utc();
    let secs = u64::try_from(t.unix_timestamp()).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

/// The region of the credential scope, for state kept per region.
fn region(req: &Req) -> String {
    req.header("authorization")
        .and_then(parse_authorization)
        .map(|a| a.region.to_string())
        .unwrap_or_else(|| "us-east-1".into())
}

/// Re-signs the request as the SDK must have, with its own time and
/// header list, and compares.
pub fn authenticate(req: &Req) -> Result<(), Resp> {
    let Some(a) = req.header("authorization").and_then(parse_authorization) else {
        return Err(error(
            400,
            "IncompleteSignature",
            "Authorization header requires Credential, SignedHeaders and Signature parameters.",
        ));
    };
    let Some(secret) = secret_for(a.access_key_id) else {
        return Err(auth_failure());
    };
    let Some(amz_date) = req.header("x-amz-date") else {
        return Err(auth_failure());
    };
    let Some(t) = amz_time(amz_date).filter(|_| amz_date.starts_with(a.date)) else {
        return Err(auth_failure());
    };
    let age = t
        .duration_since(UNIX_EPOCH)
        .map(|d| (d.as_secs() as i64 - now_unix()).unsigned_abs())
        .unwrap_or(u64::MAX);
    if age > MAX_SKEW.as_secs() {
        return Err(error(400, "RequestExpired", "Request has expired."));
    }
    let names: Vec<&str> = a.signed_headers.split(';').collect();
    if !names.contains(&"host") || !names.contains(&"x-amz-date") {
        return Err(auth_failure());
    }
    let mut headers = Vec::new();
    for n in &names {
        if matches!(*n, "host" | "x-amz-date") {
            continue;
        }
        match req.header(n) {
            Some(v) => headers.push((*n, v)),
            None => return Err(auth_failure()),
        }
    }
    let url = if req.raw_query.is_empty() {
        format!("http://{}{}", req.host(), req.path)
    } else {
        format!("http://{}{}?{}", req.host(), req.path, req.raw_query)
    };
    let identity: Identity =
        Credentials::new(a.access_key_id, secret, None, None, "imgctl-emulator").into();
    let mut settings = SigningSettings::default();
    // Whatever the client chose to sign counts, user-agent included.
    settings.excluded_headers = None;
    let Ok(params) = v4::SigningParams::builder()
        .identity(&identity)
        .region(a.region)
        .name(a.service)
        .time(t)
        .settings(settings)
        .build()
    else {
        return Err(auth_failure());
    };
    let Ok(signable) = SignableRequest::new(
        &req.method,
        &url,
        headers.into_iter(),
        SignableBody::Bytes(&req.body),
    ) else {
        return Err(auth_failure());
    };
    let Ok(out) = sign(signable, &params.into()) else {
        return Err(auth_failure());
    };
    let (_, expected) = out.into_parts();
    if a.service != "ec2" || expected != a.signature {
        return Err(auth_failure());
    }
    Ok(())
}

type R = Result<String, ApiErr>;

pub fn handle(action: &str, req: &Req, ctx: &mut Ctx) -> Resp {
    let p = req.params();
    let region = region(req);
    let r = match action {
        "RunInstances" => run_instances(&p, ctx),
        "DescribeInstances" => describe_instances(&p, &region, ctx),
        "CreateImage" => create_image(&p, &region, ctx),
        "DescribeImages" => describe_images(&p, &region, ctx),
        "ModifyImageAttribute" => modify(&p, &region, ctx),
        "DescribeImageAttribute" => describe_attribute(&p, &region, ctx),
        "ImportImage" => import_image(&p, &region, ctx),
        "DescribeImportImageTasks" => describe_tasks(&p, &region, ctx),
        "DeregisterImage" => deregister(&p, &region, ctx),
        "DeleteSnapshot" => delete_snapshot(&p, &region, ctx),
        "DescribeSnapshots" => describe_snapshots(&p, &region, ctx),
        "CopyImage" => copy_image(&p, &region, ctx),
        _ => Err(e(
            400,
            "InvalidAction",
            format!("The action {action} is not valid for this web service."),
        )),
    };
    match r {
        Ok(inner) => Resp::xml(
            200,
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{action}Response xmlns=\"{XMLNS}\"><requestId>{}</requestId>{inner}</{action}Response>",
                uuid()
            ),
        ),
        Err(ApiErr(s, c, m)) => error(s, &c, &m),
    }
}

fn missing(name: &str) -> ApiErr {
    e(
        400,
        "MissingParameter",
        format!("The request must contain the parameter {name}"),
    )
}

fn dry_run(p: &[(String, String)]) -> Result<(), ApiErr> {
    if truthy(get(p, "DryRun")) {
        return Err(e(
            412,
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
        ));
    }
    Ok(())
}

fn tags_for(p: &[(String, String)], allowed: &[&str]) -> Result<Vec<(String, String)>, ApiErr> {
    let mut out = Vec::new();
    for spec in indexed(p, "TagSpecification") {
        let rt = spec
            .iter()
            .find(|(k, _)| k == "ResourceType")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if !allowed.contains(&rt) {
            return Err(e(
                400,
                "InvalidParameterValue",
                format!("'{rt}' is not a valid taggable resource type for this operation."),
            ));
        }
        if rt != allowed[0] {
            continue;
        }
        let tag_params: Vec<(String, String)> = spec
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("Tag.")
                    .map(|r| (format!("Tag.{r}"), v.clone()))
            })
            .collect();
        for g in indexed(&tag_params, "Tag") {
            let f = |n: &str| g.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
            if let Some(k) = f("Key") {
                out.push((k, f("Value").unwrap_or_default()));
            }
        }
    }
    if !rules::tags_ok(Provider::Ec2, &out) {
        return Err(e(
            400,
            "InvalidParameterValue",
            "A tag key or value is too long, uses the reserved 'aws:' prefix, or there are more than 50 tags.",
        ));
    }
    Ok(out)
}

fn tag_set(tags: &[(String, String)]) -> String {
    if tags.is_empty() {
        return String::new();
    }
    let mut s = String::from("<tagSet>");
    for (k, v) in tags {
        let _ = write!(s, "<item><key>{}</key><value>{}</value></item>", x(k), x(v));
    }
    s.push_str("</tagSet>");
    s
}

fn run_instances(p: &[(String, String)], ctx: &mut Ctx) -> R {
    let image = get(p, "ImageId").ok_or_else(|| missing("ImageId"))?;
    if !image.starts_with("ami-") {
        return Err(e(
            400,
            "InvalidAMIID.Malformed",
            format!("Invalid id: \"{image}\" (expecting \"ami-...\")"),
        ));
    }
    dry_run(p)?;
    let n: usize = get(p, "MinCount")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .clamp(1, 20);
    let itype = get(p, "InstanceType").unwrap_or("m1.small");
    let mut items = String::new();
    for idx in 0..n {
        let id = format!("i-{}", hex_id(17));
        ctx.state.instances.insert((Provider::Ec2, id.clone()));
        ctx.state
            .launched
            .insert(id.clone(), (image.to_string(), itype.to_string()));
        let _ = write!(
            items,
            "<item><instanceId>{id}</instanceId><imageId>{}</imageId><instanceState><code>0</code><name>pending</name></instanceState>\
             <privateDnsName/><dnsName/><reason/><amiLaunchIndex>{idx}</amiLaunchIndex><productCodes/><instanceType>{}</instanceType>\
             <launchTime>{}</launchTime><placement><availabilityZone>us-east-1a</availabilityZone><groupName/><tenancy>default</tenancy></placement>\
             <monitoring><state>disabled</state></monitoring><architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType>\
             <rootDeviceName>/dev/xvda</rootDeviceName><blockDeviceMapping/><virtualizationType>hvm</virtualizationType><hypervisor>xen</hypervisor></item>",
            x(image),
            x(itype),
            super::wire::now_iso()
        );
    }
    Ok(format!(
        "<reservationId>r-{}</reservationId><ownerId>{EC2_OWNER_ID}</ownerId><groupSet/><instancesSet>{items}</instancesSet>",
        hex_id(17)
    ))
}

/// DescribeInstances: every instance as its own reservation (one launch
/// each), `InstanceId.N` exact (unknown ids are an error, as on AWS) and
/// the filters a person reaches for first.
fn describe_instances(p: &[(String, String)], region: &str, ctx: &mut Ctx) -> R {
    dry_run(p)?;
    let ids = list(p, "InstanceId");
    for id in &ids {
        if !id.starts_with("i-") {
            return Err(e(
                400,
                "InvalidInstanceID.Malformed",
                format!("Invalid id: \"{id}\""),
            ));
        }
        if !ctx.state.has_instance(Provider::Ec2, id) {
            return Err(e(
                400,
                "InvalidInstanceID.NotFound",
                format!("The instance ID '{id}' does not exist"),
            ));
        }
    }
    let filters = filters(p);
    // Paging as documented: MaxResults 5-1000, not with InstanceId.N.
    let max = match get(p, "MaxResults") {
        None => None,
        Some(m) => Some(
            m.parse::<usize>()
                .ok()
                .filter(|n| (5..=1000).contains(n))
                .ok_or_else(|| {
                    e(
                        400,
                        "InvalidParameterValue",
                        format!("Value ( {m} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000."),
                    )
                })?,
        ),
    };
    if max.is_some() && !ids.is_empty() {
        return Err(e(
            400,
            "InvalidParameterCombination",
            "The parameter instancesSet cannot be used with the parameter maxResults",
        ));
    }
    let start = match get(p, "NextToken") {
        None => 0,
        Some(t) => t
            .strip_prefix("emu-page-")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| {
                e(
                    400,
                    "InvalidParameterValue",
                    format!("Invalid NextToken: {t}"),
                )
            })?,
    };
    let mut rows = Vec::new();
    for id in ctx.state.instance_ids(Provider::Ec2) {
        if !ids.is_empty() && !ids.contains(&id) {
            continue;
        }
        let (image, itype) = ctx
            .state
            .launched
            .get(&id)
            .cloned()
            .unwrap_or_else(|| (super::state::SEED_EC2_IMAGE.to_string(), "t3.micro".into()));
        let mut keep = true;
        for (name, vals) in &filters {
            let have = match name.as_str() {
                "instance-id" => id.clone(),
                "instance-state-name" => "running".into(),
                "image-id" => image.clone(),
                "instance-type" => itype.clone(),
                "availability-zone" => format!("{region}a"),
                _ => {
                    return Err(e(
                        400,
                        "InvalidParameterValue",
                        format!("The filter '{name}' is invalid"),
                    ));
                }
            };
            if !vals.iter().any(|v| glob(v, &have)) {
                keep = false;
            }
        }
        if !keep {
            continue;
        }
        let rid = &crate::sign::sha256_hex(id.as_bytes())[..17];
        let mut out = String::new();
        let _ = write!(
            out,
            "<item><reservationId>r-{rid}</reservationId><ownerId>{EC2_OWNER_ID}</ownerId><groupSet/><instancesSet>\
             <item><instanceId>{}</instanceId><imageId>{}</imageId><instanceState><code>16</code><name>running</name></instanceState>\
             <privateDnsName/><dnsName/><reason/><amiLaunchIndex>0</amiLaunchIndex><productCodes/><instanceType>{}</instanceType>\
             <launchTime>2026-01-01T00:00:00.000Z</launchTime><placement><availabilityZone>{}a</availabilityZone><groupName/><tenancy>default</tenancy></placement>\
             <monitoring><state>disabled</state></monitoring><architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType>\
             <rootDeviceName>/dev/xvda</rootDeviceName><blockDeviceMapping/><virtualizationType>hvm</virtualizationType><hypervisor>xen</hypervisor></item>\
             </instancesSet></item>",
            x(&id),
            x(&image),
            x(&itype),
            x(region)
        );
        rows.push(out);
    }
    let end = max.map_or(rows.len(), |m| (start + m).min(rows.len()));
    let mut out = String::from("<reservationSet>");
    for r in rows.iter().take(end).skip(start) {
        out.push_str(r);
    }
    out.push_str("</reservationSet>");
    if end < rows.len() {
        let _ = write!(out, "<nextToken>emu-page-{end}</nextToken>");
    }
    Ok(out)
}

/// `Filter.N.Name` with its `Filter.N.Value.M`.
fn filters(p: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    indexed(p, "Filter")
        .into_iter()
        .filter_map(|g| {
            let name = g.iter().find(|(k, _)| k == "Name")?.1.clone();
            let vals: Vec<(String, String)> = g
                .iter()
                .filter_map(|(k, v)| {
                    k.strip_prefix("Value.")
                        .map(|n| (format!("Value.{n}"), v.clone()))
                })
                .collect();
            Some((name, list(&vals, "Value")))
        })
        .collect()
}

fn check_name(name: &str, region: &str, st: &State, except: Option<&str>) -> Result<(), ApiErr> {
    if !rules::name_ok(Provider::Ec2, name) {
        return Err(e(
            400,
            "InvalidAMIName.Malformed",
            "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/', '[', ']', ' ', '@', ''' and '_'",
        ));
    }
    if let Some(i) = st
        .name_taken(Provider::Ec2, region, name)
        .filter(|i| Some(i.id.as_str()) != except)
    {
        return Err(e(
            400,
            "InvalidAMIName.Duplicate",
            format!("AMI name {name} is already in use by AMI {}", i.id),
        ));
    }
    Ok(())
}

fn create_image(p: &[(String, String)], region: &str, ctx: &mut Ctx) -> R {
    let inst = get(p, "InstanceId").ok_or_else(|| missing("InstanceId"))?;
    let name = get(p, "Name").ok_or_else(|| missing("Name"))?;
    if !ctx.state.has_instance(Provider::Ec2, inst) {
        return Err(e(
            400,
            "InvalidInstanceID.NotFound",
            format!("The instance ID '{inst}' does not exist"),
        ));
    }
    check_name(name, region, ctx.state, None)?;
    if let Some(d) = get(p, "Description")
        && !rules::description_ok(Provider::Ec2, d)
    {
        return Err(e(
            400,
            "InvalidParameterValue",
            "The description is too long (maximum 255 characters).",
        ));
    }
    let tags = tags_for(p, &["image", "snapshot"])?;
    dry_run(p)?;
    let mut life = Lifecycle::new(EC2_PHASES);
    if ctx.fail {
        life = life.failing("failed");
    }
    let mut img = Image::new(
        Provider::Ec2,
        State::new_id(Provider::Ec2),
        name.into(),
        region,
        life,
    );
    img.instance_id = Some(inst.into());
    img.description = get(p, "Description").map(str::to_string);
    img.tags = tags;
    img.set("architecture", "x86_64");
    img.disks = indexed(p, "BlockDeviceMapping")
        .into_iter()
        .filter_map(|g| {
            g.into_iter()
                .find(|(k, _)| k == "DeviceName")
                .map(|(_, v)| v)
        })
        .collect();
    let id = img.id.clone();
    ctx.state.images.push(img);
    Ok(format!("<imageId>{id}</imageId>"))
}

fn lookup<'a>(
    p: &[(String, String)],
    region: &str,
    st: &'a mut State,
) -> Result<&'a mut Image, ApiErr> {
    let id = get(p, "ImageId").ok_or_else(|| missing("ImageId"))?;
    if !id.starts_with("ami-") {
        return Err(e(
            400,
            "InvalidAMIID.Malformed",
            format!("Invalid id: \"{id}\" (expecting \"ami-...\")"),
        ));
    }
    let img = st
        .images
        .iter_mut()
        .find(|i| i.provider == Provider::Ec2 && i.id == id && i.region == region)
        .ok_or_else(|| {
            e(
                400,
                "InvalidAMIID.NotFound",
                format!("The image id '[{id}]' does not exist"),
            )
        })?;
    if img.status_override.as_deref() == Some("deregistered") {
        return Err(e(
            400,
            "InvalidAMIID.Unavailable",
            format!("The image ID '{id}' is no longer available"),
        ));
    }
    Ok(img)
}

fn filter_value(i: &Image, name: &str, state: &str) -> Result<Vec<String>, ApiErr> {
    Ok(match name {
        "state" => vec![state.to_string()],
        "name" => vec![i.name.clone()],
        "image-id" => vec![i.id.clone()],
        "description" => i.description.clone().into_iter().collect(),
        "owner-id" => vec![EC2_OWNER_ID.to_string()],
        "is-public" => vec![i.public.to_string()],
        "architecture" => vec![i.attr("architecture").unwrap_or("x86_64").to_string()],
        "source-instance-id" => i.instance_id.clone().into_iter().collect(),
        "image-type" => vec!["machine".into()],
        "tag-key" => i.tags.iter().map(|(k, _)| k.clone()).collect(),
        n if n.starts_with("tag:") => i
            .tags
            .iter()
            .filter(|(k, _)| k == &n[4..])
            .map(|(_, v)| v.clone())
            .collect(),
        _ => {
            return Err(e(
                400,
                "InvalidParameterValue",
                format!("The filter '{name}' is invalid"),
            ));
        }
    })
}

fn image_xml(i: &Image, state: &str) -> String {
    let mut s = format!(
        "<item><imageId>{}</imageId><imageLocation>{EC2_OWNER_ID}/{}</imageLocation><imageState>{state}</imageState>\
         <imageOwnerId>{EC2_OWNER_ID}</imageOwnerId><creationDate>{}</creationDate><isPublic>{}</isPublic>\
         <architecture>{}</architecture><imageType>machine</imageType><name>{}</name>",
        i.id,
        x(&i.name),
        i.created_at.replace('Z', ".000Z"),
        i.public,
        x(i.attr("architecture").unwrap_or("x86_64")),
        x(&i.name),
    );
    if let Some(d) = &i.description {
        let _ = write!(s, "<description>{}</description>", x(d));
    }
    s.push_str("<rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName><blockDeviceMapping>");
    let disks = if i.disks.is_empty() {
        vec!["/dev/xvda".to_string()]
    } else {
        i.disks.clone()
    };
    for d in disks {
        let _ = write!(
            s,
            "<item><deviceName>{}</deviceName><ebs><snapshotId>snap-{}</snapshotId><volumeSize>8</volumeSize><deleteOnTermination>true</deleteOnTermination><volumeType>gp3</volumeType><encrypted>false</encrypted></ebs></item>",
            x(&d),
            &i.id[4..]
        );
    }
    s.push_str("</blockDeviceMapping><virtualizationType>hvm</virtualizationType><hypervisor>xen</hypervisor>");
    s.push_str("<platformDetails>Linux/UNIX</platformDetails><usageOperation>RunInstances</usageOperation>");
    if let Some(v) = i.attr("imdsSupport") {
        let _ = write!(s, "<imdsSupport>{}</imdsSupport>", x(v));
    }
    if state == "failed" {
        s.push_str("<stateReason><code>Client.InvalidImage</code><message>Image creation failed (fault injected by the emulator)</message></stateReason>");
    }
    s.push_str(&tag_set(&i.tags));
    s.push_str("</item>");
    s
}

fn describe_images(p: &[(String, String)], region: &str, ctx: &mut Ctx) -> R {
    let ids = list(p, "ImageId");
    for id in &ids {
        if !id.starts_with("ami-") {
            return Err(e(
                400,
                "InvalidAMIID.Malformed",
                format!("Invalid id: \"{id}\" (expecting \"ami-...\")"),
            ));
        }
        if !ctx
            .state
            .images
            .iter()
            .any(|i| i.provider == Provider::Ec2 && &i.id == id && i.region == region)
        {
            return Err(e(
                400,
                "InvalidAMIID.NotFound",
                format!("The image id '[{id}]' does not exist"),
            ));
        }
    }
    let owners = list(p, "Owner");
    let ours = owners.is_empty() || owners.iter().any(|o| o == "self" || o == EC2_OWNER_ID);
    let filters = filters(p);
    // Paging (DescribeImages doc): MaxResults 1-1000, not with ImageId;
    // the token is opaque to the caller, here the offset of the next item.
    let max = match get(p, "MaxResults") {
        None => None,
        Some(m) => Some(
            m.parse::<usize>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| {
                    e(
                        400,
                        "InvalidParameterValue",
                        format!("Value ( {m} ) for parameter maxResults is invalid. Expecting a value between 1 and 1000."),
                    )
                })?,
        ),
    };
    if max.is_some() && !ids.is_empty() {
        return Err(e(
            400,
            "InvalidParameterCombination",
            "The parameter imageIdsSet cannot be used with the parameter maxResults",
        ));
    }
    let start = match get(p, "NextToken") {
        None => 0,
        Some(t) => t
            .strip_prefix("emu-page-")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| {
                e(
                    400,
                    "InvalidParameterValue",
                    format!("Invalid NextToken: {t}"),
                )
            })?,
    };
    let include_disabled = truthy(get(p, "IncludeDisabled"));
    let speed = ctx.speed;
    let mut matched = Vec::new();
    for i in ctx.state.images.iter_mut().filter(|i| {
        i.provider == Provider::Ec2
            && i.region == region
            && ours
            && i.status_override.as_deref() != Some("deregistered")
            && (include_disabled || i.status_override.as_deref() != Some("disabled"))
            && (ids.is_empty() || ids.contains(&i.id))
    }) {
        let state = i.life.status(speed);
        let mut keep = true;
        for (name, vals) in &filters {
            let have = filter_value(i, name, state)?;
            if !vals.iter().any(|v| have.iter().any(|h| glob(v, h))) {
                keep = false;
            }
        }
        if keep {
            matched.push((i.id.clone(), state));
        }
    }
    let end = max.map_or(matched.len(), |m| (start + m).min(matched.len()));
    let mut out = String::from("<imagesSet>");
    for (id, state) in matched.iter().take(end).skip(start) {
        if let Some(i) = ctx.state.image_mut(Provider::Ec2, id) {
            i.life.observe();
            out.push_str(&image_xml(i, state));
        }
    }
    out.push_str("</imagesSet>");
    if end < matched.len() {
        let _ = write!(out, "<nextToken>emu-page-{end}</nextToken>");
    }
    Ok(out)
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn modify(p: &[(String, String)], region: &str, ctx: &mut Ctx) -> R {
    let img = lookup(p, region, ctx.state)?;
    let attribute = get(p, "Attribute");
    let description = get(p, "Description.Value").or_else(|| {
        (attribute == Some("description"))
            .then(|| get(p, "Value"))
            .flatten()
    });
    let imds = get(p, "ImdsSupport.Value").or_else(|| {
        (attribute == Some("imdsSupport"))
            .then(|| get(p, "Value"))
            .flatten()
    });
    let mut add: Vec<(bool, String)> = Vec::new();
    let mut remove: Vec<(bool, String)> = Vec::new();
    for (dir, out) in [("Add", &mut add), ("Remove", &mut remove)] {
        for g in indexed(p, &format!("LaunchPermission.{dir}")) {
            for (k, v) in g {
                match k.as_str() {
                    "UserId" => out.push((false, v)),
                    "Group" => out.push((true, v)),
                    _ => {}
                }
            }
        }
    }
    if attribute == Some("launchPermission") {
        let target = match get(p, "OperationType") {
            Some("add") => &mut add,
            Some("remove") => &mut remove,
            _ => return Err(missing("OperationType")),
        };
        target.extend(list(p, "UserId").into_iter().map(|u| (false, u)));
        target.extend(list(p, "UserGroup").into_iter().map(|g| (true, g)));
    }
    if description.is_none() && imds.is_none() && add.is_empty() && remove.is_empty() {
        return Err(e(
            400,
            "InvalidParameterCombination",
            "No attributes specified.",
        ));
    }
    if let Some(v) = imds
        && v != "v2.0"
    {
        return Err(e(
            400,
            "InvalidParameterValue",
            format!("Value ({v}) for parameter imdsSupport is invalid. Only v2.0 is supported."),
        ));
    }
    for (group, v) in add.iter().chain(&remove) {
        if (*group && v != "all") || (!*group && !is_account(v)) {
            return Err(e(
                400,
                "InvalidAMIAttributeItemValue",
                format!(
                    "Invalid attribute item value \"{v}\" for {} item type.",
                    if *group { "group" } else { "userId" }
                ),
            ));
        }
    }
    dry_run(p)?;
    if let Some(d) = description {
        img.description = Some(d.to_string());
    }
    if let Some(v) = imds {
        img.set("imdsSupport", v);
    }
    for (group, v) in add {
        if group {
            img.public = true;
        } else {
            img.launch_users.insert(v);
        }
    }
    for (group, v) in remove {
        if group {
            img.public = false;
        } else {
            img.launch_users.remove(&v);
        }
    }
    Ok("<return>true</return>".into())
}

fn describe_attribute(p: &[(String, String)], region: &str, ctx: &mut Ctx) -> R {
    let attr = get(p, "Attribute")
        .ok_or_else(|| missing("Attribute"))?
        .to_string();
    let img = lookup(p, region, ctx.state)?;
    dry_run(p)?;
    let value = |v: Option<&str>, tag: &str| match v {
        Some(v) => format!("<{tag}><value>{}</value></{tag}>", x(v)),
        None => format!("<{tag}/>"),
    };
    let body = match attr.as_str() {
        "description" => value(img.description.as_deref(), "description"),
        "imdsSupport" => value(img.attr("imdsSupport"), "imdsSupport"),
        "bootMode" => value(Some("uefi-preferred"), "bootMode"),
        "launchPermission" => {
            let mut s = String::from("<launchPermission>");
            if img.public {
                s.push_str("<item><group>all</group></item>");
            }
            for u in &img.launch_users {
                let _ = write!(s, "<item><userId>{u}</userId></item>");
            }
            s.push_str("</launchPermission>");
            s
        }
        other => {
            return Err(e(
                400,
                "InvalidParameterValue",
                format!(
                    "Value ({other}) for parameter attribute is invalid. Supported here: description, launchPermission, imdsSupport, bootMode."
                ),
            ));
        }
    };
    Ok(format!("<imageId>{}</imageId>{body}", img.id))
}

fn import_image(p: &[(String, String)], region: &str, ctx: &mut Ctx) -> R {
    if let Some(tok) = get(p, "ClientToken")
        && let Some(t) = ctx
            .state
            .tasks
            .iter()
            .find(|t| t.client_token.as_deref() == Some(tok))
    {
        return Ok(task_xml(t, "active", "pending", Some(2)));
    }
    let mut disks = Vec::new();
    for (n, g) in indexed(p, "DiskContainer").into_iter().enumerate() {
        let f = |k: &str| g.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
        let (bucket, key) = match (f("UserBucket.S3Bucket"), f("UserBucket.S3Key"), f("Url")) {
            (Some(b), Some(k), _) => (b, k),
            (_, _, Some(u)) => match u.strip_prefix("s3://").and_then(|r| r.split_once('/')) {
                Some((b, k)) => (b.to_string(), k.to_string()),
                None => {
                    return Err(e(
                        400,
                        "InvalidParameter",
                        format!("DiskContainer.{}.Url must be s3://BUCKET/KEY", n + 1),
                    ));
                }
            },
            _ => return Err(missing(&format!("DiskContainer.{}.UserBucket", n + 1))),
        };
        let format = f("Format").unwrap_or_default().to_ascii_uppercase();
        if !["OVA", "VHD", "VHDX", "VMDK", "RAW", ""].contains(&format.as_str()) {
            return Err(e(
                400,
                "InvalidParameterValue",
                format!("Invalid disk format {format}"),
            ));
        }
        if !ctx.state.has_object("s3", &bucket, &key) {
            return Err(e(
                400,
                "InvalidParameter",
                format!("The specified S3 object s3://{bucket}/{key} does not exist."),
            ));
        }
        disks.push((format, bucket, key, f("Description").unwrap_or_default()));
    }
    if disks.is_empty() {
        return Err(missing("DiskContainer"));
    }
    for (k, allowed) in [
        ("Platform", &["Windows", "Linux"][..]),
        ("Architecture", &["i386", "x86_64", "arm64"][..]),
        ("LicenseType", &["AWS", "BYOL"][..]),
        ("BootMode", &["legacy-bios", "uefi"][..]),
    ] {
        if let Some(v) = get(p, k)
            && !allowed.contains(&v)
        {
            return Err(e(
                400,
                "InvalidParameterValue",
                format!("Value ({v}) for parameter {k} is invalid."),
            ));
        }
    }
    let tags = tags_for(p, &["import-image-task"])?;
    dry_run(p)?;
    let mut life = Lifecycle::new(EC2_TASK_PHASES);
    if ctx.fail {
        life = life.failing("deleted");
    }
    let mut attrs = std::collections::BTreeMap::new();
    for k in [
        "Architecture",
        "Platform",
        "LicenseType",
        "BootMode",
        "RoleName",
    ] {
        if let Some(v) = get(p, k) {
            attrs.insert(k.to_string(), v.to_string());
        }
    }
    let t = ImportTask {
        id: format!("import-ami-{}", hex_id(17)),
        life,
        image_id: None,
        region: region.to_string(),
        description: get(p, "Description").map(str::to_string),
        attrs,
        disks,
        tags,
        client_token: get(p, "ClientToken").map(str::to_string),
    };
    let out = task_xml(&t, "active", "pending", Some(2));
    ctx.state.tasks.push(t);
    Ok(out)
}

fn task_xml(t: &ImportTask, status: &str, message: &str, progress: Option<u32>) -> String {
    let mut s = format!(
        "<importTaskId>{}</importTaskId><status>{status}</status>",
        t.id
    );
    if !message.is_empty() {
        let _ = write!(s, "<statusMessage>{}</statusMessage>", x(message));
    }
    if let Some(pr) = progress {
        let _ = write!(s, "<progress>{pr}</progress>");
    }
    if let Some(i) = &t.image_id {
        let _ = write!(s, "<imageId>{i}</imageId>");
    }
    if let Some(d) = &t.description {
        let _ = write!(s, "<description>{}</description>", x(d));
    }
    for (k, tag) in [
        ("Architecture", "architecture"),
        ("Platform", "platform"),
        ("LicenseType", "licenseType"),
        ("BootMode", "bootMode"),
    ] {
        if let Some(v) = t.attrs.get(k) {
            let _ = write!(s, "<{tag}>{}</{tag}>", x(v));
        }
    }
    s.push_str("<snapshotDetailSet>");
    for (format, b, k, d) in &t.disks {
        let _ = write!(
            s,
            "<item><diskImageSize>0.0</diskImageSize><format>{}</format><status>{status}</status><description>{}</description><userBucket><s3Bucket>{}</s3Bucket><s3Key>{}</s3Key></userBucket></item>",
            x(format),
            x(d),
            x(b),
            x(k)
        );
    }
    s.push_str("</snapshotDetailSet>");
    s.push_str(&tag_set(&t.tags));
    s
}

fn describe_tasks(p: &[(String, String)], region: &str, ctx: &mut Ctx) -> R {
    let ids = list(p, "ImportTaskId");
    for id in &ids {
        if !ctx.state.tasks.iter().any(|t| &t.id == id) {
            return Err(e(
                400,
                "InvalidConversionTaskId.Malformed",
                format!("The import task ID '{id}' does not exist"),
            ));
        }
    }
    let wanted: Vec<String> = indexed(p, "Filters")
        .into_iter()
        .filter(|g| g.iter().any(|(k, v)| k == "Name" && v == "task-state"))
        .flat_map(|g| {
            g.into_iter()
                .filter(|(k, _)| k.starts_with("Value."))
                .map(|(_, v)| v)
        })
        .collect();
    let speed = ctx.speed;
    let mut out = String::from("<importImageTaskSet>");
    let mut new_images = Vec::new();
    for t in ctx
        .state
        .tasks
        .iter_mut()
        .filter(|t| t.region == region && (ids.is_empty() || ids.contains(&t.id)))
    {
        let status = t.life.status(speed);
        let (message, progress) = match (status, t.life.progress(speed)) {
            ("completed", _) => ("", None),
            ("deleted", _) => (
                "ClientError: Disk validation failed [Unsupported specified file format]",
                None,
            ),
            (_, 0) => ("pending", Some(2)),
            (_, pr) => ("converting", Some(pr.max(2))),
        };
        if status == "completed" && t.image_id.is_none() {
            let img = Image::new(
                Provider::Ec2,
                State::new_id(Provider::Ec2),
                t.id.clone(),
                &t.region,
                Lifecycle::finished(EC2_PHASES),
            );
            t.image_id = Some(img.id.clone());
            new_images.push(img);
        }
        t.life.observe();
        if !wanted.is_empty() && !wanted.iter().any(|w| w == status) {
            continue;
        }
        out.push_str("<item>");
        out.push_str(&task_xml(t, status, message, progress));
        out.push_str("</item>");
    }
    ctx.state.images.extend(new_images);
    out.push_str("</importImageTaskSet>");
    Ok(out)
}

/// The snapshots of an AMI: one per block device, named after the AMI.
fn snapshots_of(i: &Image) -> Vec<String> {
    vec![format!("snap-{}", &i.id[4.min(i.id.len())..])]
}

fn deregister(p: &[(String, String)], region: &str, ctx: &mut Ctx) -> R {
    let img = lookup(p, region, ctx.state)?;
    dry_run(p)?;
    img.status_override = Some("deregistered".into());
    let snaps = snapshots_of(img);
    let mut out = String::from("<return>true</return>");
    // DeleteAssociatedSnapshots: snapshots no other registered AMI uses go too.
    if truthy(get(p, "DeleteAssociatedSnapshots")) {
        out.push_str("<deleteSnapshotResultSet>");
        for s in snaps {
            let code = if ctx.state.deleted_snapshots.insert(s.clone()) {
                "success"
            } else {
                "skipped"
            };
            let _ = write!(
                out,
                "<item><snapshotId>{s}</snapshotId><returnCode>{code}</returnCode></item>"
            );
        }
        out.push_str("</deleteSnapshotResultSet>");
    }
    Ok(out)
}

/// Which AMI a live snapshot belongs to, and whether that AMI is registered.
fn snapshot_owner(st: &State, region: &str, id: &str) -> Option<(String, bool)> {
    if st.deleted_snapshots.contains(id) {
        return None;
    }
    st.images
        .iter()
        .filter(|i| i.provider == Provider::Ec2 && i.region == region)
        .find(|i| snapshots_of(i).iter().any(|s| s == id))
        .map(|i| {
            (
                i.id.clone(),
                i.status_override.as_deref() != Some("deregistered"),
            )
        })
}

fn snapshot_not_found(id: &str) -> ApiErr {
    e(
        400,
        "InvalidSnapshot.NotFound",
        format!("The snapshot '{id}' does not exist."),
    )
}

fn delete_snapshot(p: &[(String, String)], region: &str, ctx: &mut Ctx) -> R {
    let id = get(p, "SnapshotId").ok_or_else(|| missing("SnapshotId"))?;
    let (ami, registered) =
        snapshot_owner(ctx.state, region, id).ok_or_else(|| snapshot_not_found(id))?;
    if registered {
        return Err(e(
            400,
            "InvalidSnapshot.InUse",
            format!("The snapshot {id} is currently in use by {ami}"),
        ));
    }
    dry_run(p)?;
    ctx.state.deleted_snapshots.insert(id.to_string());
    Ok("<return>true</return>".into())
}

fn describe_snapshots(p: &[(String, String)], region: &str, ctx: &mut Ctx) -> R {
    let ids = list(p, "SnapshotId");
    let mut out = String::from("<snapshotSet>");
    for id in &ids {
        let (ami, _) =
            snapshot_owner(ctx.state, region, id).ok_or_else(|| snapshot_not_found(id))?;
        let _ = write!(
            out,
            "<item><snapshotId>{id}</snapshotId><volumeSize>8</volumeSize><status>completed</status>\
             <ownerId>{EC2_OWNER_ID}</ownerId><description>Created by CreateImage for {ami}</description></item>"
        );
    }
    out.push_str("</snapshotSet>");
    Ok(out)
}

/// CopyImage: the destination is the region the request was signed for;
/// the source must exist in SourceRegion. A ClientToken seen before with the
/// same parameters returns the same copy.
fn copy_image(p: &[(String, String)], region: &str, ctx: &mut Ctx) -> R {
    let src_region = get(p, "SourceRegion").ok_or_else(|| missing("SourceRegion"))?;
    let src_id = get(p, "SourceImageId").ok_or_else(|| missing("SourceImageId"))?;
    let name = get(p, "Name").ok_or_else(|| missing("Name"))?;
    let token = get(p, "ClientToken").map(|t| format!("ec2:{region}:{t}"));
    let fp = format!(
        "{src_region}/{src_id}/{name}/{}",
        get(p, "Description").unwrap_or("")
    );
    if let Some(t) = &token
        && let Some((seen, id)) = ctx.state.client_tokens.get(t)
    {
        if *seen != fp {
            return Err(e(
                400,
                "IdempotentParameterMismatch",
                "The client token has already been used with different parameters.",
            ));
        }
        return Ok(format!("<imageId>{id}</imageId>"));
    }
    let speed = ctx.speed;
    let src = lookup(
        &[("ImageId".to_string(), src_id.to_string())],
        src_region,
        ctx.state,
    )?;
    if src.life.status(speed) != "available" {
        return Err(e(
            400,
            "IncorrectState",
            format!("Image {src_id} is not in the available state."),
        ));
    }
    let (arch, disks) = (
        src.attr("architecture").unwrap_or("x86_64").to_string(),
        src.disks.clone(),
    );
    check_name(name, region, ctx.state, None)?;
    if let Some(d) = get(p, "Description")
        && !rules::description_ok(Provider::Ec2, d)
    {
        return Err(e(
            400,
            "InvalidParameterValue",
            "The description is too long (maximum 255 characters).",
        ));
    }
    dry_run(p)?;
    let mut life = Lifecycle::new(EC2_PHASES);
    if ctx.fail {
        life = life.failing("failed");
    }
    let mut img = Image::new(
        Provider::Ec2,
        State::new_id(Provider::Ec2),
        name.into(),
        region,
        life,
    );
    img.description = get(p, "Description").map(str::to_string);
    img.set("architecture", arch);
    img.disks = disks;
    img.copied_from = Some(src_id.to_string());
    let id = img.id.clone();
    ctx.state.images.push(img);
    if let Some(t) = token {
        ctx.state.client_tokens.insert(t, (fp, id.clone()));
    }
    Ok(format!("<imageId>{id}</imageId>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sigv4_authorization() {
        let a = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc",
        )
        .unwrap();
        assert_eq!(
            (a.access_key_id, a.region, a.service),
            ("AKIDEXAMPLE", "us-east-1", "ec2")
        );
        assert_eq!(a.signed_headers, "content-type;host;x-amz-date");
        assert!(parse_authorization("AWS4-HMAC-SHA256 Credential=a/b/c, Signature=x").is_none());
    }
}
