//! Rendering of results on stdout: JSON (default), table or text, after an
//! optional JMESPath `--query`.

use std::io::Write;

use serde_json::Value;

use crate::error::{Error, Result};

/// `--output`: how an outcome is shown on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per operation (the default).
    Json,
    /// A key/value table for people.
    Table,
    /// Tab-separated values, for cut and read.
    Text,
}

/// Compiles `--query` before anything is sent, so a typo costs nothing.
pub fn compile_query(q: &str) -> Result<jmespath::Expression<'static>> {
    jmespath::compile(q).map_err(|e| Error::usage(format!("invalid --query '{q}': {e}")))
}

pub fn apply_query(expr: &jmespath::Expression<'static>, v: &Value) -> Result<Value> {
    let data = jmespath::Variable::from_serializable(v)
        .map_err(|e| Error::usage(format!("--query: {e}")))?;
    let r = expr
        .search(data)
        .map_err(|e| Error::usage(format!("--query: {e}")))?;
    serde_json::to_value(&*r).map_err(|e| Error::usage(format!("--query: {e}")))
}

pub fn render(v: &Value, format: OutputFormat, pretty: bool) -> String {
    match format {
        OutputFormat::Json => {
            if pretty {
                serde_json::to_string_pretty(v).unwrap_or_default()
            } else {
                v.to_string()
            }
        }
        OutputFormat::Text => text(v),
        OutputFormat::Table => table(v),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The rows of a list result: its `images`, when that is a list of objects.
fn rows_of(v: &Value) -> Option<&Vec<Value>> {
    let rows = v.as_object()?.get("images")?.as_array()?;
    rows.iter().all(Value::is_object).then_some(rows)
}

/// Values tab-separated on one line, in field order; a list gives a line
/// per element (as `aws --output text` does), and a list result a line
/// per image.
fn text(v: &Value) -> String {
    if let Some(rows) = rows_of(v) {
        return rows.iter().map(text).collect::<Vec<_>>().join("\n");
    }
    match v {
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| k.as_str() != "raw")
            .map(|(_, v)| scalar(v))
            .collect::<Vec<_>>()
            .join("\t"),
        Value::Array(a) => a.iter().map(text).collect::<Vec<_>>().join("\n"),
        other => scalar(other),
    }
}

/// One row per object, one column per key (in first-seen order).
fn grid(rows: &[Value]) -> String {
    let mut cols: Vec<String> = Vec::new();
    for r in rows {
        for k in r.as_object().into_iter().flat_map(|m| m.keys()) {
            if !cols.contains(k) {
                cols.push(k.clone());
            }
        }
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            cols.iter()
                .map(|c| r.get(c).map(scalar).unwrap_or_default())
                .collect()
        })
        .collect();
    let widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = format!(
        "+{}+",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("+")
    );
    let row = |vals: &[String]| {
        let parts: Vec<String> = vals
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!(" {v:<w$} "))
            .collect();
        format!("|{}|", parts.join("|"))
    };
    let mut out = vec![line.clone(), row(&cols), line.clone()];
    out.extend(cells.iter().map(|c| row(c)));
    out.push(line);
    out.join("\n")
}

fn table(v: &Value) -> String {
    if let Some(rows) = rows_of(v) {
        if rows.is_empty() {
            return "(no images)".into();
        }
        return grid(rows);
    }
    if let Value::Array(a) = v
        && !a.is_empty()
        && a.iter().all(Value::is_object)
    {
        return grid(a);
    }
    let rows: Vec<(String, String)> = match v {
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| k.as_str() != "raw")
            .map(|(k, v)| (k.clone(), scalar(v)))
            .collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), scalar(v)))
            .collect(),
        other => return scalar(other),
    };
    let kw = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let vw = rows
        .iter()
        .map(|(_, v)| v.chars().count())
        .max()
        .unwrap_or(0);
    let line = format!("+{}+{}+", "-".repeat(kw + 2), "-".repeat(vw + 2));
    let mut out = vec![line.clone()];
    for (k, v) in rows {
        out.push(format!("| {k:<kw$} | {v:<vw$} |"));
    }
    out.push(line);
    out.join("\n")
}

/// Writes one line to stdout. A closed pipe (`imgctl … | head -0`) is not
/// an error for the caller: the reader has gone, so we stop quietly.
pub fn print_stdout(s: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats() {
        let v = json!({"provider":"ens","image_id":"m-1","status":"Creating"});
        assert_eq!(render(&v, OutputFormat::Text, false), "ens\tm-1\tCreating");
        assert_eq!(
            render(&v, OutputFormat::Json, false),
            r#"{"provider":"ens","image_id":"m-1","status":"Creating"}"#
        );
        let t = render(&v, OutputFormat::Table, false);
        assert!(t.contains("| image_id | m-1      |"), "{t}");
    }

    #[test]
    fn lists_render_a_row_per_image() {
        let v = json!({"provider":"ecs","operation":"list","images":[
            {"image_id":"m-1","name":"web-1","status":"Available","created":"2026-01-01T00:00:00Z"},
            {"image_id":"m-22","name":"web-2","status":"Creating","created":null}]});
        let t = render(&v, OutputFormat::Table, false);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 6, "{t}");
        assert!(
            lines[1].contains("image_id") && lines[1].contains("created"),
            "{t}"
        );
        assert!(lines[3].starts_with("| m-1 "), "{t}");
        assert!(lines[4].contains("| Creating "), "{t}");
        assert_eq!(
            render(&v, OutputFormat::Text, false),
            "m-1\tweb-1\tAvailable\t2026-01-01T00:00:00Z\nm-22\tweb-2\tCreating\t"
        );
        let q = compile_query("images[].image_id").unwrap();
        let ids = apply_query(&q, &v).unwrap();
        assert_eq!(render(&ids, OutputFormat::Text, false), "m-1\nm-22");
        let empty = json!({"provider":"ecs","operation":"list","images":[]});
        assert_eq!(render(&empty, OutputFormat::Table, false), "(no images)");
        assert_eq!(render(&empty, OutputFormat::Text, false), "");
    }

    #[test]
    fn query() {
        let v = json!({"provider":"ens","image_id":"m-1"});
        let q = compile_query("image_id").unwrap();
        assert_eq!(apply_query(&q, &v).unwrap(), json!("m-1"));
        assert!(compile_query("image_id[").is_err());
    }
}
