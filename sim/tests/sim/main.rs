//! Integration tests of the simulated Dex API, one module per concern.

mod auth;
mod blocking;
mod counters;
mod cross_generation;
mod dataset;
mod faults;
mod legacy;
mod support;
mod v1_contacts;
mod v1_custom_fields;
mod v1_labels;
mod v1_merge;
mod v1_related;
mod v1_reminders;
mod v1_search;
mod v1_shapes;
mod v1_timeline;
