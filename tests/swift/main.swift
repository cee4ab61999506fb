// The uniffi Swift bindings as an iOS app uses them (docs/ios.md quotes this file): a store with a
// PIN, a case on a built-in checklist, answers, sealing to a receiving unit's card, and the unit
// opening the report. Compiled and run by tests/parity/test_swift_module.py where a Swift
// toolchain exists. NOT YET COMPILED: the project's Linux machines have no swiftc, so this file
// has only been checked by eye against the generated IndiciaCore.swift.
import Foundation
import IndiciaCore

struct CheckFailed: Error, CustomStringConvertible {
    let description: String
}

func expect(_ condition: Bool, _ what: String) throws {
    if !condition { throw CheckFailed(description: what) }
}

/// Runs one check; prints "ok NAME" or "FAILED NAME: error" and returns whether it passed.
func check(_ name: String, _ body: () throws -> Void) -> Bool {
    do {
        try body()
        print("ok \(name)")
        return true
    } catch {
        print("FAILED \(name): \(error)")
        return false
    }
}

/// Cheap Argon2 for tests only; an app uses mobileKdf().
func testKdf() -> KdfSettings {
    KdfSettings(memoryKib: 64, iterations: 1, parallelism: 1)
}

func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("indicia-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

let results = [
    check("a case on a checklist, answered and sealed to the unit's card, opens with the unit's identity") {
        // The receiving unit: its age identity and its database, which issues the unit card.
        let unitKey = generateIdentity()
        let receiver = try Receiver.create(
            path: try temporaryDirectory().appendingPathComponent("receiver.db").path,
            passphrase: "correct horse battery", kdf: testKdf(), name: "National THB unit",
            recipient: unitKey.recipient)

        // The field device: a store protected by a PIN (it starts unlocked), the unit's card.
        let storePath = try temporaryDirectory().appendingPathComponent("field.db").path
        let store = try CaseStore.create(path: storePath, pinText: "tidal-amber-orchard", kdf: testKdf())
        let unit = try store.addUnit(cardJson: try receiver.unitCardJson())
        try expect(unit.name == "National THB unit", "unit name")

        // The checklist drives the questions on screen; the store keeps the answers.
        let session = try ChecklistSession.fromBuiltin(id: "first-contact", language: "en")
        try session.answer(questionId: "age_group", value: .choice(id: "adult"))
        try session.answer(questionId: "debt", value: .yesNo(value: "yes"))
        try expect(!session.visibleQuestions().isEmpty, "visible questions")

        let caseId = try store.createCase(title: "Harbour", checklistId: "first-contact")
        try store.saveAnswer(caseId: caseId, questionId: "age_group", valueJson: "\"adult\"")
        try store.saveAnswer(caseId: caseId, questionId: "debt", valueJson: "\"yes\"")
        try store.saveAnswer(caseId: caseId, questionId: "worker_note", valueJson: "\"SWIFT-PACKAGE-MARKER\"")
        _ = try store.addNote(caseId: caseId, text: "met at the bus station")

        let sealed = try store.sealCase(
            caseId: caseId, organisation: "sk.example-ngo", units: [unit.signingKey.keyId],
            replyTo: [], armored: false)
        try expect(sealed.package.range(of: Data("SWIFT-PACKAGE-MARKER".utf8)) == nil, "plaintext in the package")
        try store.confirmSealed(caseId: caseId, reportId: sealed.reportId)
        try expect(try store.listCases().first?.status == "sealed", "case not sealed")

        let opened = try openReport(package: sealed.package, identity: unitKey.identity)
        try expect(opened.reportId == sealed.reportId, "report id")
        try expect(opened.manifestJson.contains("SWIFT-PACKAGE-MARKER"), "answers in the manifest")
        try expect(opened.manifestJson.contains("\"checklist\":{"), "checklist reference")
    },
    check("a wrong PIN is IndiciaError.WrongPin and the store stays locked") {
        let store = try CaseStore.createInMemory(pinText: "tidal-amber-orchard", kdf: testKdf())
        _ = try store.createCase(title: "t")
        try store.lock()
        do {
            try store.unlock(pinText: "0000")
            throw CheckFailed(description: "a wrong PIN unlocked the store")
        } catch IndiciaError.WrongPin(let message) {
            try expect(!message.isEmpty, "an empty message")
        }
        try expect(try !store.isUnlocked(), "unlocked")
        try store.unlock(pinText: "tidal-amber-orchard")
        try expect(try store.listCases().count == 1, "cases after unlock")
    },
]

// Not "N passed, N failed": scripts/test adds up such lines in a stage's log.
let ok = results.filter { $0 }.count
print("swift checks ok: \(ok)/\(results.count)")
exit(ok == results.count ? 0 : 1)
