import Foundation
import RapportApp

/// The daemon configuration a config file with `json` gives: written to a temporary file, loaded
/// and applied over the defaults (not validated: tests check that step themselves).
func configuration(fromConfigFile json: String) throws -> DaemonConfiguration {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rapportd-\(UUID().uuidString).json").path
    try Data(json.utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    var configuration = DaemonConfiguration()
    try configuration.apply(DaemonConfigFile.load(path: path))
    return configuration
}
