//! The EC2 Query protocol: `Action=…&Version=2016-11-15&…` as a form body.
//!
//! Names are the wire names (ref/aws.md §1): lists flatten to `Name.N` from
//! 1, nested members join with dots, booleans are `true`/`false`, and an
//! empty list sends nothing. The body is encoded the way botocore encodes it
//! (Python `urlencode`, i.e. `quote_plus`), so the bytes we sign are the
//! bytes we send and the bytes boto3 would send.

use crate::ops::Tag;

pub const API_VERSION: &str = "2016-11-15";

/// An ordered list of wire parameters for one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    params: Vec<(String, String)>,
}

impl Query {
    pub fn new(action: &str) -> Self {
        Query {
            params: vec![
                ("Action".into(), action.into()),
                ("Version".into(), API_VERSION.into()),
            ],
        }
    }

    /// A request to another Query API (STS: 2011-06-15).
    pub fn with_version(action: &str, version: &str) -> Self {
        Query {
            params: vec![
                ("Action".into(), action.into()),
                ("Version".into(), version.into()),
            ],
        }
    }

    pub fn action(&self) -> &str {
        &self.params[0].1
    }

    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.params.push((name.into(), value.into()));
        self
    }

    pub fn opt(&mut self, name: impl Into<String>, value: Option<impl ToString>) -> &mut Self {
        if let Some(v) = value {
            self.push(name, v.to_string());
        }
        self
    }

    /// A boolean the way the Query protocol spells it.
    pub fn flag(&mut self, name: impl Into<String>, value: bool) -> &mut Self {
        self.push(name, if value { "true" } else { "false" })
    }

    /// `Prefix.1=a&Prefix.2=b`; nothing for an empty list.
    pub fn list<S: AsRef<str>>(&mut self, prefix: &str, values: &[S]) -> &mut Self {
        for (i, v) in values.iter().enumerate() {
            self.push(format!("{prefix}.{}", i + 1), v.as_ref());
        }
        self
    }

    /// One `TagSpecification.N` entry; `n` is its 1-based position.
    /// Nothing is sent for no tags: EC2 refuses a specification without any.
    pub fn tag_spec(&mut self, n: usize, resource_type: &str, tags: &[Tag]) -> &mut Self {
        if tags.is_empty() {
            return self;
        }
        let p = format!("TagSpecification.{n}");
        self.push(format!("{p}.ResourceType"), resource_type);
        for (i, t) in tags.iter().enumerate() {
            self.push(format!("{p}.Tag.{}.Key", i + 1), t.key.as_str());
            self.push(format!("{p}.Tag.{}.Value", i + 1), t.value.as_str());
        }
        self
    }

    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The form body, byte for byte what botocore would send.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.params.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            quote_plus(k, &mut out);
            out.push('=');
            quote_plus(v, &mut out);
        }
        out
    }
}

/// Python's `urllib.parse.quote_plus` with its default safe set: letters,
/// digits and `_ . - ~` stay, a space becomes `+`, every other UTF-8 byte
/// becomes `%XY` (uppercase hex).
fn quote_plus(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b' ' => out.push('+'),
            b if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') => {
                out.push(b as char)
            }
            b => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(k: &str, v: &str) -> Tag {
        Tag {
            key: k.into(),
            value: v.into(),
        }
    }

    // Python 3.11: urllib.parse.quote_plus("my-ami v1/x:y&z=1*~é+") ==
    // 'my-ami+v1%2Fx%3Ay%26z%3D1%2A~%C3%A9%2B'
    #[test]
    fn encodes_like_quote_plus() {
        let mut s = String::new();
        quote_plus("my-ami v1/x:y&z=1*~é+", &mut s);
        assert_eq!(s, "my-ami+v1%2Fx%3Ay%26z%3D1%2A~%C3%A9%2B");
    }

    // The boto3 capture of ref/aws.md §1 (DescribeImages, DescribeImportImageTasks).
    #[test]
    fn lists_and_nested_names_match_boto3_captures() {
        let mut q = Query::new("DescribeImportImageTasks");
        q.list("ImportTaskId", &["import-ami-1"])
            .push("Filters.1.Name", "task-state")
            .list("Filters.1.Value", &["active", "completed"])
            .push("MaxResults", "10");
        assert_eq!(
            q.encode(),
            "Action=DescribeImportImageTasks&Version=2016-11-15&ImportTaskId.1=import-ami-1\
             &Filters.1.Name=task-state&Filters.1.Value.1=active&Filters.1.Value.2=completed\
             &MaxResults=10"
        );
        let mut q = Query::new("DescribeImages");
        q.list::<&str>("ImageId", &[]);
        assert_eq!(q.encode(), "Action=DescribeImages&Version=2016-11-15");
    }

    #[test]
    fn tag_specifications() {
        let mut q = Query::new("CreateImage");
        q.tag_spec(1, "image", &[tag("Name", "my-ami"), tag("team", "a&b=c")])
            .tag_spec(2, "snapshot", &[])
            .flag("DryRun", false);
        assert_eq!(
            q.encode(),
            "Action=CreateImage&Version=2016-11-15&TagSpecification.1.ResourceType=image\
             &TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=my-ami\
             &TagSpecification.1.Tag.2.Key=team&TagSpecification.1.Tag.2.Value=a%26b%3Dc\
             &DryRun=false"
        );
    }
}
