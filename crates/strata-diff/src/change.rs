//! Typed changes: what differs between two models, object by object.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Schema,
    Extension,
    Enum,
    Domain,
    Sequence,
    SequenceOwner,
    Function,
    Aggregate,
    Table,
    Column,
    PrimaryKey,
    Unique,
    Check,
    Exclusion,
    ForeignKey,
    Index,
    Trigger,
    Policy,
    View,
    MaterializedView,
    Grant,
    Comment,
    /// An object carried as SQL ([`strata_model::VerbatimObject`]); its name starts with its
    /// kind (`rule public.t.r`).
    Verbatim,
}

impl ObjectKind {
    /// The label and a space, or nothing for a verbatim object (its name starts with its own
    /// kind): what goes before a name in a message.
    pub fn prefix(self) -> String {
        match self.label() {
            "" => String::new(),
            label => format!("{label} "),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ObjectKind::Schema => "schema",
            ObjectKind::Extension => "extension",
            ObjectKind::Enum => "enum",
            ObjectKind::Domain => "domain",
            ObjectKind::Sequence => "sequence",
            ObjectKind::SequenceOwner => "sequence owner",
            ObjectKind::Function => "function",
            ObjectKind::Aggregate => "aggregate",
            ObjectKind::Table => "table",
            ObjectKind::Column => "column",
            ObjectKind::PrimaryKey => "primary key",
            ObjectKind::Unique => "unique constraint",
            ObjectKind::Check => "check constraint",
            ObjectKind::Exclusion => "exclusion constraint",
            ObjectKind::ForeignKey => "foreign key",
            ObjectKind::Index => "index",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Policy => "policy",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Grant => "grant",
            ObjectKind::Comment => "comment",
            ObjectKind::Verbatim => "",
        }
    }
}

/// What happens to an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Action {
    Create,
    Drop,
    /// Changed in place; `what` names the properties (`type`, `default`, `nullable`,
    /// `identity`, `values`, `body`, `rls`, `attach`, ...).
    Alter {
        what: Vec<String>,
    },
    /// Dropped and created again: changed in a way PostgreSQL cannot alter, or an object it
    /// depends on is recreated or changes type.
    Recreate {
        reason: String,
    },
    Rename {
        from: String,
    },
}

/// One typed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ObjectKind,
    /// The object, qualified (`public.users`, `public.users.email`, `public.f(integer)`).
    pub object: String,
    #[serde(flatten)]
    pub action: Action,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = self.kind.prefix();
        let object = &self.object;
        match &self.action {
            Action::Create => write!(f, "create {kind}{object}"),
            Action::Drop => write!(f, "drop {kind}{object}"),
            Action::Alter { what } => write!(f, "alter {kind}{object} ({})", what.join(", ")),
            Action::Recreate { reason } => write!(f, "recreate {kind}{object} ({reason})"),
            Action::Rename { from } => write!(f, "rename {kind}{from} to {object}"),
        }
    }
}
