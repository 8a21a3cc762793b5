//! Scratch crate for the `strata gen rust` test; `db` is the generated module tree.
#![deny(warnings)]
#![allow(dead_code)]

pub mod db;
