//! The destructive statements of a migration file, found by reading its statements, and the
//! hazards the file acknowledges (`-- strata:allow-hazard CODE` lines).
//!
//! `migrate apply` refuses a pending migration that deletes data unless the file (reviewed,
//! recorded in `strata.sum`) or the command line allows it, so a script running
//! `migrate new x && migrate apply` never drops data nobody looked at. The scan reads the
//! top-level statements only: SQL inside a function body, a `DO` block or `EXECUTE` is not
//! inspected.

use crate::split;

/// The hazard code of a statement that deletes data (the planner's code for the same thing).
pub const DELETES_DATA: &str = "deletes_data";

/// The line that acknowledges hazards: `-- strata:allow-hazard CODE[, CODE ...]`.
pub const DIRECTIVE: &str = "strata:allow-hazard";

/// One destructive statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line where the statement starts.
    pub line: usize,
    /// The statement, shortened for a message.
    pub statement: String,
    pub code: &'static str,
}

/// The statements of `sql` that delete data.
pub fn scan(sql: &str) -> Vec<Finding> {
    split::split(sql)
        .into_iter()
        .filter(|s| deletes_data(&s.sql))
        .map(|s| Finding {
            line: sql
                .get(..s.range.start)
                .map_or(1, |before| before.matches('\n').count() + 1),
            statement: shorten(&s.sql),
            code: DELETES_DATA,
        })
        .collect()
}

/// The codes of the `-- strata:allow-hazard CODE[, CODE ...]` lines of `sql`, as written.
pub fn allowed_in_file(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in sql.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("--") else {
            continue;
        };
        let rest = rest.trim_start();
        let is_directive = rest
            .get(..DIRECTIVE.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(DIRECTIVE));
        if !is_directive {
            continue;
        }
        let codes = rest.get(DIRECTIVE.len()..).unwrap_or("");
        out.extend(
            codes
                .split([',', ' ', '\t'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_ascii_lowercase),
        );
    }
    out
}

fn deletes_data(statement: &str) -> bool {
    let w = split::keywords(statement);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    match w.first().copied() {
        Some("DROP") => {
            matches!(
                w.get(1).copied(),
                Some("TABLE" | "SCHEMA" | "DATABASE" | "OWNED")
            ) || w.contains(&"CASCADE")
        }
        Some("TRUNCATE" | "DELETE") => true,
        Some("WITH") => w.contains(&"DELETE"),
        Some("ALTER") if w.get(1) == Some(&"TABLE") => drops_a_column(&w),
        _ => false,
    }
}

/// `ALTER TABLE ... DROP [COLUMN] [IF EXISTS] c`, among other actions; not the `DROP` of a
/// constraint, a default, `NOT NULL`, an identity or a generation expression.
fn drops_a_column(w: &[&str]) -> bool {
    let mut depth = 0usize;
    for (i, word) in w.iter().enumerate() {
        match *word {
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            "DROP" if depth == 0 => {
                let next = w.get(i + 1).copied().unwrap_or("");
                if !matches!(
                    next,
                    "CONSTRAINT" | "DEFAULT" | "NOT" | "IDENTITY" | "EXPRESSION" | ""
                ) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

fn shorten(statement: &str) -> String {
    let one_line = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(80) {
        Some((at, _)) => format!("{} ...", &one_line[..at]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_destructive_statements_with_their_lines() {
        let sql = "-- strata:allow-hazard deletes_data\nCREATE TABLE a (x int);\nALTER TABLE a ALTER COLUMN x DROP NOT NULL;\n\nALTER TABLE a\n  DROP COLUMN x;\nDROP INDEX i;\nDROP TABLE a;\n";
        let found: Vec<usize> = scan(sql).iter().map(|f| f.line).collect();
        assert_eq!(found, vec![5, 8]);
        assert_eq!(scan(sql)[0].statement, "ALTER TABLE a DROP COLUMN x");
        assert_eq!(allowed_in_file(sql), vec!["deletes_data"]);
        assert!(allowed_in_file("SELECT 1; -- strata:allow-hazard x").is_empty());
        assert_eq!(
            allowed_in_file("--STRATA:ALLOW-HAZARD Deletes_Data, breaks_clients\n"),
            vec!["deletes_data", "breaks_clients"]
        );
    }

    #[test]
    fn quoted_text_and_comments_are_not_statements() {
        assert!(scan("SELECT 'DROP TABLE a';").is_empty());
        assert!(scan("/* DROP TABLE a; */ SELECT 1;").is_empty());
        assert!(!scan("ALTER TABLE \"T\" DROP \"C\";").is_empty());
    }
}
