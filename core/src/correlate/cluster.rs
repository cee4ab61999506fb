//! Clusters of reports linked by shared selectors (connected components, union-find).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Selector, SelectorKind};

/// The selectors of one report, as the receiver holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSelectors {
    /// The report's id (unique per report; a repeated id is the same report).
    pub report_id: String,
    /// The organisation that sent the report.
    pub organisation: String,
    /// The report's normalised selectors (from [`super::normalise`] or
    /// [`super::extract_from_text`]); duplicates are harmless.
    pub selectors: Vec<Selector>,
    /// Whether the device key that signed the report has been revoked since (a lost or stolen
    /// device: what it sent may have been written by whoever holds it).
    #[serde(default)]
    pub signer_revoked: bool,
}

/// Reports linked, directly or through other reports, by shared selectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    /// The selectors found in two or more reports of the cluster (a handle counts as found where
    /// its bare or platform counterpart is), sorted.
    pub shared: Vec<Selector>,
    /// The ids of the reports in the cluster (at least two), sorted.
    pub reports: Vec<String>,
    /// The distinct organisations that sent them, sorted.
    pub organisations: Vec<String>,
    /// The reports of the cluster whose signing device key has been revoked, sorted: a link
    /// that runs through one of them may have been planted with a stolen device.
    pub revoked_reports: Vec<String>,
}

/// Groups reports into clusters: two reports are linked when they share a selector (equal after
/// normalisation), or when one holds a handle without platform (`foo`) and the other the same name
/// on a platform (`telegram:foo`); a cluster is a connected component of that link graph, so links
/// are transitive (A–B by phone and B–C by e-mail put A, B and C in one cluster).
///
/// A report id that appears more than once is one report: its selectors are merged, each
/// organisation given with it counts, and it is marked revoked if any of its entries is. Only clusters of at least two reports whose reports come
/// from at least `min_organisations` distinct organisations are returned (the receiver uses 2:
/// links seen by one organisation alone are that organisation's own business).
///
/// The order is deterministic and independent of the input order: most organisations first, then
/// most reports, then by the smallest report id. All lists inside a cluster are sorted.
pub fn clusters(reports: &[ReportSelectors], min_organisations: usize) -> Vec<Cluster> {
    // One entry per report id (sorted by id): its organisations and its selectors.
    let mut merged: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&Selector>)> = BTreeMap::new();
    let mut revoked: BTreeSet<&str> = BTreeSet::new();
    for report in reports {
        let entry = merged.entry(report.report_id.as_str()).or_default();
        entry.0.insert(report.organisation.as_str());
        entry.1.extend(report.selectors.iter());
        if report.signer_revoked {
            revoked.insert(report.report_id.as_str());
        }
    }
    let merged: Vec<(&str, BTreeSet<&str>, BTreeSet<&Selector>)> = merged
        .into_iter()
        .map(|(id, (organisations, selectors))| (id, organisations, selectors))
        .collect();

    // Which reports hold each selector (report indices ascending).
    let mut holders: BTreeMap<&Selector, Vec<usize>> = BTreeMap::new();
    for (index, (_, _, selectors)) in merged.iter().enumerate() {
        for selector in selectors {
            holders.entry(selector).or_default().push(index);
        }
    }

    let mut components = UnionFind::new(merged.len());
    for indices in holders.values() {
        if let Some((&first, rest)) = indices.split_first() {
            for &other in rest {
                components.union(first, other);
            }
        }
    }

    // A handle without platform (`foo`, noted as `@foo`) says less than `telegram:foo`, not
    // something else, so it links with the same name on any platform. Handles of two platforms
    // are not linked to each other (often two people), only through a report naming the bare one.
    let mut platform_handles: BTreeMap<&str, Vec<&Selector>> = BTreeMap::new();
    for selector in holders.keys() {
        if selector.kind == SelectorKind::Handle {
            if let Some((_, name)) = selector.value.split_once(':') {
                platform_handles.entry(name).or_default().push(selector);
            }
        }
    }
    // Reports holding a selector or, for handles, a bare/platform counterpart of it.
    let mut linked_holders: BTreeMap<&Selector, BTreeSet<usize>> = BTreeMap::new();
    for (&bare, bare_indices) in &holders {
        if bare.kind != SelectorKind::Handle || bare.value.contains(':') {
            continue;
        }
        let Some(counterparts) = platform_handles.get(bare.value.as_str()) else {
            continue;
        };
        for &counterpart in counterparts {
            let Some(indices) = holders.get(counterpart) else {
                continue;
            };
            if let (Some(&a), Some(&b)) = (bare_indices.first(), indices.first()) {
                components.union(a, b);
            }
            let both = || bare_indices.iter().chain(indices).copied();
            linked_holders.entry(bare).or_default().extend(both());
            linked_holders
                .entry(counterpart)
                .or_default()
                .extend(both());
        }
    }

    // Shared selectors per component root; every component of two or more reports has one.
    let mut shared: BTreeMap<usize, Vec<Selector>> = BTreeMap::new();
    for (selector, indices) in &holders {
        let across = linked_holders
            .get(selector)
            .filter(|linked| linked.len() >= 2);
        if let Some(&first) = across.and_then(|linked| linked.first()) {
            let root = components.find(first);
            shared.entry(root).or_default().push((*selector).clone());
        } else if let [first, _, ..] = indices.as_slice() {
            let root = components.find(*first);
            shared.entry(root).or_default().push((*selector).clone());
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for index in 0..merged.len() {
        let root = components.find(index);
        if shared.contains_key(&root) {
            members.entry(root).or_default().push(index);
        }
    }

    let mut out: Vec<Cluster> = members
        .into_iter()
        .filter_map(|(root, indices)| {
            let organisations: BTreeSet<&str> = indices
                .iter()
                .flat_map(|&i| merged[i].1.iter().copied())
                .collect();
            if organisations.len() < min_organisations {
                return None;
            }
            Some(Cluster {
                shared: shared.remove(&root).unwrap_or_default(),
                reports: indices.iter().map(|&i| merged[i].0.to_owned()).collect(),
                organisations: organisations.into_iter().map(str::to_owned).collect(),
                revoked_reports: indices
                    .iter()
                    .map(|&i| merged[i].0)
                    .filter(|id| revoked.contains(id))
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.organisations
            .len()
            .cmp(&a.organisations.len())
            .then_with(|| b.reports.len().cmp(&a.reports.len()))
            .then_with(|| a.reports.cmp(&b.reports))
    });
    out
}

/// Disjoint sets over `0..n` with path halving and union by size.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let (big, small) = if self.size[a] >= self.size[b] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small] = big;
        self.size[big] += self.size[small];
    }
}
