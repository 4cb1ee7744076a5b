//! Related contacts: Dex's links between two people (a partner, a
//! colleague, the friend who introduced them). Dex keeps them symmetric
//! and without a label (docs/dex-api.md, "Related contacts").

/// One contact a contact is related to, as Dex's answer named it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct RelatedContact {
    /// The related contact's id.
    pub id: String,
    /// Its name, when Dex sent the related contact with the link; the
    /// account's own record of that contact is preferred where it has one.
    pub name: Option<String>,
}
