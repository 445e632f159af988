use std::path::PathBuf;

use super::{forms, inventory};
use crate::workflow::{IssueKind, load_dir, load_file};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("daftar-wf-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn non_utf8_file_is_refused_naming_the_file() {
    let dir = TempDir::new("utf8");
    let path = dir.write("latin1.yaml", b"key: caf\xe9\n");
    let error = load_file(&path, &forms()).unwrap_err();
    assert_eq!(error.issues[0].kind, IssueKind::NotUtf8 { offset: 8 });
    let text = error.to_string();
    assert!(text.starts_with(&path.display().to_string()), "{text}");
    assert!(text.contains("not UTF-8"), "{text}");
}

#[test]
fn missing_file_is_reported_not_panicked() {
    let error = load_file(std::path::Path::new("/nonexistent/x.yaml"), &forms()).unwrap_err();
    assert!(
        matches!(error.issues[0].kind, IssueKind::Unreadable(_)),
        "{error}"
    );
    assert!(load_dir(std::path::Path::new("/nonexistent"), &forms()).is_err());
}

#[test]
fn load_dir_reports_every_bad_file_and_duplicate_keys() {
    let dir = TempDir::new("dir");
    let good = inventory().to_string();
    dir.write("a.json", good.as_bytes());
    dir.write("b.yml", good.as_bytes()); // JSON is YAML too; same key as a.json
    dir.write("c.yaml", b"key: [unclosed\n");
    let mut bad = inventory();
    bad["steps"][0]["next"] = serde_json::json!("nowhere");
    bad["key"] = serde_json::json!("other");
    dir.write("d.yaml", bad.to_string().as_bytes());
    dir.write("notes.md", b"not a workflow");

    let errors = load_dir(&dir.0, &forms()).unwrap_err();
    let described: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 3, "{described:#?}");
    assert!(
        described[0].contains("b.yml: /key: key \"inventory\" is also defined in"),
        "{}",
        described[0]
    );
    assert!(
        described[1].contains("c.yaml: syntax error"),
        "{}",
        described[1]
    );
    assert!(
        described[2].contains("d.yaml: /steps/0/next: unknown step \"nowhere\""),
        "{}",
        described[2]
    );
}

#[test]
fn load_dir_returns_definitions_in_file_name_order() {
    let dir = TempDir::new("order");
    let mut second = inventory();
    second["key"] = serde_json::json!("second");
    dir.write("z.yaml", second.to_string().as_bytes());
    dir.write("a.yaml", inventory().to_string().as_bytes());
    let loaded = load_dir(&dir.0, &forms()).unwrap();
    let keys: Vec<&str> = loaded.iter().map(|(_, d)| d.key()).collect();
    assert_eq!(keys, ["inventory", "second"]);
    assert!(loaded[0].0.ends_with("a.yaml"));
}
