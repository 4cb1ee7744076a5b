//! What each tool is for, in the words an assistant reads: the data behind
//! the `catalogue` interface of `wit/catalogue.wit`.

/// MCP behaviour hints of one tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ToolHints {
    /// Changes nothing.
    pub read_only: bool,
    /// May destroy data.
    pub destructive: bool,
    /// Repeating it changes nothing more.
    pub idempotent: bool,
    /// Talks to Dex.
    pub open_world: bool,
}

/// Hints of a tool that only reads from Dex.
const READS_DEX: ToolHints = ToolHints {
    read_only: true,
    destructive: false,
    idempotent: true,
    open_world: true,
};

/// The description of one tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolDoc {
    /// WIT name of the exported function (kebab-case).
    pub name: &'static str,
    /// Short title.
    pub title: &'static str,
    /// When to use it and what it returns.
    pub description: &'static str,
    /// Behaviour hints.
    pub hints: ToolHints,
    /// `(parameter, description)` pairs, WIT names.
    pub parameters: &'static [(&'static str, &'static str)],
}

/// Every tool the component exports, in listing order.
pub fn catalogue() -> Vec<ToolDoc> {
    let mut tools = vec![ToolDoc {
        name: "find-contact",
        title: "Find a contact",
        description: "Find a person in the user's Dex contacts. Use this first whenever the user names \
            someone (\"what's new with Bob from Google?\", \"email Ada\"), to get the contact's id for the \
            other tools. Give an email, phone number or social profile link when you have one (exact, \
            confidence 100); otherwise a name, which may be misspelled, a nickname or partial, optionally \
            with the company. Returns the best matches first, each with a confidence from 0 to 100 and \
            the reasons it matched; an empty list with a summary when nobody fits.",
        hints: READS_DEX,
        parameters: &[
            (
                "name",
                "The person's name as the user said it: full, partial, misspelled or a nickname (\"Bob Smyth\").",
            ),
            (
                "email",
                "An email address of the person; matched exactly, ignoring case and surrounding spaces.",
            ),
            (
                "phone",
                "A phone number in any format; compared on its digits, country code ignored.",
            ),
            (
                "social-url",
                "A link to a social profile (LinkedIn, Twitter/X, ...) or a handle.",
            ),
            (
                "company",
                "The person's employer, to narrow or rank name matches (\"Sarah from Google\").",
            ),
            (
                "limit",
                "At most this many matches (default 5, at most 50).",
            ),
            (
                "min-confidence",
                "Leave out matches below this confidence, 0-100 (default 50).",
            ),
        ],
    }];
    tools.push(search_contacts_full_text_doc());
    tools.extend(super::history_docs::history_docs());
    tools.extend(super::write_docs::write_docs());
    tools
}

/// The entry of `search-contacts-full-text` (adapter: `super::search_contacts_full_text`).
fn search_contacts_full_text_doc() -> ToolDoc {
    ToolDoc {
        name: "search-contacts-full-text",
        title: "Search contacts, notes and reminders",
        description: "Search everything in the user's Dex account by words: contacts' names, emails, \
        companies, job titles and descriptions, the text of every note, and every reminder. Use it when \
        the user remembers what was said or written rather than who (\"who did I talk to about the seed \
        round?\", \"the designer from the Berlin meetup\"); use find_contact to resolve a named person. \
        Tolerates typos and accents and matches the last word as a prefix. Returns hits best first, \
        each with its contacts (for a note or reminder: the contacts it is about) as summaries (id, \
        name, company, job title, first email; get_contact_details gives the rest), the field that \
        matched, a confidence from 0 to 100 and a snippet with the matched words in **bold**; says \
        so when part of the account could not be read. At most max_results hits and about 25,000 \
        characters per answer; when more match, the answer has next_cursor: call again with the same \
        arguments and cursor set to it.",
        hints: READS_DEX,
        parameters: &[
            (
                "query",
                "The words to look for, as the user said them (\"seed round\", \"Acme designer\").",
            ),
            (
                "max-results",
                "At most this many hits per answer (default 10, at most 100).",
            ),
            (
                "min-confidence",
                "Leave out hits below this confidence, 0-100 (default 30); 100 means every word matched exactly.",
            ),
            (
                "include-types",
                "Search only these kinds of record: contacts, notes, reminders (default: all three).",
            ),
            (
                "cursor",
                "The next_cursor of the previous answer, with the other arguments unchanged, for the following hits; leave out for the best hits.",
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_documents_every_parameter_once() {
        for tool in catalogue() {
            let mut names: Vec<_> = tool.parameters.iter().map(|(n, _)| *n).collect();
            names.sort();
            names.dedup();
            assert_eq!(
                names.len(),
                tool.parameters.len(),
                "{} repeats a parameter",
                tool.name
            );
            assert!(tool.parameters.iter().all(|(_, d)| !d.is_empty()));
            assert!(!tool.description.is_empty());
        }
    }
}
