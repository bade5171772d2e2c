//! The request and response types the API handlers see, and the small
//! decoding and formatting helpers they share.

use std::fmt::Write as _;

/// One HTTP request, fully read.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    /// The raw query string (after `?`), still encoded.
    pub raw_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Query pairs, decoded (`+` is a space: the Tea SDKs send form encoding).
    pub fn query(&self) -> Vec<(String, String)> {
        form_decode(&self.raw_query)
    }

    pub fn is_form(&self) -> bool {
        self.header("content-type")
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
    }

    /// Query and, for a form body, its fields: the RPC and Query APIs read both.
    pub fn params(&self) -> Vec<(String, String)> {
        let mut p = self.query();
        if self.is_form() {
            p.extend(form_decode(&String::from_utf8_lossy(&self.body)));
        }
        p
    }

    pub fn host(&self) -> &str {
        self.header("host").unwrap_or("127.0.0.1")
    }
}

/// How the answer leaves: normally, or not at all (the connection is cut
/// after the request was acted on).
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub drop_connection: bool,
}

impl Resp {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Resp {
        Resp {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            drop_connection: false,
        }
    }

    pub fn json(status: u16, v: &serde_json::Value) -> Resp {
        Resp::new(
            status,
            "application/json;charset=utf-8",
            serde_json::to_vec(v).unwrap_or_default(),
        )
    }

    pub fn xml(status: u16, body: String) -> Resp {
        Resp::new(status, "text/xml;charset=UTF-8", body)
    }

    pub fn empty(status: u16) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            drop_connection: false,
        }
    }

    pub fn with_header(mut self, k: &str, v: impl Into<String>) -> Resp {
        self.headers.push((k.into(), v.into()));
        self
    }
}

/// Decodes `application/x-www-form-urlencoded` (also used for queries).
/// Malformed escapes are kept literally, as most servers do.
pub fn form_decode(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

pub fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex_val(b[i + 1]), hex_val(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// First value of a parameter.
pub fn get<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A flag as the SDKs send it: `true`/`True` (Tea sends Python's str(True)).
pub fn truthy(v: Option<&str>) -> bool {
    v.is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// `Prefix.N.rest` entries grouped by N (1-based, in N order).
pub fn indexed(params: &[(String, String)], prefix: &str) -> Vec<Vec<(String, String)>> {
    let mut groups: std::collections::BTreeMap<u32, Vec<(String, String)>> = Default::default();
    let p = format!("{prefix}.");
    for (k, v) in params {
        let Some(rest) = k.strip_prefix(&p) else {
            continue;
        };
        let (n, tail) = rest.split_once('.').unwrap_or((rest, ""));
        if let Ok(n) = n.parse::<u32>() {
            groups
                .entry(n)
                .or_default()
                .push((tail.to_string(), v.clone()));
        }
    }
    groups.into_values().collect()
}

/// Values of `Prefix.N` (a flat list).
pub fn list(params: &[(String, String)], prefix: &str) -> Vec<String> {
    indexed(params, prefix)
        .into_iter()
        .filter_map(|g| g.into_iter().find(|(k, _)| k.is_empty()).map(|(_, v)| v))
        .collect()
}

pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The emulator's own randomness for ids: it shares no helper with the client.
fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    // Ids only: without OS randomness, zeros still make well-formed ids.
    let _ = getrandom::fill(&mut b);
    u64::from_le_bytes(b)
}

/// Random lowercase hex of `n` characters.
pub fn hex_id(n: usize) -> String {
    let mut s = String::with_capacity(n);
    while s.len() < n {
        let _ = write!(s, "{:016x}", random_u64());
    }
    s.truncate(n);
    s
}

/// Random lowercase base-36 of `n` characters (Alibaba ids look like this).
pub fn b36_id(n: usize) -> String {
    const A: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..n)
        .map(|_| A[(random_u64() % 36) as usize] as char)
        .collect()
}

/// A UUID-shaped random id (Alibaba request ids are uppercase ones).
pub fn uuid() -> String {
    let h = hex_id(32);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

pub fn now_iso() -> String {
    let t = super::now();
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(fmt).unwrap_or_default()
}

/// Glob match with `*` and `?`, as EC2 filters use.
pub fn glob(pattern: &str, s: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = s.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_forms_and_bad_escapes() {
        assert_eq!(
            form_decode("a=b+c&d=%E7%BD%91%2B&e&f=%zz%4"),
            vec![
                ("a".into(), "b c".into()),
                ("d".into(), "网+".into()),
                ("e".into(), "".into()),
                ("f".into(), "%zz%4".into()),
            ]
        );
    }

    #[test]
    fn indexed_groups() {
        let p = form_decode("Tag.2.Key=b&Tag.1.Key=a&Tag.1.Value=x&ImageId.1=i1&ImageId.2=i2");
        let g = indexed(&p, "Tag");
        assert_eq!(
            g[0],
            vec![("Key".into(), "a".into()), ("Value".into(), "x".into())]
        );
        assert_eq!(g[1], vec![("Key".into(), "b".into())]);
        assert_eq!(list(&p, "ImageId"), vec!["i1", "i2"]);
    }

    #[test]
    fn globs() {
        assert!(glob("web-*", "web-v1"));
        assert!(glob("w?b*1", "web-v1"));
        assert!(!glob("web", "web-v1"));
    }
}
