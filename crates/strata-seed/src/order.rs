//! Checks that order two columns of a row (`due_on >= issued_on`), applied to generated rows.

use crate::values::Value;

/// `orders` are a plan's (larger, smaller, strict) column indices, `columns` the column index
/// of each value in `out`.
/// Satisfies the checks that order two columns (`due_on >= issued_on`): when both are set
/// and out of order, the two values are swapped (both stay values their column takes); a
/// strict order between equal numbers moves the larger up by one.
pub fn put_in_order(orders: &[(usize, usize, bool)], columns: &[usize], out: &mut [Value]) {
    for &(larger, smaller, strict) in orders {
        let pos = |ci: usize| columns.iter().position(|&c| c == ci);
        let (Some(l), Some(s)) = (pos(larger), pos(smaller)) else {
            continue;
        };
        let cmp = match (&out[l], &out[s]) {
            (Value::Number(a), Value::Number(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(a), Ok(b)) => a.partial_cmp(&b),
                _ => None,
            },
            // Dates and timestamps are generated in one ISO format: text order is time order.
            (Value::Text(a), Value::Text(b)) => Some(a.cmp(b)),
            _ => None,
        };
        match cmp {
            Some(std::cmp::Ordering::Less) => out.swap(l, s),
            Some(std::cmp::Ordering::Equal) if strict => {
                if let Value::Number(a) = &out[l] {
                    out[l] = Value::Number(plus_one(a));
                }
            }
            _ => {}
        }
    }
}

/// `n + 1`, keeping the decimals `n` is written with.
fn plus_one(n: &str) -> String {
    let decimals = n.split_once('.').map_or(0, |(_, d)| d.len());
    match n.parse::<f64>() {
        Ok(v) => format!("{:.decimals$}", v + 1.0),
        Err(_) => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_order_values_are_swapped() {
        let mut row = vec![
            Value::Text("2024-03-01".into()),
            Value::Text("2024-05-01".into()),
            Value::Number("3".into()),
            Value::Number("3.50".into()),
        ];
        // column 1 >= column 0 already holds; column 0 >= column 1 does not.
        put_in_order(&[(7, 8, false)], &[7, 8, 1, 2], &mut row);
        assert_eq!(row[0], Value::Text("2024-05-01".into()));
        assert_eq!(row[1], Value::Text("2024-03-01".into()));
        // Strict between numbers: swapped, then an equal pair moves up by one.
        put_in_order(&[(1, 2, true)], &[7, 8, 1, 2], &mut row);
        assert_eq!(row[2], Value::Number("3.50".into()));
        let mut eq = vec![Value::Number("2.00".into()), Value::Number("2.00".into())];
        put_in_order(&[(0, 1, true)], &[0, 1], &mut eq);
        assert_eq!(eq[0], Value::Number("3.00".into()));
        // NULL on either side: the check holds already.
        let mut n = vec![Value::Null, Value::Text("2024-01-01".into())];
        put_in_order(&[(0, 1, false)], &[0, 1], &mut n);
        assert_eq!(n[0], Value::Null);
    }
}
