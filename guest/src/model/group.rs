//! A group as Dex's group endpoints hold it: more than the [`super::Label`]
//! a contact carries, since a group also has an emoji and a description.

/// One of the account's groups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Group {
    /// Dex's id.
    pub id: String,
    /// The name as the user typed it.
    pub name: String,
    /// The emoji shown beside the name, if any.
    pub emoji: Option<String>,
    /// Words about the group, if any.
    pub description: Option<String>,
}

/// The fields a group write sets; `None` leaves a field as it is, and an
/// empty emoji or description clears it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupFields {
    /// A new name.
    pub name: Option<String>,
    /// A new emoji, or `""` to remove it.
    pub emoji: Option<String>,
    /// A new description, or `""` to remove it.
    pub description: Option<String>,
}
