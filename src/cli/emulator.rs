//! The front end's side of the emulator, so the emulator imports nothing
//! of the client. Starting it from the command line: `imgctl emulator`, and
//! `--emulator` on any other command (in-process, ephemeral port, and the
//! command's settings pointed at it).

use std::collections::BTreeMap;
use std::net::SocketAddr;

use super::args::{EmulatorArgs, GlobalArgs};
use crate::config::{self, Env, Overrides, ProcessEnv, Settings, Source, Val};
use crate::error::{Error, Result};
use crate::provider::Provider;

use crate::emulator::state::hw_project_id;
use crate::emulator::{
    DEFAULT_SPEED, DEMO_ACCESS_KEY_ID, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_SECRET, DEMO_USER,
    Emulator, Options,
};

/// Options from flags, falling back to IMGCTL_EMULATOR_SPEED and
/// IMGCTL_EMULATOR_FAULTS.
pub fn options(a: Option<&EmulatorArgs>, env: &dyn Env) -> Result<Options> {
    let speed = match (a.and_then(|a| a.speed), env.get("IMGCTL_EMULATOR_SPEED")) {
        (Some(s), _) => s,
        (None, Some(s)) => super::args::EMULATOR_SPEED
            .parse(&s)
            .map_err(|e| Error::usage(format!("IMGCTL_EMULATOR_SPEED: {e}")))?,
        (None, None) => DEFAULT_SPEED,
    };
    let env_faults = env.get("IMGCTL_EMULATOR_FAULTS");
    let flag_faults = a.map(|a| a.faults.as_slice()).unwrap_or_default();
    let faults = crate::emulator::parse_faults(
        flag_faults
            .iter()
            .map(String::as_str)
            .chain(env_faults.as_deref()),
    )?;
    Ok(Options {
        listen: a
            .and_then(|a| a.listen)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0))),
        speed,
        faults,
    })
}

/// `imgctl emulator`.
pub async fn serve(a: &EmulatorArgs) -> Result<()> {
    crate::emulator::run_foreground(options(Some(a), &ProcessEnv)?).await
}

fn default_region(p: Provider) -> &'static str {
    match p {
        Provider::Ens | Provider::Ecs => "cn-hangzhou",
        Provider::Ec2 => "us-east-1",
        Provider::Ims => crate::emulator::state::HW_DEFAULT_REGION,
    }
}

/// Starts the in-process emulator (or, with IMGCTL_EMULATOR_URL, uses one
/// already running, so that state lasts across commands) and resolves
/// settings that point at it. Only the provider, the region flag and
/// transport/auth-mode choices are the user's; no configuration file or
/// credential variable is read.
pub async fn start_for_command(
    g: &GlobalArgs,
    ov: &Overrides,
) -> Result<(Settings, Option<Emulator>)> {
    let (endpoint, emu) = match ProcessEnv.get("IMGCTL_EMULATOR_URL") {
        Some(url) => {
            if !crate::transport::is_loopback_url(&url) {
                return Err(Error::usage(format!(
                    "IMGCTL_EMULATOR_URL must be a loopback URL such as http://127.0.0.1:8080, not '{url}'"
                )));
            }
            (url.trim_end_matches('/').to_string(), None)
        }
        None => {
            let emu = crate::emulator::start(options(None, &ProcessEnv)?).await?;
            (emu.endpoint(), Some(emu))
        }
    };
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    for k in [
        "IMGCTL_PROVIDER",
        "IMGCTL_CONNECT_TIMEOUT",
        "IMGCTL_READ_TIMEOUT",
        "IMGCTL_MAX_ATTEMPTS",
        "IMGCTL_SIGNATURE_VERSION",
        "IMGCTL_AUTH_MODE",
    ] {
        if let Some(v) = ProcessEnv.get(k) {
            env.insert(k.into(), v);
        }
    }
    // No file of the user's is consulted: every path points nowhere.
    for k in [
        "IMGCTL_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_CONFIG_FILE",
        "ALIBABA_CLOUD_CONFIG_FILE",
        "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
    ] {
        env.insert(k.into(), "/nonexistent/imgctl-emulator".into());
    }
    // The demo identity, under each cloud's own variable names.
    for (k, v) in [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_SECRET),
        ("AWS_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", DEMO_SECRET),
        ("HUAWEICLOUD_SDK_AK", DEMO_ACCESS_KEY_ID),
        ("HUAWEICLOUD_SDK_SK", DEMO_SECRET),
        (
            "HUAWEICLOUD_SDK_PROJECT_ID",
            crate::emulator::state::HW_PROJECT_ID,
        ),
        ("HW_USER_NAME", DEMO_USER),
        ("HW_PASSWORD", DEMO_PASSWORD),
        ("HW_DOMAIN_NAME", DEMO_DOMAIN),
    ] {
        env.insert(k.into(), v.into());
    }
    let provider = g
        .provider
        .clone()
        .or_else(|| env.get("IMGCTL_PROVIDER").cloned())
        .map(|p| Provider::parse(&p))
        .transpose()?;
    let mut ov = ov.clone();
    ov.profile = None;
    ov.endpoint_url = Some(endpoint.clone());
    ov.iam_endpoint_url = Some(endpoint);
    ov.region = g
        .region
        .clone()
        .or_else(|| provider.map(|p| default_region(p).to_string()));
    let mut s = config::resolve(&ov, &env)?;
    if s.provider.value == Provider::Ims
        && let Some(r) = &s.region
    {
        s.project_id = Some(Val {
            value: hw_project_id(&r.value),
            source: Source::Default,
        });
    }
    Ok((s, emu))
}
