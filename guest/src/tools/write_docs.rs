//! The catalogue entries of the writing tools (adapters: `note_writes`,
//! `reminder_writes`, `contact_writes`).

use super::catalogue::{ToolDoc, ToolHints};

/// Creates something new: not idempotent (twice makes two), not destructive.
const CREATES: ToolHints = ToolHints {
    read_only: false,
    destructive: false,
    idempotent: false,
    open_world: true,
};

/// Sets fields to given values: repeating it changes nothing more.
const UPDATES: ToolHints = ToolHints {
    read_only: false,
    destructive: false,
    idempotent: true,
    open_world: true,
};

/// Takes data away for good.
const DESTROYS: ToolHints = ToolHints {
    read_only: false,
    destructive: true,
    idempotent: false,
    open_world: true,
};

const CONFIRM: &str = "Must be true to act. Leave it out first: the answer (confirmation-required) says exactly what would be lost, to ask the user; call again with true only once they agree.";

/// Every writing tool, in listing order.
pub(super) fn write_docs() -> Vec<ToolDoc> {
    vec![
        ToolDoc {
            name: "add-contact-note",
            title: "Add a note about contacts",
            description: "Add one note to the user's Dex timeline about one or more contacts (\"had coffee with \
                Ada and Bob, talked about the seed round\"). Get the ids from find_contact first. Give the \
                date when the event was not today. Returns the saved note. It is sent once: if the answer \
                is an upstream error saying the note may have been saved, search before adding it again.",
            hints: CREATES,
            parameters: &[
                (
                    "contact-ids",
                    "Ids of the contacts the note is about (at least one), from find_contact.",
                ),
                ("text", "The note's text, as the user would write it."),
                (
                    "note-type",
                    "What kind of event: call, coffee, email, meal, meeting, networking, note, other, party or text (default note).",
                ),
                (
                    "event-time",
                    "When it happened: YYYY-MM-DD or RFC 3339 (2025-03-14T09:30:00Z); default now.",
                ),
            ],
        },
        ToolDoc {
            name: "create-contact-reminder",
            title: "Create a reminder about contacts",
            description: "Create a reminder in Dex about one or more contacts (\"remind me to send Ada the paper \
                next Friday\"), optionally repeating. Get the ids from find_contact first. Returns the saved \
                reminder; sent once, like add_contact_note.",
            hints: CREATES,
            parameters: &[
                (
                    "contact-ids",
                    "Ids of the contacts the reminder is about (at least one), from find_contact.",
                ),
                ("text", "What to do."),
                ("due-date", "The day it is due, YYYY-MM-DD."),
                (
                    "due-time",
                    "The moment it is due, RFC 3339 with a time zone, for a reminder at a time of day.",
                ),
                (
                    "recurrence",
                    "Repeat it: weekly, biweekly, monthly, quarterly, biannually or yearly.",
                ),
            ],
        },
        ToolDoc {
            name: "complete-reminder",
            title: "Mark a reminder done",
            description: "Mark a reminder done. A repeating reminder moves on to its next date and stays open; \
                the answer says when it is next due.",
            hints: UPDATES,
            parameters: &[(
                "reminder-id",
                "The reminder's id, from search_contacts_full_text or create_contact_reminder.",
            )],
        },
        ToolDoc {
            name: "create-contact",
            title: "Create a contact",
            description: "Create a new contact in Dex. Check with find_contact first that the person is not \
                already there (use enrich_contact to add to an existing one). Needs at least a first name, \
                a last name or an email. Returns the contact as saved.",
            hints: CREATES,
            parameters: &[
                ("first-name", "Given name."),
                ("last-name", "Family name."),
                (
                    "emails",
                    "Email addresses, each with an optional label (work, home).",
                ),
                (
                    "phones",
                    "Phone numbers as the user gave them, each with an optional label (mobile, work).",
                ),
                ("company", "Employer."),
                ("job-title", "Job title."),
                ("description", "Free text about the person."),
                ("website", "Personal website."),
                ("birthday", "Birthday, YYYY-MM-DD."),
                (
                    "social-links",
                    "Profile links, at most one per network (linkedin, twitter, ...).",
                ),
            ],
        },
        ToolDoc {
            name: "update-contact",
            title: "Change a contact",
            description: "Change the given fields of a contact; fields left out stay as they are. Emails and \
                phones replace the whole list (use enrich_contact to add without losing any); social links \
                set the networks given. Returns the contact after the change.",
            hints: UPDATES,
            parameters: &[
                ("contact-id", "The contact's id, from find_contact."),
                ("first-name", "New given name."),
                ("last-name", "New family name."),
                ("emails", "The complete new list of email addresses."),
                ("phones", "The complete new list of phone numbers."),
                ("company", "New employer."),
                ("job-title", "New job title."),
                ("description", "New free text about the person."),
                ("website", "New personal website."),
                ("birthday", "New birthday, YYYY-MM-DD."),
                (
                    "social-links",
                    "Profile links to set, one per network; other networks keep theirs.",
                ),
                ("starred", "Star or unstar the contact."),
                ("archived", "Archive or unarchive the contact."),
            ],
        },
        ToolDoc {
            name: "update-note",
            title: "Change a note",
            description: "Change the text, type or date of a note; what is left out stays. Returns the note after the change.",
            hints: UPDATES,
            parameters: &[
                (
                    "note-id",
                    "The note's id, from search_contacts_full_text or add_contact_note.",
                ),
                ("text", "New text."),
                (
                    "note-type",
                    "New kind of event (call, coffee, meeting, ...).",
                ),
                ("event-time", "New date or time: YYYY-MM-DD or RFC 3339."),
            ],
        },
        ToolDoc {
            name: "delete-note",
            title: "Delete a note",
            description: "Delete a note for good. Call it first without confirm: the answer quotes the note, \
                to ask the user; then again with confirm true.",
            hints: DESTROYS,
            parameters: &[("note-id", "The note's id."), ("confirm", CONFIRM)],
        },
        ToolDoc {
            name: "update-reminder",
            title: "Change a reminder",
            description: "Change the text, due date or time, repetition or done state of a reminder; what is left out stays.",
            hints: UPDATES,
            parameters: &[
                ("reminder-id", "The reminder's id."),
                ("text", "New text."),
                ("due-date", "New due date, YYYY-MM-DD."),
                ("due-time", "New due time, RFC 3339 with a time zone."),
                (
                    "recurrence",
                    "New repetition: weekly, biweekly, monthly, quarterly, biannually or yearly; \
                    none stops it repeating (it becomes a one-off). Leave it out to keep the repetition. \
                    On the legacy Dex API reminders never repeat, so this argument is refused there.",
                ),
                (
                    "complete",
                    "true marks it done (a repeating one moves on), false reopens it.",
                ),
            ],
        },
        ToolDoc {
            name: "delete-reminder",
            title: "Delete a reminder",
            description: "Delete a reminder for good. Call it first without confirm: the answer quotes the \
                reminder, to ask the user; then again with confirm true.",
            hints: DESTROYS,
            parameters: &[("reminder-id", "The reminder's id."), ("confirm", CONFIRM)],
        },
        ToolDoc {
            name: "delete-contact",
            title: "Delete a contact",
            description: "Delete a contact for good, with the notes and reminders only about them. Call it first \
                without confirm: the answer names the contact and counts what would go with them; then \
                again with confirm true.",
            hints: DESTROYS,
            parameters: &[
                ("contact-id", "The contact's id, from find_contact."),
                ("confirm", CONFIRM),
            ],
        },
        ToolDoc {
            name: "merge-contacts",
            title: "Merge duplicate contacts",
            description: "Merge duplicates of one person into the contact to keep: its empty fields are filled \
                from them, their emails, phones, notes and reminders move to it, and the duplicates are \
                deleted. Call it first without confirm to get the description for the user.",
            hints: DESTROYS,
            parameters: &[
                ("keep-id", "The id of the contact to keep."),
                (
                    "duplicate-ids",
                    "The ids of the contacts to merge into it and delete.",
                ),
                ("confirm", CONFIRM),
            ],
        },
        ToolDoc {
            name: "enrich-contact",
            title: "Add details to a contact",
            description: "Add what you learned about a contact without losing anything: new emails, phones and \
                social links are added (ones it has, in any spelling, are recognised), empty fields are \
                filled, and fields already set are never overwritten. The answer lists every value as \
                added, already present, or ignored with the reason.",
            hints: UPDATES,
            parameters: &[
                ("contact-id", "The contact's id, from find_contact."),
                ("emails", "Email addresses to add."),
                ("phones", "Phone numbers to add, in any format."),
                (
                    "social-links",
                    "Profile links to add (LinkedIn, Twitter/X, Facebook, Instagram, Telegram, TikTok, YouTube).",
                ),
                ("company", "Employer, if the contact has none."),
                ("job-title", "Job title, if the contact has none."),
                ("description", "Free text, if the contact has none."),
                ("website", "Personal website, if the contact has none."),
                ("birthday", "Birthday YYYY-MM-DD, if the contact has none."),
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletes_and_merges_are_destructive_and_updates_idempotent() {
        for doc in write_docs() {
            assert!(!doc.hints.read_only, "{}", doc.name);
            let destructive = doc.name.starts_with("delete-") || doc.name == "merge-contacts";
            assert_eq!(doc.hints.destructive, destructive, "{}", doc.name);
            if destructive {
                assert!(
                    doc.parameters.iter().any(|(n, _)| *n == "confirm"),
                    "{}",
                    doc.name
                );
            }
            let creates = doc.name.starts_with("create-") || doc.name == "add-contact-note";
            assert_eq!(
                doc.hints.idempotent,
                !creates && !destructive,
                "{}",
                doc.name
            );
        }
    }
}
