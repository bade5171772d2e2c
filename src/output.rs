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

/// Values tab-separated on one line, in field order; a list gives a line
/// per element (as `aws --output text` does).
fn text(v: &Value) -> String {
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

fn table(v: &Value) -> String {
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
    fn query() {
        let v = json!({"provider":"ens","image_id":"m-1"});
        let q = compile_query("image_id").unwrap();
        assert_eq!(apply_query(&q, &v).unwrap(), json!("m-1"));
        assert!(compile_query("image_id[").is_err());
    }
}
