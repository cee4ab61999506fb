// Not assembled on the project's build machines (no Android SDK or Gradle plugins there):
// docs/android.md says what is built and tested here and how to build this in Android Studio.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "IndiciaField"
include(":sdk", ":app")
