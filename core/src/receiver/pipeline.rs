//! Ingest with verification on several cores feeding one writer.
//!
//! Opening a package (the age layer's X25519, the Ed25519 signature, the canonical manifest
//! check, the attachments' SHA-256) needs nothing from the database, so it runs on worker
//! threads; the database has one writer (SQLite), which takes the verified packages in input
//! order, checks the signer against the trust list, de-duplicates and stores. Input order is
//! kept exactly — results are reported, and duplicates within one run decided, as the
//! sequential path would — by verifying fixed windows of [`WINDOW`] packages: the workers share
//! one window while the writer stores the one before.
//!
//! Memory stays bounded: a small package (attachments of at most [`BUFFER_BYTES`] in all) is
//! read whole by its worker; a larger one is handed to the writer with only its manifest read,
//! and its attachments stream from the file into the database as in the sequential path. At
//! most three windows are alive at once (one verifying, one queued, one being written).

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc;

use super::reports::{IndexTail, Stored};
use super::{IngestOutcome, Receiver, ReceiverError, TrustEntry};
use crate::keys::Identity;
use crate::package::{open_signed, Manifest, PackageError, PackageReader, SignedBytes};
use crate::vault::StoreError;

/// Packages per verification window.
pub const WINDOW: usize = 128;

/// The most attachment bytes a worker reads into memory for one package.
pub const BUFFER_BYTES: u64 = 64 * 1024;

/// A package whose age layer, manifest and signature verified.
pub(super) enum Opened<P: Read> {
    /// Read and checked to its end by a worker: attachments in memory, the manifest with every
    /// digest.
    Whole {
        manifest: Manifest,
        signed: SignedBytes,
        attachments: Vec<Vec<u8>>,
        /// The manifest's content hash, computed by the worker (the canonical encoding is a
        /// good part of a small package's cost, kept off the single writer).
        content_hash: String,
        next: usize,
    },
    /// Attachments still to be read (and checked) from the input, in order.
    Streaming(PackageReader<P>),
}

impl<P: Read> Opened<P> {
    pub(super) fn manifest(&self) -> &Manifest {
        match self {
            Opened::Whole { manifest, .. } => manifest,
            Opened::Streaming(reader) => reader.manifest(),
        }
    }

    /// Writes the next attachment to `output` (checked against the manifest as it goes, when
    /// streaming).
    pub(super) fn read_attachment(&mut self, mut output: impl Write) -> Result<(), PackageError> {
        match self {
            Opened::Whole {
                attachments, next, ..
            } => {
                let bytes = attachments
                    .get(*next)
                    .ok_or(PackageError::Truncated("attachments"))?;
                *next += 1;
                output
                    .write_all(bytes)
                    .map_err(|e| PackageError::Io(e.kind()))
            }
            Opened::Streaming(reader) => reader.read_attachment(output).map(|_| ()),
        }
    }

    /// Reads and checks whatever is left, up to the end of the package (for version 2 the
    /// trailer, which vouches for every attachment read before): the manifest with every
    /// attachment's SHA-256, and what the device signed as it travelled.
    pub(super) fn finish(self) -> Result<(Manifest, SignedBytes), PackageError> {
        match self {
            Opened::Whole {
                manifest, signed, ..
            } => Ok((manifest, signed)),
            Opened::Streaming(reader) => reader.finish_signed(),
        }
    }
}

/// Opens and verifies one package; a small one is read to its end. The signer is checked
/// against the trust list first, before the signature and before the manifest is parsed whole:
/// for version 2 the device key of the binary header, before the manifest's bytes are even read
/// (its organisation is checked once the manifest verified, in `store_opened`); for version 1
/// the device and organisation the manifest claims, at the cost of one walk over its bytes
/// (docs/formats/receiver.md, "Ingest").
pub(super) fn open_one<R: BufRead>(
    input: R,
    identities: &[Identity],
    trust: &[TrustEntry],
) -> Result<Opened<impl Read>, ReceiverError> {
    let signed = open_signed(input, identities)?;
    if signed.version() == 1 {
        let claimed = signed.signer()?;
        Receiver::check_signer(trust, &claimed.device, &claimed.organisation)?;
    } else {
        Receiver::check_device(trust, &signed.device()?)?;
    }
    let mut reader = signed.verify()?;
    let total: u64 = reader.manifest().attachments.iter().map(|a| a.size).sum();
    if total > BUFFER_BYTES {
        return Ok(Opened::Streaming(reader));
    }
    let count = reader.manifest().attachments.len();
    let mut attachments = Vec::with_capacity(count);
    for index in 0..count {
        // At most BUFFER_BYTES in all, checked above.
        let mut bytes = Vec::with_capacity(reader.manifest().attachments[index].size as usize);
        reader.read_attachment(&mut bytes)?;
        attachments.push(bytes);
    }
    let (manifest, signed) = reader.finish_signed()?;
    let content_hash = manifest.content_hash()?;
    Ok(Opened::Whole {
        manifest,
        signed,
        attachments,
        content_hash,
        next: 0,
    })
}

/// [`open_one`] on an input that may have failed to open (an `Io` result of its own).
pub(super) fn open_input<R: BufRead>(
    source: String,
    input: io::Result<R>,
    identities: &[Identity],
    trust: &[TrustEntry],
) -> Verified<impl Read> {
    let opened = match input {
        Ok(input) => open_one(input, identities, trust),
        Err(e) => Err(ReceiverError::Io(e.kind())),
    };
    (source, opened)
}

pub(super) type Verified<P> = (String, Result<Opened<P>, ReceiverError>);

/// Verifies one window on `threads` scoped threads (contiguous shares), results in input order.
fn verify_window<R: BufRead + Send>(
    window: Vec<(String, io::Result<R>)>,
    identities: &[Identity],
    trust: &[TrustEntry],
    threads: usize,
) -> Vec<Verified<impl Read + Send>> {
    let open = |(source, input)| open_input(source, input, identities, trust);
    if threads <= 1 {
        return window.into_iter().map(open).collect();
    }
    let share = window.len().div_ceil(threads);
    let mut shares: Vec<Vec<(String, io::Result<R>)>> = Vec::new();
    let mut rest = window.into_iter();
    loop {
        let part: Vec<_> = rest.by_ref().take(share).collect();
        if part.is_empty() {
            break;
        }
        shares.push(part);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(open).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            // A worker panic is a bug in the reader; surface it rather than lose packages.
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

impl Receiver {
    /// Ingests many packages as [`Receiver::ingest_batch`] does — the same checks, results
    /// reported in input order, each package all-or-nothing, a commit every
    /// [`super::BATCH`] packages — with the verification of each package on `threads` worker
    /// threads (0 or 1: on one thread beside the writer) while this thread writes the
    /// database. `threads` is capped at 64.
    pub fn ingest_parallel<R: BufRead + Send>(
        &mut self,
        inputs: impl IntoIterator<Item = (String, io::Result<R>), IntoIter: Send>,
        identities: &[Identity],
        threads: usize,
        report: impl FnMut(&str, Result<IngestOutcome, ReceiverError>),
    ) -> Result<(), StoreError> {
        let trust = self.trust_list()?;
        let threads = threads.min(64);
        let mut inputs = inputs.into_iter();
        let (windows, verified) = mpsc::sync_channel(1);
        let trust = &trust[..];
        std::thread::scope(|scope| {
            scope.spawn(move || loop {
                let window: Vec<_> = inputs.by_ref().take(WINDOW).collect();
                if window.is_empty()
                    || windows
                        .send(verify_window(window, identities, trust, threads))
                        .is_err()
                {
                    // Done, or the writer stopped (a database failure): nothing more to verify.
                    break;
                }
            });
            self.store_all(verified.into_iter().flatten(), trust, report)
        })
    }

    /// Stores verified packages in input order, committing every [`super::BATCH`]; a failing
    /// database fails the run (the uncommitted batch goes in again next time), a failing
    /// package is its own result.
    pub(super) fn store_all<P: Read>(
        &self,
        verified: impl Iterator<Item = Verified<P>>,
        trust: &[super::TrustEntry],
        mut report: impl FnMut(&str, Result<IngestOutcome, ReceiverError>),
    ) -> Result<(), StoreError> {
        let mut verified = verified.peekable();
        while verified.peek().is_some() {
            self.vault.atomically(|_| {
                let mut tail = IndexTail::default();
                for (source, opened) in verified.by_ref().take(super::BATCH) {
                    let result = match opened {
                        Ok(opened) => match self.store_opened(opened, &source, trust, &mut tail) {
                            Stored::Done(result) => result,
                            Stored::Abort(e) => return Err(e),
                        },
                        Err(e) => Err(e),
                    };
                    if let Err(ReceiverError::Store(e)) = &result {
                        if !matches!(e, StoreError::Tampered) {
                            return Err(e.clone());
                        }
                    }
                    report(&source, result);
                }
                self.flush_index(&mut tail)
            })?;
        }
        Ok(())
    }
}
