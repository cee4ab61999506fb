//! Wall-clock time for records and manifests.

/// Seconds since the Unix epoch (the browser has no `SystemTime`: it would panic there).
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
