// Kotlin/JVM tests of the uniffi bindings and of the Android app's JVM-testable code.
// Run by scripts/test: compiled with kotlinc against the generated bindings and JNA, then run with
// -Djna.library.path pointing at the host build of libindicia_uniffi. Each test file registers
// its tests here; main runs them all and ends with the line "kotlin: N passed, N failed".
package org.indicia.tests

import kotlin.system.exitProcess
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.runBlocking

private val tests = linkedMapOf<String, () -> Unit>()

internal fun test(name: String, body: () -> Unit) {
    check(tests.put(name, body) == null) { "two tests are named \"$name\"" }
}

/** A test of suspend functions, run to its end on the test thread's own event loop. */
internal fun suspendTest(name: String, body: suspend CoroutineScope.() -> Unit) = test(name) { runBlocking { body() } }

fun main() {
    registerSealingTests()
    registerChecklistTests()
    registerStoreTests()
    registerPackageTests()
    registerReceiptTests()
    registerSdkErrorTests()
    registerSdkStoreTests()
    registerSdkChecklistTests()
    registerFieldAppTests()
    registerSignedChecklistTests()
    var passed = 0
    var failed = 0
    for ((name, body) in tests) {
        try {
            body()
            println("ok - $name")
            passed++
        } catch (t: Throwable) {
            println("not ok - $name: $t")
            failed++
        }
    }
    println("kotlin: $passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
