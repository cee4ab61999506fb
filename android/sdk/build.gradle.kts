// The Kotlin SDK as an Android library: the SDK (src/main/kotlin), the uniffi bindings as checked
// in (src/generated/kotlin, kept equal to uniffi-bindgen's output by scripts/test) and the Rust
// library per ABI (src/main/jniLibs, from scripts/build-android-libs). scripts/test compiles and
// tests the same Kotlin with kotlinc on the JVM; this file has not been run (docs/android.md).
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "org.indicia.sdk"
    compileSdk = 35
    defaultConfig {
        minSdk = 26
        ndk { abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64") }
    }
    sourceSets["main"].apply {
        kotlin.srcDirs("src/main/kotlin", "src/generated/kotlin")
        jniLibs.srcDir("src/main/jniLibs")
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

dependencies {
    // The versions the JVM tests run with: JNA 5.13 (Debian's), kotlinx-coroutines 1.8.0 (the
    // Kotlin compiler distribution's).
    api("net.java.dev.jna:jna:5.13.0@aar")
    api("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.8.0")
    api("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.8.0")
}
