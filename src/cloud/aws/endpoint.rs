//! Where EC2 requests go.

use crate::error::{Error, Result};

/// The URL every EC2 Query request is POSTed to: the configured endpoint
/// (`--endpoint-url`, `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL`, already
/// resolved by config.rs) or the regional one.
pub fn ec2_url(region: &str, configured: Option<&str>) -> Result<String> {
    if let Some(url) = configured {
        let url = url.trim();
        crate::transport::refuse_userinfo(url)?;
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(Error::config(format!(
                "endpoint URL '{url}' needs a scheme, e.g. https://ec2.us-east-1.amazonaws.com"
            )));
        };
        if !matches!(scheme, "http" | "https") || rest.is_empty() || rest.starts_with('/') {
            return Err(Error::config(format!(
                "endpoint URL '{url}' must be http(s)://HOST[:PORT][/PATH]"
            )));
        }
        // The Query protocol posts to the endpoint's path, "/" when it has none.
        return Ok(if rest.contains('/') {
            url.to_string()
        } else {
            format!("{url}/")
        });
    }
    if !crate::ops::is_region_id(region) {
        return Err(Error::config(format!(
            "'{region}' is not an AWS region name (e.g. us-east-1)"
        )));
    }
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    Ok(format!("https://ec2.{region}.{suffix}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_and_configured() {
        assert_eq!(
            ec2_url("us-east-1", None).unwrap(),
            "https://ec2.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            ec2_url("cn-north-1", None).unwrap(),
            "https://ec2.cn-north-1.amazonaws.com.cn/"
        );
        assert_eq!(
            ec2_url("us-east-1", Some("http://127.0.0.1:5000")).unwrap(),
            "http://127.0.0.1:5000/"
        );
        assert_eq!(
            ec2_url("us-east-1", Some("https://proxy.example/ec2/")).unwrap(),
            "https://proxy.example/ec2/"
        );
        assert!(ec2_url("us-east-1", Some("127.0.0.1:5000")).is_err());
        assert!(ec2_url("us east/1", None).is_err());
        assert!(ec2_url("evil.com/x?", None).is_err());
    }
}
