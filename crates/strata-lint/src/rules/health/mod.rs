//! Health rules (one module per rule).
