//! `strata gen drizzle` type-checked by the real TypeScript compiler against the real
//! drizzle-orm (both pinned in tools/node/package.json, installed by .ci/run).

mod common;
mod gen_common;

use std::path::Path;
use std::process::Command;

use gen_common::*;

fn tsc_check(src: &Path, name: &str) {
    let node_modules = repo_root().join("tools/node/node_modules");
    let Some(tsc) = require_tool(
        node_modules.join(".bin/tsc"),
        "TypeScript and drizzle-orm",
        "cd tools/node && npm ci",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    gen_to("drizzle", src, dir.path(), &[]);
    std::os::unix::fs::symlink(&node_modules, dir.path().join("node_modules"))
        .expect("link node_modules");
    // Strict, and unused imports are errors too: the generator imports only what it uses.
    std::fs::write(
        dir.path().join("tsconfig.json"),
        r#"{
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true,
    "noUnusedLocals": true
  },
  "files": ["schema.ts"]
}
"#,
    )
    .expect("write tsconfig");
    let out = Command::new(&tsc)
        .args(["--noEmit", "-p", "tsconfig.json"])
        .current_dir(dir.path())
        .output()
        .expect("run tsc");
    let schema = std::fs::read_to_string(dir.path().join("schema.ts")).unwrap_or_default();
    assert!(
        out.status.success(),
        "tsc rejected the drizzle schema of {name}:\n{}\n--- schema.ts ---\n{schema}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn todo_schema_type_checks() {
    tsc_check(&repo_root().join("examples/todo"), "examples/todo");
}

#[test]
fn pagila_schema_type_checks() {
    tsc_check(&repo_root().join("corpus/pagila-schema.sql"), "pagila");
}

#[test]
fn saas_schema_type_checks() {
    tsc_check(&repo_root().join("examples/saas"), "examples/saas");
}

/// Lists what drizzle itself reads from the compiled schema: each table's `enableRLS`, its
/// policies (SQL rendered by drizzle's own dialect) and its SQL column defaults.
const READ_SCHEMA: &str = r#"
import { is, SQL } from "drizzle-orm";
import { getTableConfig, PgDialect, PgTable } from "drizzle-orm/pg-core";
const schema = await import(process.argv[2]);
const dialect = new PgDialect();
const text = (s) => (s ? dialect.sqlToQuery(s).sql : null);
const out = {};
for (const v of Object.values(schema)) {
  if (!is(v, PgTable)) continue;
  const c = getTableConfig(v);
  out[`${c.schema ?? "public"}.${c.name}`] = {
    rls: c.enableRLS === true,
    policies: c.policies.map((p) => ({
      name: p.name, as: p.as, for: p.for, to: p.to, using: text(p.using), withCheck: text(p.withCheck),
    })),
    defaults: Object.fromEntries(
      c.columns.filter((col) => is(col.default, SQL)).map((col) => [col.name, text(col.default)]),
    ),
  };
}
console.log(JSON.stringify(out));
"#;

/// Row-level security, every policy and `now()` defaults reach drizzle as `.enableRLS()`,
/// `pgPolicy` and `.defaultNow()`: the compiled schema, read through drizzle's own
/// `getTableConfig`, says exactly what `strata build` says.
#[test]
fn saas_policies_rls_and_now_defaults_reach_drizzle() {
    let node_modules = repo_root().join("tools/node/node_modules");
    let Some(tsc) = require_tool(
        node_modules.join(".bin/tsc"),
        "TypeScript and drizzle-orm",
        "cd tools/node && npm ci",
    ) else {
        return;
    };
    let saas = repo_root().join("examples/saas");
    let dir = tempfile::tempdir().expect("tempdir");
    gen_to("drizzle", &saas, dir.path(), &[]);
    std::os::unix::fs::symlink(&node_modules, dir.path().join("node_modules"))
        .expect("link node_modules");
    std::fs::write(dir.path().join("package.json"), r#"{ "type": "module" }"#).expect("write");
    std::fs::write(
        dir.path().join("tsconfig.json"),
        r#"{ "compilerOptions": { "target": "ES2022", "module": "ESNext", "moduleResolution": "Bundler", "strict": true, "skipLibCheck": true, "outDir": "out" }, "files": ["schema.ts"] }"#,
    )
    .expect("write tsconfig");
    let compiled = Command::new(&tsc)
        .args(["-p", "tsconfig.json"])
        .current_dir(dir.path())
        .output()
        .expect("run tsc");
    assert!(
        compiled.status.success(),
        "tsc: {}",
        String::from_utf8_lossy(&compiled.stdout)
    );
    std::fs::write(dir.path().join("read.mjs"), READ_SCHEMA).expect("write script");
    let read = Command::new("node")
        .arg("read.mjs")
        .arg(dir.path().join("out/schema.js"))
        .current_dir(dir.path())
        .output()
        .expect("run node");
    assert!(
        read.status.success(),
        "node: {}",
        String::from_utf8_lossy(&read.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&read.stdout).expect("JSON from node");

    let json = strata()
        .args(["build", "--format", "json"])
        .arg(&saas)
        .output()
        .expect("build json");
    let model =
        strata_model::Model::from_json(&String::from_utf8_lossy(&json.stdout)).expect("model json");
    let mut policies = 0;
    let mut now_defaults = 0;
    for t in model.tables.iter().filter(|t| t.partition_of.is_none()) {
        let key = format!("{}.{}", t.name.schema, t.name.name);
        let d = &got[&key];
        assert!(d.is_object(), "{key} missing from the drizzle schema");
        assert_eq!(d["rls"], t.rls_enabled, "{key}: enableRLS");
        let listed = d["policies"].as_array().expect("policies");
        assert_eq!(listed.len(), t.policies.len(), "{key}: policies");
        for p in &t.policies {
            let q = listed
                .iter()
                .find(|q| q["name"] == p.name.as_str())
                .unwrap_or_else(|| panic!("{key}: policy {} missing", p.name));
            assert_eq!(q["for"], p.command.sql().to_ascii_lowercase(), "{}", p.name);
            assert_eq!(
                q["as"],
                if p.permissive {
                    "permissive"
                } else {
                    "restrictive"
                }
            );
            assert_eq!(q["using"].as_str(), p.using.as_deref(), "{}", p.name);
            assert_eq!(
                q["withCheck"].as_str(),
                p.with_check.as_deref(),
                "{}",
                p.name
            );
            if p.roles.is_empty() {
                assert_eq!(q["to"], "public", "{}", p.name);
            }
            policies += 1;
        }
        for c in &t.columns {
            if c.default.as_deref() == Some("now()") {
                assert_eq!(d["defaults"][&c.name], "now()", "{key}.{}", c.name);
                now_defaults += 1;
            }
        }
    }
    assert!(
        policies >= 10,
        "examples/saas has tenant policies ({policies})"
    );
    assert!(
        now_defaults >= 10,
        "examples/saas has now() defaults ({now_defaults})"
    );
    let schema = std::fs::read_to_string(dir.path().join("schema.ts")).expect("schema.ts");
    assert!(schema.contains(".defaultNow()") && !schema.contains("default(sql`now()`)"));
}

/// Names in any script map to ASCII properties (`größe` → `grU00f6U00dfE`) that keep the real
/// column names, and the schema type-checks.
#[test]
fn unicode_names_type_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("shop.strata"),
        "enum état { ouvert, fermé }\n\nentity Preis {\n  größe int?\n  naïve bool = false\n  état  état = ouvert\n}\n",
    )
    .expect("write schema");
    tsc_check(dir.path(), "unicode names");
    let out = tempfile::tempdir().expect("tempdir");
    gen_to("drizzle", dir.path(), out.path(), &[]);
    let ts = std::fs::read_to_string(out.path().join("schema.ts")).expect("schema.ts");
    assert!(ts.contains("grU00f6U00dfE: integer(\"größe\")"), "{ts}");
    assert!(ts.contains("\"fermé\""), "{ts}");
}
