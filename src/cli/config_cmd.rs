//! `imgctl config show` and `imgctl help TOPIC`.

use clap::CommandFactory;
use serde_json::{Value, json};

use super::args::Cli;
use super::emit;
use crate::config::{self, ProcessEnv, Settings, Val};
use crate::error::{EXIT_CODES_HELP, Error, Result};
use crate::provider::Provider;

pub(super) fn help(topic: &[String]) -> Result<()> {
    if topic.len() == 1 && topic[0] == "exit-codes" {
        return emit(EXIT_CODES_HELP);
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut cur = cmd;
    for t in topic {
        let Some(sub) = cur.find_subcommand(t) else {
            return Err(Error::usage(format!(
                "no help topic '{}': try `imgctl help exit-codes` or `imgctl help image create`",
                topic.join(" ")
            )));
        };
        cur = sub.clone();
    }
    emit(&cur.render_long_help().to_string())
}

pub(super) fn show(s: &Settings) -> Value {
    fn val<T: ToString>(v: &Option<Val<T>>) -> Value {
        match v {
            Some(v) => json!({"value": v.value.to_string(), "source": v.source.to_string()}),
            None => json!({"value": null, "source": "not set"}),
        }
    }
    let masked = |set: bool, src: Option<String>| match (set, src) {
        (true, Some(s)) => json!({"value": "****", "source": s}),
        _ => json!({"value": null, "source": "not set"}),
    };
    let keys = s.keys.as_ref();
    let pw = s.password.as_ref();
    json!({
        "provider": {"value": s.provider.value.as_str(), "source": s.provider.source.to_string()},
        "profile": val(&s.profile),
        "config_file": config::config_path(&ProcessEnv).map(|p| p.display().to_string()),
        "region": val(&s.region),
        "endpoint_url": val(&s.endpoint_url),
        "iam_endpoint_url": val(&s.iam_endpoint_url),
        "credentials": match (keys, &s.dynamic) {
            (Some(k), _) => json!({"value": "keys", "source": k.source.to_string()}),
            (None, Some(d)) => {
                let cloud = match s.provider.value {
                    Provider::Ec2 => "aws",
                    Provider::Ens | Provider::Ecs => "alibaba",
                    Provider::Ims => "huawei-keys",
                };
                let expires = crate::refresh::cached_expiry(s, cloud)
                    .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok());
                json!({
                    "value": d.describe(),
                    "source": "fetched when used",
                    "expires": expires.map_or(json!("not fetched yet"), |e| json!(e)),
                })
            }
            (None, None) => json!({"value": null, "source": "not set"}),
        },
        "access_key_id": match keys {
            Some(k) => json!({"value": config::mask_id(&k.access_key_id), "source": k.source.to_string()}),
            None => json!({"value": null, "source": "not set"}),
        },
        "secret_access_key": masked(keys.is_some(), keys.map(|k| k.source.to_string())),
        "session_token": masked(keys.is_some_and(|k| k.session_token.is_some()), keys.map(|k| k.source.to_string())),
        "project_id": val(&s.project_id),
        "user_name": match pw {
            Some(p) => json!({"value": p.user_name, "source": p.source.to_string()}),
            None => json!({"value": null, "source": "not set"}),
        },
        "password": masked(pw.is_some(), pw.map(|p| p.password_source.to_string())),
        "domain_name": match pw {
            Some(p) => json!({"value": p.domain_name, "source": p.domain_source.to_string()}),
            None => json!({"value": null, "source": "not set"}),
        },
        "auth_mode": match &s.auth_mode {
            Some(v) => json!({"value": format!("{:?}", v.value).to_lowercase(), "source": v.source.to_string()}),
            None => json!({"value": null, "source": "not set"}),
        },
        "signature_version": json!({"value": format!("{:?}", s.signature_version.value).to_lowercase(), "source": s.signature_version.source.to_string()}),
        "connect_timeout": json!({"value": format!("{}ms", s.connect_timeout.value.as_millis()), "source": s.connect_timeout.source.to_string()}),
        "read_timeout": json!({"value": format!("{}ms", s.read_timeout.value.as_millis()), "source": s.read_timeout.source.to_string()}),
        "max_attempts": json!({"value": s.max_attempts.value, "source": s.max_attempts.source.to_string()}),
    })
}
