# Sourced by .ci/run: makes sure the one system package the build needs (the SQLite headers,
# which Swift's Debian/Ubuntu images already have) is there before SwiftPM compiles. Installs it
# with apt-get (through sudo when not root); otherwise stops with the exact command.
# libcurl needs no headers: Sources/CCurl declares what it uses and links libcurl.so.4.

briefsync_packages=(libsqlite3-dev)
# CI also checks the generated man page with groff and the completion scripts with zsh and fish
# (Tests/EndToEndTests/HabitsCLITests*.swift).
if [ "${CI:-}" = true ]; then briefsync_packages+=(groff-base zsh fish); fi

briefsync_missing() {
    local pkg
    for pkg in "${briefsync_packages[@]}"; do
        if command -v dpkg-query >/dev/null 2>&1; then
            dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
        else
            case "$pkg" in
            libsqlite3-dev) [ -e /usr/include/sqlite3.h ] || echo "$pkg" ;;
            groff-base) command -v groff >/dev/null 2>&1 || echo "$pkg" ;;
            zsh | fish) command -v "$pkg" >/dev/null 2>&1 || echo "$pkg" ;;
            esac
        fi
    done
}

briefsync_ensure_packages() {
    local missing
    missing=$(briefsync_missing | tr '\n' ' ')
    missing=${missing% }
    [ -z "$missing" ] && return 0
    local install="apt-get install -y $missing"
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: BriefSync needs the SQLite development headers ($missing);" \
            "install them with your package manager, then run this again." >&2
        return 1
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo"
        elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
            sudo="sudo"
        else
            echo "error: missing system packages: $missing" >&2
            echo "run this as root, then run this command again:" >&2
            echo "    apt-get update && $install" >&2
            return 1
        fi
    fi
    echo "installing missing system packages: $missing" >&2
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null || {
        echo "error: could not install $missing; run: ${sudo:+sudo }apt-get update && ${sudo:+sudo }$install" >&2
        return 1
    }
}
