//! A small JSON Schema (draft-07) validator, enough for the SARIF 2.1.0 schema vendored in
//! `tests/fixtures/lint/sarif-schema-2.1.0.json` (the OASIS schema): `type`, `$ref`,
//! `properties`, `additionalProperties`, `required`, `items`, `minItems`, `uniqueItems`,
//! `minimum`, `maximum`, `enum`, `anyOf`, `oneOf`, `format` (uri, uri-reference, date-time are
//! checked loosely). A `pattern` on a value that is present fails the validation as unchecked,
//! so nothing passes unverified.

use serde_json::Value;

pub struct Validator {
    root: Value,
}

impl Validator {
    pub fn sarif() -> Validator {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/lint/sarif-schema-2.1.0.json");
        let text = std::fs::read_to_string(path).expect("read the SARIF schema");
        Validator {
            root: serde_json::from_str(&text).expect("the SARIF schema is JSON"),
        }
    }

    /// Every violation, with the JSON path where it is.
    pub fn validate(&self, doc: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(&self.root, doc, "$", &mut errors);
        errors
    }

    fn resolve<'a>(&'a self, reference: &str) -> &'a Value {
        let mut node = &self.root;
        for part in reference.trim_start_matches("#/").split('/') {
            node = &node[part];
        }
        node
    }

    fn check(&self, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
        let Some(s) = schema.as_object() else { return };
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            self.check(self.resolve(r), v, at, errors);
        }
        if let Some(t) = s.get("type").and_then(Value::as_str) {
            let ok = match t {
                "object" => v.is_object(),
                "array" => v.is_array(),
                "string" => v.is_string(),
                "integer" => v.is_i64() || v.is_u64(),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                "null" => v.is_null(),
                _ => false,
            };
            if !ok {
                errors.push(format!("{at}: expected {t}, found {v}"));
                return;
            }
        }
        if let Some(e) = s.get("enum").and_then(Value::as_array)
            && !e.contains(v)
        {
            errors.push(format!("{at}: {v} is not one of {e:?}"));
        }
        if let Some(min) = s.get("minimum").and_then(Value::as_f64)
            && v.as_f64().is_some_and(|x| x < min)
        {
            errors.push(format!("{at}: {v} < {min}"));
        }
        if let Some(max) = s.get("maximum").and_then(Value::as_f64)
            && v.as_f64().is_some_and(|x| x > max)
        {
            errors.push(format!("{at}: {v} > {max}"));
        }
        if s.contains_key("pattern") && v.is_string() {
            errors.push(format!("{at}: has a pattern this validator does not check"));
        }
        if let (Some(f), Some(text)) = (s.get("format").and_then(Value::as_str), v.as_str()) {
            let ok = match f {
                "uri" => text.contains(':'),
                "uri-reference" => !text.contains(char::is_whitespace),
                "date-time" => text.len() >= 20 && text.as_bytes().get(10) == Some(&b'T'),
                _ => true,
            };
            if !ok {
                errors.push(format!("{at}: {text:?} is not a {f}"));
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(alts) = s.get(key).and_then(Value::as_array) {
                let passing = alts
                    .iter()
                    .filter(|alt| {
                        let mut e = Vec::new();
                        self.check(alt, v, at, &mut e);
                        e.is_empty()
                    })
                    .count();
                if passing == 0 || (key == "oneOf" && passing > 1) {
                    errors.push(format!("{at}: {passing} alternatives of {key} match"));
                }
            }
        }
        if let Some(obj) = v.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            if let Some(req) = s.get("required").and_then(Value::as_array) {
                for r in req.iter().filter_map(Value::as_str) {
                    if !obj.contains_key(r) {
                        errors.push(format!("{at}: required property {r:?} is missing"));
                    }
                }
            }
            for (k, val) in obj {
                let here = format!("{at}.{k}");
                match props.and_then(|p| p.get(k)) {
                    Some(sub) => self.check(sub, val, &here, errors),
                    None => match s.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            errors.push(format!("{here}: property not allowed"))
                        }
                        Some(sub @ Value::Object(_)) => self.check(sub, val, &here, errors),
                        _ => {}
                    },
                }
            }
        }
        if let Some(arr) = v.as_array() {
            if let Some(min) = s.get("minItems").and_then(Value::as_u64)
                && (arr.len() as u64) < min
            {
                errors.push(format!("{at}: fewer than {min} items"));
            }
            if s.get("uniqueItems") == Some(&Value::Bool(true)) {
                for (i, a) in arr.iter().enumerate() {
                    if arr[..i].contains(a) {
                        errors.push(format!("{at}[{i}]: duplicate item"));
                    }
                }
            }
            if let Some(items) = s.get("items") {
                for (i, item) in arr.iter().enumerate() {
                    self.check(items, item, &format!("{at}[{i}]"), errors);
                }
            }
        }
    }
}
