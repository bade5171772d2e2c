//! The clouds' documented rules for names, descriptions and tags, written
//! here from the documents and never borrowed from the client: the
//! emulator is a witness, and a rule the client gets wrong must make the
//! two disagree. `tests` at the bottom feeds one corpus to both.
//!
//! Sources: the ENS CreateImage/ImportImage and ECS ModifyImageAttribute
//! seed pages, the EC2 CreateImage seed page, shared/ref/{alibaba,aws,
//! huawei}.md (IMS "Image attributes" and "Image Tag Format").

use crate::provider::Provider;

/// "a Chinese character": the CJK Unified Ideographs block, Extension A
/// and the Compatibility Ideographs, as the Alibaba and Huawei consoles
/// accept them.
fn han(c: char) -> bool {
    let u = c as u32;
    (0x4E00..=0x9FFF).contains(&u)
        || (0x3400..=0x4DBF).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
}

fn ascii_letter(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_lowercase()
}

fn ascii_digit(c: char) -> bool {
    c.is_ascii_digit()
}

fn length_in(s: &str, lo: usize, hi: usize) -> bool {
    let n = s.chars().count();
    lo <= n && n <= hi
}

/// Is `name` a name the cloud accepts for a new or renamed image?
pub fn name_ok(p: Provider, name: &str) -> bool {
    match p {
        // ENS: "2 to 128 characters long. It must start with a letter or a
        // Chinese character and cannot start with http:// or https://. It
        // can contain digits, colons (:), underscores (_), and hyphens (-)."
        Provider::Ens => {
            length_in(name, 2, 128)
                && name
                    .chars()
                    .next()
                    .is_some_and(|c| ascii_letter(c) || han(c))
                && !name.starts_with("http://")
                && !name.starts_with("https://")
                && name
                    .chars()
                    .all(|c| ascii_letter(c) || han(c) || ascii_digit(c) || ":_-".contains(c))
        }
        // ECS: "2 to 128 characters in length. It must start with a letter
        // or a Chinese character. The name cannot start with aliyun or acs:
        // and cannot contain http:// or https://. It can contain digits,
        // periods (.), colons (:), underscores (_), and hyphens (-)."
        Provider::Ecs => {
            length_in(name, 2, 128)
                && name
                    .chars()
                    .next()
                    .is_some_and(|c| ascii_letter(c) || han(c))
                && !name.starts_with("aliyun")
                && !name.starts_with("acs:")
                && !name.contains("http://")
                && !name.contains("https://")
                && name
                    .chars()
                    .all(|c| ascii_letter(c) || han(c) || ascii_digit(c) || ".:_-".contains(c))
        }
        // EC2: "3-128 alphanumeric characters, parentheses (()), square
        // brackets ([]), spaces ( ), periods (.), slashes (/), dashes (-),
        // single quotes ('), at-signs (@), or underscores(_)".
        Provider::Ec2 => {
            length_in(name, 3, 128)
                && name
                    .chars()
                    .all(|c| ascii_letter(c) || ascii_digit(c) || "()[] ./-'@_".contains(c))
        }
        // IMS: "1–128 characters; the first and last characters must not be
        // spaces; upper- and lowercase letters, digits, - . _, space, and
        // Chinese characters".
        Provider::Ims => {
            length_in(name, 1, 128)
                && !name.starts_with(' ')
                && !name.ends_with(' ')
                && name
                    .chars()
                    .all(|c| ascii_letter(c) || han(c) || ascii_digit(c) || "-._ ".contains(c))
        }
    }
}

/// Is `d` a description the cloud accepts? ENS image APIs have none.
pub fn description_ok(p: Provider, d: &str) -> bool {
    match p {
        // ECS: "2 to 256 characters in length and cannot start with http://
        // or https://".
        Provider::Ecs => {
            length_in(d, 2, 256) && !d.starts_with("http://") && !d.starts_with("https://")
        }
        // EC2 CreateImage/ModifyImageAttribute: up to 255 characters.
        Provider::Ec2 => length_in(d, 0, 255),
        // IMS: "≤1024 chars; no carriage return, no < >".
        Provider::Ims => length_in(d, 0, 1024) && !d.chars().any(|c| matches!(c, '\r' | '<' | '>')),
        Provider::Ens => false,
    }
}

/// Are these tags within the cloud's documented limits?
pub fn tags_ok(p: Provider, tags: &[(String, String)]) -> bool {
    let tag_ok = |k: &str, v: &str| -> bool {
        match p {
            // ECS Tag.N: up to 20; keys 1-128 characters, not starting with
            // aliyun or acs:, no http:// or https://; values up to 128.
            Provider::Ecs | Provider::Ens => {
                length_in(k, 1, 128)
                    && length_in(v, 0, 128)
                    && (p == Provider::Ens
                        || !(k.starts_with("aliyun")
                            || k.starts_with("acs:")
                            || k.contains("http://")
                            || k.contains("https://")))
            }
            // EC2: up to 50 per resource; keys 1-128, values 0-256; the
            // aws: prefix is reserved (in any case).
            Provider::Ec2 => {
                length_in(k, 1, 128)
                    && length_in(v, 0, 256)
                    && !k.get(..4).is_some_and(|h| h.eq_ignore_ascii_case("aws:"))
            }
            // IMS "Image Tag Format": key ≤ 36, value ≤ 43, only digits,
            // letters, '_' and '-'.
            Provider::Ims => {
                let chars_ok = |s: &str| s.chars().all(|c| c.is_alphanumeric() || "_-".contains(c));
                length_in(k, 1, 36) && length_in(v, 0, 43) && chars_ok(k) && chars_ok(v)
            }
        }
    };
    let most = match p {
        Provider::Ec2 => 50,
        _ => 20,
    };
    tags.len() <= most && tags.iter().all(|(k, v)| tag_ok(k, v))
}

#[cfg(test)]
mod tests {
    //! The witness test: the same corpus through the client's validation
    //! and through these rules. Any disagreement means one side has a
    //! documented rule wrong; the failure lists every case.

    use super::*;
    use crate::ops;

    fn corpus_names() -> Vec<String> {
        let mut v: Vec<String> = [
            "",
            "a",
            "ab",
            "abc",
            "web-v1",
            "web_v1",
            "web:v1",
            "web.v1",
            "web v1",
            " web",
            "web ",
            "1web",
            "-web",
            "_web",
            "Web",
            "WEB-1",
            "镜像",
            "镜像-1",
            "a镜像",
            "镜",
            "aliyun-x",
            "acs:x",
            "x-http://y",
            "http://x",
            "https://x",
            "httpx",
            "my-ami (v1)",
            "[a]",
            "a/b",
            "a'b",
            "a@b",
            "a#b",
            "a&b",
            "a=b",
            "a*b",
            "a~b",
            "a+b",
            "a,b",
            "é-name",
            "naïve",
            "a\tb",
            "a\nb",
            "a\u{0}b",
            "Ab",
            "aB",
            "𠀀x",
            "x𠀀",
            "ｘｙ",
            "a..b",
            "a::b",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for n in [1usize, 2, 3, 127, 128, 129, 200] {
            v.push("a".repeat(n));
            v.push(format!("a{}", "镜".repeat(n.saturating_sub(1))));
        }
        v
    }

    fn corpus_descriptions() -> Vec<String> {
        let mut v: Vec<String> = [
            "",
            "d",
            "ok",
            "built by ci",
            "http://x",
            "https://x",
            "see http://x",
            "a<b",
            "a>b",
            "a\rb",
            "a\nb",
            "镜像描述",
            "tab\there",
            "&=*~/",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for n in [1usize, 2, 255, 256, 257, 1024, 1025] {
            v.push("d".repeat(n));
        }
        v
    }

    fn corpus_tags() -> Vec<Vec<(String, String)>> {
        let one = |k: &str, val: &str| vec![(k.to_string(), val.to_string())];
        let mut v = vec![
            vec![],
            one("team", "web"),
            one("", "x"),
            one("k", ""),
            one("aws:x", "v"),
            one("AWS:x", "v"),
            one("aliyun-x", "v"),
            one("acs:x", "v"),
            one("k", "a&b=c"),
            one("k.k", "v"),
            one("k", "v.v"),
            one("k-1_2", "v-1_2"),
            one("键", "值"),
            one("k k", "v"),
            one("x-http://y", "v"),
        ];
        for n in [36usize, 37, 43, 44, 128, 129, 256, 257] {
            v.push(one(&"k".repeat(n), "v"));
            v.push(one("k", &"v".repeat(n)));
        }
        for n in [20usize, 21, 50, 51] {
            v.push((0..n).map(|i| (format!("k{i}"), "v".to_string())).collect());
        }
        v
    }

    #[test]
    fn client_and_emulator_agree_on_every_documented_rule() {
        let mut disagree = Vec::new();
        for p in Provider::ALL {
            for n in corpus_names() {
                let client = ops::validate_image_name(p, &n).is_ok();
                if client != name_ok(p, &n) {
                    disagree.push(format!("{} name {n:?}: client {client}", p.as_str()));
                }
            }
            if p != Provider::Ens {
                for d in corpus_descriptions() {
                    let client = ops::validate_description(p, &d).is_ok();
                    if client != description_ok(p, &d) {
                        disagree.push(format!("{} description {d:?}: client {client}", p.as_str()));
                    }
                }
            }
            for t in corpus_tags() {
                let tags: Vec<ops::Tag> = t
                    .iter()
                    .map(|(k, v)| ops::Tag {
                        key: k.clone(),
                        value: v.clone(),
                    })
                    .collect();
                let client = ops::validate_tags(p, &tags).is_ok();
                if client != tags_ok(p, &t) {
                    disagree.push(format!("{} tags {t:?}: client {client}", p.as_str()));
                }
            }
        }
        assert!(
            disagree.is_empty(),
            "client and emulator disagree:\n{}",
            disagree.join("\n")
        );
    }

    #[test]
    fn the_corpus_exercises_both_answers() {
        // A corpus that every rule accepts (or refuses) would prove nothing.
        for p in Provider::ALL {
            let names = corpus_names();
            assert!(names.iter().any(|n| name_ok(p, n)));
            assert!(names.iter().any(|n| !name_ok(p, n)));
            let tags = corpus_tags();
            assert!(tags.iter().any(|t| tags_ok(p, t)));
            assert!(tags.iter().any(|t| !tags_ok(p, t)));
        }
    }
}
