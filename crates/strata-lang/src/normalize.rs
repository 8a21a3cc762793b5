//! Comparing syntax trees "modulo spans": a copy with every span zeroed and the trivia the
//! formatter canonicalises (a blank line before the first node of a block, blank lines
//! between the values of a one-line enum) cleared.

use strata_diagnostics::Span;

use crate::ast::*;

/// A copy of `file` with all spans set to `Span::default()` and formatting-insignificant
/// trivia cleared, so `without_spans(&parse(format(x))) == without_spans(&x)`.
pub fn without_spans(file: &File) -> File {
    let mut f = file.clone();
    items(&mut f.items);
    f
}

/// Whether two syntax trees are equal modulo spans (see [`without_spans`]).
pub fn same_modulo_spans(a: &File, b: &File) -> bool {
    without_spans(a) == without_spans(b)
}

fn z(s: &mut Span) {
    *s = Span::default();
}

fn id(i: &mut Ident) {
    z(&mut i.span);
}

fn st(s: &mut Str) {
    z(&mut s.span);
}

fn sql(s: &mut SqlText) {
    z(&mut s.span);
}

fn first_trivia(t: &mut Trivia, first: bool) {
    if first && t.blank_line_before {
        t.make_mut().blank_line_before = false;
    }
    if t.leading.is_empty() && t.blank_line_after_comments {
        t.make_mut().blank_line_after_comments = false;
    }
}

fn items(list: &mut [Item]) {
    for (i, item) in list.iter_mut().enumerate() {
        let first = i == 0;
        match item {
            Item::Conventions(c) => conventions(c, first),
            Item::Schema(s) => {
                first_trivia(&mut s.trivia, first);
                id(&mut s.name);
                z(&mut s.span);
                items(&mut s.items);
            }
            Item::Extension(e) => {
                first_trivia(&mut e.trivia, first);
                id(&mut e.name);
                z(&mut e.span);
            }
            Item::Enum(e) => {
                first_trivia(&mut e.trivia, first);
                id(&mut e.name);
                z(&mut e.span);
                let one_line = e.trivia.inner.is_empty()
                    && e.values.iter().all(|v| {
                        v.doc.is_none()
                            && v.trivia.leading.is_empty()
                            && v.trivia.trailing.is_none()
                    });
                for (j, v) in e.values.iter_mut().enumerate() {
                    id(&mut v.name);
                    first_trivia(&mut v.trivia, j == 0 || one_line);
                }
            }
            Item::Domain(d) => {
                first_trivia(&mut d.trivia, first);
                id(&mut d.name);
                ty(&mut d.ty);
                if let Some(x) = &mut d.default {
                    default(x);
                }
                d.checks.iter_mut().for_each(sql);
                z(&mut d.span);
            }
            Item::Mixin(m) => {
                first_trivia(&mut m.trivia, first);
                id(&mut m.name);
                z(&mut m.span);
                members(&mut m.members);
            }
            Item::Entity(e) => {
                first_trivia(&mut e.trivia, first);
                id(&mut e.name);
                z(&mut e.span);
                members(&mut e.members);
            }
            Item::View(v) => {
                first_trivia(&mut v.trivia, first);
                id(&mut v.name);
                sql(&mut v.sql);
                z(&mut v.span);
            }
            Item::Sql(r) => {
                first_trivia(&mut r.trivia, first);
                id(&mut r.name);
                sql(&mut r.sql);
                z(&mut r.span);
            }
            Item::Sequence(q) => {
                first_trivia(&mut q.trivia, first);
                id(&mut q.name);
                if let Some(t) = &mut q.data_type {
                    id(t);
                }
                for (_, s) in [
                    &mut q.start,
                    &mut q.increment,
                    &mut q.min,
                    &mut q.max,
                    &mut q.cache,
                ]
                .into_iter()
                .flatten()
                {
                    z(s);
                }
                if let Some((e, f)) = &mut q.owned_by {
                    id(e);
                    id(f);
                }
                z(&mut q.span);
            }
        }
    }
}

fn conventions(c: &mut Conventions, first: bool) {
    first_trivia(&mut c.trivia, first);
    z(&mut c.span);
    for (j, s) in c.settings.iter_mut().enumerate() {
        first_trivia(&mut s.trivia, j == 0);
        id(&mut s.key);
        match &mut s.value {
            SettingValue::Word(w) => id(w),
            SettingValue::Str(x) => st(x),
            SettingValue::Int(_, sp) => z(sp),
        }
        z(&mut s.span);
    }
}

fn ty(t: &mut TypeExpr) {
    id(&mut t.name);
    for a in &mut t.args {
        match a {
            TypeArg::Int(_, s) => z(s),
            TypeArg::Word(w) => id(w),
        }
    }
    z(&mut t.span);
}

fn default(d: &mut DefaultExpr) {
    match d {
        DefaultExpr::Number(_, s) | DefaultExpr::Bool(_, s) | DefaultExpr::Null(s) => z(s),
        DefaultExpr::Str(s) => st(s),
        DefaultExpr::Word(i) | DefaultExpr::Call(i) => id(i),
        DefaultExpr::Sql(s) => sql(s),
    }
}

fn key_expr(k: &mut KeyExpr) {
    match k {
        KeyExpr::Column(c) => id(c),
        KeyExpr::Sql(s) => sql(s),
    }
}

fn index_key(k: &mut IndexKeyDecl) {
    key_expr(&mut k.expr);
    if let Some(o) = &mut k.opclass {
        id(o);
    }
    z(&mut k.span);
}

fn bound_value(v: &mut BoundValue) {
    match v {
        BoundValue::Str(s) => st(s),
        BoundValue::Number(_, s) => z(s),
        BoundValue::Word(w) => id(w),
    }
}

fn members(list: &mut [Member]) {
    for (i, m) in list.iter_mut().enumerate() {
        let first = i == 0;
        match m {
            Member::Field(f) => {
                first_trivia(&mut f.trivia, first);
                id(&mut f.name);
                ty(&mut f.ty);
                for a in &mut f.attrs {
                    match a {
                        FieldAttr::Unique(s)
                        | FieldAttr::Index(s)
                        | FieldAttr::PrimaryKey(s)
                        | FieldAttr::Identity(s)
                        | FieldAttr::IdentityByDefault(s) => z(s),
                        FieldAttr::Default(d) => default(d),
                        FieldAttr::Check(s)
                        | FieldAttr::Generated(s)
                        | FieldAttr::GeneratedVirtual(s) => sql(s),
                        FieldAttr::Collate(s) | FieldAttr::Map(s) => st(s),
                        FieldAttr::RenamedFrom(r) => id(r),
                    }
                }
                z(&mut f.span);
            }
            Member::Relation(r) => {
                first_trivia(&mut r.trivia, first);
                id(&mut r.name);
                id(&mut r.target);
                if let Some(t) = &mut r.target_field {
                    id(t);
                }
                for a in &mut r.attrs {
                    match a {
                        RelationAttr::OnDelete(_, s)
                        | RelationAttr::OnUpdate(_, s)
                        | RelationAttr::Unique(s) => z(s),
                        RelationAttr::Through(t) | RelationAttr::RenamedFrom(t) => id(t),
                        RelationAttr::Map(s) | RelationAttr::Constraint(s) => st(s),
                        RelationAttr::Deferrable { span, .. } => z(span),
                    }
                }
                z(&mut r.span);
            }
            Member::Use(u) => {
                first_trivia(&mut u.trivia, first);
                id(&mut u.mixin);
                z(&mut u.span);
            }
            Member::Index(x) => {
                first_trivia(&mut x.trivia, first);
                if let Some(n) = &mut x.name {
                    st(n);
                }
                x.keys.iter_mut().for_each(index_key);
                if let Some(m) = &mut x.method {
                    id(m);
                }
                x.include.iter_mut().for_each(id);
                if let Some(p) = &mut x.predicate {
                    sql(p);
                }
                z(&mut x.span);
            }
            Member::Unique(u) => {
                first_trivia(&mut u.trivia, first);
                if let Some(n) = &mut u.name {
                    st(n);
                }
                u.columns.iter_mut().for_each(id);
                z(&mut u.span);
            }
            Member::Check(c) => {
                first_trivia(&mut c.trivia, first);
                if let Some(n) = &mut c.name {
                    id(n);
                }
                sql(&mut c.expr);
                z(&mut c.span);
            }
            Member::Exclude(x) => {
                first_trivia(&mut x.trivia, first);
                if let Some(n) = &mut x.name {
                    id(n);
                }
                id(&mut x.method);
                for e in &mut x.elements {
                    index_key(&mut e.key);
                    sql(&mut e.operator);
                }
                if let Some(p) = &mut x.predicate {
                    sql(p);
                }
                z(&mut x.span);
            }
            Member::PrimaryKey(p) => {
                first_trivia(&mut p.trivia, first);
                if let Some(n) = &mut p.name {
                    st(n);
                }
                p.columns.iter_mut().for_each(id);
                z(&mut p.span);
            }
            Member::SoftDelete(f) | Member::Audit(f) => {
                first_trivia(&mut f.trivia, first);
                z(&mut f.span);
            }
            Member::Rows(r) => {
                first_trivia(&mut r.trivia, first);
                z(&mut r.span);
            }
            Member::Stats(st) => {
                first_trivia(&mut st.trivia, first);
                id(&mut st.field);
                z(&mut st.span);
            }
            Member::Access(a) => {
                first_trivia(&mut a.trivia, first);
                id(&mut a.name);
                if let Some(r) = &mut a.rate {
                    z(&mut r.span);
                }
                sql(&mut a.sql);
                z(&mut a.span);
            }
            Member::Partition(p) => {
                first_trivia(&mut p.trivia, first);
                z(&mut p.strategy_span);
                p.keys.iter_mut().for_each(key_expr);
                for (j, part) in p.parts.iter_mut().enumerate() {
                    first_trivia(&mut part.trivia, j == 0);
                    if let Some(n) = &mut part.name {
                        id(n);
                    }
                    match &mut part.bound {
                        PartitionBound::Range { from, to } => {
                            from.iter_mut().for_each(bound_value);
                            to.iter_mut().for_each(bound_value);
                        }
                        PartitionBound::List(values) => values.iter_mut().for_each(bound_value),
                        PartitionBound::Default => {}
                    }
                    z(&mut part.span);
                }
                if let Some((_, s)) = &mut p.hash_count {
                    z(s);
                }
                z(&mut p.span);
            }
            Member::Distribute(d) => {
                first_trivia(&mut d.trivia, first);
                if let Some(c) = &mut d.column {
                    id(c);
                }
                if let Some(c) = &mut d.colocate_with {
                    id(c);
                }
                z(&mut d.span);
            }
            Member::Tenant(t) => {
                first_trivia(&mut t.trivia, first);
                id(&mut t.field);
                z(&mut t.span);
            }
            Member::Policy(p) => {
                first_trivia(&mut p.trivia, first);
                id(&mut p.name);
                if let Some(c) = &mut p.command {
                    id(c);
                }
                p.roles.iter_mut().for_each(id);
                if let Some(u) = &mut p.using {
                    sql(u);
                }
                if let Some(c) = &mut p.check {
                    sql(c);
                }
                z(&mut p.span);
            }
            Member::Grant(g) => {
                first_trivia(&mut g.trivia, first);
                g.privileges.iter_mut().for_each(id);
                g.roles.iter_mut().for_each(id);
                z(&mut g.span);
            }
            Member::TableName(t) => {
                first_trivia(&mut t.trivia, first);
                st(&mut t.name);
                z(&mut t.span);
            }
            Member::RenamedFrom(r) => {
                first_trivia(&mut r.trivia, first);
                id(&mut r.name);
                z(&mut r.span);
            }
            Member::Conventions(c) => conventions(c, first),
        }
    }
}
