//! Unit and property tests of the expression language, on the question set the fuzz target
//! also uses (`fixture.rs`).

use super::fixture::{scope, ATT, D, D2, LATER, MC, N, N2, QUESTIONS, SC, T, T2, YN};
use super::*;
use crate::checklist::answer::{Date, YesNo};
use proptest::prelude::*;
use std::cell::Cell;

const VALUE: &str = "a value (${question}, a 'string', a number, true, false, a function or '(')";
const VALUE_OR_NOT: &str =
    "a value (${question}, a 'string', a number, true, false, a function, '(' or 'not')";

fn ok(src: &str) -> Expr {
    match compile(src, &scope()) {
        Ok(e) => e,
        Err(e) => panic!("{src:?} should compile, got {e}"),
    }
}

fn err(src: &str) -> ExprError {
    match compile(src, &scope()) {
        Ok(_) => panic!("{src:?} should not compile"),
        Err(e) => e,
    }
}

/// Asserts the error kind and its 1-based position.
fn assert_err(src: &str, line: u32, column: u32, kind: ExprErrorKind) {
    let e = err(src);
    assert_eq!(e, ExprError { line, column, kind }, "{src:?}: {e}");
}

fn answers(given: &[(usize, Answer)]) -> Vec<Option<Answer>> {
    let mut all = vec![None; QUESTIONS];
    for (i, a) in given {
        all[*i] = Some(a.clone());
    }
    all
}

fn eval_on(expr: &Expr, all: &[Option<Answer>]) -> bool {
    expr.eval(&|i| all.get(i).and_then(Option::as_ref))
}

fn run(src: &str, given: &[(usize, Answer)]) -> bool {
    eval_on(&ok(src), &answers(given))
}

fn yn(v: YesNo) -> Answer {
    Answer::YesNo(v)
}

fn date(s: &str) -> Answer {
    Answer::Date(s.parse::<Date>().unwrap())
}

fn choices(c: &[&str]) -> Answer {
    Answer::Choices(c.iter().map(|s| s.to_string()).collect())
}

// ---- limits ----

#[test]
fn source_over_2000_bytes_is_too_long() {
    let src = format!("true{}", " ".repeat(1997));
    assert_err(&src, 1, 1, ExprErrorKind::TooLong { len: 2001 });
}

#[test]
fn source_of_exactly_2000_bytes_is_accepted() {
    let src = format!("true{}", " ".repeat(1996));
    assert_eq!(src.len(), 2000);
    assert!(run(&src, &[]));
}

#[test]
fn two_hundred_nodes_are_accepted() {
    // 100 literals + 99 `or` + 1 `not` = 200 nodes.
    let src = format!("{}not true", "true or ".repeat(99));
    assert!(run(&src, &[]));
}

#[test]
fn node_201_is_too_many_and_is_reported_where_it_starts() {
    // 101 literals + 100 `or`: the 201st node is the last literal, at byte 800.
    let src = format!("{}true", "true or ".repeat(100));
    assert_err(&src, 1, 801, ExprErrorKind::TooManyNodes);
}

#[test]
fn thirty_two_nested_parentheses_are_accepted() {
    let src = format!("{}true{}", "(".repeat(32), ")".repeat(32));
    assert!(run(&src, &[]));
}

#[test]
fn thirty_three_nested_parentheses_are_too_deep_at_the_33rd() {
    let src = format!("{}true{}", "(".repeat(33), ")".repeat(33));
    assert_err(&src, 1, 33, ExprErrorKind::TooDeep);
}

#[test]
fn forty_nested_parentheses_are_too_deep() {
    let src = format!("{}true{}", "(".repeat(40), ")".repeat(40));
    assert_err(&src, 1, 33, ExprErrorKind::TooDeep);
}

#[test]
fn nesting_counts_not_and_function_calls() {
    assert!(run(&format!("{}true", "not ".repeat(32)), &[]));
    assert_err(
        &format!("{}true", "not ".repeat(33)),
        1,
        129,
        ExprErrorKind::TooDeep,
    );
    // 31 parens + the call's own parenthesis = 32 levels.
    let call = format!("{}answered(${{yn}}){}", "(".repeat(31), ")".repeat(31));
    assert!(!run(&call, &[]));
    let call = format!("{}answered(${{yn}}){}", "(".repeat(32), ")".repeat(32));
    assert_err(&call, 1, 41, ExprErrorKind::TooDeep);
}

#[test]
fn hostile_unclosed_parentheses_stop_at_the_depth_limit() {
    let src = "(".repeat(2000);
    assert_err(&src, 1, 33, ExprErrorKind::TooDeep);
    let src = "not ".repeat(500);
    assert_err(&src, 1, 129, ExprErrorKind::TooDeep);
}

// ---- lexical errors ----

#[test]
fn unexpected_character_is_reported_where_it_stands() {
    assert_err(
        "${yn} = 'yes' # x",
        1,
        15,
        ExprErrorKind::UnexpectedChar('#'),
    );
    assert_err("${n} > - 1", 1, 8, ExprErrorKind::UnexpectedChar('-'));
    assert_err("$yn = 'yes'", 1, 1, ExprErrorKind::UnexpectedChar('$'));
    assert_err(
        "true\u{a0}or false",
        1,
        5,
        ExprErrorKind::UnexpectedChar('\u{a0}'),
    );
    assert_err("é", 1, 1, ExprErrorKind::UnexpectedChar('é'));
}

#[test]
fn operators_from_other_languages_name_the_right_one() {
    let foreign = |found, use_instead| ExprErrorKind::ForeignOperator { found, use_instead };
    assert_err("${yn} == 'yes'", 1, 7, foreign("==", "="));
    assert_err("true && false", 1, 6, foreign("&&", "and"));
    assert_err("true & false", 1, 6, foreign("&", "and"));
    assert_err("true || false", 1, 6, foreign("||", "or"));
    assert_err("true | false", 1, 6, foreign("|", "or"));
    assert_err("!answered(${yn})", 1, 1, foreign("!", "not"));
    assert_err("${yn} <> 'yes'", 1, 7, foreign("<>", "!="));
}

#[test]
fn double_quoted_string_is_its_own_error() {
    assert_err("${yn} = \"yes\"", 1, 9, ExprErrorKind::DoubleQuotedString);
}

#[test]
fn unterminated_string_is_reported_at_its_opening_quote() {
    assert_err("${yn} = 'yes", 1, 9, ExprErrorKind::UnterminatedString);
    assert_err("${t} = 'it''s", 1, 8, ExprErrorKind::UnterminatedString);
    assert_err("'", 1, 1, ExprErrorKind::UnterminatedString);
}

#[test]
fn empty_reference_is_rejected() {
    assert_err("${} = 'yes'", 1, 1, ExprErrorKind::EmptyReference);
    assert_err(
        "true and ${ yn} = 'yes'",
        1,
        10,
        ExprErrorKind::EmptyReference,
    );
    assert_err("${", 1, 1, ExprErrorKind::EmptyReference);
}

#[test]
fn reference_without_closing_brace_is_rejected() {
    assert_err(
        "${yn = 'yes'",
        1,
        1,
        ExprErrorKind::UnclosedReference("yn".into()),
    );
    assert_err(
        "true or ${yn",
        1,
        9,
        ExprErrorKind::UnclosedReference("yn".into()),
    );
}

#[test]
fn malformed_numbers_are_echoed_whole() {
    let bad = |s: &str| ExprErrorKind::InvalidNumber(s.into());
    assert_err("${n} > 1.", 1, 8, bad("1."));
    assert_err("${n} > 1e5", 1, 8, bad("1e5"));
    assert_err("${n} > 12abc", 1, 8, bad("12abc"));
    assert_err("${n} > 1.2.3", 1, 8, bad("1.2.3"));
    assert_err("${n} > -.5", 1, 8, ExprErrorKind::UnexpectedChar('-'));
    assert_err("${n} > .5", 1, 8, ExprErrorKind::UnexpectedChar('.'));
}

#[test]
fn numbers_too_large_for_f64_are_invalid_and_clipped() {
    let huge = format!("1{}", "0".repeat(400));
    let e = err(&format!("${{n}} > {huge}"));
    assert_eq!((e.line, e.column), (1, 8));
    assert_eq!(
        e.kind,
        ExprErrorKind::InvalidNumber(format!("1{}…", "0".repeat(38)))
    );
}

#[test]
fn upper_case_keywords_get_a_lower_case_hint() {
    let case = |found: &str, expected| ExprErrorKind::KeywordCase {
        found: found.into(),
        expected,
    };
    assert_err("true AND false", 1, 6, case("AND", "and"));
    assert_err("true Or false", 1, 6, case("Or", "or"));
    assert_err("NOT true", 1, 1, case("NOT", "not"));
    assert_err("TRUE", 1, 1, case("TRUE", "true"));
    assert_err("False", 1, 1, case("False", "false"));
    assert_err("Answered(${yn})", 1, 1, case("Answered", "answered"));
    assert_err("${d} > DATE('2024-01-01')", 1, 8, case("DATE", "date"));
    assert_eq!(
        err("true AND false").to_string(),
        "line 1, column 6: keywords are lower case: write 'and', not 'AND'"
    );
}

#[test]
fn bare_words_are_rejected_with_a_hint() {
    assert_err("${yn} = yes", 1, 9, ExprErrorKind::BareWord("yes".into()));
    assert_err("yn = 'yes'", 1, 1, ExprErrorKind::BareWord("yn".into()));
    assert_eq!(
        err("yn = 'yes'").kind.to_string(),
        "unexpected word 'yn': write a question as ${yn} and a string in single quotes"
    );
}

#[test]
fn unknown_function_is_named() {
    assert_err(
        "length(${t}) > 3",
        1,
        1,
        ExprErrorKind::UnknownFunction("length".into()),
    );
    assert_err(
        "true and now ()",
        1,
        10,
        ExprErrorKind::UnknownFunction("now".into()),
    );
}

// ---- syntax errors ----

#[test]
fn unexpected_tokens_say_what_was_expected_and_found() {
    let unexpected = |expected, found: &str| ExprErrorKind::UnexpectedToken {
        expected,
        found: found.into(),
    };
    let end = "'and', 'or' or the end of the expression";
    assert_err("${yn} = 'yes' 'no'", 1, 15, unexpected(end, "'no'"));
    assert_err("true ${yn}", 1, 6, unexpected(end, "${yn}"));
    assert_err("true 3", 1, 6, unexpected(end, "3"));
    assert_err("true not false", 1, 6, unexpected(end, "'not'"));
    assert_err("${n} > )", 1, 8, unexpected(VALUE, "')'"));
    assert_err("${n} = not true", 1, 8, unexpected(VALUE, "'not'"));
    assert_err("true and or", 1, 10, unexpected(VALUE_OR_NOT, "'or'"));
    assert_err("= 1", 1, 1, unexpected(VALUE_OR_NOT, "'='"));
    assert_err(
        "(true false)",
        1,
        7,
        unexpected("')', 'and' or 'or'", "'false'"),
    );
    assert_err(
        "date '2024-01-01'",
        1,
        6,
        unexpected("'(' after the function name", "'2024-01-01'"),
    );
    assert_err(
        "answered(${yn} ${n})",
        1,
        16,
        unexpected("',' or ')'", "${n}"),
    );
    assert_err(
        "selected(${mc}, , 'x')",
        1,
        17,
        unexpected(VALUE_OR_NOT, "','"),
    );
}

#[test]
fn running_out_of_input_is_reported_just_past_the_end() {
    let end = |expected| ExprErrorKind::UnexpectedEnd { expected };
    assert_err("${yn} =", 1, 8, end(VALUE));
    assert_err("true and", 1, 9, end(VALUE_OR_NOT));
    assert_err("not", 1, 4, end(VALUE_OR_NOT));
    assert_err("", 1, 1, end(VALUE_OR_NOT));
    assert_err("  \n  ", 2, 3, end(VALUE_OR_NOT));
    assert_err("date", 1, 5, end("'(' after the function name"));
}

#[test]
fn unclosed_parenthesis_is_reported_at_the_opening_one() {
    assert_err("(true and (false)", 1, 1, ExprErrorKind::UnclosedParen);
    assert_err(
        "true and answered(${yn}",
        1,
        18,
        ExprErrorKind::UnclosedParen,
    );
    assert_err(
        "selected(${mc}, 'x',",
        1,
        21,
        ExprErrorKind::UnexpectedEnd {
            expected: VALUE_OR_NOT,
        },
    );
}

#[test]
fn unmatched_closing_parenthesis_is_rejected() {
    assert_err("true)", 1, 5, ExprErrorKind::UnmatchedCloseParen);
    assert_err("(true))", 1, 7, ExprErrorKind::UnmatchedCloseParen);
}

#[test]
fn chained_comparisons_are_rejected_at_the_second_operator() {
    assert_err("1 < ${n} < 3", 1, 10, ExprErrorKind::ChainedComparison);
    assert_err(
        "${yn} = 'yes' = true",
        1,
        15,
        ExprErrorKind::ChainedComparison,
    );
    // Parenthesised, the same intent is a valid boolean comparison.
    assert!(run("(${yn} = 'yes') = false", &[]));
}

// ---- resolution and type errors ----

#[test]
fn unknown_question_is_named() {
    assert_err(
        "${nope} = 'yes'",
        1,
        1,
        ExprErrorKind::UnknownQuestion("nope".into()),
    );
    assert_err(
        "answered(${Yn})",
        1,
        10,
        ExprErrorKind::UnknownQuestion("Yn".into()),
    );
    assert_err(
        "${D5.x} = 'yes'",
        1,
        1,
        ExprErrorKind::UnknownQuestion("D5.x".into()),
    );
}

#[test]
fn reference_to_a_question_not_earlier_is_rejected() {
    assert_err(
        "true and ${later} = 'yes'",
        1,
        10,
        ExprErrorKind::NotEarlier("later".into()),
    );
    assert_err(
        "answered(${later})",
        1,
        10,
        ExprErrorKind::NotEarlier("later".into()),
    );
}

#[test]
fn echoed_identifiers_are_clipped_to_40_characters() {
    let id = "q".repeat(100);
    let e = err(&format!("${{{id}}} = 'yes'"));
    assert_eq!(
        e.kind,
        ExprErrorKind::UnknownQuestion(format!("{}…", "q".repeat(39)))
    );
    let lit = "é".repeat(41);
    let e = err(&format!("${{yn}} = '{lit}'"));
    assert_eq!(
        e.kind,
        ExprErrorKind::InvalidYesNo(format!("{}…", "é".repeat(39)))
    );
    let forty = "é".repeat(40);
    let e = err(&format!("${{yn}} = '{forty}'"));
    assert_eq!(e.kind, ExprErrorKind::InvalidYesNo(forty));
}

#[test]
fn functions_check_their_argument_count() {
    let count = |function, expected, found| ExprErrorKind::WrongArgumentCount {
        function,
        expected,
        found,
    };
    assert_err("selected(${mc})", 1, 1, count("selected", 2, 1));
    assert_err("true and answered()", 1, 10, count("answered", 1, 0));
    assert_err("count(${mc}, ${mc}) > 1", 1, 1, count("count", 1, 2));
    assert_err("${d} > date('2024-01-01', 'x')", 1, 8, count("date", 1, 2));
    assert_eq!(
        err("selected(${mc})").kind.to_string(),
        "selected() takes 2 arguments, found 1"
    );
    assert_eq!(
        err("answered()").kind.to_string(),
        "answered() takes 1 argument, found 0"
    );
}

#[test]
fn functions_check_their_argument_types() {
    let wrong = |function, index, expected, found| ExprErrorKind::WrongArgument {
        function,
        index,
        expected,
        found,
    };
    let choice_q = "a single_choice or multi_choice question (${…})";
    assert_err(
        "answered('yn')",
        1,
        10,
        wrong("answered", 1, "a question (${…})", "a string"),
    );
    assert_err(
        "answered(true)",
        1,
        10,
        wrong("answered", 1, "a question (${…})", "a true/false value"),
    );
    assert_err(
        "count(${sc}) > 0",
        1,
        7,
        wrong(
            "count",
            1,
            "a multi_choice question (${…})",
            "a single_choice question",
        ),
    );
    assert_err(
        "count(3) > 0",
        1,
        7,
        wrong("count", 1, "a multi_choice question (${…})", "a number"),
    );
    assert_err(
        "selected(${yn}, 'a')",
        1,
        10,
        wrong("selected", 1, choice_q, "a yes_no question"),
    );
    assert_err(
        "selected('mc', 'a')",
        1,
        10,
        wrong("selected", 1, choice_q, "a string"),
    );
    assert_err(
        "selected(${mc}, 1)",
        1,
        17,
        wrong("selected", 2, "a choice id in quotes", "a number"),
    );
    assert_err(
        "${d} = date(${d})",
        1,
        13,
        wrong(
            "date",
            1,
            "a date in quotes ('YYYY-MM-DD')",
            "a date question",
        ),
    );
    // An argument that is itself broken reports its own error first.
    assert_err(
        "answered(${nope} = 1)",
        1,
        10,
        ExprErrorKind::UnknownQuestion("nope".into()),
    );
}

#[test]
fn unknown_choice_names_question_and_choice() {
    let unknown = |question: &str, choice: &str| ExprErrorKind::UnknownChoice {
        question: question.into(),
        choice: choice.into(),
    };
    assert_err("${sc} = 'zz'", 1, 9, unknown("sc", "zz"));
    assert_err("'c' = ${sc2}", 1, 1, unknown("sc2", "c"));
    assert_err("selected(${mc}, 'a')", 1, 17, unknown("mc", "a"));
    assert_err("selected(${sc}, 'A')", 1, 17, unknown("sc", "A"));
}

#[test]
fn yes_no_accepts_only_its_four_spellings() {
    assert_err(
        "${yn} = 'Yes'",
        1,
        9,
        ExprErrorKind::InvalidYesNo("Yes".into()),
    );
    assert_err(
        "'true' != ${yn}",
        1,
        1,
        ExprErrorKind::InvalidYesNo("true".into()),
    );
    for v in ["yes", "no", "unknown", "declined"] {
        ok(&format!("${{yn}} = '{v}'"));
    }
}

#[test]
fn date_literals_are_validated_at_compile_time() {
    assert_err(
        "${d} > date('2024-02-30')",
        1,
        13,
        ExprErrorKind::InvalidDate("2024-02-30".into()),
    );
    assert_err(
        "${d} > date('2024-1-01')",
        1,
        13,
        ExprErrorKind::InvalidDate("2024-1-01".into()),
    );
    assert_err(
        "${d} > date('')",
        1,
        13,
        ExprErrorKind::InvalidDate(String::new()),
    );
    ok("${d} > date('2024-02-29')");
}

#[test]
fn comparing_unrelated_types_is_a_type_mismatch_at_the_operator() {
    let mismatch = |operator, left, right| ExprErrorKind::TypeMismatch {
        operator,
        left,
        right,
    };
    assert_err(
        "${n} = 'a'",
        1,
        6,
        mismatch("=", "a number question", "a string"),
    );
    assert_err(
        "${d} < 3",
        1,
        6,
        mismatch("<", "a date question", "a number"),
    );
    assert_err(
        "${yn} = 1",
        1,
        7,
        mismatch("=", "a yes_no question", "a number"),
    );
    assert_err(
        "${n} = ${d}",
        1,
        6,
        mismatch("=", "a number question", "a date question"),
    );
    assert_err(
        "${t} = ${yn}",
        1,
        6,
        mismatch("=", "a text question", "a yes_no question"),
    );
    assert_err(
        "${yn} = ${yn2}",
        1,
        7,
        mismatch("=", "a yes_no question", "a yes_no question"),
    );
    assert_err(
        "${sc} = ${sc2}",
        1,
        7,
        mismatch("=", "a single_choice question", "a single_choice question"),
    );
    assert_err(
        "${d} = '2024-01-01'",
        1,
        6,
        mismatch("=", "a date question", "a string"),
    );
    assert_err(
        "true = 1",
        1,
        6,
        mismatch("=", "a true/false value", "a number"),
    );
    assert_err(
        "count(${mc}) = date('2024-01-01')",
        1,
        14,
        mismatch("=", "a number", "a date"),
    );
    assert_eq!(
        err("${n} = 'a'").kind.to_string(),
        "cannot compare a number question with a string using '='"
    );
}

#[test]
fn operators_not_supported_by_a_type_are_rejected_at_the_operator() {
    let not_allowed = |operator, ty| ExprErrorKind::OperatorNotAllowed { operator, ty };
    assert_err("${yn} < 'yes'", 1, 7, not_allowed("<", "a yes_no question"));
    assert_err(
        "${sc} >= 'a'",
        1,
        7,
        not_allowed(">=", "a single_choice question"),
    );
    assert_err("${t} > 'a'", 1, 6, not_allowed(">", "a text question"));
    assert_err("${t} <= ${t2}", 1, 6, not_allowed("<=", "a text question"));
    assert_err("'a' < 'b'", 1, 5, not_allowed("<", "a string"));
    assert_err("true < false", 1, 6, not_allowed("<", "a true/false value"));
    assert_err(
        "${mc} = 'x'",
        1,
        7,
        not_allowed("=", "a multi_choice question"),
    );
    assert_err(
        "'x' != ${mc}",
        1,
        5,
        not_allowed("!=", "a multi_choice question"),
    );
    assert_err(
        "${att} = 'a'",
        1,
        8,
        not_allowed("=", "an attachment question"),
    );
    assert_err(
        "${mc} = 1",
        1,
        7,
        not_allowed("=", "a multi_choice question"),
    );
    assert_eq!(
        err("${mc} = 'x'").kind.to_string(),
        "'=' cannot be used on a multi_choice question (use selected() or count())"
    );
    assert_eq!(
        err("${yn} < 'yes'").kind.to_string(),
        "'<' cannot be used on a yes_no question (only '=' and '!=' work here)"
    );
}

#[test]
fn non_boolean_where_a_boolean_is_needed_is_rejected() {
    let not_bool = |found, context| ExprErrorKind::NotBoolean { found, context };
    assert_err(
        "${n}",
        1,
        1,
        not_bool("a number question", "the expression"),
    );
    assert_err(
        "${yn}",
        1,
        1,
        not_bool("a yes_no question", "the expression"),
    );
    assert_err("'yes'", 1, 1, not_bool("a string", "the expression"));
    assert_err(
        "date('2024-01-01')",
        1,
        1,
        not_bool("a date", "the expression"),
    );
    assert_err("count(${mc})", 1, 1, not_bool("a number", "the expression"));
    assert_err(
        "${yn} and true",
        1,
        1,
        not_bool("a yes_no question", "'and'"),
    );
    assert_err("true or 3", 1, 9, not_bool("a number", "'or'"));
    assert_err("not 'yes'", 1, 5, not_bool("a string", "'not'"));
    assert_err(
        "true and (${n})",
        1,
        10,
        not_bool("a number question", "'and'"),
    );
    assert_eq!(
        err("${n}").kind.to_string(),
        "the expression needs a true/false value, found a number question"
    );
}

#[test]
fn errors_in_multi_line_expressions_give_line_and_column() {
    let src = "answered(${yn})\n  and ${n} > 'x'";
    assert_err(
        src,
        2,
        12,
        ExprErrorKind::TypeMismatch {
            operator: ">",
            left: "a number question",
            right: "a string",
        },
    );
    assert_eq!(
        err(src).to_string(),
        "line 2, column 12: cannot compare a number question with a string using '>'"
    );
    assert_err(
        "true\r\n  and 3",
        2,
        7,
        ExprErrorKind::NotBoolean {
            found: "a number",
            context: "'and'",
        },
    );
    assert_err(
        "true\n\nor\n   ${nope} = 1",
        4,
        4,
        ExprErrorKind::UnknownQuestion("nope".into()),
    );
    // A string spanning lines moves later positions down too.
    assert_err(
        "${t} = 'a\nb' and 3",
        2,
        8,
        ExprErrorKind::NotBoolean {
            found: "a number",
            context: "'and'",
        },
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    assert_err(
        "${t} = 'héllo' and 3",
        1,
        20,
        ExprErrorKind::NotBoolean {
            found: "a number",
            context: "'and'",
        },
    );
}

#[test]
fn syntax_errors_are_reported_before_type_errors() {
    // The type error comes first in the text, but the expression is not even well formed.
    assert_err(
        "${n} = 'a' and )",
        1,
        16,
        ExprErrorKind::UnexpectedToken {
            expected: VALUE_OR_NOT,
            found: "')'".into(),
        },
    );
}

// ---- accepted forms ----

#[test]
fn every_supported_operator_and_type_combination_compiles() {
    for op in ["=", "!="] {
        for src in [
            format!("${{yn}} {op} 'yes'"),
            format!("'declined' {op} ${{yn}}"),
            format!("${{sc}} {op} 'a'"),
            format!("'b' {op} ${{sc}}"),
            format!("${{t}} {op} 'x'"),
            format!("'x' {op} ${{t}}"),
            format!("${{t}} {op} ${{t2}}"),
            format!("'x' {op} 'y'"),
            format!("true {op} false"),
            format!("answered(${{yn}}) {op} (${{n}} > 1)"),
        ] {
            ok(&src);
        }
    }
    for op in ["=", "!=", "<", "<=", ">", ">="] {
        for src in [
            format!("${{n}} {op} 3"),
            format!("-2.5 {op} ${{n}}"),
            format!("${{n}} {op} ${{n2}}"),
            format!("count(${{mc}}) {op} 2"),
            format!("count(${{mc}}) {op} ${{n}}"),
            format!("1 {op} 2"),
            format!("${{d}} {op} date('2024-01-01')"),
            format!("date('2024-01-01') {op} ${{d}}"),
            format!("${{d}} {op} ${{d2}}"),
            format!("date('2024-01-01') {op} date('2024-01-02')"),
        ] {
            ok(&src);
        }
    }
    for src in [
        "true",
        "false",
        "answered(${att})",
        "answered(${mc})",
        "selected(${mc}, 'x')",
        "selected(${sc}, 'a')",
        "not answered(${t})",
        "${yn}='yes'and${n}>=-1",
        "\n\t${yn}\n=\n'yes'\n",
        "not(true)",
        "${t} = 'it''s'",
        "${t} = ''",
        "${n} = 007",
    ] {
        ok(src);
    }
}

// ---- evaluation ----

#[test]
fn yes_no_comparisons_match_the_answer() {
    let yes = [(YN, yn(YesNo::Yes))];
    let no = [(YN, yn(YesNo::No))];
    assert!(run("${yn} = 'yes'", &yes));
    assert!(!run("${yn} = 'yes'", &no));
    assert!(run("${yn} != 'yes'", &no));
    assert!(!run("${yn} != 'yes'", &yes));
    assert!(run("'declined' = ${yn}", &[(YN, yn(YesNo::Declined))]));
    assert!(run("${yn} = 'unknown'", &[(YN, yn(YesNo::Unknown))]));
}

#[test]
fn comparisons_with_an_unanswered_question_are_false_both_ways() {
    for src in [
        "${yn} = 'yes'",
        "${yn} != 'yes'",
        "${sc} = 'a'",
        "${sc} != 'a'",
        "${t} = 'x'",
        "${t} != 'x'",
        "${t} = ${t2}",
        "${t} != ${t2}",
        "${n} = 1",
        "${n} != 1",
        "${n} < 1",
        "${n} >= 1",
        "${n} != ${n2}",
        "${d} = date('2024-01-01')",
        "${d} != date('2024-01-01')",
        "${d} < ${d2}",
    ] {
        assert!(!run(src, &[]), "{src}");
    }
    // Only one side unanswered is still no value.
    assert!(!run("${n} != ${n2}", &[(N, Answer::Number(1.0))]));
    assert!(!run("${t} != ${t2}", &[(T2, Answer::Text("a".into()))]));
    assert!(!run("${d} != ${d2}", &[(D, date("2024-01-01"))]));
}

#[test]
fn negating_a_comparison_with_an_unanswered_question_is_true() {
    assert!(run("not (${yn} = 'yes')", &[]));
    assert!(!run("${yn} != 'yes'", &[]));
}

#[test]
fn functions_on_unanswered_questions_give_false_or_zero() {
    assert!(!run("answered(${yn})", &[]));
    assert!(!run("selected(${mc}, 'x')", &[]));
    assert!(!run("selected(${sc}, 'a')", &[]));
    assert!(run("count(${mc}) = 0", &[]));
    assert!(!run("count(${mc}) > 0", &[]));
}

#[test]
fn hidden_questions_read_as_no_value_even_with_a_stored_answer() {
    let stored = answers(&[
        (YN, yn(YesNo::Yes)),
        (MC, choices(&["x"])),
        (N, Answer::Number(5.0)),
    ]);
    let hidden = [YN, MC, N];
    let visible_only = |i: usize| {
        if hidden.contains(&i) {
            None
        } else {
            stored.get(i).and_then(Option::as_ref)
        }
    };
    for (src, when_shown, when_hidden) in [
        ("${yn} = 'yes'", true, false),
        ("answered(${yn})", true, false),
        ("selected(${mc}, 'x')", true, false),
        ("count(${mc}) = 1", true, false),
        ("count(${mc}) = 0", false, true),
        ("${n} > 1", true, false),
        ("not (${yn} = 'yes')", false, true),
    ] {
        let e = ok(src);
        assert_eq!(eval_on(&e, &stored), when_shown, "{src} shown");
        assert_eq!(e.eval(&visible_only), when_hidden, "{src} hidden");
    }
}

#[test]
fn answered_is_true_for_any_answer() {
    assert!(run("answered(${yn})", &[(YN, yn(YesNo::Declined))]));
    assert!(run(
        "answered(${att})",
        &[(ATT, Answer::Attachment("a1".into()))]
    ));
    assert!(run("answered(${mc})", &[(MC, choices(&[]))]));
}

#[test]
fn selected_works_for_single_and_multi_choice() {
    let mc = [(MC, choices(&["x", "z"]))];
    assert!(run("selected(${mc}, 'x')", &mc));
    assert!(!run("selected(${mc}, 'y')", &mc));
    assert!(run("selected(${mc}, 'z')", &mc));
    let sc = [(SC, Answer::Choice("b".into()))];
    assert!(run("selected(${sc}, 'b')", &sc));
    assert!(!run("selected(${sc}, 'a')", &sc));
}

#[test]
fn single_choice_compares_by_choice_id() {
    let sc = [(SC, Answer::Choice("b".into()))];
    assert!(run("${sc} = 'b'", &sc));
    assert!(!run("${sc} = 'a'", &sc));
    assert!(run("${sc} != 'a'", &sc));
    assert!(run("'b' = ${sc}", &sc));
}

#[test]
fn count_counts_selected_choices() {
    let mc = [(MC, choices(&["x", "y"]))];
    assert!(run("count(${mc}) = 2", &mc));
    assert!(run("count(${mc}) >= 2 and count(${mc}) < 3", &mc));
    assert!(run(
        "count(${mc}) < ${n}",
        &[(MC, choices(&["x", "y"])), (N, Answer::Number(2.5))]
    ));
}

#[test]
fn number_operators_compare_numerically() {
    let n = [(N, Answer::Number(3.0)), (N2, Answer::Number(-1.5))];
    let cases = [
        ("${n} = 3", true),
        ("${n} = 3.0", true),
        ("${n} != 3", false),
        ("${n} < 3", false),
        ("${n} <= 3", true),
        ("${n} > 2.99", true),
        ("${n} >= 3.01", false),
        ("${n2} = -1.5", true),
        ("${n2} < -1", true),
        ("-2 < ${n2}", true),
        ("${n2} < ${n}", true),
        ("${n} <= ${n2}", false),
        ("${n} != ${n2}", true),
        ("1 < 2", true),
        ("-0 = 0", true),
    ];
    for (src, expected) in cases {
        assert_eq!(run(src, &n), expected, "{src}");
    }
}

#[test]
fn date_operators_compare_chronologically() {
    let d = [(D, date("2024-03-01")), (D2, date("2023-12-31"))];
    let cases = [
        ("${d} = date('2024-03-01')", true),
        ("${d} != date('2024-03-01')", false),
        ("${d} > date('2024-02-29')", true),
        ("${d} >= date('2024-03-02')", false),
        ("${d} < date('2024-03-02')", true),
        ("${d} <= date('2024-03-01')", true),
        ("date('2024-01-01') > ${d2}", true),
        ("${d2} < ${d}", true),
        ("${d} = ${d2}", false),
        ("date('2024-01-01') < date('2024-01-02')", true),
    ];
    for (src, expected) in cases {
        assert_eq!(run(src, &d), expected, "{src}");
    }
}

#[test]
fn text_compares_exactly() {
    let t = [
        (T, Answer::Text("it's".into())),
        (T2, Answer::Text("It's".into())),
    ];
    assert!(run("${t} = 'it''s'", &t));
    assert!(!run("${t2} = 'it''s'", &t));
    assert!(run("${t} != ${t2}", &t));
    assert!(!run("${t} = ${t2}", &t));
    assert!(run("'a' = 'a' and 'a' != 'b'", &[]));
}

#[test]
fn booleans_compare_with_equals() {
    assert!(run("answered(${yn}) = false", &[]));
    assert!(!run("answered(${yn}) != false", &[]));
    assert!(run("(${n} > 1) = (${n2} > 1)", &[]));
    assert!(run("true != false", &[]));
}

#[test]
fn not_binds_tighter_than_and_which_binds_tighter_than_or() {
    assert!(run("true or false and false", &[]));
    assert!(!run("(true or false) and false", &[]));
    assert!(run("not true or true", &[]));
    assert!(!run("not (true or true)", &[]));
    assert!(run("not not true", &[]));
    assert!(!run("not ${n} > 1", &[(N, Answer::Number(2.0))]));
}

#[test]
fn and_and_or_short_circuit() {
    let reads = Cell::new(0);
    let all = answers(&[(N, Answer::Number(1.0))]);
    let counting = |i: usize| {
        reads.set(reads.get() + 1);
        all.get(i).and_then(Option::as_ref)
    };
    let e = ok("answered(${yn}) and ${n} = 1 and ${t} = 'x'");
    assert!(!e.eval(&counting));
    assert_eq!(reads.get(), 1);
    reads.set(0);
    let e = ok("answered(${n}) or ${yn} = 'yes' or ${t} = 'x'");
    assert!(e.eval(&counting));
    assert_eq!(reads.get(), 1);
    reads.set(0);
    let e = ok("answered(${yn}) or ${n} = 1");
    assert!(e.eval(&counting));
    assert_eq!(reads.get(), 2);
}

#[test]
fn answers_of_the_wrong_kind_read_as_no_value() {
    let wrong = [
        (YN, Answer::Text("yes".into())),
        (SC, choices(&["a"])),
        (N, Answer::Text("3".into())),
        (D, Answer::Text("2024-01-01".into())),
        (T, yn(YesNo::Yes)),
        (MC, Answer::Choice("x".into())),
    ];
    for src in [
        "${yn} = 'yes'",
        "${yn} != 'yes'",
        "${sc} = 'a'",
        "${sc} != 'a'",
        "${n} = 3",
        "${d} = date('2024-01-01')",
        "${t} != 'x'",
        "count(${mc}) > 0",
    ] {
        assert!(!run(src, &wrong), "{src}");
    }
    // A multi_choice answer stored as a single choice is still what `selected` asked about.
    assert!(run("selected(${mc}, 'x')", &wrong));
}

#[test]
fn nan_answers_compare_false() {
    let nan = [(N, Answer::Number(f64::NAN))];
    for src in [
        "${n} = 1",
        "${n} != 1",
        "${n} < 1",
        "${n} >= 1",
        "${n} = ${n}",
    ] {
        assert!(!run(src, &nan), "{src}");
    }
}

#[test]
fn references_are_sorted_and_unique() {
    let e = ok(concat!(
        "${n} > 1 and ${yn} = 'yes' or ${n} < 0 and answered(${att})",
        " or selected(${mc}, 'x') or count(${mc}) = 1"
    ));
    assert_eq!(e.references(), &[YN, MC, N, ATT]);
    assert_eq!(
        ok("true and date('2024-01-01') < date('2024-01-02')").references(),
        &[] as &[usize]
    );
    assert_eq!(
        ok("${d2} > ${d} or ${t2} = ${t}").references(),
        &[D, T, D2, T2]
    );
}

#[test]
fn compiled_expression_is_clone_and_debug() {
    let e = ok("${yn} = 'yes'");
    let c = e.clone();
    assert!(run("${yn} = 'yes'", &[(YN, yn(YesNo::Yes))]));
    assert_eq!(c.references(), e.references());
    assert!(!format!("{e:?}").is_empty());
}

// ---- properties ----

fn answer_strategy() -> impl Strategy<Value = Answer> {
    let id = prop::sample::select(vec!["a", "b", "c", "x", "y", "z", "zz", ""]);
    prop_oneof![
        prop::sample::select(YesNo::ALL.to_vec()).prop_map(Answer::YesNo),
        id.clone().prop_map(|s| Answer::Choice(s.to_string())),
        prop::collection::vec(id, 0..4)
            .prop_map(|v| Answer::Choices(v.into_iter().map(String::from).collect())),
        prop_oneof![(-5i32..5).prop_map(f64::from), Just(1.5), Just(f64::NAN)]
            .prop_map(Answer::Number),
        prop::sample::select(vec!["2023-12-31", "2024-01-01", "2024-02-29"])
            .prop_map(|s| Answer::Date(s.parse::<Date>().unwrap_or_else(|()| unreachable!()))),
        prop::sample::select(vec!["", "a", "x", "it's"]).prop_map(|s| Answer::Text(s.into())),
        Just(Answer::Attachment("att-1".into())),
    ]
}

/// Answers for every question, with variants that may not match the question's kind.
fn answers_strategy() -> impl Strategy<Value = Vec<Option<Answer>>> {
    prop::collection::vec(prop::option::of(answer_strategy()), QUESTIONS)
}

/// Tokens glued together at random: far more likely than arbitrary text to get past the
/// lexer and exercise the parser and the type checker.
fn token_soup() -> impl Strategy<Value = String> {
    let tokens = vec![
        "(",
        ")",
        ",",
        "=",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "and",
        "or",
        "not",
        "true",
        "false",
        "answered",
        "selected",
        "count",
        "date",
        "${yn}",
        "${sc}",
        "${mc}",
        "${n}",
        "${d}",
        "${t}",
        "${att}",
        "${n2}",
        "${later}",
        "${nope}",
        "'yes'",
        "'a'",
        "'x'",
        "'zz'",
        "'2024-01-01'",
        "1",
        "-2.5",
        "AND",
        "${",
        "'",
        "\n",
        "#",
        "==",
        "é",
        "",
    ];
    prop::collection::vec(prop::sample::select(tokens), 0..40).prop_map(|t| t.join(" "))
}

/// Well-typed boolean expressions from a small grammar.
fn well_formed() -> impl Strategy<Value = String> {
    let eq = prop::sample::select(vec!["=", "!="]);
    let ord = prop::sample::select(vec!["=", "!=", "<", "<=", ">", ">="]);
    let yes_no = (
        prop::sample::select(vec!["${yn}", "${yn2}"]),
        eq.clone(),
        prop::sample::select(vec!["'yes'", "'no'", "'unknown'", "'declined'"]),
        any::<bool>(),
    )
        .prop_map(|(q, op, v, flip)| {
            if flip {
                format!("{v} {op} {q}")
            } else {
                format!("{q} {op} {v}")
            }
        });
    let choice = (
        prop::sample::select(vec!["${sc}", "${sc2}"]),
        eq.clone(),
        prop::sample::select(vec!["'a'", "'b'"]),
    )
        .prop_map(|(q, op, v)| format!("{q} {op} {v}"));
    let selected = prop::sample::select(vec![
        "selected(${sc}, 'c')",
        "selected(${sc2}, 'a')",
        "selected(${mc}, 'x')",
        "selected(${mc}, 'z')",
    ])
    .prop_map(String::from);
    let answered = prop::sample::select(vec![
        "${yn}", "${sc}", "${mc}", "${n}", "${d}", "${t}", "${att}",
    ])
    .prop_map(|q| format!("answered({q})"));
    let number = prop_oneof![
        prop::sample::select(vec!["${n}", "${n2}", "count(${mc})", "1.5", "-1"])
            .prop_map(String::from),
        (-5i32..5).prop_map(|n| n.to_string()),
    ];
    let numbers =
        (number.clone(), ord.clone(), number).prop_map(|(a, op, b)| format!("{a} {op} {b}"));
    let date = prop::sample::select(vec![
        "${d}",
        "${d2}",
        "date('2024-01-01')",
        "date('2023-12-31')",
    ]);
    let dates = (date.clone(), ord, date).prop_map(|(a, op, b)| format!("{a} {op} {b}"));
    let text = prop::sample::select(vec!["${t}", "${t2}", "'a'", "''", "'it''s'"]);
    let texts = (text.clone(), eq.clone(), text).prop_map(|(a, op, b)| format!("{a} {op} {b}"));
    let constant = prop::sample::select(vec!["true", "false"]).prop_map(String::from);
    let leaf = prop_oneof![yes_no, choice, selected, answered, numbers, dates, texts, constant];
    leaf.prop_recursive(4, 12, 3, move |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}\nor {b}")),
            inner.clone().prop_map(|a| format!("not {a}")),
            inner.clone().prop_map(|a| format!("({a})")),
            (inner.clone(), eq.clone(), inner).prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
        ]
    })
}

fn is_limit(e: &ExprError) -> bool {
    matches!(
        e.kind,
        ExprErrorKind::TooLong { .. } | ExprErrorKind::TooManyNodes | ExprErrorKind::TooDeep
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(src in any::<String>(), all in answers_strategy()) {
        if let Ok(e) = compile(&src, &scope()) {
            let _ = eval_on(&e, &all);
        }
    }

    #[test]
    fn arbitrary_printable_text_never_panics(
        src in "[ -~\n]{0,300}",
        all in answers_strategy(),
    ) {
        if let Ok(e) = compile(&src, &scope()) {
            let _ = eval_on(&e, &all);
        }
    }

    #[test]
    fn token_soup_never_panics_and_errors_point_inside_the_source(
        src in token_soup(),
        all in answers_strategy(),
    ) {
        match compile(&src, &scope()) {
            Ok(e) => { let _ = eval_on(&e, &all); }
            Err(e) => {
                let lines: Vec<&str> = src.split('\n').collect();
                prop_assert!(e.line >= 1 && (e.line as usize) <= lines.len(), "{e}");
                let width = lines[e.line as usize - 1].chars().count() + 1;
                prop_assert!(e.column >= 1 && (e.column as usize) <= width, "{e}");
            }
        }
    }

    #[test]
    fn compiling_and_evaluating_is_deterministic(
        src in prop_oneof![token_soup(), well_formed()],
        all in answers_strategy(),
    ) {
        let first = compile(&src, &scope());
        let second = compile(&src, &scope());
        match (first, second) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.references(), b.references());
                let r = eval_on(&a, &all);
                prop_assert_eq!(r, eval_on(&b, &all));
                prop_assert_eq!(r, eval_on(&a, &all));
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a.is_ok(), b.is_ok()),
        }
    }

    #[test]
    fn well_formed_expressions_compile_and_evaluate(
        src in well_formed(),
        all in answers_strategy(),
    ) {
        let e = compile(&src, &scope());
        prop_assert!(e.is_ok(), "{:?}: {:?}", src, e.err());
        if let Ok(e) = e {
            let _ = eval_on(&e, &all);
            prop_assert!(e.references().windows(2).all(|w| w[0] < w[1]));
            prop_assert!(e.references().iter().all(|i| *i < LATER));
        }
    }

    #[test]
    fn connectives_follow_boolean_logic(
        a in well_formed(),
        b in well_formed(),
        all in answers_strategy(),
    ) {
        let va = eval_on(&ok(&a), &all);
        let vb = eval_on(&ok(&b), &all);
        for (src, expected) in [
            (format!("not ({a})"), !va),
            (format!("({a}) and ({b})"), va && vb),
            (format!("({a}) or ({b})"), va || vb),
            (format!("({a}) = ({b})"), va == vb),
            (format!("({a}) != ({b})"), va != vb),
        ] {
            match compile(&src, &scope()) {
                Ok(e) => prop_assert_eq!(eval_on(&e, &all), expected, "{}", src),
                Err(e) => prop_assert!(is_limit(&e), "{}: {}", src, e),
            }
        }
    }
}
