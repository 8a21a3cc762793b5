//! SQL of single steps: creating, dropping and altering one object.

use std::collections::BTreeSet;

use strata_model::{Column, Identity, Model, QualifiedName, Table, quote_ident, quote_literal};

use crate::catalog::{Data, Obj};
use crate::step::{Hazard, LockLevel, Step};

/// What the planner knows about the surroundings of one object.
pub(crate) struct Ctx<'a> {
    pub model: &'a Model,
    /// The object's table (or view) is created in this plan: it is empty and nobody uses it.
    pub owner_new: bool,
    pub online: bool,
}

pub(crate) fn step(sql: String, lock: LockLevel, description: String) -> Step {
    Step {
        sql,
        lock,
        takes: lock,
        transactional: true,
        hazards: Vec::new(),
        reverse: None,
        description,
        needs_empty: None,
    }
}

trait StepExt {
    fn hazard(self, h: &[Hazard]) -> Self;
    fn outside_tx(self) -> Self;
    fn reverse(self, sql: Option<String>) -> Self;
}

impl StepExt for Step {
    fn hazard(mut self, h: &[Hazard]) -> Self {
        self.hazards.extend_from_slice(h);
        self.hazards.sort();
        self.hazards.dedup();
        self
    }
    fn outside_tx(mut self) -> Self {
        self.transactional = false;
        self
    }
    fn reverse(mut self, sql: Option<String>) -> Self {
        self.reverse = sql;
        self
    }
}

fn alter_table(table: &QualifiedName, rest: &str) -> String {
    format!("ALTER TABLE {} {rest};", table.quoted())
}

fn col(table: &QualifiedName, column: &str, rest: &str) -> String {
    alter_table(
        table,
        &format!("ALTER COLUMN {} {rest}", quote_ident(column)),
    )
}

/// A locking step on an existing table, or none when the table is new.
fn lock_on(ctx: &Ctx, level: LockLevel) -> LockLevel {
    if ctx.owner_new {
        LockLevel::None
    } else {
        level
    }
}

/// Statements dropping `obj` (no steps when `implicit`: its owner's drop takes it along).
pub(crate) fn drop_steps(obj: &Obj, ctx: &Ctx) -> Vec<Step> {
    let d = |what: &str| format!("drop {}{}{what}", obj.kind.prefix(), obj.name);
    let ae = LockLevel::AccessExclusive;
    let breaks = [Hazard::BreaksClients];
    let deletes = [Hazard::DeletesData, Hazard::BreaksClients];
    let s = match &obj.data {
        Data::Schema(s) => step(
            format!("DROP SCHEMA {};", quote_ident(&s.name)),
            LockLevel::None,
            d(""),
        )
        .hazard(&breaks),
        Data::Extension(e) => step(
            format!("DROP EXTENSION {};", quote_ident(&e.name)),
            LockLevel::None,
            d(""),
        )
        .hazard(&breaks),
        Data::Enum(e) => step(
            format!("DROP TYPE {};", e.name.quoted()),
            LockLevel::None,
            d(""),
        )
        .hazard(&breaks),
        Data::Domain(x) => step(
            format!("DROP DOMAIN {};", x.name.quoted()),
            LockLevel::None,
            d(""),
        )
        .hazard(&breaks),
        Data::Sequence(x) => {
            step(format!("DROP SEQUENCE {};", x.name.quoted()), ae, d("")).hazard(&breaks)
        }
        Data::SeqOwner { seq, .. } => step(
            format!("ALTER SEQUENCE {} OWNED BY NONE;", seq.quoted()),
            ae,
            format!("sequence {} owned by nothing", obj.name),
        ),
        Data::Function(f) => step(
            format!("DROP FUNCTION {};", strata_sql::function_signature(f)),
            LockLevel::None,
            d(""),
        )
        .hazard(&breaks),
        Data::Aggregate(a) => step(
            format!("DROP AGGREGATE {};", strata_sql::aggregate_signature(a)),
            LockLevel::None,
            d(""),
        )
        .hazard(&breaks),
        Data::Table(t) => {
            step(format!("DROP TABLE {};", t.name.quoted()), ae, d("")).hazard(&deletes)
        }
        Data::Column { table, column, .. } => step(
            alter_table(table, &format!("DROP COLUMN {}", quote_ident(&column.name))),
            ae,
            d(""),
        )
        .hazard(&deletes),
        Data::PrimaryKey(t, pk) => drop_constraint(t, &pk.name, d("")),
        Data::Unique(t, u) => drop_constraint(t, &u.name, d("")),
        Data::Check(t, c) => drop_constraint(t, &c.name, d("")),
        Data::Exclusion(t, x) => drop_constraint(t, &x.name, d("")),
        Data::ForeignKey(t, fk) => drop_constraint(t, &fk.name, d("")),
        Data::Index {
            table,
            index,
            partitioned,
        } => {
            let name = QualifiedName::new(table.schema.clone(), index.name.clone()).quoted();
            if ctx.online && !partitioned && !ctx.owner_new {
                step(
                    format!("DROP INDEX CONCURRENTLY {name};"),
                    LockLevel::ShareUpdateExclusive,
                    d(" concurrently"),
                )
                .outside_tx()
            } else {
                step(format!("DROP INDEX {name};"), ae, d(""))
            }
        }
        Data::Trigger(t, tr) => step(
            format!("DROP TRIGGER {} ON {};", quote_ident(&tr.name), t.quoted()),
            LockLevel::AccessExclusive,
            d(""),
        ),
        Data::Policy(t, p) => step(
            format!("DROP POLICY {} ON {};", quote_ident(&p.name), t.quoted()),
            ae,
            d(""),
        ),
        Data::View(v) => step(
            format!(
                "DROP {}VIEW {};",
                if v.materialized { "MATERIALIZED " } else { "" },
                v.name.quoted()
            ),
            ae,
            d(""),
        )
        .hazard(&breaks),
        Data::Grant(g) => match revoke_step(g, &g.privileges, ctx.model) {
            Some(s) => s,
            None => return Vec::new(),
        },
        Data::Verbatim(v) => {
            // Dropping what belongs to a table locks it: a trigger or rule ACCESS EXCLUSIVE,
            // a statistics object SHARE UPDATE EXCLUSIVE; a column privilege takes no lock.
            let lock = match (v.on.is_some(), v.kind.as_str()) {
                (_, "grant" | "revoked default") => LockLevel::None,
                // Dropping a foreign table locks it like a table.
                (_, "foreign table") => LockLevel::AccessExclusive,
                // ALTER INDEX ... RESET of a key's index: SHARE UPDATE EXCLUSIVE on the index.
                (true, "statistics" | "comment" | "index settings") => {
                    LockLevel::ShareUpdateExclusive
                }
                (true, "trigger state") => LockLevel::ShareRowExclusive,
                (true, _) => LockLevel::AccessExclusive,
                (false, _) => LockLevel::None,
            };
            let s = step(v.drop.clone(), lock_on(ctx, lock), d(""));
            // Back to heap: every row is written into a new file under the lock.
            let s = if v.kind == "table access method" {
                s.hazard(&[Hazard::RewritesTable, Hazard::LongLock])
            } else {
                s
            };
            // Clients may read a foreign table, or call a routine, aggregate, operator or cast, that
            // goes.
            if matches!(
                v.kind.as_str(),
                "foreign table"
                    | "function"
                    | "procedure"
                    | "aggregate"
                    | "operator"
                    | "cast"
                    | "type"
            ) {
                s.hazard(&breaks)
            } else {
                s
            }
        }
        Data::Comment { kind, target, .. } => step(
            format!("COMMENT ON {kind} {target} IS NULL;"),
            comment_lock(kind),
            format!("remove comment {}", obj.name),
        ),
    };
    vec![s]
}

fn drop_constraint(table: &QualifiedName, name: &str, description: String) -> Step {
    step(
        alter_table(table, &format!("DROP CONSTRAINT {}", quote_ident(name))),
        LockLevel::AccessExclusive,
        description,
    )
}

/// Revokes `privileges` of `g`: clients of the role lose access.
pub(crate) fn revoke_step(
    g: &strata_model::Grant,
    privileges: &[String],
    model: &Model,
) -> Option<Step> {
    let part = strata_model::Grant {
        privileges: privileges.to_vec(),
        ..g.clone()
    };
    let grant = strata_sql::render_grant(&part, model).ok()?;
    let text = crate::ownership::grant_text(&part);
    let text = match text.rfind(" to ") {
        Some(i) => format!("{} from {}", &text[..i], &text[i + 4..]),
        None => text,
    };
    Some(
        step(revoke(&grant), LockLevel::None, format!("revoke {text}"))
            .hazard(&[Hazard::BreaksClients]),
    )
}

/// Grants `privileges` of `g`.
pub(crate) fn grant_step(
    g: &strata_model::Grant,
    privileges: &[String],
    model: &Model,
) -> Option<Step> {
    let part = strata_model::Grant {
        privileges: privileges.to_vec(),
        ..g.clone()
    };
    let sql = strata_sql::render_grant(&part, model).ok()?;
    let undo = revoke(&sql);
    Some(
        step(
            sql,
            LockLevel::None,
            format!("grant {}", crate::ownership::grant_text(&part)),
        )
        .reverse(Some(undo)),
    )
}

/// `GRANT privs ON obj TO role [WITH GRANT OPTION];` → `REVOKE privs ON obj FROM role;`
fn revoke(grant: &str) -> String {
    let body = grant
        .trim_end_matches(';')
        .trim_end_matches(" WITH GRANT OPTION")
        .trim_start_matches("GRANT ");
    match body.rfind(" TO ") {
        Some(i) => format!("REVOKE {} FROM {};", &body[..i], &body[i + 4..]),
        None => format!("REVOKE {body};"),
    }
}

/// Statements creating `obj`. `ancestors`: for a partition, its parents in the target.
pub(crate) fn create_steps(obj: &Obj, ctx: &Ctx, ancestors: &[&Table]) -> Vec<Step> {
    let c = |what: &str| format!("create {}{}{what}", obj.kind.prefix(), obj.name);
    let none = LockLevel::None;
    let undo = drop_steps(obj, ctx).first().map(|s| s.sql.clone());
    let steps = match &obj.data {
        Data::Schema(s) => vec![step(strata_sql::render_schema(s).join("\n"), none, c(""))],
        Data::Extension(e) => vec![step(strata_sql::render_extension(e), none, c(""))],
        Data::Enum(e) => vec![step(strata_sql::render_enum(e), none, c(""))],
        Data::Domain(x) => vec![step(strata_sql::render_domain(x), none, c(""))],
        Data::Sequence(x) => vec![step(strata_sql::render_sequence(x), none, c(""))],
        Data::SeqOwner { seq, table, column } => vec![step(
            format!(
                "ALTER SEQUENCE {} OWNED BY {}.{};",
                seq.quoted(),
                table.quoted(),
                quote_ident(column)
            ),
            LockLevel::AccessExclusive,
            format!("sequence {} owned by {}.{column}", obj.name, table.name),
        )],
        Data::Function(f) => {
            let mut sql = strata_sql::render_function(f);
            // Bodies may name objects created later in the plan.
            if f.language.trim().eq_ignore_ascii_case("sql") {
                sql = format!("SET LOCAL check_function_bodies = off;\n{sql}");
            }
            vec![step(sql, none, c(""))]
        }
        Data::Aggregate(a) => vec![step(strata_sql::render_aggregate(a), none, c(""))],
        Data::Table(t) => vec![create_table(t, ancestors, &[], ctx.model, c(""))],
        Data::Column { table, column, .. } => vec![add_column(table, column, ctx, c(""))],
        Data::PrimaryKey(t, pk) => {
            // A deferrable key is added as written (its index is built under the lock), and
            // so is a partitioned table's, whose index cannot be built concurrently, and a
            // temporal one's (WITHOUT OVERLAPS), whose GiST index `USING INDEX` cannot take.
            let plain =
                pk.deferrable != strata_model::Deferrable::NotDeferrable || pk.without_overlaps;
            if ctx.online && !ctx.owner_new && !plain && !is_partitioned(ctx.model, t) {
                key_from_index(t, &pk.name, &pk.columns, "PRIMARY KEY", false, c(""))
            } else {
                vec![add_constraint(
                    t,
                    &strata_sql::render_primary_key_clause(pk),
                    ctx,
                    c(""),
                )]
            }
        }
        Data::Unique(t, u) => {
            let plain =
                u.deferrable != strata_model::Deferrable::NotDeferrable || u.without_overlaps;
            if ctx.online && !ctx.owner_new && !plain && !is_partitioned(ctx.model, t) {
                key_from_index(
                    t,
                    &u.name,
                    &u.columns,
                    "UNIQUE",
                    u.nulls_not_distinct,
                    c(""),
                )
            } else {
                vec![add_constraint(
                    t,
                    &strata_sql::render_unique_clause(u),
                    ctx,
                    c(""),
                )]
            }
        }
        // Never checked (NOT ENFORCED): nothing to validate, no rows read.
        Data::Check(t, ch) if ch.not_enforced => vec![step(
            strata_sql::render_add_check(t, ch),
            lock_on(ctx, LockLevel::AccessExclusive),
            c(" (NOT ENFORCED)"),
        )],
        Data::Check(t, ch) if ch.not_valid => {
            // Kept unvalidated, as the target has it: no rows are scanned.
            vec![step(
                strata_sql::render_add_check(t, ch),
                lock_on(ctx, LockLevel::AccessExclusive),
                c(" (NOT VALID)"),
            )]
        }
        Data::Check(t, ch) => {
            let clause = strata_sql::render_check_clause(ch);
            if ctx.online && !ctx.owner_new {
                not_valid_then_validate(
                    &strata_sql::render_add_constraint(t, &clause),
                    t,
                    &ch.name,
                    LockLevel::AccessExclusive,
                    c(""),
                )
            } else {
                vec![add_constraint(t, &clause, ctx, c(""))]
            }
        }
        Data::Exclusion(t, x) => vec![
            add_constraint(t, &strata_sql::render_exclusion_clause(x), ctx, c(""))
                .hazard(&[Hazard::LongLock, Hazard::MayFail]),
        ],
        Data::ForeignKey(t, fk) => {
            let clause = strata_sql::render_foreign_key_clause(fk);
            let forced = rls_forced_tables(ctx.model, t, &fk.ref_table);
            // The referenced table is locked too.
            let add = step(
                strata_sql::render_foreign_key(t, fk),
                LockLevel::ShareRowExclusive,
                c(""),
            );
            if fk.not_valid || fk.not_enforced {
                // Kept unvalidated, or never checked (NOT ENFORCED), as the target has it: no
                // rows are checked.
                vec![add]
            } else if !forced.is_empty() {
                // The NOT VALID recipe cannot keep writes going here: the check needs the
                // policies lifted, which locks the tables until the transaction ends.
                let lifted = lift_forced_rls(add, &forced);
                if ctx.owner_new {
                    vec![lifted]
                } else {
                    vec![lifted.hazard(&[Hazard::LongLock, Hazard::ValidatesRows, Hazard::MayFail])]
                }
            } else if ctx.online && !ctx.owner_new {
                not_valid_then_validate(
                    &strata_sql::render_add_constraint(t, &clause),
                    t,
                    &fk.name,
                    LockLevel::ShareRowExclusive,
                    c(""),
                )
            } else {
                vec![add]
            }
        }
        Data::Index {
            table,
            index,
            partitioned,
        } => {
            let sql = strata_sql::render_index(table, index);
            if ctx.online && !partitioned && !ctx.owner_new {
                let sql = crate::recipes::concurrently(&sql);
                let mut s =
                    step(sql, LockLevel::ShareUpdateExclusive, c(" concurrently")).outside_tx();
                if index.unique {
                    s = s.hazard(&[Hazard::MayFail]);
                }
                vec![s]
            } else {
                let mut s = step(sql, lock_on(ctx, LockLevel::Share), c(""));
                if !ctx.owner_new {
                    s = s.hazard(&[Hazard::LongLock]);
                    // Rows already there may repeat the key.
                    if index.unique {
                        s = s.hazard(&[Hazard::MayFail]);
                    }
                }
                vec![s]
            }
        }
        Data::Trigger(t, tr) => vec![step(
            strata_sql::render_trigger(t, tr),
            lock_on(ctx, LockLevel::ShareRowExclusive),
            c(""),
        )],
        Data::Policy(t, p) => vec![step(
            strata_sql::render_policy(t, p),
            lock_on(ctx, LockLevel::AccessExclusive),
            c(""),
        )],
        Data::View(v) => vec![step(strata_sql::render_view(v), none, c(""))],
        Data::Grant(g) => grant_step(g, &g.privileges, ctx.model)
            .into_iter()
            .collect(),
        Data::Comment { kind, target, text } => vec![comment_step(kind, target, text, &obj.name)],
        Data::Verbatim(v) => {
            // Creating a rule locks its table ACCESS EXCLUSIVE, a trigger SHARE ROW EXCLUSIVE,
            // a statistics object, a comment, a key's index settings or a publication (its
            // tables) SHARE UPDATE EXCLUSIVE.
            let lock = match v.kind.as_str() {
                "rule" | "constraint" | "table access method" => LockLevel::AccessExclusive,
                "trigger" | "trigger state" => LockLevel::ShareRowExclusive,
                "statistics" | "publication" | "comment" | "index settings" => {
                    LockLevel::ShareUpdateExclusive
                }
                _ => LockLevel::None,
            };
            let lock = if v.on.is_some() {
                lock_on(ctx, lock)
            } else if v.kind == "constraint" {
                // A domain's constraint, added NOT VALID: no table is locked.
                LockLevel::None
            } else {
                lock
            };
            let s = step(v.sql.trim().to_string(), lock, c(""));
            // Another access method rewrites an existing table under the lock.
            if v.kind == "table access method" && !ctx.owner_new {
                vec![s.hazard(&[Hazard::RewritesTable, Hazard::LongLock])]
            }
            // A constraint added to an existing table reads every row under the lock, unless
            // it is added NOT VALID (a domain's is always, and locks no table).
            else if v.kind == "constraint"
                && v.on.is_some()
                && !ctx.owner_new
                && !v.sql.trim_end().ends_with(" NOT VALID;")
            {
                vec![s.hazard(&[Hazard::LongLock, Hazard::ValidatesRows, Hazard::MayFail])]
            } else {
                vec![s]
            }
        }
    };
    let n = steps.len();
    steps
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            if i + 1 == n && s.reverse.is_none() {
                s.reverse(undo.clone())
            } else {
                s
            }
        })
        .collect()
}

fn comment_lock(kind: &str) -> LockLevel {
    match kind {
        "TABLE" | "COLUMN" | "VIEW" | "MATERIALIZED VIEW" | "INDEX" => {
            LockLevel::ShareUpdateExclusive
        }
        _ => LockLevel::None,
    }
}

/// `CREATE TABLE` with its row-level security, and `keys` (foreign keys to tables that exist)
/// as constraints of the statement: PostgreSQL checks no row of a table it creates, so such a
/// key needs no validation and no forced row-level security lifted, and takes SHARE ROW
/// EXCLUSIVE on the table it references, only for the rest of the transaction.
fn create_table(
    t: &Table,
    ancestors: &[&Table],
    keys: &[&strata_model::ForeignKey],
    model: &Model,
    description: String,
) -> Step {
    let clauses: Vec<String> = keys
        .iter()
        .map(|fk| strata_sql::render_foreign_key_clause(fk))
        .collect();
    let mut sql = vec![strata_sql::render_create_table_with(t, &clauses)];
    sql.extend(strata_sql::render_column_settings(t));
    sql.extend(strata_sql::partition_constraints(t, ancestors));
    let parents: Vec<&Table> = t.inherits.iter().filter_map(|p| model.table(p)).collect();
    sql.extend(strata_sql::inheritance_overrides(t, &parents));
    // Row-level security belongs to the table, not to its policies: a new table with
    // policies but RLS off would expose every row.
    sql.extend(strata_sql::render_rls(t));
    let lock = if t.partition_of.is_some() {
        // Creating a partition locks its parent.
        LockLevel::AccessExclusive
    } else if keys.iter().any(|fk| fk.ref_table != t.name) {
        LockLevel::ShareRowExclusive
    } else if !t.inherits.is_empty() {
        // Inheriting locks the parents SHARE UPDATE EXCLUSIVE.
        LockLevel::ShareUpdateExclusive
    } else {
        LockLevel::None
    };
    step(sql.join("\n"), lock, description)
}

/// The steps creating table `obj` with `keys` inside its `CREATE TABLE` (see [`create_table`]).
pub(crate) fn create_table_with_keys(
    obj: &Obj,
    ctx: &Ctx,
    ancestors: &[&Table],
    keys: &[&strata_model::ForeignKey],
) -> Vec<Step> {
    let Data::Table(t) = &obj.data else {
        return create_steps(obj, ctx, ancestors);
    };
    let undo = drop_steps(obj, ctx).first().map(|s| s.sql.clone());
    vec![
        create_table(
            t,
            ancestors,
            keys,
            ctx.model,
            format!("create {}{}", obj.kind.prefix(), obj.name),
        )
        .reverse(undo),
    ]
}

pub(crate) fn comment_step(kind: &str, target: &str, text: &str, name: &str) -> Step {
    let lock = comment_lock(kind);
    step(
        strata_sql::render_comment(kind, target, text),
        lock,
        format!("comment {name}"),
    )
}

fn add_constraint(table: &QualifiedName, clause: &str, ctx: &Ctx, description: String) -> Step {
    let s = step(
        strata_sql::render_add_constraint(table, clause),
        lock_on(ctx, LockLevel::AccessExclusive),
        description,
    );
    if ctx.owner_new {
        s
    } else {
        s.hazard(&[Hazard::LongLock, Hazard::ValidatesRows, Hazard::MayFail])
    }
}

/// A foreign key or check added to an existing table without reading its rows under the
/// lock: `add` (an `ALTER TABLE table ADD CONSTRAINT name ...` statement) is run `NOT VALID`,
/// then `VALIDATE CONSTRAINT name` in a transaction of its own, which reads the rows under
/// SHARE UPDATE EXCLUSIVE while writes go on.
pub fn not_valid_then_validate(
    add: &str,
    table: &QualifiedName,
    name: &str,
    lock: LockLevel,
    description: String,
) -> Vec<Step> {
    let add = format!(
        "{} NOT VALID;",
        add.trim_end().trim_end_matches(';').trim_end()
    );
    vec![
        step(add, lock, format!("{description} (NOT VALID)")),
        validate(
            table,
            name,
            format!("validate {}", description.trim_start_matches("create ")),
        ),
    ]
}

/// The tables of a foreign key (`table` and `referenced`) that have FORCE ROW LEVEL
/// SECURITY in the target.
fn rls_forced_tables(
    model: &Model,
    table: &QualifiedName,
    referenced: &QualifiedName,
) -> Vec<QualifiedName> {
    let mut out: Vec<QualifiedName> = [table, referenced]
        .into_iter()
        .filter(|n| model.table(n).is_some_and(|t| t.rls_forced))
        .cloned()
        .collect();
    out.dedup();
    out
}

/// PostgreSQL checks the existing rows of a new (or validated) foreign key with a query that
/// row-level security filters for a table's owner when the table has FORCE ROW LEVEL
/// SECURITY: the check would pass on the rows the policies show (none, with the tenant setting
/// unset), and with `row_security = off` (as migrations run) it fails instead. The owner's
/// policies are lifted for the check and restored in the same transaction, so no session ever
/// sees the table unforced; toggling FORCE takes ACCESS EXCLUSIVE until the transaction ends.
/// A migration role with BYPASSRLS does not need this, but a plan cannot know its role.
fn lift_forced_rls(mut s: Step, forced: &[QualifiedName]) -> Step {
    let toggle = |word: &str| {
        forced
            .iter()
            .map(|t| alter_table(t, &format!("{word} ROW LEVEL SECURITY")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    s.sql = format!("{}\n{}\n{}", toggle("NO FORCE"), s.sql, toggle("FORCE"));
    s.lock = LockLevel::AccessExclusive;
    s.takes = LockLevel::AccessExclusive;
    s.transactional = true;
    s.description
        .push_str(" (forced row-level security lifted for the check)");
    s
}

/// `VALIDATE CONSTRAINT` in a transaction of its own: run in the transaction that added the
/// constraint, it would scan every row under that step's stronger lock.
pub(crate) fn validate(table: &QualifiedName, name: &str, description: String) -> Step {
    step(
        alter_table(table, &format!("VALIDATE CONSTRAINT {}", quote_ident(name))),
        LockLevel::ShareUpdateExclusive,
        description,
    )
    .hazard(&[Hazard::ValidatesRows, Hazard::MayFail])
    .outside_tx()
}

/// The steps of a unique key (unique index, unique constraint, primary key) that replaces
/// another on an existing table, in two parts: building its index concurrently (under
/// `temp` while the old key still holds the name), then making it the key (attaching the
/// index as the constraint, or renaming it), which may come after the old key is dropped.
/// So the table is never without a key enforcing uniqueness. `None` when the key is not
/// built concurrently (offline plans, deferrable constraints, partitioned tables).
pub(crate) fn replacing_steps(
    obj: &Obj,
    ctx: &Ctx,
    temp: Option<&str>,
) -> Option<(Vec<Step>, Vec<Step>)> {
    if !ctx.online || ctx.owner_new {
        return None;
    }
    let c = format!("create {} {}", obj.kind.label(), obj.name);
    let undo = drop_steps(obj, ctx).first().map(|s| s.sql.clone());
    match &obj.data {
        Data::Index {
            table,
            index,
            partitioned: false,
        } if index.unique => {
            let Some(temp) = temp else {
                // Under its own name it needs no second step.
                return Some((Vec::new(), create_steps(obj, ctx, &[])));
            };
            let mut building = index.clone();
            building.name = temp.to_string();
            let tmp = QualifiedName::new(table.schema.clone(), temp.to_string());
            let build = step(
                crate::recipes::concurrently(&strata_sql::render_index(table, &building)),
                LockLevel::ShareUpdateExclusive,
                format!("{c} concurrently, under the temporary name {temp}"),
            )
            .outside_tx()
            .hazard(&[Hazard::MayFail])
            .reverse(Some(format!("DROP INDEX CONCURRENTLY {};", tmp.quoted())));
            // Renaming an index locks the index alone (SHARE UPDATE EXCLUSIVE), not its table.
            let rename = step(
                format!(
                    "ALTER INDEX {} RENAME TO {};",
                    tmp.quoted(),
                    quote_ident(&index.name)
                ),
                LockLevel::ShareUpdateExclusive,
                format!("{c}: rename {temp} to its name"),
            )
            .reverse(undo);
            Some((vec![build], vec![rename]))
        }
        Data::Unique(t, u)
            if u.deferrable == strata_model::Deferrable::NotDeferrable
                && !u.without_overlaps
                && !is_partitioned(ctx.model, t) =>
        {
            let mut steps = key_from_index_named(
                t,
                &u.name,
                temp.unwrap_or(&u.name),
                &u.columns,
                "UNIQUE",
                u.nulls_not_distinct,
                c,
            );
            let attach = steps.split_off(1);
            Some((
                steps,
                attach
                    .into_iter()
                    .map(|s| s.reverse(undo.clone()))
                    .collect(),
            ))
        }
        Data::PrimaryKey(t, pk)
            if !is_partitioned(ctx.model, t)
                && !pk.without_overlaps
                && pk.deferrable == strata_model::Deferrable::NotDeferrable =>
        {
            let mut steps = key_from_index_named(
                t,
                &pk.name,
                temp.unwrap_or(&pk.name),
                &pk.columns,
                "PRIMARY KEY",
                false,
                c,
            );
            let attach = steps.split_off(1);
            Some((
                steps,
                attach
                    .into_iter()
                    .map(|s| s.reverse(undo.clone()))
                    .collect(),
            ))
        }
        _ => None,
    }
}

/// An index on a partitioned table that exists, built without blocking writes: PostgreSQL
/// cannot build it `CONCURRENTLY` at once, but it can be built as an index on the parent
/// alone (`ON ONLY`, invalid and empty: no scan), then one index per partition
/// `CONCURRENTLY`, each attached to it; the parent's index is valid once every partition's is
/// attached. `partitions` are the table's leaf partitions, none of which the plan changes,
/// each with the name of its index (see [`partition_index_name`]).
pub(crate) fn partitioned_index_online(
    table: &QualifiedName,
    index: &strata_model::Index,
    partitions: &[(QualifiedName, String)],
    description: String,
) -> Vec<Step> {
    let parent = QualifiedName::new(table.schema.clone(), index.name.clone());
    let named = format!("{} ON ", quote_ident(&index.name));
    let mut steps = vec![step(
        strata_sql::render_index(table, index).replacen(
            &named,
            &format!("{} ON ONLY ", quote_ident(&index.name)),
            1,
        ),
        // Brief: the parent holds no rows, nothing is scanned.
        LockLevel::Share,
        format!(
            "{description} on the partitioned table alone (invalid until its partitions' are attached)"
        ),
    )];
    for (p, name) in partitions {
        let mut child = index.clone();
        child.name = name.clone();
        let child_qn = QualifiedName::new(p.schema.clone(), name.clone());
        let mut build = step(
            crate::recipes::concurrently(&strata_sql::render_index(p, &child)),
            LockLevel::ShareUpdateExclusive,
            format!(
                "build the index of partition {}.{} concurrently",
                p.schema, p.name
            ),
        )
        .outside_tx()
        .reverse(Some(format!(
            "DROP INDEX CONCURRENTLY {};",
            child_qn.quoted()
        )));
        if index.unique {
            build = build.hazard(&[Hazard::MayFail]);
        }
        steps.push(build);
        steps.push(step(
            format!(
                "ALTER INDEX {} ATTACH PARTITION {};",
                parent.quoted(),
                child_qn.quoted()
            ),
            LockLevel::ShareUpdateExclusive,
            format!("attach it to {}", index.name),
        ));
    }
    steps
}

/// The name PostgreSQL gives the index of partition `partition` that it builds for `index` on
/// the parent (`ChooseIndexName`: the partition's name, the key and included columns, `idx`,
/// each part shortened to fit 63 bytes), so a plan builds what `CREATE INDEX` on the parent
/// would. `None` for keys over expressions, whose names PostgreSQL derives from the expression.
/// `taken` holds the names already used in the partition's schema: PostgreSQL then numbers
/// the label (`idx1`, `idx2`, ...).
pub(crate) fn partition_index_name(
    partition: &str,
    index: &strata_model::Index,
    taken: &BTreeSet<String>,
) -> Option<String> {
    let mut columns: Vec<&str> = Vec::new();
    for k in &index.keys {
        match &k.expr {
            strata_model::IndexExpr::Column(c) => columns.push(c),
            strata_model::IndexExpr::Expression(_) => return None,
        }
    }
    columns.extend(index.include.iter().map(String::as_str));
    // Repeated column names are made unique with a number, as PostgreSQL does; keep it simple:
    // such an index is built the plain way.
    let unique: BTreeSet<&str> = columns.iter().copied().collect();
    if unique.len() != columns.len() {
        return None;
    }
    let name2 = columns.join("_");
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    for i in 0..1000u32 {
        let label = if i == 0 {
            "idx".to_string()
        } else {
            format!("idx{i}")
        };
        let avail = 63 - (1 + label.len() + 1);
        let (mut n1, mut n2) = (partition.len(), name2.len());
        while n1 + n2 > avail {
            if n1 > n2 {
                n1 -= 1;
            } else {
                n2 -= 1;
            }
        }
        let name = format!("{}_{}_{label}", clip(partition, n1), clip(&name2, n2));
        if !taken.contains(&name) {
            return Some(name);
        }
    }
    None
}

/// Whether `table` is a partitioned table (its indexes cannot be built concurrently).
fn is_partitioned(model: &Model, table: &QualifiedName) -> bool {
    model.table(table).is_some_and(|t| t.partition_by.is_some())
}

/// A primary key or unique constraint built from an index created concurrently, so writes
/// go on while the index is built.
fn key_from_index(
    table: &QualifiedName,
    name: &str,
    columns: &[String],
    kind: &str,
    nulls_not_distinct: bool,
    description: String,
) -> Vec<Step> {
    key_from_index_named(
        table,
        name,
        name,
        columns,
        kind,
        nulls_not_distinct,
        description,
    )
}

/// [`key_from_index`] with the index built under `index_name`; attaching it to the
/// constraint renames it to the constraint's name.
fn key_from_index_named(
    table: &QualifiedName,
    name: &str,
    index_name: &str,
    columns: &[String],
    kind: &str,
    nulls_not_distinct: bool,
    description: String,
) -> Vec<Step> {
    let index = QualifiedName::new(table.schema.clone(), index_name.to_string());
    let cols: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
    let nnd = if nulls_not_distinct {
        " NULLS NOT DISTINCT"
    } else {
        ""
    };
    vec![
        step(
            format!(
                "CREATE UNIQUE INDEX CONCURRENTLY {} ON {} USING btree ({}){nnd};",
                quote_ident(index_name),
                table.quoted(),
                cols.join(", ")
            ),
            LockLevel::ShareUpdateExclusive,
            if index_name == name {
                format!("build the index of {description}")
            } else {
                format!("build the index of {description} under the temporary name {index_name}")
            },
        )
        .outside_tx()
        .hazard(&[Hazard::MayFail])
        .reverse(Some(format!("DROP INDEX CONCURRENTLY {};", index.quoted()))),
        step(
            alter_table(
                table,
                &format!(
                    "ADD CONSTRAINT {} {kind} USING INDEX {}",
                    quote_ident(name),
                    quote_ident(index_name)
                ),
            ),
            LockLevel::AccessExclusive,
            format!("{description} using its index"),
        ),
    ]
}

/// A new column of an existing table added with its single-column foreign key as a column
/// constraint: PostgreSQL checks no row then (the column is empty), so the key needs no
/// `NOT VALID`/`VALIDATE`, no scan and no lifted row-level security. `None` when the key
/// cannot be written so (the column has a default, the key is `NOT VALID` in the target).
pub(crate) fn add_column_with_key(
    table: &QualifiedName,
    column: &Column,
    fk: &strata_model::ForeignKey,
    ctx: &Ctx,
) -> Option<Step> {
    let [key_column] = fk.columns.as_slice() else {
        return None;
    };
    let empty = column.nullable
        && column.default.is_none()
        && column.identity.is_none()
        && column.generated.is_none();
    if ctx.owner_new || !empty || fk.not_valid || key_column != &column.name {
        return None;
    }
    let clause = strata_sql::render_foreign_key_clause(fk);
    let head = format!("FOREIGN KEY ({}) ", quote_ident(key_column));
    let (_, references) = clause.split_once(&head)?;
    let mut sql = vec![alter_table(
        table,
        &format!(
            "ADD COLUMN {} CONSTRAINT {} {references}",
            strata_sql::render_column(column),
            quote_ident(&fk.name)
        ),
    )];
    sql.extend(strata_sql::column_settings(table, column, true));
    Some(step(
        sql.join("\n"),
        LockLevel::AccessExclusive,
        format!(
            "create column {}.{}.{} with its foreign key {} (the column is empty: no row is checked)",
            table.schema, table.name, column.name, fk.name
        ),
    ))
}

fn add_column(table: &QualifiedName, column: &Column, ctx: &Ctx, description: String) -> Step {
    let mut sql = vec![alter_table(
        table,
        &format!("ADD COLUMN {}", strata_sql::render_column(column)),
    )];
    // Statistics target, storage, compression and options: catalog-only on the new column.
    sql.extend(strata_sql::column_settings(table, column, true));
    let mut s = step(
        sql.join("\n"),
        lock_on(ctx, LockLevel::AccessExclusive),
        description,
    );
    if ctx.owner_new {
        return s;
    }
    let volatile = column.default.as_deref().is_some_and(is_volatile);
    if column.generated.is_some()
        || volatile
        || column.identity.is_some()
        || constrained_domain(ctx.model, &column.data_type)
    {
        s = s.hazard(&[Hazard::RewritesTable, Hazard::LongLock]);
    }
    if !column.nullable
        && column.default.is_none()
        && column.identity.is_none()
        && column.generated.is_none()
    {
        s = s.hazard(&[Hazard::MayFail]);
        s.needs_empty = Some(table.clone());
    }
    s
}

/// Whether `ty` is a domain with a check or `NOT NULL` (its own or its base domain's):
/// PostgreSQL checks it on every row of a column added with it, rewriting the table even
/// without a default.
fn constrained_domain(model: &Model, ty: &strata_model::TypeRef) -> bool {
    let mut ty = ty.clone();
    // Domains over domains: a chain, bounded so that a malformed model cannot loop.
    for _ in 0..16 {
        let Some(schema) = ty.schema.as_deref().filter(|_| ty.array_dims == 0) else {
            return false;
        };
        let Some(d) = model
            .domains
            .iter()
            .find(|d| d.name.schema == schema && d.name.name == ty.name)
        else {
            return false;
        };
        if d.not_null || !d.checks.is_empty() {
            return true;
        }
        ty = d.base.clone();
    }
    false
}

/// A default PostgreSQL must evaluate per row (so adding the column rewrites the table).
fn is_volatile(default: &str) -> bool {
    let lower = default.to_ascii_lowercase();
    [
        "nextval(",
        "random(",
        "gen_random_uuid(",
        "uuid_generate",
        "clock_timestamp(",
        "timeofday(",
    ]
    .iter()
    .any(|f| lower.contains(f))
}

/// Type changes PostgreSQL makes without rewriting the table.
fn binary_coercible(from: &strata_model::TypeRef, to: &strata_model::TypeRef) -> bool {
    if from.schema.is_some() || to.schema.is_some() || from.array_dims != to.array_dims {
        return false;
    }
    let length = |name: &str| -> Option<u64> {
        let inner = name.split_once('(')?.1.strip_suffix(')')?;
        inner.trim().parse().ok()
    };
    match (from.base_name(), to.base_name()) {
        ("character varying", "text") => true,
        ("character varying", "character varying") => {
            match (length(&from.name), length(&to.name)) {
                (Some(a), Some(b)) => b >= a,
                (_, None) => true,
                (None, Some(_)) => false,
            }
        }
        ("numeric", "numeric") => !to.name.contains('('),
        _ => false,
    }
}

/// Steps of a column change, by stage: before dependents are dropped and old objects
/// dropped (`pre`), the type change (`mid`), after new objects exist (`post`).
#[derive(Default)]
pub(crate) struct ColumnAlter {
    pub pre: Vec<Step>,
    pub mid: Vec<Step>,
    pub post: Vec<Step>,
    pub what: Vec<String>,
    pub type_changed: bool,
    pub identity_dropped: bool,
    pub identity_added: bool,
}

pub(crate) fn alter_column(
    table: &QualifiedName,
    a: &Column,
    b: &Column,
    online: bool,
) -> ColumnAlter {
    let mut out = ColumnAlter::default();
    let name = format!("{}.{}", table.name, b.name);
    let ae = LockLevel::AccessExclusive;
    let type_changed = a.data_type != b.data_type
        || a.collation != b.collation
        || a.collation_schema != b.collation_schema;
    out.type_changed = type_changed;
    if a.generated.is_some() && b.generated.is_none() {
        out.what.push("generated".into());
        out.pre.push(step(
            col(table, &b.name, "DROP EXPRESSION"),
            ae,
            format!("column {name} no longer generated"),
        ));
    }
    if a.identity.is_some() && b.identity.is_none() {
        out.what.push("identity".into());
        out.identity_dropped = true;
        out.pre.push(
            step(
                col(table, &b.name, "DROP IDENTITY"),
                ae,
                format!("column {name} no longer an identity"),
            )
            .hazard(&[Hazard::BreaksClients]),
        );
    }
    let default_changed = a.default != b.default;
    if let Some(old) = &a.default
        && (default_changed || type_changed)
    {
        out.what.push("default".into());
        out.pre.push(
            step(
                col(table, &b.name, "DROP DEFAULT"),
                ae,
                format!("drop default of {name}"),
            )
            .reverse(Some(col(
                table,
                &b.name,
                &format!("SET DEFAULT {}", old.trim()),
            ))),
        );
    }
    if a.nullable != b.nullable && b.nullable {
        out.what.push("nullable".into());
        out.pre.push(
            step(
                col(table, &b.name, "DROP NOT NULL"),
                ae,
                format!("column {name} nullable"),
            )
            .reverse(Some(col(table, &b.name, "SET NOT NULL"))),
        );
    }
    if type_changed {
        out.what.push("type".into());
        let ty = strata_sql::render_column_type(&b.data_type);
        let collate = b
            .collation
            .as_ref()
            .map(|c| {
                format!(
                    " COLLATE {}",
                    strata_sql::render_collation(b.collation_schema.as_deref(), c)
                )
            })
            .unwrap_or_default();
        let using = if a.data_type == b.data_type {
            String::new()
        } else {
            format!(" USING {}", cast(&b.name, &a.data_type, &b.data_type))
        };
        let mut s = step(
            col(table, &b.name, &format!("TYPE {ty}{collate}{using}")),
            ae,
            format!("change type of {name} to {ty}{collate}"),
        )
        .hazard(&[Hazard::BreaksClients]);
        if !binary_coercible(&a.data_type, &b.data_type)
            || a.collation != b.collation
            || a.collation_schema != b.collation_schema
        {
            s = s.hazard(&[Hazard::RewritesTable, Hazard::LongLock, Hazard::MayFail]);
        }
        let old_ty = strata_sql::render_column_type(&a.data_type);
        s = s.reverse(Some(col(
            table,
            &b.name,
            &format!(
                "TYPE {old_ty} USING {}",
                cast(&b.name, &b.data_type, &a.data_type)
            ),
        )));
        out.mid.push(s);
    }
    match (a.identity, b.identity) {
        (Some(x), Some(y)) if x != y => {
            out.what.push("identity".into());
            out.mid.push(step(
                col(
                    table,
                    &b.name,
                    &format!("SET GENERATED {}", identity_word(y)),
                ),
                ae,
                format!("identity of {name} {}", identity_word(y).to_lowercase()),
            ));
        }
        (None, Some(y)) => {
            out.what.push("identity".into());
            out.identity_added = true;
            // The sequence continues past the rows there are (below them when it counts
            // down); with no rows it starts at its start.
            let (extreme, step_sign) = if b.identity_options.increment.unwrap_or(1) < 0 {
                ("min", "-")
            } else {
                ("max", "+")
            };
            // PostgreSQL adds an identity only to a NOT NULL column: prove it first (the
            // steps say the rows are checked and may fail on a NULL).
            if a.nullable {
                out.what.push("nullable".into());
                out.post.extend(set_not_null(table, &b.name, online));
            }
            out.post.push(
                step(
                    format!(
                        "{}\nSELECT setval(pg_get_serial_sequence({}, {}), {}({}) {} 1, false) FROM {} HAVING {}({}) IS NOT NULL;",
                        col(table, &b.name, &format!("ADD GENERATED {} AS IDENTITY{}", identity_word(y), identity_options(b))),
                        quote_literal(&table.quoted()),
                        quote_literal(&b.name),
                        extreme,
                        quote_ident(&b.name),
                        step_sign,
                        table.quoted(),
                        extreme,
                        quote_ident(&b.name)
                    ),
                    ae,
                    format!("column {name} becomes an identity"),
                )
                .reverse(Some(col(table, &b.name, "DROP IDENTITY"))),
            );
        }
        _ => {}
    }
    if let Some(new) = &b.default
        && (default_changed || type_changed)
    {
        if !out.what.iter().any(|w| w == "default") {
            out.what.push("default".into());
        }
        out.post.push(
            step(
                col(table, &b.name, &format!("SET DEFAULT {}", new.trim())),
                ae,
                format!("set default of {name}"),
            )
            .reverse(Some(col(table, &b.name, "DROP DEFAULT"))),
        );
    }
    let not_null_done = a.identity.is_none() && b.identity.is_some();
    if a.nullable != b.nullable && !b.nullable && !not_null_done {
        out.what.push("nullable".into());
        out.post.extend(set_not_null(table, &b.name, online));
    }
    if a.identity.is_some() && b.identity.is_some() && a.identity_options != b.identity_options {
        out.what.push("identity options".into());
        out.post.push(
            step(
                col(table, &b.name, &b.identity_options.set_sql()),
                ae,
                format!("identity options of {name}"),
            )
            .reverse(Some(col(table, &b.name, &a.identity_options.set_sql()))),
        );
    }
    if !b.nullable {
        let default = strata_model::default_not_null_name(&table.name, &b.name);
        let old = match &a.not_null_name {
            Some(old) if !a.nullable => old.clone(),
            _ => default.clone(),
        };
        let new = b.not_null_name.clone().unwrap_or(default);
        if old != new {
            out.what.push("not null name".into());
            out.post.push(
                step(
                    rename_not_null(table, &old, &new),
                    ae,
                    format!("rename the NOT NULL constraint of {name} to {new}"),
                )
                .reverse(Some(rename_not_null(table, &new, &old))),
            );
        }
    }
    column_settings(table, a, b, &name, &mut out);
    out
}

/// ` (START WITH ...)` after `AS IDENTITY`, or nothing for the defaults.
fn identity_options(c: &Column) -> String {
    if c.identity_options.is_default() {
        String::new()
    } else {
        format!(" ({})", c.identity_options.sql())
    }
}

/// `ALTER TABLE .. RENAME CONSTRAINT` of a NOT NULL constraint, where the table has one of
/// that name: NOT NULL constraints are named catalog objects from PostgreSQL 18 on only (on
/// older servers the step does nothing), and a detached partition keeps either its parent's
/// names or its own (when it was attached rather than created as a partition).
pub(crate) fn rename_not_null(table: &QualifiedName, from: &str, to: &str) -> String {
    format!(
        "DO $strata$BEGIN\n    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = {}::regclass AND conname = {} AND contype = 'n') THEN\n        {}\n    END IF;\nEND$strata$;",
        quote_literal(&table.quoted()),
        quote_literal(from),
        alter_table(
            table,
            &format!(
                "RENAME CONSTRAINT {} TO {}",
                quote_ident(from),
                quote_ident(to)
            )
        )
    )
}

/// Statistics target, storage, compression and attribute options: catalog changes only, no
/// rewrite (new storage or compression applies to values written from then on).
fn column_settings(
    table: &QualifiedName,
    a: &Column,
    b: &Column,
    name: &str,
    out: &mut ColumnAlter,
) {
    let sue = LockLevel::ShareUpdateExclusive;
    if a.statistics != b.statistics {
        out.what.push("statistics".into());
        // ONLY: a partition's statistics target is its own, not its parent's.
        let target = |s: Option<i32>| {
            format!(
                "ALTER TABLE ONLY {} ALTER COLUMN {} SET STATISTICS {};",
                table.quoted(),
                quote_ident(&b.name),
                s.unwrap_or(-1)
            )
        };
        out.post.push(
            step(
                target(b.statistics),
                sue,
                format!("statistics target of {name}"),
            )
            .reverse(Some(target(a.statistics))),
        );
    }
    if a.storage != b.storage {
        out.what.push("storage".into());
        out.post.push(
            step(
                storage_sql(table, b),
                LockLevel::AccessExclusive,
                format!("storage of {name}"),
            )
            .reverse(Some(storage_sql(table, a))),
        );
    }
    if a.compression != b.compression {
        out.what.push("compression".into());
        let set = |c: &Option<String>| {
            format!(
                "SET COMPRESSION {}",
                c.as_deref().map_or("DEFAULT".to_string(), quote_ident)
            )
        };
        out.post.push(
            step(
                col(table, &b.name, &set(&b.compression)),
                LockLevel::AccessExclusive,
                format!("compression of {name}"),
            )
            .reverse(Some(col(table, &b.name, &set(&a.compression)))),
        );
    }
    if !crate::catalog::same_options(&a.options, &b.options) {
        out.what.push("options".into());
        let target = format!(
            "ALTER TABLE ONLY {} ALTER COLUMN {}",
            table.quoted(),
            quote_ident(&b.name)
        );
        out.post.push(
            step(
                options_sql(&target, &a.options, &b.options),
                sue,
                format!("options of {name}"),
            )
            .reverse(Some(options_sql(&target, &b.options, &a.options))),
        );
    }
}

/// `SET STORAGE` to the column's storage, or back to its type's default: read from the
/// catalog, since `SET STORAGE DEFAULT` needs PostgreSQL 16.
fn storage_sql(table: &QualifiedName, column: &Column) -> String {
    match &column.storage {
        Some(s) => col(
            table,
            &column.name,
            &format!("SET STORAGE {}", s.to_ascii_uppercase()),
        ),
        None => {
            let ty = strata_sql::render_column_type(&column.data_type);
            let body = format!(
                "BEGIN EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET STORAGE %s', {}, {}, \
                 (SELECT CASE typstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' \
                 WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END FROM pg_catalog.pg_type \
                 WHERE oid = {}::pg_catalog.regtype)); END",
                quote_literal(&table.quoted()),
                quote_literal(&column.name),
                quote_literal(&ty)
            );
            format!("DO {};", strata_sql::dollar_quote("storage", &body))
        }
    }
}

/// `<target> SET (...)` for options added or changed, then `RESET (...)` for options removed
/// (`target` ends with a space, or is `ALTER TABLE t` with a trailing `;` removed).
pub(crate) fn options_sql(target: &str, from: &[String], to: &[String]) -> String {
    let target = target.trim_end().trim_end_matches(';').trim_end();
    let mut out = Vec::new();
    let set: Vec<String> = to.iter().filter(|o| !from.contains(o)).cloned().collect();
    if !set.is_empty() {
        out.push(format!("{target} SET ({});", strata_sql::option_list(&set)));
    }
    let kept = strata_sql::option_names(to);
    let reset: Vec<String> = strata_sql::option_names(from)
        .into_iter()
        .filter(|n| !kept.contains(n))
        .map(|n| strata_sql::option_list(&[n.to_string()]))
        .collect();
    if !reset.is_empty() {
        out.push(format!("{target} RESET ({});", reset.join(", ")));
    }
    out.join("\n")
}

/// `col::to`, or `col::text::to` between two types of the user's (enum to enum, domain to
/// domain): PostgreSQL has no cast between them, but every type reads from and prints to
/// text.
fn cast(column: &str, from: &strata_model::TypeRef, to: &strata_model::TypeRef) -> String {
    let ty = strata_sql::render_column_type(to);
    if from.schema.is_some() && to.schema.is_some() {
        format!("{}::text::{ty}", quote_ident(column))
    } else {
        format!("{}::{ty}", quote_ident(column))
    }
}

fn identity_word(i: Identity) -> &'static str {
    match i {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

/// `SET NOT NULL` without a long exclusive lock: a check constraint added `NOT VALID`,
/// validated (rows are scanned under a lock that lets writes go on), then `SET NOT NULL`
/// uses it instead of scanning, and the check is dropped.
pub fn set_not_null(table: &QualifiedName, column: &str, online: bool) -> Vec<Step> {
    let ae = LockLevel::AccessExclusive;
    let name = format!("{}.{column}", table.name);
    let undo = Some(col(table, column, "DROP NOT NULL"));
    if !online {
        return vec![
            step(
                col(table, column, "SET NOT NULL"),
                ae,
                format!("column {name} not null"),
            )
            .hazard(&[Hazard::LongLock, Hazard::ValidatesRows, Hazard::MayFail])
            .reverse(undo),
        ];
    }
    // Not `<table>_<column>_not_null`: from PostgreSQL 18 that is the name SET NOT NULL gives
    // the column's NOT NULL constraint, which would take another while the check exists.
    let check = strata_model::object_name(&table.name, column, "not_null_check");
    let q = quote_ident(&check);
    vec![
        step(
            alter_table(
                table,
                &format!(
                    "ADD CONSTRAINT {q} CHECK ({} IS NOT NULL) NOT VALID",
                    quote_ident(column)
                ),
            ),
            ae,
            format!("check {name} is not null (NOT VALID)"),
        ),
        validate(table, &check, format!("validate that {name} is not null")),
        step(
            format!(
                "{}\n{}",
                col(table, column, "SET NOT NULL"),
                alter_table(table, &format!("DROP CONSTRAINT {q}"))
            ),
            ae,
            format!("column {name} not null (proved by the check, which is dropped)"),
        )
        .reverse(undo),
    ]
}

/// Renaming steps.
pub(crate) fn rename_table(from: &QualifiedName, to: &QualifiedName) -> Step {
    step(
        alter_table(from, &format!("RENAME TO {}", quote_ident(&to.name))),
        LockLevel::AccessExclusive,
        format!("rename table {} to {}", from.name, to.name),
    )
    .hazard(&[Hazard::BreaksClients])
    .reverse(Some(alter_table(
        to,
        &format!("RENAME TO {}", quote_ident(&from.name)),
    )))
}

/// `ALTER INDEX|TABLE .. RENAME CONSTRAINT|TRIGGER|POLICY .. TO ..` for an object named after a
/// renamed table.
pub(crate) fn rename_derived(
    kind: crate::rename::Derived,
    table: &QualifiedName,
    from: &str,
    to: &str,
    after: &str,
) -> Step {
    use crate::rename::Derived;
    let (f, t) = (quote_ident(from), quote_ident(to));
    let (sql, back, what) = match kind {
        Derived::Index => {
            let schema = quote_ident(&table.schema);
            (
                format!("ALTER INDEX {schema}.{f} RENAME TO {t};"),
                format!("ALTER INDEX {schema}.{t} RENAME TO {f};"),
                "index",
            )
        }
        Derived::PrimaryKey
        | Derived::Unique
        | Derived::Check
        | Derived::Exclusion
        | Derived::ForeignKey => (
            alter_table(table, &format!("RENAME CONSTRAINT {f} TO {t}")),
            alter_table(table, &format!("RENAME CONSTRAINT {t} TO {f}")),
            "constraint",
        ),
        Derived::Trigger => (
            format!("ALTER TRIGGER {f} ON {} RENAME TO {t};", table.quoted()),
            format!("ALTER TRIGGER {t} ON {} RENAME TO {f};", table.quoted()),
            "trigger",
        ),
        Derived::Policy => (
            format!("ALTER POLICY {f} ON {} RENAME TO {t};", table.quoted()),
            format!("ALTER POLICY {t} ON {} RENAME TO {f};", table.quoted()),
            "policy",
        ),
    };
    step(
        sql,
        LockLevel::AccessExclusive,
        format!("rename {what} {from} to {to} (named after the renamed {after})"),
    )
    .reverse(Some(back))
}

pub(crate) fn rename_column(table: &QualifiedName, from: &str, to: &str) -> Step {
    step(
        alter_table(
            table,
            &format!("RENAME COLUMN {} TO {}", quote_ident(from), quote_ident(to)),
        ),
        LockLevel::AccessExclusive,
        format!("rename column {}.{from} to {to}", table.name),
    )
    .hazard(&[Hazard::BreaksClients])
    .reverse(Some(alter_table(
        table,
        &format!("RENAME COLUMN {} TO {}", quote_ident(to), quote_ident(from)),
    )))
}

pub(crate) fn plain(sql: String, lock: LockLevel, description: String, hazards: &[Hazard]) -> Step {
    step(sql, lock, description).hazard(hazards)
}

pub(crate) fn non_tx(s: Step) -> Step {
    s.outside_tx()
}

pub(crate) fn with_reverse(s: Step, reverse: Option<String>) -> Step {
    s.reverse(reverse)
}

/// Statements that move a sequence's current value inside the bounds `to` sets, run before
/// the `ALTER SEQUENCE` (PostgreSQL refuses new bounds that exclude the current value): a
/// raised minimum starts the sequence there, a lowered maximum exhausts it there. Empty
/// when the bounds do not narrow.
pub(crate) fn sequence_into_bounds(
    from: &strata_model::Sequence,
    to: &strata_model::Sequence,
) -> String {
    let name = quote_literal(&to.name.quoted());
    let table = from.name.quoted();
    let mut out = String::new();
    if let Some(min) = to.min_value
        && from.min_value.is_none_or(|m| m < min)
    {
        out.push_str(&format!(
            "SELECT pg_catalog.setval({name}, {min}, false) FROM {table} WHERE last_value < {min};\n"
        ));
    }
    if let Some(max) = to.max_value
        && from.max_value.is_none_or(|m| m > max)
    {
        out.push_str(&format!(
            "SELECT pg_catalog.setval({name}, {max}, {}) FROM {table} WHERE last_value > {max};\n",
            to.increment > 0
        ));
    }
    out
}

/// Replaces a collation (carried as SQL) whose definition changed while columns use it:
/// PostgreSQL refuses to drop a collation in use, and moving the columns to the default and
/// back would rebuild their indexes twice. The new definition is created under `temp`, the
/// columns move to it (their indexes are rebuilt under ACCESS EXCLUSIVE; the values are not
/// rewritten), the old collation goes and the new one takes its name.
pub(crate) fn collation_swap(
    old: &strata_model::VerbatimObject,
    new: &strata_model::VerbatimObject,
    temp: &str,
    columns: &[(QualifiedName, Column)],
) -> Vec<Step> {
    let bare = new.name.split('(').next().unwrap_or(&new.name);
    let (schema, name) = bare.split_once('.').unwrap_or(("public", bare));
    let current = QualifiedName::new(schema, name).quoted();
    let temporary = QualifiedName::new(schema, temp).quoted();
    let mut steps = vec![step(
        replace_name(new.sql.trim(), &current, &temporary),
        LockLevel::None,
        format!("create collation {schema}.{name} as it becomes, under the name {temp}"),
    )];
    for (table, column) in columns {
        let ty = strata_sql::render_column_type(&column.data_type);
        steps.push(
            step(
                col(
                    table,
                    &column.name,
                    &format!("TYPE {ty} COLLATE {temporary}"),
                ),
                LockLevel::AccessExclusive,
                format!(
                    "move column {}.{} to the new collation (its indexes are rebuilt)",
                    table, column.name
                ),
            )
            // A unique index fails where the new collation makes two values equal.
            .hazard(&[Hazard::LongLock, Hazard::MayFail]),
        );
    }
    steps.push(step(
        old.drop.clone(),
        LockLevel::None,
        format!("drop collation {schema}.{name} as it was"),
    ));
    steps.push(step(
        format!(
            "ALTER COLLATION {temporary} RENAME TO {};",
            quote_ident(name)
        ),
        LockLevel::None,
        format!("collation {temp} takes the name {name}"),
    ));
    steps
}

/// `sql` with every whole-word occurrence of the quoted name `from` replaced by `to`.
fn replace_name(sql: &str, from: &str, to: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().next_back().or(out.chars().next_back());
        let after = rest[i + from.len()..].chars().next();
        out.push_str(&rest[..i]);
        if word(before) || word(after) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}
