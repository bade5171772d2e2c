//! Huawei Cloud IAM (password tokens, project list) and IMS (create and
//! quick-import jobs, job status, image list, PATCH), authenticated by an
//! SDK-HMAC-SHA256 signature or an X-Auth-Token this emulator issued.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::rules;
use crate::provider::Provider;
use crate::sign::huawei as sig;

use super::state::{
    HW_DOMAIN_ID, HW_USER_ID, IMS_JOB_PHASES, Image, Job, Lifecycle, State, Token, hw_project_id,
    hw_region_of, known_hw_region,
};
use super::wire::{Req, Resp, hex_id, now_iso, uuid};
use super::{Ctx, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_USER, now_unix, secret_for};

const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// Who is calling: the project of the token, or the X-Project-Id of a
/// signed request.
#[derive(Debug, Clone, Default)]
pub struct HwAuth {
    pub project_id: Option<String>,
}

fn segments(path: &str) -> Vec<&str> {
    path.trim_matches('/').split('/').collect()
}

pub fn operation(req: &Req) -> String {
    let s = segments(&req.path);
    let op = match (req.method.as_str(), s.as_slice()) {
        ("POST", ["v3", "auth", "tokens"]) => "KeystoneCreateUserTokenByPassword",
        ("GET", ["v3", "projects"]) => "KeystoneListProjects",
        ("POST", ["v2" | "v2.1", "cloudimages", "action"]) => "CreateImage",
        ("POST", ["v2" | "v2.1", "cloudimages", "quickimport", "action"]) => "ImportImageQuick",
        ("GET", ["v1", _, "jobs", _]) => "ShowJob",
        ("GET", ["v1", "cloudimages", "job", _]) => "ShowJobProgress",
        ("GET", ["v2", "cloudimages"]) => "ListImages",
        ("PATCH", ["v2", "cloudimages", _]) => "UpdateImage",
        ("DELETE", ["v2", "images", _]) => "GlanceDeleteImage",
        ("POST", ["v1", "cloudimages", _, "cross_region_copy"]) => "CopyImageCrossRegion",
        _ => "Unknown",
    };
    op.to_string()
}

fn request_id() -> String {
    hex_id(32)
}

pub fn apigw(status: u16, code: &str, msg: &str) -> Resp {
    let rid = request_id();
    Resp::json(
        status,
        &json!({"error_code": code, "error_msg": msg, "request_id": rid}),
    )
    .with_header("X-Request-Id", rid)
}

fn iam_error(status: u16, title: &str, msg: &str) -> Resp {
    Resp::json(
        status,
        &json!({"error": {"code": status, "message": msg, "title": title}}),
    )
    .with_header("X-Request-Id", request_id())
}

fn ims_error(status: u16, code: &str, msg: &str) -> Resp {
    Resp::json(status, &json!({"error": {"code": code, "message": msg}}))
        .with_header("X-Request-Id", request_id())
}

pub fn server_error(status: u16) -> Resp {
    if status == 503 {
        apigw(503, "APIGW.0202", "Backend unavailable")
    } else {
        ims_error(500, "IMG.0999", "System error. Contact technical support.")
    }
}

pub fn throttled(retry_after_ms: u64) -> Resp {
    apigw(
        429,
        "APIGW.0308",
        "The throttling threshold has been reached: policy user over ratelimit",
    )
    .with_header(
        "Retry-After",
        retry_after_ms.div_ceil(1000).max(1).to_string(),
    )
}

fn unauthorized(detail: &str) -> Resp {
    apigw(
        401,
        "APIGW.0301",
        &format!("Incorrect IAM authentication information: {detail}"),
    )
}

pub fn authenticate(is_iam: bool, op: &str, req: &Req, st: &State) -> Result<HwAuth, Resp> {
    // The token request itself needs no authentication (the SDK still
    // signs it; that signature is not checked, as IAM does not).
    if is_iam && op == "KeystoneCreateUserTokenByPassword" {
        return Ok(HwAuth::default());
    }
    if let Some(tok) = req.header("x-auth-token") {
        return match st.tokens.get(tok) {
            Some(t) if t.expires > Instant::now() => Ok(HwAuth {
                project_id: Some(t.project_id.clone()),
            }),
            Some(_) => Err(unauthorized("token expired")),
            None => Err(unauthorized("decrypt token fail")),
        };
    }
    if req.header("authorization").is_none() {
        return Err(unauthorized("x-auth-token not found"));
    }
    match sig::verify(
        &req.method,
        &req.path,
        &req.query(),
        &req.headers,
        &req.body,
        secret_for,
    ) {
        Ok(_) => {}
        Err(sig::VerifyError::UnknownAccessKey(_)) => return Err(unauthorized("ak not exist")),
        Err(_) => return Err(unauthorized("verify aksk signature fail")),
    }
    if !sig::check_skew(req.header("x-sdk-date").unwrap_or(""), now_unix()) {
        return Err(unauthorized("signature expired"));
    }
    Ok(HwAuth {
        project_id: req.header("x-project-id").map(str::to_string),
    })
}

// ---------------------------------------------------------------- IAM

pub fn handle_iam(op: &str, req: &Req, ctx: &mut Ctx) -> Resp {
    match op {
        "KeystoneCreateUserTokenByPassword" => create_token(req, ctx),
        "KeystoneListProjects" => {
            let name = req
                .query()
                .into_iter()
                .find(|(k, _)| k == "name")
                .map(|(_, v)| v);
            let base = format!("http://{}/v3/projects", ctx.host);
            let projects: Vec<Value> = super::state::KNOWN_HW_REGIONS
                .iter()
                .filter(|r| name.as_deref().is_none_or(|n| n == **r))
                .map(|r| {
                    let id = hw_project_id(r);
                    json!({"id": id, "name": r, "domain_id": HW_DOMAIN_ID, "enabled": true,
                           "is_domain": false, "parent_id": HW_DOMAIN_ID, "description": "",
                           "links": {"self": format!("{base}/{id}")}})
                })
                .collect();
            Resp::json(
                200,
                &json!({"projects": projects, "links": {"self": base, "previous": null, "next": null}}),
            )
            .with_header("X-Request-Id", request_id())
        }
        _ => iam_error(404, "Not Found", "The resource could not be found."),
    }
}

fn create_token(req: &Req, ctx: &mut Ctx) -> Resp {
    let bad = || iam_error(400, "Bad Request", "The request body is invalid");
    let Ok(v) = serde_json::from_slice::<Value>(&req.body) else {
        return bad();
    };
    let id = &v["auth"]["identity"];
    let methods_ok = id["methods"]
        .as_array()
        .is_some_and(|m| m.iter().any(|x| x == "password"));
    let user = &id["password"]["user"];
    let (Some(name), Some(pw), Some(domain)) = (
        user["name"].as_str(),
        user["password"].as_str(),
        user["domain"]["name"].as_str(),
    ) else {
        return bad();
    };
    if !methods_ok {
        return bad();
    }
    if name != DEMO_USER || pw != DEMO_PASSWORD || domain != DEMO_DOMAIN {
        return iam_error(401, "Unauthorized", "The username or password is wrong.");
    }
    let scope = &v["auth"]["scope"]["project"];
    let region = match (scope["name"].as_str(), scope["id"].as_str()) {
        (Some(n), _) if known_hw_region(n) => n.to_string(),
        (None, Some(i)) => match hw_region_of(i) {
            Some(r) => r,
            None => return iam_error(404, "Not Found", &format!("Could not find project: {i}.")),
        },
        (Some(n), _) => {
            return iam_error(404, "Not Found", &format!("Could not find project: {n}."));
        }
        (None, None) => {
            return iam_error(
                400,
                "Bad Request",
                "imgctl emulator issues project-scoped tokens only: give auth.scope.project",
            );
        }
    };
    let project_id = hw_project_id(&region);
    let token = format!("MIIEmulatorToken{}", hex_id(96));
    ctx.state.tokens.insert(
        token.clone(),
        Token {
            project_id: project_id.clone(),
            region: region.clone(),
            expires: Instant::now() + TOKEN_LIFETIME,
        },
    );
    let now = super::now();
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    let issued = now.format(fmt).unwrap_or_default();
    let expires = (now + TOKEN_LIFETIME).format(fmt).unwrap_or_default();
    let domain_obj = json!({"id": HW_DOMAIN_ID, "name": DEMO_DOMAIN});
    Resp::json(
        201,
        &json!({"token": {
            "catalog": [],
            "expires_at": expires,
            "issued_at": issued,
            "methods": ["password"],
            "project": {"domain": domain_obj, "id": project_id, "name": region},
            "roles": [{"id": "0", "name": "op_fine_grained"}],
            "user": {"domain": domain_obj, "id": HW_USER_ID, "name": DEMO_USER, "password_expires_at": ""}
        }}),
    )
    .with_header("X-Subject-Token", token)
    .with_header("X-Request-Id", request_id())
}

// ---------------------------------------------------------------- IMS

struct ImsErr(u16, &'static str, String);

fn ie(code: &'static str, msg: impl Into<String>) -> ImsErr {
    ImsErr(400, code, msg.into())
}

pub fn handle_ims(op: &str, req: &Req, auth: Option<&HwAuth>, ctx: &mut Ctx) -> Resp {
    let Some(project) = auth.and_then(|a| a.project_id.clone()) else {
        return unauthorized(
            "project id not found: send X-Project-Id or use a project-scoped token",
        );
    };
    let Some(region) = hw_region_of(&project) else {
        return unauthorized(&format!("project {project} is not valid"));
    };
    let s = segments(&req.path);
    let r = match op {
        "CreateImage" => create_image(req, &project, &region, ctx, false),
        "ImportImageQuick" => create_image(req, &project, &region, ctx, true),
        "ShowJob" if s.get(1) != Some(&project.as_str()) => Err(ImsErr(
            403,
            "IMS.0002",
            "The project id in the path does not match the caller's project.".into(),
        )),
        "ShowJob" | "ShowJobProgress" => show_job(s.last().copied().unwrap_or(""), &project, ctx),
        "ListImages" => list_images(req, &region, ctx),
        "UpdateImage" => update_image(req, s.last().copied().unwrap_or(""), &region, ctx),
        "GlanceDeleteImage" => delete_image(req, s.last().copied().unwrap_or(""), &region, ctx),
        "CopyImageCrossRegion" => {
            copy_cross_region(req, s.get(2).copied().unwrap_or(""), &project, &region, ctx)
        }
        _ => {
            return apigw(
                404,
                "APIGW.0101",
                "The API does not exist or has not been published in the environment",
            );
        }
    };
    match r {
        Ok((status, v)) if v.is_null() => {
            Resp::empty(status).with_header("X-Request-Id", request_id())
        }
        Ok((status, v)) => Resp::json(status, &v).with_header("X-Request-Id", request_id()),
        Err(ImsErr(status, code, msg)) => ims_error(status, code, &msg),
    }
}

type R = Result<(u16, Value), ImsErr>;

fn check_name(name: &str, region: &str, st: &State) -> Result<(), ImsErr> {
    if name.is_empty() {
        return Err(ie("IMG.0013", "The image name is empty."));
    }
    if name.chars().count() > 128 {
        return Err(ie("IMG.0002", "The image name exceeds 128 characters."));
    }
    if !rules::name_ok(Provider::Ims, name) {
        return Err(ie("IMG.0003", "The image name format is invalid."));
    }
    if st.name_taken(Provider::Ims, region, name).is_some() {
        return Err(ie("IMG.0009", "The image name already exists."));
    }
    Ok(())
}

fn obs_object(url: &str, st: &State) -> Result<(), ImsErr> {
    let ok = url
        .split_once(':')
        .is_some_and(|(b, o)| st.has_object("obs", b, o));
    if ok {
        Ok(())
    } else {
        Err(ie(
            "IMG.0057",
            format!("The OBS file {url} does not exist, is empty or has an invalid format."),
        ))
    }
}

fn tags_of(body: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = body["image_tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| {
            Some((
                t["key"].as_str()?.to_string(),
                t["value"].as_str().unwrap_or("").to_string(),
            ))
        })
        .collect();
    out.extend(
        body["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| {
                let s = t.as_str()?;
                let (k, v) = s.split_once('.').unwrap_or((s, ""));
                Some((k.to_string(), v.to_string()))
            }),
    );
    out
}

fn int_attr(body: &Value, k: &str) -> Option<i64> {
    body[k]
        .as_i64()
        .or_else(|| body[k].as_str().and_then(|s| s.parse().ok()))
}

fn create_image(req: &Req, project: &str, region: &str, ctx: &mut Ctx, quick: bool) -> R {
    if req.body.is_empty() {
        return Err(ie("IMG.0007", "The request body is empty."));
    }
    let body: Value = serde_json::from_slice(&req.body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| ie("IMG.0001", "The request body format is invalid."))?;
    let name = body["name"].as_str().unwrap_or("");
    let description = body["description"].as_str();
    if let Some(d) = description
        && !rules::description_ok(Provider::Ims, d)
    {
        return Err(ie("IMG.0004", "The image description is invalid."));
    }
    if !rules::tags_ok(Provider::Ims, &tags_of(&body)) {
        // No IMS code for a malformed tag is documented; ours, marked in docs/emulator.md.
        return Err(ie("IMG.0001", "The image tag format is invalid."));
    }
    let instance = body["instance_id"].as_str();
    let url = body["image_url"].as_str();
    let volume = body["volume_id"].as_str();
    let data_images: Vec<&Value> = body["data_images"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    // The system image, then one image per data disk.
    let mut names: Vec<(String, Option<String>)> = Vec::new();
    let (job_type, origin) = if quick {
        let url = url.ok_or_else(|| ie("IMG.0001", "image_url is required."))?;
        let lower = url.to_ascii_lowercase();
        if !(lower.ends_with(".zvhd2") || lower.ends_with(".raw")) {
            return Err(ie(
                "IMG.0158",
                "Quick import supports only ZVHD2 and RAW image files.",
            ));
        }
        if body["os_version"].as_str().is_none() && body["type"].as_str() != Some("DataImage") {
            return Err(ie("IMG.0159", "os_version is required for a quick import."));
        }
        obs_object(url, ctx.state)?;
        ("importImageByFile", format!("file,{url}"))
    } else if let Some(i) = instance {
        if !ctx.state.has_instance(Provider::Ims, i) {
            return Err(ie("IMG.0005", format!("The ECS {i} does not exist.")));
        }
        ("createImageByInstance", format!("instance,{i}"))
    } else if let Some(u) = url {
        obs_object(u, ctx.state)?;
        ("createImageByFile", format!("file,{u}"))
    } else if let Some(v) = volume {
        if body["os_version"].as_str().is_none() {
            return Err(ie(
                "IMG.0001",
                "os_version is required to create an image from a volume.",
            ));
        }
        ("createImageByVolume", format!("volume,{v}"))
    } else if !data_images.is_empty() {
        ("createDataImageByInstance", "instance,".to_string())
    } else {
        return Err(ie(
            "IMG.0001",
            "One of instance_id, image_url or volume_id is required.",
        ));
    };
    if url.is_some() {
        match int_attr(&body, "min_disk") {
            Some(d) if (if quick { 1 } else { 40 }..=1024).contains(&d) => {}
            Some(_) => return Err(ie("IMG.0055", "min_disk is out of range.")),
            None => {
                return Err(ie(
                    "IMG.0001",
                    "min_disk is required for an import from OBS.",
                ));
            }
        }
    }
    if instance.is_some() || url.is_some() || volume.is_some() {
        check_name(name, region, ctx.state)?;
        names.push((name.to_string(), description.map(str::to_string)));
    }
    for d in &data_images {
        let n = d["name"].as_str().unwrap_or("");
        check_name(n, region, ctx.state)?;
        if let Some(u) = d["image_url"].as_str() {
            obs_object(u, ctx.state)?;
        }
        names.push((n.to_string(), d["description"].as_str().map(str::to_string)));
    }
    let job_id = format!("ff8080{}", hex_id(26));
    let mut life = Lifecycle::new(IMS_JOB_PHASES);
    if ctx.fail {
        life = life.failing("FAIL");
    }
    let mut ids = Vec::new();
    for (n, (name, desc)) in names.into_iter().enumerate() {
        let mut img = Image::new(
            Provider::Ims,
            uuid(),
            name,
            region,
            Lifecycle::new(IMS_JOB_PHASES),
        );
        img.job_id = Some(job_id.clone());
        img.instance_id = instance.map(str::to_string);
        img.tags = tags_of(&body);
        img.set(
            "min_ram",
            int_attr(&body, "min_ram").unwrap_or(0).to_string(),
        );
        img.set(
            "min_disk",
            int_attr(&body, "min_disk").unwrap_or(40).to_string(),
        );
        img.set("__data_origin", origin.clone());
        if let Some(m) = int_attr(&body, "max_ram") {
            img.set("max_ram", m.to_string());
        }
        if let Some(d) = desc {
            img.set("__description", d.clone());
            img.description = Some(d);
        }
        for (k, attr) in [
            ("os_version", "__os_version"),
            ("os_type", "__os_type"),
            ("hw_firmware_type", "hw_firmware_type"),
            ("enterprise_project_id", "enterprise_project_id"),
            ("architecture", "architecture"),
        ] {
            if let Some(v) = body[k].as_str() {
                img.set(attr, v);
            }
        }
        if n > 0 {
            img.set("virtual_env_type", "DataImage");
        }
        ids.push(img.id.clone());
        ctx.state.images.push(img);
    }
    ctx.state.jobs.push(Job {
        id: job_id.clone(),
        job_type,
        project_id: project.to_string(),
        life,
        image_ids: ids,
        begin_time: now_iso(),
    });
    Ok((200, json!({"job_id": job_id})))
}

fn job_not_found(id: &str) -> ImsErr {
    ImsErr(404, "IMS.0003", format!("The job {id} does not exist."))
}

fn show_job(id: &str, project: &str, ctx: &mut Ctx) -> R {
    let speed = ctx.speed;
    let job = ctx
        .state
        .jobs
        .iter_mut()
        .find(|j| j.id == id && j.project_id == project)
        .ok_or_else(|| job_not_found(id))?;
    let status = job.life.status(speed);
    let progress = job.life.progress(speed);
    job.life.observe();
    let job = job.clone();
    let first = job
        .image_ids
        .first()
        .and_then(|i| ctx.state.image(Provider::Ims, i));
    let mut entities = json!({
        "current_task": if status == "SUCCESS" { "" } else { "CreateImageTask" },
        "process_percent": progress as f64 / 100.0,
    });
    if status != "INIT"
        && let Some(img) = first
    {
        entities["image_id"] = json!(img.id);
        entities["image_name"] = json!(img.name);
    }
    if job.image_ids.len() > 1 && status == "SUCCESS" {
        entities["results"] = json!(
            job.image_ids
                .iter()
                .map(|i| json!({"image_id": i, "project_id": project, "status": "success"}))
                .collect::<Vec<_>>()
        );
    }
    let failed = status == "FAIL";
    Ok((
        200,
        json!({
            "status": status,
            "entities": entities,
            "job_id": job.id,
            "job_type": job.job_type,
            "begin_time": job.begin_time,
            "end_time": if matches!(status, "SUCCESS" | "FAIL") { now_iso() } else { String::new() },
            "error_code": if failed { json!("IMG.0010") } else { Value::Null },
            "fail_reason": if failed { json!("The image could not be created (fault injected by the emulator).") } else { Value::Null },
        }),
    ))
}

/// An IMS image follows its job: saving while it runs, active on success.
fn ims_status(img: &Image, st: &State, speed: Duration) -> &'static str {
    match img.job_id.as_deref().and_then(|j| st.job(j)) {
        Some(j) => match j.life.status(speed) {
            "SUCCESS" => "active",
            "FAIL" => "killed",
            _ => "saving",
        },
        None => "active",
    }
}

fn image_json(img: &Image, status: &str, project: &str) -> Value {
    let mut v = json!({
        "id": img.id,
        "name": img.name,
        "status": status,
        "visibility": "private",
        "__imagetype": "private",
        "protected": false,
        "container_format": "bare",
        "disk_format": "zvhd2",
        "owner": project,
        "created_at": img.created_at,
        "updated_at": img.created_at,
        "__image_size": "0",
        "__isregistered": "true",
        "__os_bit": "64",
        "__platform": "Ubuntu",
        "__os_type": "Linux",
        "virtual_env_type": "FusionCompute",
        "enterprise_project_id": "0",
        "hw_firmware_type": "bios",
        "file": format!("/v2/images/{}/file", img.id),
        "self": format!("/v2/images/{}", img.id),
        "schema": "/v2/schemas/image",
        "tags": img.tags.iter().map(|(k, v)| format!("{k}.{v}")).collect::<Vec<_>>(),
    });
    for (k, val) in &img.attrs {
        v[k] = match k.as_str() {
            // min_disk and min_ram are integers; max_ram comes back a string.
            "min_disk" | "min_ram" => val
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| json!(val)),
            _ => json!(val),
        };
    }
    if status == "active" {
        v["active_at"] = json!(img.created_at);
    }
    v
}

fn list_images(req: &Req, region: &str, ctx: &mut Ctx) -> R {
    let q = req.query();
    let f = |k: &str| q.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
    let (id, name, status, owner) = (f("id"), f("name"), f("status"), f("owner"));
    if f("__imagetype")
        .is_some_and(|t| !["gold", "private", "shared", "market"].contains(&t.as_str()))
    {
        return Err(ie("IMG.0024", "The imagetype is invalid."));
    }
    let ours = f("__imagetype").is_none_or(|t| t == "private");
    let limit = f("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(500);
    let marker = f("marker");
    let speed = ctx.speed;
    let project = hw_project_id(region);
    // owner=<project>: that project's own images (another's: none visible).
    let ours = ours && owner.as_ref().is_none_or(|o| *o == project);
    let mut out = Vec::new();
    let mut observed_jobs = Vec::new();
    let mut past_marker = marker.is_none();
    for img in ctx.state.images.iter().filter(|i| {
        ours && i.provider == Provider::Ims
            && i.region == region
            && id.as_ref().is_none_or(|x| &i.id == x)
            && name.as_ref().is_none_or(|x| &i.name == x)
    }) {
        let st = ims_status(img, ctx.state, speed);
        if let Some(j) = &img.job_id {
            observed_jobs.push(j.clone());
        }
        if status.as_ref().is_some_and(|s| s != st) {
            continue;
        }
        if !past_marker {
            past_marker = marker.as_deref() == Some(img.id.as_str());
            continue;
        }
        if out.len() < limit {
            out.push(image_json(img, st, &project));
        }
    }
    observed_jobs.dedup();
    for j in observed_jobs {
        if let Some(job) = ctx.state.jobs.iter_mut().find(|x| x.id == j) {
            job.life.observe();
        }
    }
    Ok((200, json!({"images": out})))
}

const PATCHABLE: &[&str] = &[
    "name",
    "__description",
    "min_ram",
    "max_ram",
    "hw_firmware_type",
    "__is_config_init",
    "enterprise_project_id",
    "hw_vif_multiqueue_enabled",
    "__support_kvm",
    "__support_xen",
    "__support_diskintensive",
    "__support_highperformance",
    "__support_xen_gpu_type",
    "__support_kvm_gpu_type",
];

fn update_image(req: &Req, id: &str, region: &str, ctx: &mut Ctx) -> R {
    let speed = ctx.speed;
    let img = ctx
        .state
        .images
        .iter()
        .find(|i| i.provider == Provider::Ims && i.id == id && i.region == region)
        .ok_or_else(|| ImsErr(404, "IMG.0027", format!("The image {id} does not exist.")))?;
    if ims_status(img, ctx.state, speed) != "active" {
        return Err(ie(
            "IMG.0046",
            "The image is not in the active state and cannot be modified.",
        ));
    }
    let ops_v: Vec<Value> = serde_json::from_slice::<Value>(&req.body)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .ok_or_else(|| {
            ie(
                "IMG.0001",
                "The request body must be a JSON array of patch operations.",
            )
        })?;
    let mut img = img.clone();
    for o in &ops_v {
        let (Some(op), Some(path)) = (o["op"].as_str(), o["path"].as_str()) else {
            return Err(ie("IMG.0001", "Each operation needs op and path."));
        };
        let attr = path.trim_start_matches('/');
        let value = match &o["value"] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        if !PATCHABLE.contains(&attr) {
            return Err(ie(
                "IMG.0001",
                format!("The attribute {attr} cannot be modified."),
            ));
        }
        let present = attr == "name" || img.attrs.contains_key(attr);
        match op {
            "replace" if !present => {
                return Err(ie(
                    "IMG.0035",
                    format!("The image has no attribute {attr} to replace; use op add."),
                ));
            }
            "replace" | "add" if attr == "name" => {
                if value != img.name {
                    check_name(&value, region, ctx.state)?;
                }
                img.name = value;
            }
            "replace" | "add" => {
                if attr == "__description" {
                    if !rules::description_ok(Provider::Ims, &value) {
                        return Err(ie("IMG.0004", "The image description is invalid."));
                    }
                    img.description = Some(value.clone());
                }
                img.set(attr, value);
            }
            "remove" if attr == "name" => {
                return Err(ie("IMG.0001", "The image name cannot be removed."));
            }
            "remove" => {
                img.attrs.remove(attr);
            }
            _ => return Err(ie("IMG.0001", format!("Unknown patch op {op}."))),
        }
    }
    let st = ims_status(&img, ctx.state, speed);
    let v = image_json(&img, st, &hw_project_id(region));
    if let Some(slot) = ctx.state.image_mut(Provider::Ims, id) {
        *slot = img;
    }
    Ok((200, v))
}

fn delete_image(req: &Req, id: &str, region: &str, ctx: &mut Ctx) -> R {
    // The optional body is {"delete_backup": bool} and nothing else.
    if !req.body.is_empty() {
        let ok = serde_json::from_slice::<Value>(&req.body).is_ok_and(|b| {
            b.as_object().is_some_and(|o| {
                o.iter()
                    .all(|(k, v)| k == "delete_backup" && v.is_boolean())
            })
        });
        if !ok {
            return Err(ie(
                "IMG.0001",
                "The request body may only hold delete_backup (a boolean).",
            ));
        }
    }
    let speed = ctx.speed;
    let Some(img) = ctx
        .state
        .images
        .iter()
        .find(|i| i.provider == Provider::Ims && i.id == id && i.region == region)
    else {
        return Err(ImsErr(
            404,
            "IMG.0027",
            format!("The image {id} does not exist."),
        ));
    };
    if ims_status(img, ctx.state, speed) == "saving" {
        return Err(ie(
            "IMG.0090",
            "The image is being created and cannot be deleted.",
        ));
    }
    ctx.state
        .images
        .retain(|i| !(i.provider == Provider::Ims && i.id == id));
    Ok((204, Value::Null))
}

/// Cross-region copy (跨Region复制镜像): a job in the caller's project
/// makes an image in the destination region's default project, which is
/// named after the region. name, region, project_name and agency_name
/// are required.
fn copy_cross_region(req: &Req, id: &str, project: &str, region: &str, ctx: &mut Ctx) -> R {
    let body: Value = serde_json::from_slice(&req.body)
        .map_err(|_| ie("IMG.0001", "The request body is not valid JSON."))?;
    let field = |k: &str| body[k].as_str().filter(|v| !v.is_empty());
    let (Some(name), Some(dest), Some(dest_project), Some(_agency)) = (
        field("name"),
        field("region"),
        field("project_name"),
        field("agency_name"),
    ) else {
        return Err(ie(
            "IMG.0001",
            "name, region, project_name and agency_name are required.",
        ));
    };
    if !known_hw_region(dest) {
        return Err(ie("IMG.0147", format!("The region {dest} is invalid.")));
    }
    if dest == region {
        return Err(ie(
            "IMG.0142",
            "The destination region must differ from the source region.",
        ));
    }
    if dest_project != dest {
        return Err(ie(
            "IMG.0001",
            format!("The project {dest_project} does not exist in region {dest}."),
        ));
    }
    if let Some(d) = body["description"].as_str()
        && !rules::description_ok(Provider::Ims, d)
    {
        return Err(ie("IMG.0004", "The image description is invalid."));
    }
    let speed = ctx.speed;
    let src = ctx
        .state
        .images
        .iter()
        .find(|i| i.provider == Provider::Ims && i.id == id && i.region == region)
        .ok_or_else(|| ie("IMG.0144", "The image does not exist."))?;
    if ims_status(src, ctx.state, speed) != "active" {
        return Err(ie("IMG.0046", "The image is not in the active state."));
    }
    let attrs = src.attrs.clone();
    check_name(name, dest, ctx.state)?;
    let job_id = format!("ff8080{}", hex_id(26));
    let mut life = Lifecycle::new(IMS_JOB_PHASES);
    if ctx.fail {
        life = life.failing("FAIL");
    }
    let mut img = Image::new(
        Provider::Ims,
        uuid(),
        name.to_string(),
        dest,
        Lifecycle::new(IMS_JOB_PHASES),
    );
    img.job_id = Some(job_id.clone());
    img.attrs = attrs;
    img.copied_from = Some(id.to_string());
    if let Some(d) = body["description"].as_str() {
        img.set("__description", d);
        img.description = Some(d.to_string());
    }
    let new_id = img.id.clone();
    ctx.state.images.push(img);
    ctx.state.jobs.push(Job {
        id: job_id.clone(),
        job_type: "copyImageCrossRegion",
        project_id: project.to_string(),
        life,
        image_ids: vec![new_id],
        begin_time: now_iso(),
    });
    Ok((200, json!({"job_id": job_id})))
}
