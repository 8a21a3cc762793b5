//! Migration rules (one module per rule).
