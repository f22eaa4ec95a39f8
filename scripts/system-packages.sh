# Sourced by scripts/demo and scripts/test: makes sure the two system libraries the build needs
# (SQLite and libcurl headers) are installed before SwiftPM spends minutes compiling.
# Installs them with apt-get (through sudo when not root); otherwise stops with the exact command.

briefsync_packages=(libsqlite3-dev libcurl4-openssl-dev)

briefsync_missing() {
    local pkg
    for pkg in "${briefsync_packages[@]}"; do
        if command -v dpkg-query >/dev/null 2>&1; then
            dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
        else
            case "$pkg" in
            libsqlite3-dev) [ -e /usr/include/sqlite3.h ] || echo "$pkg" ;;
            libcurl4-openssl-dev) [ -e /usr/include/curl/curl.h ] || ls /usr/include/*/curl/curl.h >/dev/null 2>&1 || echo "$pkg" ;;
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
        echo "error: BriefSync needs the SQLite and libcurl development headers ($missing);" \
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
