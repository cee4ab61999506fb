//! Checklist definitions (docs/formats/checklist.md): strict JSON, shape, validation, and the
//! compilation of every skip-logic and mapping expression. A definition that loads is then run
//! once with no answers (visibility, assessment), as an app does when it opens it.
#![no_main]

use std::sync::Arc;

use indicia_core::checklist::{Checklist, Session};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(checklist) = Checklist::from_json(json) else {
        return;
    };
    let language = checklist.default_language().to_owned();
    let session = Session::new(Arc::new(checklist), &language);
    let _ = session.visible_questions();
    let _ = session.progress();
    let _ = session.assessment();
});
