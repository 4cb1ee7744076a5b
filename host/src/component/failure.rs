//! Why a call the guest did not finish was stopped, in words an operator
//! and an assistant can act on.
//!
//! Each limit the host puts on a guest surfaces as a different error from
//! wasmtime: the epoch deadline as an `interrupt` trap, the memory cap as a
//! failed (trapping) `memory.grow`, a Rust panic as `unreachable` (guests
//! are built with `panic=abort`). [`GuestFailure::of`] tells them apart.

use wasmtime::Trap;

/// What stopped a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestFailure {
    /// It ran past `--call-timeout`.
    Deadline,
    /// It tried to grow its memory past `--max-memory-mb`.
    Memory,
    /// The guest panicked (or otherwise executed `unreachable`).
    Panic,
    /// Any other trap: a bug in the guest.
    Trap,
    /// The instance could not be created.
    Start,
}

impl GuestFailure {
    /// Classifies the error of a failed call.
    pub fn of(err: &anyhow::Error) -> Self {
        let trap = err
            .chain()
            .find_map(|cause| cause.downcast_ref::<Trap>().copied());
        match trap {
            Some(Trap::Interrupt) => Self::Deadline,
            Some(Trap::UnreachableCodeReached) => Self::Panic,
            Some(_) => Self::Trap,
            None if err
                .chain()
                .any(|cause| cause.to_string().contains("growing memory")) =>
            {
                Self::Memory
            }
            None if err
                .chain()
                .any(|cause| cause.to_string().contains("instantiating")) =>
            {
                Self::Start
            }
            None => Self::Trap,
        }
    }

    /// Short name, for metrics and logs.
    pub fn label(self) -> &'static str {
        match self {
            Self::Deadline => "deadline",
            Self::Memory => "memory",
            Self::Panic => "panic",
            Self::Trap => "trap",
            Self::Start => "start",
        }
    }

    /// One sentence on what happened.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Deadline => "it ran past the time limit for one call (--call-timeout)",
            Self::Memory => "it tried to use more memory than one call may (--max-memory-mb)",
            Self::Panic => "it panicked (a bug in the component; the server log has its message)",
            Self::Trap => "it trapped (a bug in the component)",
            Self::Start => "its instance could not be started",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interrupt_is_a_deadline_and_unreachable_a_panic() {
        let deadline = anyhow::Error::from(wasmtime::Error::from(Trap::Interrupt));
        let panic = anyhow::Error::from(wasmtime::Error::from(Trap::UnreachableCodeReached))
            .context("calling find-contact");
        let other = anyhow::Error::from(wasmtime::Error::from(Trap::IntegerDivisionByZero));
        assert_eq!(GuestFailure::of(&deadline), GuestFailure::Deadline);
        assert_eq!(GuestFailure::of(&panic), GuestFailure::Panic);
        assert_eq!(GuestFailure::of(&other), GuestFailure::Trap);
    }

    #[test]
    fn refused_memory_growth_is_memory() {
        let err = anyhow::anyhow!("forcing trap when growing memory to 67239936 bytes");
        assert_eq!(GuestFailure::of(&err), GuestFailure::Memory);
    }

    #[test]
    fn every_kind_has_a_distinct_label() {
        let kinds = [
            GuestFailure::Deadline,
            GuestFailure::Memory,
            GuestFailure::Panic,
            GuestFailure::Trap,
            GuestFailure::Start,
        ];
        let labels: std::collections::HashSet<_> = kinds.iter().map(|k| k.label()).collect();
        assert_eq!(labels.len(), kinds.len());
    }
}
