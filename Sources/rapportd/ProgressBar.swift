import Foundation

/// A one-line progress bar on standard error, redrawn at most every 1% so large seeds stay cheap;
/// when standard error is not a terminal (CI logs), a plain line every 10% instead.
final class ProgressBar {
    private let total: Int
    private let step: Int
    private let interactive = isatty(STDERR_FILENO) == 1
    private var shownPercent = -1

    init(total: Int) {
        self.total = max(1, total)
        step = interactive ? 1 : 10
    }

    /// Shows `done` of the total, with `detail` (what is counted) in place of "done/total".
    func update(_ done: Int, detail: String? = nil) {
        let percent = done * 100 / total / step * step
        guard percent != shownPercent else { return }
        shownPercent = percent
        let counts = detail ?? "\(done)/\(total)"
        guard interactive else {
            FileHandle.standardError.write(Data("seeding: \(percent)% (\(counts))\n".utf8))
            return
        }
        let filled = percent * 40 / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: 40 - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(percent)% (\(counts))".utf8))
    }

    func finish() {
        if interactive {
            FileHandle.standardError.write(Data("\n".utf8))
        }
    }
}
