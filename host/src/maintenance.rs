//! When maintenance passes run (`wit/maintenance.wit`): one task for the
//! life of the server, which runs a pass on every idle instance of the
//! component being served, then sleeps for as long as the passes asked
//! (within [`MaintenancePolicy`]). A swapped-in component is maintained
//! from its next round on.

use std::sync::Arc;

use crate::component::MaintenancePolicy;
use crate::swap::ComponentSlot;

/// Starts the rounds of passes over `slot`'s component, until the process
/// ends.
pub fn schedule(slot: Arc<ComponentSlot>, policy: MaintenancePolicy) {
    tokio::spawn(async move {
        let mut wait = policy.next_wait(None);
        loop {
            tokio::time::sleep(wait).await;
            let component = slot.current();
            wait = policy.next_wait(component.maintain().await);
        }
    });
}
