// swift-tools-version:5.9
// The local Swift package scripts/build-ios lays out in build/ios/IndiciaCore (docs/ios.md): the
// XCFramework of the Rust library with its C module (IndiciaCoreFFI), and the generated Swift
// (IndiciaCore) an app imports. UNTESTED: written without macOS or Xcode; the names are checked
// against bindings/uniffi/uniffi.toml by tests/parity/test_swift_module.py.
import PackageDescription

let package = Package(
    name: "IndiciaCore",
    platforms: [.iOS(.v15)],
    products: [
        .library(name: "IndiciaCore", targets: ["IndiciaCore"]),
    ],
    targets: [
        .binaryTarget(name: "IndiciaCoreFFI", path: "IndiciaCoreFFI.xcframework"),
        .target(name: "IndiciaCore", dependencies: ["IndiciaCoreFFI"], path: "Sources/IndiciaCore"),
    ]
)
