//! Triggers: `CREATE TRIGGER`.

use strata_model::{
    QualifiedName, Trigger, TriggerEvent, TriggerTiming, quote_ident, quote_literal,
};

use crate::util::ident_list;

/// `INSERT`, `UPDATE [OF a, b]`, `DELETE`, `TRUNCATE`.
pub fn render_trigger_event(event: &TriggerEvent) -> String {
    match event {
        TriggerEvent::Insert => "INSERT".to_string(),
        TriggerEvent::Update(columns) if columns.is_empty() => "UPDATE".to_string(),
        TriggerEvent::Update(columns) => format!("UPDATE OF {}", ident_list(columns)),
        TriggerEvent::Delete => "DELETE".to_string(),
        TriggerEvent::Truncate => "TRUNCATE".to_string(),
    }
}

/// `CREATE TRIGGER name BEFORE|AFTER|INSTEAD OF events ON table FOR EACH ROW|STATEMENT
/// [WHEN (cond)] EXECUTE FUNCTION fn('arg', ...);`
pub fn render_trigger(table: &QualifiedName, trigger: &Trigger) -> String {
    let timing = match trigger.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let events: Vec<String> = trigger.events.iter().map(render_trigger_event).collect();
    let each = if trigger.for_each_row {
        "ROW"
    } else {
        "STATEMENT"
    };
    let mut out = format!(
        "CREATE TRIGGER {}\n    {timing} {} ON {}\n    FOR EACH {each}",
        quote_ident(&trigger.name),
        events.join(" OR "),
        table.quoted()
    );
    if let Some(when) = &trigger.when {
        out.push_str(&format!("\n    WHEN ({})", when.trim()));
    }
    let args: Vec<String> = trigger.arguments.iter().map(|a| quote_literal(a)).collect();
    out.push_str(&format!(
        "\n    EXECUTE FUNCTION {}({});",
        trigger.function.quoted(),
        args.join(", ")
    ));
    out
}
