//! Random small models (tables, columns of common types, keys, foreign keys, indexes) printed
//! as `.strata` and designed again render the same DDL.

mod common;

use proptest::prelude::*;
use strata_model::*;

const TABLES: &[&str] = &[
    "users",
    "orders",
    "line_item",
    "tags",
    "people",
    "audit_entries",
];
const COLUMNS: &[&str] = &[
    "name",
    "title",
    "amount",
    "created_on",
    "flag",
    "total",
    "note",
    "sku",
    "position",
    "use",
];
const TYPES: &[&str] = &[
    "text",
    "integer",
    "bigint",
    "boolean",
    "numeric(10,2)",
    "timestamp with time zone",
    "date",
    "jsonb",
    "uuid",
    "character varying(20)",
    "smallint",
    "bytea",
    "interval",
    "bit(8)",
];

#[derive(Debug, Clone)]
struct ColSpec {
    name: usize,
    ty: usize,
    nullable: bool,
    default: bool,
    array: bool,
}

#[derive(Debug, Clone)]
struct FkSpec {
    target: usize,
    nullable: bool,
    on_delete: u8,
    on_update: bool,
    custom_name: bool,
    column_style: u8,
}

#[derive(Debug, Clone)]
struct IndexSpec {
    column: usize,
    second: Option<usize>,
    unique: bool,
    method: u8,
    desc: bool,
    partial: bool,
}

#[derive(Debug, Clone)]
struct TableSpec {
    pk: u8,
    columns: Vec<ColSpec>,
    fks: Vec<FkSpec>,
    indexes: Vec<IndexSpec>,
    comment: bool,
    check: bool,
}

fn col_spec() -> impl Strategy<Value = ColSpec> {
    (
        0..COLUMNS.len(),
        0..TYPES.len(),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(name, ty, nullable, default, array)| ColSpec {
            name,
            ty,
            nullable,
            default,
            array,
        })
}

fn table_spec() -> impl Strategy<Value = TableSpec> {
    (
        0u8..4,
        prop::collection::vec(col_spec(), 0..5),
        prop::collection::vec(
            (
                0usize..6,
                any::<bool>(),
                0u8..4,
                any::<bool>(),
                any::<bool>(),
                0u8..3,
            )
                .prop_map(
                    |(target, nullable, on_delete, on_update, custom_name, column_style)| FkSpec {
                        target,
                        nullable,
                        on_delete,
                        on_update,
                        custom_name,
                        column_style,
                    },
                ),
            0..3,
        ),
        prop::collection::vec(
            (
                0usize..8,
                prop::option::of(0usize..8),
                any::<bool>(),
                0u8..3,
                any::<bool>(),
                any::<bool>(),
            )
                .prop_map(|(column, second, unique, method, desc, partial)| {
                    IndexSpec {
                        column,
                        second,
                        unique,
                        method,
                        desc,
                        partial,
                    }
                }),
            0..3,
        ),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(pk, columns, fks, indexes, comment, check)| TableSpec {
            pk,
            columns,
            fks,
            indexes,
            comment,
            check,
        })
}

fn default_for(ty: &str) -> Option<&'static str> {
    match ty {
        "text" | "character varying(20)" => Some("'n/a'::text"),
        "integer" | "bigint" | "smallint" => Some("0"),
        "boolean" => Some("false"),
        "numeric(10,2)" => Some("1.50"),
        "timestamp with time zone" => Some("now()"),
        "date" => Some("CURRENT_DATE"),
        "uuid" => Some("gen_random_uuid()"),
        "jsonb" => Some("'{}'::jsonb"),
        _ => None,
    }
}

fn build(specs: Vec<TableSpec>) -> Model {
    let mut model = Model::default();
    for (ti, spec) in specs.iter().enumerate() {
        let tname = TABLES[ti];
        let mut t = Table::new(QualifiedName::public(tname));
        match spec.pk {
            0 => {
                let mut id = Column::new("id", TypeRef::builtin("uuid"));
                id.default = Some("gen_random_uuid()".into());
                t.columns.push(id);
                t.primary_key = Some(PrimaryKey {
                    name: format!("{tname}_pkey"),
                    columns: vec!["id".into()],
                    deferrable: Default::default(),
                    without_overlaps: false,
                });
            }
            1 => {
                let mut id = Column::new("id", TypeRef::builtin("bigint"));
                id.identity = Some(Identity::Always);
                t.columns.push(id);
                t.primary_key = Some(PrimaryKey {
                    name: format!("pk_{tname}"),
                    columns: vec!["id".into()],
                    deferrable: Default::default(),
                    without_overlaps: false,
                });
            }
            2 => {
                let mut code = Column::new("code", TypeRef::builtin("integer"));
                code.identity = Some(Identity::ByDefault);
                t.columns.push(code);
                t.primary_key = Some(PrimaryKey {
                    name: format!("{tname}_pkey"),
                    columns: vec!["code".into()],
                    deferrable: Default::default(),
                    without_overlaps: false,
                });
            }
            _ => {}
        }
        for c in &spec.columns {
            let name = COLUMNS[c.name];
            if t.column(name).is_some() {
                continue;
            }
            let ty_name = TYPES[c.ty];
            let mut col = Column::new(name, TypeRef::builtin(ty_name).array(u8::from(c.array)));
            col.nullable = c.nullable;
            if c.default && !c.array {
                col.default = default_for(ty_name).map(|d| {
                    if ty_name == "character varying(20)" {
                        "'n/a'::character varying".to_string()
                    } else {
                        d.to_string()
                    }
                });
            }
            t.columns.push(col);
        }
        for (k, fk) in spec.fks.iter().enumerate() {
            if ti == 0 {
                continue;
            }
            let target: &Table = &model.tables[fk.target % ti];
            let Some(pk) = target.primary_key.clone() else {
                continue;
            };
            let ref_col = pk.columns[0].clone();
            let Some(ref_ty) = target.column(&ref_col).map(|c| c.data_type.clone()) else {
                continue;
            };
            let base = match fk.column_style {
                0 => format!(
                    "{}_{}",
                    strata_design::names::singularize(TABLES[fk.target % ti]),
                    ref_col
                ),
                1 => format!("ref{k}_{ref_col}"),
                _ => format!("{}_ref{k}", TABLES[fk.target % ti]),
            };
            if t.column(&base).is_some() {
                continue;
            }
            let mut col = Column::new(base.clone(), ref_ty);
            col.nullable = fk.nullable;
            t.columns.push(col);
            let on_delete = match fk.on_delete {
                0 => FkAction::Cascade,
                1 => FkAction::Restrict,
                2 if fk.nullable => FkAction::SetNull,
                _ => FkAction::NoAction,
            };
            t.foreign_keys.push(ForeignKey {
                name: if fk.custom_name {
                    format!("fk_{tname}_{k}")
                } else {
                    format!("{tname}_{base}_fkey")
                },
                columns: vec![base],
                ref_table: target.name.clone(),
                ref_columns: vec![ref_col],
                on_delete,
                on_update: if fk.on_update {
                    FkAction::Cascade
                } else {
                    FkAction::NoAction
                },
                match_type: FkMatch::Simple,
                deferrable: Deferrable::NotDeferrable,
                relation: None,
                inverse: None,
                why: None,
                not_valid: Default::default(),
                not_enforced: false,
                period: false,
            });
        }
        let ncols = t.columns.len();
        for (k, ix) in spec.indexes.iter().enumerate() {
            if ncols == 0 {
                break;
            }
            let c = &t.columns[ix.column % ncols];
            if c.data_type.array_dims > 0 || matches!(c.data_type.name.as_str(), "jsonb" | "bit(8)")
            {
                continue;
            }
            let method = match ix.method {
                1 if !ix.unique => "hash",
                _ => "btree",
            };
            let mut key = IndexKey::column(c.name.clone());
            key.descending = ix.desc && method == "btree";
            let mut keys = vec![key];
            if let Some(s) = ix.second
                && method == "btree"
            {
                let c2 = &t.columns[s % ncols];
                if c2.name != c.name
                    && c2.data_type.array_dims == 0
                    && !matches!(c2.data_type.name.as_str(), "jsonb" | "bit(8)")
                {
                    keys.push(IndexKey::column(c2.name.clone()));
                }
            }
            let mut idx = Index::btree(format!("ix_{tname}_{k}"), keys);
            idx.method = method.into();
            idx.unique = ix.unique && method == "btree";
            if ix.partial {
                idx.predicate = Some(format!("{} IS NOT NULL", quote_ident(&c.name)));
            }
            t.indexes.push(idx);
        }
        if spec.check
            && let Some(c) = t.columns.iter().find(|c| c.data_type.is_builtin("integer"))
        {
            t.checks.push(CheckConstraint {
                name: format!("{tname}_{}_positive", c.name),
                expression: format!("{} > 0", quote_ident(&c.name)),
                why: None,
                not_valid: Default::default(),
                not_enforced: false,
            });
        }
        if spec.comment {
            t.comment = Some(format!("The {tname}.\nSecond line."));
        }
        model.tables.push(t);
    }
    model.canonicalize();
    model
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_models_round_trip(specs in prop::collection::vec(table_spec(), 1..5)) {
        let m0 = build(specs);
        prop_assume!(strata_sql::render(&m0, &strata_sql::RenderOptions::default()).is_ok());
        common::round_trip("random model", &m0);
    }
}

/// The generator does produce relations, renamed fields and explicit names (the property is
/// not vacuous).
#[test]
fn generated_models_exercise_relations() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut seen = String::new();
    for _ in 0..40 {
        let Ok(tree) = prop::collection::vec(table_spec(), 3..5).new_tree(&mut runner) else {
            continue;
        };
        let m0 = build(tree.current());
        if strata_sql::render(&m0, &strata_sql::RenderOptions::default()).is_ok() {
            seen.push_str(&common::round_trip("generated", &m0).text());
        }
    }
    for needle in [
        "-> ",
        "map \"",
        "constraint \"",
        "primary key \"",
        "identity by default",
        "`bit(8)`",
    ] {
        assert!(
            seen.contains(needle),
            "no `{needle}` in 40 generated models"
        );
    }
}
