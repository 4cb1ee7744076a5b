//! Reading Dex's loosely filled fields, the same way for both generations.

/// Empty or blank strings from Dex mean "not set".
pub(crate) fn present(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Linked contact ids without blanks or repeats, in Dex's order.
///
/// Without spare capacity: a vector's first push reserves room for four,
/// and most records link one contact, so across an account's 70,000 notes
/// and reminders the slack was as large as the ids themselves.
pub(crate) fn distinct_ids(ids: impl IntoIterator<Item = Option<String>>) -> Vec<String> {
    let mut distinct: Vec<String> = Vec::new();
    for id in ids.into_iter().filter_map(present) {
        if !distinct.contains(&id) {
            distinct.push(id);
        }
    }
    distinct.shrink_to_fit();
    distinct
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_are_unset_and_repeats_dropped() {
        assert_eq!(present(Some("  ".into())), None);
        assert_eq!(present(Some(" a ".into())).as_deref(), Some("a"));
        let ids = distinct_ids([
            Some("b".into()),
            None,
            Some(" ".into()),
            Some("a".into()),
            Some("b ".into()),
        ]);
        assert_eq!(ids, ["b", "a"]);
        assert_eq!(ids.capacity(), 2, "no spare room kept");
    }
}
