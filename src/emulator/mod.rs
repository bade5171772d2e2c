//! The local emulator: ENS, ECS, EC2 and IAM+IMS on one loopback port,
//! with the clouds' signatures, life cycles, errors and injectable faults
//! (DESIGN.md section 6). Nothing here runs unless `imgctl emulator` or
//! `--emulator` is used.
//!
//! Requests are told apart by path (`/v1`, `/v2` IMS, `/v3` IAM,
//! `/__imgctl` admin), then by the SigV4 credential scope or the EC2
//! `Version`, then by the Alibaba `x-acs-version` / `Version`.

mod alibaba;
mod ec2;
pub mod faults;
mod huawei;
pub mod rules;
pub mod state;
pub mod wire;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::json;

use crate::error::{Error, Result};
use crate::provider::Provider;
use faults::{Fault, FaultKind, Faults};
use state::State;
use wire::{Req, Resp};

/// The one identity every emulated cloud accepts (DESIGN.md section 6).
pub const DEMO_ACCESS_KEY_ID: &str = "imgctl-demo";
pub const DEMO_SECRET: &str = "imgctl-demo-secret";
pub const DEMO_USER: &str = "demo";
pub const DEMO_PASSWORD: &str = DEMO_SECRET;
pub const DEMO_DOMAIN: &str = "demo";

/// Default time per life-cycle phase.
pub const DEFAULT_SPEED: Duration = Duration::from_secs(2);
/// How far a request's clock may be from ours (Alibaba, Huawei, AWS alike).
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// The secret of an access key id, if the emulator knows it.
pub fn secret_for(access_key_id: &str) -> Option<String> {
    (access_key_id == DEMO_ACCESS_KEY_ID).then(|| DEMO_SECRET.to_string())
}

#[derive(Debug, Clone)]
pub struct Options {
    pub listen: SocketAddr,
    /// Time per life-cycle phase; zero = one phase per observation.
    pub speed: Duration,
    pub faults: Vec<Fault>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            speed: DEFAULT_SPEED,
            faults: Vec::new(),
        }
    }
}

const MAX_CALLS: usize = 10_000;

/// One answered call, for `GET /__imgctl/calls`.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    pub provider: Provider,
    pub operation: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<FaultKind>,
}

pub struct Shared {
    state: Mutex<State>,
    faults: Mutex<Faults>,
    calls: Mutex<Vec<Call>>,
    speed: Duration,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A handler that panicked must not take the whole emulator with it.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What a handler works with: the state (locked), the speed, and whether
/// this call's image is meant to fail.
pub struct Ctx<'a> {
    pub state: &'a mut State,
    pub speed: Duration,
    pub fail: bool,
    pub host: String,
}

/// A running emulator; it stops when dropped.
pub struct Emulator {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Emulator {
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds and starts serving on the current tokio runtime.
pub async fn start(opts: Options) -> Result<Emulator> {
    if !opts.listen.ip().is_loopback() {
        return Err(Error::usage(format!(
            "the emulator listens on loopback only, not {}: use 127.0.0.1:PORT or [::1]:PORT",
            opts.listen
        )));
    }
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .map_err(|e| Error::config(format!("cannot listen on {}: {e}", opts.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::config(format!("cannot read the listening address: {e}")))?;
    let shared = Arc::new(Shared {
        state: Mutex::new(State::seeded()),
        faults: Mutex::new(Faults {
            armed: opts.faults,
            fired: 0,
        }),
        calls: Mutex::new(Vec::new()),
        speed: opts.speed,
    });
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let s = shared.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |r| serve(s.clone(), r));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    Ok(Emulator { addr, task })
}

/// The seeded ids per provider, one line each, for the start-up banner:
/// what a person needs to try a command without reading the docs.
fn seeded_ids() -> String {
    use std::fmt::Write as _;
    let st = state::State::seeded();
    let mut out = String::new();
    for (p, region) in [
        (Provider::Ens, "(global)"),
        (Provider::Ecs, "cn-hangzhou"),
        (Provider::Ec2, "us-east-1"),
        (Provider::Ims, state::HW_DEFAULT_REGION),
    ] {
        let images: Vec<&str> = st
            .images
            .iter()
            .filter(|i| i.provider == p)
            .map(|i| i.id.as_str())
            .collect();
        let _ = write!(
            out,
            "{} {region}: instances {}; images {}",
            p.as_str(),
            st.instance_ids(p).join(", "),
            images.join(", ")
        );
        let snaps: Vec<&str> = state::SEED_SNAPSHOTS
            .iter()
            .filter(|(q, _)| *q == p)
            .map(|(_, s)| *s)
            .collect();
        if !snaps.is_empty() {
            let _ = write!(out, "; snapshots {}", snaps.join(", "));
        }
        match p {
            Provider::Ec2 => {
                let _ = write!(out, "; import task {}", state::SEED_EC2_TASK);
            }
            Provider::Ims => {
                let _ = write!(out, "; job {}", state::SEED_IMS_JOB);
            }
            _ => {}
        }
        out.push('\n');
    }
    out
}

/// `imgctl emulator`: serve until Ctrl-C, endpoint on the first line.
pub async fn run_foreground(opts: Options) -> Result<()> {
    let speed = opts.speed;
    let emu = start(opts).await?;
    let ep = emu.endpoint();
    let banner = format!(
        "{ep}\n\
         access key id: {DEMO_ACCESS_KEY_ID}\n\
         secret: {DEMO_SECRET}\n\
         huawei token mode: user {DEMO_USER}, password {DEMO_PASSWORD}, domain {DEMO_DOMAIN}\n\
         huawei project: {} ({})\n\
         speed: {}ms per phase\n\
         admin: {ep}/__imgctl/faults, {ep}/__imgctl/calls, {ep}/__imgctl/reset\n\
         {}\
         try: imgctl --endpoint-url {ep} ... or any command with --emulator; Ctrl-C stops",
        state::HW_PROJECT_ID,
        state::HW_DEFAULT_REGION,
        speed.as_millis(),
        seeded_ids()
    );
    // A reader that took the endpoint and went away does not stop the server.
    let printed = {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{banner}").and_then(|()| out.flush())
    };
    match printed {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Error::Io(format!("cannot write to stdout: {e}")));
        }
        _ => {}
    }
    let _ = tokio::signal::ctrl_c().await;
    drop(emu);
    Ok(())
}

/// Parses the startup faults of `--fault` and IMGCTL_EMULATOR_FAULTS
/// (specs separated by `;` or `,`).
pub fn parse_faults<'a>(specs: impl IntoIterator<Item = &'a str>) -> Result<Vec<Fault>> {
    specs
        .into_iter()
        .flat_map(|s| s.split([';', ',']))
        .filter(|s| !s.trim().is_empty())
        .map(|s| Fault::parse_spec(s).map_err(Error::usage))
        .collect()
}

#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

async fn serve(
    shared: Arc<Shared>,
    r: hyper::Request<hyper::body::Incoming>,
) -> std::result::Result<hyper::Response<Full<Bytes>>, Dropped> {
    let (parts, body) = r.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => return Err(Dropped),
    };
    let req = Req {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        raw_query: parts.uri.query().unwrap_or("").to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    let resp = route(&shared, req).await;
    if resp.drop_connection {
        return Err(Dropped);
    }
    let mut b = hyper::Response::builder()
        .status(resp.status)
        // The server's clock, as every cloud sends it (and as a skewed
        // clock set through /__imgctl/clock shows it).
        .header("date", http_date(now_unix()));
    for (k, v) in &resp.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(Full::new(Bytes::from(resp.body)))
        .map_err(|_| Dropped)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    Ens,
    Ecs,
    Ec2,
    Iam,
    Ims,
}

impl Api {
    fn provider(self) -> Provider {
        match self {
            Api::Ens => Provider::Ens,
            Api::Ecs => Provider::Ecs,
            Api::Ec2 => Provider::Ec2,
            Api::Iam | Api::Ims => Provider::Ims,
        }
    }
}

fn identify(req: &Req) -> Option<Api> {
    if req.path.starts_with("/v3/") || req.path.starts_with("/v3.0/") {
        return Some(Api::Iam);
    }
    if req.path.starts_with("/v1/")
        || req.path.starts_with("/v2/")
        || req.path.starts_with("/v2.1/")
    {
        return Some(Api::Ims);
    }
    if req
        .header("authorization")
        .is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256"))
    {
        return Some(Api::Ec2);
    }
    let params = req.params();
    let version = req
        .header("x-acs-version")
        .map(str::to_string)
        .or_else(|| wire::get(&params, "Version").map(str::to_string));
    match version.as_deref() {
        Some(alibaba::ENS_VERSION) => Some(Api::Ens),
        Some(alibaba::ECS_VERSION) => Some(Api::Ecs),
        Some(ec2::VERSION) => Some(Api::Ec2),
        _ => None,
    }
}

async fn route(shared: &Shared, req: Req) -> Resp {
    if req.path.starts_with("/__imgctl") {
        return admin(shared, &req);
    }
    let Some(api) = identify(&req) else {
        return Resp::json(
            404,
            &json!({"error": "not an API the imgctl emulator serves (ENS, ECS, EC2, IAM, IMS)",
                    "path": req.path}),
        );
    };
    let provider = api.provider();
    let op = match api {
        Api::Ens | Api::Ecs => alibaba::operation(&req),
        Api::Ec2 => ec2::operation(&req),
        Api::Iam | Api::Ims => huawei::operation(&req),
    };
    let host = req.host().to_string();

    // Authentication first: a refused request is never acted on, and
    // faults are not spent on it.
    let auth = {
        let mut st = lock(&shared.state);
        match api {
            Api::Ens | Api::Ecs => alibaba::authenticate(&req, provider, &mut st).map(|_| None),
            Api::Ec2 => ec2::authenticate(&req).map(|_| None),
            Api::Iam | Api::Ims => huawei::authenticate(api == Api::Iam, &op, &req, &st).map(Some),
        }
    };
    let hw_auth = match auth {
        Ok(a) => a,
        Err(resp) => {
            record(shared, provider, &op, &resp, None);
            return resp;
        }
    };

    let fault = lock(&shared.faults).take(provider, &op);
    let kind = fault.as_ref().map(|f| f.kind);
    let err = |status: u16| match api {
        Api::Ens | Api::Ecs => alibaba::server_error(provider, &host, status),
        Api::Ec2 => ec2::server_error(status),
        Api::Iam | Api::Ims => huawei::server_error(status),
    };
    let mut resp = match kind {
        Some(FaultKind::Throttle) => {
            let ms = fault
                .as_ref()
                .and_then(|f| f.retry_after_ms)
                .unwrap_or(1000);
            match api {
                Api::Ens | Api::Ecs => alibaba::throttled(provider, &host, ms),
                Api::Ec2 => ec2::throttled(ms),
                Api::Iam | Api::Ims => huawei::throttled(ms),
            }
        }
        Some(FaultKind::Lost) => {
            let mut r = Resp::new(502, "text/plain", "");
            r.drop_connection = true;
            r
        }
        Some(FaultKind::Error401) => match api {
            Api::Ens | Api::Ecs => alibaba::error(
                provider,
                &host,
                401,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ),
            Api::Ec2 => ec2::error(
                401,
                "AuthFailure",
                "AWS was not able to validate the provided access credentials",
            ),
            Api::Iam | Api::Ims => huawei::apigw(
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: verify aksk signature fail",
            ),
        },
        Some(FaultKind::Error403) => match api {
            Api::Ens | Api::Ecs => alibaba::error(
                provider,
                &host,
                403,
                "Forbidden.RAM",
                "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
            ),
            Api::Ec2 => ec2::error(
                403,
                "UnauthorizedOperation",
                "You are not authorized to perform this operation.",
            ),
            Api::Iam | Api::Ims => huawei::apigw(
                403,
                "APIGW.0302",
                "The IAM user is not authorized to access the API.",
            ),
        },
        Some(FaultKind::Error500) => err(500),
        Some(FaultKind::Error503) => err(503),
        Some(FaultKind::Html) => Resp::new(
            502,
            "text/html",
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n",
        ),
        _ => {
            let mut st = lock(&shared.state);
            let mut ctx = Ctx {
                state: &mut st,
                speed: shared.speed,
                fail: kind == Some(FaultKind::FailImage),
                host: host.clone(),
            };
            match api {
                Api::Ens | Api::Ecs => alibaba::handle(provider, &op, &req, &mut ctx),
                Api::Ec2 => ec2::handle(&op, &req, &mut ctx),
                Api::Iam => huawei::handle_iam(&op, &req, &mut ctx),
                Api::Ims => huawei::handle_ims(&op, &req, hw_auth.as_ref(), &mut ctx),
            }
        }
    };
    record(shared, provider, &op, &resp, kind);
    match (kind, fault) {
        (Some(FaultKind::Delay), Some(f)) => tokio::time::sleep(f.delay()).await,
        (Some(FaultKind::Drop), _) => resp.drop_connection = true,
        (Some(FaultKind::Truncate), _) => {
            let half = resp.body.len() / 2;
            resp.body.truncate(half);
        }
        _ => {}
    }
    resp
}

fn record(shared: &Shared, provider: Provider, op: &str, resp: &Resp, fault: Option<FaultKind>) {
    let code = (resp.status >= 400)
        .then(|| error_code(&resp.body))
        .flatten();
    let mut calls = lock(&shared.calls);
    // A long session keeps the most recent calls only.
    if calls.len() >= MAX_CALLS {
        calls.drain(..MAX_CALLS / 2);
    }
    calls.push(Call {
        provider,
        operation: op.to_string(),
        status: resp.status,
        code,
        fault,
    });
}

/// The provider code of an error body, whatever its shape.
fn error_code(body: &[u8]) -> Option<String> {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        for p in ["/Code", "/error_code", "/error/code"] {
            match v.pointer(p) {
                Some(serde_json::Value::String(s)) => return Some(s.clone()),
                Some(serde_json::Value::Number(n)) => return Some(n.to_string()),
                _ => {}
            }
        }
        return None;
    }
    let t = String::from_utf8_lossy(body);
    let start = t.find("<Code>")? + 6;
    let end = t[start..].find("</Code>")? + start;
    Some(t[start..end].to_string())
}

fn admin(shared: &Shared, req: &Req) -> Resp {
    let faults_view = |f: &Faults| json!({"armed": f.armed, "fired": f.fired});
    match (req.method.as_str(), req.path.trim_end_matches('/')) {
        ("GET", "/__imgctl/health") => Resp::json(
            200,
            &json!({"ok": true, "speed_ms": shared.speed.as_millis() as u64}),
        ),
        ("GET", "/__imgctl/faults") => Resp::json(200, &faults_view(&lock(&shared.faults))),
        ("DELETE", "/__imgctl/faults") => {
            let mut f = lock(&shared.faults);
            f.armed.clear();
            Resp::json(200, &faults_view(&f))
        }
        ("POST", "/__imgctl/faults") => {
            let parsed: std::result::Result<Vec<Fault>, _> =
                serde_json::from_slice::<Fault>(&req.body)
                    .map(|f| vec![f])
                    .or_else(|_| serde_json::from_slice::<Vec<Fault>>(&req.body));
            match parsed {
                Ok(new) => {
                    if let Some(bad) = new.iter().find_map(|f| {
                        f.provider
                            .as_deref()
                            .filter(|p| *p != "*" && Provider::parse(p).is_err())
                    }) {
                        return Resp::json(
                            400,
                            &json!({"error": format!("unknown provider '{bad}'")}),
                        );
                    }
                    let mut f = lock(&shared.faults);
                    f.armed.extend(new);
                    Resp::json(200, &faults_view(&f))
                }
                Err(e) => Resp::json(
                    400,
                    &json!({"error": format!("expected a fault object or a list of them: {e}"),
                            "example": {"provider": "ens", "operation": "CreateImage", "kind": "throttle", "count": 2, "retry_after_ms": 500}}),
                ),
            }
        }
        ("GET", "/__imgctl/calls") => Resp::json(200, &json!(*lock(&shared.calls))),
        ("GET", "/__imgctl/state") => {
            // What the emulator holds, for tests that count what a command
            // made (never a secret: tokens and nonces are left out).
            let st = lock(&shared.state);
            let images: Vec<_> = st
                .images
                .iter()
                .map(|i| {
                    json!({"provider": i.provider.as_str(), "id": i.id, "name": i.name,
                           "description": i.description, "created_at": i.created_at})
                })
                .collect();
            let tasks: Vec<_> = st
                .tasks
                .iter()
                .map(|t| json!({"id": t.id, "image_id": t.image_id}))
                .collect();
            let jobs = st.jobs.len();
            Resp::json(
                200,
                &json!({"images": images, "tasks": tasks, "jobs": jobs}),
            )
        }
        ("GET", "/__imgctl/clock") => Resp::json(200, &json!({"offset_s": clock_offset()})),
        ("POST", "/__imgctl/clock") => {
            match serde_json::from_slice::<serde_json::Value>(&req.body)
                .ok()
                .and_then(|v| v["offset_s"].as_i64())
                .filter(|o| o.unsigned_abs() <= 10 * 365 * 86400)
            {
                Some(o) => {
                    set_clock_offset(o);
                    Resp::json(200, &json!({"offset_s": o}))
                }
                None => Resp::json(
                    400,
                    &json!({"error": "expected {\"offset_s\": SECONDS} (within ten years)"}),
                ),
            }
        }
        ("POST", "/__imgctl/expire-tokens") => {
            let mut st = lock(&shared.state);
            let now = std::time::Instant::now();
            for t in st.tokens.values_mut() {
                t.expires = now;
            }
            Resp::json(200, &json!({"expired": st.tokens.len()}))
        }
        ("POST", "/__imgctl/reset") => {
            set_clock_offset(0);
            *lock(&shared.state) = State::seeded();
            lock(&shared.faults).armed.clear();
            lock(&shared.calls).clear();
            Resp::json(200, &json!({"ok": true}))
        }
        _ => Resp::json(
            404,
            &json!({"error": "unknown admin endpoint",
                    "endpoints": ["GET /__imgctl/health", "GET|POST|DELETE /__imgctl/faults",
                                  "GET /__imgctl/calls", "POST /__imgctl/reset",
                                  "GET|POST /__imgctl/clock", "POST /__imgctl/expire-tokens",
                                  "GET /__imgctl/state"]}),
        ),
    }
}

/// Seconds the emulator's clock runs ahead of (or, negative, behind) real
/// time: a cloud whose clock disagrees with the client's. Set through
/// `POST /__imgctl/clock`; one per process (the emulator is one per
/// process but in tests).
static CLOCK_OFFSET: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

pub fn clock_offset() -> i64 {
    CLOCK_OFFSET.load(std::sync::atomic::Ordering::Relaxed)
}

pub fn set_clock_offset(seconds: i64) {
    CLOCK_OFFSET.store(seconds, std::sync::atomic::Ordering::Relaxed);
}

/// The emulator's time now, offset included.
pub fn now() -> time::OffsetDateTime {
    let t = time::OffsetDateTime::now_utc();
    t.checked_add(time::Duration::seconds(clock_offset()))
        .unwrap_or(t)
}

/// Unix seconds now, on the emulator's clock.
pub fn now_unix() -> i64 {
    now().unix_timestamp()
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(unix: i64) -> String {
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(fmt).ok())
        .unwrap_or_default()
}
