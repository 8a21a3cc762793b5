//! `strata gen sqlmodel` and `strata gen alembic` checked with the real Python packages
//! (pinned in tools/python/requirements.txt, installed into target/venv by .ci/run) against a
//! real PostgreSQL server.

mod common;
mod gen_common;

use std::path::Path;
use std::process::Command;

use gen_common::*;

fn run_python(python: &Path, dir: &Path, script: &str, url: &str) -> String {
    let file = dir.join("check.py");
    std::fs::write(&file, script).expect("write script");
    let out = Command::new(python)
        .arg(&file)
        .current_dir(dir)
        .env("DATABASE_URL", url)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "python {script_name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr),
        script_name = file.display()
    );
    stdout
}

fn alembic(python: &Path, dir: &Path, args: &[&str], url: &str) -> String {
    let out = Command::new(python)
        .args(["-m", "alembic"])
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", url)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run alembic");
    assert!(
        out.status.success(),
        "alembic {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

const SQLMODEL_SCRIPT: &str = r#"
import os
from sqlmodel import Session, SQLModel, select

import models
from models import Tag, Task, TaskTag, User, UserCreate, UserRead, UserUpdate
from models.database import database_url, make_engine

# The URL policy of database.py (sslmode=require on hosted servers).
assert "sslmode=require" in database_url("postgresql://u:p@ep-x.neon.tech/db"), "hosted needs ssl"
assert "sslmode" not in database_url("postgresql://u@localhost/db"), "local needs no ssl"
assert "sslmode=disable" in database_url("postgresql://u@db.example.com/db?sslmode=disable")
assert database_url("postgres://u@localhost/db").startswith("postgresql+psycopg://")

# Secrets: write-only in Create, never in Read.
assert "password_hash" in UserCreate.model_fields
assert "password_hash" in UserUpdate.model_fields
assert "password_hash" not in UserRead.model_fields
assert "id" not in UserCreate.model_fields and "id" in UserRead.model_fields
assert "created_at" not in UserCreate.model_fields

engine = make_engine(os.environ["DATABASE_URL"])
SQLModel.metadata.create_all(engine)

with Session(engine) as s:
    data = UserCreate(email="ann@example.com", name="Ann", password_hash="$2b$12$hash")
    user = User.model_validate(data)
    user.tasks = [Task(title="write the report"), Task(title="water the plants")]
    tag = Tag(name="home", user=user)
    user.tasks[1].tags.append(tag)
    s.add(user)
    s.commit()
    user_id = user.id

with Session(engine) as s:
    user = s.get(User, user_id)
    titles = sorted(t.title for t in user.tasks)
    assert titles == ["water the plants", "write the report"], titles
    assert all(t.user.id == user_id for t in user.tasks)
    assert all(t.completed is False for t in user.tasks), "server default false"
    assert [tg.name for t in user.tasks for tg in t.tags] == ["home"]
    assert [t.title for t in user.tags[0].tasks] == ["water the plants"]
    read = UserRead.model_validate(user).model_dump()
    assert "password_hash" not in read and read["email"] == "ann@example.com", read
    print("read", titles)
    s.delete(user)
    s.commit()

with Session(engine) as s:
    assert s.exec(select(Task)).all() == [], "tasks cascade with their user"
    assert s.exec(select(Tag)).all() == [], "tags cascade with their user"
    assert s.exec(select(TaskTag)).all() == [], "links cascade with their task"
print("cascade ok")
"#;

#[test]
fn sqlmodel_package_imports_creates_the_designed_tables_and_cascades() {
    let Some(python) = python() else { return };
    let todo = repo_root().join("examples/todo");
    let tmp = tempfile::tempdir().expect("tempdir");
    gen_to("sqlmodel", &todo, &tmp.path().join("models"), &[]);

    let cluster = strata_pg::shared_cluster().expect("cluster");
    let orm_db = cluster.create_database().expect("database");
    let ddl_db = cluster.create_database().expect("database");
    let mut ddl = cluster.connect(&ddl_db).expect("connect");
    strata_pg::apply_sql(&mut ddl, &build(&todo)).expect("apply strata build");

    let out = run_python(&python, tmp.path(), SQLMODEL_SCRIPT, &cluster.url(&orm_db));
    assert!(out.contains("cascade ok"), "{out}");

    // The script deleted its rows; the schema create_all made is compared with strata's DDL.
    let mut orm = cluster.connect(&orm_db).expect("connect");
    let from_orm = catalog(&mut orm);
    let from_ddl = catalog(&mut ddl);
    for kind in ["tables", "columns", "keys", "checks", "indexes", "enums"] {
        assert_eq!(
            from_orm[kind], from_ddl[kind],
            "{kind} differ between SQLModel.metadata.create_all and strata build"
        );
    }
    // The documented differences: what only the database side has, each listed in tables.py.
    let tables_py = std::fs::read_to_string(tmp.path().join("models/tables.py")).expect("read");
    let mut report =
        String::from("objects only the strata DDL creates (documented in tables.py):\n");
    for kind in ["functions", "triggers", "policies", "row_level_security"] {
        assert!(
            from_orm[kind].is_empty(),
            "create_all unexpectedly made {kind}: {:?}",
            from_orm[kind]
        );
        assert!(!from_ddl[kind].is_empty(), "the Todo schema has {kind}");
        for item in &from_ddl[kind] {
            report.push_str(&format!("  {kind}: {item}\n"));
        }
    }
    let model_json = strata()
        .args(["build", "--format", "json"])
        .arg(&todo)
        .output()
        .expect("build json");
    let model = strata_model::Model::from_json(&String::from_utf8_lossy(&model_json.stdout))
        .expect("model json");
    for t in &model.tables {
        for tr in &t.triggers {
            assert!(
                tables_py.contains(&format!("trigger {} on", tr.name)),
                "trigger {} is not listed in tables.py",
                tr.name
            );
        }
        for p in &t.policies {
            assert!(
                tables_py.contains(&format!("policy {} on", p.name)),
                "policy {} is not listed in tables.py",
                p.name
            );
        }
    }
    for f in &model.functions {
        assert!(
            tables_py.contains(&format!("function {}(", f.name.quoted())),
            "function {} is not listed",
            f.name
        );
    }
    eprintln!("{report}");
}

#[test]
fn alembic_upgrade_equals_strata_build_and_downgrade_drops_everything() {
    let Some(python) = python() else { return };
    let todo = repo_root().join("examples/todo");
    let tmp = tempfile::tempdir().expect("tempdir");
    gen_to("alembic", &todo, tmp.path(), &[]);
    gen_to("sqlmodel", &todo, &tmp.path().join("models"), &[]);

    let cluster = strata_pg::shared_cluster().expect("cluster");
    let mig_db = cluster.create_database().expect("database");
    let ddl_db = cluster.create_database().expect("database");
    let mut ddl = cluster.connect(&ddl_db).expect("connect");
    strata_pg::apply_sql(&mut ddl, &build(&todo)).expect("apply strata build");
    let url = cluster.url(&mig_db);

    let offline = alembic(&python, tmp.path(), &["upgrade", "head", "--sql"], &url);
    assert!(
        offline.contains("CREATE TABLE public.tasks") && offline.contains("CREATE TRIGGER"),
        "offline SQL lacks the schema:\n{offline}"
    );

    alembic(&python, tmp.path(), &["upgrade", "head"], &url);
    let mut mig = cluster.connect(&mig_db).expect("connect");
    let upgraded = catalog(&mut mig);
    let designed = catalog(&mut ddl);
    assert!(!designed["triggers"].is_empty() && !designed["policies"].is_empty());
    assert_eq!(
        upgraded, designed,
        "alembic upgrade head differs from strata build"
    );
    let version: String = mig
        .query_one("SELECT version_num FROM alembic_version", &[])
        .expect("alembic_version")
        .get(0);
    assert_eq!(version, "0001_initial");

    alembic(&python, tmp.path(), &["downgrade", "base"], &url);
    let after = catalog(&mut mig);
    for (kind, rows) in &after {
        assert!(rows.is_empty(), "downgrade left {kind}: {rows:?}");
    }
}

#[test]
fn pagila_models_configure_and_alembic_round_trips() {
    let Some(python) = python() else { return };
    let pagila = repo_root().join("corpus/pagila-schema.sql");
    let tmp = tempfile::tempdir().expect("tempdir");
    gen_to("alembic", &pagila, tmp.path(), &[]);
    gen_to("sqlmodel", &pagila, &tmp.path().join("models"), &[]);

    // Every relationship resolves (two keys film -> language need explicit foreign_keys).
    let out = run_python(
        &python,
        tmp.path(),
        "from sqlalchemy.orm import configure_mappers\nimport models\nconfigure_mappers()\n\
         assert set(models.Film.__mapper__.relationships.keys()) >= {'language', 'original_language', 'actors', 'categories'}\n\
         assert set(models.Actor.__mapper__.relationships.keys()) == {'films'}\n\
         print('tables', len(models.metadata.tables))\n",
        "postgresql://unused@localhost/unused",
    );
    assert!(out.contains("tables"), "{out}");

    let cluster = strata_pg::shared_cluster().expect("cluster");
    let mig_db = cluster.create_database().expect("database");
    let ddl_db = cluster.create_database().expect("database");
    let mut ddl = cluster.connect(&ddl_db).expect("connect");
    strata_pg::apply_sql(&mut ddl, &build(&pagila)).expect("apply strata build");
    let url = cluster.url(&mig_db);
    alembic(&python, tmp.path(), &["upgrade", "head"], &url);
    let mut mig = cluster.connect(&mig_db).expect("connect");
    assert_eq!(
        catalog(&mut mig),
        catalog(&mut ddl),
        "alembic upgrade head differs from strata build for pagila"
    );
    alembic(&python, tmp.path(), &["downgrade", "base"], &url);
    for (kind, rows) in catalog(&mut mig) {
        assert!(rows.is_empty(), "downgrade left {kind}: {rows:?}");
    }
}

const TENANT_SCRIPT: &str = r#"
import os
import uuid

from sqlalchemy import text
from sqlmodel import Session, select

from models import AuditLogRead, Customer, CustomerCreate, Organization
from models import schemas
from models.database import TENANT_SETTING, make_engine, tenant_session

A = uuid.UUID("00000000-0000-4000-8000-00000000000a")
B = uuid.UUID("00000000-0000-4000-8000-00000000000b")
assert TENANT_SETTING == "app.current_org_id", TENANT_SETTING

# The audit log is append-only and written by triggers: it can be read, not created or updated.
assert not hasattr(schemas, "AuditLogUpdate") and not hasattr(schemas, "AuditLogCreate")
assert "table_name" in AuditLogRead.model_fields
# A domain over text is a str, not Any.
assert CustomerCreate.model_fields["name"].annotation is str

# One connection, so a setting left behind would be seen by the next session.
engine = make_engine(os.environ["DATABASE_URL"], pool_size=1, max_overflow=0)

for tenant, names in ((A, ["Ada", "Alan"]), (B, ["Bob"])):
    with tenant_session(tenant, engine) as s:
        s.add(Organization(id=tenant, name=f"org {tenant}", slug=f"org-{str(tenant)[-1]}"))
        s.commit()
        # A second transaction of the same session is scoped again.
        for n in names:
            s.add(Customer(organization_id=tenant, name=n))
        s.commit()

with tenant_session(A, engine) as s:
    seen = sorted(c.name for c in s.exec(select(Customer)).all())
    assert seen == ["Ada", "Alan"], seen
    orgs = [o.id for o in s.exec(select(Organization)).all()]
    assert orgs == [A], orgs
    # Writing another tenant's row is refused by the policy's WITH CHECK.
    s.add(Customer(organization_id=B, name="intruder"))
    try:
        s.commit()
        raise AssertionError("a row for tenant B was written from tenant A's session")
    except Exception as e:
        assert "row-level security" in str(e), e
        s.rollback()

with tenant_session(B, engine) as s:
    seen = sorted(c.name for c in s.exec(select(Customer)).all())
    assert seen == ["Bob"], seen

# The setting lived in the transactions only: a plain session on the same pooled connection
# has no tenant and sees no rows.
with Session(engine) as s:
    left = s.exec(text("SELECT current_setting('app.current_org_id', true)")).one()[0]
    assert left in (None, ""), f"tenant setting leaked into the pool: {left!r}"
    assert s.exec(select(Customer)).all() == []

try:
    with tenant_session("", engine):
        pass
    raise AssertionError("an empty tenant was accepted")
except ValueError:
    pass
print("tenant ok")
"#;

/// `database.tenant_session` scopes each transaction to one tenant with `set_config(..., true)`:
/// run as the application role (no superuser, no BYPASSRLS) on examples/saas, tenant A sees
/// only A's rows, cannot write B's, and nothing is left on the pooled connection.
#[test]
fn sqlmodel_tenant_session_admits_one_tenants_rows() {
    let Some(python) = python() else { return };
    let saas = repo_root().join("examples/saas");
    let tmp = tempfile::tempdir().expect("tempdir");
    gen_to("sqlmodel", &saas, &tmp.path().join("models"), &[]);

    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = cluster.create_database().expect("database");
    let app = format!("saas_app_{}", std::process::id());
    let mut su = cluster.connect(&db).expect("connect");
    strata_pg::apply_sql(&mut su, &build(&saas)).expect("apply strata build");
    su.batch_execute(&format!(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{app}') THEN
             CREATE ROLE {app} LOGIN NOSUPERUSER NOBYPASSRLS; END IF;
         END $$;
         GRANT USAGE ON SCHEMA public TO {app};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};"
    ))
    .expect("application role");
    let url = cluster.url(&db).replacen(
        &format!("//{}@", cluster.superuser()),
        &format!("//{app}@"),
        1,
    );
    assert!(url.contains(&app), "{url}");
    let out = run_python(&python, tmp.path(), TENANT_SCRIPT, &url);
    assert!(out.contains("tenant ok"), "{out}");

    // The rows are really there for both tenants: the superuser sees all of them.
    let n: i64 = su
        .query_one("SELECT count(*) FROM public.customers", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, 3, "three customers in two tenants");
}

const UNICODE_SCRIPT: &str = r#"
import os
from sqlmodel import Session, SQLModel, select

from models import Preis
from models.database import make_engine

engine = make_engine(os.environ["DATABASE_URL"])
SQLModel.metadata.create_all(engine)
with Session(engine) as s:
    s.add(Preis(gr_u00f6_u00df_e=3, na_u00ef_ve=True))
    s.commit()
with Session(engine) as s:
    p = s.exec(select(Preis)).one()
    assert (p.gr_u00f6_u00df_e, p.na_u00ef_ve) == (3, True)
print("unicode ok")
"#;

/// Names in any script become ASCII attributes (`größe` → `gr_u00f6_u00df_e`) mapped to the
/// real, quoted column names: create_all and a round trip work on a real server.
#[test]
fn sqlmodel_maps_unicode_names_to_their_columns() {
    let Some(python) = python() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = tmp.path().join("shop.strata");
    std::fs::write(
        &src,
        "entity Preis {\n  größe int?\n  naïve bool = false\n}\n",
    )
    .expect("write schema");
    gen_to("sqlmodel", &src, &tmp.path().join("models"), &[]);
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = cluster.create_database().expect("database");
    let out = run_python(&python, tmp.path(), UNICODE_SCRIPT, &cluster.url(&db));
    assert!(out.contains("unicode ok"), "{out}");
    let mut client = cluster.connect(&db).expect("connect");
    let table: String = client
        .query_one(
            "SELECT table_name::text FROM information_schema.columns WHERE column_name = 'größe'",
            &[],
        )
        .expect("the column keeps its name")
        .get(0);
    let n: i64 = client
        .query_one(
            &format!("SELECT count(*) FROM \"{table}\" WHERE \"größe\" = 3 AND \"naïve\""),
            &[],
        )
        .expect("the real column names")
        .get(0);
    assert_eq!(n, 1);
}
