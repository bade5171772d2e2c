//! EC2's XML answers: a small element tree read with quick-xml, namespaces
//! ignored (moto's xmlns lacks AWS's trailing slash), and the two error
//! shapes, `<Response><Errors><Error>` and an `<ErrorResponse>` root.

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde_json::{Map, Value};

/// One element: its local name, its own text, its child elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

/// Deeper than any EC2 answer: a guard against hostile nesting.
const MAX_DEPTH: usize = 64;

/// Parses a whole document. A body that is not well-formed XML, or that
/// ends before its root closes, is an error (with a short reason).
pub fn parse(body: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(body);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.buffer_position()))?;
        match ev {
            Event::Start(s) => {
                if root.is_some() {
                    return Err("content after the root element".into());
                }
                if stack.len() >= MAX_DEPTH {
                    return Err("XML nested too deeply".into());
                }
                stack.push(Element {
                    name: s.local_name().as_ref().to_string(),
                    ..Element::default()
                });
            }
            Event::Empty(s) => {
                let el = Element {
                    name: s.local_name().as_ref().to_string(),
                    ..Element::default()
                };
                close(el, &mut stack, &mut root)?;
            }
            Event::End(_) => {
                // quick-xml has already checked that the names match.
                let el = stack.pop().ok_or("an end tag without a start")?;
                close(el, &mut stack, &mut root)?;
            }
            Event::Text(t) => append_text(&mut stack, &t.xml10_content())?,
            Event::CData(t) => append_text(&mut stack, &t.xml10_content())?,
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r)
                        .ok_or_else(|| format!("unknown XML entity &{};", &*r))?
                        .to_string(),
                    Err(e) => return Err(format!("bad character reference: {e}")),
                };
                append_text(&mut stack, &s)?;
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "the XML ends inside <{}> (truncated answer?)",
            open.name
        ));
    }
    root.ok_or_else(|| "no XML element in the answer".into())
}

fn close(el: Element, stack: &mut [Element], root: &mut Option<Element>) -> Result<(), String> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None if root.is_none() => *root = Some(el),
        None => return Err("more than one root element".into()),
    }
    Ok(())
}

fn append_text(stack: &mut [Element], s: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(el) => el.text.push_str(s),
        // Whitespace around the root is fine; anything else is not XML.
        None if s.trim().is_empty() => {}
        None => return Err("text outside the root element (not XML?)".into()),
    }
    Ok(())
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Trimmed text of a direct child, if present and not empty.
    pub fn text_of(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// The `<item>`s of a `<xxxSet>` child (none when it is absent).
    pub fn items<'a>(&'a self, set: &str) -> impl Iterator<Item = &'a Element> + 'a {
        self.child(set)
            .into_iter()
            .flat_map(|s| s.children.iter().filter(|c| c.name == "item"))
    }

    /// First element of that name at any depth, this one included.
    pub fn find(&self, name: &str) -> Option<&Element> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }

    /// A JSON view for `--raw`: leaves are strings, `<item>` lists and
    /// `…Set` elements are arrays, repeated names become arrays.
    pub fn to_json(&self) -> Value {
        let is_list = !self.children.is_empty() && self.children.iter().all(|c| c.name == "item");
        if is_list {
            return Value::Array(self.children.iter().map(Element::to_json).collect());
        }
        if self.children.is_empty() {
            if self.name.ends_with("Set") && self.text.trim().is_empty() {
                return Value::Array(Vec::new());
            }
            return Value::String(self.text.trim().to_string());
        }
        let mut m = Map::new();
        for c in &self.children {
            let v = c.to_json();
            if self.children.iter().filter(|o| o.name == c.name).count() > 1 {
                if let Value::Array(a) = m
                    .entry(c.name.clone())
                    .or_insert_with(|| Value::Array(Vec::new()))
                {
                    a.push(v);
                }
            } else {
                m.insert(c.name.clone(), v);
            }
        }
        Value::Object(m)
    }
}

/// An EC2 error: the first `<Errors><Error>` under any root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
}

/// Reads an error body. `None` when the body is not XML or names no code.
pub fn parse_error(body: &str) -> Option<ApiError> {
    let root = parse(body).ok()?;
    // botocore falls back to the root when there is no <Errors> element.
    let err = root.find("Error").unwrap_or(&root);
    let code = err.text_of("Code")?;
    let request_id = ["RequestID", "RequestId", "requestId"]
        .iter()
        .find_map(|n| root.text_of(n).or_else(|| err.text_of(n)));
    Some(ApiError {
        code,
        message: err.text_of("Message").unwrap_or_default(),
        request_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // botocore tests/unit/protocols/output/ec2.json, Ec2InvalidGreetingError.
    #[test]
    fn botocore_error_vector() {
        let e = parse_error(
            "<Response><Errors><Error><Code>InvalidGreeting</Code><Message>Hi</Message>\
             </Error></Errors><RequestID>foo-id</RequestID></Response>",
        )
        .unwrap();
        assert_eq!(e.code, "InvalidGreeting");
        assert_eq!(e.message, "Hi");
        assert_eq!(e.request_id.as_deref(), Some("foo-id"));
    }

    // moto 5.2.5 captures, ref/aws.md §3.
    #[test]
    fn moto_errors() {
        let e = parse_error(
            r#"<Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15"><Errors><Error><Code>InvalidAMIID.NotFound</Code><Message>The image id '[ami-00000000]' does not exist</Message></Error></Errors><RequestID>request-id</RequestID></Response>"#,
        )
        .unwrap();
        assert_eq!(e.code, "InvalidAMIID.NotFound");
        assert_eq!(e.request_id.as_deref(), Some("request-id"));
        let e = parse_error(
            "<ErrorResponse><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to \
             validate the provided access credentials</Message><Type>Sender</Type></Error>\
             </Errors></ErrorResponse>",
        )
        .unwrap();
        assert_eq!(e.code, "AuthFailure");
        assert!(e.message.starts_with("AWS was not able"));
        assert_eq!(e.request_id, None);
    }

    #[test]
    fn namespaces_entities_and_sets() {
        let x = parse(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>r-1</requestId>
  <imagesSet><item><imageId>ami-1</imageId><name>a &amp; b &#x41;</name><tagSet/></item></imagesSet>
</DescribeImagesResponse>"#,
        )
        .unwrap();
        assert_eq!(x.name, "DescribeImagesResponse");
        assert_eq!(x.text_of("requestId").as_deref(), Some("r-1"));
        let img = x.items("imagesSet").next().unwrap();
        assert_eq!(img.text_of("name").as_deref(), Some("a & b A"));
        let j = x.to_json();
        assert_eq!(j["imagesSet"][0]["imageId"], "ami-1");
        assert_eq!(j["imagesSet"][0]["tagSet"], serde_json::json!([]));
    }

    #[test]
    fn broken_bodies_are_errors_not_panics() {
        for body in [
            "",
            "<CreateImageResponse><imageId>ami-1</imageId>",
            "<a><b></a>",
            "<html><body>Internal Server Error</body>",
            "Internal Server Error",
            "<a/><b/>",
            "<a>&bogus;</a>",
            "<a>&#0;</a>",
        ] {
            assert!(parse(body).is_err(), "{body:?}");
            assert!(parse_error(body).is_none(), "{body:?}");
        }
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse(&deep).is_err());
    }

    /// Every prefix of real answers, and every single-byte change of them,
    /// reads as a result or an error: never a panic.
    #[test]
    fn every_truncation_and_byte_flip_is_handled() {
        let docs = [
            r#"<?xml version="1.0" encoding="UTF-8"?><DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><imagesSet><item><imageId>ami-1</imageId><imageState>failed</imageState><stateReason><code>c</code><message>a &amp; b &#233;</message></stateReason><tagSet/></item></imagesSet></DescribeImagesResponse>"#,
            "<ErrorResponse><Errors><Error><Code>AuthFailure</Code><Message>m</Message></Error></Errors><RequestID>x</RequestID></ErrorResponse>",
        ];
        for doc in docs {
            for end in 0..doc.len() {
                if doc.is_char_boundary(end) {
                    let _ = parse(&doc[..end]);
                    let _ = parse_error(&doc[..end]);
                }
            }
            let bytes = doc.as_bytes();
            for i in 0..bytes.len() {
                for b in [b'<', b'>', b'&', b'/', b'"', b' ', b'x', b';', b'#'] {
                    let mut v = bytes.to_vec();
                    v[i] = b;
                    if let Ok(t) = std::str::from_utf8(&v) {
                        let _ = parse(t);
                        let _ = parse_error(t);
                    }
                }
            }
        }
    }
}
