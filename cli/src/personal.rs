//! Personal content — a case's title, notes and answers, a receipt's note to the reporting
//! organisation — comes from a file or stdin (`-`), never from the command line, where other
//! users' process lists and the shell's history would show it (docs/cli.md).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use indicia_core::ErrorKind;

use crate::failure::Failure;

/// Larger files are refused rather than read whole: the core's own limits (a title of 500
/// characters, a note of 20 000) are far below this.
const MAX_BYTES: usize = 1 << 20;

/// Whether `path` is `-`, stdin.
pub fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// The text in `path` (stdin for `-`): UTF-8, without a byte order mark or the line endings at
/// its end (an editor's last line ending is not part of a title or note).
pub fn read_text(path: &Path) -> Result<String, Failure> {
    let name = if is_stdin(path) {
        Path::new("<stdin>")
    } else {
        path
    };
    // One byte more than allowed tells a file at the limit from a larger one.
    let limit = MAX_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    let read = if is_stdin(path) {
        io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|e| Failure::file(name, "read", &e))?;
    if bytes.len() > MAX_BYTES {
        return Err(Failure::of_kind(
            ErrorKind::InvalidArgument,
            format!("{}: more than 1 MiB", name.display()),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::of_kind(
            ErrorKind::InvalidArgument,
            format!("{}: not UTF-8 text", name.display()),
        )
    })?;
    Ok(indicia_core::without_bom(&text)
        .trim_end_matches(['\n', '\r'])
        .to_owned())
}

/// Stdin can be read for one thing only. `readers` names what would read it (`true` when it
/// would); two or more are refused before anything is read, naming them.
pub fn stdin_once(readers: &[(bool, &str)]) -> Result<(), Failure> {
    let named: Vec<&str> = readers
        .iter()
        .filter(|(reads, _)| *reads)
        .map(|(_, what)| *what)
        .collect();
    if named.len() > 1 {
        return Err(Failure::of_kind(
            ErrorKind::InvalidArgument,
            format!(
                "stdin can give only one of these: {} (give the others as files)",
                named.join(", ")
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdin_is_given_to_one_reader_only() {
        assert!(stdin_once(&[(true, "the PIN"), (false, "--title-file -")]).is_ok());
        let refused = stdin_once(&[(true, "the PIN"), (true, "--title-file -")]).unwrap_err();
        assert_eq!(
            refused.message(),
            "stdin can give only one of these: the PIN, --title-file - (give the others as files)"
        );
    }

    #[test]
    fn text_files_lose_the_bom_and_the_last_line_ending_and_must_be_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("title.txt");
        std::fs::write(&path, "\u{feff}Clinic, Košice\r\n").unwrap();
        assert_eq!(read_text(&path).unwrap(), "Clinic, Košice");
        std::fs::write(&path, [0xff, 0xfe, 0x41]).unwrap();
        assert_eq!(read_text(&path).unwrap_err().kind_name(), "InvalidArgument");
        std::fs::write(&path, vec![b'a'; MAX_BYTES + 1]).unwrap();
        assert_eq!(read_text(&path).unwrap_err().kind_name(), "InvalidArgument");
    }
}
