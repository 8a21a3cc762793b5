//! Stable codes of the diagnostics the lexer and parser report.
//!
//! Codes are never reused: a retired code stays in this list with its old meaning.

/// Unexpected character (not part of any token).
pub const UNEXPECTED_CHAR: &str = "E1001";
/// String literal not closed before the end of its line.
pub const UNTERMINATED_STRING: &str = "E1002";
/// SQL literal (backtick or triple-quoted) never closed.
pub const UNTERMINATED_SQL: &str = "E1003";
/// Generic "expected X, found Y".
pub const EXPECTED: &str = "E1004";
/// Unknown item or member keyword, or a token that cannot start an item.
pub const UNKNOWN_KEYWORD: &str = "E1005";
/// Invalid number literal, or a number out of range.
pub const INVALID_NUMBER: &str = "E1006";
/// Blocks nested too deeply.
pub const NESTING_TOO_DEEP: &str = "E1007";
/// Invalid escape sequence in a string literal.
pub const INVALID_ESCAPE: &str = "E1008";
/// Unknown unit in an access-pattern rate.
pub const UNKNOWN_RATE_UNIT: &str = "E1009";
/// Unknown referential action after `on delete` / `on update`.
pub const UNKNOWN_ACTION: &str = "E1010";
/// The same attribute or clause given twice on one field, relation or member.
pub const DUPLICATE_ATTRIBUTE: &str = "E1011";
/// A `{` that is never closed.
pub const MISSING_BRACE: &str = "E1012";
/// More hash partitions than Strata creates.
pub const TOO_MANY_PARTITIONS: &str = "E1013";
/// A `/*` block comment never closed.
pub const UNTERMINATED_COMMENT: &str = "E1014";
/// A `///` doc comment where nothing can carry it (warning; kept as a plain comment).
pub const DETACHED_DOC: &str = "W1001";

/// Every code the lexer and parser can report, with a one-line meaning (for generated docs).
pub const SYNTAX_CODES: &[(&str, &str)] = &[
    (
        UNEXPECTED_CHAR,
        "unexpected character: something that is not part of any token",
    ),
    (
        UNTERMINATED_STRING,
        "unterminated string literal: a `\"` not closed before the end of its line",
    ),
    (
        UNTERMINATED_SQL,
        "unterminated SQL literal: a `` ` `` or `\"\"\"` never closed",
    ),
    (
        EXPECTED,
        "unexpected token: the parser expected something else here",
    ),
    (
        UNKNOWN_KEYWORD,
        "unknown item or member: a line that starts with no known keyword or form",
    ),
    (
        INVALID_NUMBER,
        "invalid number: malformed digits or suffix, or a value out of range",
    ),
    (
        NESTING_TOO_DEEP,
        "nesting too deep: blocks nested beyond what the parser accepts",
    ),
    (
        INVALID_ESCAPE,
        "invalid escape sequence in a string (valid: \\\" \\\\ \\n \\t)",
    ),
    (
        UNKNOWN_RATE_UNIT,
        "unknown rate unit in an access pattern (valid: s, min, h, day)",
    ),
    (
        UNKNOWN_ACTION,
        "unknown referential action (valid: cascade, restrict, no action, set null, set default)",
    ),
    (
        DUPLICATE_ATTRIBUTE,
        "duplicate attribute or clause on one field, relation or member",
    ),
    (MISSING_BRACE, "missing closing `}` for a block"),
    (
        TOO_MANY_PARTITIONS,
        "too many hash partitions: each one is a table, and Strata creates at most 1024",
    ),
    (
        UNTERMINATED_COMMENT,
        "unterminated block comment: a `/*` (or one nested in it) never closed by `*/`",
    ),
    (
        DETACHED_DOC,
        "doc comment where nothing can carry it; it is kept as a plain comment",
    ),
];
