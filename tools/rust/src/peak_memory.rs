// Peak resident memory for the measurement tools (store_attachment_memory,
// package_seal_bench): the kernel's VmHWM, which a step resets before it starts.

/// A field of /proc/self/status in KiB (`VmRSS:`, `VmHWM:`).
pub fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Resets the peak to the current resident size ("5" to clear_refs, Linux >= 4.0).
pub fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
}

/// KiB to MiB.
pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
