//! Where EC2 requests go.

use crate::error::{Error, Result};

/// An AWS partition, as botocore's `partitions.json` (1.44.5) describes
/// it. botocore refuses dual-stack in aws-iso-e and aws-iso-f (its
/// endpoints.json has no such variant there), and so does imgctl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub name: &'static str,
    pub dns_suffix: &'static str,
    pub dualstack_dns_suffix: Option<&'static str>,
    pub supports_fips: bool,
}

/// The partition of a region, by botocore's region patterns; an unknown
/// prefix is the `aws` partition, as botocore treats it.
pub fn partition(region: &str) -> Partition {
    let p = |name, dns_suffix, dualstack_dns_suffix, supports_fips| Partition {
        name,
        dns_suffix,
        dualstack_dns_suffix,
        supports_fips,
    };
    if region.starts_with("us-gov-") {
        p("aws-us-gov", "amazonaws.com", Some("api.aws"), true)
    } else if region.starts_with("us-isob-") {
        p("aws-iso-b", "sc2s.sgov.gov", Some("api.aws.scloud"), true)
    } else if region.starts_with("us-isof-") {
        p("aws-iso-f", "csp.hci.ic.gov", None, true)
    } else if region.starts_with("us-iso-") {
        p("aws-iso", "c2s.ic.gov", Some("api.aws.ic.gov"), true)
    } else if region.starts_with("eu-isoe-") {
        p("aws-iso-e", "cloud.adc-e.uk", None, true)
    } else if region.starts_with("eusc-") {
        p(
            "aws-eusc",
            "amazonaws.eu",
            Some("api.amazonwebservices.eu"),
            true,
        )
    } else if region.starts_with("cn-") {
        p(
            "aws-cn",
            "amazonaws.com.cn",
            Some("api.amazonwebservices.com.cn"),
            true,
        )
    } else {
        p("aws", "amazonaws.com", Some("api.aws"), true)
    }
}

/// `https://{service}[-fips].{region}.{suffix}/` as the endpoint rules
/// build it: the dual-stack suffix with `AWS_USE_DUALSTACK_ENDPOINT`, the
/// `-fips` host with `AWS_USE_FIPS_ENDPOINT` (GovCloud EC2 and STS are
/// FIPS endpoints already). A partition without dual-stack is an error.
pub fn service_url(service: &str, region: &str, fips: bool, dualstack: bool) -> Result<String> {
    if !crate::ops::is_region_id(region) {
        return Err(Error::config(format!(
            "'{region}' is not an AWS region name (e.g. us-east-1)"
        )));
    }
    let part = partition(region);
    let suffix = if dualstack {
        part.dualstack_dns_suffix.ok_or_else(|| {
            Error::config(format!(
                "the {} partition ({region}) has no dual-stack endpoints: unset \
                 AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint",
                part.name
            ))
        })?
    } else {
        part.dns_suffix
    };
    if fips && !part.supports_fips {
        return Err(Error::config(format!(
            "the {} partition ({region}) has no FIPS endpoints",
            part.name
        )));
    }
    let govcloud_plain = part.name == "aws-us-gov" && !dualstack;
    let host = if fips && !govcloud_plain {
        format!("{service}-fips")
    } else {
        service.to_string()
    };
    Ok(format!("https://{host}.{region}.{suffix}/"))
}

/// The URL every EC2 Query request is POSTed to: the configured endpoint
/// (`--endpoint-url`, `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL`, already
/// resolved by config.rs) or the regional one of the region's partition.
pub fn ec2_url(region: &str, configured: Option<&str>) -> Result<String> {
    ec2_url_with(region, configured, false, false)
}

pub fn ec2_url_with(
    region: &str,
    configured: Option<&str>,
    fips: bool,
    dualstack: bool,
) -> Result<String> {
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
    service_url("ec2", region, fips, dualstack)
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

    /// Every expectation is the URL botocore 1.44.5 sends the request to
    /// (captured with a before-send hook) for the same region and flags.
    #[test]
    fn partitions_fips_and_dualstack() {
        let u = |r, f, d| ec2_url_with(r, None, f, d);
        assert_eq!(
            u("us-east-1", true, false).unwrap(),
            "https://ec2-fips.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            u("us-east-1", false, true).unwrap(),
            "https://ec2.us-east-1.api.aws/"
        );
        assert_eq!(
            u("us-east-1", true, true).unwrap(),
            "https://ec2-fips.us-east-1.api.aws/"
        );
        assert_eq!(
            u("us-gov-west-1", true, false).unwrap(),
            "https://ec2.us-gov-west-1.amazonaws.com/"
        );
        assert_eq!(
            u("cn-north-1", false, true).unwrap(),
            "https://ec2.cn-north-1.api.amazonwebservices.com.cn/"
        );
        assert_eq!(
            u("us-iso-east-1", false, false).unwrap(),
            "https://ec2.us-iso-east-1.c2s.ic.gov/"
        );
        assert_eq!(
            u("us-isob-east-1", false, false).unwrap(),
            "https://ec2.us-isob-east-1.sc2s.sgov.gov/"
        );
        assert_eq!(
            u("eu-isoe-west-1", false, false).unwrap(),
            "https://ec2.eu-isoe-west-1.cloud.adc-e.uk/"
        );
        assert_eq!(
            u("us-isof-south-1", false, false).unwrap(),
            "https://ec2.us-isof-south-1.csp.hci.ic.gov/"
        );
        assert_eq!(
            u("eusc-de-east-1", false, false).unwrap(),
            "https://ec2.eusc-de-east-1.amazonaws.eu/"
        );
        assert_eq!(
            u("us-iso-east-1", false, true).unwrap(),
            "https://ec2.us-iso-east-1.api.aws.ic.gov/"
        );
        assert!(u("eu-isoe-west-1", false, true).is_err());
        assert!(u("us-isof-south-1", true, true).is_err());
        assert_eq!(
            u("us-isob-east-1", true, true).unwrap(),
            "https://ec2-fips.us-isob-east-1.api.aws.scloud/"
        );
        assert_eq!(
            u("us-gov-west-1", true, true).unwrap(),
            "https://ec2-fips.us-gov-west-1.api.aws/"
        );
        assert_eq!(
            u("eusc-de-east-1", true, true).unwrap(),
            "https://ec2-fips.eusc-de-east-1.api.amazonwebservices.eu/"
        );
        assert_eq!(
            service_url("sts", "eu-west-1", false, false).unwrap(),
            "https://sts.eu-west-1.amazonaws.com/"
        );
    }
}
