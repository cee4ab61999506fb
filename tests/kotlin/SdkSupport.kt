// What the SDK and field-app tests share: cheap key derivation, temporary folders, a stand-in for
// the Keystore HMAC key, and a receiving unit driven through the `indicia` CLI.
package org.indicia.tests

import java.io.File
import java.nio.file.Files
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.indicia.core.model.KdfParams
import org.indicia.sdk.DeviceSecret
import org.indicia.sdk.RollbackCounter

// Cheap Argon2 for tests only; the app uses mobileKdf().
internal val fastTestKdf = KdfParams(64u, 1u, 1u)

internal fun tempDir(prefix: String): File = Files.createTempDirectory(prefix).toFile()

/** Stands in for the Android Keystore HMAC key (KeystoreDeviceSecret): HMAC-SHA256 with a key kept here. */
internal class HmacDeviceSecret(seed: Byte) : DeviceSecret {
    private val key = SecretKeySpec(ByteArray(32) { seed }, "HmacSHA256")
    val threads = mutableListOf<String>()

    override fun respond(challenge: ByteArray): ByteArray {
        synchronized(threads) { threads += Thread.currentThread().name }
        return Mac.getInstance("HmacSHA256").run {
            init(key)
            doFinal(challenge)
        }
    }
}

/**
 * A device secret with a key that must be made first ([prepare]), as the Android Keystore's: it
 * counts the keys made and refuses to answer without one, or when [refusePrepare] is set.
 */
internal class KeyedDevice(seed: Byte) : DeviceSecret {
    private val inner = HmacDeviceSecret(seed)

    @Volatile var hasKey = false
    @Volatile var keysMade = 0
    @Volatile var refusePrepare = false

    override fun prepare() {
        check(!refusePrepare) { "the Keystore refused" }
        keysMade++
        hasKey = true
    }

    override fun respond(challenge: ByteArray): ByteArray {
        check(hasKey) { "no key" }
        return inner.respond(challenge)
    }
}

/** A device secret that, once [gate] is set, waits there inside the core's call (as a slow unlock would). */
internal class GatedDevice(seed: Byte) : DeviceSecret {
    private val inner = HmacDeviceSecret(seed)

    @Volatile var gate: CountDownLatch? = null
    val entered = CountDownLatch(1)

    override fun respond(challenge: ByteArray): ByteArray {
        gate?.let {
            gate = null
            entered.countDown()
            check(it.await(20, TimeUnit.SECONDS)) { "the gate never opened" }
        }
        return inner.respond(challenge)
    }
}

/** A rollback counter that, once [gate] is set, waits there inside the core's next commit (after it). */
internal class GatedCounter : RollbackCounter {
    private var value = 0L

    @Volatile var gate: CountDownLatch? = null
    val entered = CountDownLatch(1)

    override fun read(): Long = value

    override fun advance(value: Long) {
        if (value > this.value) this.value = value
        gate?.let {
            gate = null
            entered.countDown()
            check(it.await(20, TimeUnit.SECONDS)) { "the gate never opened" }
        }
    }
}

/** Waits (off the test's event loop) until a gated call reached its gate. */
internal suspend fun awaitGate(entered: CountDownLatch) = withContext(Dispatchers.IO) {
    check(entered.await(20, TimeUnit.SECONDS)) { "the call never reached the gate" }
}

/** The `indicia` CLI (scripts/test sets INDICIA_CLI; by hand, the shared cargo target dir). */
private val cli: File = File(
    System.getenv("INDICIA_CLI")
        ?: "${System.getenv("CARGO_TARGET_DIR") ?: "${System.getProperty("user.home")}/.cache/indicia/target"}/debug/indicia",
)

internal class CliResult(val stdout: String, val stderr: String)

internal fun runCli(vararg args: String): CliResult {
    assertTrue(cli.canExecute(), "the CLI is built ($cli): set INDICIA_CLI or run scripts/build-native")
    val process = ProcessBuilder(listOf(cli.path) + args).redirectInput(ProcessBuilder.Redirect.from(File("/dev/null"))).start()
    val stderr = StringBuilder()
    val errors = Thread { stderr.append(process.errorStream.bufferedReader().readText()) }.apply { start() }
    val stdout = process.inputStream.bufferedReader().readText()
    errors.join()
    assertEquals(0, process.waitFor(), "indicia ${args.joinToString(" ")} failed: $stderr")
    return CliResult(stdout, stderr.toString())
}

/** A receiving unit made with the CLI in [dir]: its key, encrypted database and signed card. */
internal class CliUnit(private val dir: File, name: String) {
    val keyFile = File(dir, "unit.key")
    private val db = File(dir, "receiver.db")
    private val passphrase = File(dir, "passphrase").apply { writeText("correct horse battery staple\n") }
    val cardJson: String
    val fingerprint: String
    private var receipts = 0

    init {
        runCli("keygen", "-o", keyFile.path)
        withDb("init", "-i", keyFile.path, "--name", name)
        val card = withDb("unit-card")
        cardJson = card.stdout.trim()
        fingerprint = assertNotNull(Regex("""card fingerprint (\d{5} \d{5} \d{5} \d{5})""").find(card.stderr), card.stderr).groupValues[1]
    }

    private fun withDb(vararg args: String) = runCli(*args, "--db", db.path, "--passphrase-file", passphrase.path)

    fun trustDevice(publicKey: String, organisation: String) =
        withDb("trust", "add", "--device", publicKey, "--organisation", organisation).stdout

    fun ingest(file: File): String = withDb("ingest", "-i", keyFile.path, file.path).stdout

    fun list(): String = withDb("list").stdout

    fun receipt(reportId: String, status: String): ByteArray {
        val out = File(dir, "receipt-${++receipts}.age")
        withDb("receipt", reportId, "--status", status, "-o", out.path)
        return out.readBytes()
    }
}
