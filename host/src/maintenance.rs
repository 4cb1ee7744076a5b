//! When maintenance rounds run (`wit/maintenance.wit`): one task for the
//! life of the server, which runs a round on the component being served
//! ([`crate::component::LoadedComponent::maintain`]), then sleeps for as
//! long as the round asked (within [`MaintenancePolicy`]). A swapped-in
//! component is maintained from its next round on.

use std::sync::Arc;

use crate::component::MaintenancePolicy;
use crate::swap::ComponentSlot;

/// Starts the rounds over `slot`'s component, until the process ends.
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
