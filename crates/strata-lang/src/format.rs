//! Canonical formatting (`strata fmt`).
//!
//! Rules: two-space indent; one member per line; the type/arrow column aligned within a run
//! of consecutive fields and relations (a blank line or a comment ends the run); single
//! spaces elsewhere; keywords lower-case; enums on one line unless a value carries a doc or a
//! comment; `///` docs, `//` and `/* */` comments (the latter verbatim) and single blank lines kept (comments after the last
//! item always follow one blank line); SQL text byte-for-byte; strings re-escaped; exactly
//! one newline at the end.

use crate::ast::*;

/// Formats a syntax tree canonically. `format(parse(format(x)))` equals `format(x)`.
pub fn format(file: &File) -> String {
    let mut f = Fmt::default();
    f.items(&file.items, 0);
    if !file.items.is_empty() && !file.trailing_comments.is_empty() {
        f.blank();
    }
    for c in &file.trailing_comments {
        f.comment(0, c);
    }
    let trimmed = f.out.trim_end_matches('\n');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}\n")
    }
}

#[derive(Default)]
struct Fmt {
    out: String,
}

impl Fmt {
    fn line(&mut self, indent: usize, text: &str) {
        for _ in 0..indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn comment(&mut self, indent: usize, c: &str) {
        if c.starts_with("/*") {
            // A block comment is kept verbatim: its inner lines are the author's layout.
            self.line(indent, c);
            return;
        }
        for l in c.split('\n') {
            self.line(indent, &comment_text(l));
        }
    }

    /// Blank line, `//` comments and `///` doc above a node.
    fn leading(&mut self, indent: usize, trivia: &Trivia, doc: Option<&str>, first: bool) {
        if trivia.blank_line_before && !first {
            self.blank();
        }
        for c in &trivia.leading {
            self.comment(indent, c);
        }
        if trivia.blank_line_after_comments && !trivia.leading.is_empty() {
            self.blank();
        }
        if let Some(d) = doc {
            for l in d.split('\n') {
                if l.is_empty() {
                    self.line(indent, "///");
                } else {
                    self.line(indent, &format!("/// {l}"));
                }
            }
        }
    }

    /// `header {` children `}` (or `header {}` when empty).
    fn block(
        &mut self,
        indent: usize,
        header: &str,
        trivia: &Trivia,
        empty: bool,
        body: impl FnOnce(&mut Self),
    ) {
        if empty && trivia.inner.is_empty() {
            self.line(indent, &trailing(format!("{header} {{}}"), trivia));
            return;
        }
        self.line(indent, &trailing(format!("{header} {{"), trivia));
        body(self);
        for c in &trivia.inner {
            self.comment(indent + 1, c);
        }
        self.line(indent, "}");
    }

    fn items(&mut self, items: &[Item], indent: usize) {
        for (i, item) in items.iter().enumerate() {
            self.item(item, indent, i == 0);
        }
    }

    fn item(&mut self, item: &Item, indent: usize, first: bool) {
        match item {
            Item::Conventions(c) => {
                self.leading(indent, &c.trivia, None, first);
                self.conventions(c, indent);
            }
            Item::Schema(s) => {
                self.leading(indent, &s.trivia, s.doc.as_deref(), first);
                let header = format!("schema {}", s.name.name);
                self.block(indent, &header, &s.trivia, s.items.is_empty(), |f| {
                    f.items(&s.items, indent + 1);
                });
            }
            Item::Extension(e) => {
                self.leading(indent, &e.trivia, None, first);
                let text = format!("extension {}", ident_or_str(&e.name.name));
                self.line(indent, &trailing(text, &e.trivia));
            }
            Item::Enum(e) => {
                self.leading(indent, &e.trivia, e.doc.as_deref(), first);
                self.enum_decl(e, indent);
            }
            Item::Domain(d) => {
                self.leading(indent, &d.trivia, d.doc.as_deref(), first);
                let mut s = format!("domain {} {}", d.name.name, type_text(&d.ty));
                if d.nullable {
                    s.push('?');
                }
                if let Some(def) = &d.default {
                    s.push_str(" = ");
                    s.push_str(&default_text(def));
                }
                for c in &d.checks {
                    s.push_str(" check ");
                    s.push_str(&sql_text(c));
                }
                self.line(indent, &trailing(s, &d.trivia));
            }
            Item::Mixin(m) => {
                self.leading(indent, &m.trivia, m.doc.as_deref(), first);
                let header = format!("mixin {}", m.name.name);
                self.block(indent, &header, &m.trivia, m.members.is_empty(), |f| {
                    f.members(&m.members, indent + 1);
                });
            }
            Item::Entity(e) => {
                self.leading(indent, &e.trivia, e.doc.as_deref(), first);
                let header = format!("entity {}", e.name.name);
                self.block(indent, &header, &e.trivia, e.members.is_empty(), |f| {
                    f.members(&e.members, indent + 1);
                });
            }
            Item::View(v) => {
                self.leading(indent, &v.trivia, v.doc.as_deref(), first);
                let kw = if v.materialized {
                    "materialized view"
                } else {
                    "view"
                };
                let s = format!("{kw} {} {}", v.name.name, sql_text(&v.sql));
                self.line(indent, &trailing(s, &v.trivia));
            }
            Item::Sql(r) => {
                self.leading(indent, &r.trivia, r.doc.as_deref(), first);
                let s = format!("sql {} {}", r.name.name, sql_text(&r.sql));
                self.line(indent, &trailing(s, &r.trivia));
            }
            Item::Sequence(q) => {
                self.leading(indent, &q.trivia, q.doc.as_deref(), first);
                self.line(indent, &trailing(sequence_text(q), &q.trivia));
            }
        }
    }

    fn enum_decl(&mut self, e: &EnumDecl, indent: usize) {
        let multi_line = !e.trivia.inner.is_empty()
            || e.values.iter().any(|v| {
                v.doc.is_some() || !v.trivia.leading.is_empty() || v.trivia.trailing.is_some()
            });
        let header = format!("enum {}", e.name.name);
        if !multi_line {
            let values: Vec<String> = e
                .values
                .iter()
                .map(|v| ident_or_str(&v.name.name))
                .collect();
            let s = if values.is_empty() {
                format!("{header} {{}}")
            } else {
                format!("{header} {{ {} }}", values.join(", "))
            };
            self.line(indent, &trailing(s, &e.trivia));
            return;
        }
        self.block(indent, &header, &e.trivia, e.values.is_empty(), |f| {
            for (i, v) in e.values.iter().enumerate() {
                f.leading(indent + 1, &v.trivia, v.doc.as_deref(), i == 0);
                f.line(indent + 1, &trailing(ident_or_str(&v.name.name), &v.trivia));
            }
        });
    }

    fn conventions(&mut self, c: &Conventions, indent: usize) {
        let single = match c.settings.as_slice() {
            [s] => {
                s.trivia.leading.is_empty()
                    && s.trivia.trailing.is_none()
                    && c.trivia.inner.is_empty()
            }
            _ => false,
        };
        if single && let Some(s) = c.settings.first() {
            let text = format!("conventions {{ {} }}", setting_text(s));
            self.line(indent, &trailing(text, &c.trivia));
            return;
        }
        self.block(
            indent,
            "conventions",
            &c.trivia,
            c.settings.is_empty(),
            |f| {
                for (i, s) in c.settings.iter().enumerate() {
                    f.leading(indent + 1, &s.trivia, None, i == 0);
                    f.line(indent + 1, &trailing(setting_text(s), &s.trivia));
                }
            },
        );
    }

    fn members(&mut self, members: &[Member], indent: usize) {
        let widths = name_widths(members);
        for (i, m) in members.iter().enumerate() {
            let width = widths.get(i).copied().unwrap_or(0);
            self.member(m, indent, i == 0, width);
        }
    }

    fn member(&mut self, m: &Member, indent: usize, first: bool, width: usize) {
        let (trivia, doc) = member_trivia(m);
        self.leading(indent, trivia, doc, first);
        let text = match m {
            Member::Field(f) => field_text(f, width),
            Member::Relation(r) => relation_text(r, width),
            Member::Use(u) => format!("use {}", u.mixin.name),
            Member::Index(i) => index_text(i),
            Member::Unique(u) => unique_text(u),
            Member::Check(c) => {
                let mut s = "check".to_string();
                if let Some(n) = &c.name {
                    s.push(' ');
                    s.push_str(&n.name);
                }
                s.push(' ');
                s.push_str(&sql_text(&c.expr));
                s
            }
            Member::Exclude(x) => exclude_text(x),
            Member::PrimaryKey(p) => match &p.name {
                Some(n) => format!("primary key {} ({})", quote(&n.value), idents(&p.columns)),
                None => format!("primary key ({})", idents(&p.columns)),
            },
            Member::SoftDelete(_) => "soft_delete".into(),
            Member::Audit(_) => "audit".into(),
            Member::Rows(r) => format!("rows {}", rows_text(r.count)),
            Member::Stats(st) => {
                let value = match st.kind {
                    StatsKind::Distinct => rows_text(st.value as u64),
                    k if k.is_share() => format!("{}%", st.value),
                    _ => format!("{}", st.value),
                };
                format!("stats {} {} {value}", st.field.name, st.kind.keyword())
            }
            Member::Access(a) => {
                let mut s = format!("access {}", a.name.name);
                if let Some(r) = &a.rate {
                    s.push(' ');
                    s.push_str(&rate_text(r));
                }
                if a.across_tenants {
                    s.push_str(" across tenants");
                }
                s.push(' ');
                s.push_str(&sql_text(&a.sql));
                s
            }
            Member::Partition(p) => {
                self.partition(p, indent);
                return;
            }
            Member::Distribute(d) => match &d.column {
                None => "distribute reference".into(),
                Some(c) => {
                    let mut s = format!("distribute by {}", c.name);
                    if let Some(w) = &d.colocate_with {
                        s.push_str(&format!(" colocate with {}", w.name));
                    }
                    s
                }
            },
            Member::Tenant(t) => format!("tenant by {}", t.field.name),
            Member::Policy(p) => policy_text(p),
            Member::Grant(g) => format!("grant {} to {}", idents(&g.privileges), idents(&g.roles)),
            Member::TableName(t) => format!("table {}", quote(&t.name.value)),
            Member::RenamedFrom(r) => format!("renamed_from {}", r.name.name),
            Member::Conventions(c) => {
                self.conventions(c, indent);
                return;
            }
        };
        self.line(indent, &trailing(text, trivia));
    }

    fn partition(&mut self, p: &PartitionDecl, indent: usize) {
        let strategy = match p.strategy {
            PartitionStrategyAst::Range => "range",
            PartitionStrategyAst::List => "list",
            PartitionStrategyAst::Hash => "hash",
        };
        let keys: Vec<String> = p.keys.iter().map(key_expr_text).collect();
        let mut header = format!("partition by {strategy} ({})", keys.join(", "));
        if let Some((n, _)) = p.hash_count {
            header.push_str(&format!(" into {n}"));
        }
        if p.parts.is_empty() && p.trivia.inner.is_empty() {
            self.line(indent, &trailing(header, &p.trivia));
            return;
        }
        self.block(indent, &header, &p.trivia, false, |f| {
            for (i, part) in p.parts.iter().enumerate() {
                f.leading(indent + 1, &part.trivia, None, i == 0);
                f.line(indent + 1, &trailing(part_text(part), &part.trivia));
            }
        });
    }
}

/// Per member: the name width its run aligns to (0 outside runs of fields and relations).
fn name_widths(members: &[Member]) -> Vec<usize> {
    let name = |m: &Member| match m {
        Member::Field(f) => Some(f.name.name.chars().count()),
        Member::Relation(r) => Some(r.name.name.chars().count()),
        _ => None,
    };
    let mut widths = vec![0; members.len()];
    let mut i = 0;
    while i < members.len() {
        let Some(first) = members.get(i).and_then(name) else {
            i += 1;
            continue;
        };
        let mut width = first;
        let mut j = i + 1;
        while let Some(m) = members.get(j) {
            let (trivia, _) = member_trivia(m);
            let Some(w) = name(m) else { break };
            if trivia.blank_line_before || !trivia.leading.is_empty() {
                break;
            }
            width = width.max(w);
            j += 1;
        }
        for w in widths.iter_mut().take(j).skip(i) {
            *w = width;
        }
        i = j;
    }
    widths
}

fn member_trivia(m: &Member) -> (&Trivia, Option<&str>) {
    match m {
        Member::Field(x) => (&x.trivia, x.doc.as_deref()),
        Member::Relation(x) => (&x.trivia, x.doc.as_deref()),
        Member::Access(x) => (&x.trivia, x.doc.as_deref()),
        Member::Use(x) => (&x.trivia, None),
        Member::Index(x) => (&x.trivia, None),
        Member::Unique(x) => (&x.trivia, None),
        Member::Check(x) => (&x.trivia, None),
        Member::Exclude(x) => (&x.trivia, None),
        Member::PrimaryKey(x) => (&x.trivia, None),
        Member::SoftDelete(x) | Member::Audit(x) => (&x.trivia, None),
        Member::Rows(x) => (&x.trivia, None),
        Member::Stats(x) => (&x.trivia, None),
        Member::Partition(x) => (&x.trivia, None),
        Member::Distribute(x) => (&x.trivia, None),
        Member::Tenant(x) => (&x.trivia, None),
        Member::Policy(x) => (&x.trivia, None),
        Member::Grant(x) => (&x.trivia, None),
        Member::TableName(x) => (&x.trivia, None),
        Member::RenamedFrom(x) => (&x.trivia, None),
        Member::Conventions(x) => (&x.trivia, None),
    }
}

/// `// text`; text that itself starts with `//` (a `////` banner) is written unspaced, which
/// can never turn it into a `///` doc comment.
fn comment_text(c: &str) -> String {
    if c.is_empty() {
        "//".into()
    } else if c.starts_with("//") {
        format!("//{c}")
    } else {
        format!("// {c}")
    }
}

/// Appends the node's trailing comment, if any.
fn trailing(mut text: String, trivia: &Trivia) -> String {
    if let Some(c) = &trivia.trailing {
        text.push(' ');
        if c.starts_with("/*") {
            text.push_str(c);
            return text;
        }
        text.push_str(&comment_text(&c.replace('\n', " ")));
    }
    text
}

fn is_plain_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| unicode_ident::is_xid_start(c) || c == '_')
        && chars.all(unicode_ident::is_xid_continue)
}

fn ident_or_str(s: &str) -> String {
    if is_plain_ident(s) {
        s.to_string()
    } else {
        quote(s)
    }
}

/// A string literal with `\" \\ \n \t` escapes.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn sql_text(s: &SqlText) -> String {
    if s.block || s.text.contains('`') {
        format!("\"\"\"{}\"\"\"", s.text)
    } else {
        format!("`{}`", s.text)
    }
}

fn idents(list: &[Ident]) -> String {
    list.iter()
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn sequence_text(q: &SequenceDecl) -> String {
    let mut s = format!("sequence {}", q.name.name);
    if let Some(t) = &q.data_type {
        s.push_str(&format!(" as {}", t.name));
    }
    for (kw, v) in [
        ("start", q.start),
        ("increment", q.increment),
        ("min", q.min),
        ("max", q.max),
        ("cache", q.cache),
    ] {
        if let Some((v, _)) = v {
            s.push_str(&format!(" {kw} {v}"));
        }
    }
    if q.cycle {
        s.push_str(" cycle");
    }
    if let Some((e, f)) = &q.owned_by {
        s.push_str(&format!(" owned by {}({})", e.name, f.name));
    }
    s
}

fn type_text(t: &TypeExpr) -> String {
    let mut s = if t.raw {
        format!("`{}`", t.name.name)
    } else {
        t.name.name.clone()
    };
    if !t.args.is_empty() {
        let args: Vec<String> = t
            .args
            .iter()
            .map(|a| match a {
                TypeArg::Int(v, _) => v.to_string(),
                TypeArg::Word(w) => w.name.clone(),
            })
            .collect();
        s.push_str(&format!("({})", args.join(", ")));
    }
    for _ in 0..t.array_dims {
        s.push_str("[]");
    }
    s
}

fn default_text(d: &DefaultExpr) -> String {
    match d {
        DefaultExpr::Number(n, _) => n.clone(),
        DefaultExpr::Str(s) => quote(&s.value),
        DefaultExpr::Bool(b, _) => b.to_string(),
        DefaultExpr::Null(_) => "null".into(),
        DefaultExpr::Word(w) => w.name.clone(),
        DefaultExpr::Call(c) => format!("{}()", c.name),
        DefaultExpr::Sql(s) => sql_text(s),
    }
}

fn padded(name: &str, width: usize) -> String {
    format!("{name:<width$}")
}

fn field_text(f: &FieldDecl, width: usize) -> String {
    let mut s = format!("{} {}", padded(&f.name.name, width), type_text(&f.ty));
    if f.nullable {
        s.push('?');
    }
    for a in &f.attrs {
        s.push(' ');
        s.push_str(&match a {
            FieldAttr::Unique(_) => "unique".into(),
            FieldAttr::Index(_) => "index".into(),
            FieldAttr::PrimaryKey(_) => "pk".into(),
            FieldAttr::Identity(_) => "identity".into(),
            FieldAttr::IdentityByDefault(_) => "identity by default".into(),
            FieldAttr::Default(d) => format!("= {}", default_text(d)),
            FieldAttr::Check(c) => format!("check {}", sql_text(c)),
            FieldAttr::Generated(g) => format!("generated {}", sql_text(g)),
            FieldAttr::GeneratedVirtual(g) => format!("generated virtual {}", sql_text(g)),
            FieldAttr::Collate(c) => format!("collate {}", quote(&c.value)),
            FieldAttr::Map(m) => format!("map {}", quote(&m.value)),
            FieldAttr::RenamedFrom(r) => format!("renamed_from {}", r.name),
        });
    }
    s
}

fn action_text(a: ActionAst) -> &'static str {
    match a {
        ActionAst::Cascade => "cascade",
        ActionAst::Restrict => "restrict",
        ActionAst::NoAction => "no action",
        ActionAst::SetNull => "set null",
        ActionAst::SetDefault => "set default",
    }
}

fn relation_text(r: &RelationDecl, width: usize) -> String {
    let arrow = match r.kind {
        RelationKind::ToOne => "->",
        RelationKind::ManyToMany => "<->",
        RelationKind::Inverse => "<-",
    };
    let mut s = format!("{} {arrow} {}", padded(&r.name.name, width), r.target.name);
    if let Some(f) = &r.target_field {
        s.push_str(&format!("({})", f.name));
    }
    if r.nullable {
        s.push('?');
    }
    for a in &r.attrs {
        s.push(' ');
        s.push_str(&match a {
            RelationAttr::OnDelete(x, _) => format!("on delete {}", action_text(*x)),
            RelationAttr::OnUpdate(x, _) => format!("on update {}", action_text(*x)),
            RelationAttr::Unique(_) => "unique".into(),
            RelationAttr::Through(t) => format!("through {}", t.name),
            RelationAttr::Map(m) => format!("map {}", quote(&m.value)),
            RelationAttr::Deferrable {
                initially_deferred: true,
                ..
            } => "deferred".into(),
            RelationAttr::Deferrable { .. } => "deferrable".into(),
            RelationAttr::RenamedFrom(n) => format!("renamed_from {}", n.name),
            RelationAttr::Constraint(n) => format!("constraint {}", quote(&n.value)),
        });
    }
    s
}

fn key_expr_text(k: &KeyExpr) -> String {
    match k {
        KeyExpr::Column(c) => c.name.clone(),
        KeyExpr::Sql(s) => sql_text(s),
    }
}

fn index_key_text(k: &IndexKeyDecl) -> String {
    let mut s = key_expr_text(&k.expr);
    if let Some(o) = &k.opclass {
        s.push(' ');
        s.push_str(&o.name);
    }
    if k.descending {
        s.push_str(" desc");
    }
    match k.nulls_first {
        Some(true) => s.push_str(" nulls first"),
        Some(false) => s.push_str(" nulls last"),
        None => {}
    }
    s
}

fn index_text(i: &IndexDecl) -> String {
    let mut s = if i.unique {
        "unique index".to_string()
    } else {
        "index".to_string()
    };
    if let Some(n) = &i.name {
        s.push(' ');
        s.push_str(&quote(&n.value));
    }
    let keys: Vec<String> = i.keys.iter().map(index_key_text).collect();
    s.push_str(&format!(" ({})", keys.join(", ")));
    if let Some(m) = &i.method {
        s.push_str(&format!(" using {}", m.name));
    }
    if !i.include.is_empty() {
        s.push_str(&format!(" include ({})", idents(&i.include)));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" where {}", sql_text(p)));
    }
    if i.nulls_not_distinct {
        s.push_str(" nulls not distinct");
    }
    s
}

fn unique_text(u: &UniqueDecl) -> String {
    let mut s = "unique".to_string();
    if let Some(n) = &u.name {
        s.push(' ');
        s.push_str(&quote(&n.value));
    }
    s.push_str(&format!(" ({})", idents(&u.columns)));
    if u.nulls_not_distinct {
        s.push_str(" nulls not distinct");
    }
    if u.live {
        s.push_str(" live");
    }
    s
}

fn exclude_text(x: &ExcludeDecl) -> String {
    let mut s = "exclude".to_string();
    if let Some(n) = &x.name {
        s.push(' ');
        s.push_str(&n.name);
    }
    let elems: Vec<String> = x
        .elements
        .iter()
        .map(|e| format!("{} with {}", index_key_text(&e.key), sql_text(&e.operator)))
        .collect();
    s.push_str(&format!(" using {} ({})", x.method.name, elems.join(", ")));
    if let Some(p) = &x.predicate {
        s.push_str(&format!(" where {}", sql_text(p)));
    }
    s
}

/// `10000000` → `10M`: the largest suffix that divides evenly.
fn rows_text(n: u64) -> String {
    if n != 0 {
        for (div, suffix) in [(1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")] {
            if n.is_multiple_of(div) {
                return format!("{}{suffix}", n / div);
            }
        }
    }
    n.to_string()
}

fn rate_text(r: &Rate) -> String {
    let unit = match r.unit {
        RateUnit::Second => "s",
        RateUnit::Minute => "min",
        RateUnit::Hour => "h",
        RateUnit::Day => "day",
    };
    format!("{}/{unit}", r.value)
}

fn policy_text(p: &PolicyDecl) -> String {
    let mut s = format!("policy {}", p.name.name);
    if let Some(c) = &p.command {
        s.push_str(&format!(" for {}", c.name));
    }
    if !p.roles.is_empty() {
        s.push_str(&format!(" to {}", idents(&p.roles)));
    }
    if p.restrictive {
        s.push_str(" restrictive");
    }
    if let Some(u) = &p.using {
        s.push_str(&format!(" using {}", sql_text(u)));
    }
    if let Some(c) = &p.check {
        s.push_str(&format!(" check {}", sql_text(c)));
    }
    s
}

fn setting_text(s: &Setting) -> String {
    let value = match &s.value {
        SettingValue::Word(w) => w.name.clone(),
        SettingValue::Str(x) => quote(&x.value),
        SettingValue::Int(v, _) => v.to_string(),
    };
    format!("{} {value}", s.key.name)
}

fn bound_value_text(v: &BoundValue) -> String {
    match v {
        BoundValue::Str(s) => quote(&s.value),
        BoundValue::Number(n, _) => n.clone(),
        BoundValue::Word(w) => w.name.clone(),
    }
}

fn bound_text(values: &[BoundValue]) -> String {
    match values {
        [one] => bound_value_text(one),
        many => format!(
            "({})",
            many.iter()
                .map(bound_value_text)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn part_text(p: &PartitionPart) -> String {
    let bound = match &p.bound {
        PartitionBound::Range { from, to } => {
            format!("from {} to {}", bound_text(from), bound_text(to))
        }
        PartitionBound::List(values) => format!(
            "in ({})",
            values
                .iter()
                .map(bound_value_text)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        PartitionBound::Default => "default".into(),
    };
    match &p.name {
        Some(n) => format!("{} {bound}", n.name),
        None => bound,
    }
}
