//! An account-wide custom field as Dex defines it: a name, the kind of
//! value it holds and, for a field of options, the options. Contacts hold
//! values of these ([`super::CustomFieldValue`]).

/// What a custom field holds, as the tools name it; Dex's names for the
/// same are [`FieldType::wire`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Free text (Dex's `input`).
    Text,
    /// One of the field's options (Dex's `autocomplete`).
    Choice,
    /// A day, `YYYY-MM-DD` (Dex's `datepicker`).
    Date,
}

impl FieldType {
    /// Dex's `field_type` for it.
    pub fn wire(self) -> &'static str {
        match self {
            FieldType::Text => "input",
            FieldType::Choice => "autocomplete",
            FieldType::Date => "datepicker",
        }
    }

    /// The field type Dex's `field_type` (or `type`) text names. Text Dex
    /// may send that names none of the three (`text`, what the first
    /// simulator wrote, or a type added later) reads as free text, the
    /// one kind of value any field can show.
    pub fn from_wire(text: &str) -> FieldType {
        match text.trim().to_ascii_lowercase().as_str() {
            "autocomplete" | "select" | "dropdown" => FieldType::Choice,
            "datepicker" | "date" => FieldType::Date,
            _ => FieldType::Text,
        }
    }

    /// How the tools and their answers name it.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Choice => "choice",
            FieldType::Date => "date",
        }
    }
}

/// A custom field's definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomField {
    /// Dex's id of the field.
    pub id: String,
    /// Its name as the user typed it.
    pub name: String,
    /// What it holds.
    pub field_type: FieldType,
    /// The options of a [`FieldType::Choice`] field, in Dex's order;
    /// empty for the others.
    pub options: Vec<String>,
}

impl CustomField {
    /// The option `given` stands for, ignoring case and surrounding
    /// spaces, in its canonical spelling.
    pub fn option(&self, given: &str) -> Option<&str> {
        let given = given.trim();
        self.options
            .iter()
            .find(|o| o.as_str() == given)
            .or_else(|| {
                self.options
                    .iter()
                    .find(|o| o.to_lowercase() == given.to_lowercase())
            })
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dex_field_types_read_back_and_unknown_ones_read_as_text() {
        for field_type in [FieldType::Text, FieldType::Choice, FieldType::Date] {
            assert_eq!(FieldType::from_wire(field_type.wire()), field_type);
        }
        assert_eq!(FieldType::from_wire(" Autocomplete "), FieldType::Choice);
        assert_eq!(FieldType::from_wire("text"), FieldType::Text);
        assert_eq!(FieldType::from_wire("number"), FieldType::Text);
    }

    #[test]
    fn an_option_is_found_in_any_case_and_answered_as_defined() {
        let field = CustomField {
            id: "f1".into(),
            name: "Diet".into(),
            field_type: FieldType::Choice,
            options: vec!["Vegan".into(), "vegan ".into(), "Pescatarian".into()],
        };
        assert_eq!(field.option(" PESCATARIAN"), Some("Pescatarian"));
        assert_eq!(field.option("Vegan"), Some("Vegan"));
        assert_eq!(field.option("Keto"), None);
    }
}
