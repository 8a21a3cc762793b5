//! Assembling statements into one script: titled sections, comment lines.

/// One `--` comment line; the text cannot break out of it (line breaks become spaces).
pub fn comment_line(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    if text.is_empty() {
        "--\n".to_string()
    } else {
        format!("-- {text}\n")
    }
}

#[derive(Default)]
pub struct Script {
    pub out: String,
}

impl Script {
    /// Appends a titled section; nothing for an empty one. Statements are separated by a blank
    /// line when any of them spans several lines.
    pub fn section(&mut self, title: &str, statements: Vec<String>) {
        if statements.is_empty() {
            return;
        }
        let separator = if statements.iter().any(|s| s.contains('\n')) {
            "\n\n"
        } else {
            "\n"
        };
        self.out.push_str(&comment_line(title));
        // Pushed one by one rather than joined: a large schema's section would be copied twice.
        for (i, statement) in statements.iter().enumerate() {
            if i > 0 {
                self.out.push_str(separator);
            }
            self.out.push_str(statement);
        }
        self.out.push_str("\n\n");
    }

    pub fn finish(mut self) -> String {
        while self.out.ends_with("\n\n") {
            self.out.pop();
        }
        self.out
    }
}
