/// This build's version: the one place it is written. `stockroom --version`, `GET /api/health/ready` and the start-up
/// log read it; CHANGELOG.md's newest entry must carry the same number (a test checks), and a release is tagged
/// `v<version>`. A constant rather than `git describe`, so a build from a tarball without `.git` knows it too.
public enum StockroomVersion {
    public static let current = "1.0.0"
}
