//! Which questions an expression may read: those before it in the document, so relevance can
//! never be circular.

use std::collections::HashMap;

use crate::checklist::expr::{QuestionType, Scope, Unresolved};

/// What the first pass over the questions learns, so expressions anywhere can be typed: each
/// question's index by id (the first definition of an id wins) and its type, in document order.
#[derive(Default)]
pub(super) struct QuestionTable {
    pub(super) index: HashMap<String, usize>,
    pub(super) types: Vec<QuestionType>,
}

impl QuestionTable {
    /// Adds the next question in document order.
    pub(super) fn push(&mut self, id: &str, question_type: QuestionType) {
        self.index.entry(id.to_owned()).or_insert(self.types.len());
        self.types.push(question_type);
    }

    /// How many questions the document has.
    pub(super) fn len(&self) -> usize {
        self.types.len()
    }

    /// A scope in which only questions before index `limit` can be read.
    pub(super) fn before(&self, limit: usize) -> QuestionScope<'_> {
        QuestionScope { table: self, limit }
    }

    pub(super) fn into_index(self) -> HashMap<String, usize> {
        self.index
    }
}

/// Resolves `${id}` for one expression: only questions before `limit` may be read.
pub(super) struct QuestionScope<'a> {
    table: &'a QuestionTable,
    limit: usize,
}

impl Scope for QuestionScope<'_> {
    fn resolve(&self, id: &str) -> Result<(usize, &QuestionType), Unresolved> {
        let i = *self.table.index.get(id).ok_or(Unresolved::Unknown)?;
        if i >= self.limit {
            return Err(Unresolved::NotEarlier);
        }
        self.table
            .types
            .get(i)
            .map(|t| (i, t))
            .ok_or(Unresolved::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> QuestionTable {
        let mut t = QuestionTable::default();
        t.push("a", QuestionType::YesNo);
        t.push("b", QuestionType::Number);
        t.push("a", QuestionType::Text);
        t
    }

    #[test]
    fn questions_before_the_limit_resolve_to_their_index_and_type() {
        let t = table();
        assert_eq!(t.before(2).resolve("b"), Ok((1, &QuestionType::Number)));
    }

    #[test]
    fn a_question_at_or_after_the_limit_is_not_earlier() {
        let t = table();
        assert_eq!(t.before(1).resolve("b"), Err(Unresolved::NotEarlier));
        assert_eq!(t.before(0).resolve("a"), Err(Unresolved::NotEarlier));
    }

    #[test]
    fn an_unknown_id_is_unknown() {
        assert_eq!(table().before(3).resolve("c"), Err(Unresolved::Unknown));
    }

    #[test]
    fn a_duplicated_id_resolves_to_its_first_definition() {
        let t = table();
        assert_eq!(t.len(), 3);
        assert_eq!(t.before(3).resolve("a"), Ok((0, &QuestionType::YesNo)));
        assert_eq!(t.into_index().get("a"), Some(&0));
    }
}
