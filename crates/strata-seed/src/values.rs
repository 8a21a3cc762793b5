//! Value generation for one column: deterministic, following the type, the semantic format
//! and the rules read from checks.

use strata_model::{Column, Model, TypeRef};

use crate::checks::{Format, Pattern, Rules};

/// A generated value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// An integer or decimal, written bare.
    Number(String),
    /// Any other value, written as a string literal that PostgreSQL casts to the column type.
    Text(String),
    /// The column's DEFAULT (a type Strata cannot make values for).
    Default,
    /// A timestamp this many minutes from the moment the rows are inserted (an expiry):
    /// `now() + interval 'N minutes'` in SQL. Data loaded by COPY gets concrete times instead.
    FromNow(i64),
}

impl Value {
    pub fn sql(&self) -> String {
        match self {
            Value::Null => "NULL".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.clone(),
            Value::Text(t) => strata_model::quote_literal(t),
            Value::Default => "DEFAULT".into(),
            Value::FromNow(m) => format!("now() + interval '{m} minutes'"),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        match self {
            Value::Null | Value::Default => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => n
                .parse::<i64>()
                .map(serde_json::Value::from)
                .or_else(|_| n.parse::<f64>().map(serde_json::Value::from))
                .unwrap_or_else(|_| serde_json::Value::String(n.clone())),
            Value::Text(t) => serde_json::Value::String(t.clone()),
            Value::FromNow(_) => serde_json::Value::String(self.sql()),
        }
    }
}

/// SplitMix64: tiny, fast, and the same on every platform, which is all sample data needs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, parts: &[&str]) -> Self {
        // FNV-1a over the names, so adding a table or column leaves the others' values alone.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
        for p in parts {
            for b in p.bytes().chain(std::iter::once(0xff)) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        Rng(h)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The generator of one row: a counter-based stream, so row `n`'s values are computed
    /// without generating rows `0..n` first (a child computes its parent's key from the
    /// parent's row number).
    pub fn at(&self, row: u64) -> Rng {
        let mut r = Rng(self.0 ^ row.wrapping_mul(0xd1b5_4a32_d192_ed03));
        r.next_u64();
        r
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
}

const WORDS: &[&str] = &[
    "amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "juniper",
    "kestrel", "lagoon", "maple", "nectar", "orchid", "prairie", "quartz", "river", "sierra",
    "tundra", "umber", "valley", "willow", "yarrow", "zephyr",
];

const FIRST: &[&str] = &[
    "Ada", "Bruno", "Chloe", "Dmitri", "Elena", "Farah", "Goran", "Hana", "Ivo", "Jun", "Kofi",
    "Lena", "Mateo", "Nadia", "Omar", "Priya",
];

const LAST: &[&str] = &[
    "Lovelace", "Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Sato", "Tanaka", "Umarov", "Varga",
    "Weber", "Xu",
];

/// Whether a column is a secret or a hash of one, so docs and sample data never show it.
pub fn is_sensitive(column: &Column) -> bool {
    if column.origin.sensitive {
        return true;
    }
    // SQL and database sources carry no semantic types: recognise the usual names.
    let n = column.name.to_ascii_lowercase();
    n == "password"
        || n.ends_with("_password")
        || n.ends_with("_hash")
        || n.contains("secret")
        || n.ends_with("_token")
        || n == "token"
}

/// Everything a generator needs to know about a column beyond its definition.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub table: &'a str,
    pub column: &'a Column,
    pub rules: &'a Rules,
    /// Row number, from 0.
    pub row: usize,
    /// The value must differ between rows.
    pub unique: bool,
    pub sensitive: bool,
    pub semantic: Option<&'a str>,
}

/// A value for the column, or `None` when the generated column is left out.
pub fn generate(ctx: &Ctx<'_>, rng: &mut Rng) -> Value {
    if let Some(choices) = &ctx.rules.choices {
        let idx = if ctx.unique {
            ctx.row
        } else {
            rng.below(choices.len() as u64) as usize
        };
        return match choices.get(idx % choices.len().max(1)) {
            Some(c) => Value::Text(c.clone()),
            None => Value::Default,
        };
    }
    generate_for_type(ctx, &ctx.column.data_type, ctx.rules, rng)
}

fn generate_for_type(ctx: &Ctx<'_>, ty: &TypeRef, rules: &Rules, rng: &mut Rng) -> Value {
    if ty.array_dims > 0 {
        // An empty array satisfies every element type and most array checks.
        return Value::Text("{}".into());
    }
    if let Some(q) = ty.qualified() {
        if let Some(e) = ctx.model.enum_type(&q) {
            if e.values.is_empty() {
                return Value::Default;
            }
            let idx = if ctx.unique {
                ctx.row
            } else {
                rng.below(e.values.len() as u64) as usize
            };
            return Value::Text(e.values[idx % e.values.len()].clone());
        }
        if let Some(d) = ctx.model.domains.iter().find(|d| d.name == q) {
            let mut merged = rules.clone();
            let mut ok = true;
            for c in &d.checks {
                let mut one = vec![merged.clone()];
                ok &= crate::checks::apply(
                    &c.expression,
                    &|n| n.eq_ignore_ascii_case("value").then_some(0),
                    &mut one,
                );
                merged = one.remove(0);
            }
            let _ = ok;
            if let Some(choices) = &merged.choices
                && !choices.is_empty()
            {
                return Value::Text(choices[ctx.row % choices.len()].clone());
            }
            return generate_for_type(ctx, &d.base, &merged, rng);
        }
        // Another extension or user type: its default, or NULL, is all that is safe.
        return if ctx.column.default.is_some() {
            Value::Default
        } else if ctx.column.nullable {
            Value::Null
        } else {
            Value::Text(String::new())
        };
    }
    let base = ty.base_name().to_ascii_lowercase();
    let modifiers = modifiers(&ty.name);
    match base.as_str() {
        "smallint" | "integer" | "bigint" | "int2" | "int4" | "int8" | "oid" => {
            let cap = if base == "smallint" || base == "int2" {
                32_767.0
            } else {
                2_000_000_000.0
            };
            let lo =
                rules
                    .min
                    .map_or(1.0, |m| m.ceil())
                    .max(if base == "oid" { 1.0 } else { -cap });
            let hi = rules.max.map_or(cap, |m| m.floor()).min(cap);
            let v = if ctx.unique {
                lo + ctx.row as f64
            } else {
                let span = (hi - lo).clamp(0.0, 999.0) as u64;
                lo + rng.below(span + 1) as f64
            };
            Value::Number(format!("{}", v as i64))
        }
        "numeric" | "decimal" | "real" | "double precision" | "money" => {
            let (precision, scale) = match modifiers.as_slice() {
                [p, s] => (*p, *s),
                [p] => (*p, 0),
                _ => (12, 2),
            };
            let int_digits = precision.saturating_sub(scale).min(9);
            let type_max = 10f64.powi(int_digits as i32) - 1.0;
            let lo = rules.min.unwrap_or(0.0).max(0.0).max(-type_max);
            let hi = rules.max.unwrap_or(999.0).min(type_max).min(lo + 999.0);
            let cents = 10u64.pow(scale.min(4) as u32);
            let span = ((hi - lo).max(0.0) * cents as f64) as u64;
            let raw = if ctx.unique {
                (ctx.row as u64).min(span)
            } else {
                rng.below(span + 1)
            };
            let mut v = lo + raw as f64 / cents as f64;
            if rules.min.is_some_and(|m| v < m) {
                v = rules.min.unwrap_or(v);
            }
            Value::Number(format!("{v:.prec$}", prec = scale.min(4) as usize))
        }
        "boolean" | "bool" => Value::Bool(if ctx.unique {
            ctx.row.is_multiple_of(2)
        } else {
            rng.below(2) == 0
        }),
        "uuid" => Value::Text(uuid(rng)),
        "timestamp with time zone" | "timestamp without time zone" | "timestamp" => {
            // Spread over 2024: inside any date partitioning a sample schema is likely to
            // have, and unique per row when required.
            let minutes = if ctx.unique {
                ctx.row as u64 * 97 + rng.below(60)
            } else {
                rng.below(366 * 24 * 60)
            };
            let tz = if base == "timestamp with time zone" {
                "+00"
            } else {
                ""
            };
            Value::Text(format!("{}{tz}", timestamp(minutes)))
        }
        "date" => {
            let days = if ctx.unique {
                ctx.row as u64
            } else {
                rng.below(366)
            };
            Value::Text(timestamp(days * 24 * 60)[..10].to_string())
        }
        "time with time zone" | "time without time zone" | "time" => {
            let m = rng.below(24 * 60);
            Value::Text(format!("{:02}:{:02}:00", m / 60, m % 60))
        }
        "interval" => Value::Text(format!("{} minutes", 1 + ctx.row)),
        "json" | "jsonb" => Value::Text(format!("{{\"sample\": {}}}", ctx.row + 1)),
        "bytea" => {
            let bytes = rng.next_u64();
            Value::Text(format!("\\x{bytes:016x}{:08x}", ctx.row))
        }
        "inet" => Value::Text(format!(
            "10.{}.{}.{}",
            (ctx.row >> 16) & 255,
            (ctx.row >> 8) & 255,
            ctx.row & 255
        )),
        "cidr" => Value::Text(format!(
            "10.{}.{}.0/24",
            (ctx.row >> 8) & 255,
            ctx.row & 255
        )),
        "macaddr" => Value::Text(format!(
            "08:00:2b:{:02x}:{:02x}:{:02x}",
            (ctx.row >> 16) & 255,
            (ctx.row >> 8) & 255,
            ctx.row & 255
        )),
        "tsvector" => Value::Text(format!("sample {}", word(rng))),
        "tsquery" => Value::Text(word(rng).to_string()),
        "point" => Value::Text(format!("({},{})", ctx.row, rng.below(100))),
        "int4range" | "int8range" | "numrange" => {
            Value::Text(format!("[{},{})", ctx.row, ctx.row + 10))
        }
        "tstzrange" | "tsrange" => {
            let start = timestamp(ctx.row as u64 * 60);
            let end = timestamp(ctx.row as u64 * 60 + 30);
            Value::Text(format!("[\"{start}\",\"{end}\")"))
        }
        "daterange" => Value::Text(format!(
            "[{},{})",
            &timestamp(ctx.row as u64 * 1440)[..10],
            &timestamp((ctx.row as u64 + 1) * 1440)[..10]
        )),
        "ltree" => Value::Text(format!("top.{}{}", word(rng), ctx.row)),
        "xml" => Value::Text(format!("<sample n=\"{}\"/>", ctx.row)),
        "bit" | "bit varying" | "varbit" => Value::Text("1".into()),
        "text" | "character varying" | "varchar" | "character" | "char" | "citext" | "name"
        | "bpchar" => {
            let mut r = rules.clone();
            if let Some(n) = modifiers.first() {
                let n = *n as usize;
                r.max_len = Some(r.max_len.map_or(n, |m| m.min(n)));
            }
            Value::Text(text(ctx, &r, rng))
        }
        _ => {
            if ctx.column.default.is_some() {
                Value::Default
            } else if ctx.column.nullable {
                Value::Null
            } else {
                Value::Text(text(ctx, rules, rng))
            }
        }
    }
}

fn modifiers(name: &str) -> Vec<u64> {
    let Some(open) = name.find('(') else {
        return Vec::new();
    };
    let Some(close) = name[open..].find(')') else {
        return Vec::new();
    };
    name[open + 1..open + close]
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect()
}

fn word(rng: &mut Rng) -> &'static str {
    WORDS[rng.below(WORDS.len() as u64) as usize]
}

fn uuid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    // Version 4, RFC 4122 variant bits.
    let a = (a & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

/// Rows record events after their creation (`deleted_at`, `completed_at`) within this many
/// days of `created_at`.
pub const LATER_DAYS: u64 = 60;
/// Expiries (`expires_at`) fall from this many days before the moment of the load...
pub const EXPIRED_DAYS: u64 = 2;
/// ...to this many days after it: about one in sixteen has expired, as on a running system
/// whose clean-up runs now and then.
pub const EXPIRY_DAYS: u64 = 30;

/// A timestamp column that records something after its row was created (`deleted_at`,
/// `completed_at`, `last_message_at`): any `*_at` but `created_at`, `updated_at` and expiries.
pub fn records_later_event(name: &str) -> bool {
    name.ends_with("_at") && !matches!(name, "created_at" | "updated_at") && !is_expiry(name)
}

/// A timestamp column that says until when the row is valid (`expires_at`, `valid_until`).
pub fn is_expiry(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("expire") || n.contains("expiry") || n.contains("expiration") || n == "valid_until"
}

/// Minutes since 2024-01-01 of a timestamp as [`generate`] writes it (`2024-05-04 22:30:00`,
/// with or without `+00`).
pub fn timestamp_minutes(s: &str) -> Option<i64> {
    let (date, time) = s.get(..19)?.split_once(' ')?;
    let mut d = date.split('-').map(str::parse::<i64>);
    let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let mut t = time.split(':').map(str::parse::<i64>);
    let (h, min) = (t.next()?.ok()?, t.next()?.ok()?);
    Some((days_from_civil(y, m, day) - 19_723) * 1440 + h * 60 + min)
}

/// `created` plus a delay of up to [`LATER_DAYS`], in the same format.
pub fn later(created: &Value, rng: &mut Rng) -> Value {
    let Value::Text(c) = created else {
        return created.clone();
    };
    let Some(m) = timestamp_minutes(c) else {
        return created.clone();
    };
    let tz = c.get(19..).unwrap_or("");
    let delay = rng.below(LATER_DAYS * 1440) as i64;
    Value::Text(format!("{}{tz}", timestamp_at(m + delay)))
}

/// Minutes from the moment of the load of an expiry: from [`EXPIRED_DAYS`] before to
/// [`EXPIRY_DAYS`] after.
pub fn expiry_offset(rng: &mut Rng) -> i64 {
    rng.below((EXPIRED_DAYS + EXPIRY_DAYS) * 1440) as i64 - (EXPIRED_DAYS * 1440) as i64
}

/// An expiry as a concrete timestamp: `now` (minutes since 2024-01-01) plus `offset`.
pub fn expiry_at(now: i64, offset: i64, with_time_zone: bool) -> Value {
    let tz = if with_time_zone { "+00" } else { "" };
    Value::Text(format!("{}{tz}", timestamp_at(now + offset)))
}

/// Minutes since 2024-01-01 of the start of the current day (UTC): the day, not the minute,
/// so the same seed gives the same rows all day.
pub fn now_minutes() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    (secs / 86_400 - 19_723) * 1440
}

/// `2024-01-01 00:00:00` plus `minutes`, which may be negative.
fn timestamp_at(minutes: i64) -> String {
    let days = minutes.div_euclid(1440);
    let rem = minutes.rem_euclid(1440);
    let (y, m, d) = civil_from_days(19_723 + days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:00", rem / 60, rem % 60)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2024-01-01 00:00:00` plus `minutes`.
fn timestamp(minutes: u64) -> String {
    let days = minutes / 1440;
    let rem = minutes % 1440;
    // 2024-01-01 is day 19723 since 1970-01-01.
    let (y, m, d) = civil_from_days(19_723 + days as i64);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:00", rem / 60, rem % 60)
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// What every secret placeholder starts with: a reviewer or a secret scanner must be able to
/// tell sample data from a leaked hash at a glance, so it is not shaped like a real hash.
pub const FAKE_SECRET: &str = "not-a-real-hash:";

/// A placeholder for a secret or its hash: [`FAKE_SECRET`] and random characters (so unique
/// columns stay unique). It is no hash of any password, so nothing verifies against it. A
/// short column keeps a shorter marker, then only random characters.
fn secret_placeholder(rng: &mut Rng, max_len: Option<usize>) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const RANDOM: usize = 22;
    let len = max_len.unwrap_or(usize::MAX);
    let marker = [FAKE_SECRET, "fake-hash:", "fake:"]
        .into_iter()
        .find(|m| m.len() + 8 <= len)
        .unwrap_or("");
    let random = RANDOM.min(len.saturating_sub(marker.len()));
    let mut out = marker.to_string();
    out.extend((0..random).map(|_| ALNUM[rng.below(ALNUM.len() as u64) as usize] as char));
    out
}

/// Real codes for a three-letter currency pattern, so sample invoices read naturally.
const CURRENCIES: &[&str] = &["EUR", "USD", "GBP", "JPY", "CHF", "SEK", "CAD", "AUD"];

/// Text matching `pattern` (a check's simple regex) and none of `excluded`. A unique column
/// spells its row number in the pattern's characters (mixed radix), so rows differ.
fn pattern_text(ctx: &Ctx<'_>, pattern: &Pattern, excluded: &[String], rng: &mut Rng) -> String {
    let three_letters = pattern.atoms.len() == 1
        && pattern.atoms[0].min == 3
        && pattern.atoms[0].max == 3
        && pattern.atoms[0].chars == ('A'..='Z').collect::<Vec<char>>();
    let named_currency = ctx.column.name.to_ascii_lowercase().contains("currenc")
        || ctx
            .column
            .data_type
            .name
            .to_ascii_lowercase()
            .contains("currenc");
    if three_letters && named_currency && !ctx.unique {
        let options: Vec<&&str> = CURRENCIES
            .iter()
            .filter(|c| !excluded.iter().any(|e| e == **c))
            .collect();
        if let Some(c) = options.get(rng.below(options.len() as u64) as usize) {
            return (**c).to_string();
        }
    }
    let mut attempt = 0u64;
    loop {
        let mut n = ctx.row as u64 + attempt * 7919;
        let mut out = String::new();
        for a in &pattern.atoms {
            let count = if ctx.unique {
                a.max
            } else {
                a.min + rng.below((a.max - a.min + 1) as u64) as usize
            };
            let radix = a.chars.len().max(1) as u64;
            // Least significant digit last, so consecutive rows differ at the end.
            let mut part: Vec<char> = Vec::with_capacity(count);
            for _ in 0..count {
                let k = if ctx.unique {
                    let d = n % radix;
                    n /= radix;
                    d
                } else {
                    rng.below(radix)
                };
                if let Some(&c) = a.chars.get(k as usize) {
                    part.push(c);
                }
            }
            part.reverse();
            out.extend(part);
        }
        attempt += 1;
        if !excluded.contains(&out) || attempt > 16 {
            return out;
        }
    }
}

fn text(ctx: &Ctx<'_>, rules: &Rules, rng: &mut Rng) -> String {
    let n = ctx.row + 1;
    let col = ctx.column.name.to_ascii_lowercase();
    let format = rules.format.or(match ctx.semantic {
        Some("email") => Some(Format::Email),
        Some("url") => Some(Format::Url),
        Some("slug") => Some(Format::Slug),
        Some("phone") => Some(Format::Phone),
        // SQL sources have no semantic types: the usual column names say enough.
        _ if col.contains("email") => Some(Format::Email),
        _ if col == "url" || col.ends_with("_url") || col == "website" => Some(Format::Url),
        _ if col == "slug" || col.ends_with("_slug") => Some(Format::Slug),
        _ => None,
    });
    if ctx.sensitive {
        return secret_placeholder(rng, rules.max_len);
    }
    if let Some(p) = &rules.pattern {
        return pattern_text(ctx, p, &rules.excluded, rng);
    }
    let (body, suffix) = match format {
        Some(Format::Email) => {
            let first = FIRST[rng.below(FIRST.len() as u64) as usize].to_ascii_lowercase();
            (first, format!(".{n}@example.com"))
        }
        Some(Format::Url) => (
            "https://example.com/".to_string(),
            format!("{}/{n}", ctx.table),
        ),
        Some(Format::Slug) => (word(rng).to_string(), format!("-{n}")),
        Some(Format::Phone) => return format!("+1555{:07}", n % 10_000_000),
        None => {
            let body = if col.contains("first_name") {
                FIRST[rng.below(FIRST.len() as u64) as usize].to_string()
            } else if col.contains("last_name") || col == "surname" {
                LAST[rng.below(LAST.len() as u64) as usize].to_string()
            } else if col == "name" || col.ends_with("_name") || col == "username" {
                format!(
                    "{} {}",
                    FIRST[rng.below(FIRST.len() as u64) as usize],
                    LAST[rng.below(LAST.len() as u64) as usize]
                )
            } else if col.contains("description") || col.contains("content") || col == "body" {
                let w: Vec<&str> = (0..6).map(|_| word(rng)).collect();
                let mut s = w.join(" ");
                if let Some(f) = s.get_mut(0..1) {
                    f.make_ascii_uppercase();
                }
                format!("{s}.")
            } else {
                let mut s = format!("{} {}", word(rng), word(rng));
                if let Some(f) = s.get_mut(0..1) {
                    f.make_ascii_uppercase();
                }
                s
            };
            let suffix = if ctx.unique {
                format!(" {n}")
            } else {
                String::new()
            };
            (body, suffix)
        }
    };
    fit(&body, &suffix, rules)
}

/// `body + suffix`, cut to the maximum length (the suffix, which carries uniqueness and the
/// format's tail, is kept) and padded to the minimum.
fn fit(body: &str, suffix: &str, rules: &Rules) -> String {
    let mut s = format!("{body}{suffix}");
    if let Some(max) = rules.max_len {
        let len = s.chars().count();
        if len > max {
            let keep = max.saturating_sub(suffix.chars().count());
            let head: String = body.chars().take(keep).collect();
            s = format!("{}{suffix}", head.trim_end());
            if s.chars().count() > max {
                let skip = s.chars().count() - max;
                s = s.chars().skip(skip).collect();
            }
        }
    }
    let min = rules.min_len.unwrap_or(1);
    while s.chars().count() < min {
        s.push('x');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(timestamp(0), "2024-01-01 00:00:00");
        assert_eq!(timestamp(59 * 1440 + 61), "2024-02-29 01:01:00");
        assert_eq!(timestamp(366 * 1440), "2025-01-01 00:00:00");
        for m in [0u64, 61, 59 * 1440 + 61, 366 * 1440 + 5, 4000 * 1440 + 1439] {
            assert_eq!(timestamp_minutes(&timestamp(m)), Some(m as i64));
            assert_eq!(
                timestamp_minutes(&format!("{}+00", timestamp(m))),
                Some(m as i64)
            );
            assert_eq!(timestamp_at(m as i64), timestamp(m));
        }
        assert_eq!(timestamp_at(-1), "2023-12-31 23:59:00");
    }

    #[test]
    fn fit_keeps_suffix() {
        let r = Rules {
            max_len: Some(8),
            ..Rules::default()
        };
        assert_eq!(fit("Harbor maple", " 12", &r), "Harbo 12");
        let r = Rules {
            min_len: Some(3),
            ..Rules::default()
        };
        assert_eq!(fit("a", "", &r), "axx");
    }

    #[test]
    fn placeholders_are_recognisably_fake() {
        let mut rng = Rng::new(1, &["t"]);
        let s = secret_placeholder(&mut rng, None);
        assert!(s.starts_with("not-a-real-hash:"), "{s}");
        assert!(!s.contains('$'), "nothing like a PHC hash string: {s}");
        assert_ne!(
            s,
            secret_placeholder(&mut rng, None),
            "random, for unique columns"
        );
        let short = secret_placeholder(&mut rng, Some(13));
        assert_eq!(short.chars().count(), 13);
        assert!(short.starts_with("fake:"), "{short}");
        assert_eq!(secret_placeholder(&mut rng, Some(4)).chars().count(), 4);
    }

    #[test]
    fn uuids_are_v4() {
        let mut rng = Rng::new(7, &[]);
        let u = uuid(&mut rng);
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }
}
