// What a TypeScript app writes against the wasm package: it must type-check under --strict with
// the .d.ts the build generates (records and enums from the core's own types via tsify).
import {
  CaseStore,
  ChecklistSession,
  sealReport,
  type Assessment,
  type CaseRecord,
  type CaseStatus,
  type CaseSummary,
  type ChecklistInfo,
  type ErrorKindName,
  type ImportedReceipt,
  type QuestionView,
  type ReceiptStatus,
  type SealedPackage,
  type StandaloneCase,
} from './indicia.js';

const statuses: CaseStatus[] = ['draft', 'sealed', 'handed_over', 'acknowledged'];
const receipt: ReceiptStatus = 'investigating';

function describe(summary: CaseSummary): string {
  const deletable: boolean = summary.deletable;
  const latest: ReceiptStatus | null = summary.receipt_status;
  return `${summary.id} ${summary.status} ${deletable} ${latest ?? '-'}`;
}

function sealed(record: CaseRecord): string | undefined {
  const hash: string | undefined = record.checklist?.hash;
  return record.report_id ?? record.pending_seal?.report_id ?? hash;
}

function level(a: Assessment): number {
  const kind: 'delphi' | 'score' = a.rule.kind;
  const strong: number = a.dimensions.reduce((n, d) => n + d.counts.strong, 0);
  return kind === 'delphi' ? a.outcome.level + strong * 0 : a.rule.score;
}

function observed(q: QuestionView): boolean {
  return q.mode === 'observed' && (q.answer === null || typeof q.answer === 'string');
}

function run(store: CaseStore, session: ChecklistSession, info: ChecklistInfo): void {
  const id: string = store.createCase('title', info.id);
  const cases: CaseSummary[] = store.listCases();
  const record: CaseRecord = store.getCase(id);
  const questions: QuestionView[] = session.visibleQuestions();
  const reviewed: boolean = info.review_status === 'reviewed';
  const sealedPackage: SealedPackage = store.sealCase(id, 'org', [store.units()[0].signing_key.key_id], [], false);
  const bytes: Uint8Array = sealedPackage.package;
  const imported: ImportedReceipt = store.importReceipt(bytes);
  const after: CaseStatus = imported.case_status;
  console.log(cases, record, questions, reviewed, after, describe, sealed, level, observed);
}

const standalone: StandaloneCase = {
  organisation: 'org',
  title: 'title',
  answers: { documents_held: 'yes', languages: ['sk', 'uk'], age: 19 },
  checklist_id: 'ilo-ec-delphi-adult-labour',
};
const kind: ErrorKindName = 'WrongPin';
const made: SealedPackage = sealReport(standalone, [{ name: 'a.jpg', mime: 'image/jpeg', data: new Uint8Array(1) }], ['{"format":"indicia-unit/2"}']);
console.log(statuses, receipt, run, made, kind);
