//! The module graph reads one way: `scripts/check-layers` finds no `crate::` path from a
//! module to one of its own layer or a later one (the layers are listed in `src/lib.rs`).

use std::path::Path;
use std::process::{Command, Output};

fn check_layers(root: &Path) -> Output {
    Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-layers"))
        .arg(root)
        .output()
        .expect("python3 runs scripts/check-layers")
}

#[test]
fn no_module_uses_a_module_of_its_own_layer_or_a_later_one() {
    let output = check_layers(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        output.status.success(),
        "imports against the layers of src/lib.rs:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn the_check_names_each_import_against_the_layers() {
    let root = tempfile::tempdir().unwrap();
    let src = root.path().join("src");
    std::fs::create_dir_all(src.join("top")).unwrap();
    std::fs::write(
        src.join("lib.rs"),
        "//! 1. [`low`] — the bottom\n//! 2. [`top`], [`side`] — the top\n",
    )
    .unwrap();
    std::fs::write(
        src.join("low.rs"),
        "// use crate::top::InAComment;\nuse crate::{\n    low::Itself,\n    top::Up,\n};\n",
    )
    .unwrap();
    std::fs::write(
        src.join("top/mod.rs"),
        "use crate::low::Down;\nfn f() { crate::side::g(); }\n",
    )
    .unwrap();
    std::fs::write(src.join("stray.rs"), "").unwrap();
    let output = check_layers(root.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "src/low.rs:4 low -> top\nsrc/stray.rs:1 stray is in no layer of src/lib.rs\n\
         src/top/mod.rs:2 top -> side\n"
    );
}
