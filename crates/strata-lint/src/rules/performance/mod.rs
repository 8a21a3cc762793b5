//! Performance rules (one module per rule).
