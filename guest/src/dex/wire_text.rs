//! Reading Dex's loosely filled fields, the same way for both generations.

/// Empty or blank strings from Dex mean "not set".
pub(crate) fn present(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Linked contact ids without blanks or repeats, in Dex's order.
pub(crate) fn distinct_ids(ids: impl IntoIterator<Item = Option<String>>) -> Vec<String> {
    let mut distinct: Vec<String> = Vec::new();
    for id in ids.into_iter().filter_map(present) {
        if !distinct.contains(&id) {
            distinct.push(id);
        }
    }
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
    }
}
