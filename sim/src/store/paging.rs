//! The two paging schemes: v1 cursors over creation order, legacy
//! limit/offset.

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows on this page.
    pub items: Vec<T>,
    /// For v1: the position the next page starts after (written as a
    /// cursor in the answer's shape), `None` on the last page.
    pub next_after: Option<u64>,
    /// How many rows the whole listing has (all pages).
    pub count: usize,
}

/// The page of up to `take` rows after the cursor `after` (a sequence
/// number from a previous page's `next_cursor`, or `None` for the start).
pub fn after_cursor<'a, T: 'a>(
    rows: impl Iterator<Item = (u64, &'a T)>,
    after: Option<u64>,
    take: usize,
) -> Page<&'a T> {
    let mut items = Vec::with_capacity(take.min(1024));
    let mut count = 0;
    let mut last_seq = None;
    let mut more = false;
    for (seq, row) in rows {
        count += 1;
        if after.is_some_and(|after| seq <= after) {
            continue;
        }
        if items.len() < take {
            items.push(row);
            last_seq = Some(seq);
        } else {
            more = true;
        }
    }
    Page {
        items,
        next_after: if more { last_seq } else { None },
        count,
    }
}

/// Rows `offset..offset + limit` of the listing.
pub fn by_offset<'a, T: 'a>(
    rows: impl Iterator<Item = &'a T>,
    offset: usize,
    limit: usize,
) -> Page<&'a T> {
    let mut count = 0;
    let mut items = Vec::new();
    for row in rows {
        if count >= offset && items.len() < limit {
            items.push(row);
        }
        count += 1;
    }
    Page {
        items,
        next_after: None,
        count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: u64) -> Vec<(u64, u64)> {
        (1..=n).map(|seq| (seq, seq * 10)).collect()
    }

    #[test]
    fn cursor_chain_visits_every_row_once() {
        let data = rows(7);
        let mut seen = vec![];
        let mut cursor = None;
        loop {
            let page = after_cursor(data.iter().map(|(s, v)| (*s, v)), cursor, 3);
            assert_eq!(page.count, 7);
            seen.extend(page.items.iter().map(|v| **v));
            match page.next_after {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, vec![10, 20, 30, 40, 50, 60, 70]);
    }

    #[test]
    fn last_page_has_no_cursor_even_when_full() {
        let data = rows(6);
        let page = after_cursor(data.iter().map(|(s, v)| (*s, v)), Some(3), 3);
        assert_eq!(page.items.len(), 3);
        assert_eq!(page.next_after, None);
    }

    #[test]
    fn offset_paging_counts_everything() {
        let data: Vec<u64> = (0..25).collect();
        let page = by_offset(data.iter(), 20, 10);
        assert_eq!(page.items.len(), 5);
        assert_eq!(page.count, 25);
    }
}
